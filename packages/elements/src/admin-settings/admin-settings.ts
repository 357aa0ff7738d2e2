import { html, nothing, css, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import { Task, initialState } from '@lit/task';
import { msg, str } from '@lit/localize';
import { listAuditLog, type AuditEntry } from '@menteo/api/audit';
import type { Organization } from '@menteo/api/people';
import { MenteoElement } from '../internal/menteo-element.js';
import { MenteoWidget, type ViewState } from '../internal/widget.js';
import { describeError } from '../internal/errors.js';
import { formatDateTime } from '../internal/format.js';
import { errorState, loadingState } from '../internal/parts.js';
import { buttonStyles, stateStyles } from '../internal/parts.styles.js';

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
`;

/** Who acted, in words: a person by id (names are the People screen's), or an API key. */
function actor(e: AuditEntry): string {
  return e.actor.kind === 'key' ? msg(str`API key ${e.actor.keyId ?? ''}`) : msg(str`Person ${e.actor.personId ?? ''}`);
}

function what(e: AuditEntry): string {
  if (e.action === 'setting.changed' && e.change) {
    return e.change.to ? msg('Turned admin access to room content on') : msg('Turned admin access to room content off');
  }
  return msg(str`Read ${e.resource} of room ${e.roomId ?? ''}`);
}

/**
 * The organization's settings as an admin session may see them: the origins allowed to embed
 * Menteo, whether admins may read room content, and the audit log of such reads and of every
 * change of that setting. Read-only here: changing origins or the setting takes a secret API
 * key (`menteo-server origins add`, `PATCH /v1/organization`), which a browser never holds.
 *
 * Needs a session with the `org:admin` scope. Usually shown by `<menteo-admin-console>`.
 *
 * @summary Allowed origins, admin content access and its audit log, for admins.
 * @tag menteo-admin-settings
 *
 * @csspart state - Loading and error states.
 *
 * @fires {MenteoErrorEvent} menteo-error - Loading failed.
 */
export class MenteoAdminSettings extends MenteoWidget {
  static override styles = [MenteoElement.styles, buttonStyles, stateStyles, styles];

  @state() private entries: AuditEntry[] = [];
  @state() private nextCursor: string | null = null;
  @state() private loadingMore = false;

  private readonly loadTask = new Task(this, {
    args: () => [this.session?.client] as const,
    task: async ([client], { signal }): Promise<Organization | typeof initialState> => {
      if (client === undefined) return initialState;
      try {
        const [org, audit] = await Promise.all([client.organization.get({ signal }), client.list(listAuditLog, { query: { limit: PAGE }, signal })]);
        this.entries = audit.items;
        this.nextCursor = audit.nextCursor;
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
      this.renderRoot.querySelectorAll<HTMLElement>('tbody th')[first]?.focus();
    } catch (e) {
      this.announcer.assertive(describeError(e));
    } finally {
      this.loadingMore = false;
    }
  }

  private renderOrg(org: Organization): TemplateResult {
    return html`<section class="card" aria-labelledby="h-origins">
        <h3 id="h-origins">${msg('Allowed origins')}</h3>
        <p>${msg('Pages on these origins may embed Menteo and sign people in.')}</p>
        ${org.allowedOrigins.length
          ? html`<ul class="plain">${org.allowedOrigins.map((o) => html`<li><code>${o}</code></li>`)}</ul>`
          : html`<p class="muted">${msg('None: only the server itself and integrations can sign people in.')}</p>`}
        <p class="muted">${msg('Changing them takes a secret API key: menteo-server origins add|remove, or PATCH /v1/organization.')}</p>
      </section>
      <section class="card" aria-labelledby="h-access">
        <h3 id="h-access">${msg('Admin access to room content')}</h3>
        <p class="status" data-content-access=${org.adminContentAccess ? 'on' : 'off'}>
          ${org.adminContentAccess
            ? msg('On: admins may read the content of rooms they are not in, and every read is recorded below.')
            : msg('Off: admins see program metrics and at-risk reasons, never what people wrote in rooms, check-ins or feedback.')}
        </p>
        <p class="muted">${msg('Turning it on or off takes a secret API key (PATCH /v1/organization with adminContentAccess); each change is recorded below.')}</p>
      </section>
      <section class="card" aria-labelledby="h-audit">
        <h3 id="h-audit">${msg('Audit log')}</h3>
        ${this.entries.length
          ? html`<div class="table-wrap">
              <table>
                <caption>${msg('Reads of room content by admins, and changes of the setting, newest first')}</caption>
                <thead><tr><th scope="col">${msg('When')}</th><th scope="col">${msg('Who')}</th><th scope="col">${msg('What')}</th><th scope="col">${msg('Through')}</th></tr></thead>
                <tbody>
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
          return this.renderOrg(org);
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
