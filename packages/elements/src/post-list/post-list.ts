import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state, query } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { msg } from '@lit/localize';
import type { Post } from '@menteo/api/threads';
import type { Milestone } from '@menteo/api/roadmaps';
import { MenteoElement } from '../internal/menteo-element.js';
import { cssProps } from '../internal/css-props.js';
import { describeError } from '../internal/errors.js';
import { errorState, loadingState } from '../internal/parts.js';
import { HeightIndex, scrollParents, visibleBand, type Range } from '../internal/windowing.js';
import { PostAnnounceEvent, type MenteoPost } from '../post/post.js';
import { Announcer } from '../internal/announcer.js';
import { postListStyles } from './post-list.styles.js';

/** Posts within this many pixels above and below the visible band stay rendered. */
const OVERSCAN = 800;
/** Ask for the next page when this few posts remain below the rendered range. */
const PREFETCH = 5;

/** Where loading older posts stands. */
export type MoreStatus = 'idle' | 'loading' | 'error';

/**
 * A windowed WAI-ARIA feed of `<menteo-post>`s: only the posts near the viewport are in the DOM
 * (spacers stand for the rest, with measured heights), so thousands of posts stay fast. Page Down
 * and Page Up move between posts; Ctrl+End leaves the feed to what follows it (the container
 * handles Ctrl+Home, since what comes before the list is its own). Near the end it calls
 * `loadMore`; the container fetches and sets `posts`.
 *
 * It loads nothing itself: `<menteo-thread-feed>` uses it with the API; a host with its own
 * list of posts (search results, a digest) can use it alone.
 *
 * @summary Windowed, keyboard-navigable list of posts (WAI-ARIA feed).
 * @tag menteo-post-list
 *
 * @csspart feed - The `role=feed` element.
 * @csspart post - One post (`article`), and every other part of `<menteo-post>`.
 * @csspart button - Every button.
 * @csspart load-more-button - The "Load older posts" button.
 * @csspart state - Loading and error states of older posts.
 */
export class MenteoPostList extends MenteoElement {
  static override styles = [MenteoElement.styles, postListStyles];

  /** The posts, newest first. A property only. */
  @property({ attribute: false }) posts: readonly Post[] = [];

  /** Whether older posts can still be loaded (the feed's set size is then unknown). */
  @property({ type: Boolean, attribute: 'has-more' }) hasMore = false;

  /** Where loading older posts stands. */
  @property({ attribute: 'more-status' }) moreStatus: MoreStatus = 'idle';

  /** Why loading older posts failed (shown with a retry). */
  @property({ attribute: false }) moreError: unknown = undefined;

  /** Called when the reader nears the end, or asks for more. A property only (a function). */
  @property({ attribute: false }) loadMore: (() => void) | undefined = undefined;

  /** Accessible name of the feed; defaults to "Growth posts". */
  @property() label: string | undefined = undefined;

  /** Milestones, to name the one a post is evidence for. */
  @property({ attribute: false }) milestones: readonly Milestone[] = [];

  /** Passed to each post: makes its "Evidence for" badge a link (see `<menteo-post>`). */
  @property({ attribute: false }) milestoneHref: ((milestone: Milestone) => string | undefined) | undefined = undefined;

  /** The time relative times are measured from (one clock for all posts). */
  @property({ attribute: false }) now: Date | undefined = undefined;

  @state() private range: Range = { start: 0, end: 8 };

  @query('[role="feed"]') private feedEl!: HTMLElement | null;

  private readonly heights = new HeightIndex(220);
  private readonly announcer = new Announcer(this);
  /** Scrolling ancestors, found once per connection (walking them every frame forces style work). */
  private scrollers: Element[] | undefined;
  /** The gap below each post, read once from CSS. */
  private postGap: number | undefined;
  private resizeObserver: ResizeObserver | undefined;
  private frame = 0;
  private focusIndex = -1;

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener(PostAnnounceEvent.eventName, this.onAnnounce);
    this.resizeObserver = new ResizeObserver((entries) => this.onResize(entries));
    globalThis.addEventListener('scroll', this.onScroll, { capture: true, passive: true });
    globalThis.addEventListener('resize', this.onScroll, { passive: true });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener(PostAnnounceEvent.eventName, this.onAnnounce);
    this.resizeObserver?.disconnect();
    this.resizeObserver = undefined;
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    globalThis.removeEventListener('scroll', this.onScroll, { capture: true });
    globalThis.removeEventListener('resize', this.onScroll);
    this.scrollers = undefined;
  }

  /** Starts again at the top (a new first page replaced the posts). */
  resetWindow(): void {
    this.range = { start: 0, end: Math.min(this.posts.length, 8) };
  }

  /** Renders at least the first `count` posts (newly shown arrivals). */
  revealTop(count: number): void {
    this.range = { start: 0, end: Math.max(this.range.end, count) };
  }

  /** True when the first post is in view and nothing inside the list has focus. */
  isAtTop(): boolean {
    const feed = this.feedEl;
    if (feed === null) return true;
    if (this.shadowRoot?.activeElement != null) return false;
    const band = visibleBand(this.scrollers ?? []);
    return feed.getBoundingClientRect().top >= band.top - 1;
  }

  /** Focuses the post at `index` (rendering it first if it is outside the window). */
  async focusPost(index: number): Promise<void> {
    if (this.posts.length === 0) return;
    const i = Math.max(0, Math.min(index, this.posts.length - 1));
    this.focusIndex = i;
    if (i < this.range.start || i >= this.range.end) {
      this.range = { start: Math.min(this.range.start, i), end: Math.max(this.range.end, i + 1) };
    }
    await this.updateComplete;
    const el = this.renderRoot.querySelector<MenteoPost>(`menteo-post[data-index="${i}"]`);
    if (el === null) return;
    await el.updateComplete;
    el.focus();
    el.scrollIntoView({ block: 'nearest' });
  }

  /** The rendered `<menteo-post>` of `postId`, if it is in the window. */
  postElement(postId: string): MenteoPost | null {
    return this.renderRoot.querySelector<MenteoPost>(`menteo-post[data-id="${CSS.escape(postId)}"]`);
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('posts')) this.heights.setKeys(this.posts.map((p) => p.id));
  }

  protected override updated(changed: PropertyValues): void {
    // Measure what was just rendered, then see whether the window should move.
    for (const post of this.renderRoot.querySelectorAll<HTMLElement>('menteo-post')) this.resizeObserver?.observe(post);
    if (changed.has('posts') || changed.has('range')) this.scheduleRange();
  }

  /** Announces for its posts, whose live regions may not sit inside the feed. */
  private readonly onAnnounce = (e: Event): void => {
    if (!(e instanceof PostAnnounceEvent)) return;
    e.stopPropagation();
    this.announcer[e.politeness](e.message);
  };

  // ---- windowing ---------------------------------------------------------------------------

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
    if (next.end >= this.posts.length - PREFETCH && this.hasMore && this.moreStatus === 'idle') this.loadMore?.();
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

  // ---- keyboard (WAI-ARIA feed pattern) ------------------------------------------------------

  private readonly onKeydown = (e: KeyboardEvent): void => {
    const post = (e.target as Element).closest('menteo-post');
    const index = post ? Number(post.getAttribute('data-index')) : -1;
    if (e.key === 'PageDown' && index >= 0) {
      e.preventDefault();
      if (index + 1 < this.posts.length) void this.focusPost(index + 1);
    } else if (e.key === 'PageUp' && index >= 0) {
      e.preventDefault();
      if (index > 0) void this.focusPost(index - 1);
    } else if (e.key === 'End' && e.ctrlKey) {
      e.preventDefault();
      this.renderRoot.querySelector<HTMLElement>('[data-after-feed]')?.focus();
    }
  };

  private readonly onFocusin = (e: FocusEvent): void => {
    const post = (e.target as Element).closest('menteo-post');
    if (post) this.focusIndex = Number(post.getAttribute('data-index'));
  };

  private readonly onFocusout = (e: FocusEvent): void => {
    const to = e.relatedTarget as Node | null;
    if (to === null || !this.feedEl?.contains(to)) this.focusIndex = -1;
  };

  // ---- rendering ---------------------------------------------------------------------------

  private renderWindow(): TemplateResult {
    // Spacer heights go through cssProps, which always sets them with the CSSOM (element.style),
    // never a style attribute: a strict style-src policy allows the former only.
    const total = this.posts.length;
    const setSize = this.hasMore ? -1 : total;
    const s = Math.min(this.range.start, total);
    const e = Math.min(Math.max(this.range.end, s + 1), total);
    return html`
      <div class="spacer" aria-hidden="true" data-spacer="before" ${cssProps({ 'block-size': `${this.heights.offset(s)}px` })}></div>
      ${repeat(
        this.posts.slice(s, e),
        (p) => p.id,
        (p, i) => html`<menteo-post
          exportparts="post, post-header, post-body, avatar, badge, audience, milestone, reactions, reaction, comments, button, comments-button, delete-button, delete-confirm, link, milestone-link, code, code-block, state, state-loading, state-error, retry-button"
          data-id=${p.id}
          data-index=${s + i}
          .post=${p}
          .milestones=${this.milestones}
          .milestoneHref=${this.milestoneHref}
          .now=${this.now}
          .posinset=${s + i + 1}
          .setsize=${setSize}
        ></menteo-post>`,
      )}
      <div class="spacer" aria-hidden="true" data-spacer="after" ${cssProps({ 'block-size': `${this.heights.offset(total) - this.heights.offset(e)}px` })}></div>
    `;
  }

  private renderMore(): TemplateResult | typeof nothing {
    if (this.posts.length === 0) return nothing;
    if (this.moreStatus === 'loading') return loadingState(msg('Loading older posts…'));
    if (this.moreStatus === 'error') return errorState(describeError(this.moreError), () => this.loadMore?.());
    if (!this.hasMore) return html`<p class="end" tabindex="-1" data-after-feed>${msg('You are all caught up.')}</p>`;
    return html`<button part="button load-more-button" class="btn load-more" type="button" data-after-feed @click=${() => this.loadMore?.()}>
      ${msg('Load older posts')}
    </button>`;
  }

  protected override render(): TemplateResult | typeof nothing {
    // An empty role=feed is invalid ARIA (a feed owns articles): the container shows its own
    // empty state instead.
    if (this.posts.length === 0) return nothing;
    return html`<div
        part="feed"
        role="feed"
        aria-label=${this.label ?? msg('Growth posts')}
        aria-busy=${this.moreStatus === 'loading' ? 'true' : 'false'}
        @keydown=${this.onKeydown}
        @focusin=${this.onFocusin}
        @focusout=${this.onFocusout}
      >
        ${this.renderWindow()}
      </div>
      ${this.renderMore()}${this.announcer.render()}`;
  }
}
