import { html, nothing, type TemplateResult } from 'lit';
import { property, state, query } from 'lit/decorators.js';
import { Task, initialState } from '@lit/task';
import { msg, str } from '@lit/localize';
import type { Post, Comment } from '@menteo/api/threads';
import type { Milestone } from '@menteo/api/roadmaps';
import type { EventPosition, LiveSubscription } from '@menteo/client';
import { LiveController } from '../internal/live-controller.js';
import { MenteoElement } from '../internal/menteo-element.js';
import { MenteoWidget, type ViewState } from '../internal/widget.js';
import { can } from '../internal/session-consumer.js';
import { describeError, isAbort } from '../internal/errors.js';
import { warmFormatters } from '../internal/format.js';
import { emptyState, errorState, loadingState } from '../internal/parts.js';
import { MenteoErrorEvent, type MenteoCommentCreateEvent, type MenteoPostDeleteEvent, type MenteoPostSendEvent, type MenteoReactionChangeEvent } from '../events.js';
import { mergeLivePost, PENDING_PREFIX } from '../post/post.js';
import type { MenteoComposer } from '../composer/composer.js';
import type { MenteoPostList, MoreStatus } from '../post-list/post-list.js';
import { threadFeedStyles } from './thread-feed.styles.js';

/**
 * A feed of growth-thread posts: newest first, more as the reader scrolls, a composer, comments,
 * reactions, and posts from others arriving live.
 *
 * Scope it with `room-id`, `thread-id`, `author-id`, `skill` or `milestone-id` (combined with
 * AND; none for the whole organization). It follows the WAI-ARIA feed pattern: each post is an
 * `article` in a `role="feed"`; Page Down / Page Up move between posts, Ctrl+Home / Ctrl+End
 * leave the feed. Only the posts near the viewport are in the DOM, so thousands of posts stay fast.
 * Live arrivals never move what the reader is looking at: unless the reader is at the top, they
 * wait behind a "new posts" button, and are announced either way.
 *
 * What the person types is kept locally until the server acknowledges it: a failed request or a
 * reload loses nothing, and a retry reuses the same idempotency key, so it never posts twice.
 *
 * @summary Growth-thread feed with composer, comments, reactions and live updates.
 * @tag menteo-thread-feed
 *
 * Made of parts a host can also use alone: `<menteo-composer>` (writing),
 * `<menteo-post-list>` (the windowed feed) and `<menteo-post>` (one post). Their parts are
 * exported, so `menteo-thread-feed::part(reaction)` reaches every reaction button.
 *
 * @csspart composer - The composer form.
 * @csspart composer-input - The composer's text area.
 * @csspart feed - The `role=feed` list of posts.
 * @csspart post - One post (`article`).
 * @csspart post-header - Author, thread and time of a post.
 * @csspart post-body - The rendered text of a post.
 * @csspart avatar - An avatar.
 * @csspart reactions - The reaction buttons of a post.
 * @csspart reaction - One reaction button.
 * @csspart comments - The comments section of a post.
 * @csspart button - Every button.
 * @csspart new-posts-button - The "show new posts" button.
 * @csspart state - Loading, empty and error states.
 * @csspart badge - Audience and milestone badges.
 * @csspart audience - The audience badge of a post.
 * @csspart milestone - The "Evidence for" badge of a post.
 * @csspart milestone-link - That badge's link, when `milestoneHref` gives one.
 * @csspart comments-button - The button that shows or hides a post's comments.
 * @csspart delete-button - The author's "Delete" button on a post.
 * @csspart delete-confirm - The confirmation shown before a post is deleted.
 * @csspart post-button - The composer's "Post" button.
 * @csspart load-more-button - The "Load older posts" button.
 * @csspart link - Links in post text.
 *
 * @cssprop --menteo-color-accent - Accent colour (buttons, links, pressed reactions).
 * @cssprop --menteo-color-surface - Background of posts.
 * @cssprop --menteo-radius - Corner radius of posts.
 * @cssprop --menteo-font-family - Font of the feed.
 *
 * @cssstate loading - The first page is loading.
 * @cssstate empty - Loaded, and there are no posts.
 * @cssstate error - The feed could not load.
 *
 * @fires {MenteoPostCreateEvent} menteo-post-create - The reader published a post (after the server acknowledged it).
 * @fires {MenteoCommentCreateEvent} menteo-comment-create - The reader commented on a post.
 * @fires {MenteoPostSendEvent} menteo-post-send - The reader's post left for the server (its optimistic copy shows at once).
 * @fires {MenteoPostDeleteEvent} menteo-post-delete - The reader deleted one of their posts.
 * @fires {MenteoReactionChangeEvent} menteo-reaction-change - The reader added or took back a reaction.
 * @fires {MenteoErrorEvent} menteo-error - A load or write failed after the client's retries.
 */
export class MenteoThreadFeed extends MenteoWidget {
  static override styles = [MenteoElement.styles, threadFeedStyles];

  /** Only posts of this room (and the composer posts to it, private to the room by default). */
  @property({ attribute: 'room-id', reflect: true }) roomId: string | undefined = undefined;

  /** Only posts of this growth thread (and the composer posts to it when it is the reader's). */
  @property({ attribute: 'thread-id', reflect: true }) threadId: string | undefined = undefined;

  /** Only posts by this person. */
  @property({ attribute: 'author-id' }) authorId: string | undefined = undefined;

  /** Only posts tagged with this skill (`system-design`). */
  @property() skill: string | undefined = undefined;

  /** Only posts that are evidence for this milestone. */
  @property({ attribute: 'milestone-id' }) milestoneId: string | undefined = undefined;

  /** Posts fetched per page, 1–100. */
  @property({ attribute: 'page-size', type: Number }) pageSize = 20;

  /** Hides the composer even when the reader may post. */
  @property({ type: Boolean, attribute: 'no-composer' }) noComposer = false;

  /**
   * Accessible name of the feed; defaults to "Growth posts". Set it when a page shows several
   * feeds: it also tells their composers apart.
   */
  @property() label: string | undefined = undefined;

  /**
   * Makes each post's "Evidence for" badge a link to the milestone on your page (or `undefined`
   * for none). A property only (a function); `<menteo-roadmap>`'s `postHref` links the other way.
   */
  @property({ attribute: false }) milestoneHref: ((milestone: Milestone) => string | undefined) | undefined = undefined;

  @state() private posts: Post[] = [];
  @state() private nextCursor: string | null = null;
  @state() private moreStatus: MoreStatus = 'idle';
  @state() private moreError: unknown = undefined;
  /** Live arrivals held back so the reader's view does not move. */
  @state() private queued: Post[] = [];
  @state() private milestones: readonly Milestone[] = [];
  @state() private now = new Date();

  @query('menteo-post-list') private listEl!: MenteoPostList | null;
  @query('menteo-composer') private composerEl!: MenteoComposer | null;

  private clock: ReturnType<typeof setInterval> | undefined;
  private readonly live = new LiveController(this, {
    client: () => this.session?.client,
    session: () => this.session,
    // Every feed has a stream: its thread's, its room's, or the organization's.
    target: () => `feed:${this.roomId ?? ''}|${this.threadId ?? ''}`,
    position: () => this.loadedAt,
    open: (client, options) =>
      this.subscribe(
        this.threadId
          ? client.events.thread(this.threadId, options)
          : this.roomId
            ? client.events.room(this.roomId, options)
            : client.events.feed(options),
      ),
  });
  /** What the milestones were loaded for (person and room), so they load once the person is known. */
  private milestonesFor: string | undefined;
  private moreAbort: AbortController | undefined;
  /** Comments this reader published here: their live echo must not count them twice. */
  private readonly ownComments = new Set<string>();
  /** Where the first page's read stands in the event log: the live subscription starts there. */
  private loadedAt: EventPosition | undefined;

  /** Loads the first page whenever the client or the filters change. */
  private readonly loadTask = new Task(this, {
    args: () => [this.session?.client, this.filterKey()] as const,
    task: async ([client], { signal }) => {
      if (client === undefined) return initialState;
      this.moreAbort?.abort();
      // The subscription follows the load: none while it runs (the filters, and so the topic, may
      // have changed), then one from the new load's position.
      this.loadedAt = undefined;
      const position = client.events.position();
      const page = await client.posts.list(this.query(), { signal, position }).then(undefined, (e: unknown) => this.reportLoadError(e));
      this.loadedAt = position;
      this.posts = page.items;
      this.nextCursor = page.nextCursor;
      this.queued = [];
      this.moreStatus = 'idle';
      this.listEl?.resetWindow();
      return page.items.length;
    },
  });

  /** The posts currently loaded, newest first (live arrivals held back are not included). */
  get loadedPosts(): readonly Post[] {
    return this.posts;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // After this task: the first page is still on its way, so the formatter cost is hidden.
    setTimeout(() => warmFormatters(), 0);
    this.clock = setInterval(() => {
      this.now = new Date();
    }, 60_000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.clock);
    this.moreAbort?.abort();
  }

  private filterKey(): string {
    return [this.roomId, this.threadId, this.authorId, this.skill, this.milestoneId, this.pageSize].join('|');
  }

  private query() {
    return {
      limit: Math.max(1, Math.min(100, this.pageSize)),
      ...(this.roomId ? { roomId: this.roomId } : {}),
      ...(this.threadId ? { threadId: this.threadId } : {}),
      ...(this.authorId ? { authorId: this.authorId } : {}),
      ...(this.skill ? { skill: this.skill } : {}),
      ...(this.milestoneId ? { milestoneId: this.milestoneId } : {}),
    };
  }

  protected override willUpdate(): void {
    // Milestones name what each post is evidence for and fill the composer's "Evidence for".
    // They load once the person is known: the session carries the client before sign-in ends,
    // and a scope check then always said no, so they never loaded at all.
    const person = this.session?.me?.person;
    const key = this.session?.client && person && this.roomId ? `${person.id}|${this.roomId}` : undefined;
    if (key !== this.milestonesFor) {
      this.milestonesFor = key;
      this.milestones = [];
      if (key !== undefined) void this.loadMilestones();
    }
  }

  private async loadMilestones(): Promise<void> {
    const client = this.session?.client;
    const roomId = this.roomId;
    if (client === undefined || !roomId || !can(this.session?.me, 'roadmaps:read')) return;
    try {
      const page = await client.roadmaps.list({ roomId, limit: 1 });
      if (roomId === this.roomId) this.milestones = page.items[0]?.milestones ?? [];
    } catch {
      // Naming a post's milestone is optional; the feed works without the list.
    }
  }

  // ---- live updates -----------------------------------------------------------------------

  /** Attaches the feed's listeners to its live subscription. */
  private subscribe(sub: LiveSubscription): LiveSubscription {
    sub.on('post.created', (e) => this.onLivePost(e.data));
    sub.on('post.updated', (e) => this.onLiveUpdate(e.data));
    sub.on('post.deleted', (e) => {
      // The reader's own deletion from this feed: the post reports it when the request answers.
      if (this.listEl?.postElement(e.data.id)?.deleting) return;
      this.removePost(e.data.id);
    });
    sub.on('comment.created', (e) => this.onLiveComment(e.data, this.loadedAt?.mayReflect(e.id) ?? false));
    return sub;
  }

  private matchesFilters(post: Post): boolean {
    if (this.authorId && post.author.id !== this.authorId) return false;
    if (this.skill && !post.skills.includes(this.skill)) return false;
    if (this.milestoneId && post.milestoneId !== this.milestoneId) return false;
    if (this.roomId && post.roomId !== this.roomId) return false;
    if (this.threadId && post.threadId !== this.threadId) return false;
    return true;
  }

  private onLivePost(post: Post): void {
    if (!this.matchesFilters(post)) return;
    if (this.posts.some((p) => p.id === post.id) || this.queued.some((p) => p.id === post.id)) return;
    const mine = post.author.id === this.session?.me?.person?.id;
    if (mine) {
      // The stream can deliver the reader's own post before the POST that created it answers:
      // it then takes the place of the optimistic copy instead of standing beside it.
      const i = this.posts.findIndex((p) => p.id.startsWith(PENDING_PREFIX) && p.body === post.body);
      if (i >= 0) {
        this.posts = this.posts.map((p, index) => (index === i ? post : p));
        return;
      }
    }
    // The reader's own post from another tab is still theirs, so it goes straight in.
    if (mine || (this.listEl?.isAtTop() ?? true)) {
      this.posts = [post, ...this.posts];
      if (!mine) this.announcer.polite(msg(str`New post from ${post.author.displayName}`));
      return;
    }
    this.queued = [post, ...this.queued];
    const n = this.queued.length;
    this.announcer.polite(n === 1 ? msg(str`New post from ${post.author.displayName}`) : msg(str`${n} new posts`));
  }

  /**
   * A comment counts once. `loaded`: the comment was written while the first page was read, so
   * that page may already count it; the post's count is read again instead of incremented.
   */
  private onLiveComment(comment: Comment, loaded: boolean): void {
    if (this.ownComments.has(comment.id)) return;
    this.ownComments.add(comment.id);
    const post = this.posts.find((p) => p.id === comment.postId) ?? this.queued.find((p) => p.id === comment.postId);
    if (post && loaded) void this.recount(post.id);
    else if (post) this.replacePost({ ...post, commentCount: post.commentCount + 1 });
    this.listEl?.postElement(comment.postId)?.addComment(comment);
  }

  private async recount(postId: string): Promise<void> {
    try {
      const fresh = await this.session?.client?.posts.get(postId);
      const known = this.posts.find((p) => p.id === postId) ?? this.queued.find((p) => p.id === postId);
      if (fresh && known) this.replacePost({ ...known, commentCount: fresh.commentCount });
    } catch {
      // The count stays as loaded; the next load corrects it.
    }
  }

  /**
   * A `post.updated` event is encoded once for all readers: `mine` is false on every reaction.
   * The reader's own reactions are kept from what this feed knows (see `mergeLivePost`); the
   * feed learns of them from each post's `menteo-reaction-change`, so someone else's reaction
   * never un-presses the reader's.
   */
  private onLiveUpdate(post: Post): void {
    const known = this.posts.find((p) => p.id === post.id) ?? this.queued.find((p) => p.id === post.id);
    if (known === undefined) return;
    this.replacePost(mergeLivePost(known, post));
  }

  private replacePost(post: Post): void {
    this.posts = this.posts.map((p) => (p.id === post.id ? post : p));
    this.queued = this.queued.map((p) => (p.id === post.id ? post : p));
  }

  private removePost(id: string): void {
    this.posts = this.posts.filter((p) => p.id !== id);
    this.queued = this.queued.filter((p) => p.id !== id);
  }

  private showQueued(): void {
    const count = this.queued.length;
    this.posts = [...this.queued, ...this.posts];
    this.queued = [];
    this.listEl?.revealTop(count + 4);
    void this.updateComplete.then(() => this.listEl?.focusPost(0));
  }

  /** Loads the next page of older posts. */
  private readonly loadMore = async (): Promise<void> => {
    const client = this.session?.client;
    const cursor = this.nextCursor;
    if (client === undefined || cursor === null || this.moreStatus === 'loading') return;
    this.moreAbort?.abort();
    const abort = new AbortController();
    this.moreAbort = abort;
    this.moreStatus = 'loading';
    try {
      const page = await client.posts.list({ ...this.query(), cursor }, { signal: abort.signal });
      const known = new Set(this.posts.map((p) => p.id));
      this.posts = [...this.posts, ...page.items.filter((p) => !known.has(p.id))];
      this.nextCursor = page.nextCursor;
      this.moreStatus = 'idle';
    } catch (error) {
      if (abort.signal.aborted || isAbort(error)) return;
      this.moreStatus = 'error';
      this.moreError = error;
      this.announcer.assertive(describeError(error));
      this.dispatchEvent(new MenteoErrorEvent('load-more', error));
    }
  };

  // ---- what the parts report --------------------------------------------------------------

  /** The composer sent a post: show its optimistic copy now, the stored post when it answers. */
  private async onPostSend(e: MenteoPostSendEvent): Promise<void> {
    const optimistic = e.post;
    this.posts = [optimistic, ...this.posts];
    try {
      const post = await e.result;
      // The live stream may have delivered the post already: keep one copy.
      this.posts = [post, ...this.posts.filter((p) => p.id !== optimistic.id && p.id !== post.id)];
    } catch {
      // Rolled back visibly: the post leaves the feed; the composer shows why and keeps the text.
      this.posts = this.posts.filter((p) => p.id !== optimistic.id);
    }
  }

  private onReactionChange(e: MenteoReactionChangeEvent): void {
    this.replacePost(e.post);
  }

  private onCommentCreate(e: MenteoCommentCreateEvent): void {
    const { comment } = e;
    if (this.ownComments.has(comment.id)) return;
    this.ownComments.add(comment.id);
    const post = this.posts.find((p) => p.id === comment.postId);
    if (post) this.replacePost({ ...post, commentCount: post.commentCount + 1 });
  }

  /** A post was deleted by its author here: focus moves to the post that took its place. */
  private async onPostDelete(e: MenteoPostDeleteEvent): Promise<void> {
    const index = this.posts.findIndex((p) => p.id === e.post.id);
    this.removePost(e.post.id);
    await this.updateComplete;
    if (this.posts.length > 0) await this.listEl?.focusPost(Math.min(Math.max(index, 0), this.posts.length - 1));
    else this.composerEl?.focus();
  }

  private readonly onListKeydown = (e: KeyboardEvent): void => {
    // What comes before the list is the feed's: Ctrl+Home leaves the feed for the composer.
    if (e.key === 'Home' && e.ctrlKey) {
      e.preventDefault();
      this.composerEl?.focus();
    }
  };

  // ---- rendering --------------------------------------------------------------------------

  private mayPost(): boolean {
    return !this.noComposer && !!this.session?.me?.person && can(this.session.me, 'posts:write') && this.live.lost === undefined;
  }

  private renderComposer(): TemplateResult | typeof nothing {
    if (!this.mayPost()) return nothing;
    // The composer itself decides whether this person may post here (a thread only takes posts
    // from its author) and renders nothing otherwise.
    return html`<menteo-composer
      exportparts="composer, composer-input, avatar, button, post-button"
      room-id=${this.roomId ?? nothing}
      thread-id=${this.threadId ?? nothing}
      label=${this.label ?? nothing}
      .milestones=${this.roomId ? this.milestones : undefined}
      @menteo-post-send=${this.onPostSend}
    ></menteo-composer>`;
  }

  protected override render(): TemplateResult {
    let stateName: ViewState = 'loading';
    let body = this.renderSessionGate() ?? this.renderAccessLoss(this.live.lost, msg('You no longer have access to these posts.'));
    if (body === undefined) {
      body = this.loadTask.render({
        initial: () => loadingState(),
        pending: () => (this.posts.length > 0 ? this.renderList() : loadingState()),
        complete: () => {
          stateName = this.posts.length === 0 ? 'empty' : 'ready';
          return this.renderList();
        },
        error: (error) => {
          stateName = 'error';
          return errorState(describeError(error), () => void this.loadTask.run());
        },
      }) as TemplateResult;
      this.setViewState(stateName);
    }
    return html`${this.renderComposer()}${body}${this.announcer.render()}`;
  }

  private renderList(): TemplateResult {
    const n = this.queued.length;
    return html`${n > 0
        ? html`<div class="new-posts">
            <button part="button new-posts-button" class="btn btn--primary btn--small" type="button" @click=${this.showQueued}>
              ${n === 1 ? msg('Show 1 new post') : msg(str`Show ${n} new posts`)}
            </button>
          </div>`
        : nothing}
      ${this.posts.length === 0
        ? emptyState(msg('No posts yet'), this.mayPost() && !this.threadId ? msg('Share what you are learning: the first post starts the thread.') : undefined)
        : nothing}
      <menteo-post-list
        exportparts="feed, post, post-header, post-body, avatar, badge, audience, milestone, reactions, reaction, comments, button, comments-button, delete-button, delete-confirm, link, milestone-link, code, code-block, state, state-loading, state-error, retry-button, load-more-button"
        .posts=${this.posts}
        ?has-more=${this.nextCursor !== null}
        more-status=${this.moreStatus}
        .moreError=${this.moreError}
        .loadMore=${this.loadMore}
        .milestones=${this.milestones}
        .milestoneHref=${this.milestoneHref}
        .now=${this.now}
        label=${this.label ?? nothing}
        @keydown=${this.onListKeydown}
        @menteo-reaction-change=${this.onReactionChange}
        @menteo-comment-create=${this.onCommentCreate}
        @menteo-post-delete=${this.onPostDelete}
      ></menteo-post-list>`;
  }
}
