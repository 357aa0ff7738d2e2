import { css } from 'lit';
import { buttonStyles, formStyles, stateStyles } from '../internal/parts.styles.js';

const own = css`
  /* minmax(0, 1fr): a grid column grows to its widest content (a table) unless told it may shrink. */
  :host { display: grid; grid-template-columns: minmax(0, 1fr); gap: calc(var(--_space) * 2); }
  h2, h3, h4, p { margin: 0; }
  h2 { font-size: 1.125em; }
  h3 { font-size: 1em; }
  h4 { font-size: 0.9375em; }
  section.card, .panel { display: grid; grid-template-columns: minmax(0, 1fr); gap: calc(var(--_space) * 1.25); padding: calc(var(--_space) * 1.5); border: 1px solid var(--_border); border-radius: var(--_radius-sm); min-inline-size: 0; }
  .panel { border-inline-start: 4px solid var(--_accent); }
  .panel > h3:focus { outline: none; box-shadow: none; }
  .panel > h3:focus-visible { outline: 2px solid transparent; box-shadow: var(--_focus); }
  form.inline { display: flex; flex-wrap: wrap; gap: var(--_space); align-items: end; }
  form.inline .field { flex: 1 1 12rem; }
  form.stack { display: grid; grid-template-columns: minmax(0, 1fr); gap: var(--_space); }
  fieldset { border: 1px solid var(--_border); border-radius: var(--_radius-sm); display: grid; gap: var(--_space); padding: var(--_space) calc(var(--_space) * 1.25); margin: 0; min-inline-size: 0; }
  legend { font-weight: 650; font-size: 0.875em; padding-inline: 0.25rem; }
  .row { display: flex; flex-wrap: wrap; gap: var(--_space); }
  .row > .field { flex: 1 1 10rem; }
  table { border-collapse: collapse; font-size: 0.875em; inline-size: 100%; }
  caption { text-align: start; font-weight: 650; padding-block-end: 0.25rem; }
  th, td { text-align: start; padding: 0.25rem 0.5rem; border-block-end: 1px solid var(--_border); vertical-align: top; }
  td.num, th.num { text-align: end; font-variant-numeric: tabular-nums; }
  .table-wrap { overflow-x: auto; }
  ul.plain { margin: 0; padding: 0; list-style: none; display: grid; gap: 0.25rem; }
  ul.plain li { display: flex; flex-wrap: wrap; gap: 0.25rem 0.75rem; align-items: center; }
  .muted { color: var(--_text-muted); font-size: 0.8125em; }
  progress { inline-size: 100%; max-inline-size: 24rem; }
  .error-text:empty { display: none; }
  details > summary { cursor: pointer; font-weight: 600; }
`;

export const adminCohortsStyles = [buttonStyles, formStyles, stateStyles, own];
