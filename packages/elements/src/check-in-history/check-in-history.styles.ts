import { css } from 'lit';
import { avatarStyles, cardStyles, stateStyles } from '../internal/parts.styles.js';

const own = css`
  :host { display: grid; gap: calc(var(--_space) * 1.5); }
  h2, h3, p { margin: 0; }
  h2 { font-size: 1.0625em; }
  figure { margin: 0; display: grid; gap: 0.5rem; }
  figcaption { font-size: 0.875em; color: var(--_text-muted); }
  svg.chart { inline-size: 100%; max-inline-size: 32rem; block-size: auto; overflow: visible; }
  .grid line { stroke: var(--_border); stroke-width: 1; }
  .axis { fill: var(--_text-muted); font-size: 9px; }
  /* Two people: told apart by dash pattern and marker shape as well as colour (1.4.1). */
  .series { fill: none; stroke-width: 2.5; }
  .series--0 { stroke: var(--_accent); }
  .series--1 { stroke: var(--_success); stroke-dasharray: 6 4; }
  .dot--0 { fill: var(--_accent); }
  .dot--1 { fill: var(--_success); }
  .bar { fill: var(--_accent-soft); stroke: var(--_border); stroke-width: 0.5; }
  .progress { color: var(--_text); }
  .legend { display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; margin: 0; padding: 0; list-style: none; font-size: 0.8125em; }
  .swatch { display: inline-block; inline-size: 1.25rem; block-size: 0; border-block-start: 3px solid var(--_accent); vertical-align: middle; margin-inline-end: 0.375rem; }
  .swatch--1 { border-block-start: 3px dashed var(--_success); }
  .swatch.swatch--bar { inline-size: 0.625rem; block-size: 0.625rem; border: 1px solid var(--_border); background: var(--_accent-soft); }
  .list { margin: 0; padding: 0; list-style: none; display: grid; gap: var(--_space); }
  .entry { display: grid; gap: 0.25rem; padding: var(--_space); border: 1px solid var(--_border); border-radius: var(--_radius-sm); overflow-wrap: anywhere; }
  .meta { display: flex; flex-wrap: wrap; gap: 0.25rem 0.75rem; align-items: center; font-size: 0.8125em; color: var(--_text-muted); }
  .meta strong { color: var(--_text); }
  .confidence { font-weight: 650; color: var(--_text); }
  .blockers { color: var(--_text-muted); }
  .blockers strong { color: var(--_text); }
  @media (forced-colors: active) {
    .series--0, .series--1 { stroke: CanvasText; }
    .dot--0, .dot--1 { fill: CanvasText; }
    .swatch, .swatch--1 { border-block-start-color: CanvasText; }
    .bar { fill: Canvas; stroke: CanvasText; }
  }
`;

export const checkInHistoryStyles = [cardStyles, avatarStyles, stateStyles, own];
