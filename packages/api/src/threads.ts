/**
 * Growth threads: learning in public. A person documents insights, challenges and progress as
 * posts; others comment and react; a post can be evidence for a roadmap milestone.
 * @module
 */
import * as z from 'zod/mini';
import { Skill, Skills, Timestamp, page, pageQuery, text } from './common.js';
import { CommentId, MilestoneId, PostId, RoomId, ThreadId } from './ids.js';
import { defineOperation } from './operation.js';
import { PersonId, PublicPerson } from './people.js';

/**
 * Who can read a post: the members of its room (the default), everyone in the organization,
 * or anyone with the link.
 */
export const AUDIENCES = ['room', 'org', 'public'] as const;
export const Audience = z.enum(AUDIENCES);
export type Audience = z.infer<typeof Audience>;

export const REACTION_KINDS = ['applause', 'insight', 'support', 'celebrate', 'curious'] as const;
export const ReactionKind = z.enum(REACTION_KINDS);
export type ReactionKind = z.infer<typeof ReactionKind>;

export const Thread = z.object({
  id: ThreadId,
  /** The author's public profile (growth threads reach beyond a room). */
  author: PublicPerson,
  title: z.string(),
  skills: z.array(z.string()),
  /** The room the thread grows in; posts default to this room's audience. */
  roomId: z.nullable(RoomId),
  postCount: z.int(),
  lastPostAt: z.nullable(Timestamp),
  createdAt: Timestamp,
});
export type Thread = z.infer<typeof Thread>;

export const CreateThread = z.strictObject({
  title: text(200),
  skills: z.optional(Skills),
  roomId: z.optional(RoomId),
});
export type CreateThread = z.infer<typeof CreateThread>;

export const ReactionSummary = z.object({
  kind: ReactionKind,
  count: z.int(),
  /** Whether the caller reacted with this kind. */
  mine: z.boolean(),
});
export type ReactionSummary = z.infer<typeof ReactionSummary>;

export const Post = z.object({
  id: PostId,
  threadId: ThreadId,
  /**
   * The title of the post's thread, or null when the caller cannot read that thread. A post can be
   * readable where its thread is not: an `org` or `public` post in a room's thread reaches people
   * outside the room, and its thread (and title) stay the room's. Views are per caller: members of
   * the room see the title, others and anonymous readers of public posts get null. A live event is
   * encoded once for every subscriber, so its post carries the title only when everyone who
   * receives the event can read the thread (a thread outside any room, or a `room` post in the
   * thread's own room); otherwise null, and clients that know the thread show its title.
   */
  threadTitle: z.nullable(z.string()),
  /** The author's public profile: posts reach beyond a room, up to anonymous readers. */
  author: PublicPerson,
  /** Markdown-lite text: paragraphs, **bold**, _italic_, `code`, links and lists. Never HTML. */
  body: z.string(),
  audience: Audience,
  /** The room whose members can read a `room` post. */
  roomId: z.nullable(RoomId),
  /** The milestone this post is evidence for. */
  milestoneId: z.nullable(MilestoneId),
  /** The thread's skills; empty whenever `threadTitle` is null (they belong to the thread). */
  skills: z.array(z.string()),
  reactions: z.array(ReactionSummary),
  commentCount: z.int(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Post = z.infer<typeof Post>;

export const CreatePost = z.strictObject({
  body: text(10000),
  /** `room` by default. */
  audience: z.optional(Audience),
  /** Needed for a `room` post when the thread has no room. */
  roomId: z.optional(RoomId),
  milestoneId: z.optional(MilestoneId),
});
export type CreatePost = z.infer<typeof CreatePost>;

export const Comment = z.object({
  id: CommentId,
  postId: PostId,
  /** The author's public profile. */
  author: PublicPerson,
  body: z.string(),
  createdAt: Timestamp,
});
export type Comment = z.infer<typeof Comment>;

export const CreateComment = z.strictObject({ body: text(4000) });
export type CreateComment = z.infer<typeof CreateComment>;

export const ThreadParams = z.strictObject({ threadId: ThreadId });
export const PostParams = z.strictObject({ postId: PostId });
export const ReactionParams = z.strictObject({ postId: PostId, kind: ReactionKind });

export const ListThreadsQuery = pageQuery({
  authorId: z.optional(PersonId),
  roomId: z.optional(RoomId),
  skill: z.optional(Skill),
});

/** Filters of the post feed; all optional and combined with AND. */
export const FeedQuery = pageQuery({
  roomId: z.optional(RoomId),
  authorId: z.optional(PersonId),
  threadId: z.optional(ThreadId),
  skill: z.optional(Skill),
  milestoneId: z.optional(MilestoneId),
});

const tag = 'Growth threads';

export const listThreads = defineOperation({
  id: 'listThreads', method: 'GET', path: '/v1/threads', tag,
  summary: 'Growth threads, most recently created first.', scopes: ['threads:read'],
  description: 'Each person has growth threads where they post progress for their mentors and peers. Filter by author, room or skill; only threads the caller can read are listed.',
  query: ListThreadsQuery, response: page(Thread),
});
export const createThread = defineOperation({
  id: 'createThread', method: 'POST', path: '/v1/threads', tag,
  summary: 'Start a growth thread.', scopes: ['posts:write'], body: CreateThread, response: Thread,
  description: 'Starts a growth thread for the caller (or, with an API key, for the `Menteo-Act-As` person), optionally in a room, with the skills it is about.',
});
export const getThread = defineOperation({
  id: 'getThread', method: 'GET', path: '/v1/threads/{threadId}', tag,
  summary: 'One growth thread.', scopes: ['threads:read'], params: ThreadParams, response: Thread,
  description: "A growth thread with its owner's public profile, room and skills; answers 404 when the caller may not read it.",
});
export const listThreadPosts = defineOperation({
  id: 'listThreadPosts', method: 'GET', path: '/v1/threads/{threadId}/posts', tag,
  summary: "A thread's posts the caller can read, newest first.", scopes: ['threads:read'],
  description: 'Only the posts whose audience includes the caller are listed, so a mentor, a peer and an anonymous reader of the same thread may see different posts. Paged with `cursor` and `limit`.',
  params: ThreadParams, query: pageQuery({}), response: page(Post),
});
export const createPost = defineOperation({
  id: 'createPost', method: 'POST', path: '/v1/threads/{threadId}/posts', tag,
  summary: "Post to one's own thread.", scopes: ['posts:write'],
  description: "Only the thread's author may post to it. The audience decides who reads the post; a `milestoneId` makes the post evidence for a milestone of the author's roadmap. Send an `Idempotency-Key` so a retried post is created once.",
  params: ThreadParams, body: CreatePost, response: Post,
});
export const listPosts = defineOperation({
  id: 'listPosts', method: 'GET', path: '/v1/posts', tag,
  summary: 'The feed: posts the caller can read, newest first, filtered by room, person, thread, skill or milestone.',
  description: 'The organization-wide feed that `<menteo-thread-feed>` shows: every post the caller may read, filtered by room, person, thread, skill or milestone. Paged with `cursor` and `limit`.',
  scopes: ['threads:read'], query: FeedQuery, response: page(Post),
});
export const getPost = defineOperation({
  id: 'getPost', method: 'GET', path: '/v1/posts/{postId}', tag,
  summary: 'One post.', scopes: ['threads:read'], params: PostParams, response: Post,
  description: 'A post with its reactions and comment count, if the caller may read it (404 otherwise, so private posts do not reveal they exist).',
});
export const deletePost = defineOperation({
  id: 'deletePost', method: 'DELETE', path: '/v1/posts/{postId}', tag,
  summary: 'Delete one of your posts.', scopes: ['posts:write'], params: PostParams, status: 204,
  description: "Only the post's author may delete it. Its comments and reactions go with it, readers get a `post.deleted` live event, and a milestone it was evidence for loses the link.",
});
export const getPublicPost = defineOperation({
  id: 'getPublicPost', method: 'GET', path: '/v1/public/posts/{postId}', tag,
  summary: 'A post whose audience is public, without credentials.', auth: 'none',
  description: "For sharing outside the organization: answers only posts whose audience is `public`, with no credentials, and shows the thread's title only when it is public too.",
  params: PostParams, response: Post,
});
export const listComments = defineOperation({
  id: 'listComments', method: 'GET', path: '/v1/posts/{postId}/comments', tag,
  summary: "A post's comments, oldest first.", scopes: ['threads:read'],
  description: 'Comments on a post the caller can read, oldest first so a conversation reads in order. Paged with `cursor` and `limit`.',
  params: PostParams, query: pageQuery({}), response: page(Comment),
});
export const createComment = defineOperation({
  id: 'createComment', method: 'POST', path: '/v1/posts/{postId}/comments', tag,
  summary: 'Comment on a post you can read.', scopes: ['comments:write'],
  description: "Any reader of a post may comment, except observers; the post's readers receive a `comment.created` live event. Posts of archived rooms take no comments.",
  params: PostParams, body: CreateComment, response: Comment,
});
export const addReaction = defineOperation({
  id: 'addReaction', method: 'PUT', path: '/v1/posts/{postId}/reactions/{kind}', tag,
  summary: 'React to a post (idempotent).', scopes: ['reactions:write'],
  description: "Adds the caller's reaction of this kind; doing it twice leaves one reaction. Answers the post with its updated reaction counts.",
  params: ReactionParams, response: Post,
});
export const removeReaction = defineOperation({
  id: 'removeReaction', method: 'DELETE', path: '/v1/posts/{postId}/reactions/{kind}', tag,
  summary: 'Take a reaction back (idempotent).', scopes: ['reactions:write'],
  description: "Removes the caller's reaction of this kind, if any; answers the post with its updated reaction counts.",
  params: ReactionParams, response: Post,
});
