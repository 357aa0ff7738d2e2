/**
 * `client.threads` and `client.posts`: growth threads, their posts, comments and reactions.
 * Imports only `@menteo/api/threads`.
 * @module
 */
import {
  addReaction, createComment, createPost, createThread, deletePost, getPost, getPublicPost, getThread,
  listComments, listPosts, listThreadPosts, listThreads, removeReaction,
  type CreateComment, type CreatePost, type CreateThread, type ReactionKind,
} from '@menteo/api/threads';
import type { Transport } from './transport.js';
import type { CallOptions, ListOptions, ListQuery } from './types.js';

/** Builds the threads namespace over a transport. */
export function threadsApi(t: Transport) {
  return {
    /** Growth threads, most recently created first; filter by author, room or skill. */
    list: (query?: ListQuery<typeof listThreads>, options?: ListOptions) => t.list(listThreads, { ...options, query }),
    /** One thread. */
    get: (threadId: string, options?: CallOptions) => t.request(getThread, { ...options, params: { threadId } }),
    /** Starts a growth thread. */
    create: (body: CreateThread, options?: CallOptions) => t.request(createThread, { ...options, body }),
    /** A thread's posts. */
    posts: {
      /** The posts the caller can read, newest first: `for await (const p of client.threads.posts.list(id))`. */
      list: (threadId: string, query?: ListQuery<typeof listThreadPosts>, options?: ListOptions) =>
        t.list(listThreadPosts, { ...options, params: { threadId }, query }),
      /**
       * Posts to one's own thread. Pass the draft's id as `idempotencyKey` to make re-sending a
       * draft after a failure safe even across page reloads.
       */
      create: (threadId: string, body: CreatePost, options?: CallOptions) =>
        t.request(createPost, { ...options, params: { threadId }, body }),
    },
  };
}

/** Builds the posts namespace over a transport. */
export function postsApi(t: Transport) {
  return {
    /** The feed: posts the caller can read, newest first, filtered by room, person, thread, skill or milestone. */
    list: (query?: ListQuery<typeof listPosts>, options?: ListOptions) => t.list(listPosts, { ...options, query }),
    /** One post. */
    get: (postId: string, options?: CallOptions) => t.request(getPost, { ...options, params: { postId } }),
    /** A public post, without credentials. */
    getPublic: (postId: string, options?: CallOptions) =>
      t.request(getPublicPost, { ...options, params: { postId } }),
    /** Deletes one of your posts. */
    delete: async (postId: string, options?: CallOptions): Promise<void> => {
      await t.request(deletePost, { ...options, params: { postId } });
    },
    /** Comments on a post. */
    comments: {
      /** Comments, oldest first. */
      list: (postId: string, query?: ListQuery<typeof listComments>, options?: ListOptions) =>
        t.list(listComments, { ...options, params: { postId }, query }),
      /** Comments on a post you can read. */
      create: (postId: string, body: CreateComment, options?: CallOptions) =>
        t.request(createComment, { ...options, params: { postId }, body }),
    },
    /** Reactions (idempotent: adding twice or removing an absent one is fine). Both answer the post. */
    reactions: {
      /** Reacts to a post. */
      add: (postId: string, kind: ReactionKind, options?: CallOptions) =>
        t.request(addReaction, { ...options, params: { postId, kind } }),
      /** Takes a reaction back. */
      remove: (postId: string, kind: ReactionKind, options?: CallOptions) =>
        t.request(removeReaction, { ...options, params: { postId, kind } }),
    },
  };
}

/** The threads namespace (`client.threads`). */
export type ThreadsApi = ReturnType<typeof threadsApi>;
/** The posts namespace (`client.posts`). */
export type PostsApi = ReturnType<typeof postsApi>;
