import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { cssProps } from '../internal/css-props.js';
import { property, state, query } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { guard } from 'lit/directives/guard.js';
import { Task, initialState } from '@lit/task';
import { msg, str } from '@lit/localize';
import type { Post, Comment, ReactionKind, Audience } from '@menteo/api/threads';
import type { Milestone } from '@menteo/api/roadmaps';
import type { LiveSubscription } from '@menteo/client';
import { LiveController } from '../internal/live-controller.js';
import { MenteoElement } from '../internal/menteo-element.js';
import { MenteoWidget, type ViewState } from '../internal/widget.js';
import { can } from '../internal/session-consumer.js';
import { DraftStore, newIdempotencyKey } from '../internal/draft-store.js';
import { describeError, isAbort } from '../internal/errors.js';
import { renderMarkdown } from '../internal/markdown.js';
import { currentFormatLocale, relativeTime, warmFormatters } from '../internal/format.js';
import { avatar, emptyState, errorState, loadingState } from '../internal/parts.js';
import { HeightIndex, scrollParents, visibleBand, type Range } from '../internal/windowing.js';
import { uniqueId } from '../internal/ids.js';
import {
  MenteoCommentCreateEvent,
  MenteoErrorEvent,
  MenteoPostCreateEvent,
  MenteoReactionChangeEvent,
} from '../events.js';
import { threadFeedStyles } from './thread-feed.styles.js';

const REACTIONS: ReadonlyArray<{ kind: ReactionKind; emoji: string; label: () => string }> = [
  { kind: 'applause', emoji: '👏', label: () => msg('Applause') },
  { kind: 'insight', emoji: '💡', label: () => msg('Insightful') },
  { kind: 'support', emoji: '🤝', label: () => msg('Support') },
  { kind: 'celebrate', emoji: '🎉', label: () => msg('Celebrate') },
  { kind: 'curious', emoji: '🤔', label: () => msg('Curious') },
];

/** Posts within this many pixels above and below the visible band stay rendered. */
const OVERSCAN = 800;
/** Start loading the next page when this few posts remain below the rendered range. */
const PREFETCH = 5;
/** A post being written, shown at the top while the server has not answered. */
const PENDING_PREFIX = 'pending:';

interface CommentsState {
  status: 'loading' | 'ready' | 'error';
  items: Comment[];
  error?: unknown;
  text: string;
  sending: boolean;
  sendError?: string | undefined;
}

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

  @state() private posts: Post[] = [];
  @state() private nextCursor: string | null = null;
  @state() private moreStatus: 'idle' | 'loading' | 'error' = 'idle';
  @state() private moreError: unknown = undefined;
  /** Live arrivals held back so the reader's view does not move. */
  @state() private queued: Post[] = [];
  @state() private range: Range = { start: 0, end: 12 };
  @state() private comments = new Map<string, CommentsState>();
  @state() private composerText = '';
  @state() private audience: Audience = 'room';
  @state() private composerMilestone = '';
  @state() private posting = false;
  @state() private postError: string | undefined;
  @state() private milestones: Milestone[] = [];
  @state() private reactionsPending = new Set<string>();
  @state() private now = new Date();

  @query('[role="feed"]') private feedEl!: HTMLElement | null;

  private readonly heights = new HeightIndex(220);
  private readonly ids = { composer: uniqueId('composer'), feed: uniqueId('feed') };
  /** Scrolling ancestors, found once per connection (walking them every frame forces style work). */
  private scrollers: Element[] | undefined;
  /** The gap below each post, read once from CSS. */
  private postGap: number | undefined;
  /** Rendered post bodies: re-parsing markdown on every render would cost each scroll frame. */
  private bodies = new Map<string, TemplateResult>();
  private resizeObserver: ResizeObserver | undefined;
  private frame = 0;
  private clock: ReturnType<typeof setInterval> | undefined;
  private readonly live = new LiveController(this, {
    client: () => this.session?.client,
    session: () => this.session,
    // Every feed has a stream: its thread's, its room's, or the organization's.
    target: () => `feed:${this.roomId ?? ''}|${this.threadId ?? ''}`,
    open: (client, options) =>
      this.subscribe(
        this.threadId
          ? client.events.thread(this.threadId, options)
          : this.roomId
            ? client.events.room(this.roomId, options)
            : client.events.feed(options),
      ),
  });
  private milestonesClient: unknown;
  private moreAbort: AbortController | undefined;
  private focusIndex = -1;
  private ownThreadId: string | undefined;
  private draft: DraftStore | undefined;
  private draftKey = '';
  private pendingKey: string | undefined;

  /** Loads the first page whenever the client or the filters change. */
  private readonly loadTask = new Task(this, {
    args: () => [this.session?.client, this.filterKey()] as const,
    task: async ([client], { signal }) => {
      if (client === undefined) return initialState;
      this.moreAbort?.abort();
      const page = await client.posts.list(this.query(), { signal }).then(undefined, (e: unknown) => this.reportLoadError(e));
      this.posts = page.items;
      this.nextCursor = page.nextCursor;
      this.queued = [];
      this.moreStatus = 'idle';
      this.range = { start: 0, end: Math.min(page.items.length, 8) };
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
    this.resizeObserver = new ResizeObserver((entries) => this.onResize(entries));
    this.clock = setInterval(() => {
      this.now = new Date();
    }, 60_000);
    globalThis.addEventListener('scroll', this.onScroll, { capture: true, passive: true });
    globalThis.addEventListener('resize', this.onScroll, { passive: true });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resizeObserver?.disconnect();
    this.resizeObserver = undefined;
    clearInterval(this.clock);
    cancelAnimationFrame(this.frame);
    globalThis.removeEventListener('scroll', this.onScroll, { capture: true });
    globalThis.removeEventListener('resize', this.onScroll);
    this.moreAbort?.abort();
    this.scrollers = undefined;
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

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('roomId') || changed.has('threadId') || changed.has('session') || !this.hasUpdated) {
      this.restoreDraft();
    }
    if (changed.has('posts') || changed.has('queued')) {
      this.heights.setKeys(this.posts.map((p) => p.id));
    }
  }

  protected override updated(changed: PropertyValues): void {
    const client = this.session?.client;
    if (changed.has('session') && client !== this.milestonesClient) {
      this.milestonesClient = client;
      this.ownThreadId = undefined;
      void this.loadMilestones();
    }
    // Measure what was just rendered, then see whether the window should move.
    for (const article of this.renderRoot.querySelectorAll<HTMLElement>('article[data-id]')) {
      this.resizeObserver?.observe(article);
    }
    if (changed.has('posts') || changed.has('range')) this.scheduleRange();
  }

  // ---- drafts ----------------------------------------------------------------------------

  private restoreDraft(): void {
    const key = `feed:${this.draftOwner()}:${this.threadId ?? this.roomId ?? 'org'}:post`;
    if (key === this.draftKey) return;
    this.draftKey = key;
    this.draft = new DraftStore(key);
    const saved = this.draft.load();
    this.composerText = saved?.text ?? '';
    this.audience = (saved?.fields.audience as Audience | undefined) ?? this.defaultAudience();
    this.composerMilestone = saved?.fields.milestoneId ?? '';
    this.pendingKey = saved?.idempotencyKey;
  }

  private defaultAudience(): Audience {
    return this.roomId || this.threadId ? 'room' : 'org';
  }

  private saveDraft(): void {
    this.draft?.save(this.composerText, { audience: this.audience, milestoneId: this.composerMilestone }, this.pendingKey);
  }

  // ---- live updates -----------------------------------------------------------------------

  /** Attaches the feed's listeners to its live subscription. */
  private subscribe(sub: LiveSubscription): LiveSubscription {
    sub.on('post.created', (e) => this.onLivePost(e.data));
    sub.on('post.updated', (e) => this.onLiveUpdate(e.data));
    sub.on('post.deleted', (e) => {
      this.posts = this.posts.filter((p) => p.id !== e.data.id);
      this.queued = this.queued.filter((p) => p.id !== e.data.id);
    });
    sub.on('comment.created', (e) => this.onLiveComment(e.data));
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
    if (mine || this.isAtTop()) {
      this.posts = [post, ...this.posts];
      if (!mine) this.announcer.polite(msg(str`New post from ${post.author.displayName}`));
      return;
    }
    this.queued = [post, ...this.queued];
    const n = this.queued.length;
    this.announcer.polite(
      n === 1 ? msg(str`New post from ${post.author.displayName}`) : msg(str`${n} new posts`),
    );
  }

  private onLiveComment(comment: Comment): void {
    const post = this.posts.find((p) => p.id === comment.postId);
    const state = this.comments.get(comment.postId);
    if (state && !state.items.some((c) => c.id === comment.id)) {
      this.setComments(comment.postId, { ...state, items: [...state.items, comment] });
    }
    if (post && !(state?.items.some((c) => c.id === comment.id) ?? false)) {
      this.replacePost({ ...post, commentCount: post.commentCount + 1 });
    }
  }

  /**
   * A live event is encoded once for every reader, so it cannot say which reactions are this
   * reader's (`mine` is false) nor carry a thread title some readers may not see (`null`). What
   * this feed already knows of both is kept; the counts and the rest come from the event. (The
   * write path answers before it fans out, so the event usually lands after the reader's own
   * reaction was acknowledged and must not take it back.)
   */
  private onLiveUpdate(post: Post): void {
    const known = this.posts.find((p) => p.id === post.id) ?? this.queued.find((p) => p.id === post.id);
    if (known === undefined) return;
    this.replacePost({
      ...post,
      threadTitle: post.threadTitle ?? known.threadTitle,
      reactions: post.reactions.map((r) => ({ ...r, mine: known.reactions.find((k) => k.kind === r.kind)?.mine ?? false })),
    });
  }

  private replacePost(post: Post): void {
    this.posts = this.posts.map((p) => (p.id === post.id ? post : p));
    this.queued = this.queued.map((p) => (p.id === post.id ? post : p));
  }

  /** True when the feed's first post is in view and nothing inside the feed has focus. */
  private isAtTop(): boolean {
    const feed = this.feedEl;
    if (feed === null) return true;
    if (feed.contains(this.shadowRoot?.activeElement ?? null)) return false;
    const band = visibleBand(this.scrollers ?? []);
    return feed.getBoundingClientRect().top >= band.top - 1;
  }

  private showQueued(): void {
    const count = this.queued.length;
    this.posts = [...this.queued, ...this.posts];
    this.queued = [];
    this.range = { start: 0, end: Math.max(this.range.end, count + 4) };
    void this.updateComplete.then(() => this.focusArticle(0));
  }

  // ---- windowing --------------------------------------------------------------------------

  private readonly onScroll = (): void => this.scheduleRange();

  private scheduleRange(): void {
    if (this.frame !== 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.updateRange();
    });
  }

  private updateRange(): void {
    const feed = this.feedEl;
    if (feed === null || !this.isConnected) return;
    this.scrollers ??= scrollParents(this);
    const band = visibleBand(this.scrollers);
    const top = feed.getBoundingClientRect().top;
    const next = this.heights.rangeFor(band.top - top - OVERSCAN, band.bottom - top + OVERSCAN);
    // Keep the focused post rendered: removing it would drop keyboard focus to the page.
    if (this.focusIndex >= 0 && this.focusIndex < this.posts.length) {
      next.start = Math.min(next.start, this.focusIndex);
      next.end = Math.max(next.end, this.focusIndex + 1);
    }
    if (next.start !== this.range.start || next.end !== this.range.end) this.range = next;
    if (next.end >= this.posts.length - PREFETCH && this.nextCursor !== null && this.moreStatus === 'idle') {
      void this.loadMore();
    }
  }

  private onResize(entries: ResizeObserverEntry[]): void {
    let changed = false;
    for (const entry of entries) {
      const el = entry.target as HTMLElement;
      const id = el.dataset.id;
      if (id === undefined || !el.isConnected) continue;
      this.postGap ??= parseFloat(getComputedStyle(el).marginBlockEnd) || 0;
      // The observer already measured the box: reading it from the entry forces no layout.
      const height = entry.borderBoxSize?.[0]?.blockSize ?? el.getBoundingClientRect().height;
      changed = this.heights.measure(id, height + this.postGap) || changed;
    }
    if (changed) this.requestUpdate();
  }

  /** Loads the next page of older posts. */
  private async loadMore(): Promise<void> {
    const client = this.session?.client;
    const cursor = this.nextCursor;
    if (client === undefined || cursor === null) return;
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
  }

  // ---- keyboard (WAI-ARIA feed pattern) -----------------------------------------------------

  private focusArticle(index: number): void {
    const i = Math.max(0, Math.min(index, this.posts.length - 1));
    this.focusIndex = i;
    if (i < this.range.start || i >= this.range.end) {
      this.range = { start: Math.min(this.range.start, i), end: Math.max(this.range.end, i + 1) };
    }
    void this.updateComplete.then(() => {
      const el = this.renderRoot.querySelector<HTMLElement>(`article[data-index="${i}"]`);
      el?.focus();
      el?.scrollIntoView({ block: 'nearest' });
    });
  }

  private readonly onFeedKeydown = (e: KeyboardEvent): void => {
    const article = (e.target as Element).closest('article');
    const index = article ? Number(article.getAttribute('data-index')) : -1;
    if (e.key === 'PageDown' && index >= 0) {
      e.preventDefault();
      if (index + 1 < this.posts.length) this.focusArticle(index + 1);
    } else if (e.key === 'PageUp' && index >= 0) {
      e.preventDefault();
      if (index > 0) this.focusArticle(index - 1);
    } else if (e.key === 'End' && e.ctrlKey) {
      e.preventDefault();
      this.renderRoot.querySelector<HTMLElement>('[data-after-feed]')?.focus();
    } else if (e.key === 'Home' && e.ctrlKey) {
      e.preventDefault();
      this.renderRoot.querySelector<HTMLElement>('[data-before-feed]')?.focus();
    }
  };

  private readonly onFeedFocusin = (e: FocusEvent): void => {
    const article = (e.target as Element).closest('article');
    if (article) this.focusIndex = Number(article.getAttribute('data-index'));
  };

  private readonly onFeedFocusout = (e: FocusEvent): void => {
    const to = e.relatedTarget as Node | null;
    if (to === null || !this.feedEl?.contains(to)) this.focusIndex = -1;
  };

  // ---- composer ---------------------------------------------------------------------------

  private async loadMilestones(): Promise<void> {
    const client = this.session?.client;
    if (client === undefined || !this.roomId || !can(this.session?.me, 'roadmaps:read')) return;
    try {
      const page = await client.roadmaps.list({ roomId: this.roomId, limit: 1 });
      this.milestones = page.items[0]?.milestones.filter((m) => m.status !== 'done') ?? [];
    } catch {
      // Linking a milestone is optional; the composer works without the list.
      this.milestones = [];
    }
  }

  /** The reader's thread to post into: `thread-id`, or their thread in this room, created on first post. */
  private async resolveThread(signal?: AbortSignal): Promise<string> {
    const client = this.session?.client;
    const me = this.session?.me?.person;
    if (client === undefined || !me) throw Object.assign(new Error('not signed in'), { code: 'unauthenticated' });
    if (this.threadId) return this.threadId;
    if (this.ownThreadId) return this.ownThreadId;
    const page = await client.threads.list({ authorId: me.id, ...(this.roomId ? { roomId: this.roomId } : {}), limit: 1 }, { signal });
    let thread = page.items[0];
    thread ??= await client.threads.create(
      { title: msg(str`${me.displayName}'s growth thread`), ...(this.roomId ? { roomId: this.roomId } : {}) },
      { signal },
    );
    this.ownThreadId = thread.id;
    return thread.id;
  }

  private onComposerInput(e: InputEvent): void {
    this.composerText = (e.target as HTMLTextAreaElement).value;
    this.postError = undefined;
    this.saveDraft();
  }

  private onComposerKeydown(e: KeyboardEvent): void {
    // Ctrl/Cmd+Enter posts, as in most composers; plain Enter is a new line.
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void this.submitPost();
    }
  }

  private async submitPost(e?: Event): Promise<void> {
    e?.preventDefault();
    const client = this.session?.client;
    const person = this.session?.me?.person;
    const body = this.composerText.trim();
    if (this.posting || client === undefined || !person) return;
    if (body === '') {
      this.postError = msg('Write something before posting.');
      return;
    }
    // The key is stored with the draft before the request leaves, so a retry, even after a
    // reload, repeats this same write instead of creating a second post.
    this.pendingKey ??= newIdempotencyKey();
    this.saveDraft();
    const key = this.pendingKey;
    const audience = this.audience;
    const milestoneId = this.composerMilestone || undefined;
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
      createdAt: new Date().toISOString(),
      updatedAt: new Date().toISOString(),
    };
    this.posting = true;
    this.postError = undefined;
    this.posts = [optimistic, ...this.posts];
    this.composerText = '';
    try {
      const threadId = await this.resolveThread();
      const post = await client.threads.posts.create(
        threadId,
        {
          body,
          audience,
          ...(this.roomId && audience === 'room' ? { roomId: this.roomId } : {}),
          ...(milestoneId ? { milestoneId } : {}),
        },
        { idempotencyKey: key },
      );
      // The live stream may have delivered the post already: keep one copy.
      this.posts = [post, ...this.posts.filter((p) => p.id !== optimistic.id && p.id !== post.id)];
      this.pendingKey = undefined;
      this.composerMilestone = '';
      this.draft?.clear();
      if (this.composerText === '') this.audience = this.defaultAudience();
      this.announcer.polite(msg('Your post is published.'));
      this.dispatchEvent(new MenteoPostCreateEvent(post));
    } catch (error) {
      // Roll back visibly: the post leaves the feed, its text returns to the composer with the
      // reason, and the draft (with its idempotency key) is still stored.
      this.posts = this.posts.filter((p) => p.id !== optimistic.id);
      if (this.composerText === '') this.composerText = body;
      this.saveDraft();
      this.postError = msg(str`Not posted. ${describeError(error)}`);
      this.announcer.assertive(this.postError);
      this.dispatchEvent(new MenteoErrorEvent('post-create', error));
    } finally {
      this.posting = false;
    }
  }

  // ---- reactions and comments -------------------------------------------------------------

  private async toggleReaction(post: Post, kind: ReactionKind): Promise<void> {
    const client = this.session?.client;
    const pendingKey = `${post.id}:${kind}`;
    if (client === undefined || this.reactionsPending.has(pendingKey)) return;
    const current = post.reactions.find((r) => r.kind === kind);
    const active = !(current?.mine ?? false);
    const optimistic: Post = {
      ...post,
      reactions: applyReaction(post.reactions, kind, active),
    };
    this.reactionsPending = new Set(this.reactionsPending).add(pendingKey);
    this.replacePost(optimistic);
    try {
      const updated = active
        ? await client.posts.reactions.add(post.id, kind)
        : await client.posts.reactions.remove(post.id, kind);
      this.replacePost(updated);
      this.dispatchEvent(new MenteoReactionChangeEvent(updated, kind, active));
    } catch (error) {
      this.replacePost(post);
      this.announcer.assertive(msg(str`Your reaction was not saved. ${describeError(error)}`));
      this.dispatchEvent(new MenteoErrorEvent('reaction-change', error));
    } finally {
      const next = new Set(this.reactionsPending);
      next.delete(pendingKey);
      this.reactionsPending = next;
    }
  }

  private setComments(postId: string, state: CommentsState | undefined): void {
    const next = new Map(this.comments);
    if (state === undefined) next.delete(postId);
    else next.set(postId, state);
    this.comments = next;
  }

  private async toggleComments(post: Post): Promise<void> {
    if (this.comments.has(post.id)) {
      this.setComments(post.id, undefined);
      return;
    }
    const draft = new DraftStore(`comment:${this.draftOwner()}:${post.id}`).load();
    this.setComments(post.id, { status: 'loading', items: [], text: draft?.text ?? '', sending: false });
    await this.loadComments(post.id);
  }

  private async loadComments(postId: string): Promise<void> {
    const client = this.session?.client;
    const state = this.comments.get(postId);
    if (client === undefined || state === undefined) return;
    this.setComments(postId, { ...state, status: 'loading' });
    try {
      const items = await client.posts.comments.list(postId, { limit: 100 }).toArray(100);
      const current = this.comments.get(postId);
      if (current) this.setComments(postId, { ...current, status: 'ready', items });
    } catch (error) {
      const current = this.comments.get(postId);
      if (current) this.setComments(postId, { ...current, status: 'error', error });
    }
  }

  private async submitComment(post: Post, e: Event): Promise<void> {
    e.preventDefault();
    const client = this.session?.client;
    const state = this.comments.get(post.id);
    if (client === undefined || state === undefined || state.sending) return;
    const body = state.text.trim();
    if (body === '') return;
    const store = new DraftStore(`comment:${this.draftOwner()}:${post.id}`);
    const key = store.load()?.idempotencyKey ?? newIdempotencyKey();
    store.save(state.text, {}, key);
    this.setComments(post.id, { ...state, sending: true, sendError: undefined });
    try {
      const comment = await client.posts.comments.create(post.id, { body }, { idempotencyKey: key });
      store.clear();
      const current = this.comments.get(post.id) ?? state;
      const items = current.items.some((c) => c.id === comment.id) ? current.items : [...current.items, comment];
      this.setComments(post.id, { ...current, items, text: '', sending: false });
      const fresh = this.posts.find((p) => p.id === post.id);
      if (fresh && items.length !== current.items.length) this.replacePost({ ...fresh, commentCount: fresh.commentCount + 1 });
      this.announcer.polite(msg('Your comment is published.'));
      this.dispatchEvent(new MenteoCommentCreateEvent(comment));
    } catch (error) {
      const current = this.comments.get(post.id) ?? state;
      const sendError = msg(str`Comment not sent. ${describeError(error)}`);
      this.setComments(post.id, { ...current, sending: false, sendError });
      this.announcer.assertive(sendError);
      this.dispatchEvent(new MenteoErrorEvent('comment-create', error));
    }
  }

  // ---- rendering --------------------------------------------------------------------------

  private audienceLabel(a: Audience): string {
    return a === 'room' ? msg('This room only') : a === 'org' ? msg('Everyone in the organization') : msg('Anyone with the link');
  }

  private canPost(): boolean {
    const me = this.session?.me;
    return !this.noComposer && !!me?.person && can(me, 'posts:write') && this.live.lost === undefined;
  }

  private renderComposer(): TemplateResult | typeof nothing {
    const me = this.session?.me;
    if (!this.canPost() || !me?.person) return nothing;
    const audiences: Audience[] = this.roomId || this.threadId ? ['room', 'org', 'public'] : ['org', 'public'];
    const errorId = `${this.ids.composer}-error`;
    // A named form is a landmark: with several feeds on a page, the feed's label tells their
    // composers apart ("Write a post, Posts in room A"), as landmarks must be.
    const labelled = this.label ? `${this.ids.composer}-title ${this.ids.composer}-context` : `${this.ids.composer}-title`;
    return html`<form part="composer" class="composer" @submit=${this.submitPost} aria-labelledby=${labelled}>
      <h3 id="${this.ids.composer}-title" class="visually-hidden">${msg('Write a post')}</h3>
      ${this.label ? html`<span id="${this.ids.composer}-context" hidden>${this.label}</span>` : nothing}
      <div class="composer__row">
        ${avatar(me.person)}
        <div class="field composer__field">
          <label for=${this.ids.composer} class="visually-hidden">${msg('Share progress, an insight or a challenge')}</label>
          <textarea
            id=${this.ids.composer}
            part="composer-input"
            data-before-feed
            rows="3"
            maxlength="10000"
            placeholder=${msg('Share progress, an insight or a challenge…')}
            .value=${this.composerText}
            aria-invalid=${this.postError ? 'true' : 'false'}
            aria-describedby="${this.ids.composer}-hint ${errorId}"
            @input=${this.onComposerInput}
            @keydown=${this.onComposerKeydown}
          ></textarea>
          <span id="${this.ids.composer}-hint" class="hint">${msg('**bold**, _italic_, `code`, lists and links work. Ctrl+Enter posts.')}</span>
          <span id=${errorId} class="error-text">${this.postError ?? nothing}</span>
        </div>
      </div>
      <div class="composer__actions">
        <label class="inline-field">
          <span class="label">${msg('Audience')}</span>
          <select
            .value=${this.audience}
            @change=${(e: Event) => {
              this.audience = (e.target as HTMLSelectElement).value as Audience;
              this.saveDraft();
            }}
          >
            ${audiences.map((a) => html`<option value=${a} ?selected=${a === this.audience}>${this.audienceLabel(a)}</option>`)}
          </select>
        </label>
        ${this.milestones.length > 0
          ? html`<label class="inline-field">
              <span class="label">${msg('Evidence for')}</span>
              <select
                @change=${(e: Event) => {
                  this.composerMilestone = (e.target as HTMLSelectElement).value;
                  this.saveDraft();
                }}
              >
                <option value="" ?selected=${this.composerMilestone === ''}>${msg('No milestone')}</option>
                ${this.milestones.map((m) => html`<option value=${m.id} ?selected=${m.id === this.composerMilestone}>${m.title}</option>`)}
              </select>
            </label>`
          : nothing}
        <button part="button post-button" class="btn btn--primary" type="submit" ?disabled=${this.posting}>
          ${this.posting ? msg('Posting…') : msg('Post')}
        </button>
      </div>
    </form>`;
  }

  private renderReactions(post: Post, pending: boolean): TemplateResult {
    return html`<div part="reactions" class="reactions" role="group" aria-label=${msg('Reactions')}>
      ${REACTIONS.map(({ kind, emoji, label }) => {
        const r = post.reactions.find((x) => x.kind === kind);
        const count = r?.count ?? 0;
        return html`<button
          part="button reaction"
          class="btn btn--small reaction"
          type="button"
          aria-pressed=${r?.mine ? 'true' : 'false'}
          aria-label=${msg(str`${label()}: ${count}`)}
          ?disabled=${pending}
          @click=${() => this.toggleReaction(post, kind)}
        >
          <span aria-hidden="true">${emoji}</span>${count > 0 ? html`<span aria-hidden="true">${count}</span>` : nothing}
        </button>`;
      })}
    </div>`;
  }

  private renderComments(post: Post): TemplateResult | typeof nothing {
    const state = this.comments.get(post.id);
    if (state === undefined) return nothing;
    const inputId = `${this.ids.feed}-c-${post.id}`;
    return html`<section part="comments" class="comments" id="${this.ids.feed}-comments-${post.id}" aria-label=${msg('Comments')}>
      ${state.status === 'loading'
        ? loadingState(msg('Loading comments…'))
        : state.status === 'error'
          ? errorState(describeError(state.error), () => void this.loadComments(post.id))
          : html`<ol class="comment-list">
              ${state.items.map(
                (c) => html`<li class="comment">
                  ${avatar(c.author, 'sm')}
                  <div>
                    <div class="comment__meta"><strong>${c.author.displayName}</strong> · ${relativeTime(c.createdAt, this.now)}</div>
                    <div class="md">${renderMarkdown(c.body)}</div>
                  </div>
                </li>`,
              )}
            </ol>`}
      ${can(this.session?.me, 'comments:write')
        ? html`<form class="comment-form" @submit=${(e: Event) => this.submitComment(post, e)}>
            <label for=${inputId} class="visually-hidden">${msg('Write a comment')}</label>
            <textarea
              id=${inputId}
              rows="1"
              maxlength="4000"
              placeholder=${msg('Write a comment…')}
              .value=${state.text}
              @input=${(e: InputEvent) => {
                const text = (e.target as HTMLTextAreaElement).value;
                new DraftStore(`comment:${this.draftOwner()}:${post.id}`).save(text);
                const current = this.comments.get(post.id);
                if (current) this.setComments(post.id, { ...current, text, sendError: undefined });
              }}
            ></textarea>
            <button part="button" class="btn btn--small" type="submit" ?disabled=${state.sending}>
              ${state.sending ? msg('Sending…') : msg('Comment')}
            </button>
            ${state.sendError ? html`<p class="error-text">${state.sendError}</p>` : nothing}
          </form>`
        : nothing}
    </section>`;
  }

  private renderBody(body: string): TemplateResult {
    let t = this.bodies.get(body);
    if (t === undefined) {
      // Bounded: a reader scrolling through thousands of posts must not grow memory forever.
      if (this.bodies.size > 500) this.bodies.clear();
      t = renderMarkdown(body);
      this.bodies.set(body, t);
    }
    return t;
  }

  private renderPost(post: Post, index: number, setSize: number): TemplateResult {
    const pending = post.id.startsWith(PENDING_PREFIX);
    const titleId = `${this.ids.feed}-t-${index}`;
    const bodyId = `${this.ids.feed}-b-${index}`;
    const expanded = this.comments.has(post.id);
    const milestone = post.milestoneId ? this.milestones.find((m) => m.id === post.milestoneId) : undefined;
    return html`<article
      part="post"
      class="post ${pending ? 'post--pending' : ''}"
      tabindex="0"
      data-id=${post.id}
      data-index=${index}
      aria-posinset=${index + 1}
      aria-setsize=${setSize}
      aria-labelledby=${titleId}
      aria-describedby=${bodyId}
      aria-busy=${pending ? 'true' : 'false'}
    >
      <header part="post-header" class="post__header">
        ${avatar(post.author)}
        <div class="post__who">
          <span id=${titleId} class="post__author">${post.author.displayName}</span>
          <span class="post__meta">
            ${post.threadTitle ? html`<span class="post__thread">${post.threadTitle}</span> · ` : nothing}
            ${pending ? html`<span>${msg('Posting…')}</span>` : relativeTime(post.createdAt, this.now)}
          </span>
        </div>
        <span part="badge" class="badge badge--${post.audience}" title=${this.audienceLabel(post.audience)}>
          <span class="visually-hidden">${msg('Audience:')} </span>${this.audienceLabel(post.audience)}
        </span>
      </header>
      <div part="post-body" id=${bodyId} class="post__body md">${this.renderBody(post.body)}</div>
      ${post.milestoneId
        ? html`<p part="badge" class="badge badge--milestone">${msg('Evidence for a milestone')}${milestone ? html`: ${milestone.title}` : nothing}</p>`
        : nothing}
      ${post.skills.length > 0 ? html`<ul class="skills" aria-label=${msg('Skills')}>${post.skills.map((s) => html`<li>${s}</li>`)}</ul>` : nothing}
      ${pending
        ? nothing
        : html`<footer class="post__footer">
            ${this.renderReactions(post, this.reactionsPending.size > 0 && [...this.reactionsPending].some((k) => k.startsWith(`${post.id}:`)))}
            <button
              part="button comments-button"
              class="btn btn--ghost btn--small"
              type="button"
              aria-expanded=${expanded ? 'true' : 'false'}
              aria-controls="${this.ids.feed}-comments-${post.id}"
              @click=${() => this.toggleComments(post)}
            >
              ${post.commentCount === 1 ? msg('1 comment') : msg(str`${post.commentCount} comments`)}
            </button>
          </footer>
          ${this.renderComments(post)}`}
    </article>`;
  }

  private renderFeed(): TemplateResult {
    // Spacer heights go through cssProps, which always sets them with the CSSOM (element.style),
    // never a style attribute (styleMap writes one on first render): a strict style-src policy
    // allows the former only.
    const { start, end } = this.range;
    const total = this.posts.length;
    const setSize = this.nextCursor === null ? total : -1;
    const s = Math.min(start, total);
    const e = Math.min(Math.max(end, s + 1), total);
    const slice = this.posts.slice(s, e);
    return html`
      <div class="spacer" aria-hidden="true" data-spacer="before" ${cssProps({ 'block-size': `${this.heights.offset(s)}px` })}></div>
      ${repeat(
        slice,
        (p) => p.id,
        // guard: a post whose inputs did not change is not re-rendered while the window moves,
        // which keeps scroll frames short. Every input of renderPost is listed.
        (p, i) =>
          guard(
            [p, s + i, setSize, this.comments.get(p.id), this.reactionsPending, this.milestones, this.now, currentFormatLocale(), this.session?.me, this.localeEpoch],
            () => this.renderPost(p, s + i, setSize),
          ),
      )}
      <div class="spacer" aria-hidden="true" data-spacer="after" ${cssProps({ 'block-size': `${this.heights.offset(total) - this.heights.offset(e)}px` })}></div>
    `;
  }

  private renderMore(): TemplateResult | typeof nothing {
    if (this.posts.length === 0) return nothing;
    if (this.moreStatus === 'loading') return loadingState(msg('Loading older posts…'));
    if (this.moreStatus === 'error') {
      return errorState(describeError(this.moreError), () => {
        this.moreStatus = 'idle';
        void this.loadMore();
      });
    }
    if (this.nextCursor === null) {
      return html`<p class="end" tabindex="-1" data-after-feed>${msg('You are all caught up.')}</p>`;
    }
    return html`<button part="button load-more-button" class="btn load-more" type="button" data-after-feed @click=${() => this.loadMore()}>
      ${msg('Load older posts')}
    </button>`;
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
    // An empty role=feed is invalid ARIA (a feed owns articles): show the empty state alone.
    const list =
      this.posts.length === 0
        ? emptyState(msg('No posts yet'), this.canPost() ? msg('Share what you are learning: the first post starts the thread.') : undefined)
        : html`<div
        part="feed"
        role="feed"
        id=${this.ids.feed}
        aria-label=${this.label ?? msg('Growth posts')}
        aria-busy=${this.moreStatus === 'loading' ? 'true' : 'false'}
        @keydown=${this.onFeedKeydown}
        @focusin=${this.onFeedFocusin}
        @focusout=${this.onFeedFocusout}
      >
        ${this.renderFeed()}
      </div>`;
    return html`${n > 0
        ? html`<div class="new-posts">
            <button part="button new-posts-button" class="btn btn--primary btn--small" type="button" @click=${this.showQueued}>
              ${n === 1 ? msg('Show 1 new post') : msg(str`Show ${n} new posts`)}
            </button>
          </div>`
        : nothing}
      ${list} ${this.renderMore()}`;
  }

}

function applyReaction(reactions: Post['reactions'], kind: ReactionKind, active: boolean): Post['reactions'] {
  const existing = reactions.find((r) => r.kind === kind);
  if (existing === undefined) return active ? [...reactions, { kind, count: 1, mine: true }] : reactions;
  return reactions
    .map((r) => (r.kind === kind ? { ...r, mine: active, count: Math.max(0, r.count + (active ? 1 : -1)) } : r))
    .filter((r) => r.count > 0);
}
