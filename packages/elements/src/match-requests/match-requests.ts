import { html, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { Task, initialState } from '@lit/task';
import { msg, str } from '@lit/localize';
import type { MatchingProfile, MatchRequest } from '@menteo/api/matching';
import type { MatchingApi } from '@menteo/client/matching';
import type { EventPosition, LiveSubscription } from '@menteo/client';
import { matchingOf } from '../match-suggestions/matching-api.js';
import { MenteoElement } from '../internal/menteo-element.js';
import { MenteoWidget, type ViewState } from '../internal/widget.js';
import { describeError, errorCode } from '../internal/errors.js';
import { relativeTime } from '../internal/format.js';
import { avatar, emptyState, errorState, loadingState } from '../internal/parts.js';
import { uniqueId } from '../internal/ids.js';
import { LiveController } from '../internal/live-controller.js';
import { MenteoErrorEvent, MenteoMatchRequestAnswerEvent } from '../events.js';
import { pointsText, refusalText, renderReasons, statusText } from '../match-suggestions/match-reasons.js';
import { readProfileForm, renderCompleteness, renderProfileForm, type ProfileInput } from '../match-suggestions/match-profile.js';
import { matchStyles } from '../match-suggestions/match.styles.js';

/**
 * Self-serve matching for a mentor: their own matching profile (skills they can help with, how
 * they like to help, how many mentees they take at once, time zone, languages) with how complete
 * it is, and the requests mentees sent them, each with the mentee's note and the reasons of the
 * match (every factor and its points). Accepting opens the pair's room from the cohort's
 * template; a mentor already at capacity is told so clearly and nothing changes. Declining takes
 * an optional note for the mentee. A request that re-matches a mentee whose ratings stayed low
 * says so. A request answered elsewhere (another tab, an admin) shows live: the widget follows
 * the reader's own events (`me`) and reloads the requests when they join a room through one.
 *
 * @summary Mentoring requests received, with reasons, accepted or declined by a mentor.
 * @tag menteo-match-requests
 *
 * @csspart button - Every button.
 * @csspart request - One request.
 * @csspart reasons - A match's list of reasons.
 * @csspart completeness - The profile's completeness.
 * @csspart profile-form - The profile form.
 * @csspart state - Loading, empty and error states.
 *
 * @cssstate loading - Loading.
 * @cssstate empty - No request yet.
 * @cssstate error - The requests could not load.
 *
 * @fires {MenteoMatchRequestAnswerEvent} menteo-match-request-answer - The reader accepted (the room is open: `request.roomId`) or declined a request.
 * @fires {MenteoErrorEvent} menteo-error - A load or a change failed.
 */
export class MenteoMatchRequests extends MenteoWidget {
  static override styles = [MenteoElement.styles, matchStyles];

  /** Shows only the requests of this cohort; every cohort's when unset. */
  @property({ attribute: 'cohort-id', reflect: true }) cohortId: string | undefined = undefined;

  @state() private profile: MatchingProfile | undefined;
  @state() private requests: MatchRequest[] = [];
  @state() private editing = false;
  @state() private saving = false;
  @state() private profileErrors: ProfileInput['errors'] = {};
  @state() private profileError: string | undefined;
  /** The request being answered right now. */
  @state() private busy: string | undefined;
  /** The request whose decline note is open. */
  @state() private declining: string | undefined;
  @state() private refusal: { id: string; text: string; full: boolean } | undefined;

  private readonly ids = { base: uniqueId('match-requests') };

  /** The matching namespace over the session's client, once loaded (see `matchingOf`). */
  private api: MatchingApi | undefined;

  /** Where the last load stands in the event log: the `me` subscription starts there. */
  private loadedAt: EventPosition | undefined;

  private readonly live = new LiveController(this, {
    client: () => this.session?.client,
    session: () => this.session,
    target: () => 'me',
    position: () => this.loadedAt,
    open: (client, options) => this.subscribe(client.events.me(options)),
  });

  private readonly loadTask = new Task(this, {
    args: () => [this.session?.client, this.cohortId] as const,
    task: async ([client, cohortId], { signal }) => {
      if (client === undefined) return initialState;
      const api = await matchingOf(client).catch((e: unknown) => this.reportLoadError(e));
      this.api = api;
      const position = client.events.position();
      const [profile, requests] = await Promise.all([api.profile.get({ signal }), api.requests.list({ role: 'mentor', limit: 50 }, { signal, position })]).then(
        undefined,
        (e: unknown) => this.reportLoadError(e),
      );
      this.loadedAt = position;
      this.profile = profile;
      this.requests = requests.items.filter((r) => !cohortId || r.cohortId === cohortId);
      if (profile.updatedAt === null) this.editing = true;
      return requests.items.length;
    },
  });

  /** A room joined through a request still shown pending (answered elsewhere): reload it as accepted. */
  private subscribe(sub: LiveSubscription): LiveSubscription {
    sub.on('room.joined', (e) => {
      const request = this.requests.find((r) => r.id === e.matchRequestId && r.status === 'pending');
      if (request === undefined || this.busy === request.id) return;
      const name = request.mentee.displayName;
      void this.loadTask.run().then(() => this.announcer.polite(msg(str`The request from ${name} was accepted: your mentoring room is open.`)));
    });
    return sub;
  }

  /** Loads the profile and requests again. */
  refresh(): void {
    void this.loadTask.run();
  }

  private async toggleEditing(): Promise<void> {
    this.editing = !this.editing;
    this.profileErrors = {};
    this.profileError = undefined;
    if (this.editing) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('.profile-form input')?.focus();
    }
  }

  private async saveProfile(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    if (this.saving || !this.api) return;
    const { body, errors } = readProfileForm(form, 'mentor');
    this.profileErrors = errors;
    this.profileError = undefined;
    if (Object.keys(errors).length) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('.profile-form [aria-invalid="true"]')?.focus();
      return;
    }
    this.saving = true;
    try {
      this.profile = await this.api.profile.update(body);
      this.editing = false;
      this.announcer.polite(msg('Profile saved.'));
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[data-action=edit-profile]')?.focus();
    } catch (error) {
      this.profileError = msg(str`Not saved. ${describeError(error)}`);
      this.announcer.assertive(this.profileError);
      this.dispatchEvent(new MenteoErrorEvent('match-profile-update', error));
    } finally {
      this.saving = false;
    }
  }

  private async openDecline(r: MatchRequest): Promise<void> {
    this.declining = r.id;
    this.refusal = undefined;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`[data-decline-form="${r.id}"] textarea`)?.focus();
  }

  private async closeDecline(r: MatchRequest): Promise<void> {
    this.declining = undefined;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`[data-request="${r.id}"] [data-action=decline]`)?.focus();
  }

  private async respond(r: MatchRequest, decision: 'accept' | 'decline', note?: string): Promise<void> {
    if (!this.api || this.busy) return;
    this.busy = r.id;
    this.refusal = undefined;
    const name = r.mentee.displayName;
    try {
      const answered = await this.api.requests.respond(r.id, { decision, ...(note ? { note } : {}) });
      this.requests = this.requests.map((x) => (x.id === r.id ? answered : x));
      this.declining = undefined;
      this.dispatchEvent(new MenteoMatchRequestAnswerEvent(answered));
      this.announcer.polite(decision === 'accept' ? msg(str`You accepted ${name}: your mentoring room is open.`) : msg(str`You declined ${name}'s request.`));
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>(`[data-request="${r.id}"] h4`)?.focus();
    } catch (error) {
      const full = errorCode(error) === 'conflict' && (error as { field?: unknown }).field === 'capacity';
      const capacity = this.profile?.capacity ?? 0;
      const text = full
        ? msg(str`You are at capacity: you mentor ${capacity} people at once already. Raise your capacity in your profile, or decline.`)
        : refusalText(error);
      this.refusal = { id: r.id, text, full };
      this.announcer.assertive(text);
      this.dispatchEvent(new MenteoErrorEvent(`match-request-${decision}`, error));
      // A request answered elsewhere (withdrawn, cancelled) shows its state now.
      if (!full) void this.loadTask.run();
    } finally {
      this.busy = undefined;
    }
  }

  private renderRequest(r: MatchRequest): TemplateResult {
    const name = r.mentee.displayName;
    const id = `${this.ids.base}-${r.id}`;
    const refusal = this.refusal?.id === r.id ? this.refusal : undefined;
    const busy = this.busy === r.id;
    return html`<li part="request" class="card ${r.status === 'pending' ? 'card--pending' : ''}" data-request=${r.id} data-status=${r.status}>
      <div class="who">${avatar(r.mentee)}<h4 tabindex="-1">${name}</h4>
        <span class="status status--${r.status}">${statusText(r.status)}</span>
        <span class="score">${pointsText(r.score, r.maxScore)}</span><span class="meta">${relativeTime(r.createdAt)}</span></div>
      ${r.replacesRoomId ? html`<p class="meta">${msg('A re-match: their ratings in their current room stayed low, and the program offered them a new mentor.')}</p>` : nothing}
      ${r.message ? html`<blockquote class="message"><p>${r.message}</p></blockquote>` : nothing}
      <details>
        <summary>${msg(str`Why ${name} was matched with you`)}</summary>
        ${renderReasons(r, 'pair')}
      </details>
      ${r.status === 'accepted' ? html`<p>${msg('Your mentoring room is open.')}</p>` : nothing}
      ${refusal ? html`<div class="notice ${refusal.full ? 'notice--full' : ''}" role="alert"><p>${refusal.text}</p></div>` : nothing}
      ${r.status !== 'pending'
        ? nothing
        : this.declining === r.id
          ? html`<form data-decline-form=${r.id} @submit=${(e: SubmitEvent) => {
                e.preventDefault();
                const note = String(new FormData(e.currentTarget as HTMLFormElement).get('note') ?? '').trim();
                void this.respond(r, 'decline', note);
              }} @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && void this.closeDecline(r)}>
              <div class="field">
                <label for="${id}-note">${msg(str`A note to ${name} (optional)`)}</label>
                <textarea id="${id}-note" name="note" rows="2" maxlength="500"></textarea>
              </div>
              <div class="actions">
                <button part="button" class="btn btn--danger" type="submit" aria-disabled=${busy ? 'true' : 'false'}>${msg('Decline request')}</button>
                <button part="button" class="btn" type="button" @click=${() => void this.closeDecline(r)}>${msg('Cancel')}</button>
              </div>
            </form>`
          : html`<div class="actions">
              <button part="button" class="btn btn--primary btn--small" type="button" data-action="accept" aria-disabled=${busy ? 'true' : 'false'}
                aria-label=${msg(str`Accept ${name}`)} @click=${() => void this.respond(r, 'accept')}>${msg('Accept')}</button>
              <button part="button" class="btn btn--small" type="button" data-action="decline" aria-label=${msg(str`Decline ${name}`)}
                @click=${() => void this.openDecline(r)}>${msg('Decline')}</button>
            </div>`}
    </li>`;
  }

  private renderBody(): TemplateResult {
    const id = this.ids.base;
    const p = this.profile;
    const pending = this.requests.filter((r) => r.status === 'pending');
    const answered = this.requests.filter((r) => r.status !== 'pending');
    return html`<section aria-labelledby="${id}-pending-h">
        <h3 id="${id}-pending-h">${msg(str`Waiting for your answer (${pending.length})`)}</h3>
        ${p && p.capacity === 0 ? html`<p class="notice notice--full">${msg('Your capacity is 0: you take no new mentee. Raise it in your profile to accept requests.')}</p>` : nothing}
        ${pending.length
          ? html`<ul class="list">${pending.map((r) => this.renderRequest(r))}</ul>`
          : emptyState(msg('No request waiting'), msg('Mentees who choose you appear here, with why you were suggested.'))}
      </section>
      ${answered.length
        ? html`<section aria-labelledby="${id}-answered-h">
            <h3 id="${id}-answered-h">${msg('Answered')}</h3>
            <ul class="list">${answered.map((r) => this.renderRequest(r))}</ul>
          </section>`
        : nothing}
      ${p
        ? html`<section aria-labelledby="${id}-profile-h">
            <h3 id="${id}-profile-h">${msg('Your mentor profile')}</h3>
            ${renderCompleteness(p, 'mentor', id)}
            <p class="meta">${msg(str`You take up to ${p.capacity} mentees at once.`)}</p>
            <div class="actions">
              <button part="button" class="btn btn--small" type="button" data-action="edit-profile" aria-expanded=${this.editing ? 'true' : 'false'}
                aria-controls="${id}-profile" @click=${() => void this.toggleEditing()}>${msg('Edit your profile')}</button>
            </div>
            <div id="${id}-profile">
              ${this.editing
                ? renderProfileForm({ id, role: 'mentor', profile: p, busy: this.saving, errors: this.profileErrors, error: this.profileError, onSubmit: (e) => void this.saveProfile(e) })
                : nothing}
            </div>
          </section>`
        : nothing}`;
  }

  protected override render(): TemplateResult {
    let stateName: ViewState = 'loading';
    let body = this.renderSessionGate();
    if (body === undefined) {
      body = this.loadTask.render({
        initial: () => loadingState(),
        pending: () => (this.profile ? this.renderBody() : loadingState()),
        complete: () => {
          stateName = this.requests.length ? 'ready' : 'empty';
          return this.renderBody();
        },
        error: (error) => {
          stateName = 'error';
          return errorState(describeError(error), () => void this.loadTask.run());
        },
      }) as TemplateResult;
      this.setViewState(stateName);
    }
    return html`<h2>${msg('Mentoring requests')}</h2>${body}${this.announcer.render()}`;
  }
}
