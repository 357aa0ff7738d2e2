/**
 * Parts the admin screens share: a secret shown once (API keys, SCIM tokens, install links) with a
 * copy button, an inline confirmation before an action that cannot be undone from here, and the
 * styles of both. Render functions, not elements: each screen keeps its own state and focus.
 * @module
 */
import { css, html, nothing, type TemplateResult } from 'lit';
import { msg } from '@lit/localize';

/** Styles of {@link shownOnce} and {@link confirmation}, and the admin tables' row actions. */
export const adminPartsStyles = css`
  .once, .confirm { display: grid; gap: var(--_space); padding: var(--_space); border: 2px solid var(--_accent); border-radius: var(--_radius-sm); background: var(--_surface); min-inline-size: 0; }
  .confirm { border-color: var(--_danger); }
  .once p, .confirm p { margin: 0; }
  .once .row, .confirm .row, .actions { display: flex; flex-wrap: wrap; gap: calc(var(--_space) * 0.5); align-items: center; }
  .once input { font-family: var(--_mono); flex: 1 1 14rem; min-inline-size: 0; }
`;

/** What {@link shownOnce} shows. */
export interface ShownOnce {
  /** The element id of the read-only field holding the secret (unique in the screen). */
  readonly id: string;
  /** What the secret is, as the field's label (e.g. "Secret of Intranet backend"). */
  readonly label: string;
  readonly secret: string;
  /** A sentence under the field: where to put it. */
  readonly note: string;
  readonly onCopy: (field: HTMLInputElement) => void;
  readonly onDone: () => void;
}

/**
 * A secret shown once: a read-only field (selectable, so copying by hand works too), a copy
 * button, the warning that it will not be shown again, and a button to put it away.
 */
export function shownOnce(s: ShownOnce): TemplateResult {
  return html`<div class="once" role="group" aria-labelledby="${s.id}-label">
    <p class="field">
      <label id="${s.id}-label" for=${s.id}>${s.label}</label>
    </p>
    <div class="row">
      <input id=${s.id} type="text" readonly .value=${s.secret} spellcheck="false" autocomplete="off" />
      <button class="btn btn--primary" type="button" @click=${(e: Event) => s.onCopy((e.currentTarget as HTMLElement).parentElement!.querySelector('input')!)}>${msg('Copy')}</button>
    </div>
    <p><strong>${msg('Copy it now: it is shown only this once.')}</strong> ${s.note}</p>
    <div class="row"><button class="btn" type="button" data-once-done @click=${s.onDone}>${msg('Done, I have stored it')}</button></div>
  </div>`;
}

/**
 * Copies a secret field's value to the clipboard; where the browser refuses (no permission, an
 * insecure page), selects the text so Ctrl+C copies it. Resolves to the sentence to announce.
 */
export async function copySecret(field: HTMLInputElement): Promise<string> {
  try {
    // A browser may hold the write on a permission prompt that never comes (an unfocused or
    // headless page): after a second, selecting the text is the better help.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('clipboard timeout')), 1000);
    });
    try {
      await Promise.race([navigator.clipboard.writeText(field.value), late]);
    } finally {
      clearTimeout(timer);
    }
    return msg('Copied to the clipboard.');
  } catch {
    field.focus();
    field.select();
    return msg('The text is selected: press Ctrl+C (or ⌘+C) to copy it.');
  }
}

/** What {@link confirmation} asks. */
export interface Confirmation {
  readonly id: string;
  readonly question: string;
  /** What happens, in a sentence (signed out at once, an integration stops…). */
  readonly consequence: string;
  readonly confirmLabel: string;
  readonly busy: boolean;
  readonly error?: string | undefined;
  readonly onConfirm: () => void;
  readonly onCancel: () => void;
}

/**
 * An inline confirmation, placed next to what it is about. The screen moves focus to its Cancel
 * button (the safe choice) when it opens, and Escape cancels.
 */
export function confirmation(c: Confirmation): TemplateResult {
  return html`<div class="confirm" role="group" aria-labelledby="${c.id}-q" @keydown=${(e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      c.onCancel();
    }
  }}>
    <p id="${c.id}-q"><strong>${c.question}</strong> ${c.consequence}</p>
    ${c.error ? html`<p class="error-text" role="alert">${c.error}</p>` : nothing}
    <div class="row">
      <button class="btn btn--danger" type="button" data-confirm aria-disabled=${c.busy ? 'true' : 'false'} @click=${() => {
        if (!c.busy) c.onConfirm();
      }}>${c.confirmLabel}</button>
      <button class="btn" type="button" data-cancel @click=${c.onCancel}>${msg('Cancel')}</button>
    </div>
  </div>`;
}
