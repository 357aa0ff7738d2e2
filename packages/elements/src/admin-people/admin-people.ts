import { html, nothing, css, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import { msg, str } from '@lit/localize';
import type { Person, PersonRole } from '@menteo/api/people';
import { MenteoElement } from '../internal/menteo-element.js';
import { MenteoWidget } from '../internal/widget.js';
import { describeError } from '../internal/errors.js';
import { buttonStyles, formStyles, stateStyles } from '../internal/parts.styles.js';
import { MenteoErrorEvent } from '../events.js';

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
`;

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
 * People of the organization for admins: search by name or email, filter by role, and see each
 * person's roles and whether they are active. Changing roles or deactivating someone takes a
 * secret API key (`PATCH /v1/people/{id}`) or the identity provider through SCIM; the screen says
 * so rather than offering buttons that an access token cannot use.
 *
 * @summary People search for admins: roles and status.
 * @tag menteo-admin-people
 *
 * @fires {MenteoErrorEvent} menteo-error - A search failed.
 */
export class MenteoAdminPeople extends MenteoWidget {
  static override styles = [MenteoElement.styles, buttonStyles, formStyles, stateStyles, styles];

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
      this.more = page.nextCursor !== null;
      this.announcer.polite(page.items.length ? msg(str`${page.items.length} people found.`) : msg('No one found.'));
    } catch (err) {
      this.dispatchEvent(new MenteoErrorEvent('people-search', err));
      this.error = describeError(err);
    } finally {
      this.searching = false;
    }
  }

  private renderResults(people: Person[]): TemplateResult {
    if (!people.length) return html`<p>${msg('No one matches.')}</p>`;
    return html`<div class="table-wrap">
        <table>
          <caption>${msg(str`People found (${people.length})`)}</caption>
          <thead><tr><th scope="col">${msg('Name')}</th><th scope="col">${msg('Email')}</th><th scope="col">${msg('Roles')}</th><th scope="col">${msg('Status')}</th></tr></thead>
          <tbody>
            ${people.map(
              (p) => html`<tr>
                <th scope="row">${p.displayName}</th>
                <td>${p.email ?? '—'}</td>
                <td>${p.roles.map(roleText).join(', ')}</td>
                <td>${p.active ? msg('Active') : msg('Deactivated')}</td>
              </tr>`,
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
        ${msg('Roles and deactivation are changed by your identity provider (SCIM) or with a secret API key (PATCH /v1/people/{id}); a console session cannot change them.')}
      </p>
      ${this.announcer.render()}`;
  }
}
