/**
 * Live events, delivered as server-sent events (`text/event-stream`). Each event carries an id;
 * a client that reconnects with `Last-Event-ID` receives what it missed.
 *
 * Streams are per room, per thread and per organization (the feed). The SSE `event:` field is
 * the event type; `data:` is the JSON `LiveEvent`.
 * @module
 */
import * as z from 'zod/mini';
import { Timestamp } from './common.js';
import { PostId, RoomId, ThreadId } from './ids.js';
import { defineOperation } from './operation.js';
import { Roadmap } from './roadmaps.js';
import { Message, Resource, Room, RoomParams, SessionNote } from './rooms.js';
import { Comment, Post, ThreadParams } from './threads.js';
import { CheckIn, Feedback, Learning } from './feedback.js';

function event<const T extends string, const D extends z.ZodMiniType>(type: T, data: D) {
  return z.object({
    /** Resumable, increasing id. */
    id: z.string(),
    type: z.literal(type),
    occurredAt: Timestamp,
    /** The room the event happened in, when there is one. */
    roomId: z.nullable(RoomId),
    data,
  });
}

export const LiveEvent = z.discriminatedUnion('type', [
  event('post.created', Post),
  event('post.deleted', z.object({ id: PostId, threadId: ThreadId })),
  event('post.updated', Post),
  event('comment.created', Comment),
  event('message.created', Message),
  event('note.created', SessionNote),
  event('note.updated', SessionNote),
  event('resource.created', Resource),
  event('resource.deleted', z.object({ id: z.string() })),
  event('room.updated', Room),
  event('roadmap.updated', Roadmap),
  event('checkin.created', CheckIn),
  event('feedback.created', Feedback),
  event('learning.created', Learning),
]);
export type LiveEvent = z.infer<typeof LiveEvent>;
/** Every live event type. */
export type LiveEventType = LiveEvent['type'];

const tag = 'Live events';

export const streamRoomEvents = defineOperation({
  id: 'streamRoomEvents', method: 'GET', path: '/v1/rooms/{roomId}/events', tag,
  summary: "The room's live events (SSE; resume with Last-Event-ID).", scopes: ['rooms:read'],
  params: RoomParams, stream: true,
});
export const streamThreadEvents = defineOperation({
  id: 'streamThreadEvents', method: 'GET', path: '/v1/threads/{threadId}/events', tag,
  summary: "A thread's live events the caller can read (SSE).", scopes: ['threads:read'],
  params: ThreadParams, stream: true,
});
export const streamFeedEvents = defineOperation({
  id: 'streamFeedEvents', method: 'GET', path: '/v1/events', tag,
  summary: 'Live events of every post the caller can read in the organization (SSE).', scopes: ['threads:read'],
  stream: true,
});
