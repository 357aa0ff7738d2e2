import { css } from 'lit';
import { buttonStyles, stateStyles } from '../internal/parts.styles.js';

const own = css`
  :host {
    display: grid;
    gap: calc(var(--_space) * 2);
    --_post-gap: calc(var(--_space) * 1.5);
  }
  [role='feed'] {
    display: block;
    /* Native scroll anchoring keeps the reader's place when heights above them change. */
    overflow-anchor: auto;
  }
  menteo-post {
    display: block;
    margin-block-end: var(--_post-gap);
  }
  .spacer {
    overflow-anchor: none;
  }
  .load-more {
    justify-self: center;
  }
  .end {
    margin: 0;
    text-align: center;
    color: var(--_text-muted);
    font-size: 0.875em;
  }
`;

export const postListStyles = [buttonStyles, stateStyles, own];
