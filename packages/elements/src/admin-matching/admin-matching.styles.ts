import { css } from 'lit';
import { buttonStyles, formStyles, stateStyles } from '../internal/parts.styles.js';
import { adminPartsStyles } from '../admin-shared/admin-parts.js';

const own = css`
  /* minmax(0, 1fr): a grid column grows to its widest content (a table) unless told it may shrink. */
  :host { display: grid; grid-template-columns: minmax(0, 1fr); gap: calc(var(--_space) * 2); }
  h2, h3, h4, p { margin: 0; }
  h2 { font-size: 1.125em; }
  h3 { font-size: 1em; }
  h4 { font-size: 0.9375em; }
  section.card { display: grid; grid-template-columns: minmax(0, 1fr); gap: calc(var(--_space) * 1.25); padding: calc(var(--_space) * 1.5); border: 1px solid var(--_border); border-radius: var(--_radius-sm); min-inline-size: 0; }
  .panel { border-inline-start: 4px solid var(--_accent); }
  [tabindex='-1']:focus { outline: none; box-shadow: none; }
  [tabindex='-1']:focus-visible { outline: 2px solid transparent; box-shadow: var(--_focus); }
  form.inline { display: flex; flex-wrap: wrap; gap: var(--_space); align-items: end; }
  form.inline .field { flex: 0 1 20rem; }
  .row, .actions { display: flex; flex-wrap: wrap; gap: calc(var(--_space) * 0.5); align-items: center; }
  table { border-collapse: collapse; font-size: 0.875em; inline-size: 100%; }
  caption { text-align: start; font-weight: 650; padding-block-end: 0.25rem; }
  th, td { text-align: start; padding: 0.25rem 0.5rem; border-block-end: 1px solid var(--_border); vertical-align: top; }
  td.num, th.num { text-align: end; font-variant-numeric: tabular-nums; white-space: nowrap; }
  tr[aria-current='true'] > * { background: var(--_accent-soft); }
  .table-wrap { overflow-x: auto; }
  ul.plain { margin: 0; padding: 0; list-style: none; display: grid; gap: 0.5rem; }
  ul.plain li { display: flex; flex-wrap: wrap; gap: 0.25rem 0.75rem; align-items: center; }
  .muted { color: var(--_text-muted); font-size: 0.8125em; }
  .badge { display: inline-block; padding: 0 0.375rem; border: 1px solid var(--_border); border-radius: 999px; font-size: 0.75em; font-weight: 600; }
  .blocked { color: var(--_danger); }
  .candidates { display: grid; gap: 0.5rem; margin-block-start: 0.5rem; padding: 0.5rem; border: 1px dashed var(--_border); border-radius: var(--_radius-sm); }
  .reasons { margin: 0; padding: 0; list-style: none; display: grid; gap: 0.25rem; min-inline-size: 16rem; }
  .reasons li { display: grid; grid-template-columns: max-content max-content minmax(0, 1fr); gap: 0.125rem 0.5rem; }
  .reason__factor { font-weight: 600; }
  .reason__points { color: var(--_text-muted); font-variant-numeric: tabular-nums; }
  .error-text:empty { display: none; }
  details > summary { cursor: pointer; font-weight: 600; }
  fieldset { border: 1px solid var(--_border); border-radius: var(--_radius-sm); display: grid; gap: var(--_space); padding: var(--_space) calc(var(--_space) * 1.25); margin: 0; min-inline-size: 0; }
  legend { font-weight: 650; font-size: 0.875em; padding-inline: 0.25rem; }
  form.stack { display: grid; grid-template-columns: minmax(0, 1fr); gap: var(--_space); }
  .row > .field { flex: 1 1 12rem; }
  .row > .field--narrow { flex: 0 1 9rem; }
  .checks { display: grid; gap: 0.25rem; font-size: 0.875em; }
  dl { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 0.25rem 0.75rem; margin: 0; font-size: 0.875em; }
  dt { font-weight: 600; }
  dd { margin: 0; }
`;

export const adminMatchingStyles = [buttonStyles, formStyles, stateStyles, adminPartsStyles, own];
