import { css } from 'lit';
import { avatarStyles, cardStyles, stateStyles } from '../internal/parts.styles.js';

const own = css`
  :host { display: grid; gap: calc(var(--_space) * 1.5); }
  h2, h3, h4, p { margin: 0; }
  h2 { font-size: 1.125em; }
  h3 { font-size: 1em; }
  h4 { font-size: 0.875em; color: var(--_text-muted); }
  .rooms { margin: 0; padding: 0; list-style: none; display: grid; gap: calc(var(--_space) * 1.5); grid-template-columns: repeat(auto-fill, minmax(min(18rem, 100%), 1fr)); }
  .room { display: grid; gap: var(--_space); align-content: start; padding: calc(var(--_space) * 1.25); border: 1px solid var(--_border); border-radius: var(--_radius-sm); overflow-wrap: anywhere; }
  .room--attention { border-inline-start: 4px solid var(--_warning); }
  .room--calm { border-inline-start: 4px solid var(--_success); }
  .title-row { display: flex; flex-wrap: wrap; gap: 0.25rem 0.75rem; align-items: baseline; justify-content: space-between; }
  .title-row a { color: var(--_accent); }
  .mentees { display: flex; flex-wrap: wrap; gap: 0.25rem 0.75rem; margin: 0; padding: 0; list-style: none; font-size: 0.875em; }
  .mentees li { display: inline-flex; gap: 0.375rem; align-items: center; }
  .summary { font-size: 0.875em; font-weight: 650; }
  .summary--attention { color: var(--_warning); }
  .summary--calm { color: var(--_success); }
  ul.items { margin: 0; padding-inline-start: 1.25rem; display: grid; gap: 0.25rem; font-size: 0.875em; }
  .muted { color: var(--_text-muted); font-size: 0.8125em; }
  .badge { font-size: 0.75em; font-weight: 650; border: 1px solid currentColor; border-radius: 999px; padding-inline: 0.375rem; margin-inline-start: 0.25rem; }
  @media (forced-colors: active) {
    .room--attention, .room--calm { border-inline-start-color: CanvasText; }
  }
`;

export const mentorOverviewStyles = [cardStyles, avatarStyles, stateStyles, own];
