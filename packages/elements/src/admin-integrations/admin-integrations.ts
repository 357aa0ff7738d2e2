import { html, nothing, css, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import { Task, initialState } from '@lit/task';
import { msg, str } from '@lit/localize';
import { integrationsApi, type IntegrationsApi } from '@menteo/client/integrations';
import type { CreatedScimToken, LtiCourse, LtiInstallUrl, LtiPersonMatch, LtiPlatform, LtiToolConfig, ScimToken } from '@menteo/api/integrations';
import { MenteoElement } from '../internal/menteo-element.js';
import { MenteoWidget, type ViewState } from '../internal/widget.js';
import { formatDateTime } from '../internal/format.js';
import { errorState, loadingState } from '../internal/parts.js';
import { buttonStyles, formStyles, stateStyles } from '../internal/parts.styles.js';
import { MenteoErrorEvent } from '../events.js';
import { describeAdminError } from '../admin-shared/admin-errors.js';
import { adminPartsStyles, confirmation, copySecret, shownOnce } from '../admin-shared/admin-parts.js';

const styles = css`
  :host { display: grid; grid-template-columns: minmax(0, 1fr); gap: calc(var(--_space) * 2); }
  h2, h3, h4, p, dl, dd { margin: 0; }
  h2 { font-size: 1.125em; }
  h3 { font-size: 1em; }
  h4 { font-size: 0.9375em; }
  section.card { display: grid; grid-template-columns: minmax(0, 1fr); gap: var(--_space); padding: calc(var(--_space) * 1.5); border: 1px solid var(--_border); border-radius: var(--_radius-sm); min-inline-size: 0; }
  form.stack { display: grid; grid-template-columns: minmax(0, 1fr); gap: var(--_space); }
  form.inline { display: flex; flex-wrap: wrap; gap: var(--_space); align-items: end; }
  form.inline .field { flex: 1 1 12rem; }
  details { border: 1px solid var(--_border); border-radius: var(--_radius-sm); padding: var(--_space); }
  summary { cursor: pointer; font-weight: 600; }
  dl { display: grid; gap: 0.25rem 1rem; grid-template-columns: minmax(0, max-content) minmax(0, 1fr); }
  dt { font-weight: 600; font-size: 0.875em; }
  code { font-family: var(--_mono); font-size: 0.875em; overflow-wrap: anywhere; }
  table { border-collapse: collapse; font-size: 0.875em; inline-size: 100%; }
  caption { text-align: start; font-weight: 650; padding-block-end: 0.25rem; }
  th, td { text-align: start; padding: 0.25rem 0.5rem; border-block-end: 1px solid var(--_border); vertical-align: top; overflow-wrap: anywhere; }
  .table-wrap { overflow-x: auto; }
  .muted { color: var(--_text-muted); font-size: 0.8125em; }
`;

/** Everything the screen shows, loaded together. `config` is null where the server has no LTI tool (no public URL). */
interface Loaded {
  readonly config: LtiToolConfig | null;
  /** Why there is no LTI tool, in the server's words. */
  readonly ltiOff: string | undefined;
  readonly platforms: LtiPlatform[];
  readonly courses: LtiCourse[];
  readonly tokens: ScimToken[];
}

function matchText(m: LtiPersonMatch): string {
  switch (m) {
    case 'sub':
      return msg('the LMS user id');
    case 'sourcedid':
      return msg('the SIS id');
    case 'email':
      return msg('the email');
  }
}

function isConflict(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'conflict';
}

/**
 * The organization's integrations for admins: learning platforms (LTI 1.3: a single-use install
 * link to paste into the LMS, the values to type in by hand, registered platforms, registration
 * by hand, the courses seen in launches with their roster sync) and identity providers (SCIM
 * tokens: create one, its secret shown once with the SCIM base URL, list, revoke after a
 * confirmation). Everything goes through the public integrations API (`/v1/integrations/…`).
 *
 * Needs a session with the `org:admin` scope. Usually shown by `<menteo-admin-console>`.
 *
 * @summary LTI install links and platforms, courses and roster syncs, SCIM tokens, for admins.
 * @tag menteo-admin-integrations
 *
 * @csspart state - Loading and error states.
 *
 * @fires {MenteoErrorEvent} menteo-error - Loading or a change failed.
 */
export class MenteoAdminIntegrations extends MenteoWidget {
  static override styles = [MenteoElement.styles, buttonStyles, formStyles, stateStyles, adminPartsStyles, styles];

  @state() private platforms: LtiPlatform[] = [];
  @state() private courses: LtiCourse[] = [];
  @state() private tokens: ScimToken[] = [];
  @state() private installUrl: LtiInstallUrl | undefined;
  @state() private createdToken: CreatedScimToken | undefined;
  @state() private revoking: ScimToken | undefined;
  @state() private busy = false;
  @state() private installError: string | undefined;
  @state() private platformError: string | undefined;
  @state() private tokenError: string | undefined;
  @state() private revokeError: string | undefined;
  @state() private syncError: string | undefined;

  private api(): IntegrationsApi | undefined {
    const client = this.session?.client;
    return client ? integrationsApi(client) : undefined;
  }

  private readonly loadTask = new Task(this, {
    args: () => [this.session?.client] as const,
    task: async ([client], { signal }): Promise<Loaded | typeof initialState> => {
      if (client === undefined) return initialState;
      const api = integrationsApi(client);
      try {
        const config = api.lti.config({ signal }).then(
          (c) => ({ config: c, ltiOff: undefined }),
          (e: unknown) => {
            if (!isConflict(e)) throw e;
            return { config: null, ltiOff: describeAdminError(e) };
          },
        );
        const [lti, platforms, courses, tokens] = await Promise.all([config, api.lti.platforms({ signal }), api.lti.courses({}, { signal }), api.scimTokens.list({ signal })]);
        this.platforms = platforms.items;
        this.courses = courses.items;
        this.tokens = tokens.items;
        return { ...lti, platforms: platforms.items, courses: courses.items, tokens: tokens.items };
      } catch (e) {
        this.reportLoadError(e);
      }
    },
  });

  /** Runs one change; its failure is shown where it was asked for (`onError`) and reported to the host. */
  private async run(what: string, work: (api: IntegrationsApi) => Promise<void>, onError: (text: string) => void): Promise<boolean> {
    const api = this.api();
    if (!api || this.busy) return false;
    this.busy = true;
    try {
      await work(api);
      return true;
    } catch (err) {
      this.dispatchEvent(new MenteoErrorEvent(what, err));
      onError(describeAdminError(err));
      return false;
    } finally {
      this.busy = false;
    }
  }

  private focusSoon(selector: string): void {
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(selector)?.focus());
  }

  private async createInstallUrl(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const personMatch = String(new FormData(e.target as HTMLFormElement).get('personMatch') ?? 'sub') as LtiPersonMatch;
    this.installError = undefined;
    await this.run('lti-install-url', async (api) => {
      this.installUrl = await api.lti.createInstallUrl({ personMatch });
      this.announcer.polite(msg('Install link created. Copy it into the learning platform now.'));
      this.focusSoon('#install-url');
    }, (text) => (this.installError = text));
  }

  private async registerPlatform(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const value = (name: string) => String(data.get(name) ?? '').trim();
    const deploymentIds = value('deploymentIds').split(/[\s,]+/).filter(Boolean);
    this.platformError = undefined;
    const platformName = value('platformName');
    await this.run('lti-platform-register', async (api) => {
      const platform = await api.lti.registerPlatform({
        issuer: value('issuer'), clientId: value('clientId'), deploymentIds,
        authLoginUrl: value('authLoginUrl'), authTokenUrl: value('authTokenUrl'), jwksUrl: value('jwksUrl'),
        ...(platformName ? { platformName } : {}),
      });
      this.platforms = [...this.platforms, platform];
      form.reset();
      this.announcer.polite(msg(str`Platform ${platform.platformName ?? platform.issuer} registered.`));
    }, (text) => (this.platformError = text));
  }

  private async syncRoster(course: LtiCourse): Promise<void> {
    this.syncError = undefined;
    await this.run('lti-roster-sync', async (api) => {
      const r = await api.lti.syncRoster({ platformId: course.platformId, deploymentId: course.deploymentId, contextId: course.contextId });
      this.announcer.polite(msg(str`Roster synced: ${r.added} in the room, ${r.removed} removed.`));
    }, (text) => (this.syncError = text));
  }

  private async createToken(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const label = String(new FormData(form).get('label') ?? '').trim();
    this.tokenError = undefined;
    await this.run('scim-token-create', async (api) => {
      const created = await api.scimTokens.create(label ? { label } : {});
      this.createdToken = created;
      this.tokens = [created.token, ...this.tokens];
      form.reset();
      this.announcer.polite(msg('SCIM token created. Copy its secret now: it is shown only this once.'));
      this.focusSoon('#scim-secret');
    }, (text) => (this.tokenError = text));
  }

  private async revokeToken(token: ScimToken): Promise<void> {
    const ok = await this.run('scim-token-revoke', async (api) => {
      const revoked = await api.scimTokens.revoke(token.id);
      this.tokens = this.tokens.map((t) => (t.id === revoked.id ? revoked : t));
      this.announcer.polite(msg(str`SCIM token ${token.label ?? token.id} is revoked.`));
    }, (text) => (this.revokeError = text));
    if (ok) this.closeRevoke(true);
  }

  /** Closes the confirmation; focus returns to the Revoke button, or to the token's row once it is revoked. */
  private closeRevoke(revoked = false): void {
    const token = this.revoking;
    this.revoking = undefined;
    this.revokeError = undefined;
    if (token) this.focusSoon(revoked ? `tr[data-token="${token.id}"] th` : `[data-revoke="${token.id}"]`);
  }

  private renderLti(loaded: Loaded): TemplateResult {
    const config = loaded.config;
    const install = this.installUrl;
    return html`<section class="card" aria-labelledby="h-lti">
      <h3 id="h-lti">${msg('Learning platforms (LTI 1.3)')}</h3>
      ${config === null
        ? html`<p role="note">${loaded.ltiOff}</p>`
        : html`<p>${msg('Install Menteo in Moodle, Canvas, Brightspace or Blackboard: create an install link and paste it where the platform registers a tool by URL (dynamic registration). The link works once.')}</p>
            <form class="inline" @submit=${(e: SubmitEvent) => void this.createInstallUrl(e)}>
              <div class="field">
                <label for="install-match">${msg('Recognise people by')}</label>
                <select id="install-match" name="personMatch">
                  ${(['sub', 'sourcedid', 'email'] as const).map((m) => html`<option value=${m}>${matchText(m)}</option>`)}
                </select>
              </div>
              <button class="btn btn--primary" type="submit" aria-disabled=${this.busy ? 'true' : 'false'}>${msg('Create an install link')}</button>
            </form>
            ${this.installError ? html`<p class="error-text" role="alert">${this.installError}</p>` : nothing}
            ${install
              ? shownOnce({
                  id: 'install-url',
                  label: msg('Install link'),
                  secret: install.url,
                  note: msg(str`It works once, until ${formatDateTime(new Date(install.expiresAt))}.`),
                  onCopy: (field) => void copySecret(field).then((text) => this.announcer.polite(text)),
                  onDone: () => {
                    this.installUrl = undefined;
                    this.focusSoon('#install-match');
                  },
                })
              : nothing}
            <details>
              <summary>${msg('Values to type in by hand')}</summary>
              <dl>
                <dt>${msg('Login URL')}</dt><dd><code>${config.loginUrl}</code></dd>
                <dt>${msg('Launch URL')}</dt><dd><code>${config.launchUrl}</code></dd>
                <dt>${msg('Redirect URLs')}</dt><dd><code>${config.redirectUris.join(' ')}</code></dd>
                <dt>${msg('Public keys (JWKS)')}</dt><dd><code>${config.jwksUrl}</code></dd>
                <dt>${msg('Deep linking URL')}</dt><dd><code>${config.deepLinkingUrl}</code></dd>
                <dt>${msg('Canvas configuration')}</dt><dd><code>${config.canvasConfigUrl}</code></dd>
              </dl>
            </details>`}
      ${this.renderPlatforms()}
      ${this.renderCourses()}
    </section>`;
  }

  private renderPlatforms(): TemplateResult {
    return html`<h4>${msg('Registered platforms')}</h4>
      ${this.platforms.length
        ? html`<div class="table-wrap"><table>
            <caption>${msg('Platforms whose launches Menteo accepts')}</caption>
            <thead><tr><th scope="col">${msg('Platform')}</th><th scope="col">${msg('Client id')}</th><th scope="col">${msg('Deployments')}</th><th scope="col">${msg('People matched by')}</th></tr></thead>
            <tbody>${this.platforms.map((p) => html`<tr data-platform=${p.id}>
              <th scope="row">${p.platformName ?? p.issuer}<br /><code>${p.issuer}</code></th>
              <td><code>${p.clientId}</code></td><td>${p.deploymentIds.join(', ')}</td><td>${matchText(p.personMatch)}</td>
            </tr>`)}</tbody>
          </table></div>`
        : html`<p class="muted">${msg('No platform yet: an install link registers one, or register it by hand.')}</p>`}
      <details>
        <summary>${msg('Register a platform by hand')}</summary>
        <form class="stack" @submit=${(e: SubmitEvent) => void this.registerPlatform(e)}>
          ${this.field('issuer', msg('Issuer'), 'url', 'https://moodle.example.com')}
          ${this.field('clientId', msg('Client id'))}
          ${this.field('deploymentIds', msg('Deployment ids (separated by commas)'))}
          ${this.field('authLoginUrl', msg('Authorization (login) URL'), 'url')}
          ${this.field('authTokenUrl', msg('Access token URL'), 'url')}
          ${this.field('jwksUrl', msg('Public keyset (JWKS) URL'), 'url')}
          ${this.field('platformName', msg('Name (optional)'), 'text', '', false)}
          ${this.platformError ? html`<p class="error-text" role="alert">${this.platformError}</p>` : nothing}
          <div><button class="btn btn--primary" type="submit" aria-disabled=${this.busy ? 'true' : 'false'}>${msg('Register')}</button></div>
        </form>
      </details>`;
  }

  private field(name: string, label: string, type: 'text' | 'url' = 'text', placeholder = '', required = true): TemplateResult {
    return html`<div class="field">
      <label for="platform-${name}">${label}</label>
      <input id="platform-${name}" name=${name} type=${type} ?required=${required} placeholder=${placeholder} maxlength="500" />
    </div>`;
  }

  private renderCourses(): TemplateResult {
    return html`<h4>${msg('Courses')}</h4>
      ${this.courses.length
        ? html`<div class="table-wrap"><table>
            <caption>${msg('Courses that launched Menteo')}</caption>
            <thead><tr><th scope="col">${msg('Course')}</th><th scope="col">${msg('Room')}</th><th scope="col">${msg('Roster')}</th><th scope="col">${msg('Grades')}</th></tr></thead>
            <tbody>${this.courses.map((c) => html`<tr>
              <th scope="row">${c.title ?? c.contextId}</th>
              <td>${c.roomId ? msg('Linked') : msg('Not linked yet')}</td>
              <td>${c.rosterAvailable && c.roomId
                ? html`<button class="btn btn--small" type="button" aria-label=${msg(str`Sync the roster of ${c.title ?? c.contextId}`)} @click=${() => void this.syncRoster(c)}>${msg('Sync now')}</button>`
                : c.rosterAvailable ? msg('Shared') : msg('Not shared')}</td>
              <td>${c.gradesAvailable ? msg('Accepted') : msg('Not accepted')}</td>
            </tr>`)}</tbody>
          </table></div>
          ${this.syncError ? html`<p class="error-text" role="alert">${this.syncError}</p>` : nothing}`
        : html`<p class="muted">${msg('No course has launched Menteo yet.')}</p>`}`;
  }

  private renderScim(): TemplateResult {
    const created = this.createdToken;
    const revoking = this.revoking;
    return html`<section class="card" aria-labelledby="h-scim">
      <h3 id="h-scim">${msg('Identity provider (SCIM 2.0)')}</h3>
      <p>${msg('Okta, Entra ID or your HR system create, update and deactivate people through SCIM with a token from here.')}</p>
      <form class="inline" @submit=${(e: SubmitEvent) => void this.createToken(e)}>
        <div class="field">
          <label for="scim-label">${msg('Label of a new token')}</label>
          <input id="scim-label" name="label" type="text" maxlength="80" placeholder=${msg('Okta production')} />
        </div>
        <button class="btn btn--primary" type="submit" aria-disabled=${this.busy ? 'true' : 'false'}>${msg('Create token')}</button>
      </form>
      ${this.tokenError ? html`<p class="error-text" role="alert">${this.tokenError}</p>` : nothing}
      ${created
        ? shownOnce({
            id: 'scim-secret',
            label: msg(str`Secret of ${created.token.label ?? created.token.id}`),
            secret: created.secret,
            note: created.scimBaseUrl ? msg(str`Paste it into the identity provider with the SCIM base URL ${created.scimBaseUrl}.`) : msg('Paste it into the identity provider.'),
            onCopy: (field) => void copySecret(field).then((text) => this.announcer.polite(text)),
            onDone: () => {
              this.createdToken = undefined;
              this.focusSoon('#scim-label');
            },
          })
        : nothing}
      ${this.tokens.length
        ? html`<div class="table-wrap"><table>
            <caption>${msg('SCIM tokens, newest first')}</caption>
            <thead><tr><th scope="col">${msg('Label')}</th><th scope="col">${msg('Created')}</th><th scope="col">${msg('Status')}</th></tr></thead>
            <tbody>${this.tokens.map((t) => html`<tr data-token=${t.id}>
                <th scope="row" tabindex="-1">${t.label ?? t.id}</th>
                <td>${formatDateTime(new Date(t.createdAt))}</td>
                <td>${t.revokedAt
                  ? msg(str`Revoked ${formatDateTime(new Date(t.revokedAt))}`)
                  : html`<button class="btn btn--small" type="button" data-revoke=${t.id} aria-label=${msg(str`Revoke ${t.label ?? t.id}`)} @click=${() => {
                      this.revoking = t;
                      this.revokeError = undefined;
                      this.focusSoon('.confirm [data-cancel]');
                    }}>${msg('Revoke…')}</button>`}</td>
              </tr>
              ${revoking?.id === t.id
                ? html`<tr><td colspan="3">${confirmation({
                    id: 'confirm-scim',
                    question: msg(str`Revoke ${t.label ?? t.id}?`),
                    consequence: msg("The identity provider's next sync is refused until it is given a new token. This cannot be undone."),
                    confirmLabel: msg('Revoke'),
                    busy: this.busy,
                    error: this.revokeError,
                    onConfirm: () => void this.revokeToken(t),
                    onCancel: () => this.closeRevoke(),
                  })}</td></tr>`
                : nothing}`)}</tbody>
          </table></div>`
        : html`<p class="muted">${msg('No SCIM token yet.')}</p>`}
    </section>`;
  }

  protected override render(): TemplateResult {
    let stateName: ViewState = 'loading';
    let body = this.renderSessionGate();
    if (body === undefined) {
      body = this.loadTask.render({
        initial: () => loadingState(),
        pending: () => loadingState(),
        complete: (loaded) => {
          if (typeof loaded === 'symbol') return loadingState();
          stateName = 'ready';
          return html`${this.renderLti(loaded)}${this.renderScim()}`;
        },
        error: (error) => {
          stateName = 'error';
          // With the server's detail: where the integrations do not run, it says so.
          return errorState(describeAdminError(error), () => void this.loadTask.run());
        },
      }) as TemplateResult;
      this.setViewState(stateName);
    }
    return html`<h2>${msg('Integrations')}</h2>${body}${this.announcer.render()}`;
  }
}
