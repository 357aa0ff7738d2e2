import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { msg, str } from '@lit/localize';
import type { Post, Audience } from '@menteo/api/threads';
import type { Milestone } from '@menteo/api/roadmaps';
import { MenteoElement } from '../internal/menteo-element.js';
import { MenteoWidget } from '../internal/widget.js';
import { can } from '../internal/session-consumer.js';
import { DraftStore, newIdempotencyKey } from '../internal/draft-store.js';
import { describeError } from '../internal/errors.js';
import { avatar } from '../internal/parts.js';
import { uniqueId } from '../internal/ids.js';
import { MenteoErrorEvent, MenteoPostCreateEvent, MenteoPostSendEvent } from '../events.js';
import { composerStyles } from './composer.styles.js';

/** Id prefix of the optimistic copy of a post in flight (see `menteo-post-send`). */
const PENDING_PREFIX = 'pending:';

/** Whether the signed-in person may post here; `unknown` while the thread's author is loading. */
type Permission = 'yes' | 'no' | 'unknown';

/**
 * Writes a growth-thread post: text (markdown), audience, and optionally the roadmap milestone
 * it is evidence for. With `thread-id` it posts to that thread, and shows itself only to the
 * thread's author (the server lets no one else post there); otherwise it posts to the person's
 * own thread in `room-id` (created on the first post), or their organization-wide thread.
 *
 * What the person types is kept locally until the server acknowledges it: a failed request or a
 * reload loses nothing, and a retry reuses the same idempotency key, so it never posts twice.
 * Form-associated: inside a host `<form>` its value (the post as JSON) is submitted under `name`,
 * and a host form's reset clears it.
 *
 * @summary Writes a post, with audience and milestone evidence.
 * @tag menteo-composer
 *
 * @csspart composer - The form.
 * @csspart composer-input - The text area.
 * @csspart avatar - The writer's avatar.
 * @csspart button - Every button.
 * @csspart post-button - The "Post" button.
 *
 * @cssprop --menteo-color-accent - Accent colour of the button.
 * @cssprop --menteo-color-surface - Background of the form.
 *
 * @fires {MenteoPostSendEvent} menteo-post-send - A post left for the server (with its optimistic copy).
 * @fires {MenteoPostCreateEvent} menteo-post-create - The server stored the post.
 * @fires {MenteoErrorEvent} menteo-error - Posting failed after the client's retries.
 */
export class MenteoComposer extends MenteoWidget {
  static override styles = [MenteoElement.styles, composerStyles];

  /** Lets the composer take part in a host `<form>`. */
  static formAssociated = true;

  /** Posts in this room (private to it by default) and offers its roadmap's milestones. */
  @property({ attribute: 'room-id', reflect: true }) roomId: string | undefined = undefined;

  /** Posts to this thread; the composer shows only to the thread's author. */
  @property({ attribute: 'thread-id', reflect: true }) threadId: string | undefined = undefined;

  /** Context added to the form's name, so several composers on a page are told apart. */
  @property() label: string | undefined = undefined;

  /** The name under which the post (JSON) is submitted with a host `<form>`. */
  @property({ reflect: true }) name = '';

  /** Disables the composer (also set by a disabled ancestor `<fieldset>`). */
  @property({ type: Boolean, reflect: true }) disabled = false;

  /**
   * Milestones to offer as evidence. Leave unset and the composer loads the room's roadmap itself;
   * a feed that already has them passes them in.
   */
  @property({ attribute: false }) milestones: readonly Milestone[] | undefined = undefined;

  @state() private text = '';
  @state() private audience: Audience = 'room';
  @state() private milestoneId = '';
  @state() private posting = false;
  @state() private postError: string | undefined;
  @state() private loadedMilestones: readonly Milestone[] = [];
  @state() private permission: Permission = 'unknown';

  private readonly internals: ElementInternals;
  private readonly ids = { input: uniqueId('composer') };
  private draft: DraftStore | undefined;
  private draftKey = '';
  private pendingKey: string | undefined;
  private ownThreadId: string | undefined;
  /** What the milestones and the permission were loaded for (client, person, room, thread). */
  private loadedFor: string | undefined;
  private loadedClient: unknown;
  private formDisabled = false;

  constructor() {
    super();
    this.internals = this.attachInternals();
    this.useInternals(this.internals);
  }

  /** Whether the signed-in person may post here (scope, and authorship of `thread-id`). */
  get canPost(): boolean {
    return this.permission === 'yes';
  }

  /** The post being written, as a host form would submit it. */
  get value(): { body: string; audience: Audience; milestoneId: string | null } {
    return { body: this.text, audience: this.audience, milestoneId: this.milestoneId || null };
  }

  /** The owning host form, if any. */
  get form(): HTMLFormElement | null {
    return this.internals.form;
  }

  /** Focuses the text area. */
  override focus(options?: FocusOptions): void {
    this.renderRoot.querySelector<HTMLTextAreaElement>('textarea')?.focus(options);
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('roomId') || changed.has('threadId') || changed.has('session') || !this.hasUpdated) this.restoreDraft();
    const client = this.session?.client;
    const person = this.session?.me?.person;
    // Loaded once the person is known, not when the client first appears: the session carries
    // the client before sign-in finishes, and a scope check before then always says no (the
    // composer never offered "Evidence for" because milestones loaded at that moment).
    const key = client && person ? `${person.id}|${this.roomId ?? ''}|${this.threadId ?? ''}` : undefined;
    if (key !== this.loadedFor || (key !== undefined && changed.has('session') && client !== this.loadedClient)) {
      this.loadedFor = key;
      this.loadedClient = client;
      this.permission = 'unknown';
      this.ownThreadId = undefined;
      if (key !== undefined) {
        void this.checkPermission();
        void this.loadMilestones();
      }
    }
  }

  protected override updated(): void {
    this.internals.setFormValue(JSON.stringify(this.value));
  }

  // ---- permission and milestones ------------------------------------------------------------

  private async checkPermission(): Promise<void> {
    const client = this.session?.client;
    const me = this.session?.me;
    const person = me?.person;
    if (client === undefined || !person || !can(me, 'posts:write')) {
      this.permission = 'no';
      return;
    }
    if (!this.threadId) {
      this.permission = 'yes';
      return;
    }
    // The server's rule (routes/threads.ts): only a thread's author posts to it. A mentor
    // reading a mentee's thread comments instead; a composer there could only fail with 403.
    const threadId = this.threadId;
    try {
      const thread = await client.threads.get(threadId);
      if (threadId === this.threadId) this.permission = thread.author.id === person.id ? 'yes' : 'no';
    } catch {
      if (threadId === this.threadId) this.permission = 'no';
    }
  }

  private async loadMilestones(): Promise<void> {
    const client = this.session?.client;
    const roomId = this.roomId;
    if (this.milestones !== undefined || client === undefined || !roomId || !can(this.session?.me, 'roadmaps:read')) return;
    try {
      const page = await client.roadmaps.list({ roomId, limit: 1 });
      if (roomId === this.roomId) this.loadedMilestones = page.items[0]?.milestones ?? [];
    } catch {
      // Linking a milestone is optional; the composer works without the list.
      this.loadedMilestones = [];
    }
  }

  /** Milestones a post can still be evidence for: not done yet. */
  private get offeredMilestones(): readonly Milestone[] {
    return (this.milestones ?? this.loadedMilestones).filter((m) => m.status !== 'done');
  }

  // ---- drafts ------------------------------------------------------------------------------

  private restoreDraft(): void {
    const key = `feed:${this.draftOwner()}:${this.threadId ?? this.roomId ?? 'org'}:post`;
    if (key === this.draftKey) return;
    this.draftKey = key;
    this.draft = new DraftStore(key);
    const saved = this.draft.load();
    this.text = saved?.text ?? '';
    this.audience = (saved?.fields.audience as Audience | undefined) ?? this.defaultAudience();
    this.milestoneId = saved?.fields.milestoneId ?? '';
    this.pendingKey = saved?.idempotencyKey;
  }

  private defaultAudience(): Audience {
    return this.roomId || this.threadId ? 'room' : 'org';
  }

  private saveDraft(): void {
    this.draft?.save(this.text, { audience: this.audience, milestoneId: this.milestoneId }, this.pendingKey);
  }

  // ---- sending -----------------------------------------------------------------------------

  /** The reader's thread to post into: `thread-id`, or their thread in this room, created on first post. */
  private async resolveThread(): Promise<string> {
    const client = this.session?.client;
    const me = this.session?.me?.person;
    if (client === undefined || !me) throw Object.assign(new Error('not signed in'), { code: 'unauthenticated' });
    if (this.threadId) return this.threadId;
    if (this.ownThreadId) return this.ownThreadId;
    const page = await client.threads.list({ authorId: me.id, ...(this.roomId ? { roomId: this.roomId } : {}), limit: 1 });
    const thread =
      page.items[0] ??
      (await client.threads.create({ title: msg(str`${me.displayName}'s growth thread`), ...(this.roomId ? { roomId: this.roomId } : {}) }));
    this.ownThreadId = thread.id;
    return thread.id;
  }

  private onInput(e: InputEvent): void {
    this.text = (e.target as HTMLTextAreaElement).value;
    this.postError = undefined;
    this.saveDraft();
  }

  private onKeydown(e: KeyboardEvent): void {
    // Ctrl/Cmd+Enter posts, as in most composers; plain Enter is a new line.
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void this.submit();
    }
  }

  /** Posts what is written (what the "Post" button does). Resolves true once the server stored it. */
  async submit(e?: Event): Promise<boolean> {
    e?.preventDefault();
    const client = this.session?.client;
    const person = this.session?.me?.person;
    const body = this.text.trim();
    if (this.posting || this.disabled || this.formDisabled || client === undefined || !person) return false;
    const focusWasInside = this.shadowRoot?.activeElement != null;
    if (body === '') {
      this.postError = msg('Write something before posting.');
      this.focus();
      return false;
    }
    // The key is stored with the draft before the request leaves, so a retry, even after a
    // reload, repeats this same write instead of creating a second post.
    this.pendingKey ??= newIdempotencyKey();
    this.saveDraft();
    const key = this.pendingKey;
    const audience = this.audience;
    const milestoneId = this.milestoneId || undefined;
    const now = new Date().toISOString();
    const optimistic: Post = {
      id: `${PENDING_PREFIX}${key}`,
      threadId: this.threadId ?? '',
      threadTitle: '',
      author: person,
      body,
      audience,
      roomId: this.roomId ?? null,
      milestoneId: milestoneId ?? null,
      skills: [],
      reactions: [],
      commentCount: 0,
      createdAt: now,
      updatedAt: now,
    };
    this.posting = true;
    this.postError = undefined;
    this.text = '';
    const result = this.resolveThread().then((threadId) =>
      client.threads.posts.create(
        threadId,
        { body, audience, ...(this.roomId && audience === 'room' ? { roomId: this.roomId } : {}), ...(milestoneId ? { milestoneId } : {}) },
        { idempotencyKey: key },
      ),
    );
    // Listeners that do not handle a failure must not see an unhandled rejection.
    result.catch(() => undefined);
    this.dispatchEvent(new MenteoPostSendEvent(optimistic, result));
    try {
      const post = await result;
      this.pendingKey = undefined;
      this.milestoneId = '';
      this.draft?.clear();
      if (this.text === '') this.audience = this.defaultAudience();
      this.announcer.polite(msg('Your post is published.'));
      this.dispatchEvent(new MenteoPostCreateEvent(post));
      return true;
    } catch (error) {
      // The text returns to the composer with the reason, and the draft (with its idempotency
      // key) is still stored.
      if (this.text === '') this.text = body;
      this.saveDraft();
      this.postError = msg(str`Not posted. ${describeError(error)}`);
      this.announcer.assertive(this.postError);
      this.dispatchEvent(new MenteoErrorEvent('post-create', error));
      return false;
    } finally {
      this.posting = false;
      // The "Post" button was disabled in flight, which sent focus to the page: it goes back to
      // the text area, ready for the next post (or to fix this one).
      const active = this.ownerDocument.activeElement;
      if (focusWasInside && (active === this.ownerDocument.body || active === null || this.shadowRoot?.activeElement != null)) {
        await this.updateComplete;
        this.focus();
      }
    }
  }

  /** Called by the host form on reset: clears the text and the draft. */
  formResetCallback(): void {
    this.draft?.clear();
    this.pendingKey = undefined;
    this.text = '';
    this.milestoneId = '';
    this.audience = this.defaultAudience();
  }

  /** Called when an ancestor fieldset is disabled or enabled. */
  formDisabledCallback(disabled: boolean): void {
    this.formDisabled = disabled;
    this.requestUpdate();
  }

  // ---- rendering ---------------------------------------------------------------------------

  private audienceLabel(a: Audience): string {
    return a === 'room' ? msg('This room only') : a === 'org' ? msg('Everyone in the organization') : msg('Anyone with the link');
  }

  protected override render(): TemplateResult | typeof nothing {
    const me = this.session?.me;
    if (this.permission !== 'yes' || !me?.person) return nothing;
    const audiences: Audience[] = this.roomId || this.threadId ? ['room', 'org', 'public'] : ['org', 'public'];
    const id = this.ids.input;
    const errorId = `${id}-error`;
    const milestones = this.offeredMilestones;
    const disabled = this.disabled || this.formDisabled;
    // A named form is a landmark: with several composers on a page, the label tells them apart
    // ("Write a post, Posts in room A"), as landmarks must be.
    const labelled = this.label ? `${id}-title ${id}-context` : `${id}-title`;
    return html`<form part="composer" class="composer" @submit=${this.submit} aria-labelledby=${labelled}>
        <h3 id="${id}-title" class="visually-hidden">${msg('Write a post')}</h3>
        ${this.label ? html`<span id="${id}-context" hidden>${this.label}</span>` : nothing}
        <div class="composer__row">
          ${avatar(me.person)}
          <div class="field composer__field">
            <label for=${id} class="visually-hidden">${msg('Share progress, an insight or a challenge')}</label>
            <textarea
              id=${id}
              part="composer-input"
              data-before-feed
              rows="3"
              maxlength="10000"
              placeholder=${msg('Share progress, an insight or a challenge…')}
              .value=${this.text}
              ?disabled=${disabled}
              aria-invalid=${this.postError ? 'true' : 'false'}
              aria-describedby="${id}-hint ${errorId}"
              @input=${this.onInput}
              @keydown=${this.onKeydown}
            ></textarea>
            <span id="${id}-hint" class="hint">${msg('**bold**, _italic_, `code`, lists and links work. Ctrl+Enter posts.')}</span>
            <span id=${errorId} class="error-text">${this.postError ?? nothing}</span>
          </div>
        </div>
        <div class="composer__actions">
          <label class="inline-field">
            <span class="label">${msg('Audience')}</span>
            <select
              .value=${this.audience}
              ?disabled=${disabled}
              @change=${(e: Event) => {
                this.audience = (e.target as HTMLSelectElement).value as Audience;
                this.saveDraft();
              }}
            >
              ${audiences.map((a) => html`<option value=${a} ?selected=${a === this.audience}>${this.audienceLabel(a)}</option>`)}
            </select>
          </label>
          ${milestones.length > 0
            ? html`<label class="inline-field">
                <span class="label">${msg('Evidence for')}</span>
                <select
                  data-field="milestone"
                  ?disabled=${disabled}
                  @change=${(e: Event) => {
                    this.milestoneId = (e.target as HTMLSelectElement).value;
                    this.saveDraft();
                  }}
                >
                  <option value="" ?selected=${this.milestoneId === ''}>${msg('No milestone')}</option>
                  ${milestones.map((m) => html`<option value=${m.id} ?selected=${m.id === this.milestoneId}>${m.title}</option>`)}
                </select>
              </label>`
            : nothing}
          <button part="button post-button" class="btn btn--primary" type="submit" ?disabled=${this.posting || disabled}>
            ${this.posting ? msg('Posting…') : msg('Post')}
          </button>
        </div>
      </form>
      ${this.announcer.render()}`;
  }
}
