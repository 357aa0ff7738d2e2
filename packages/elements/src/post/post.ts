import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { msg, str } from '@lit/localize';
import type { Post, Comment, ReactionKind, Audience } from '@menteo/api/threads';
import type { Milestone } from '@menteo/api/roadmaps';
import { MenteoElement } from '../internal/menteo-element.js';
import { MenteoWidget } from '../internal/widget.js';
import { can } from '../internal/session-consumer.js';
import { DraftStore, newIdempotencyKey } from '../internal/draft-store.js';
import { describeError } from '../internal/errors.js';
import { renderMarkdown } from '../internal/markdown.js';
import { relativeTime } from '../internal/format.js';
import { avatar, errorState, loadingState } from '../internal/parts.js';
import { uniqueId } from '../internal/ids.js';
import { MenteoCommentCreateEvent, MenteoErrorEvent, MenteoPostDeleteEvent, MenteoReactionChangeEvent } from '../events.js';
import { postStyles } from './post.styles.js';

const REACTIONS: ReadonlyArray<{ kind: ReactionKind; emoji: string; label: () => string }> = [
  { kind: 'applause', emoji: '👏', label: () => msg('Applause') },
  { kind: 'insight', emoji: '💡', label: () => msg('Insightful') },
  { kind: 'support', emoji: '🤝', label: () => msg('Support') },
  { kind: 'celebrate', emoji: '🎉', label: () => msg('Celebrate') },
  { kind: 'curious', emoji: '🤔', label: () => msg('Curious') },
];

/** Id prefix of a post a composer sent that the server has not stored yet. */
export const PENDING_PREFIX = 'pending:';

type CommentsState =
  | { status: 'loading' | 'ready'; items: Comment[]; text: string; sending: boolean; sendError?: string | undefined }
  | { status: 'error'; items: Comment[]; error: unknown; text: string; sending: boolean; sendError?: string | undefined };

/**
 * A post inside a list asks the list to announce for it: live regions may not sit inside a
 * `role=feed` (it owns articles only), so the list keeps them beside the feed. Internal: a post
 * outside a list announces through its own regions.
 */
export class PostAnnounceEvent extends Event {
  static readonly eventName = 'menteo-post-announce';
  readonly politeness: 'polite' | 'assertive';
  readonly message: string;
  constructor(politeness: 'polite' | 'assertive', message: string) {
    super(PostAnnounceEvent.eventName, { bubbles: true, composed: true });
    this.politeness = politeness;
    this.message = message;
  }
}

/** Where deleting stands: nothing asked, asking the author to confirm, or the request in flight. */
type DeleteStep = 'idle' | 'confirming' | 'deleting';

/**
 * Rendered post bodies, shared by every post on the page: re-parsing markdown each time a
 * windowed list re-creates a post would cost scroll frames. Bounded, so scrolling through
 * thousands of posts does not grow memory forever.
 */
const bodies = new Map<string, TemplateResult>();

function renderBody(body: string): TemplateResult {
  let t = bodies.get(body);
  if (t === undefined) {
    if (bodies.size > 500) bodies.clear();
    t = renderMarkdown(body);
    bodies.set(body, t);
  }
  return t;
}

/**
 * The first words of a post's text without markdown marks, so each article of a one-author feed
 * has its own accessible name ("Max Mentor: Pairing on ownership today").
 */
export function excerpt(body: string, max = 60): string {
  const line = body.split('\n').find((l) => l.trim() !== '') ?? '';
  const plain = line.replace(/[*_`#>[\]]|\(([^)]*)\)/g, '').replace(/\s+/g, ' ').trim();
  if (plain.length <= max) return plain;
  const cut = plain.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${space > max / 2 ? cut.slice(0, space) : cut}…`;
}

/** `reactions` with `kind` added (`active`) or taken back by the reader. */
export function applyReaction(reactions: Post['reactions'], kind: ReactionKind, active: boolean): Post['reactions'] {
  const existing = reactions.find((r) => r.kind === kind);
  if (existing === undefined) return active ? [...reactions, { kind, count: 1, mine: true }] : reactions;
  return reactions
    .map((r) => (r.kind === kind ? { ...r, mine: active, count: Math.max(0, r.count + (active ? 1 : -1)) } : r))
    .filter((r) => r.count > 0);
}

/**
 * A live event is encoded once for every reader, so it cannot say which reactions are this
 * reader's (`mine` is false) nor carry a thread title some readers may not see (`null`). Merges
 * such an event's `post` into what the reader already knows (`known`): counts and text from the
 * event, the reader's own reactions and the thread title from `known`.
 */
export function mergeLivePost(known: Post, post: Post): Post {
  return {
    ...post,
    threadTitle: post.threadTitle ?? known.threadTitle,
    reactions: post.reactions.map((r) => ({ ...r, mine: known.reactions.find((k) => k.kind === r.kind)?.mine ?? false })),
  };
}

function audienceLabel(a: Audience): string {
  return a === 'room' ? msg('This room only') : a === 'org' ? msg('Everyone in the organization') : msg('Anyone with the link');
}

/**
 * One growth-thread post: its author, audience, text, the milestone it is evidence for, skills,
 * reactions and comments, and, for its author, deleting it (with a confirmation that a stray key
 * press cannot get past: the confirmation opens on "Keep it").
 *
 * Give it a `post` (a `Post` from `@menteo/client`); it writes through the nearest provider's
 * session. `<menteo-thread-feed>` renders one per post; a host can show a single post with it.
 * The article is focusable (`tabindex=0`), as the feed pattern asks, and `focus()` focuses it.
 *
 * @summary One post with its reactions and comments.
 * @tag menteo-post
 *
 * @csspart post - The `article`.
 * @csspart post-header - Author, thread, time and audience.
 * @csspart post-body - The rendered text.
 * @csspart avatar - An avatar.
 * @csspart badge - The audience and milestone badges.
 * @csspart milestone - The "Evidence for" badge naming the milestone.
 * @csspart milestone-link - That badge's link, when `milestoneHref` gives one.
 * @csspart reactions - The reaction buttons.
 * @csspart reaction - One reaction button.
 * @csspart comments - The comments section.
 * @csspart button - Every button.
 * @csspart comments-button - The button that shows or hides the comments.
 * @csspart delete-button - The author's "Delete" button.
 * @csspart delete-confirm - The confirmation shown before deleting.
 * @csspart link - Links in the text.
 * @csspart state - Loading and error states of the comments.
 *
 * @cssprop --menteo-color-accent - Accent colour (links, pressed reactions).
 * @cssprop --menteo-color-surface - Background of the post.
 * @cssprop --menteo-radius - Corner radius.
 *
 * @fires {MenteoReactionChangeEvent} menteo-reaction-change - The reader added or took back a reaction.
 * @fires {MenteoCommentCreateEvent} menteo-comment-create - The reader commented.
 * @fires {MenteoPostDeleteEvent} menteo-post-delete - The author deleted the post.
 * @fires {MenteoErrorEvent} menteo-error - A write failed after the client's retries.
 */
export class MenteoPost extends MenteoWidget {
  static override styles = [MenteoElement.styles, postStyles];

  /** The post to show. A property only (an object). */
  @property({ attribute: false }) post: Post | undefined = undefined;

  /** Milestones of the post's room, to name the one a post is evidence for. */
  @property({ attribute: false }) milestones: readonly Milestone[] = [];

  /**
   * Makes the "Evidence for" badge a link: returns the URL of the milestone's page on your site
   * (or `undefined` for none). A property only (a function), like `<menteo-roadmap>`'s `postHref`.
   */
  @property({ attribute: false }) milestoneHref: ((milestone: Milestone) => string | undefined) | undefined = undefined;

  /** Position in its feed, 1-based (`aria-posinset`); 0 outside a feed. */
  @property({ type: Number }) posinset = 0;

  /** Size of its feed (`aria-setsize`); -1 while more may load. */
  @property({ type: Number }) setsize = 0;

  /** The time relative times are measured from; a feed passes one clock to all its posts. */
  @property({ attribute: false }) now: Date | undefined = undefined;

  @state() private comments: CommentsState | undefined;
  /** Presses in flight: the state each reaction is going to. */
  @state() private reactionsPending = new Map<ReactionKind, boolean>();
  @state() private deleteStep: DeleteStep = 'idle';
  @state() private deleteError: string | undefined;

  private readonly ids = { title: uniqueId('post-title'), body: uniqueId('post-body'), comments: uniqueId('post-comments'), comment: uniqueId('comment') };
  /** Set when a keyboard or pointer user acted on something that must get focus back. */
  private refocus: string | undefined;

  /** Focuses the post's article (what Page Up / Page Down in a feed move between). */
  override focus(options?: FocusOptions): void {
    this.renderRoot.querySelector<HTMLElement>('article')?.focus(options);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const previous = changed.get('post');
    // Another post in this element (a windowed list reuses elements): its comments and
    // confirmation are not this one's.
    if (changed.has('post') && previous !== undefined && previous.id !== this.post?.id) {
      this.comments = undefined;
      this.deleteStep = 'idle';
      this.deleteError = undefined;
    }
  }

  protected override updated(): void {
    if (this.refocus === undefined) return;
    const target = this.renderRoot.querySelector<HTMLElement>(this.refocus);
    if (target === null || (target as HTMLButtonElement).disabled) return;
    this.refocus = undefined;
    target.focus();
  }

  /** Remembers to focus `selector` once it is rendered and enabled, if focus is in this post now. */
  private keepFocus(selector: string): void {
    const active = this.shadowRoot?.activeElement ?? null;
    if (active !== null) this.refocus = selector;
  }

  /** In a list (`posinset` set), the list announces; alone, the post's own regions do. */
  private say(politeness: 'polite' | 'assertive', message: string): void {
    if (this.posinset > 0) this.dispatchEvent(new PostAnnounceEvent(politeness, message));
    else this.announcer[politeness](message);
  }

  private get me() {
    return this.session?.me;
  }

  private get isAuthor(): boolean {
    const person = this.me?.person;
    return person !== undefined && person !== null && this.post?.author.id === person.id;
  }

  // ---- reactions ----------------------------------------------------------------------------

  /**
   * The reactions as shown: the post's, with the reader's presses still in flight applied. Kept
   * apart from `post` because a container re-sets `post` whenever it renders (Lit sets object
   * values every time), which would undo an optimistic press that lived in `post` itself.
   */
  private shownReactions(post: Post): Post['reactions'] {
    let reactions = post.reactions;
    for (const [kind, active] of this.reactionsPending) {
      if ((reactions.find((r) => r.kind === kind)?.mine ?? false) !== active) reactions = applyReaction(reactions, kind, active);
    }
    return reactions;
  }

  private async toggleReaction(kind: ReactionKind): Promise<void> {
    const client = this.session?.client;
    const post = this.post;
    if (client === undefined || post === undefined || this.reactionsPending.has(kind)) return;
    const active = !(post.reactions.find((r) => r.kind === kind)?.mine ?? false);
    // The buttons are disabled while in flight so a second press cannot race the first; a
    // disabled button drops focus to the page, so it comes back to this button once enabled.
    this.keepFocus(`button[data-kind="${kind}"]`);
    this.reactionsPending = new Map(this.reactionsPending).set(kind, active);
    try {
      const updated = active ? await client.posts.reactions.add(post.id, kind) : await client.posts.reactions.remove(post.id, kind);
      this.post = updated;
      // A container keeps its copy of the post in step from this event (see MenteoThreadFeed).
      this.dispatchEvent(new MenteoReactionChangeEvent(updated, kind, active));
    } catch (error) {
      this.say('assertive', msg(str`Your reaction was not saved. ${describeError(error)}`));
      this.dispatchEvent(new MenteoErrorEvent('reaction-change', error));
    } finally {
      const next = new Map(this.reactionsPending);
      next.delete(kind);
      this.reactionsPending = next;
    }
  }

  // ---- comments -----------------------------------------------------------------------------

  private commentDraft(): DraftStore | undefined {
    return this.post ? new DraftStore(`comment:${this.draftOwner()}:${this.post.id}`) : undefined;
  }

  private async toggleComments(): Promise<void> {
    if (this.comments !== undefined) {
      this.comments = undefined;
      return;
    }
    this.comments = { status: 'loading', items: [], text: this.commentDraft()?.load()?.text ?? '', sending: false };
    await this.loadComments();
  }

  private async loadComments(): Promise<void> {
    const client = this.session?.client;
    const post = this.post;
    if (client === undefined || post === undefined || this.comments === undefined) return;
    this.comments = { ...this.comments, status: 'loading' };
    try {
      const items = await client.posts.comments.list(post.id, { limit: 100 }).toArray(100);
      if (this.comments) this.comments = { ...this.comments, status: 'ready', items };
    } catch (error) {
      if (this.comments) this.comments = { ...this.comments, status: 'error', error };
    }
  }

  private onCommentInput(e: InputEvent): void {
    const text = (e.target as HTMLTextAreaElement).value;
    this.commentDraft()?.save(text);
    if (this.comments) this.comments = { ...this.comments, text, sendError: undefined };
  }

  private async submitComment(e: Event): Promise<void> {
    e.preventDefault();
    const client = this.session?.client;
    const post = this.post;
    const state = this.comments;
    if (client === undefined || post === undefined || state === undefined || state.sending) return;
    const body = state.text.trim();
    if (body === '') return;
    const store = this.commentDraft()!;
    const key = store.load()?.idempotencyKey ?? newIdempotencyKey();
    store.save(state.text, {}, key);
    // The send button is disabled in flight: focus goes to the (emptied) comment box, ready for
    // the next comment, or back to it with the text on failure.
    this.keepFocus(`#${this.ids.comment}`);
    this.comments = { ...state, sending: true, sendError: undefined };
    try {
      const comment = await client.posts.comments.create(post.id, { body }, { idempotencyKey: key });
      store.clear();
      const current = this.comments ?? state;
      const added = !current.items.some((c) => c.id === comment.id);
      this.comments = { ...current, items: added ? [...current.items, comment] : current.items, text: '', sending: false };
      if (added && this.post) this.post = { ...this.post, commentCount: this.post.commentCount + 1 };
      this.say('polite', msg('Your comment is published.'));
      this.dispatchEvent(new MenteoCommentCreateEvent(comment));
    } catch (error) {
      const sendError = msg(str`Comment not sent. ${describeError(error)}`);
      this.comments = { ...(this.comments ?? state), sending: false, sendError };
      this.say('assertive', sendError);
      this.dispatchEvent(new MenteoErrorEvent('comment-create', error));
    }
  }

  /**
   * Lists a comment published elsewhere (a live `comment.created`) if the comments are open. The
   * container owns the post, so it updates `commentCount` itself.
   */
  addComment(comment: Comment): void {
    if (this.comments?.items.some((c) => c.id === comment.id)) return;
    if (this.comments && this.comments.status === 'ready') this.comments = { ...this.comments, items: [...this.comments.items, comment] };
  }

  // ---- deleting -----------------------------------------------------------------------------

  /**
   * True while the author's delete request is in flight. The post's own `post.deleted` event can
   * arrive on the live stream before the request answers; a container that removed the post then
   * would take away the element that reports the deletion (and moves focus).
   */
  get deleting(): boolean {
    return this.deleteStep === 'deleting';
  }

  private askDelete(): void {
    this.deleteStep = 'confirming';
    this.deleteError = undefined;
    // Focus lands on "Keep it", never on the destructive button: Enter pressed twice on "Delete"
    // keeps the post.
    this.refocus = '[data-delete="cancel"]';
  }

  private cancelDelete(): void {
    this.deleteStep = 'idle';
    this.refocus = '[part~="delete-button"]';
  }

  private async confirmDelete(): Promise<void> {
    const client = this.session?.client;
    const post = this.post;
    if (client === undefined || post === undefined || this.deleteStep !== 'confirming') return;
    this.deleteStep = 'deleting';
    try {
      await client.posts.delete(post.id);
      this.deleteStep = 'idle';
      this.say('polite', msg('Your post is deleted.'));
      // The container removes the post and decides where focus goes (the next post).
      this.dispatchEvent(new MenteoPostDeleteEvent(post));
    } catch (error) {
      this.deleteStep = 'confirming';
      this.deleteError = msg(str`Not deleted. ${describeError(error)}`);
      this.refocus = '[data-delete="cancel"]';
      this.say('assertive', this.deleteError);
      this.dispatchEvent(new MenteoErrorEvent('post-delete', error));
    }
  }

  private onConfirmKeydown(e: KeyboardEvent): void {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      this.cancelDelete();
    }
  }

  // ---- rendering ----------------------------------------------------------------------------

  private renderReactions(post: Post): TemplateResult {
    return html`<div part="reactions" class="reactions" role="group" aria-label=${msg('Reactions')}>
      ${REACTIONS.map(({ kind, emoji, label }) => {
        const r = this.shownReactions(post).find((x) => x.kind === kind);
        const count = r?.count ?? 0;
        return html`<button
          part="button reaction"
          class="btn btn--small reaction"
          type="button"
          data-kind=${kind}
          aria-pressed=${r?.mine ? 'true' : 'false'}
          aria-label=${msg(str`${label()}: ${count}`)}
          ?disabled=${this.reactionsPending.size > 0}
          @click=${() => this.toggleReaction(kind)}
        >
          <span aria-hidden="true">${emoji}</span>${count > 0 ? html`<span aria-hidden="true">${count}</span>` : nothing}
        </button>`;
      })}
    </div>`;
  }

  private renderComments(): TemplateResult | typeof nothing {
    const state = this.comments;
    if (state === undefined) return nothing;
    const now = this.now ?? new Date();
    return html`<section part="comments" class="comments" id=${this.ids.comments} aria-label=${msg('Comments')}>
      ${state.status === 'loading'
        ? loadingState(msg('Loading comments…'))
        : state.status === 'error'
          ? errorState(describeError(state.error), () => void this.loadComments())
          : html`<ol class="comment-list">
              ${state.items.map(
                (c) => html`<li class="comment">
                  ${avatar(c.author, 'sm')}
                  <div class="comment__content">
                    <div class="comment__meta"><strong>${c.author.displayName}</strong> · ${relativeTime(c.createdAt, now)}</div>
                    <div class="md">${renderMarkdown(c.body)}</div>
                  </div>
                </li>`,
              )}
            </ol>`}
      ${can(this.me, 'comments:write')
        ? html`<form class="comment-form" @submit=${this.submitComment}>
            <label for=${this.ids.comment} class="visually-hidden">${msg('Write a comment')}</label>
            <textarea
              id=${this.ids.comment}
              rows="1"
              maxlength="4000"
              placeholder=${msg('Write a comment…')}
              .value=${state.text}
              @input=${this.onCommentInput}
            ></textarea>
            <button part="button" class="btn btn--small" type="submit" ?disabled=${state.sending}>
              ${state.sending ? msg('Sending…') : msg('Comment')}
            </button>
            ${state.sendError ? html`<p class="error-text">${state.sendError}</p>` : nothing}
          </form>`
        : nothing}
    </section>`;
  }

  private renderDelete(): TemplateResult | typeof nothing {
    if (!this.isAuthor || !can(this.me, 'posts:write')) return nothing;
    if (this.deleteStep === 'idle') {
      return html`<button part="button delete-button" class="btn btn--ghost btn--small" type="button" @click=${this.askDelete}>
        ${msg('Delete')}
      </button>`;
    }
    const busy = this.deleteStep === 'deleting';
    return html`<div part="delete-confirm" class="delete-confirm" role="group" aria-labelledby="${this.ids.title}-confirm" @keydown=${this.onConfirmKeydown}>
      <p id="${this.ids.title}-confirm" class="delete-confirm__text">${msg('Delete this post and its comments? This cannot be undone.')}</p>
      ${this.deleteError ? html`<p class="error-text">${this.deleteError}</p>` : nothing}
      <div class="delete-confirm__actions">
        <button part="button" class="btn btn--small" type="button" data-delete="cancel" ?disabled=${busy} @click=${this.cancelDelete}>${msg('Keep it')}</button>
        <button part="button" class="btn btn--small btn--danger" type="button" data-delete="confirm" ?disabled=${busy} @click=${this.confirmDelete}>
          ${busy ? msg('Deleting…') : msg('Delete post')}
        </button>
      </div>
    </div>`;
  }

  private renderMilestone(milestone: Milestone | undefined): TemplateResult | string {
    if (milestone === undefined) return msg('Evidence for a milestone');
    const text = msg(str`Evidence for: ${milestone.title}`);
    const href = this.milestoneHref?.(milestone);
    return href ? html`<a part="link milestone-link" href=${href}>${text}</a>` : text;
  }

  protected override render(): TemplateResult | typeof nothing {
    const post = this.post;
    if (post === undefined) return nothing;
    const pending = post.id.startsWith(PENDING_PREFIX);
    const expanded = this.comments !== undefined;
    const milestone = post.milestoneId ? this.milestones.find((m) => m.id === post.milestoneId) : undefined;
    const name = excerpt(post.body);
    return html`<article
        part="post"
        class="post ${pending ? 'post--pending' : ''}"
        tabindex="0"
        aria-posinset=${this.posinset > 0 ? this.posinset : nothing}
        aria-setsize=${this.posinset > 0 ? this.setsize : nothing}
        aria-label=${name ? msg(str`${post.author.displayName}: ${name}`) : post.author.displayName}
        aria-describedby=${this.ids.body}
        aria-busy=${pending ? 'true' : 'false'}
      >
        <header part="post-header" class="post__header">
          ${avatar(post.author)}
          <div class="post__who">
            <span id=${this.ids.title} class="post__author">${post.author.displayName}</span>
            <span class="post__meta">
              ${post.threadTitle ? html`<span class="post__thread">${post.threadTitle}</span> · ` : nothing}
              ${pending ? html`<span>${msg('Posting…')}</span>` : relativeTime(post.createdAt, this.now ?? new Date())}
            </span>
          </div>
          <span part="badge audience" class="badge badge--${post.audience}">
            <span class="visually-hidden">${msg('Audience:')} </span>${audienceLabel(post.audience)}
          </span>
        </header>
        <div part="post-body" id=${this.ids.body} class="post__body md">${renderBody(post.body)}</div>
        ${post.milestoneId
          ? html`<p part="badge milestone" class="badge badge--milestone" data-milestone-id=${post.milestoneId}>
              ${this.renderMilestone(milestone)}
            </p>`
          : nothing}
        ${post.skills.length > 0 ? html`<ul class="skills" aria-label=${msg('Skills')}>${post.skills.map((s) => html`<li>${s}</li>`)}</ul>` : nothing}
        ${pending
          ? nothing
          : html`<footer class="post__footer">
              ${this.renderReactions(post)}
              <div class="post__actions">
                <button
                  part="button comments-button"
                  class="btn btn--ghost btn--small"
                  type="button"
                  aria-expanded=${expanded ? 'true' : 'false'}
                  aria-controls=${this.ids.comments}
                  @click=${this.toggleComments}
                >
                  ${post.commentCount === 1 ? msg('1 comment') : msg(str`${post.commentCount} comments`)}
                </button>
                ${this.renderDelete()}
              </div>
            </footer>
            ${this.renderComments()}`}
      </article>
      ${this.posinset > 0 ? nothing : this.announcer.render()}`;
  }
}
