/**
 * Opening live streams over HTTP: the multiplexed connection (`POST /v1/live`) and the legacy
 * single-topic streams alike become hub connections. A connection is registered and its topics
 * indexed before anything is replayed, and live events are held while the replay is written, so
 * nothing falls between the two and nothing arrives twice.
 * @module
 */
import type { Kysely } from 'kysely';
import { readsEveryRoomContent } from '../auth/principal.js';
import type { Context } from '../context.js';
import { withCors } from '../http/cors.js';
import { ApiError } from '../http/errors.js';
import type { Database } from '../storage/schema.js';
import type { StoredEvent } from './bus.js';
import { LiveConnection, newConnectionId, type LivePrincipal } from './connection.js';
import { LEGACY_PREAMBLE } from './frames.js';
import { FEED_EVENT_TYPES, type TopicRequest, type TopicSources } from './hub.js';
import { nodeResponseOf, nodeSink, webStreamSink, type NodeResponseLike, type Sink } from './sink.js';
import { storedFromRow } from './store.js';

/** At most this many missed events are replayed per topic; older ones are gone for the client (it should reload). */
export const REPLAY_LIMIT = 1000;

/** Parses `Last-Event-ID`, or throws 400 naming the header. */
export function lastEventIdOf(request: Request): number | undefined {
  const value = request.headers.get('last-event-id');
  if (value === null || value.trim() === '') return undefined;
  if (!/^\d{1,15}$/.test(value.trim())) {
    throw new ApiError('invalid_request', 'Last-Event-ID must be an event id received from this stream.', { field: 'Last-Event-ID' });
  }
  return Number(value.trim());
}

/** Stored events of one topic after `since`, oldest first, at most {@link REPLAY_LIMIT}. */
export function replayFrom(db: Kysely<Database>, orgId: string): TopicSources['replay'] {
  return async (request, since) => {
    let q = db.selectFrom('events').selectAll().where('org_id', '=', orgId).where('id', '>', since);
    // Events addressed to one person replay on their `me` topic only, never on the room's.
    if (request.key.startsWith('me:')) q = q.where('person_id', '=', request.key.slice('me:'.length));
    else if (request.key.startsWith('room:')) q = q.where('room_id', '=', request.key.slice('room:'.length)).where('person_id', 'is', null);
    else if (request.key.startsWith('thread:')) q = q.where('thread_id', '=', request.key.slice('thread:'.length));
    else q = q.where('type', 'in', [...FEED_EVENT_TYPES]);
    const rows = await q.orderBy('id', 'asc').limit(REPLAY_LIMIT).execute();
    return rows.map(storedFromRow);
  };
}

/** The caller as the hub checks it on every event, with the token's expiry. */
async function livePrincipal(ctx: Context): Promise<LivePrincipal> {
  const p = ctx.principal;
  let expiresAt: number | null = null;
  let mintedBy: string | null = null;
  if (p.kind === 'token') {
    const row = await ctx.db.selectFrom('access_tokens').select(['expires_at', 'api_key_id']).where('id', '=', p.credentialId).executeTakeFirst();
    // Deleted between authentication and now: the person was deactivated meanwhile.
    if (!row) throw new ApiError('unauthenticated', 'The access token is no longer valid.', { field: 'Authorization', headers: { 'WWW-Authenticate': 'Bearer' } });
    expiresAt = Date.parse(row.expires_at);
    mintedBy = row.api_key_id;
  }
  return {
    kind: p.kind,
    credentialId: p.credentialId,
    orgId: p.orgId,
    personId: p.kind === 'token' ? (p.person?.id ?? null) : null,
    scopes: p.scopes,
    roomIds: p.roomIds === null ? null : new Set(p.roomIds),
    // Live events carry what people wrote: an admin's streams follow the members' rule.
    orgWide: readsEveryRoomContent(p),
    expiresAt,
    mintedBy,
    openedAt: Date.parse(ctx.now),
  };
}

/** What a stream carries. */
export interface StreamSpec {
  /** Legacy single-topic streams: no control frames, they end when access ends. */
  readonly legacy: boolean;
  readonly topics: readonly TopicRequest[];
  readonly sources: TopicSources;
}

/**
 * Opens a live stream: registers the connection, authorizes and indexes its topics, writes
 * `live.ready` (or the legacy preamble), then answers; replays continue on the open stream.
 */
export async function openStream(ctx: Context, spec: StreamSpec): Promise<Response> {
  const bus = ctx.bus;
  const hub = bus.hub;
  bus.serve(ctx.db);
  const principal = await livePrincipal(ctx);
  let connection: LiveConnection | undefined;
  const node = nodeResponseOf((ctx as Context & { readonly env?: unknown }).env);
  let sink: Sink;
  let response: Response;
  if (node) {
    // Under Node, frames go straight to the socket: no promise per chunk (see docs/architecture.md).
    sink = nodeSink(node, sseHeaders(ctx));
    response = alreadySent();
  } else {
    const web = webStreamSink(() => {
      if (connection) hub.end(connection, null);
    });
    sink = web.sink;
    response = new Response(web.stream, { status: 200, headers: SSE_HEADERS });
  }
  const c = new LiveConnection(newConnectionId(), principal, sink, spec.legacy);
  connection = c;
  const signal = ctx.request.signal;
  const onAbort = () => hub.end(c, null);
  signal.addEventListener('abort', onAbort, { once: true });

  let announced: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    announced = resolve;
  });
  const work = (async () => {
    if (!(await hub.register(c, ctx.options.heartbeatMs, (personId) => roomsOf(ctx.db, personId)))) return;
    await hub.addTopics(c, spec.topics, spec.sources, (topics) => {
      if (spec.legacy) sink.write(LEGACY_PREAMBLE);
      else hub.control(c, { type: 'live.ready', connectionId: c.id, heartbeatMs: ctx.options.heartbeatMs, topics });
      announced();
    });
  })();
  work.catch(() => hub.end(c, 'shutdown'));
  await Promise.race([ready, work]);
  if (signal.aborted) hub.end(c, null);
  return response;
}

const SSE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  // Proxies such as nginx would otherwise buffer the stream.
  'X-Accel-Buffering': 'no',
};

/**
 * Headers of a stream written to Node directly: what the app would add to a returned response
 * (request id, and CORS for an embedding origin, which authentication already checked for tokens).
 */
function sseHeaders(ctx: Context): Record<string, string> {
  const origin = ctx.request.headers.get('origin');
  const response = new Response(null, { headers: { ...SSE_HEADERS, 'X-Request-Id': ctx.requestId } });
  if (origin !== null && ctx.principal.kind === 'token') withCors(response, origin);
  return Object.fromEntries(response.headers);
}

/**
 * `@hono/node-server`'s "the handler wrote the response itself": a response without body carrying
 * its `x-hono-already-sent` header (what its `RESPONSE_ALREADY_SENT` is). A fresh one per stream,
 * since the app adds headers to what a handler returns. Reading `body` turns the adapter's
 * lightweight response into a native one: the adapter honours the header only on those.
 */
function alreadySent(): Response {
  const response = new Response(null, { headers: { 'x-hono-already-sent': 'true' } });
  void response.body;
  return response;
}

export type { NodeResponseLike };

/** The rooms a person belongs to, for the hub's membership state. */
async function roomsOf(db: Kysely<Database>, personId: string): Promise<string[]> {
  const rows = await db.selectFrom('room_members').select('room_id').where('person_id', '=', personId).execute();
  return rows.map((r) => r.room_id);
}
