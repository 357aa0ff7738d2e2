import { css } from 'lit';
import { avatarStyles, buttonStyles, formStyles } from '../internal/parts.styles.js';

const own = css`
  :host {
    display: block;
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
    min-inline-size: 0;
  }
  .inline-field + .inline-field {
    margin-inline-start: 0;
  }
  .inline-field select {
    inline-size: auto;
    min-inline-size: min(12rem, 100%);
    max-inline-size: 100%;
  }
  @container (max-width: 30rem) {
    .composer__actions { justify-content: stretch; }
    .inline-field, .inline-field select { inline-size: 100%; min-inline-size: 0; }
  }
`;

export const composerStyles = [buttonStyles, formStyles, avatarStyles, own];
