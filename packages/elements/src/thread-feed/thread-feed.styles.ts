import { css } from 'lit';
import { buttonStyles, stateStyles } from '../internal/parts.styles.js';

const own = css`
  :host {
    display: grid;
    gap: calc(var(--_space) * 2);
    container-type: inline-size;
  }
  .new-posts {
    position: sticky;
    inset-block-start: var(--_space);
    z-index: 1;
    display: flex;
    justify-content: center;
  }
`;

export const threadFeedStyles = [buttonStyles, stateStyles, own];
