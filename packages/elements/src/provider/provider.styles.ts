import { css } from 'lit';

export const providerStyles = css`
  :host {
    /* The provider only scopes configuration: it must not change the page's layout. */
    display: contents;
  }
  :host([theme='light']) {
    --menteo-color-scheme: light;
  }
  :host([theme='dark']) {
    --menteo-color-scheme: dark;
  }
`;
