import { html, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { Task, initialState } from '@lit/task';
import { msg, str } from '@lit/localize';
import type { Learning } from '@menteo/api/feedback';
import type { Room } from '@menteo/api/rooms';
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
import { MenteoErrorEvent, MenteoLearningCreateEvent } from '../events.js';
import { learningLogStyles } from './learning-log.styles.js';

/** Splits "a, b c" into lowercase skill slugs. */
export function parseSkills(input: string): string[] {
  return [...new Set(input.split(/[,\s]+/).map((s) => s.trim().toLowerCase()).filter(Boolean))];
}

/**
 * The mentors' learning log of a room: what mentoring taught the mentor, newest first. Mentoring
 * is reciprocal, and writing it down is how a mentor learns in public. Everyone in the room reads
 * it; the room's mentors add to it (others see no form). Archived rooms are read-only.
 *
 * @summary The mentor's learning log: read it, and add what you learned.
 * @tag menteo-learning-log
 *
 * @csspart form - The form to add a learning (mentors only).
 * @csspart entry - One learning.
 * @csspart button - Every button.
 * @csspart state - Loading, empty and error states.
 *
 * @cssstate loading - Loading.
 * @cssstate empty - Nothing logged yet.
 * @cssstate error - The log could not load.
 *
 * @fires {MenteoLearningCreateEvent} menteo-learning-create - The reader logged a learning.
 * @fires {MenteoErrorEvent} menteo-error - A load or write failed.
 */
export class MenteoLearningLog extends MenteoWidget {
  static override styles = [MenteoElement.styles, learningLogStyles];

  /** The room whose log to show. */
  @property({ attribute: 'room-id', reflect: true }) roomId: string | undefined = undefined;

  /** Heading; defaults to "Mentor's learning log". */
  @property() heading: string | undefined = undefined;

  @state() private room: Room | undefined;
  @state() private learnings: Learning[] = [];
  @state() private sending = false;
  @state() private error: string | undefined;
  @state() private sent: string | undefined;

  private readonly ids = { base: uniqueId('learning-log') };
  private pendingKey: string | undefined;
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
      const [room, page] = await Promise.all([
        client.rooms.get(roomId, { signal, position }),
        client.learnings.list(roomId, { limit: 50 }, { signal, position }),
      ]).then(undefined, (e: unknown) => this.reportLoadError(e));
      this.loadedAt = position;
      this.room = room;
      this.learnings = page.items;
      return page.items.length;
    },
  });

  protected override firstUpdated(): void {
    if (!this.roomId) this.warn('no-id', 'needs a `room-id` attribute.');
  }

  private subscribe(sub: LiveSubscription): LiveSubscription {
    sub.on('learning.created', (e) => {
      if (!this.learnings.some((l) => l.id === e.data.id)) this.learnings = [e.data, ...this.learnings];
    });
    sub.on('room.updated', (e) => {
      this.room = e.data;
    });
    return sub;
  }

  /** Whether the reader may add: a mentor of an active room, with a token that may write learnings. */
  private get canAdd(): boolean {
    const me = this.session?.me?.person?.id;
    const room = this.room;
    return (
      room !== undefined &&
      room.status === 'active' &&
      can(this.session?.me, 'learnings:write') &&
      room.members.some((m) => m.person.id === me && m.role === 'mentor')
    );
  }

  private async add(e: Event): Promise<void> {
    e.preventDefault();
    const client = this.session?.client;
    const form = e.currentTarget as HTMLFormElement;
    const body = form.elements.namedItem('body') as HTMLTextAreaElement;
    const skills = form.elements.namedItem('skills') as HTMLInputElement;
    if (client === undefined || !this.roomId || this.sending) return;
    if (body.value.trim() === '') {
      this.error = msg('Write what you learned.');
      body.focus();
      return;
    }
    this.pendingKey ??= newIdempotencyKey();
    this.sending = true;
    this.error = undefined;
    this.sent = undefined;
    try {
      const learning = await client.learnings.create(
        this.roomId,
        { body: body.value.trim(), ...(skills.value.trim() ? { skills: parseSkills(skills.value) } : {}) },
        { idempotencyKey: this.pendingKey },
      );
      this.pendingKey = undefined;
      if (!this.learnings.some((l) => l.id === learning.id)) this.learnings = [learning, ...this.learnings];
      form.reset();
      this.sent = msg('Added to your learning log.');
      this.announcer.polite(this.sent);
      this.dispatchEvent(new MenteoLearningCreateEvent(learning));
    } catch (error) {
      this.error = msg(str`Not added. ${describeError(error)}`);
      this.announcer.assertive(this.error);
      this.dispatchEvent(new MenteoErrorEvent('learning-create', error));
    } finally {
      this.sending = false;
    }
  }

  private renderForm(): TemplateResult {
    const id = this.ids.base;
    // The button stays enabled while sending (the handler ignores a second press): a disabled
    // button would drop keyboard focus to <body>.
    return html`<form part="form" novalidate @submit=${this.add} aria-labelledby="${id}-add">
      <h3 id="${id}-add" class="visually-hidden">${msg('Add a learning')}</h3>
      <div class="field">
        <label for="${id}-body">${msg('What did mentoring teach you?')}</label>
        <textarea id="${id}-body" name="body" rows="3" maxlength="4000" aria-describedby="${id}-error" aria-invalid=${this.error && !this.sending ? 'true' : 'false'}
          @input=${() => { this.error = undefined; this.sent = undefined; }}></textarea>
      </div>
      <div class="field">
        <label for="${id}-skills">${msg('Skills (optional, comma separated)')}</label>
        <input id="${id}-skills" name="skills" type="text" autocomplete="off" />
      </div>
      <div class="actions">
        ${this.sent ? html`<p class="sent">${this.sent}</p>` : nothing}
        <span id="${id}-error" class="error-text">${this.error ?? nothing}</span>
        <button part="button" class="btn btn--primary" type="submit" aria-disabled=${this.sending ? 'true' : 'false'}>
          ${this.sending ? msg('Adding…') : msg('Add learning')}
        </button>
      </div>
    </form>`;
  }

  private renderList(): TemplateResult {
    if (this.learnings.length === 0) {
      return emptyState(msg('Nothing logged yet'), this.canAdd ? msg('What surprised you while mentoring? Write it down here.') : undefined);
    }
    return html`<ol class="list" aria-label=${msg('Learnings, newest first')}>
      ${this.learnings.map(
        (l) => html`<li part="entry" class="entry">
          <div class="meta">${avatar(l.author, 'sm')}<strong>${l.author.displayName}</strong><span>${relativeTime(l.createdAt)}</span></div>
          <p>${l.body}</p>
          ${l.skills.length ? html`<ul class="skills" aria-label=${msg('Skills')}>${l.skills.map((s) => html`<li>${s}</li>`)}</ul>` : nothing}
        </li>`,
      )}
    </ol>`;
  }

  protected override render(): TemplateResult {
    let stateName: ViewState = 'loading';
    let body = this.renderSessionGate() ?? this.renderAccessLoss(this.live.lost, msg('You no longer have access to this room.'));
    if (body === undefined) {
      body = this.loadTask.render({
        initial: () => loadingState(),
        pending: () => (this.room ? html`${this.canAdd ? this.renderForm() : nothing}${this.renderList()}` : loadingState()),
        complete: () => {
          stateName = this.learnings.length === 0 ? 'empty' : 'ready';
          return html`${this.canAdd ? this.renderForm() : nothing}${this.renderList()}`;
        },
        error: (error) => {
          stateName = 'error';
          return errorState(describeError(error), () => void this.loadTask.run());
        },
      }) as TemplateResult;
      this.setViewState(stateName);
    }
    return html`<h2>${this.heading ?? msg("Mentor's learning log")}</h2>
      <p class="intro">${msg('What the mentor learned from mentoring: guidance goes both ways.')}</p>
      ${body}${this.announcer.render()}`;
  }
}
