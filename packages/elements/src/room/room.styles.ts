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
  /* The tabs wrap onto a second row rather than scroll: no tab is ever hidden behind a scroll
     edge, and no scroll container clips a tab's focus ring. */
  .tabs { display: flex; flex-wrap: wrap; gap: 0.25rem; padding-block-start: 4px; padding-inline: 4px; border-block-end: 1px solid var(--_border); }
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
  @media (forced-colors: active) {
    /* Forced colours paint every border alike; the selected tab keeps a Highlight bar and bold,
       underlined text, and unselected tabs lose their transparent (now visible) bar. */
    .tab { forced-color-adjust: none; color: CanvasText; background: Canvas; border-block-end-color: Canvas; }
    .tab[aria-selected='true'] { color: CanvasText; border-block-end-color: Highlight; text-decoration: underline; }
    .tab:focus-visible { outline: 2px solid Highlight; outline-offset: 2px; }
  }
  .write { border: 1px solid var(--_border); border-radius: var(--_radius-sm); padding: var(--_space); }
  .write summary { cursor: pointer; font-weight: 600; color: var(--_accent); }
  .write form { display: grid; gap: var(--_space); margin-block-start: var(--_space); }
  .action-rows { display: grid; gap: var(--_space); border: none; margin: 0; padding: 0; min-inline-size: 0; }
  .action-rows legend { font-weight: 600; font-size: 0.875em; padding: 0; margin-block-end: 0.25rem; }
  .action-row { display: grid; gap: 0.5rem; grid-template-columns: repeat(auto-fit, minmax(min(9rem, 100%), 1fr)); }
  .form-actions { display: flex; flex-wrap: wrap; gap: var(--_space); align-items: center; justify-content: flex-end; }
  .sent { color: var(--_success); font-weight: 600; margin: 0; }
  .overdue { color: var(--_danger, var(--_warning)); font-weight: 600; }
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
