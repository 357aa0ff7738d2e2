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
import { CheckIn, Feedback, FeedbackRequest, Learning } from './feedback.js';

function event<const T extends string, const D extends z.ZodMiniType>(type: T, data: D) {
  return z.object({
    /** Resumable, increasing id. */
    id: z.string(),
    type: z.literal(type),
    occurredAt: Timestamp,
    /** The room the event happened in, when there is one. */
    roomId: z.nullable(RoomId),
    /** The thread of post and comment events (routes them to `thread:` topics); absent otherwise. */
    threadId: z.optional(z.nullable(ThreadId)),
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
  event('feedback.requested', FeedbackRequest),
  event('learning.created', Learning),
  /**
   * Delivered on the `me` topic only, to the person who just became a member of a room (a
   * matching run published, a match request accepted, a member added): the room as that person
   * sees it, and what put them there when it was matching.
   */
  z.object({
    id: z.string(),
    type: z.literal('room.joined'),
    occurredAt: Timestamp,
    roomId: RoomId,
    threadId: z.optional(z.nullable(ThreadId)),
    data: Room,
    /** The published matching run that created the room, when it was one. */
    matchRunId: z.optional(z.string()),
    /** The accepted match request that created the room, when it was one. */
    matchRequestId: z.optional(z.string()),
  }),
]);
export type LiveEvent = z.infer<typeof LiveEvent>;
/** Every live event type. */
export type LiveEventType = LiveEvent['type'];

const tag = 'Live events';

export const streamRoomEvents = defineOperation({
  id: 'streamRoomEvents', method: 'GET', path: '/v1/rooms/{roomId}/events', tag,
  summary: "The room's live events (SSE; resume with Last-Event-ID).", scopes: ['rooms:read'],
  description: "A `text/event-stream` of one room's events (messages, notes, resources, roadmap, check-ins, feedback). Prefer `POST /v1/live`, which carries many rooms and threads over one connection.",
  params: RoomParams, stream: true,
});
export const streamThreadEvents = defineOperation({
  id: 'streamThreadEvents', method: 'GET', path: '/v1/threads/{threadId}/events', tag,
  summary: "A thread's live events the caller can read (SSE).", scopes: ['threads:read'],
  description: "A `text/event-stream` of one growth thread's post and comment events, filtered to what the caller may read. Prefer `POST /v1/live`, which carries many topics over one connection.",
  params: ThreadParams, stream: true,
});
export const streamFeedEvents = defineOperation({
  id: 'streamFeedEvents', method: 'GET', path: '/v1/events', tag,
  summary: 'Live events of every post the caller can read in the organization (SSE).', scopes: ['threads:read'],
  description: 'A `text/event-stream` of post and comment events across the organization, filtered to what the caller may read. Prefer `POST /v1/live` with the `feed` topic.',
  stream: true,
});

// ---------------------------------------------------------------------------------------------
// One live connection per person: every subscription multiplexed over one stream.
// ---------------------------------------------------------------------------------------------

/**
 * What a live connection can carry: one room's events (`room:room_…`), one thread's events the
 * caller can read (`thread:thr_…`), or the organization's feed of posts the caller can read
 * (`feed`), or the caller's own events (`me`: people only, e.g. `room.joined`). An event belongs
 * to `room:<roomId>` and `thread:<threadId>` of its envelope, to `feed` when it is a post or
 * comment event, and to `me` of the one person it is addressed to.
 */
export const Topic = z.string().check(
  z.regex(/^(room:room_[0-9A-HJKMNP-TV-Z]{26}|thread:thr_[0-9A-HJKMNP-TV-Z]{26}|feed|me)$/, 'must be room:<roomId>, thread:<threadId>, feed or me'),
);
export type Topic = z.infer<typeof Topic>;

/** A topic to carry, optionally resuming after an event id (events after it are replayed first). */
export const TopicCursor = z.strictObject({
  topic: Topic,
  /** Replay this topic's stored events after this id before live ones. Without it, only new events. */
  since: z.optional(z.string().check(z.regex(/^\d{1,15}$/, 'must be an event id received earlier'))),
});
export type TopicCursor = z.infer<typeof TopicCursor>;

/** Most topics one connection carries; a page of many widgets stays far below it. */
export const MAX_LIVE_TOPICS = 200;

export const OpenLiveConnection = z.strictObject({
  topics: z.array(TopicCursor).check(z.maxLength(MAX_LIVE_TOPICS)),
});
export type OpenLiveConnection = z.infer<typeof OpenLiveConnection>;

export const UpdateLiveTopics = z.strictObject({
  add: z.optional(z.array(TopicCursor).check(z.maxLength(MAX_LIVE_TOPICS))),
  remove: z.optional(z.array(Topic).check(z.maxLength(MAX_LIVE_TOPICS))),
});
export type UpdateLiveTopics = z.infer<typeof UpdateLiveTopics>;

/**
 * Where a topic stands on a connection: `active` (carried), `removed` (on request), `forbidden`
 * (the caller may not read it, or no longer may), `not_found` (no such room or thread for this
 * caller; foreign ids look the same).
 */
export const TOPIC_STATUSES = ['active', 'removed', 'forbidden', 'not_found'] as const;
export const TopicStatus = z.object({ topic: Topic, status: z.enum(TOPIC_STATUSES) });
export type TopicStatus = z.infer<typeof TopicStatus>;

export const LiveTopics = z.object({ topics: z.array(TopicStatus) });
export type LiveTopics = z.infer<typeof LiveTopics>;

/**
 * Why the server ended a live connection (the last frame before it closes):
 * - `token_expired`, `credential_changed`: sign in again (a fresh token) and reconnect;
 * - `token_revoked`, `person_deactivated`: this identity may no longer receive anything;
 * - `slow_reader`: the reader fell too far behind; reconnect with `Last-Event-ID` to catch up;
 * - `shutdown`: the server instance is stopping; reconnect (another instance answers).
 */
export const LIVE_END_REASONS = ['token_expired', 'credential_changed', 'token_revoked', 'person_deactivated', 'slow_reader', 'shutdown'] as const;
export const LiveEndReason = z.enum(LIVE_END_REASONS);
export type LiveEndReason = z.infer<typeof LiveEndReason>;

/**
 * Control frames of a live connection. They carry no SSE `id:`, so they never move the resume
 * point; the SSE `event:` field is their `type`.
 */
export const LiveControl = z.discriminatedUnion('type', [
  /** First frame: the connection's id (for topic changes), the heartbeat interval, and each topic's status. */
  z.object({ type: z.literal('live.ready'), connectionId: z.string(), heartbeatMs: z.int(), topics: z.array(TopicStatus) }),
  /** A topic stopped because access to it was lost (removed from the room, room or thread gone). */
  z.object({ type: z.literal('live.topic-closed'), topic: Topic, status: z.enum(['forbidden', 'not_found']) }),
  /** The connection ends now, for this reason. */
  z.object({ type: z.literal('live.end'), reason: LiveEndReason }),
]);
export type LiveControl = z.infer<typeof LiveControl>;

export const LiveConnectionParams = z.strictObject({ connectionId: z.string().check(z.regex(/^lc_[0-9A-Za-z_-]{10,64}$/, 'must be a live connection id')) });

export const openLiveConnection = defineOperation({
  id: 'openLiveConnection', method: 'POST', path: '/v1/live', tag, status: 200,
  summary: "One live stream (SSE) carrying every topic the caller subscribes to; resume with Last-Event-ID or per-topic `since`.",
  description: "Opens the caller's live connection: one `text/event-stream` carrying rooms, threads and the feed as topics, so a page of many widgets (and the tabs of one person) needs one connection. The first frame, `live.ready`, names the connection id for topic changes.",
  body: OpenLiveConnection, stream: true,
});
export const updateLiveTopics = defineOperation({
  id: 'updateLiveTopics', method: 'POST', path: '/v1/live/{connectionId}/topics', tag, status: 200,
  summary: 'Adds or removes topics of an open live connection without reconnecting; answers each topic\'s status.',
  description: "Changes what an open live connection carries, identified by the `connectionId` of its `live.ready` frame. Added topics may resume from their own `since`; the answer gives each topic's status (active, removed, forbidden, not_found).",
  params: LiveConnectionParams, body: UpdateLiveTopics, response: LiveTopics,
});
