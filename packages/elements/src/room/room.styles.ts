import { css } from 'lit';
import { avatarStyles, buttonStyles, cardStyles, formStyles, markdownStyles, stateStyles } from '../internal/parts.styles.js';

const own = css`
  :host {
    display: grid;
    gap: calc(var(--_space) * 1.5);
  }
  h2, h3, p { margin: 0; }
  h2 { font-size: 1.25em; line-height: 1.25; }
  h3 { font-size: 0.9375em; }
  .muted, .purpose { color: var(--_text-muted); }
  .muted { font-size: 0.8125em; }
  .header { display: grid; gap: var(--_space); }
  .title-row { display: flex; flex-wrap: wrap; gap: var(--_space); align-items: center; }
  .status { font-size: 0.75em; font-weight: 650; padding: 0.125rem 0.5rem; border-radius: 999px; background: var(--_surface); color: var(--_text-muted); }
  .status--active { color: var(--_success); }
  .members { display: flex; flex-wrap: wrap; gap: 0.375rem 1rem; margin: 0; padding: 0; list-style: none; font-size: 0.875em; }
  .members li { display: inline-flex; align-items: center; gap: 0.375rem; }
  .role { font-size: 0.75em; color: var(--_text-muted); border: 1px solid var(--_border); border-radius: 999px; padding-inline: 0.375rem; }
  .role--mentor { color: var(--_accent); border-color: var(--_accent); }
  .notice { padding: var(--_space) calc(var(--_space) * 1.5); border-radius: var(--_radius-sm); background: var(--_warning-soft); border-inline-start: 4px solid var(--_warning); }
  .tabs { display: flex; gap: 0.25rem; border-block-end: 1px solid var(--_border); overflow-x: auto; }
  .tab {
    font: inherit;
    font-weight: 600;
    padding: 0.5rem 0.75rem;
    border: none;
    border-block-end: 3px solid transparent;
    background: none;
    color: var(--_text-muted);
    cursor: pointer;
    white-space: nowrap;
  }
  .tab[aria-selected='true'] { color: var(--_text); border-block-end-color: var(--_accent); }
  .panel { display: grid; gap: var(--_space); min-block-size: 6rem; border-radius: var(--_radius-sm); }
  .messages, .notes, .resources, .items { margin: 0; padding: 0; list-style: none; display: grid; gap: var(--_space); }
  .message { display: flex; gap: var(--_space); padding: var(--_space); border-radius: var(--_radius-sm); background: var(--_surface); }
  .message--pending { opacity: 0.7; }
  .meta { font-size: 0.8125em; color: var(--_text-muted); }
  .composer { display: flex; flex-wrap: wrap; gap: var(--_space); align-items: flex-start; }
  .composer textarea { flex: 1; inline-size: auto; min-inline-size: 12rem; }
  .composer .error-text { flex-basis: 100%; }
  .older { justify-self: center; }
  .note { display: grid; gap: 0.375rem; padding: calc(var(--_space) * 1.25); border: 1px solid var(--_border); border-radius: var(--_radius-sm); }
  .item label { display: inline-flex; gap: 0.5rem; align-items: baseline; cursor: pointer; }
  .item input { inline-size: 1rem; block-size: 1rem; min-block-size: 0; accent-color: var(--_accent); }
  .item--done span { text-decoration: line-through; color: var(--_text-muted); }
  .resource { display: grid; gap: 0.125rem; }
  .resource a { color: var(--_accent); font-weight: 600; }
`;

export const roomStyles = [cardStyles, buttonStyles, formStyles, avatarStyles, stateStyles, markdownStyles, own];
