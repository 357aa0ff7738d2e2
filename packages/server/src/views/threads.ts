/**
 * Rows to contract objects: threads, posts (with reactions as seen by the viewer) and comments.
 * @module
 */
import type { Person } from '@menteo/api/people';
import { REACTION_KINDS, type Audience, type Comment, type Post, type ReactionKind, type Thread } from '@menteo/api/threads';
import { strings } from '../storage/json.js';
import type { CommentsTable, PeopleTable, PostsTable, ThreadsTable } from '../storage/schema.js';
import { loadPeople, must, personView, type Db } from './people.js';

/** Threads with their authors. */
export async function threadViews(db: Db, rows: readonly ThreadsTable[]): Promise<Thread[]> {
  const people = await loadPeople(db, rows.map((r) => r.author_id));
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

/** Rows a caller already holds, so a view need not load them again. */
export interface KnownRows {
  readonly threads?: readonly Pick<ThreadsTable, 'id' | 'title' | 'skills'>[];
  readonly people?: readonly (PeopleTable | null | undefined)[];
}

/**
 * Posts with author, thread title and skills, and reaction counts; `viewerId` decides `mine`.
 * At most three queries per page whatever its size (threads, authors, reactions), each an
 * index lookup, and fewer when the caller passes rows it already holds (the thread of a thread
 * feed, the signed-in person): the feed is the hottest read of the API.
 */
export async function postViews(db: Db, rows: readonly PostsTable[], viewerId: string | undefined, known: KnownRows = {}): Promise<Post[]> {
  if (rows.length === 0) return [];
  const postIds = rows.map((r) => r.id);
  const threadById = new Map((known.threads ?? []).map((t) => [t.id, t]));
  const missingThreads = [...new Set(rows.map((r) => r.thread_id))].filter((id) => !threadById.has(id));
  if (missingThreads.length > 0) {
    const threads = await db.selectFrom('threads').select(['id', 'title', 'skills']).where('id', 'in', missingThreads).execute();
    for (const t of threads) threadById.set(t.id, t);
  }
  const people = new Map<string, Person>();
  for (const row of known.people ?? []) if (row) people.set(row.id, personView(row));
  const missingPeople = rows.map((r) => r.author_id).filter((id) => !people.has(id));
  for (const [id, person] of await loadPeople(db, missingPeople)) people.set(id, person);
  // Counts and the viewer's own reactions in one pass over the (post_id, …) index.
  const viewer = viewerId ?? '';
  const counts = await db.selectFrom('reactions').select(['post_id', 'kind'])
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>(eb.case().when('person_id', '=', viewer).then(1).else(0).end()).as('mine')])
    .where('post_id', 'in', postIds).groupBy(['post_id', 'kind']).execute();
  const byPost = new Map<string, typeof counts>();
  for (const c of counts) {
    const list = byPost.get(c.post_id);
    if (list) list.push(c);
    else byPost.set(c.post_id, [c]);
  }
  return rows.map((r) => {
    const thread = threadById.get(r.thread_id);
    const mine = byPost.get(r.id) ?? [];
    const reactions = REACTION_KINDS.flatMap((kind: ReactionKind) => {
      const c = mine.find((x) => x.kind === kind);
      const count = Number(c?.n ?? 0);
      return count > 0 ? [{ kind, count, mine: Number(c?.mine ?? 0) > 0 }] : [];
    });
    return {
      id: r.id,
      threadId: r.thread_id,
      threadTitle: thread?.title ?? '',
      author: must(people, r.author_id),
      body: r.body,
      audience: r.audience as Audience,
      roomId: r.room_id,
      milestoneId: r.milestone_id,
      skills: strings(thread?.skills ?? '[]'),
      reactions,
      commentCount: r.comment_count,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  });
}

/** Comments with their authors. */
export async function commentViews(db: Db, rows: readonly CommentsTable[]): Promise<Comment[]> {
  const people = await loadPeople(db, rows.map((r) => r.author_id));
  return rows.map((r) => ({ id: r.id, postId: r.post_id, author: must(people, r.author_id), body: r.body, createdAt: r.created_at }));
}
