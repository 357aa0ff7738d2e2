import { html, nothing, css, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import { msg, str } from '@lit/localize';
import type { Person, PersonRole } from '@menteo/api/people';
import { MenteoElement } from '../internal/menteo-element.js';
import { MenteoWidget } from '../internal/widget.js';
import { can } from '../internal/session-consumer.js';
import { describeError } from '../internal/errors.js';
import { buttonStyles, formStyles, stateStyles } from '../internal/parts.styles.js';
import { MenteoErrorEvent } from '../events.js';
import { describeAdminError } from '../admin-shared/admin-errors.js';
import { adminPartsStyles, confirmation } from '../admin-shared/admin-parts.js';

const styles = css`
  :host { display: grid; gap: calc(var(--_space) * 2); }
  h2, p { margin: 0; }
  h2 { font-size: 1.125em; }
  form { display: flex; flex-wrap: wrap; gap: var(--_space); align-items: end; }
  form .field { flex: 1 1 12rem; }
  table { border-collapse: collapse; font-size: 0.875em; inline-size: 100%; }
  caption { text-align: start; font-weight: 650; padding-block-end: 0.25rem; }
  th, td { text-align: start; padding: 0.25rem 0.5rem; border-block-end: 1px solid var(--_border); vertical-align: top; overflow-wrap: anywhere; }
  .table-wrap { overflow-x: auto; }
  .muted { color: var(--_text-muted); font-size: 0.8125em; }
  fieldset { border: 1px solid var(--_border); border-radius: var(--_radius-sm); display: flex; flex-wrap: wrap; gap: var(--_space); margin: 0; }
  fieldset label { display: inline-flex; gap: 0.375rem; align-items: center; }
  fieldset input { inline-size: auto; min-block-size: auto; }
  .edit { display: grid; gap: var(--_space); }
`;

/** An open panel under a person's row: their roles being edited, or a change of status being confirmed. */
interface Panel {
  readonly personId: string;
  readonly kind: 'roles' | 'status';
}

const ROLES: readonly PersonRole[] = ['member', 'mentor', 'admin'];

/** Results shown per search. */
const LIMIT = 50;

function roleText(role: PersonRole): string {
  switch (role) {
    case 'member':
      return msg('Member');
    case 'mentor':
      return msg('Mentor');
    case 'admin':
      return msg('Admin');
  }
}

/**
 * People of the organization for admins: search by name or email, filter by role, see each
 * person's roles and whether they are active, change their roles, and deactivate or reactivate
 * them after a confirmation (`PATCH /v1/people/{id}`, which an admin's console session may call).
 * The server keeps at least one active admin: the screen shows its refusal when the change would
 * remove the last one. Where an identity provider manages people through SCIM, its next sync wins.
 *
 * Needs a session with the `org:admin` scope (and `people:write` to change people).
 *
 * @summary People for admins: search, roles, deactivation.
 * @tag menteo-admin-people
 *
 * @fires {MenteoErrorEvent} menteo-error - A search or a change failed.
 */
export class MenteoAdminPeople extends MenteoWidget {
  static override styles = [MenteoElement.styles, buttonStyles, formStyles, stateStyles, adminPartsStyles, styles];

  @state() private panel: Panel | undefined;
  @state() private busy = false;
  @state() private panelError: string | undefined;

  @state() private results: Person[] | undefined;
  @state() private more = false;
  @state() private error: string | undefined;
  @state() private searching = false;

  private async search(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const client = this.session?.client;
    const data = new FormData(e.target as HTMLFormElement);
    if (!client || this.searching) return;
    const q = String(data.get('q') ?? '').trim();
    const role = String(data.get('role') ?? '');
    this.searching = true;
    this.error = undefined;
    try {
      const page = await client.people.list({ limit: LIMIT, ...(q ? { q } : {}), ...(role ? { role: role as PersonRole } : {}) });
      this.results = page.items;
      this.panel = undefined;
      this.more = page.nextCursor !== null;
      this.announcer.polite(page.items.length ? msg(str`${page.items.length} people found.`) : msg('No one found.'));
    } catch (err) {
      this.dispatchEvent(new MenteoErrorEvent('people-search', err));
      this.error = describeError(err);
    } finally {
      this.searching = false;
    }
  }

  private open(panel: Panel): void {
    this.panel = panel;
    this.panelError = undefined;
    void this.updateComplete.then(() => {
      // The panel's first control: the first role, or Cancel (the safe choice) for a confirmation.
      const target = panel.kind === 'roles' ? '.edit input' : '.confirm [data-cancel]';
      this.renderRoot.querySelector<HTMLElement>(target)?.focus();
    });
  }

  private close(): void {
    const panel = this.panel;
    this.panel = undefined;
    this.panelError = undefined;
    if (!panel) return;
    // Focus goes back to the button that opened the panel.
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`[data-person="${panel.personId}"] [data-action="${panel.kind}"]`)?.focus());
  }

  private async change(person: Person, body: { roles?: PersonRole[]; active?: boolean }, done: string): Promise<void> {
    const client = this.session?.client;
    if (!client || this.busy) return;
    this.busy = true;
    this.panelError = undefined;
    try {
      const updated = await client.people.update(person.id, body);
      this.results = this.results?.map((p) => (p.id === updated.id ? updated : p));
      this.announcer.polite(done);
      this.close();
    } catch (err) {
      this.dispatchEvent(new MenteoErrorEvent('person-update', err));
      this.panelError = describeAdminError(err);
    } finally {
      this.busy = false;
    }
  }

  private saveRoles(e: SubmitEvent, person: Person): void {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    const roles = ROLES.filter((r) => data.getAll('role').includes(r));
    if (!roles.length) {
      this.panelError = msg('Choose at least one role.');
      return;
    }
    void this.change(person, { roles }, msg(str`Roles of ${person.displayName} saved.`));
  }

  private renderPanel(person: Person, panel: Panel): TemplateResult {
    if (panel.kind === 'roles') {
      return html`<form class="edit" @submit=${(e: SubmitEvent) => this.saveRoles(e, person)} @keydown=${(e: KeyboardEvent) => {
        if (e.key === 'Escape') this.close();
      }}>
        <fieldset>
          <legend>${msg(str`Roles of ${person.displayName}`)}</legend>
          ${ROLES.map((r) => html`<label><input type="checkbox" name="role" value=${r} ?checked=${person.roles.includes(r)} />${roleText(r)}</label>`)}
        </fieldset>
        ${this.panelError ? html`<p class="error-text" role="alert">${this.panelError}</p>` : nothing}
        <div class="actions">
          <button class="btn btn--primary" type="submit" aria-disabled=${this.busy ? 'true' : 'false'}>${msg('Save roles')}</button>
          <button class="btn" type="button" @click=${() => this.close()}>${msg('Cancel')}</button>
        </div>
      </form>`;
    }
    const deactivate = person.active;
    return confirmation({
      id: `confirm-${person.id}`,
      question: deactivate ? msg(str`Deactivate ${person.displayName}?`) : msg(str`Reactivate ${person.displayName}?`),
      consequence: deactivate
        ? msg('They are signed out at once and can no longer sign in; their rooms, posts and history stay.')
        : msg('They can sign in again and get back their rooms.'),
      confirmLabel: deactivate ? msg('Deactivate') : msg('Reactivate'),
      busy: this.busy,
      error: this.panelError,
      onConfirm: () => void this.change(person, { active: !deactivate },
        deactivate ? msg(str`${person.displayName} is deactivated.`) : msg(str`${person.displayName} is active again.`)),
      onCancel: () => this.close(),
    });
  }

  private renderResults(people: Person[]): TemplateResult {
    if (!people.length) return html`<p>${msg('No one matches.')}</p>`;
    const panel = this.panel;
    // A session without people:write (a widget's, not the console's) is not offered changes it could not make.
    const edits = can(this.session?.me, 'people:write');
    return html`<div class="table-wrap">
        <table>
          <caption>${msg(str`People found (${people.length})`)}</caption>
          <thead><tr><th scope="col">${msg('Name')}</th><th scope="col">${msg('Email')}</th><th scope="col">${msg('Roles')}</th><th scope="col">${msg('Status')}</th>${edits ? html`<th scope="col">${msg('Actions')}</th>` : nothing}</tr></thead>
          <tbody>
            ${people.map(
              (p) => html`<tr data-person=${p.id}>
                  <th scope="row">${p.displayName}</th>
                  <td>${p.email ?? '—'}</td>
                  <td>${p.roles.map(roleText).join(', ')}</td>
                  <td>${p.active ? msg('Active') : msg('Deactivated')}</td>
                  ${edits ? html`<td class="actions">
                    <button class="btn btn--small" type="button" data-action="roles" aria-expanded=${panel?.personId === p.id && panel.kind === 'roles' ? 'true' : 'false'}
                      aria-label=${msg(str`Change the roles of ${p.displayName}`)} @click=${() => this.open({ personId: p.id, kind: 'roles' })}>${msg('Roles…')}</button>
                    <button class="btn btn--small" type="button" data-action="status" aria-expanded=${panel?.personId === p.id && panel.kind === 'status' ? 'true' : 'false'}
                      aria-label=${p.active ? msg(str`Deactivate ${p.displayName}`) : msg(str`Reactivate ${p.displayName}`)}
                      @click=${() => this.open({ personId: p.id, kind: 'status' })}>${p.active ? msg('Deactivate…') : msg('Reactivate…')}</button>
                  </td>` : nothing}
                </tr>
                ${panel?.personId === p.id ? html`<tr class="panel"><td colspan="5">${this.renderPanel(p, panel)}</td></tr>` : nothing}`,
            )}
          </tbody>
        </table>
      </div>
      ${this.more ? html`<p class="muted">${msg(str`The first ${LIMIT}; narrow the search to see others.`)}</p>` : nothing}`;
  }

  protected override render(): TemplateResult {
    const gate = this.renderSessionGate();
    if (gate !== undefined) return html`<h2>${msg('People')}</h2>${gate}`;
    this.setViewState('ready');
    return html`<h2>${msg('People')}</h2>
      <form role="search" @submit=${(e: SubmitEvent) => void this.search(e)}>
        <div class="field"><label for="people-q">${msg('Name or email')}</label><input id="people-q" name="q" type="search" maxlength="100" /></div>
        <div class="field">
          <label for="people-role">${msg('Role')}</label>
          <select id="people-role" name="role">
            <option value="">${msg('Any role')}</option>
            <option value="member">${msg('Member')}</option>
            <option value="mentor">${msg('Mentor')}</option>
            <option value="admin">${msg('Admin')}</option>
          </select>
        </div>
        <button class="btn btn--primary" type="submit" aria-disabled=${this.searching ? 'true' : 'false'}>${msg('Search')}</button>
      </form>
      ${this.error ? html`<p class="error-text" role="alert">${this.error}</p>` : nothing}
      ${this.results ? this.renderResults(this.results) : nothing}
      <p class="muted">
        ${can(this.session?.me, 'people:write')
          ? msg('Where your identity provider manages people (SCIM), it may change them again at its next sync.')
          : msg('Changing roles or deactivating someone takes a session with the people:write scope, such as the admin console\'s sign-in link.')}
      </p>
      ${this.announcer.render()}`;
  }
}
