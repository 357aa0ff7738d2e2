import { css } from 'lit';
import { avatarStyles, buttonStyles, cardStyles, formStyles, stateStyles } from '../internal/parts.styles.js';

/** What the mentee and mentor matching widgets share. */
const own = css`
  :host { display: grid; grid-template-columns: minmax(0, 1fr); gap: calc(var(--_space) * 1.5); }
  h2, h3, h4, p { margin: 0; }
  h2 { font-size: 1.0625em; }
  h3 { font-size: 0.9375em; }
  h4 { font-size: 0.9375em; }
  section { display: grid; grid-template-columns: minmax(0, 1fr); gap: var(--_space); }
  form { display: grid; gap: var(--_space); }
  .actions { display: flex; flex-wrap: wrap; gap: calc(var(--_space) * 0.5); align-items: center; }
  .list { margin: 0; padding: 0; list-style: none; display: grid; gap: var(--_space); }
  .card { display: grid; gap: calc(var(--_space) * 0.75); padding: var(--_space); border: 1px solid var(--_border); border-radius: var(--_radius-sm); overflow-wrap: anywhere; min-inline-size: 0; }
  .card--pending { border-inline-start: 4px solid var(--_accent); }
  .who { display: flex; flex-wrap: wrap; gap: 0.25rem 0.75rem; align-items: center; }
  .who strong { font-size: 0.9375em; }
  .muted, .meta { color: var(--_text-muted); font-size: 0.8125em; }
  .score { font-weight: 650; font-size: 0.875em; }
  .seats { font-size: 0.8125em; font-weight: 600; }
  .seats--last { color: var(--_danger); }
  .status { display: inline-block; padding: 0.0625rem 0.5rem; border-radius: 999px; border: 1px solid var(--_border); font-size: 0.8125em; font-weight: 600; }
  .status--accepted { border-color: var(--_success); color: var(--_success); }
  .status--declined { border-color: var(--_danger); color: var(--_danger); }
  .notice { padding: var(--_space); border: 2px solid var(--_accent); border-radius: var(--_radius-sm); display: grid; gap: calc(var(--_space) * 0.5); }
  .notice--full { border-color: var(--_danger); }
  blockquote.message { margin: 0; padding-inline-start: var(--_space); border-inline-start: 3px solid var(--_border); }
  .reasons { margin: 0; padding: 0; list-style: none; display: grid; gap: 0.25rem; font-size: 0.875em; }
  .reasons li { display: grid; grid-template-columns: minmax(6rem, max-content) minmax(6rem, max-content) minmax(0, 1fr); gap: 0.25rem 0.75rem; }
  .reason__factor { font-weight: 600; }
  .reason__points { color: var(--_text-muted); font-variant-numeric: tabular-nums; }
  .completeness { display: grid; gap: 0.25rem; }
  .completeness label { font-weight: 600; font-size: 0.875em; }
  meter { inline-size: 100%; max-inline-size: 20rem; }
  .error-text:empty { display: none; }
  details > summary { cursor: pointer; font-weight: 600; font-size: 0.875em; }
  @container (max-width: 30rem) {
    .reasons li { grid-template-columns: minmax(0, 1fr) max-content; }
    .reason__text { grid-column: 1 / -1; }
  }
`;

export const matchStyles = [cardStyles, buttonStyles, formStyles, avatarStyles, stateStyles, own];
