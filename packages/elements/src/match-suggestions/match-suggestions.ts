import { html, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { Task, initialState } from '@lit/task';
import { msg, str } from '@lit/localize';
import type { MatchingProfile, MatchRequest, MatchSuggestion, RematchOffer } from '@menteo/api/matching';
import type { MatchingApi } from '@menteo/client/matching';
import type { EventPosition, LiveSubscription } from '@menteo/client';
import { matchingOf } from './matching-api.js';
import { MenteoElement } from '../internal/menteo-element.js';
import { MenteoWidget, type ViewState } from '../internal/widget.js';
import { describeError, errorCode } from '../internal/errors.js';
import { relativeTime } from '../internal/format.js';
import { avatar, emptyState, errorState, loadingState } from '../internal/parts.js';
import { uniqueId } from '../internal/ids.js';
import { LiveController } from '../internal/live-controller.js';
import { MenteoErrorEvent, MenteoMatchRequestCreateEvent, MenteoMatchRequestWithdrawEvent } from '../events.js';
import { pointsText, refusalText, renderReasons, statusText } from './match-reasons.js';
import { readProfileForm, renderCompleteness, renderProfileForm, type ProfileInput } from './match-profile.js';
import { matchStyles } from './match.styles.js';

/** What the mentee sees of one re-match offer. */
function rematchText(o: RematchOffer): string {
  const name = o.partner.displayName;
  const average = typeof o.params['average'] === 'number' ? o.params['average'].toFixed(1) : String(o.params['average'] ?? '');
  const ratings = String(o.params['ratings'] ?? '');
  const threshold = String(o.params['threshold'] ?? '');
  return msg(str`Your ratings of the room with ${name} stay low: ${average} on average over ${ratings} ratings (the program offers a new match at ${threshold} or below).`);
}

/**
 * Self-serve matching for a mentee: their own matching profile (skills they want to learn, goals
 * in their own words, time zone, languages) with how complete it is; the mentors suggested to
 * them in a cohort, each with the reasons of the match (every factor and its points, in words);
 * asking one of them, following the request (waiting, accepted, declined) and withdrawing it. A
 * mentor without a free seat is never suggested, and one who fills up meanwhile is said so
 * clearly. When the program offers a re-match for a room whose ratings stay low, the offer shows
 * here, and the next request replaces that room. A mentor's answer shows live: the widget
 * follows the reader's own events (`me`) and reloads their requests when they join a room.
 *
 * The program must allow self-serve matching, and the reader must be enrolled in the cohort as
 * a mentee.
 *
 * @summary Suggested mentors with reasons, asked and followed by a mentee.
 * @tag menteo-match-suggestions
 *
 * @csspart button - Every button.
 * @csspart suggestion - One suggested mentor.
 * @csspart request - One of the reader's requests.
 * @csspart reasons - A match's list of reasons.
 * @csspart completeness - The profile's completeness.
 * @csspart profile-form - The profile form.
 * @csspart state - Loading, empty and error states.
 *
 * @cssstate loading - Loading.
 * @cssstate empty - No mentor to suggest.
 * @cssstate error - The suggestions could not load.
 *
 * @fires {MenteoMatchRequestCreateEvent} menteo-match-request-create - The reader asked a mentor.
 * @fires {MenteoMatchRequestWithdrawEvent} menteo-match-request-withdraw - The reader withdrew a pending request.
 * @fires {MenteoErrorEvent} menteo-error - A load or a change failed.
 */
export class MenteoMatchSuggestions extends MenteoWidget {
  static override styles = [MenteoElement.styles, matchStyles];

  /** The cohort in which the reader looks for a mentor. */
  @property({ attribute: 'cohort-id', reflect: true }) cohortId: string | undefined = undefined;

  /** How many mentors to suggest, 1–20. */
  @property({ type: Number }) limit = 5;

  @state() private profile: MatchingProfile | undefined;
  @state() private suggestions: MatchSuggestion[] = [];
  @state() private requests: MatchRequest[] = [];
  @state() private offers: RematchOffer[] = [];
  /** Why suggestions are not available (self-serve closed, not a mentee here), instead of the list. */
  @state() private unavailable: string | undefined;
  @state() private editing = false;
  @state() private saving = false;
  @state() private profileErrors: ProfileInput['errors'] = {};
  @state() private profileError: string | undefined;
  /** The mentor the reader is writing a request to. */
  @state() private asking: string | undefined;
  @state() private sending = false;
  /** A refusal shown beside the mentor it is about (or the request). */
  @state() private refusal: { id: string; text: string; full: boolean } | undefined;
  /** The room a re-match request replaces, once the reader chose to look for a new mentor. */
  @state() private replacing: RematchOffer | undefined;

  private readonly ids = { base: uniqueId('match-suggestions') };

  /** The matching namespace over the session's client, once loaded (see `matchingOf`). */
  private api: MatchingApi | undefined;

  /** Where the last load stands in the event log: the `me` subscription starts there. */
  private loadedAt: EventPosition | undefined;

  private readonly live = new LiveController(this, {
    client: () => this.session?.client,
    session: () => this.session,
    target: () => (this.cohortId ? 'me' : ''),
    position: () => this.loadedAt,
    open: (client, options) => this.subscribe(client.events.me(options)),
  });

  private readonly loadTask = new Task(this, {
    args: () => [this.session?.client, this.cohortId, this.limit] as const,
    task: async ([client, cohortId, limit], { signal }) => {
      if (client === undefined || !cohortId) return initialState;
      const api = await matchingOf(client).catch((e: unknown) => this.reportLoadError(e));
      this.api = api;
      const position = client.events.position();
      const [profile, requests, offers] = await Promise.all([
        api.profile.get({ signal }),
        api.requests.list({ role: 'mentee', limit: 20 }, { signal, position }),
        // Re-match offers are an addition: without them the rest still shows.
        api.rematchOffers({ signal }).then((r) => r.items, () => [] as RematchOffer[]),
      ]).then(undefined, (e: unknown) => this.reportLoadError(e));
      this.loadedAt = position;
      this.profile = profile;
      this.requests = requests.items.filter((r) => r.cohortId === cohortId);
      this.offers = offers.filter((o) => o.cohortId === cohortId);
      if (this.editing === false && profile.updatedAt === null) this.editing = true;
      try {
        this.suggestions = (await api.suggestions(cohortId, { limit: Math.min(20, Math.max(1, limit)) }, { signal })).items;
        this.unavailable = undefined;
      } catch (e) {
        const code = errorCode(e);
        if (code !== 'forbidden' && code !== 'conflict' && code !== 'not_found') this.reportLoadError(e);
        this.suggestions = [];
        this.unavailable = msg('Choosing a mentor yourself is not open to you in this cohort: the program team matches its mentees.');
      }
      return cohortId;
    },
  });

  protected override firstUpdated(): void {
    if (!this.cohortId) this.warn('no-id', 'needs a `cohort-id` attribute: it suggests mentors of that cohort.');
  }

  /** A room joined through one of the reader's requests: reload, so the request shows accepted. */
  private subscribe(sub: LiveSubscription): LiveSubscription {
    sub.on('room.joined', (e) => {
      const request = this.requests.find((r) => r.id === e.matchRequestId);
      if (request === undefined) return;
      const name = request.mentor.displayName;
      void this.loadTask.run().then(() => this.announcer.polite(msg(str`${name} accepted: your mentoring room is open.`)));
    });
    return sub;
  }

  /** Loads the profile, suggestions and requests again. */
  refresh(): void {
    void this.loadTask.run();
  }

  private fail(action: string, error: unknown): void {
    this.dispatchEvent(new MenteoErrorEvent(action, error));
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
    const { body, errors } = readProfileForm(form, 'mentee');
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
      // Suggestions depend on the profile: announce once they are the new profile's.
      await this.loadTask.run();
      this.announcer.polite(msg('Profile saved. Your suggestions are updated.'));
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[data-action=edit-profile]')?.focus();
    } catch (error) {
      this.profileError = msg(str`Not saved. ${describeError(error)}`);
      this.announcer.assertive(this.profileError);
      this.fail('match-profile-update', error);
    } finally {
      this.saving = false;
    }
  }

  private async openAsk(mentorId: string): Promise<void> {
    this.asking = mentorId;
    this.refusal = undefined;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`[data-ask-form="${mentorId}"] textarea`)?.focus();
  }

  private async closeAsk(): Promise<void> {
    const id = this.asking;
    this.asking = undefined;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`[data-action=ask][data-mentor="${id}"]`)?.focus();
  }

  private async ask(e: SubmitEvent, s: MatchSuggestion): Promise<void> {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    if (this.sending || !this.api || !this.cohortId) return;
    const message = String(new FormData(form).get('message') ?? '').trim();
    const replacing = this.replacing;
    this.sending = true;
    this.refusal = undefined;
    try {
      const request = await this.api.requests.create({
        cohortId: this.cohortId,
        mentorId: s.mentor.id,
        ...(message ? { message } : {}),
        ...(replacing ? { replacesRoomId: replacing.roomId } : {}),
      });
      this.requests = [request, ...this.requests.filter((r) => r.id !== request.id)];
      this.suggestions = this.suggestions.map((x) => (x.mentor.id === s.mentor.id ? { ...x, requested: true } : x));
      this.asking = undefined;
      this.replacing = undefined;
      this.dispatchEvent(new MenteoMatchRequestCreateEvent(request));
      const name = s.mentor.displayName;
      this.announcer.polite(msg(str`Request sent to ${name}. You will see their answer here.`));
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>(`[data-request="${request.id}"] h4`)?.focus();
    } catch (error) {
      const full = errorCode(error) === 'conflict' && (error as { field?: unknown }).field === 'capacity';
      const name = s.mentor.displayName;
      const text = full ? msg(str`${name} has no free seat any more. Choose another mentor.`) : refusalText(error);
      this.refusal = { id: s.mentor.id, text, full };
      this.announcer.assertive(text);
      this.fail('match-request-create', error);
      if (full) this.suggestions = this.suggestions.map((x) => (x.mentor.id === s.mentor.id ? { ...x, freeCapacity: 0 } : x));
    } finally {
      this.sending = false;
    }
  }

  private async withdraw(r: MatchRequest): Promise<void> {
    if (!this.api || this.sending) return;
    this.sending = true;
    this.refusal = undefined;
    try {
      await this.api.requests.withdraw(r.id);
      this.dispatchEvent(new MenteoMatchRequestWithdrawEvent({ ...r, status: 'withdrawn' }));
      const name = r.mentor.displayName;
      this.announcer.polite(msg(str`Request to ${name} withdrawn.`));
      await this.loadTask.run();
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>(`[data-action=ask][data-mentor="${r.mentor.id}"], [data-suggestions-heading]`)?.focus();
    } catch (error) {
      this.refusal = { id: r.id, text: refusalText(error), full: false };
      this.announcer.assertive(this.refusal.text);
      this.fail('match-request-withdraw', error);
      void this.loadTask.run();
    } finally {
      this.sending = false;
    }
  }

  private renderProfile(p: MatchingProfile): TemplateResult {
    const id = this.ids.base;
    return html`<section aria-labelledby="${id}-profile-h">
      <h3 id="${id}-profile-h">${msg('Your matching profile')}</h3>
      ${renderCompleteness(p, 'mentee', id)}
      <div class="actions">
        <button part="button" class="btn btn--small" type="button" data-action="edit-profile" aria-expanded=${this.editing ? 'true' : 'false'}
          aria-controls="${id}-profile" @click=${() => void this.toggleEditing()}>${msg('Edit your profile')}</button>
      </div>
      <div id="${id}-profile">
        ${this.editing
          ? renderProfileForm({ id, role: 'mentee', profile: p, busy: this.saving, errors: this.profileErrors, error: this.profileError, onSubmit: (e) => void this.saveProfile(e) })
          : nothing}
      </div>
    </section>`;
  }

  private renderRequest(r: MatchRequest): TemplateResult {
    const name = r.mentor.displayName;
    const refusal = this.refusal?.id === r.id ? this.refusal.text : undefined;
    return html`<li part="request" class="card ${r.status === 'pending' ? 'card--pending' : ''}" data-request=${r.id} data-status=${r.status}>
      <div class="who">${avatar(r.mentor, 'sm')}<h4 tabindex="-1">${msg(str`Your request to ${name}`)}</h4>
        <span class="status status--${r.status}">${statusText(r.status)}</span><span class="meta">${relativeTime(r.createdAt)}</span></div>
      ${r.status === 'accepted' ? html`<p>${msg(str`${name} accepted: your mentoring room is open.`)}</p>` : nothing}
      ${r.status === 'declined' ? html`<p>${r.responseNote ? msg(str`${name} declined: “${r.responseNote}”`) : msg(str`${name} declined. You can ask another mentor.`)}</p>` : nothing}
      ${r.replacesRoomId ? html`<p class="meta">${msg('A re-match: it replaces your current room once accepted.')}</p>` : nothing}
      ${r.status === 'pending'
        ? html`<div class="actions">
            <button part="button" class="btn btn--small" type="button" data-action="withdraw" aria-disabled=${this.sending ? 'true' : 'false'}
              aria-label=${msg(str`Withdraw your request to ${name}`)} @click=${() => void this.withdraw(r)}>${msg('Withdraw')}</button>
          </div>`
        : nothing}
      ${refusal ? html`<p class="error-text">${refusal}</p>` : nothing}
    </li>`;
  }

  private renderSuggestion(s: MatchSuggestion, pending: boolean): TemplateResult {
    const name = s.mentor.displayName;
    const id = `${this.ids.base}-${s.mentor.id}`;
    const refusal = this.refusal?.id === s.mentor.id ? this.refusal : undefined;
    const full = s.freeCapacity <= 0;
    const seats = full
      ? html`<span class="seats seats--last">${msg('No free seat')}</span>`
      : s.freeCapacity === 1
        ? html`<span class="seats seats--last">${msg('1 free seat left')}</span>`
        : html`<span class="seats">${msg(str`${s.freeCapacity} free seats`)}</span>`;
    return html`<li part="suggestion" class="card" data-mentor=${s.mentor.id}>
      <div class="who">${avatar(s.mentor)}<h4 id="${id}-name">${name}</h4>
        <span class="score">${pointsText(s.score, s.maxScore)}</span>${seats}</div>
      <details>
        <summary>${msg(str`Why ${name}`)}</summary>
        ${renderReasons(s, 'mentee')}
      </details>
      ${refusal ? html`<div class="notice ${refusal.full ? 'notice--full' : ''}" role="alert"><p>${refusal.text}</p></div>` : nothing}
      ${s.requested
        ? html`<p class="meta">${msg('Requested: waiting for an answer.')}</p>`
        : this.asking === s.mentor.id
          ? html`<form data-ask-form=${s.mentor.id} @submit=${(e: SubmitEvent) => void this.ask(e, s)}
              @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && void this.closeAsk()}>
              <div class="field">
                <label for="${id}-message">${msg(str`A note to ${name} (optional)`)}</label>
                <textarea id="${id}-message" name="message" rows="2" maxlength="1000"></textarea>
              </div>
              <div class="actions">
                <button part="button" class="btn btn--primary" type="submit" aria-disabled=${this.sending ? 'true' : 'false'}>${this.sending ? msg('Sending…') : msg('Send request')}</button>
                <button part="button" class="btn" type="button" @click=${() => void this.closeAsk()}>${msg('Cancel')}</button>
              </div>
            </form>`
          : html`<div class="actions">
              <button part="button" class="btn btn--small" type="button" data-action="ask" data-mentor=${s.mentor.id}
                aria-disabled=${pending || full ? 'true' : 'false'} aria-describedby=${pending ? `${this.ids.base}-pending-note` : nothing}
                @click=${() => !pending && !full && void this.openAsk(s.mentor.id)}>${msg(str`Ask ${name} to mentor you`)}</button>
            </div>`}
    </li>`;
  }

  private renderOffers(): TemplateResult | typeof nothing {
    if (this.offers.length === 0) return nothing;
    const id = this.ids.base;
    return html`<section aria-labelledby="${id}-rematch-h">
      <h3 id="${id}-rematch-h">${msg('A new match?')}</h3>
      ${this.offers.map(
        (o) => html`<div class="notice" data-rematch=${o.roomId}>
          <p>${rematchText(o)}</p>
          <div class="actions">
            <button part="button" class="btn btn--small" type="button" data-action="rematch" aria-pressed=${this.replacing?.roomId === o.roomId ? 'true' : 'false'}
              @click=${() => {
                this.replacing = this.replacing?.roomId === o.roomId ? undefined : o;
                if (this.replacing) this.announcer.polite(msg('Your next request is a re-match: choose a mentor below.'));
              }}>${msg('Look for a new mentor')}</button>
          </div>
        </div>`,
      )}
    </section>`;
  }

  private renderBody(): TemplateResult {
    const id = this.ids.base;
    const pending = this.requests.some((r) => r.status === 'pending');
    const matched = this.requests.find((r) => r.status === 'accepted');
    return html`${this.renderOffers()}
      ${this.requests.length
        ? html`<section aria-labelledby="${id}-requests-h">
            <h3 id="${id}-requests-h">${msg('Your requests')}</h3>
            <ul class="list">${this.requests.map((r) => this.renderRequest(r))}</ul>
          </section>`
        : nothing}
      <section aria-labelledby="${id}-suggestions-h">
        <h3 id="${id}-suggestions-h" tabindex="-1" data-suggestions-heading>${msg('Suggested mentors')}</h3>
        ${this.unavailable
          ? html`<p class="muted" role="status">${this.unavailable}</p>`
          : matched && !this.replacing
            ? html`<p class="muted">${msg(str`You have a mentor in this cohort: ${matched.mentor.displayName}.`)}</p>`
            : html`${pending ? html`<p class="meta" id="${id}-pending-note">${msg('You can ask one mentor at a time: withdraw your request to ask someone else.')}</p>` : nothing}
                ${this.replacing ? html`<p class="meta">${msg(str`Re-match: your request replaces your room with ${this.replacing.partner.displayName}.`)}</p>` : nothing}
                ${this.suggestions.length
                  ? html`<ul class="list">${this.suggestions.map((s) => this.renderSuggestion(s, pending))}</ul>`
                  : emptyState(msg('No mentor to suggest right now'), msg('Every mentor with a free seat is taken, or a fuller profile would find more. Check again later.'))}`}
      </section>
      ${this.profile ? this.renderProfile(this.profile) : nothing}`;
  }

  protected override render(): TemplateResult {
    let stateName: ViewState = 'loading';
    let body = this.renderSessionGate();
    if (body === undefined) {
      body = this.loadTask.render({
        initial: () => loadingState(),
        pending: () => (this.profile ? this.renderBody() : loadingState()),
        complete: () => {
          stateName = this.suggestions.length || this.requests.length ? 'ready' : 'empty';
          return this.renderBody();
        },
        error: (error) => {
          stateName = 'error';
          return errorState(describeError(error), () => void this.loadTask.run());
        },
      }) as TemplateResult;
      this.setViewState(stateName);
    }
    return html`<h2>${msg('Find a mentor')}</h2>${body}${this.announcer.render()}`;
  }
}
