/**
 * Rows to contract objects: threads, posts (with reactions as seen by the viewer) and comments.
 * @module
 */
import { REACTION_KINDS, type Audience, type Comment, type Post, type ReactionKind, type Thread } from '@menteo/api/threads';
import { strings } from '../storage/json.js';
import type { CommentsTable, PostsTable, ThreadsTable } from '../storage/schema.js';
import { loadPeople, must, type Db } from './people.js';

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

/**
 * Posts with author, thread title and skills, and reaction counts; `viewerId` decides `mine`.
 * Five queries per page whatever its size, each an index lookup by post or thread id.
 */
export async function postViews(db: Db, rows: readonly PostsTable[], viewerId: string | undefined): Promise<Post[]> {
  if (rows.length === 0) return [];
  const postIds = rows.map((r) => r.id);
  const threads = await db.selectFrom('threads').select(['id', 'title', 'skills']).where('id', 'in', [...new Set(rows.map((r) => r.thread_id))]).execute();
  const threadById = new Map(threads.map((t) => [t.id, t]));
  const people = await loadPeople(db, rows.map((r) => r.author_id));
  const counts = await db.selectFrom('reactions').select(['post_id', 'kind']).select((eb) => eb.fn.countAll<number>().as('n'))
    .where('post_id', 'in', postIds).groupBy(['post_id', 'kind']).execute();
  const mine = viewerId === undefined ? [] : await db.selectFrom('reactions').select(['post_id', 'kind']).where('post_id', 'in', postIds).where('person_id', '=', viewerId).execute();
  const mineSet = new Set(mine.map((m) => `${m.post_id} ${m.kind}`));
  return rows.map((r) => {
    const thread = threadById.get(r.thread_id);
    const reactions = REACTION_KINDS.flatMap((kind: ReactionKind) => {
      const count = Number(counts.find((c) => c.post_id === r.id && c.kind === kind)?.n ?? 0);
      return count > 0 ? [{ kind, count, mine: mineSet.has(`${r.id} ${kind}`) }] : [];
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
