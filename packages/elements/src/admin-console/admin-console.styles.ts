import { css } from 'lit';
import { buttonStyles, stateStyles } from '../internal/parts.styles.js';

const own = css`
  :host { display: grid; gap: calc(var(--_space) * 2); }
  h2, p { margin: 0; }
  .title { font-size: 1.25em; }
  nav ul { display: flex; flex-wrap: wrap; gap: var(--_space); margin: 0; padding: 0; list-style: none; border-block-end: 1px solid var(--_border); padding-block-end: var(--_space); }
  nav button { font: inherit; color: var(--_text); background: transparent; border: 1px solid transparent; border-radius: var(--_radius-sm); padding: 0.375rem 0.75rem; cursor: pointer; }
  nav button:hover { background: var(--_surface); }
  nav button[aria-current='page'] { font-weight: 650; color: var(--_accent); border-color: var(--_accent); background: var(--_accent-soft); }
  .section:focus { outline: none; box-shadow: none; }
  .section:focus-visible { outline: 2px solid transparent; box-shadow: var(--_focus); }
  .denied { padding: calc(var(--_space) * 1.5); border: 1px solid var(--_border); border-radius: var(--_radius-sm); }
  @media (forced-colors: active) {
    /* The current section keeps a visible mark where colours are forced: a thicker system border. */
    nav button[aria-current='page'] { border: 2px solid CanvasText; }
  }
`;

export const adminConsoleStyles = [buttonStyles, stateStyles, own];
