import { css } from 'lit';
import { buttonStyles, formStyles, stateStyles } from '../internal/parts.styles.js';

const own = css`
  :host { display: grid; gap: calc(var(--_space) * 2); }
  h2, h3, h4, p { margin: 0; }
  h2 { font-size: 1.125em; }
  h3 { font-size: 1em; }
  .toolbar { display: flex; flex-wrap: wrap; gap: var(--_space) calc(var(--_space) * 2); align-items: end; }
  .toolbar label { display: grid; gap: 0.25rem; font-size: 0.875em; }
  .grid { display: grid; gap: calc(var(--_space) * 2); grid-template-columns: repeat(auto-fill, minmax(min(22rem, 100%), 1fr)); }
  section.card { display: grid; gap: var(--_space); align-content: start; padding: calc(var(--_space) * 1.5); border: 1px solid var(--_border); border-radius: var(--_radius-sm); min-inline-size: 0; }
  figure { margin: 0; display: grid; gap: var(--_space); }
  .chart { inline-size: 100%; max-inline-size: 32rem; block-size: auto; }
  .chart__label, .chart__value { fill: var(--_text-muted); font-size: 12px; }
  .chart__axis { stroke: var(--_border); stroke-width: 1; }
  .bar { fill: var(--_accent); }
  .bar--warning { fill: var(--_warning); }
  .bar--success { fill: var(--_success); }
  .bar--danger { fill: var(--_danger); }
  .line { fill: none; stroke: var(--_accent); stroke-width: 2.5; }
  .dot { fill: var(--_accent); }
  table { border-collapse: collapse; font-size: 0.875em; inline-size: 100%; }
  caption { text-align: start; font-weight: 650; padding-block-end: 0.25rem; }
  th, td { text-align: start; padding: 0.25rem 0.5rem; border-block-end: 1px solid var(--_border); }
  td.num, th.num { text-align: end; font-variant-numeric: tabular-nums; }
  .table-wrap { overflow-x: auto; }
  .risks { margin: 0; padding: 0; list-style: none; display: grid; gap: var(--_space); }
  .risk { padding: var(--_space) calc(var(--_space) * 1.25); border: 1px solid var(--_border); border-inline-start: 4px solid var(--_warning); border-radius: var(--_radius-sm); overflow-wrap: anywhere; }
  .risk ul { margin: 0.25rem 0 0; padding-inline-start: 1.25rem; font-size: 0.875em; }
  .exports { display: flex; flex-wrap: wrap; gap: var(--_space); }
  .muted { color: var(--_text-muted); font-size: 0.8125em; }
  .privacy { font-size: 0.875em; color: var(--_text-muted); }
  @media (forced-colors: active) {
    .bar, .dot { fill: CanvasText; }
    .line { stroke: CanvasText; }
    .risk { border-inline-start-color: CanvasText; }
  }
`;

export const adminHealthStyles = [buttonStyles, formStyles, stateStyles, own];
