import { html, nothing, css, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import { Task, initialState } from '@lit/task';
import { msg, str } from '@lit/localize';
import { listAuditLog, type AuditEntry } from '@menteo/api/audit';
import type { ApiKey, CreatedApiKey, Organization } from '@menteo/api/people';
import type { Scope } from '@menteo/api/scopes';
import { MenteoElement } from '../internal/menteo-element.js';
import { MenteoWidget, type ViewState } from '../internal/widget.js';
import { describeError } from '../internal/errors.js';
import { formatDateTime } from '../internal/format.js';
import { errorState, loadingState } from '../internal/parts.js';
import { buttonStyles, formStyles, stateStyles } from '../internal/parts.styles.js';
import { MenteoErrorEvent } from '../events.js';
import { describeAdminError } from '../admin-shared/admin-errors.js';
import { adminPartsStyles, confirmation, copySecret, shownOnce } from '../admin-shared/admin-parts.js';

/** Audit entries shown per page. */
const PAGE = 50;

const styles = css`
  :host { display: grid; gap: calc(var(--_space) * 2); }
  h2, h3, p { margin: 0; }
  h2 { font-size: 1.125em; }
  h3 { font-size: 1em; }
  section.card { display: grid; gap: var(--_space); padding: calc(var(--_space) * 1.5); border: 1px solid var(--_border); border-radius: var(--_radius-sm); min-inline-size: 0; }
  ul.plain { margin: 0; padding-inline-start: 1.25rem; }
  code { font-family: var(--_mono); font-size: 0.875em; overflow-wrap: anywhere; }
  table { border-collapse: collapse; font-size: 0.875em; inline-size: 100%; }
  caption { text-align: start; font-weight: 650; padding-block-end: 0.25rem; }
  th, td { text-align: start; padding: 0.25rem 0.5rem; border-block-end: 1px solid var(--_border); vertical-align: top; overflow-wrap: anywhere; }
  .table-wrap { overflow-x: auto; }
  .muted { color: var(--_text-muted); font-size: 0.8125em; }
  .status { font-weight: 650; }
  form.inline { display: flex; flex-wrap: wrap; gap: var(--_space); align-items: end; }
  form.inline .field { flex: 1 1 14rem; }
  form.key { display: grid; gap: var(--_space); }
  fieldset { border: 1px solid var(--_border); border-radius: var(--_radius-sm); display: flex; flex-wrap: wrap; gap: calc(var(--_space) * 0.5) calc(var(--_space) * 1.5); margin: 0; min-inline-size: 0; }
  fieldset label { display: inline-flex; gap: 0.375rem; align-items: center; font-family: var(--_mono); font-size: 0.875em; }
  fieldset input { inline-size: auto; min-block-size: auto; }
  li.origin { display: flex; flex-wrap: wrap; gap: var(--_space); align-items: center; }
`;

/** The shape of an origin the server accepts (scheme, host, optional port; no path). */
const ORIGIN = /^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i;

/** API keys listed; an organization has a handful. */
const KEYS = 100;

/** What is being confirmed: removing an origin, or revoking a key. */
type Pending = { readonly kind: 'origin'; readonly origin: string } | { readonly kind: 'key'; readonly key: ApiKey };

/** Who acted, in words: a person by id (names are the People screen's), or an API key. */
function actor(e: AuditEntry): string {
  return e.actor.kind === 'key' ? msg(str`API key ${e.actor.keyId ?? ''}`) : msg(str`Person ${e.actor.personId ?? ''}`);
}

/** A value recorded before or after a change, in words (roles and scopes joined). */
function shown(value: string | boolean | string[] | undefined): string {
  return Array.isArray(value) ? value.join(', ') : String(value ?? '');
}

/** What an admin change did, in words; `undefined` for a read or a setting change. */
function changeWhat(e: AuditEntry): string | undefined {
  const target = e.resource;
  switch (e.action) {
    case 'person.created': return msg(str`Added person ${target}`);
    case 'person.roles_changed': return msg(str`Changed the roles of ${target}: ${shown(e.values?.before?.['roles'])} → ${shown(e.values?.after?.['roles'])}`);
    case 'person.deactivated': return msg(str`Deactivated ${target}`);
    case 'person.reactivated': return msg(str`Reactivated ${target}`);
    case 'api_key.created': return msg(str`Created API key ${target} (scopes: ${shown(e.values?.after?.['scopes'])})`);
    case 'api_key.revoked': return msg(str`Revoked API key ${target}`);
    case 'origin.added': return msg(str`Allowed origin ${target}`);
    case 'origin.removed': return msg(str`Removed origin ${target}`);
    case 'embed_key.created': return msg(str`Created embed key ${target}`);
    case 'embed_key.revoked': return msg(str`Revoked embed key ${target}`);
    case 'scim_token.created': return msg(str`Created SCIM token ${target}`);
    case 'scim_token.revoked': return msg(str`Revoked SCIM token ${target}`);
    case 'lti_platform.registered': return msg(str`Registered LTI platform ${target}`);
    default: return undefined;
  }
}

function what(e: AuditEntry): string {
  if (e.action === 'setting.changed' && e.change) {
    return e.change.to ? msg('Turned admin access to room content on') : msg('Turned admin access to room content off');
  }
  return changeWhat(e) ?? msg(str`Read ${e.resource} of room ${e.roomId ?? ''}`);
}

/**
 * The organization's settings for admins: the origins allowed to embed Menteo (add, remove),
 * the API keys of host backends and scripts (create with scopes and see the secret once, list,
 * revoke), whether admins may read room content, and the audit log of such reads and of every
 * change of that setting. The content-access setting itself is changed with a secret API key
 * (`PATCH /v1/organization`): an admin does not open room content to themselves.
 *
 * Needs a session with the `org:admin` scope. Usually shown by `<menteo-admin-console>`.
 *
 * @summary Allowed origins, API keys, admin content access and its audit log, for admins.
 *
 * @tag menteo-admin-settings
 *
 * @csspart state - Loading and error states.
 *
 * @fires {MenteoErrorEvent} menteo-error - Loading or a change failed.
 */
export class MenteoAdminSettings extends MenteoWidget {
  static override styles = [MenteoElement.styles, buttonStyles, formStyles, stateStyles, adminPartsStyles, styles];

  @state() private org: Organization | undefined;
  @state() private keys: ApiKey[] = [];
  @state() private created: CreatedApiKey | undefined;
  @state() private pending: Pending | undefined;
  @state() private busy = false;
  @state() private originError: string | undefined;
  @state() private keyError: string | undefined;
  @state() private pendingError: string | undefined;
  @state() private entries: AuditEntry[] = [];
  @state() private nextCursor: string | null = null;
  @state() private loadingMore = false;

  private readonly loadTask = new Task(this, {
    args: () => [this.session?.client] as const,
    task: async ([client], { signal }): Promise<Organization | typeof initialState> => {
      if (client === undefined) return initialState;
      try {
        const [org, audit, keys] = await Promise.all([
          client.organization.get({ signal }),
          client.list(listAuditLog, { query: { limit: PAGE }, signal }),
          client.apiKeys.list({ limit: KEYS }, { signal }),
        ]);
        this.entries = audit.items;
        this.nextCursor = audit.nextCursor;
        this.keys = keys.items;
        this.org = org;
        return org;
      } catch (e) {
        this.reportLoadError(e);
      }
    },
  });

  private async more(): Promise<void> {
    const client = this.session?.client;
    if (!client || !this.nextCursor || this.loadingMore) return;
    this.loadingMore = true;
    try {
      const first = this.entries.length;
      const page = await client.list(listAuditLog, { query: { limit: PAGE, cursor: this.nextCursor } });
      this.entries = [...this.entries, ...page.items];
      this.nextCursor = page.nextCursor;
      this.announcer.polite(msg(str`${page.items.length} more entries.`));
      await this.updateComplete;
      // Focus goes to the first new row's heading cell, so reading continues where it left off.
      this.renderRoot.querySelectorAll<HTMLElement>('#audit-rows th')[first]?.focus();
    } catch (e) {
      this.announcer.assertive(describeError(e));
    } finally {
      this.loadingMore = false;
    }
  }

  /** Runs one change; its failure is shown where it was asked for (`onError`) and reported to the host. */
  private async run(what: string, work: () => Promise<void>, onError: (text: string) => void): Promise<boolean> {
    if (this.busy) return false;
    this.busy = true;
    try {
      await work();
      return true;
    } catch (err) {
      this.dispatchEvent(new MenteoErrorEvent(what, err));
      onError(describeAdminError(err));
      return false;
    } finally {
      this.busy = false;
    }
  }

  private async setOrigins(origins: string[], done: string, onError: (text: string) => void): Promise<boolean> {
    const client = this.session?.client;
    if (!client) return false;
    return this.run('origins-update', async () => {
      this.org = await client.organization.update({ allowedOrigins: origins });
      this.announcer.polite(done);
    }, onError);
  }

  private async addOrigin(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const raw = String(new FormData(form).get('origin') ?? '').trim().replace(/\/+$/, '');
    const current = this.org?.allowedOrigins ?? [];
    this.originError = undefined;
    if (!ORIGIN.test(raw)) {
      this.originError = msg('Enter an origin like https://intranet.example.com: the scheme and the host, an optional port, no path.');
    } else if (current.some((o) => o.toLowerCase() === raw.toLowerCase())) {
      this.originError = msg('This origin is already allowed.');
    }
    if (this.originError) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#origin-new')?.focus();
      return;
    }
    const ok = await this.setOrigins([...current, raw], msg(str`${raw} is allowed.`), (text) => (this.originError = text));
    if (ok) form.reset();
  }

  private async createKey(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const client = this.session?.client;
    if (!client) return;
    // Read now: once dispatch ends, a shadow tree's event no longer names its target.
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const name = String(data.get('name') ?? '').trim();
    const scopes = data.getAll('scope').map(String) as Scope[];
    this.keyError = undefined;
    if (!name) this.keyError = msg('Give the key a name, such as the system that will use it.');
    else if (!scopes.length) this.keyError = msg('Choose at least one scope.');
    if (this.keyError) return;
    await this.run('api-key-create', async () => {
      const created = await client.apiKeys.create({ name, scopes });
      this.created = created;
      this.keys = [created.key, ...this.keys];
      form.reset();
      this.announcer.polite(msg(str`Key ${name} created. Copy its secret now: it is shown only this once.`));
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#key-secret')?.focus();
    }, (text) => (this.keyError = text));
  }

  private async revoke(key: ApiKey): Promise<void> {
    const client = this.session?.client;
    if (!client) return;
    const ok = await this.run('api-key-revoke', async () => {
      const revoked = await client.apiKeys.revoke(key.id);
      this.keys = this.keys.map((k) => (k.id === revoked.id ? revoked : k));
      this.announcer.polite(msg(str`Key ${key.name} is revoked.`));
    }, (text) => (this.pendingError = text));
    if (ok) this.closePending();
  }

  private openPending(pending: Pending): void {
    this.pending = pending;
    this.pendingError = undefined;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('.confirm [data-cancel]')?.focus());
  }

  private closePending(): void {
    const pending = this.pending;
    this.pending = undefined;
    this.pendingError = undefined;
    if (!pending) return;
    const selector = pending.kind === 'key' ? `[data-revoke="${pending.key.id}"]` : '#origin-new';
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(selector)?.focus());
  }

  private renderOrigins(org: Organization): TemplateResult {
    const pending = this.pending;
    return html`<section class="card" aria-labelledby="h-origins">
        <h3 id="h-origins">${msg('Allowed origins')}</h3>
        <p>${msg('Pages on these origins may embed Menteo and sign people in.')}</p>
        ${org.allowedOrigins.length
          ? html`<ul class="plain">${org.allowedOrigins.map(
              (o) => html`<li class="origin"><code>${o}</code>
                  <button class="btn btn--small" type="button" data-remove-origin=${o} aria-label=${msg(str`Remove ${o}`)}
                    @click=${() => this.openPending({ kind: 'origin', origin: o })}>${msg('Remove…')}</button>
                </li>
                ${pending?.kind === 'origin' && pending.origin === o
                  ? html`<li>${confirmation({
                      id: 'confirm-origin',
                      question: msg(str`Remove ${o}?`),
                      consequence: msg('Its pages can no longer sign people in or call Menteo from the browser.'),
                      confirmLabel: msg('Remove'),
                      busy: this.busy,
                      error: this.pendingError,
                      onConfirm: () => void this.setOrigins(org.allowedOrigins.filter((x) => x !== o), msg(str`${o} is no longer allowed.`), (text) => (this.pendingError = text))
                        .then((ok) => ok && this.closePending()),
                      onCancel: () => this.closePending(),
                    })}</li>`
                  : nothing}`,
            )}</ul>`
          : html`<p class="muted">${msg('None: only the server itself and integrations can sign people in.')}</p>`}
        <form class="inline" novalidate @submit=${(e: SubmitEvent) => void this.addOrigin(e)}>
          <div class="field">
            <label for="origin-new">${msg('Add an origin')}</label>
            <input id="origin-new" name="origin" type="url" inputmode="url" placeholder="https://intranet.example.com" maxlength="300"
              aria-describedby="origin-hint${this.originError ? ' origin-error' : ''}" aria-invalid=${this.originError ? 'true' : 'false'} />
          </div>
          <button class="btn btn--primary" type="submit" aria-disabled=${this.busy ? 'true' : 'false'}>${msg('Add')}</button>
        </form>
        <p class="hint" id="origin-hint">${msg('The scheme and the host, with a port if it has one: https://intranet.example.com.')}</p>
        ${this.originError ? html`<p class="error-text" id="origin-error" role="alert">${this.originError}</p>` : nothing}
      </section>`;
  }

  private renderKeys(): TemplateResult {
    const mine = [...(this.session?.me?.scopes ?? [])];
    const created = this.created;
    const pending = this.pending;
    return html`<section class="card" aria-labelledby="h-keys">
      <h3 id="h-keys">${msg('API keys')}</h3>
      <p>${msg('Secret keys for host backends and scripts: they act for the whole organization with their scopes. Never put one in a web page.')}</p>
      ${created
        ? shownOnce({
            id: 'key-secret',
            label: msg(str`Secret of ${created.key.name}`),
            secret: created.secret,
            note: msg("Put it in the backend's secret store; if it is lost, revoke the key and create another."),
            onCopy: (field) => void copySecret(field).then((text) => this.announcer.polite(text)),
            onDone: () => {
              this.created = undefined;
              void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('#key-name')?.focus());
            },
          })
        : nothing}
      <form class="key" novalidate @submit=${(e: SubmitEvent) => void this.createKey(e)}>
        <div class="field">
          <label for="key-name">${msg('Name of a new key')}</label>
          <input id="key-name" name="name" type="text" maxlength="80" placeholder=${msg('Intranet backend')} />
        </div>
        <fieldset>
          <legend>${msg('Scopes (at most your own)')}</legend>
          ${mine.map((sc) => html`<label><input type="checkbox" name="scope" value=${sc} checked />${sc}</label>`)}
        </fieldset>
        ${this.keyError ? html`<p class="error-text" role="alert">${this.keyError}</p>` : nothing}
        <div><button class="btn btn--primary" type="submit" aria-disabled=${this.busy ? 'true' : 'false'}>${msg('Create key')}</button></div>
      </form>
      ${this.keys.length
        ? html`<div class="table-wrap">
            <table>
              <caption>${msg('Keys, newest first')}</caption>
              <thead><tr><th scope="col">${msg('Name')}</th><th scope="col">${msg('Starts with')}</th><th scope="col">${msg('Scopes')}</th><th scope="col">${msg('Last used')}</th><th scope="col">${msg('Status')}</th></tr></thead>
              <tbody>
                ${this.keys.map(
                  (k) => html`<tr data-key=${k.id}>
                      <th scope="row">${k.name}</th>
                      <td><code>${k.prefix}…</code></td>
                      <td>${k.scopes.join(', ')}</td>
                      <td>${k.lastUsedAt ? formatDateTime(new Date(k.lastUsedAt)) : msg('Never')}</td>
                      <td>${k.revokedAt
                        ? msg(str`Revoked ${formatDateTime(new Date(k.revokedAt))}`)
                        : html`<button class="btn btn--small" type="button" data-revoke=${k.id} aria-label=${msg(str`Revoke ${k.name}`)}
                            @click=${() => this.openPending({ kind: 'key', key: k })}>${msg('Revoke…')}</button>`}</td>
                    </tr>
                    ${pending?.kind === 'key' && pending.key.id === k.id
                      ? html`<tr><td colspan="5">${confirmation({
                          id: 'confirm-key',
                          question: msg(str`Revoke ${k.name}?`),
                          consequence: msg('Whatever uses it is refused from its next request, and its live streams end now. This cannot be undone.'),
                          confirmLabel: msg('Revoke'),
                          busy: this.busy,
                          error: this.pendingError,
                          onConfirm: () => void this.revoke(k),
                          onCancel: () => this.closePending(),
                        })}</td></tr>`
                      : nothing}`,
                )}
              </tbody>
            </table>
          </div>`
        : html`<p class="muted">${msg('No API keys yet.')}</p>`}
    </section>`;
  }

  private renderOrg(org: Organization): TemplateResult {
    return html`${this.renderOrigins(org)}${this.renderKeys()}
      <section class="card" aria-labelledby="h-access">
        <h3 id="h-access">${msg('Admin access to room content')}</h3>
        <p class="status" data-content-access=${org.adminContentAccess ? 'on' : 'off'}>
          ${org.adminContentAccess
            ? msg('On: admins may read the content of rooms they are not in, and every read is recorded below.')
            : msg('Off: admins see program metrics and at-risk reasons, never what people wrote in rooms, check-ins or feedback.')}
        </p>
        <p class="muted">${msg('Turning it on or off takes a secret API key (PATCH /v1/organization with adminContentAccess), not an admin\'s session; each change is recorded below.')}</p>
      </section>
      <section class="card" aria-labelledby="h-audit">
        <h3 id="h-audit">${msg('Audit log')}</h3>
        ${this.entries.length
          ? html`<div class="table-wrap">
              <table>
                <caption>${msg('Reads of room content by admins, and changes of the setting, newest first')}</caption>
                <thead><tr><th scope="col">${msg('When')}</th><th scope="col">${msg('Who')}</th><th scope="col">${msg('What')}</th><th scope="col">${msg('Through')}</th></tr></thead>
                <tbody id="audit-rows">
                  ${this.entries.map(
                    (e) => html`<tr>
                      <th scope="row" tabindex="-1">${formatDateTime(new Date(e.at))}</th><td>${actor(e)}</td><td>${what(e)}</td><td><code>${e.endpoint}</code></td>
                    </tr>`,
                  )}
                </tbody>
              </table>
            </div>
            ${this.nextCursor
              ? html`<div><button class="btn" type="button" aria-disabled=${this.loadingMore ? 'true' : 'false'} @click=${() => void this.more()}>${msg('Show older entries')}</button></div>`
              : nothing}`
          : html`<p>${msg('Nothing recorded: no admin has read room content, and the setting never changed.')}</p>`}
      </section>`;
  }

  protected override render(): TemplateResult {
    let stateName: ViewState = 'loading';
    let body = this.renderSessionGate();
    if (body === undefined) {
      body = this.loadTask.render({
        initial: () => loadingState(),
        pending: () => loadingState(),
        complete: (org) => {
          if (typeof org === 'symbol') return loadingState();
          stateName = 'ready';
          return this.renderOrg(this.org ?? org);
        },
        error: (error) => {
          stateName = 'error';
          return errorState(describeError(error), () => void this.loadTask.run());
        },
      }) as TemplateResult;
      this.setViewState(stateName);
    }
    return html`<h2>${msg('Settings')}</h2>${body}${this.announcer.render()}`;
  }
}
