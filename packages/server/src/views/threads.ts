/**
 * Rows to contract objects: threads, posts (with reactions as seen by the viewer) and comments.
 * @module
 */
import type { PublicPerson } from '@menteo/api/people';
import { REACTION_KINDS, type Audience, type Comment, type Post, type ReactionKind, type Thread } from '@menteo/api/threads';
import { visibleThreads } from '../auth/visibility.js';
import type { Context } from '../context.js';
import { strings } from '../storage/json.js';
import { compiledOnce } from '../storage/statement-cache.js';
import type { CommentsTable, PeopleTable, PostsTable, ThreadsTable } from '../storage/schema.js';
import { loadPublicPeople, must, publicPersonView, type Db } from './people.js';

/** Threads with their authors' public profiles. */
export async function threadViews(db: Db, rows: readonly ThreadsTable[]): Promise<Thread[]> {
  const people = await loadPublicPeople(db, rows.map((r) => r.author_id));
  return rows.map((r) => ({
    id: r.id,
    author: must(people, r.author_id),
    title: r.title,
    skills: strings(r.skills),
    roomId: r.room_id,
    postCount: r.post_count,
    lastPostAt: r.last_post_at,
    createdAt: r.created_at,
  }));
}

/**
 * Whom post views are for. It decides `mine`, and whether a post shows its thread's title and
 * skills: only to whoever can read the thread, since a post can reach further than its thread
 * (an `org` or `public` post in a room's thread).
 */
export type PostReader =
  /** A signed-in caller: the thread's details exactly when `GET /v1/threads/{id}` would show it to them. */
  | { readonly kind: 'caller'; readonly ctx: Context }
  /**
   * Every subscriber of the post's live event at once (an event is encoded once): the thread's
   * details only when all of them can read it, i.e. a thread outside any room, or a `room` post
   * in the thread's own room.
   */
  | { readonly kind: 'event' }
  /** An anonymous reader of a public post, who reads no thread. */
  | { readonly kind: 'anonymous' };

type ThreadFacts = Pick<ThreadsTable, 'id' | 'title' | 'skills' | 'room_id'>;

/** Rows a caller already holds, so a view need not load them again. */
export interface KnownRows {
  /** Threads the reader can read (the thread of a thread feed, already checked). */
  readonly threads?: readonly ThreadFacts[];
  readonly people?: readonly (PeopleTable | null | undefined)[];
}

/** Loads the threads of a page that the reader may see the details of. */
async function readableThreads(db: Db, ids: readonly string[], reader: PostReader): Promise<ThreadFacts[]> {
  if (ids.length === 0 || reader.kind === 'anonymous') return [];
  let q = db.selectFrom('threads').select(['id', 'title', 'skills', 'room_id']).where('id', 'in', [...ids]);
  if (reader.kind === 'caller') {
    // The same condition as thread reads, in the same query: a thread the caller cannot read is not loaded at all.
    const visible = visibleThreads(reader.ctx);
    if (visible) q = q.where(visible);
  }
  return q.execute();
}

function threadShown(reader: PostReader, post: PostsTable, thread: ThreadFacts): boolean {
  if (reader.kind !== 'event') return true;
  return thread.room_id === null || (post.audience === 'room' && post.room_id === thread.room_id);
}

/**
 * Reaction counts of a page's posts with the viewer's own: the kept counts (at most five rows a
 * post, whatever the number of reactions) and, for each, one primary-key probe for the viewer's
 * reaction. Aggregating the reaction rows instead made a page with 50 reactions per post cost
 * 1.68× one with none. Compiled once per page size.
 */
const reactionCounts = compiledOnce((db, p: { viewer: string; postIds: readonly string[] }) => db
  .selectFrom('reaction_counts as rc')
  .select(['rc.post_id', 'rc.kind', 'rc.count as n'])
  .select((eb) => eb.exists(eb.selectFrom('reactions as r').select('r.post_id')
    .whereRef('r.post_id', '=', 'rc.post_id').whereRef('r.kind', '=', 'rc.kind').where('r.person_id', '=', p.viewer)).as('mine'))
  .where('rc.post_id', 'in', p.postIds)
  .where('rc.count', '>', 0));

/**
 * Posts with their authors' public profiles, thread title and skills (when the reader may see
 * them, see {@link PostReader}), and reaction counts. At most three queries per page whatever its
 * size (threads, authors, reactions), each an index lookup, and fewer when the caller passes rows
 * it already holds (the thread of a thread feed, the signed-in person): the feed is the hottest
 * read of the API.
 */
export async function postViews(db: Db, rows: readonly PostsTable[], reader: PostReader, known: KnownRows = {}): Promise<Post[]> {
  if (rows.length === 0) return [];
  const postIds = rows.map((r) => r.id);
  const threadById = new Map((reader.kind === 'caller' ? known.threads ?? [] : []).map((t) => [t.id, t]));
  const missingThreads = [...new Set(rows.map((r) => r.thread_id))].filter((id) => !threadById.has(id));
  for (const t of await readableThreads(db, missingThreads, reader)) threadById.set(t.id, t);
  const people = new Map<string, PublicPerson>();
  for (const row of known.people ?? []) if (row) people.set(row.id, publicPersonView(row));
  const missingPeople = rows.map((r) => r.author_id).filter((id) => !people.has(id));
  for (const [id, person] of await loadPublicPeople(db, missingPeople)) people.set(id, person);
  const viewer = reader.kind === 'caller' ? reader.ctx.principal.person?.id ?? '' : '';
  const counts = await reactionCounts(db, { viewer, postIds });
  const byPost = new Map<string, typeof counts>();
  for (const c of counts) {
    const list = byPost.get(c.post_id);
    if (list) list.push(c);
    else byPost.set(c.post_id, [c]);
  }
  return rows.map((r) => {
    const found = threadById.get(r.thread_id);
    const thread = found && threadShown(reader, r, found) ? found : undefined;
    const mine = byPost.get(r.id) ?? [];
    const reactions = REACTION_KINDS.flatMap((kind: ReactionKind) => {
      const c = mine.find((x) => x.kind === kind);
      const count = Number(c?.n ?? 0);
      return count > 0 ? [{ kind, count, mine: Number(c?.mine ?? 0) > 0 }] : [];
    });
    return {
      id: r.id,
      threadId: r.thread_id,
      threadTitle: thread?.title ?? null,
      author: must(people, r.author_id),
      body: r.body,
      audience: r.audience as Audience,
      roomId: r.room_id,
      milestoneId: r.milestone_id,
      skills: thread ? strings(thread.skills) : [],
      reactions,
      commentCount: r.comment_count,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  });
}

/** Comments with their authors' public profiles. */
export async function commentViews(db: Db, rows: readonly CommentsTable[]): Promise<Comment[]> {
  const people = await loadPublicPeople(db, rows.map((r) => r.author_id));
  return rows.map((r) => ({ id: r.id, postId: r.post_id, author: must(people, r.author_id), body: r.body, createdAt: r.created_at }));
}
