import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { Task, initialState } from '@lit/task';
import { msg, str } from '@lit/localize';
import type { ActionItem, Message, Resource, Room, RoomRole, SessionNote } from '@menteo/api/rooms';
import type { CheckIn } from '@menteo/api/feedback';
import type { EventPosition, LiveSubscription } from '@menteo/client';
import { MenteoElement } from '../internal/menteo-element.js';
import { MenteoWidget, type ViewState } from '../internal/widget.js';
import { can } from '../internal/session-consumer.js';
import { LiveController } from '../internal/live-controller.js';
import { DraftStore, newIdempotencyKey } from '../internal/draft-store.js';
import { describeError } from '../internal/errors.js';
import { renderMarkdown, safeUrl } from '../internal/markdown.js';
import { formatDate, relativeTime, todayDateOnly } from '../internal/format.js';
import { avatar, emptyState, errorState, loadingState } from '../internal/parts.js';
import { uniqueId } from '../internal/ids.js';
import {
  MenteoActionItemToggleEvent, MenteoErrorEvent, MenteoMessageCreateEvent, MenteoNoteCreateEvent, MenteoResourceCreateEvent,
} from '../events.js';
import type { FormContext } from './room-forms.js';
import { roomStyles } from './room.styles.js';

/** The sections of a room, in tab order. */
export type RoomTab = 'conversation' | 'notes' | 'resources' | 'roadmap' | 'check-in' | 'feedback' | 'learning-log';
const TABS: readonly RoomTab[] = ['conversation', 'notes', 'resources', 'roadmap', 'check-in', 'feedback', 'learning-log'];

type Forms = typeof import('./room-forms.js');

/**
 * The elements a tab shows, loaded on first use: a page showing only the room's conversation
 * does not load the roadmap, check-in or feedback code.
 */
const LAZY: Partial<Record<RoomTab, () => Promise<unknown>>> = {
  roadmap: () => import('../define/roadmap.js'),
  'check-in': () => Promise.all([import('../define/check-in.js'), import('../define/check-in-history.js')]),
  feedback: () => import('../define/feedback-exchange.js'),
  'learning-log': () => import('../define/learning-log.js'),
};

/** A write in flight from one of the room's forms. */
interface FormState {
  sending: boolean;
  error: string | undefined;
  sent: string | undefined;
}
const IDLE: FormState = { sending: false, error: undefined, sent: undefined };

interface Lists {
  messages: Message[];
  notes: SessionNote[];
  resources: Resource[];
  olderMessages: string | null;
}

function roleLabel(r: RoomRole): string {
  return r === 'mentor' ? msg('Mentor') : r === 'mentee' ? msg('Mentee') : msg('Observer');
}

function tabLabel(t: RoomTab): string {
  switch (t) {
    case 'conversation':
      return msg('Conversation');
    case 'notes':
      return msg('Session notes');
    case 'resources':
      return msg('Resources');
    case 'roadmap':
      return msg('Roadmap');
    case 'check-in':
      return msg('Check-ins');
    case 'feedback':
      return msg('Feedback');
    case 'learning-log':
      return msg('Learning log');
  }
}

/**
 * A mentorship room: title, purpose and members with their roles, then the room's conversation
 * (with a composer), session notes with action items (write one, tick them), shared resources
 * (share one), the room's roadmap, check-ins with their history and trend, feedback in both
 * directions, and the mentor's learning log, as keyboard-operable tabs. The elements a tab shows
 * are loaded the first time it is opened. Observers read only; archived rooms are read-only and
 * say so.
 *
 * @summary A mentorship room: members, conversation, notes, resources, roadmap and check-in.
 * @tag menteo-room
 *
 * @csspart header - Title, purpose, status and members.
 * @csspart members - The member list.
 * @csspart tabs - The tab list.
 * @csspart tab - One tab.
 * @csspart panel - The active tab panel.
 * @csspart message - One message of the conversation.
 * @csspart note - One session note.
 * @csspart action-item - One action item checkbox row.
 * @csspart resource - One shared resource.
 * @csspart composer - The message composer.
 * @csspart button - Every button.
 * @csspart state - Loading, empty and error states.
 * @csspart archived-notice - The read-only notice of an archived room.
 * @csspart roadmap-milestone - Milestones of the nested roadmap (exported from `<menteo-roadmap>`).
 * @csspart note-form - The "Write a session note" disclosure.
 * @csspart resource-form - The "Share a resource" disclosure.
 *
 * @cssprop --menteo-color-accent - Active tab, buttons, links.
 * @cssprop --menteo-color-surface - Background of messages and notes.
 *
 * @cssstate loading - The room is loading.
 * @cssstate error - The room could not load.
 *
 * @fires {MenteoMessageCreateEvent} menteo-message-create - The reader sent a message.
 * @fires {MenteoActionItemToggleEvent} menteo-action-item-toggle - The reader ticked or unticked an action item.
 * @fires {MenteoNoteCreateEvent} menteo-note-create - The reader wrote a session note.
 * @fires {MenteoResourceCreateEvent} menteo-resource-create - The reader shared a resource.
 * @fires {MenteoErrorEvent} menteo-error - A load or write failed.
 */
export class MenteoRoom extends MenteoWidget {
  static override styles = [MenteoElement.styles, roomStyles];

  /** The room to show. */
  @property({ attribute: 'room-id', reflect: true }) roomId: string | undefined = undefined;

  /** The tab shown first. */
  @property() tab: RoomTab = 'conversation';

  /**
   * Leaves out the Roadmap tab, for pages that show the room's `<menteo-roadmap>` beside the room
   * (so nothing shows twice).
   */
  @property({ type: Boolean, attribute: 'hide-roadmap' }) hideRoadmap = false;

  @state() private room: Room | undefined;
  @state() private lists: Lists = { messages: [], notes: [], resources: [], olderMessages: null };
  @state() private message = '';
  @state() private sending = false;
  @state() private sendError: string | undefined;
  @state() private toggling = new Set<string>();
  @state() private forms: Forms | undefined;
  @state() private noteState: FormState = IDLE;
  @state() private resourceState: FormState = IDLE;
  @state() private noteRows = 1;

  private readonly ids = { base: uniqueId('room') };
  private readonly live = new LiveController(this, {
    client: () => this.session?.client,
    session: () => this.session,
    target: () => this.room?.id ?? '',
    position: () => this.loadedAt,
    open: (client, options) => this.subscribe(client.events.room(this.room?.id ?? '', options)),
  });
  /** Where the last load stands in the event log: the live subscription starts there. */
  private loadedAt: EventPosition | undefined;
  private draft: DraftStore | undefined;
  private pendingKey: string | undefined;
  private draftKey = '';

  private readonly loadTask = new Task(this, {
    args: () => [this.session?.client, this.roomId] as const,
    task: async ([client, roomId], { signal }) => {
      if (client === undefined || !roomId) return initialState;
      const position = client.events.position();
      const [room, messages, notes, resources] = await Promise.all([
        client.rooms.get(roomId, { signal, position }),
        client.rooms.messages.list(roomId, { limit: 30 }, { signal, position }),
        client.rooms.notes.list(roomId, { limit: 20 }, { signal, position }),
        client.rooms.resources.list(roomId, { limit: 50 }, { signal, position }),
      ]).then(undefined, (e: unknown) => this.reportLoadError(e));
      this.loadedAt = position;
      this.room = room;
      this.lists = { messages: messages.items, notes: notes.items, resources: resources.items, olderMessages: messages.nextCursor };
      return room.id;
    },
  });

  protected override firstUpdated(): void {
    if (!this.roomId) this.warn('no-id', 'needs a `room-id` attribute.');
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('tab') || changed.has('room')) this.loadTab(this.tab);
    const key = this.roomId ? `room:${this.draftOwner()}:${this.roomId}:message` : '';
    if (key !== this.draftKey) {
      this.draftKey = key;
      this.draft = key ? new DraftStore(key) : undefined;
      const saved = this.draft?.load();
      this.message = saved?.text ?? '';
      this.pendingKey = saved?.idempotencyKey;
    }
  }

  /** Attaches the room's listeners to its live subscription. */
  private subscribe(sub: LiveSubscription): LiveSubscription {
    sub.on('message.created', (e) => {
      if (this.lists.messages.some((m) => m.id === e.data.id)) return;
      this.lists = { ...this.lists, messages: [e.data, ...this.lists.messages] };
      if (e.data.author.id !== this.session?.me?.person?.id) this.announcer.polite(msg(str`New message from ${e.data.author.displayName}`));
    });
    sub.on('note.created', (e) => {
      if (!this.lists.notes.some((n) => n.id === e.data.id)) this.lists = { ...this.lists, notes: [e.data, ...this.lists.notes] };
    });
    sub.on('note.updated', (e) => this.replaceNote(e.data));
    sub.on('resource.created', (e) => {
      if (!this.lists.resources.some((r) => r.id === e.data.id)) this.lists = { ...this.lists, resources: [e.data, ...this.lists.resources] };
    });
    sub.on('resource.deleted', (e) => {
      this.lists = { ...this.lists, resources: this.lists.resources.filter((r) => r.id !== e.data.id) };
    });
    sub.on('room.updated', (e) => {
      this.room = e.data;
    });
    return sub;
  }

  private get readOnly(): boolean {
    return this.room?.status === 'archived';
  }

  /** The tabs this room shows, in order. */
  private get tabs(): readonly RoomTab[] {
    return TABS.filter((t) => !(t === 'roadmap' && this.hideRoadmap));
  }

  /** Whether the reader takes part (mentor or mentee) in an active room: observers read only. */
  private get participates(): boolean {
    const me = this.session?.me?.person?.id;
    return !this.readOnly && (this.room?.members.some((m) => m.person.id === me && m.role !== 'observer') ?? false);
  }

  private loadTab(t: RoomTab): void {
    void LAZY[t]?.();
    if ((t === 'notes' || t === 'resources') && this.forms === undefined && this.participates) {
      void import('./room-forms.js').then((m) => {
        this.forms = m;
      });
    }
  }

  private replaceNote(note: SessionNote): void {
    this.lists = { ...this.lists, notes: this.lists.notes.map((n) => (n.id === note.id ? note : n)) };
  }

  // ---- tabs (WAI-ARIA tabs pattern, automatic activation) -----------------------------------

  private selectTab(t: RoomTab, focus = false): void {
    this.tab = t;
    if (focus) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#${this.ids.base}-tab-${t}`)?.focus());
  }

  private onTabKeydown(e: KeyboardEvent): void {
    const TABS = this.tabs;
    const i = TABS.indexOf(this.tab);
    const rtl = getComputedStyle(this).direction === 'rtl';
    let next: number | undefined;
    if (e.key === (rtl ? 'ArrowLeft' : 'ArrowRight')) next = (i + 1) % TABS.length;
    else if (e.key === (rtl ? 'ArrowRight' : 'ArrowLeft')) next = (i - 1 + TABS.length) % TABS.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = TABS.length - 1;
    if (next === undefined) return;
    e.preventDefault();
    this.selectTab(TABS[next] ?? 'conversation', true);
  }

  // ---- writes -------------------------------------------------------------------------------

  private async sendMessage(e: Event): Promise<void> {
    e.preventDefault();
    const client = this.session?.client;
    const person = this.session?.me?.person;
    const body = this.message.trim();
    if (client === undefined || !person || !this.roomId || this.sending || body === '') return;
    this.pendingKey ??= newIdempotencyKey();
    this.draft?.save(this.message, {}, this.pendingKey);
    const optimistic: Message = { id: `pending:${this.pendingKey}`, roomId: this.roomId, author: person, body, createdAt: new Date().toISOString() };
    this.lists = { ...this.lists, messages: [optimistic, ...this.lists.messages] };
    this.message = '';
    this.sending = true;
    this.sendError = undefined;
    try {
      const sent = await client.rooms.messages.create(this.roomId, { body }, { idempotencyKey: this.pendingKey });
      this.lists = { ...this.lists, messages: [sent, ...this.lists.messages.filter((m) => m.id !== optimistic.id && m.id !== sent.id)] };
      this.pendingKey = undefined;
      this.draft?.clear();
      this.dispatchEvent(new MenteoMessageCreateEvent(sent));
    } catch (error) {
      this.lists = { ...this.lists, messages: this.lists.messages.filter((m) => m.id !== optimistic.id) };
      if (this.message === '') this.message = body;
      this.sendError = msg(str`Not sent. ${describeError(error)}`);
      this.announcer.assertive(this.sendError);
      this.dispatchEvent(new MenteoErrorEvent('message-create', error));
    } finally {
      this.sending = false;
    }
  }

  private async toggleItem(note: SessionNote, item: ActionItem): Promise<void> {
    const client = this.session?.client;
    if (client === undefined || !this.roomId || this.toggling.has(item.id) || this.readOnly) return;
    const done = !item.done;
    this.toggling = new Set(this.toggling).add(item.id);
    this.replaceNote({ ...note, actionItems: note.actionItems.map((a) => (a.id === item.id ? { ...a, done } : a)) });
    try {
      const updated = await client.rooms.notes.updateActionItem(this.roomId, note.id, item.id, { done });
      this.replaceNote(updated);
      const after = updated.actionItems.find((a) => a.id === item.id);
      if (after) this.dispatchEvent(new MenteoActionItemToggleEvent(updated, after));
    } catch (error) {
      this.replaceNote(note);
      this.announcer.assertive(msg(str`"${item.text}" was not updated. ${describeError(error)}`));
      this.dispatchEvent(new MenteoErrorEvent('action-item-toggle', error));
    } finally {
      const next = new Set(this.toggling);
      next.delete(item.id);
      this.toggling = next;
    }
  }

  /** Sends one of the room's forms; the form is reset once the server acknowledged the write. */
  private async sendForm<T>(
    form: HTMLFormElement,
    set: (s: FormState) => void,
    get: () => FormState,
    write: () => Promise<T> | { invalid: string },
    done: (created: T) => string,
  ): Promise<void> {
    if (get().sending) return;
    const result = write();
    if (!(result instanceof Promise)) {
      set({ ...IDLE, error: msg('Fill in the highlighted field.') });
      form.querySelector<HTMLElement>(`[name=${result.invalid}]`)?.focus();
      form.querySelector<HTMLElement>(`[name=${result.invalid}]`)?.setAttribute('aria-invalid', 'true');
      return;
    }
    set({ ...IDLE, sending: true });
    try {
      const created = await result;
      form.reset();
      for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
      const sent = done(created);
      set({ ...IDLE, sent });
      this.announcer.polite(sent);
    } catch (error) {
      const text = msg(str`Not saved. ${describeError(error)}`);
      set({ ...IDLE, error: text });
      this.announcer.assertive(text);
      this.dispatchEvent(new MenteoErrorEvent('room-write', error));
    }
  }

  private saveNote(e: SubmitEvent): void {
    e.preventDefault();
    const client = this.session?.client;
    const forms = this.forms;
    const roomId = this.roomId;
    if (client === undefined || forms === undefined || !roomId) return;
    const form = e.currentTarget as HTMLFormElement;
    void this.sendForm(
      form,
      (s) => (this.noteState = s),
      () => this.noteState,
      () => {
        const body = forms.readNote(form);
        return 'invalid' in body ? body : client.rooms.notes.create(roomId, body, { idempotencyKey: newIdempotencyKey() });
      },
      (note: SessionNote) => {
        if (!this.lists.notes.some((n) => n.id === note.id)) this.lists = { ...this.lists, notes: [note, ...this.lists.notes] };
        this.noteRows = 1;
        this.dispatchEvent(new MenteoNoteCreateEvent(note));
        return msg('Session note saved.');
      },
    );
  }

  private shareResource(e: SubmitEvent): void {
    e.preventDefault();
    const client = this.session?.client;
    const forms = this.forms;
    const roomId = this.roomId;
    if (client === undefined || forms === undefined || !roomId) return;
    const form = e.currentTarget as HTMLFormElement;
    void this.sendForm(
      form,
      (s) => (this.resourceState = s),
      () => this.resourceState,
      () => {
        const body = forms.readResource(form);
        return 'invalid' in body ? body : client.rooms.resources.create(roomId, body, { idempotencyKey: newIdempotencyKey() });
      },
      (resource: Resource) => {
        if (!this.lists.resources.some((r) => r.id === resource.id)) this.lists = { ...this.lists, resources: [resource, ...this.lists.resources] };
        this.dispatchEvent(new MenteoResourceCreateEvent(resource));
        return msg('Resource shared.');
      },
    );
  }

  private formContext(kind: 'note' | 'resource', st: FormState, onSubmit: (e: SubmitEvent) => void): FormContext {
    return {
      id: `${this.ids.base}-${kind}`,
      members: this.room?.members ?? [],
      ...st,
      onSubmit,
      onInput: () => {
        if (st.error !== undefined || st.sent !== undefined) {
          if (kind === 'note') this.noteState = { ...this.noteState, error: undefined, sent: undefined };
          else this.resourceState = { ...this.resourceState, error: undefined, sent: undefined };
        }
      },
    };
  }

  private async loadOlder(): Promise<void> {
    const client = this.session?.client;
    const cursor = this.lists.olderMessages;
    if (client === undefined || !this.roomId || cursor === null) return;
    try {
      const page = await client.rooms.messages.list(this.roomId, { limit: 30, cursor });
      this.lists = { ...this.lists, messages: [...this.lists.messages, ...page.items], olderMessages: page.nextCursor };
    } catch (error) {
      this.announcer.assertive(describeError(error));
    }
  }

  // ---- rendering ----------------------------------------------------------------------------

  private renderHeader(room: Room): TemplateResult {
    return html`<header part="header" class="header">
      <div class="title-row">
        <h2>${room.title}</h2>
        <span class="status status--${room.status}">${room.status === 'archived' ? msg('Archived') : msg('Active')}</span>
      </div>
      ${room.purpose ? html`<p class="purpose">${room.purpose}</p>` : nothing}
      <ul part="members" class="members" aria-label=${msg('Members')}>
        ${room.members.map(
          (m) => html`<li>${avatar(m.person, 'sm')}<span>${m.person.displayName}</span><span class="role role--${m.role}">${roleLabel(m.role)}</span></li>`,
        )}
      </ul>
      ${this.readOnly
        ? html`<p part="archived-notice" class="notice" role="note">${msg('This room is archived. You can read everything, but nothing can be added or changed.')}</p>`
        : nothing}
    </header>`;
  }

  private renderConversation(): TemplateResult {
    const me = this.session?.me;
    const canWrite = !this.readOnly && can(me, 'messages:write') && !!me?.person;
    // Oldest at the top, as in any conversation; the API pages newest first.
    const messages = [...this.lists.messages].reverse();
    return html`${this.lists.olderMessages !== null
        ? html`<button part="button" class="btn btn--ghost btn--small older" type="button" @click=${this.loadOlder}>${msg('Show earlier messages')}</button>`
        : nothing}
      ${messages.length === 0
        ? emptyState(msg('No messages yet'), canWrite ? msg('Say hello: a first message gets the room going.') : undefined)
        : html`<ol class="messages" aria-label=${msg('Messages')}>
            ${messages.map(
              (m) => html`<li part="message" class="message ${m.id.startsWith('pending:') ? 'message--pending' : ''}">
                ${avatar(m.author, 'sm')}
                <div>
                  <div class="meta"><strong>${m.author.displayName}</strong> · ${m.id.startsWith('pending:') ? msg('Sending…') : relativeTime(m.createdAt)}</div>
                  <div class="md">${renderMarkdown(m.body)}</div>
                </div>
              </li>`,
            )}
          </ol>`}
      ${canWrite
        ? html`<form part="composer" class="composer" @submit=${this.sendMessage}>
            <label for="${this.ids.base}-msg" class="visually-hidden">${msg('Message')}</label>
            <textarea
              id="${this.ids.base}-msg"
              rows="2"
              maxlength="4000"
              placeholder=${msg('Write a message…')}
              aria-describedby="${this.ids.base}-msg-error"
              .value=${this.message}
              @input=${(e: Event) => {
                this.message = (e.target as HTMLTextAreaElement).value;
                this.sendError = undefined;
                this.draft?.save(this.message, {}, this.pendingKey);
              }}
              @keydown=${(e: KeyboardEvent) => {
                if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void this.sendMessage(e);
              }}
            ></textarea>
            <button part="button" class="btn btn--primary" type="submit" aria-disabled=${this.sending ? 'true' : 'false'}>${msg('Send')}</button>
            <span id="${this.ids.base}-msg-error" class="error-text">${this.sendError ?? nothing}</span>
          </form>`
        : nothing}`;
  }

  private renderNotes(): TemplateResult {
    const canWrite = this.participates && can(this.session?.me, 'notes:write');
    const form =
      canWrite && this.forms
        ? this.forms.noteForm(this.formContext('note', this.noteState, (e) => this.saveNote(e)), this.noteRows, () => {
            this.noteRows += 1;
            const next = this.noteRows - 1;
            void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#${this.ids.base}-note-item-${next}`)?.focus());
          })
        : nothing;
    if (this.lists.notes.length === 0) return html`${form}${emptyState(msg('No session notes yet'))}`;
    const canTick = this.participates && can(this.session?.me, 'notes:write');
    const names = new Map((this.room?.members ?? []).map((m) => [m.person.id, m.person.displayName]));
    return html`${form}<ol class="notes">
      ${this.lists.notes.map(
        (n) => html`<li part="note" class="note">
          <h3>${msg(str`Session of ${formatDate(n.sessionDate)}`)}</h3>
          <div class="md">${renderMarkdown(n.summary)}</div>
          ${n.actionItems.length
            ? html`<ul class="items" aria-label=${msg('Action items')}>
                ${n.actionItems.map(
                  (a) => html`<li part="action-item" class="item ${a.done ? 'item--done' : ''}">
                    <label>
                      <input type="checkbox" .checked=${a.done} ?disabled=${!canTick || this.toggling.has(a.id)} @change=${() => this.toggleItem(n, a)} />
                      <span>${a.text}</span>
                    </label>
                    ${a.ownerId && names.has(a.ownerId) ? html`<span class="muted">${names.get(a.ownerId)}</span>` : nothing}
                    ${a.dueDate ? html`<span class="muted ${!a.done && a.dueDate < todayDateOnly() ? 'overdue' : ''}">${!a.done && a.dueDate < todayDateOnly() ? msg(str`overdue since ${formatDate(a.dueDate)}`) : msg(str`due ${formatDate(a.dueDate)}`)}</span>` : nothing}
                  </li>`,
                )}
              </ul>`
            : nothing}
        </li>`,
      )}
    </ol>`;
  }

  private renderResources(): TemplateResult {
    const form =
      this.participates && can(this.session?.me, 'resources:write') && this.forms
        ? this.forms.resourceForm(this.formContext('resource', this.resourceState, (e) => this.shareResource(e)))
        : nothing;
    if (this.lists.resources.length === 0) return html`${form}${emptyState(msg('No shared resources yet'))}`;
    return html`${form}<ul class="resources">
      ${this.lists.resources.map((r) => {
        const href = safeUrl(r.url);
        return html`<li part="resource" class="resource">
          ${href ? html`<a part="link" href=${href} target="_blank" rel="noopener noreferrer nofollow ugc">${r.title}</a>` : html`<strong>${r.title}</strong>`}
          ${r.note ? html`<p>${r.note}</p>` : nothing}
          <span class="muted">${msg(str`Shared by ${r.addedBy.displayName}`)} · ${relativeTime(r.createdAt)}</span>
        </li>`;
      })}
    </ul>`;
  }

  private renderPanel(room: Room): TemplateResult {
    switch (this.tab) {
      case 'conversation':
        return this.renderConversation();
      case 'notes':
        return this.renderNotes();
      case 'resources':
        return this.renderResources();
      case 'roadmap':
        return room.roadmapId
          ? html`<menteo-roadmap
              roadmap-id=${room.roadmapId}
              ?readonly=${this.readOnly}
              exportparts="milestone: roadmap-milestone, button, state, header: roadmap-header, timeline: roadmap-timeline"
            ></menteo-roadmap>`
          : emptyState(msg('No roadmap yet'));
      case 'check-in':
        return html`${this.participates
            ? html`<menteo-check-in
                room-id=${room.id}
                exportparts="form: check-in-form, button, rating"
                @menteo-check-in-submit=${(e: Event & { checkIn: CheckIn }) =>
                  this.renderRoot.querySelector('menteo-check-in-history')?.add(e.checkIn)}
              ></menteo-check-in>`
            : this.readOnly
              ? html`<p class="muted">${msg('Check-ins are closed in archived rooms.')}</p>`
              : nothing}
          <menteo-check-in-history room-id=${room.id} exportparts="chart: check-in-chart, entry: check-in-entry, state"></menteo-check-in-history>`;
      case 'feedback':
        return html`<menteo-feedback-exchange room-id=${room.id} exportparts="button, state"></menteo-feedback-exchange>`;
      case 'learning-log':
        return html`<menteo-learning-log room-id=${room.id} exportparts="entry: learning, button, state"></menteo-learning-log>`;
    }
  }

  private renderRoom(room: Room): TemplateResult {
    return html`${this.renderHeader(room)}
      <div part="tabs" class="tabs" role="tablist" aria-label=${msg('Room sections')} @keydown=${this.onTabKeydown}>
        ${this.tabs.map((t) => {
          const selected = t === this.tab;
          return html`<button
            part="tab"
            class="tab"
            role="tab"
            id="${this.ids.base}-tab-${t}"
            aria-selected=${selected ? 'true' : 'false'}
            aria-controls="${this.ids.base}-panel"
            tabindex=${selected ? 0 : -1}
            @click=${() => this.selectTab(t)}
          >
            ${tabLabel(t)}
          </button>`;
        })}
      </div>
      <div part="panel" class="panel" role="tabpanel" id="${this.ids.base}-panel" aria-labelledby="${this.ids.base}-tab-${this.tab}" tabindex="0">
        ${this.renderPanel(room)}
      </div>`;
  }

  protected override render(): TemplateResult {
    let stateName: ViewState = 'loading';
    let body = this.renderSessionGate() ?? this.renderAccessLoss(this.live.lost, msg('You no longer have access to this room.'));
    if (body === undefined) {
      body = this.loadTask.render({
        initial: () => loadingState(),
        pending: () => (this.room ? this.renderRoom(this.room) : loadingState()),
        complete: () => {
          stateName = 'ready';
          return this.room ? this.renderRoom(this.room) : loadingState();
        },
        error: (error) => {
          stateName = 'error';
          return errorState(describeError(error), () => void this.loadTask.run());
        },
      }) as TemplateResult;
      this.setViewState(stateName);
    }
    return html`${body}${this.announcer.render()}`;
  }
}
