/**
 * Styles of the shared parts (buttons, form controls, avatar, states, markdown). Logical
 * properties throughout so right-to-left layouts mirror without extra rules.
 * @module
 */
import { css } from 'lit';

/** The card every widget sits on: a raised surface with border, radius and shadow, sized by its container. */
export const cardStyles = css`
  :host {
    container-type: inline-size;
    padding: calc(var(--_space) * 2);
    background: var(--_surface-raised);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    box-shadow: var(--_shadow);
  }
`;

export const buttonStyles = css`
  .btn {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: calc(var(--_space) * 0.75);
    min-block-size: 2.25rem;
    padding-block: 0.375rem;
    padding-inline: 0.875rem;
    border: 1px solid var(--_border);
    border-radius: var(--_radius-sm);
    background: var(--_surface-raised);
    color: var(--_text);
    font: inherit;
    font-weight: 550;
    cursor: pointer;
    /* Border only: animating background would pass through unreadable colours when the theme flips. */
    transition: border-color var(--_duration) ease;
  }
  .btn:hover {
    border-color: var(--_accent);
  }
  .btn--primary {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_on-accent);
  }
  .btn--primary:hover {
    background: color-mix(in oklab, var(--_accent) 88%, black);
  }
  .btn--ghost {
    background: transparent;
    border-color: transparent;
    color: var(--_text-muted);
  }
  .btn--ghost:hover {
    background: var(--_surface);
    color: var(--_text);
    border-color: transparent;
  }
  .btn--danger {
    background: var(--_danger);
    border-color: var(--_danger);
    color: var(--_bg);
  }
  .btn--small {
    min-block-size: 1.875rem;
    padding-inline: 0.625rem;
    font-size: 0.875em;
  }
  .btn[disabled],
  .btn[aria-disabled='true'] {
    opacity: 0.55;
    cursor: not-allowed;
  }
  .btn[aria-pressed='true'] {
    background: var(--_accent-soft);
    border-color: var(--_accent);
    color: var(--_text);
  }
`;

export const formStyles = css`
  .field {
    display: grid;
    gap: 0.25rem;
  }
  .field > label,
  .label {
    font-size: 0.875em;
    font-weight: 600;
    color: var(--_text-muted);
  }
  textarea,
  input,
  select {
    font: inherit;
    color: var(--_text);
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius-sm);
    padding-block: 0.5rem;
    padding-inline: 0.625rem;
    min-block-size: 2.25rem;
    inline-size: 100%;
  }
  textarea {
    resize: vertical;
    min-block-size: 4.5rem;
    line-height: 1.45;
  }
  textarea:focus-visible,
  input:focus-visible,
  select:focus-visible {
    border-color: var(--_accent);
  }
  [aria-invalid='true'] {
    border-color: var(--_danger);
  }
  .hint {
    font-size: 0.8125em;
    color: var(--_text-muted);
  }
  .error-text {
    font-size: 0.8125em;
    color: var(--_danger);
  }
`;

export const avatarStyles = css`
  .avatar {
    display: inline-grid;
    place-items: center;
    flex: none;
    border-radius: 50%;
    overflow: hidden;
    font-weight: 650;
    letter-spacing: 0.02em;
    color: light-dark(#1b1f27, #f1f2f5);
    user-select: none;
  }
  .avatar--md {
    inline-size: 2.25rem;
    block-size: 2.25rem;
    font-size: 0.8125rem;
  }
  .avatar--sm {
    inline-size: 1.5rem;
    block-size: 1.5rem;
    font-size: 0.625rem;
  }
  .avatar img {
    inline-size: 100%;
    block-size: 100%;
    object-fit: cover;
  }
  .avatar--a { background: light-dark(#e3defe, #3b3470); }
  .avatar--b { background: light-dark(#d8f0e6, #1e4a39); }
  .avatar--c { background: light-dark(#fde6d2, #5b3a1e); }
  .avatar--d { background: light-dark(#d6e9fb, #1d3c5e); }
  .avatar--e { background: light-dark(#fbdde7, #5a2438); }
  .avatar--f { background: light-dark(#ebeef2, #373d48); }
`;

export const stateStyles = css`
  .state {
    display: grid;
    justify-items: center;
    gap: var(--_space);
    padding-block: calc(var(--_space) * 4);
    padding-inline: calc(var(--_space) * 2);
    text-align: center;
    color: var(--_text-muted);
  }
  .state p {
    margin: 0;
  }
  .state__title {
    color: var(--_text);
    font-weight: 550;
  }
  .state__hint {
    max-inline-size: 36ch;
  }
  .state__icon {
    inline-size: 2rem;
    block-size: 2rem;
    fill: none;
    stroke: currentColor;
    stroke-width: 1.5;
    stroke-linejoin: round;
    stroke-linecap: round;
  }
  .state--error .state__icon {
    stroke: var(--_danger);
  }
  .state--loading {
    grid-auto-flow: column;
    justify-content: center;
  }
  .spinner {
    inline-size: 1rem;
    block-size: 1rem;
    border-radius: 50%;
    border: 2px solid var(--_border);
    border-block-start-color: var(--_accent);
    animation: menteo-spin calc(var(--_duration) * 5) linear infinite;
  }
  @media (prefers-reduced-motion: reduce) {
    .spinner {
      animation: none;
    }
  }
  @keyframes menteo-spin {
    to {
      transform: rotate(1turn);
    }
  }
`;

export const markdownStyles = css`
  .md > :first-child { margin-block-start: 0; }
  .md > :last-child { margin-block-end: 0; }
  .md p,
  .md ul,
  .md ol,
  .md blockquote,
  .md pre {
    margin-block: 0.5em;
  }
  .md ul,
  .md ol {
    padding-inline-start: 1.25em;
  }
  .md blockquote {
    margin-inline: 0;
    padding-inline-start: 0.75em;
    border-inline-start: 3px solid var(--_border);
    color: var(--_text-muted);
  }
  .md code {
    font-family: var(--_mono);
    font-size: 0.9em;
    background: var(--_surface);
    border-radius: 0.25rem;
    padding-inline: 0.25em;
  }
  .md pre {
    background: var(--_surface);
    border-radius: var(--_radius-sm);
    padding: 0.625rem 0.75rem;
    overflow-x: auto;
  }
  .md pre code {
    background: none;
    padding: 0;
  }
  .md a {
    color: var(--_accent);
    text-underline-offset: 0.15em;
    overflow-wrap: anywhere;
  }
`;
