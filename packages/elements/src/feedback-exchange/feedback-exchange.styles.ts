import { css } from 'lit';
import { avatarStyles, buttonStyles, cardStyles, formStyles, stateStyles } from '../internal/parts.styles.js';

const own = css`
  :host { display: grid; gap: calc(var(--_space) * 1.5); }
  h2, h3, p { margin: 0; }
  h2 { font-size: 1.0625em; }
  h3 { font-size: 0.9375em; }
  section { display: grid; gap: var(--_space); }
  form { display: grid; gap: var(--_space); }
  .actions { display: flex; flex-wrap: wrap; gap: var(--_space); align-items: center; justify-content: flex-end; }
  .sent { color: var(--_success); font-weight: 600; }
  .list { margin: 0; padding: 0; list-style: none; display: grid; gap: var(--_space); }
  .entry { display: grid; gap: 0.25rem; padding: var(--_space); border: 1px solid var(--_border); border-radius: var(--_radius-sm); overflow-wrap: anywhere; }
  .request { border-inline-start: 4px solid var(--_accent); }
  .meta { display: flex; flex-wrap: wrap; gap: 0.25rem 0.75rem; align-items: center; font-size: 0.8125em; color: var(--_text-muted); }
  .meta strong { color: var(--_text); }
  .rating { font-weight: 650; color: var(--_text); }
  .muted { color: var(--_text-muted); font-size: 0.875em; }
  menteo-feedback { box-shadow: none; padding: 0; border: none; }
`;

export const feedbackExchangeStyles = [cardStyles, buttonStyles, formStyles, avatarStyles, stateStyles, own];
