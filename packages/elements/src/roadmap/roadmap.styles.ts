import { css } from 'lit';
import { avatarStyles, buttonStyles, cardStyles, formStyles, stateStyles } from '../internal/parts.styles.js';

const own = css`
  :host {
    display: grid;
    gap: calc(var(--_space) * 2);
  }
  h2, h3 { margin: 0; line-height: 1.25; }
  h2 { font-size: 1.25em; }
  h3 { font-size: 1em; }
  p { margin: 0; }
  .muted, .goal { color: var(--_text-muted); }
  .header {
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--_space) * 2);
    justify-content: space-between;
  }
  .header__title { display: grid; gap: 0.25rem; flex: 1 1 18rem; }
  .owner { display: flex; align-items: center; gap: 0.375rem; color: var(--_text-muted); font-size: 0.875em; }
  .summary { display: grid; gap: 0.375rem; flex: 0 1 20rem; }
  progress {
    inline-size: 100%;
    block-size: 0.5rem;
    appearance: none;
    border: none;
    border-radius: 999px;
    background: var(--_surface);
    overflow: hidden;
  }
  progress::-webkit-progress-bar { background: var(--_surface); }
  progress::-webkit-progress-value { background: var(--_success); border-radius: 999px; }
  progress::-moz-progress-bar { background: var(--_success); }
  .counts { display: flex; flex-wrap: wrap; gap: 0.25rem 0.75rem; margin: 0; padding: 0; list-style: none; font-size: 0.8125em; color: var(--_text-muted); }
  .counts li { display: inline-flex; align-items: center; gap: 0.25rem; }

  .status-icon { inline-size: 1rem; block-size: 1rem; flex: none; }
  .status-icon .i-stroke { fill: none; stroke: currentColor; stroke-width: 1.6; }
  .status-icon .i-fill { fill: currentColor; }
  .status-icon .i-mark { fill: none; stroke: var(--_surface-raised); stroke-width: 1.8; stroke-linecap: round; stroke-linejoin: round; }
  .status-icon--planned { color: var(--_text-muted); }
  .status-icon--in_progress { color: var(--_info); }
  .status-icon--done { color: var(--_success); }
  .status-icon--blocked { color: var(--_danger); }

  .risks {
    display: grid;
    gap: 0.375rem;
    padding: calc(var(--_space) * 1.25);
    border-radius: var(--_radius-sm);
    background: var(--_warning-soft);
    border-inline-start: 4px solid var(--_warning);
  }
  .risks ul { margin: 0; padding: 0; list-style: none; display: grid; gap: 0.25rem; }
  .risks li { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: baseline; }
  .risk {
    font-size: 0.75em;
    font-weight: 650;
    text-transform: uppercase;
    letter-spacing: 0.04em;
    color: var(--_danger);
  }
  .risk--stalled { color: var(--_warning); }
  .link-button {
    border: none;
    background: none;
    padding: 0;
    font: inherit;
    font-weight: 600;
    color: var(--_text);
    text-decoration: underline;
    text-underline-offset: 0.15em;
    cursor: pointer;
    border-radius: 0.125rem;
    /* WCAG 2.5.8: a one-line text button is ~22 px tall; 24 px is the minimum target. */
    min-block-size: 1.5rem;
  }

  .timeline {
    position: relative;
    padding-block: 1.75rem 0.5rem;
    border-block-start: 2px solid var(--_border);
    margin-block-start: 0.5rem;
  }
  .axis {
    position: absolute;
    inset-block-start: 0.25rem;
    inset-inline: 0;
    display: flex;
    justify-content: space-between;
    font-size: 0.75em;
    color: var(--_text-muted);
  }
  .today {
    position: absolute;
    inset-block: -0.5rem 0;
    inset-inline-start: calc(var(--pos) * 100%);
    border-inline-start: 2px dashed var(--_accent);
    pointer-events: none;
  }
  .today span {
    position: absolute;
    inset-block-start: -1.1rem;
    inset-inline-start: 0;
    translate: -50% 0;
    font-size: 0.6875em;
    font-weight: 700;
    text-transform: uppercase;
    color: var(--_accent);
    background: var(--_surface-raised);
    padding-inline: 0.25rem;
  }
  :host(:dir(rtl)) .today span { translate: 50% 0; }
  /*
   * Lanes are grid rows sized by their content, so a title that wraps (long, translated, or under
   * a reader's text-spacing style) makes its lane taller instead of being cut or overlapping.
   */
  .milestones {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    row-gap: 0.375rem;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .ms {
    grid-row: var(--row);
    grid-column: 1;
    justify-self: start;
    /*
     * Exactly where and as wide as the lane assignment placed it (--pos is already pulled back
     * so the card ends on the track): a floor such as min-inline-size or a clamp here would draw
     * the card somewhere the lanes did not count with, onto its neighbour. At 36rem and wider,
     * 22% is at least 7.9rem.
     */
    margin-inline-start: calc(var(--pos) * 100%);
    inline-size: calc(var(--span) * 100%);
  }
  @media (forced-colors: active) {
    .ms__button[aria-expanded='true'] { border-color: Highlight; }
  }
  .ms__button {
    display: flex;
    gap: 0.375rem;
    align-items: flex-start;
    inline-size: 100%;
    text-align: start;
    padding: 0.25rem 0.375rem;
    border: 1px solid var(--_border);
    border-radius: var(--_radius-sm);
    background: var(--_bg);
    color: var(--_text);
    font: inherit;
    cursor: pointer;
    border-inline-start: 3px solid currentColor;
  }
  .ms--planned .ms__button { border-inline-start-color: var(--_text-muted); }
  .ms--in_progress .ms__button { border-inline-start-color: var(--_info); }
  .ms--done .ms__button { border-inline-start-color: var(--_success); }
  .ms--blocked .ms__button { border-inline-start-color: var(--_danger); border-inline-start-style: double; border-inline-start-width: 4px; }
  .ms--risk .ms__button { background: var(--_warning-soft); }
  /* Selected is told by a thicker border, not an outline: the outline is focus's, in every mode. */
  .ms__button[aria-expanded='true'] { border-color: var(--_accent); border-width: 2px; border-inline-start-width: 3px; }
  .ms__text { display: grid; min-inline-size: 0; }
  .ms__title { font-weight: 600; font-size: 0.8125em; overflow-wrap: anywhere; }
  .ms__meta { font-size: 0.6875em; color: var(--_text-muted); }

  .toolbar { display: flex; flex-wrap: wrap; gap: var(--_space); }
  .details, .history {
    display: grid;
    gap: var(--_space);
    padding: calc(var(--_space) * 1.5);
    border: 1px solid var(--_border);
    border-radius: var(--_radius-sm);
    background: var(--_bg);
  }
  .facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(10rem, 1fr)); gap: var(--_space); margin: 0; }
  .facts dt { font-size: 0.75em; color: var(--_text-muted); font-weight: 600; }
  .facts dd { margin: 0; display: flex; align-items: center; gap: 0.25rem; }
  .edit { display: grid; gap: var(--_space); }
  .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(12rem, 1fr)); gap: var(--_space); }
  .field--wide { grid-column: 1 / -1; }
  .actions { display: flex; gap: var(--_space); justify-content: flex-end; }
  .revisions { margin: 0; padding: 0; list-style: none; display: grid; gap: calc(var(--_space) * 1.25); }
  .rev__meta { display: flex; align-items: center; gap: 0.375rem; font-size: 0.8125em; color: var(--_text-muted); }
  .rev__reason { font-style: italic; }
  .rev__kind { font-size: 0.8125em; font-weight: 600; }
  .day { font-size: 0.8125em; font-weight: 600; }
  .risks .finding { display: grid; gap: 0.375rem; }
  .offer { display: flex; flex-wrap: wrap; gap: 0.375rem; align-items: end; }
  .offer__pick { display: grid; gap: 0.125rem; font-size: 0.8125em; flex: 1 1 12rem; }
  .remove { border-inline-start: 4px solid var(--_danger); padding-inline-start: var(--_space); }
  .rev__changes { margin: 0; padding-inline-start: 1.25rem; font-size: 0.8125em; color: var(--_text-muted); }
  .field-name { font-family: var(--_mono); }
  .evidence { margin: 0; padding: 0; list-style: none; display: grid; gap: 0.5rem; }
  .evidence li { display: grid; grid-template-columns: auto 1fr; gap: 0.125rem 0.5rem; align-items: center; font-size: 0.875em; }
  .evidence__excerpt { grid-column: 2; color: var(--_text-muted); }

  /* Narrow containers: the timeline becomes a vertical list, still ordered by due date. */
  @container (max-width: 36rem) {
    .milestones { block-size: auto; display: grid; gap: 0.375rem; }
    .ms { grid-row: auto; margin-inline-start: 0; inline-size: auto; justify-self: stretch; min-inline-size: 0; }
    .today { display: none; }
  }
`;

export const roadmapStyles = [cardStyles, buttonStyles, formStyles, avatarStyles, stateStyles, own];
