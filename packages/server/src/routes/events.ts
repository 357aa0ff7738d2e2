/**
 * Live event streams: one multiplexed connection per person (`POST /v1/live`, topics changed
 * with `POST /v1/live/{connectionId}/topics`), and the legacy per-room, per-thread and feed
 * streams, which are hub connections with one fixed topic and the same access handling.
 * @module
 */
import {
  MAX_LIVE_TOPICS, openLiveConnection, streamFeedEvents, streamRoomEvents, streamThreadEvents, updateLiveTopics, type TopicCursor,
} from '@menteo/api/events';
import type { Scope } from '@menteo/api/scopes';
import { readableRoom, type RoomAccess } from '../auth/access.js';
import { readsEveryRoomContent } from '../auth/principal.js';
import type { Context } from '../context.js';
import type { TopicGrant } from '../events/connection.js';
import { topicKey, type TopicRequest, type TopicSources } from '../events/hub.js';
import { lastEventIdOf, openStream, replayFrom } from '../events/sse.js';
import { handle } from '../handler.js';
import { ApiError, forbidden, invalid, notFound } from '../http/errors.js';
import { visibleThread } from './threads.js';

/**
 * A room whose live events the caller may follow. They carry what people write, so an admin who
 * is not in the room is refused (403) even while the organization lets admins read room content:
 * those reads are one request each, audited; a stream would be an unaudited tap.
 */
async function liveRoom(ctx: Context, roomId: string): Promise<RoomAccess> {
  const access = await readableRoom(ctx, roomId);
  if (access.role === null && !readsEveryRoomContent(ctx.principal)) {
    throw forbidden('Live room events are for the room\'s members: organization admins see program metrics, not what people write in rooms they are not in.');
  }
  return access;
}

/** The scope each kind of topic needs, as its legacy endpoint does. */
const TOPIC_SCOPES: Record<TopicGrant['kind'], Scope> = { room: 'rooms:read', thread: 'threads:read', feed: 'threads:read', me: 'rooms:read' };

/** The person a caller is, for `me`: a person's token; an API key acts for no one. */
function mePerson(ctx: Context): string | null {
  return ctx.principal.kind === 'token' ? (ctx.principal.person?.id ?? null) : null;
}

/** Authorizes a topic exactly as its legacy endpoint does; an unreadable room or thread is `not_found` (foreign ids look the same). */
async function authorizeTopic(ctx: Context, request: TopicRequest): Promise<TopicGrant | 'forbidden' | 'not_found'> {
  const [kind, id = ''] = request.wire.split(':') as [TopicGrant['kind'], string | undefined];
  if (!ctx.principal.scopes.has(TOPIC_SCOPES[kind])) return 'forbidden';
  if (kind === 'me') {
    const personId = mePerson(ctx);
    return personId === null ? 'forbidden' : { kind, personId };
  }
  try {
    if (kind === 'room') return { kind, roomId: (await liveRoom(ctx, id)).room.id };
    if (kind === 'thread') {
      const thread = await visibleThread(ctx, id);
      return { kind, threadId: thread.id, roomId: thread.room_id, authorId: thread.author_id };
    }
    return { kind: 'feed' };
  } catch (error) {
    if (error instanceof ApiError && error.code === 'not_found') return 'not_found';
    if (error instanceof ApiError && error.code === 'forbidden') return 'forbidden';
    throw error;
  }
}

function sourcesFor(ctx: Context): TopicSources {
  return { authorize: (request) => authorizeTopic(ctx, request), replay: replayFrom(ctx.db, ctx.principal.orgId) };
}

function requestOf(ctx: Context, cursor: TopicCursor, fallbackSince: number | undefined): TopicRequest {
  return { wire: cursor.topic, key: topicKey(cursor.topic, ctx.principal.orgId, mePerson(ctx)), since: cursor.since !== undefined ? Number(cursor.since) : fallbackSince };
}

/** Topics asked for once each (the first mention wins). */
function distinct(cursors: readonly TopicCursor[]): TopicCursor[] {
  const seen = new Set<string>();
  return cursors.filter((c) => !seen.has(c.topic) && Boolean(seen.add(c.topic)));
}

/** A legacy stream: one topic, already authorized by its endpoint, resumed with Last-Event-ID. */
function legacyStream(ctx: Context, wire: string, grant: TopicGrant): Promise<Response> {
  const request: TopicRequest = { wire, key: topicKey(wire, ctx.principal.orgId, mePerson(ctx)), since: lastEventIdOf(ctx.request) };
  return openStream(ctx, { legacy: true, topics: [request], sources: { authorize: async () => grant, replay: replayFrom(ctx.db, ctx.principal.orgId) } });
}

/** Stream handlers. */
export const eventHandlers = [
  handle(streamRoomEvents, async ({ params, ctx }) => {
    const { room } = await liveRoom(ctx, params.roomId);
    return legacyStream(ctx, `room:${room.id}`, { kind: 'room', roomId: room.id });
  }),
  handle(streamThreadEvents, async ({ params, ctx }) => {
    const thread = await visibleThread(ctx, params.threadId);
    return legacyStream(ctx, `thread:${thread.id}`, { kind: 'thread', threadId: thread.id, roomId: thread.room_id, authorId: thread.author_id });
  }),
  handle(streamFeedEvents, async ({ ctx }) => legacyStream(ctx, 'feed', { kind: 'feed' })),

  handle(openLiveConnection, async ({ body, ctx }) => {
    const fallback = lastEventIdOf(ctx.request);
    const topics = distinct(body.topics).map((t) => requestOf(ctx, t, fallback));
    return openStream(ctx, { legacy: false, topics, sources: sourcesFor(ctx) });
  }),

  handle(updateLiveTopics, async ({ params, body, ctx }) => {
    const hub = ctx.bus.hub;
    const connection = hub.connection(params.connectionId, ctx.principal.credentialId);
    // Another credential's connection looks exactly like one that does not exist.
    if (!connection) throw notFound('The live connection');
    const add = distinct(body.add ?? []);
    const remove = [...new Set(body.remove ?? [])];
    const run = async () => {
      const keys = new Set(connection.topics.keys());
      for (const wire of remove) keys.delete(topicKey(wire, ctx.principal.orgId, mePerson(ctx)));
      for (const t of add) keys.add(topicKey(t.topic, ctx.principal.orgId, mePerson(ctx)));
      if (keys.size > MAX_LIVE_TOPICS) throw invalid('add', `A live connection carries at most ${MAX_LIVE_TOPICS} topics; remove some first.`);
      const removed = hub.removeTopics(connection, remove);
      const added = await hub.addTopics(connection, add.map((t) => requestOf(ctx, t, undefined)), sourcesFor(ctx));
      return { topics: [...added, ...removed] };
    };
    // Changes to one connection apply one after the other, in the order they arrived.
    const result = connection.updates.then(run, run);
    connection.updates = result.catch(() => undefined);
    return result;
  }),
];
