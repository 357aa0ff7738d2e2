/**
 * Growth threads, posts, the feed, comments and reactions.
 * @module
 */
import {
  addReaction, createComment, createPost, createThread, deletePost, getPost, getPublicPost, getThread, listComments,
  listPosts, listThreadPosts, listThreads, removeReaction,
} from '@menteo/api/threads';
import type { Post } from '@menteo/api/threads';
import { canReadPost, readableRoom, requireParticipant, requirePostRoomActive, requireResponder } from '../auth/access.js';
import { authorOf, isOrgWide } from '../auth/principal.js';
import { visiblePosts, visibleThreads } from '../auth/visibility.js';
import type { Context } from '../context.js';
import { forbidden, invalid, notFound } from '../http/errors.js';
import { handle, handlePublic } from '../handler.js';
import { pageOf } from '../storage/cursor.js';
import { newId } from '../storage/ids.js';
import { compiledOnce } from '../storage/statement-cache.js';
import { json } from '../storage/json.js';
import type { PostsTable, ThreadsTable } from '../storage/schema.js';
import type { Db } from '../views/people.js';
import { commentViews, postViews, threadViews, type PostReader } from '../views/threads.js';
import { emitEvidenceChanged, readableMilestone } from './roadmaps.js';
import { idCursor, pageLimit } from './rooms.js';

/** What the visibility rules read of the caller, as query values (see {@link asCaller}). */
type CallerParams = { readonly me: string; readonly rooms: readonly string[] | null };

/** The caller as query values, and (`callerKind`) what the rules branch on: an API key reads every room's content. */
function callerParams(ctx: Context): CallerParams & { readonly callerKind: string } {
  return { me: ctx.principal.person?.id ?? '', rooms: ctx.principal.roomIds, callerKind: ctx.principal.kind };
}

/**
 * A stand-in caller for compiling the visibility rules once: the rules (auth/visibility.ts) read
 * the principal's kind, room limit and person id, which the compiled query binds as values.
 */
function asCaller(kind: string, p: CallerParams): Context {
  return { principal: { kind, roomIds: p.rooms, person: { id: p.me } } } as unknown as Context;
}

/** The caller's kind rides along as a variant (the rules branch on it), never as a bound value. */
type CallerQuery = CallerParams & { readonly callerKind: string };

const threadQuery = compiledOnce(
  (db, p: CallerQuery & { threadId: string; orgId: string }, kind) => {
    let q = db.selectFrom('threads').selectAll().where('id', '=', p.threadId).where('org_id', '=', p.orgId);
    const visible = visibleThreads(asCaller(kind, p));
    if (visible) q = q.where(visible);
    return q;
  },
  (p) => p.callerKind,
);

/** Loads a thread the caller can see, or 404. */
export async function visibleThread(ctx: Context, threadId: string, db: Db = ctx.db): Promise<ThreadsTable> {
  const [row] = await threadQuery(db, { ...callerParams(ctx), threadId, orgId: ctx.principal.orgId });
  if (!row) throw notFound('The thread');
  return row;
}

/** A page of a thread's posts the caller can read, newest first (the feed: compiled once). */
const threadPostsQuery = compiledOnce(
  (db, p: CallerQuery & { threadId: string; after: string | undefined; take: number }, kind) => {
    let q = db.selectFrom('posts').selectAll().where('thread_id', '=', p.threadId);
    const visible = visiblePosts(asCaller(kind, p));
    if (visible) q = q.where(visible);
    if (p.after !== undefined) q = q.where('id', '<', p.after);
    return q.orderBy('id', 'desc').limit(p.take);
  },
  (p) => p.callerKind,
);

/** Loads a post the caller can read, or 404. */
export async function readablePost(ctx: Context, postId: string, db: Db = ctx.db): Promise<PostsTable> {
  const row = await db.selectFrom('posts').selectAll().where('id', '=', postId).where('org_id', '=', ctx.principal.orgId).executeTakeFirst();
  if (!row || !(await canReadPost(ctx, row, db))) throw notFound('The post');
  return row;
}

async function onePost(db: Db, row: PostsTable, reader: PostReader): Promise<Post> {
  const [post] = await postViews(db, [row], reader);
  if (!post) throw new Error('unreachable: a post view for one post');
  return post;
}

async function react(ctx: Context, postId: string, kind: string, add: boolean): Promise<Post> {
  const post = await readablePost(ctx, postId);
  const person = authorOf(ctx.principal);
  await requireResponder(ctx, post);
  return ctx.tx(async (trx, emit) => {
    const changed = add
      ? await trx.insertInto('reactions').values({ post_id: post.id, person_id: person.id, kind, created_at: ctx.now })
        .onConflict((oc) => oc.columns(['post_id', 'kind', 'person_id']).doNothing()).executeTakeFirst()
        .then((r) => Number(r.numInsertedOrUpdatedRows ?? 0n) > 0)
      : await trx.deleteFrom('reactions').where('post_id', '=', post.id).where('person_id', '=', person.id).where('kind', '=', kind).executeTakeFirst()
        .then((r) => Number(r.numDeletedRows) > 0);
    if (changed) {
      // The kept count moves with the row, in the same transaction: a retry or a toggle that
      // changed nothing (the row was already there, or already gone) moves nothing.
      if (add) {
        await trx.insertInto('reaction_counts').values({ post_id: post.id, kind, count: 1 })
          .onConflict((oc) => oc.columns(['post_id', 'kind']).doUpdateSet((eb) => ({ count: eb('reaction_counts.count', '+', 1) }))).execute();
      } else {
        await trx.updateTable('reaction_counts').set((eb) => ({ count: eb('count', '-', 1) })).where('post_id', '=', post.id).where('kind', '=', kind).execute();
      }
      // Live counts for other viewers: `mine` is false in events, each client knows its own reactions.
      const data = await onePost(trx, post, { kind: 'event' });
      await emit({ orgId: post.org_id, threadId: post.thread_id, audience: post.audience, event: { type: 'post.updated', occurredAt: ctx.now, roomId: post.room_id, data } });
    }
    return onePost(trx, post, { kind: 'caller', ctx });
  });
}

/** Thread, post, comment and reaction handlers. */
export const threadHandlers = [
  handle(listThreads, async ({ query, ctx }) => {
    const limit = pageLimit(query.limit);
    const after = idCursor(query.cursor, 'thr');
    let q = ctx.db.selectFrom('threads').selectAll().where('org_id', '=', ctx.principal.orgId);
    const visible = visibleThreads(ctx);
    if (visible) q = q.where(visible);
    if (query.authorId !== undefined) q = q.where('author_id', '=', query.authorId);
    if (query.roomId !== undefined) q = q.where('room_id', '=', query.roomId);
    if (query.skill !== undefined) {
      q = q.where('id', 'in', ctx.db.selectFrom('thread_skills').select('thread_id').where('org_id', '=', ctx.principal.orgId).where('skill', '=', query.skill));
    }
    if (after !== undefined) q = q.where('id', '<', after);
    const rows = await q.orderBy('id', 'desc').limit(limit + 1).execute();
    return pageOf(rows, limit, (r) => [r.id], await threadViews(ctx.db, rows.slice(0, limit)));
  }),

  handle(createThread, async ({ body, ctx }) => {
    const author = authorOf(ctx.principal);
    if (body.roomId !== undefined) requireParticipant(await readableRoom(ctx, body.roomId, 'roomId'));
    const skills = [...new Set(body.skills ?? [])];
    const row: ThreadsTable = {
      id: newId('thr'), org_id: ctx.principal.orgId, author_id: author.id, title: body.title, skills: json(skills),
      room_id: body.roomId ?? null, post_count: 0, last_post_at: null, created_at: ctx.now,
    };
    await ctx.tx(async (trx) => {
      await trx.insertInto('threads').values(row).execute();
      if (skills.length > 0) await trx.insertInto('thread_skills').values(skills.map((skill) => ({ org_id: row.org_id, skill, thread_id: row.id }))).execute();
    });
    const [thread] = await threadViews(ctx.db, [row]);
    if (!thread) throw new Error('unreachable');
    return thread;
  }),

  handle(getThread, async ({ params, ctx }) => {
    const [thread] = await threadViews(ctx.db, [await visibleThread(ctx, params.threadId)]);
    if (!thread) throw new Error('unreachable');
    return thread;
  }),

  handle(listThreadPosts, async ({ params, query, ctx }) => {
    const thread = await visibleThread(ctx, params.threadId);
    const limit = pageLimit(query.limit);
    const after = idCursor(query.cursor, 'post');
    const rows = await threadPostsQuery(ctx.db, { ...callerParams(ctx), threadId: thread.id, after, take: limit + 1 });
    const known = { threads: [thread], people: [ctx.principal.person] };
    return pageOf(rows, limit, (r) => [r.id], await postViews(ctx.db, rows.slice(0, limit), { kind: 'caller', ctx }, known));
  }),

  handle(createPost, async ({ params, body, ctx }) => {
    const thread = await visibleThread(ctx, params.threadId);
    const author = authorOf(ctx.principal);
    if (thread.author_id !== author.id) throw forbidden('Only the thread\'s author posts to it; comment instead.');
    const audience = body.audience ?? 'room';
    const roomId = body.roomId ?? thread.room_id;
    if (audience === 'room' && roomId === null) throw invalid('roomId', 'A room post needs a roomId when the thread has no room.');
    if (roomId !== null) requireParticipant(await readableRoom(ctx, roomId, 'roomId'));
    if (body.milestoneId !== undefined) await readableMilestone(ctx, body.milestoneId, 'milestoneId');
    return ctx.tx(async (trx, emit) => {
      const row: PostsTable = {
        id: newId('post'), org_id: thread.org_id, thread_id: thread.id, author_id: author.id, body: body.body, audience,
        room_id: roomId, milestone_id: body.milestoneId ?? null, comment_count: 0, created_at: ctx.now, updated_at: ctx.now,
      };
      await trx.insertInto('posts').values(row).execute();
      await trx.updateTable('threads').set((eb) => ({ post_count: eb('post_count', '+', 1), last_post_at: ctx.now })).where('id', '=', thread.id).execute();
      // The event goes to every subscriber who can read the post, so it gets the event view, not the author's.
      await emit({ orgId: row.org_id, threadId: row.thread_id, audience, event: { type: 'post.created', occurredAt: ctx.now, roomId, data: await onePost(trx, row, { kind: 'event' }) } });
      // The milestone's evidence is derived from this link: an open roadmap hears of it.
      await emitEvidenceChanged(trx, emit, [row.milestone_id], ctx.now);
      return onePost(trx, row, { kind: 'caller', ctx });
    });
  }),

  handle(listPosts, async ({ query, ctx }) => {
    const limit = pageLimit(query.limit);
    const after = idCursor(query.cursor, 'post');
    let q = ctx.db.selectFrom('posts').selectAll().where('org_id', '=', ctx.principal.orgId);
    const visible = visiblePosts(ctx);
    if (visible) q = q.where(visible);
    if (query.roomId !== undefined) q = q.where('room_id', '=', query.roomId);
    if (query.authorId !== undefined) q = q.where('author_id', '=', query.authorId);
    if (query.threadId !== undefined) q = q.where('thread_id', '=', query.threadId);
    if (query.milestoneId !== undefined) q = q.where('milestone_id', '=', query.milestoneId);
    if (query.skill !== undefined) {
      // Skills belong to the thread: a thread the caller cannot read matches no skill, or the
      // filter would tell outsiders which skills a room's thread has.
      let tagged = ctx.db.selectFrom('thread_skills').innerJoin('threads', 'threads.id', 'thread_skills.thread_id').select('thread_skills.thread_id')
        .where('thread_skills.org_id', '=', ctx.principal.orgId).where('thread_skills.skill', '=', query.skill);
      const readable = visibleThreads(ctx);
      if (readable) tagged = tagged.where(readable);
      q = q.where('thread_id', 'in', tagged);
    }
    if (after !== undefined) q = q.where('id', '<', after);
    const rows = await q.orderBy('id', 'desc').limit(limit + 1).execute();
    return pageOf(rows, limit, (r) => [r.id], await postViews(ctx.db, rows.slice(0, limit), { kind: 'caller', ctx }, { people: [ctx.principal.person] }));
  }),

  handle(getPost, async ({ params, ctx }) => onePost(ctx.db, await readablePost(ctx, params.postId), { kind: 'caller', ctx })),

  handle(deletePost, async ({ params, ctx }) => {
    const post = await readablePost(ctx, params.postId);
    if (post.author_id !== ctx.principal.person?.id && !isOrgWide(ctx.principal)) throw forbidden('Only the author deletes a post.');
    await requirePostRoomActive(post, ctx.db);
    await ctx.tx(async (trx, emit) => {
      // Explicit deletes rather than relying on ON DELETE CASCADE, which some embedded stores leave off.
      await trx.deleteFrom('comments').where('post_id', '=', post.id).execute();
      await trx.deleteFrom('reactions').where('post_id', '=', post.id).execute();
      await trx.deleteFrom('reaction_counts').where('post_id', '=', post.id).execute();
      await trx.deleteFrom('posts').where('id', '=', post.id).execute();
      await trx.updateTable('threads').set((eb) => ({ post_count: eb('post_count', '-', 1) })).where('id', '=', post.thread_id).execute();
      await emit({ orgId: post.org_id, threadId: post.thread_id, audience: post.audience, event: { type: 'post.deleted', occurredAt: ctx.now, roomId: post.room_id, data: { id: post.id, threadId: post.thread_id } } });
      await emitEvidenceChanged(trx, emit, [post.milestone_id], ctx.now);
    });
  }),

  handlePublic(getPublicPost, async ({ params, ctx }) => {
    const row = await ctx.db.selectFrom('posts').selectAll().where('id', '=', params.postId).where('audience', '=', 'public').executeTakeFirst();
    if (!row) throw notFound('The post');
    return onePost(ctx.db, row, { kind: 'anonymous' });
  }),

  handle(listComments, async ({ params, query, ctx }) => {
    const post = await readablePost(ctx, params.postId);
    const limit = pageLimit(query.limit);
    const after = idCursor(query.cursor, 'cmt');
    // Oldest first: a conversation reads top to bottom.
    let q = ctx.db.selectFrom('comments').selectAll().where('post_id', '=', post.id);
    if (after !== undefined) q = q.where('id', '>', after);
    const rows = await q.orderBy('id', 'asc').limit(limit + 1).execute();
    return pageOf(rows, limit, (r) => [r.id], await commentViews(ctx.db, rows.slice(0, limit)));
  }),

  handle(createComment, async ({ params, body, ctx }) => {
    const post = await readablePost(ctx, params.postId);
    const author = authorOf(ctx.principal);
    await requireResponder(ctx, post);
    return ctx.tx(async (trx, emit) => {
      const row = { id: newId('cmt'), org_id: post.org_id, post_id: post.id, author_id: author.id, body: body.body, created_at: ctx.now };
      await trx.insertInto('comments').values(row).execute();
      await trx.updateTable('posts').set((eb) => ({ comment_count: eb('comment_count', '+', 1) })).where('id', '=', post.id).execute();
      const [comment] = await commentViews(trx, [row]);
      if (!comment) throw new Error('unreachable');
      await emit({ orgId: post.org_id, threadId: post.thread_id, audience: post.audience, event: { type: 'comment.created', occurredAt: ctx.now, roomId: post.room_id, data: comment } });
      return comment;
    });
  }),

  handle(addReaction, async ({ params, ctx }) => react(ctx, params.postId, params.kind, true)),
  handle(removeReaction, async ({ params, ctx }) => react(ctx, params.postId, params.kind, false)),
];
