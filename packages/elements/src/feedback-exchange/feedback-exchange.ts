import { html, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { Task, initialState } from '@lit/task';
import { msg, str } from '@lit/localize';
import type { Feedback, FeedbackRequest } from '@menteo/api/feedback';
import type { Room, RoomRole } from '@menteo/api/rooms';
import type { EventPosition, LiveSubscription } from '@menteo/client';
import { MenteoElement } from '../internal/menteo-element.js';
import { MenteoWidget, type ViewState } from '../internal/widget.js';
import { LiveController } from '../internal/live-controller.js';
import { can } from '../internal/session-consumer.js';
import { newIdempotencyKey } from '../internal/draft-store.js';
import { describeError } from '../internal/errors.js';
import { relativeTime } from '../internal/format.js';
import { avatar, emptyState, errorState, loadingState } from '../internal/parts.js';
import { uniqueId } from '../internal/ids.js';
import { MenteoErrorEvent } from '../events.js';
import { feedbackExchangeStyles } from './feedback-exchange.styles.js';

function ratingWord(r: number): string {
  return [msg('Not helpful'), msg('Slightly helpful'), msg('Helpful'), msg('Very helpful'), msg('Exceptional')][r - 1] ?? String(r);
}

/**
 * Feedback in both directions inside a room. A mentor or mentee asks the other for feedback,
 * answers what they were asked, gives feedback with `<menteo-feedback>`, and reads what was said
 * about them: for a mentor, what the mentees said about their guidance. Observers read it all;
 * archived rooms show no forms.
 *
 * @summary Ask for, give and read feedback in a room, both ways.
 * @tag menteo-feedback-exchange
 *
 * @csspart button - Every button.
 * @csspart entry - One piece of feedback.
 * @csspart request - One open request for the reader's feedback.
 * @csspart state - Loading, empty and error states.
 *
 * @cssstate loading - Loading.
 * @cssstate error - The feedback could not load.
 *
 * @fires {MenteoFeedbackSubmitEvent} menteo-feedback-submit - The reader gave feedback (from the nested form).
 * @fires {MenteoErrorEvent} menteo-error - A load or write failed.
 */
export class MenteoFeedbackExchange extends MenteoWidget {
  static override styles = [MenteoElement.styles, feedbackExchangeStyles];

  /** The room. */
  @property({ attribute: 'room-id', reflect: true }) roomId: string | undefined = undefined;

  @state() private room: Room | undefined;
  @state() private feedback: Feedback[] = [];
  @state() private requests: FeedbackRequest[] = [];
  /** The request the feedback form answers, if the reader chose one. */
  @state() private answering: FeedbackRequest | undefined;
  @state() private asking = false;
  @state() private askError: string | undefined;
  @state() private asked: string | undefined;

  private readonly ids = { base: uniqueId('feedback-exchange') };
  private readonly live = new LiveController(this, {
    client: () => this.session?.client,
    session: () => this.session,
    target: () => this.roomId ?? '',
    position: () => this.loadedAt,
    open: (client, options) => this.subscribe(client.events.room(this.roomId ?? '', options)),
  });

  /** Where the last load stands in the event log: the live subscription starts there. */
  private loadedAt: EventPosition | undefined;

  private readonly loadTask = new Task(this, {
    args: () => [this.session?.client, this.roomId] as const,
    task: async ([client, roomId], { signal }) => {
      if (client === undefined || !roomId) return initialState;
      const position = client.events.position();
      const [room, feedback, requests] = await Promise.all([
        client.rooms.get(roomId, { signal, position }),
        client.feedback.list(roomId, { limit: 50 }, { signal, position }),
        // Requests are an addition to the feedback itself: if they cannot load, the rest still shows.
        client.feedback.requests.list(roomId, { state: 'open', limit: 20 }, { signal, position }).then(undefined, () => ({ items: [] as FeedbackRequest[] })),
      ]).then(undefined, (e: unknown) => this.reportLoadError(e));
      this.loadedAt = position;
      this.room = room;
      this.feedback = feedback.items;
      this.requests = requests.items;
      return room.id;
    },
  });

  private subscribe(sub: LiveSubscription): LiveSubscription {
    sub.on('feedback.created', (e) => {
      if (!this.feedback.some((f) => f.id === e.data.id)) this.feedback = [e.data, ...this.feedback];
      // An answered request is no longer open.
      void this.refreshRequests();
    });
    sub.on('feedback.requested', (e) => {
      if (!this.requests.some((r) => r.id === e.data.id)) this.requests = [e.data, ...this.requests];
    });
    sub.on('room.updated', (e) => {
      this.room = e.data;
    });
    return sub;
  }

  private async refreshRequests(): Promise<void> {
    const client = this.session?.client;
    if (client === undefined || !this.roomId) return;
    try {
      this.requests = (await client.feedback.requests.list(this.roomId, { state: 'open', limit: 20 })).items;
    } catch {
      // The list shown stays; the next event or reload brings it up to date.
    }
  }

  private get myRole(): RoomRole | undefined {
    const me = this.session?.me?.person?.id;
    return this.room?.members.find((m) => m.person.id === me)?.role;
  }

  private get participates(): boolean {
    const role = this.myRole;
    return this.room?.status === 'active' && (role === 'mentor' || role === 'mentee') && can(this.session?.me, 'feedback:write');
  }

  private answer(r: FeedbackRequest): void {
    this.answering = r;
    void this.updateComplete.then(() => {
      const form = this.renderRoot.querySelector('menteo-feedback');
      // Keyboard users land on the first rating choice of the form they chose to fill in.
      void form?.updateComplete.then(() => form.shadowRoot?.querySelector<HTMLElement>('input[type=radio]')?.focus());
    });
  }

  private async ask(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const client = this.session?.client;
    const form = e.currentTarget as HTMLFormElement;
    if (client === undefined || !this.roomId || this.asking) return;
    const data = new FormData(form);
    const recipientId = String(data.get('recipient') ?? '');
    const message = String(data.get('message') ?? '').trim();
    this.asking = true;
    this.askError = undefined;
    this.asked = undefined;
    try {
      const request = await client.feedback.requests.create(
        this.roomId,
        { recipientId, subject: 'room', ...(message ? { message } : {}) },
        { idempotencyKey: newIdempotencyKey() },
      );
      form.reset();
      const name = request.recipient.displayName;
      this.asked = msg(str`Asked ${name} for feedback.`);
      this.announcer.polite(this.asked);
    } catch (error) {
      this.askError = msg(str`Not sent. ${describeError(error)}`);
      this.announcer.assertive(this.askError);
      this.dispatchEvent(new MenteoErrorEvent('feedback-request-create', error));
    } finally {
      this.asking = false;
    }
  }

  private renderAsk(): TemplateResult {
    const me = this.session?.me?.person?.id;
    const others = (this.room?.members ?? []).filter((m) => m.person.id !== me && m.role !== 'observer');
    if (others.length === 0) return html``;
    const id = this.ids.base;
    return html`<section aria-labelledby="${id}-ask-h">
      <h3 id="${id}-ask-h">${msg('Ask for feedback')}</h3>
      <form novalidate @submit=${this.ask}>
        <div class="field">
          <label for="${id}-recipient">${msg('Ask')}</label>
          <select id="${id}-recipient" name="recipient">
            ${others.map((m) => html`<option value=${m.person.id}>${m.person.displayName}</option>`)}
          </select>
        </div>
        <div class="field">
          <label for="${id}-message">${msg('What would you like to hear about? (optional)')}</label>
          <textarea id="${id}-message" name="message" rows="2" maxlength="1000" aria-describedby="${id}-ask-error"></textarea>
        </div>
        <div class="actions">
          ${this.asked ? html`<p class="sent">${this.asked}</p>` : nothing}
          <span id="${id}-ask-error" class="error-text">${this.askError ?? nothing}</span>
          <button part="button" class="btn" type="submit" aria-disabled=${this.asking ? 'true' : 'false'}>${this.asking ? msg('Asking…') : msg('Ask for feedback')}</button>
        </div>
      </form>
    </section>`;
  }

  private renderRequests(): TemplateResult {
    const me = this.session?.me?.person?.id;
    const mine = this.requests.filter((r) => r.recipient.id === me && r.answeredBy === null);
    if (mine.length === 0) return html``;
    return html`<section aria-labelledby="${this.ids.base}-req-h">
      <h3 id="${this.ids.base}-req-h">${msg('Asked of you')}</h3>
      <ul class="list">
        ${mine.map(
          (r) => html`<li part="request" class="entry request">
            <div class="meta">${avatar(r.requester, 'sm')}<strong>${r.requester.displayName}</strong><span>${relativeTime(r.createdAt)}</span></div>
            ${r.message ? html`<p>${r.message}</p>` : nothing}
            <div class="actions">
              <button part="button" class="btn btn--small" type="button" aria-pressed=${this.answering?.id === r.id ? 'true' : 'false'} @click=${() => this.answer(r)}>
                ${msg(str`Answer ${r.requester.displayName}`)}
              </button>
            </div>
          </li>`,
        )}
      </ul>
    </section>`;
  }

  private renderList(title: string, items: Feedback[], hint: string): TemplateResult {
    const id = `${this.ids.base}-${title.length}`;
    return html`<section aria-labelledby="${id}">
      <h3 id="${id}">${title}</h3>
      ${items.length === 0
        ? html`<p class="muted">${hint}</p>`
        : html`<ol class="list">
            ${items.map(
              (f) => html`<li part="entry" class="entry">
                <div class="meta">${avatar(f.author, 'sm')}<strong>${f.author.displayName}</strong><span>${relativeTime(f.createdAt)}</span>
                  <span class="rating">${msg(str`${f.rating} of 5 (${ratingWord(f.rating)})`)}</span></div>
                ${f.comment ? html`<p>${f.comment}</p>` : nothing}
              </li>`,
            )}
          </ol>`}
    </section>`;
  }

  private renderBody(): TemplateResult {
    const me = this.session?.me?.person?.id;
    const role = this.myRole;
    const aboutMe = this.feedback.filter((f) => f.author.id !== me && f.direction === (role === 'mentor' ? 'mentee_to_mentor' : 'mentor_to_mentee'));
    const given = this.feedback.filter((f) => f.author.id === me);
    const lists =
      role === 'mentor' || role === 'mentee'
        ? html`${this.renderList(
              role === 'mentor' ? msg('What your mentees said about your guidance') : msg('What your mentor said'),
              aboutMe,
              msg('Nothing yet. Asking is the surest way to hear it.'),
            )}
            ${this.renderList(msg('Feedback you gave'), given, msg('You have not given feedback in this room yet.'))}`
        : this.feedback.length === 0
          ? emptyState(msg('No feedback yet'))
          : this.renderList(msg('Feedback in this room'), this.feedback, '');
    if (!this.participates) return lists;
    const answering = this.answering;
    return html`${this.renderRequests()}
      <menteo-feedback
        room-id=${this.roomId ?? ''}
        request-id=${answering?.id ?? nothing}
        heading=${answering ? msg(str`Your feedback for ${answering.requester.displayName}`) : nothing}
        exportparts="button"
        @menteo-feedback-submit=${(e: Event & { feedback: Feedback }) => {
          if (!this.feedback.some((f) => f.id === e.feedback.id)) this.feedback = [e.feedback, ...this.feedback];
          if (answering) this.requests = this.requests.filter((r) => r.id !== answering.id);
          this.answering = undefined;
        }}
      ></menteo-feedback>
      ${this.renderAsk()} ${lists}`;
  }

  protected override render(): TemplateResult {
    let stateName: ViewState = 'loading';
    let body = this.renderSessionGate() ?? this.renderAccessLoss(this.live.lost, msg('You no longer have access to this room.'));
    if (body === undefined) {
      body = this.loadTask.render({
        initial: () => loadingState(),
        pending: () => (this.room ? this.renderBody() : loadingState()),
        complete: () => {
          stateName = 'ready';
          return this.renderBody();
        },
        error: (error) => {
          stateName = 'error';
          return errorState(describeError(error), () => void this.loadTask.run());
        },
      }) as TemplateResult;
      this.setViewState(stateName);
    }
    return html`<h2>${msg('Feedback')}</h2>${body}${this.announcer.render()}`;
  }
}
