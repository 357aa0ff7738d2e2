import { css } from 'lit';

/** Layout shared by the check-in and feedback forms. */
export const formWidgetStyles = css`
  :host([disabled]) { opacity: 0.7; }
  form { display: grid; gap: calc(var(--_space) * 1.5); }
  h2 { margin: 0; font-size: 1.0625em; }
  p { margin: 0; }
  fieldset { border: none; margin: 0; padding: 0; min-inline-size: 0; }
  legend { padding: 0; margin-block-end: 0.375rem; font-size: 0.875em; font-weight: 600; color: var(--_text-muted); }
  .rating__options { display: grid; grid-template-columns: repeat(5, 1fr); gap: 0.375rem; }
  .rating__option {
    position: relative;
    display: grid;
    justify-items: center;
    gap: 0.125rem;
    padding: 0.5rem 0.25rem;
    border: 1px solid var(--_border);
    border-radius: var(--_radius-sm);
    background: var(--_bg);
    text-align: center;
    cursor: pointer;
    font-size: 0.8125em;
  }
  .rating__option input {
    position: absolute;
    opacity: 0;
    inset: 0;
    margin: 0;
    cursor: pointer;
  }
  .rating__option:has(input:checked) { border-color: var(--_accent); background: var(--_accent-soft); }
  /* The radio is invisible, so its label shows the focus: with the shared ring, and an outline
     that forced colors keeps (it drops box-shadows). */
  .rating__option:has(input:focus-visible) { box-shadow: var(--_focus); outline: 2px solid transparent; outline-offset: 2px; }
  @media (forced-colors: active) {
    .rating__option:has(input:focus-visible) { outline: 3px solid Highlight; }
    .rating__option:has(input:checked) { border-width: 3px; }
  }
  .rating__num { font-size: 1.25em; font-weight: 700; }
  .rating__label { color: var(--_text-muted); line-height: 1.2; }
  .actions { display: flex; gap: var(--_space); justify-content: flex-end; align-items: center; flex-wrap: wrap; }
  .sent { color: var(--_success); font-weight: 600; }
  @container (max-width: 26rem) {
    .rating__options { grid-template-columns: 1fr; }
    .rating__option { grid-auto-flow: column; justify-content: start; }
  }
`;
