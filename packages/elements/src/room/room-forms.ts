/**
 * The room's writing forms: a session note with its action items, and a shared resource. Loaded
 * with a dynamic `import()` the first time a participant opens the Notes or Resources tab, so a
 * page that only shows the room's conversation does not pay for them.
 *
 * The forms are uncontrolled (read through `FormData` on submit): nothing of them lives in the
 * room's state but the number of action-item rows, whether a send is in flight and its error.
 * @module
 */
import { html, nothing, type TemplateResult } from 'lit';
import { msg } from '@lit/localize';
import type { CreateSessionNote, CreateResource, NewActionItem, RoomMember } from '@menteo/api/rooms';
import { todayDateOnly } from '../internal/format.js';

/** What a form needs from the room. */
export interface FormContext {
  /** Prefix of element ids, unique per room. */
  id: string;
  members: readonly RoomMember[];
  sending: boolean;
  error: string | undefined;
  sent: string | undefined;
  onSubmit(e: SubmitEvent): void;
  onInput(): void;
}

/** Reads the note form: empty action-item rows are skipped. */
export function readNote(form: HTMLFormElement): CreateSessionNote | { invalid: 'summary' | 'sessionDate' } {
  const data = new FormData(form);
  const summary = String(data.get('summary') ?? '').trim();
  const sessionDate = String(data.get('sessionDate') ?? '');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(sessionDate)) return { invalid: 'sessionDate' };
  if (summary === '') return { invalid: 'summary' };
  const texts = data.getAll('itemText').map(String);
  const owners = data.getAll('itemOwner').map(String);
  const dues = data.getAll('itemDue').map(String);
  const actionItems: NewActionItem[] = [];
  texts.forEach((t, i) => {
    const text = t.trim();
    if (text === '') return;
    const ownerId = owners[i] ?? '';
    const dueDate = dues[i] ?? '';
    actionItems.push({ text, ...(ownerId ? { ownerId } : {}), ...(dueDate ? { dueDate } : {}) });
  });
  return { sessionDate, summary, ...(actionItems.length ? { actionItems } : {}) };
}

/** Reads the resource form. */
export function readResource(form: HTMLFormElement): CreateResource | { invalid: 'title' | 'url' } {
  const data = new FormData(form);
  const title = String(data.get('title') ?? '').trim();
  const url = String(data.get('url') ?? '').trim();
  const note = String(data.get('note') ?? '').trim();
  if (title === '') return { invalid: 'title' };
  if (!/^https?:\/\/\S+$/i.test(url)) return { invalid: 'url' };
  return { title, url, ...(note ? { note } : {}) };
}

function actions(ctx: FormContext, label: string, busy: string): TemplateResult {
  // The button stays enabled while sending (the handler ignores a second press): a disabled
  // button would drop keyboard focus to <body>.
  return html`<div class="form-actions">
    ${ctx.sent ? html`<p class="sent">${ctx.sent}</p>` : nothing}
    <span id="${ctx.id}-error" class="error-text">${ctx.error ?? nothing}</span>
    <button part="button" class="btn btn--primary" type="submit" aria-disabled=${ctx.sending ? 'true' : 'false'}>${ctx.sending ? busy : label}</button>
  </div>`;
}

/** The session-note form, with `rows` action-item rows and a button to add one more. */
export function noteForm(ctx: FormContext, rows: number, addRow: () => void): TemplateResult {
  const id = ctx.id;
  const people = ctx.members.filter((m) => m.role !== 'observer');
  return html`<details class="write" part="note-form">
    <summary>${msg('Write a session note')}</summary>
    <form novalidate @submit=${ctx.onSubmit} @input=${ctx.onInput} aria-label=${msg('New session note')}>
      <div class="field">
        <label for="${id}-date">${msg('Session date')}</label>
        <input id="${id}-date" name="sessionDate" type="date" required .value=${todayDateOnly()} />
      </div>
      <div class="field">
        <label for="${id}-summary">${msg('What did you talk about and agree?')}</label>
        <textarea id="${id}-summary" name="summary" rows="4" maxlength="8000" required aria-describedby="${id}-error"></textarea>
      </div>
      <fieldset class="action-rows">
        <legend>${msg('Action items')}</legend>
        ${Array.from({ length: rows }, (_, i) => html`<div class="action-row">
          <div class="field">
            <label for="${id}-item-${i}">${msg('Action item')} ${i + 1}</label>
            <input id="${id}-item-${i}" name="itemText" type="text" maxlength="500" autocomplete="off" />
          </div>
          <div class="field">
            <label for="${id}-owner-${i}">${msg('Owner')}</label>
            <select id="${id}-owner-${i}" name="itemOwner">
              <option value="">${msg('No owner')}</option>
              ${people.map((m) => html`<option value=${m.person.id}>${m.person.displayName}</option>`)}
            </select>
          </div>
          <div class="field">
            <label for="${id}-due-${i}">${msg('Due')}</label>
            <input id="${id}-due-${i}" name="itemDue" type="date" />
          </div>
        </div>`)}
        ${rows < 30 ? html`<button part="button" class="btn btn--ghost btn--small" type="button" @click=${addRow}>${msg('Add another action item')}</button>` : nothing}
      </fieldset>
      ${actions(ctx, msg('Save note'), msg('Saving…'))}
    </form>
  </details>`;
}

/** The share-a-resource form. */
export function resourceForm(ctx: FormContext): TemplateResult {
  const id = ctx.id;
  return html`<details class="write" part="resource-form">
    <summary>${msg('Share a resource')}</summary>
    <form novalidate @submit=${ctx.onSubmit} @input=${ctx.onInput} aria-label=${msg('New resource')}>
      <div class="field">
        <label for="${id}-title">${msg('Title')}</label>
        <input id="${id}-title" name="title" type="text" maxlength="200" required autocomplete="off" aria-describedby="${id}-error" />
      </div>
      <div class="field">
        <label for="${id}-url">${msg('Link (https://…)')}</label>
        <input id="${id}-url" name="url" type="url" required autocomplete="off" aria-describedby="${id}-error" />
      </div>
      <div class="field">
        <label for="${id}-note">${msg('Why it helps (optional)')}</label>
        <textarea id="${id}-note" name="note" rows="2" maxlength="1000"></textarea>
      </div>
      ${actions(ctx, msg('Share'), msg('Sharing…'))}
    </form>
  </details>`;
}
