import { css } from 'lit';
import { avatarStyles, buttonStyles, formStyles, markdownStyles, stateStyles } from '../internal/parts.styles.js';

const own = css`
  :host {
    display: block;
    container-type: inline-size;
  }
  .post {
    display: grid;
    gap: var(--_space);
    padding: calc(var(--_space) * 1.75);
    background: var(--_surface-raised);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    box-shadow: var(--_shadow);
    transition: border-color var(--_duration) ease;
  }
  .post:focus-visible {
    border-color: var(--_accent);
  }
  /* Pending shows as a dashed outline and "Posting…", not by fading: opacity took the meta text
     and the audience badge below the contrast minimum (axe, in the pending state). */
  .post--pending {
    border-style: dashed;
  }
  /* Wraps rather than hides: the audience badge says who can read the post, so it moves below
     the author in a narrow container instead of disappearing. */
  .post__header {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space);
    align-items: center;
  }
  .post__who {
    display: grid;
    flex: 1 1 10rem;
    min-inline-size: 0;
  }
  .post__author {
    font-weight: 650;
    overflow-wrap: anywhere;
  }
  /* No ellipsis: under the WCAG 1.4.12 text-spacing override and at 320 px an ellipsis hid the
     thread title and the time. */
  .post__meta {
    font-size: 0.8125em;
    color: var(--_text-muted);
    overflow-wrap: anywhere;
  }
  .post__body {
    overflow-wrap: anywhere;
  }
  .badge {
    display: inline-flex;
    align-items: center;
    gap: 0.25rem;
    margin: 0;
    padding-block: 0.125rem;
    padding-inline: 0.5rem;
    border-radius: 999px;
    font-size: 0.75em;
    font-weight: 600;
    background: var(--_surface);
    color: var(--_text-muted);
    max-inline-size: 100%;
  }
  .badge--room::before { content: '●'; font-size: 0.6em; }
  .badge--org::before { content: '◆'; font-size: 0.7em; }
  .badge--public::before { content: '○'; font-size: 0.7em; }
  .badge--milestone {
    justify-self: start;
    background: var(--_accent-soft);
    color: var(--_text);
    overflow-wrap: anywhere;
  }
  .badge--milestone a {
    color: inherit;
    text-decoration: underline;
    text-underline-offset: 0.15em;
  }
  .skills {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .skills li {
    font-size: 0.75em;
    padding-inline: 0.5rem;
    border-radius: 999px;
    border: 1px solid var(--_border);
    color: var(--_text-muted);
  }
  .skills li::before { content: '#'; }
  .post__footer,
  .post__actions {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space);
    align-items: center;
    justify-content: space-between;
  }
  .reactions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem;
  }
  .reaction {
    min-inline-size: 2.5rem;
    gap: 0.25rem;
  }
  .btn--danger {
    background: var(--_danger);
    border-color: var(--_danger);
    color: var(--_bg);
  }
  .delete-confirm {
    display: grid;
    gap: calc(var(--_space) / 2);
    flex-basis: 100%;
  }
  .delete-confirm__text {
    margin: 0;
    font-size: 0.875em;
  }
  .delete-confirm .error-text {
    margin: 0;
  }
  .delete-confirm__actions {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space);
  }
  .comments {
    display: grid;
    gap: var(--_space);
    border-block-start: 1px solid var(--_border);
    padding-block-start: var(--_space);
  }
  .comment-list {
    display: grid;
    gap: var(--_space);
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .comment {
    display: flex;
    gap: var(--_space);
  }
  .comment__content {
    min-inline-size: 0;
    overflow-wrap: anywhere;
  }
  .comment__meta {
    font-size: 0.8125em;
    color: var(--_text-muted);
  }
  .comment-form {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space);
    align-items: flex-start;
  }
  .comment-form textarea {
    flex: 1;
    min-inline-size: min(12rem, 100%);
    inline-size: auto;
    min-block-size: 2.25rem;
  }
  .comment-form .error-text {
    flex-basis: 100%;
    margin: 0;
  }
`;

export const postStyles = [buttonStyles, formStyles, avatarStyles, stateStyles, markdownStyles, own];
