import { css } from 'lit';
import { avatarStyles, buttonStyles, formStyles, markdownStyles, stateStyles } from '../internal/parts.styles.js';

const own = css`
  :host {
    --_post-gap: calc(var(--_space) * 1.5);
    display: grid;
    gap: calc(var(--_space) * 2);
    container-type: inline-size;
  }
  .composer {
    display: grid;
    gap: var(--_space);
    padding: calc(var(--_space) * 1.5);
    background: var(--_surface-raised);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    box-shadow: var(--_shadow);
  }
  .composer__row {
    display: flex;
    gap: var(--_space);
    align-items: flex-start;
  }
  .composer__field {
    flex: 1;
    min-inline-size: 0;
  }
  .composer__actions {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space);
    align-items: end;
    justify-content: flex-end;
  }
  .inline-field {
    display: grid;
    gap: 0.125rem;
    margin-inline-end: auto;
  }
  .inline-field + .inline-field {
    margin-inline-start: 0;
  }
  .inline-field select {
    inline-size: auto;
    min-inline-size: 12rem;
  }
  [role='feed'] {
    display: block;
    /* Native scroll anchoring keeps the reader's place when heights above them change. */
    overflow-anchor: auto;
  }
  .spacer {
    overflow-anchor: none;
  }
  .post {
    display: grid;
    gap: var(--_space);
    margin-block-end: var(--_post-gap);
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
  .post__header {
    display: flex;
    gap: var(--_space);
    align-items: center;
  }
  .post__who {
    display: grid;
    flex: 1;
    min-inline-size: 0;
  }
  .post__author {
    font-weight: 650;
  }
  .post__meta {
    font-size: 0.8125em;
    color: var(--_text-muted);
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
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
    white-space: nowrap;
  }
  .badge--room::before { content: '●'; font-size: 0.6em; }
  .badge--org::before { content: '◆'; font-size: 0.7em; }
  .badge--public::before { content: '○'; font-size: 0.7em; }
  .badge--milestone {
    justify-self: start;
    background: var(--_accent-soft);
    color: var(--_text);
    white-space: normal;
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
  .post__footer {
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
    min-inline-size: 12rem;
    inline-size: auto;
    min-block-size: 2.25rem;
  }
  .comment-form .error-text {
    flex-basis: 100%;
    margin: 0;
  }
  .new-posts {
    position: sticky;
    inset-block-start: var(--_space);
    z-index: 1;
    display: flex;
    justify-content: center;
  }
  .load-more {
    justify-self: center;
  }
  .end {
    margin: 0;
    text-align: center;
    color: var(--_text-muted);
    font-size: 0.875em;
  }
  @container (max-width: 30rem) {
    .composer__actions { justify-content: stretch; }
    .inline-field, .inline-field select { inline-size: 100%; min-inline-size: 0; }
    .post__header .badge { display: none; }
  }
`;

export const threadFeedStyles = [buttonStyles, formStyles, avatarStyles, stateStyles, markdownStyles, own];
