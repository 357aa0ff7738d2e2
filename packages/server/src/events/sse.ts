/**
 * Server-sent event streams over the event table and the in-process bus. A stream subscribes
 * first and then replays what the client missed (`Last-Event-ID`), buffering live events
 * meanwhile, so nothing falls in the gap between the two; it ends and unsubscribes when the client
 * goes away.
 * @module
 */
import type { Context } from '../context.js';
import { ApiError } from '../http/errors.js';
import type { StoredEvent } from './bus.js';
import { storedFromRow } from './store.js';

/** What a stream shows. */
export interface StreamSpec {
  /** Only events of this room / thread (undefined: the whole organization). */
  readonly roomId?: string;
  readonly threadId?: string;
  /** Only these event types (undefined: all). */
  readonly types?: readonly string[];
  /** Whether the caller may see this event (audience and membership). */
  readonly visible: (event: StoredEvent) => Promise<boolean>;
}

/** At most this many missed events are replayed; older ones are gone for the client (it should reload). */
const REPLAY_LIMIT = 1000;

/** Parses `Last-Event-ID`, or throws 400 naming the header. */
export function lastEventIdOf(request: Request): number | undefined {
  const value = request.headers.get('last-event-id');
  if (value === null || value.trim() === '') return undefined;
  if (!/^\d{1,15}$/.test(value.trim())) {
    throw new ApiError('invalid_request', 'Last-Event-ID must be an event id received from this stream.', { field: 'Last-Event-ID' });
  }
  return Number(value.trim());
}

function frame(event: StoredEvent): string {
  return `id: ${event.id}\nevent: ${event.type}\ndata: ${event.json}\n\n`;
}

/** Opens an SSE response for the caller. */
export function openStream(ctx: Context, spec: StreamSpec): Response {
  const bus = ctx.bus;
  const lastId = lastEventIdOf(ctx.request);
  const orgId = ctx.principal.orgId;
  const encoder = new TextEncoder();
  const signal = ctx.request.signal;
  let cleanup = () => {};

  const matches = (e: StoredEvent) =>
    e.orgId === orgId &&
    (spec.roomId === undefined || e.roomId === spec.roomId) &&
    (spec.threadId === undefined || e.threadId === spec.threadId) &&
    (spec.types === undefined || spec.types.includes(e.type));

  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      let replaying = true;
      let sent = lastId ?? 0;
      const buffered: StoredEvent[] = [];
      // Deliveries are chained so events keep their order although visibility checks are async.
      let chain: Promise<void> = Promise.resolve();
      const write = (text: string) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          cleanup();
        }
      };
      const deliver = (e: StoredEvent) => {
        chain = chain.then(async () => {
          if (closed || e.id <= sent || !matches(e)) return;
          sent = e.id;
          if (await spec.visible(e).catch(() => false)) write(frame(e));
        });
      };
      const unsubscribe = bus.subscribe(orgId, (e) => (replaying ? buffered.push(e) : deliver(e)));
      const heartbeat = setInterval(() => write(': heartbeat\n\n'), ctx.options.heartbeatMs);
      const offClose = bus.onClose(() => cleanup());
      cleanup = () => {
        if (closed) return;
        closed = true;
        unsubscribe();
        offClose();
        clearInterval(heartbeat);
        signal.removeEventListener('abort', cleanup);
        try {
          controller.close();
        } catch {
          // Already closed or errored by the runtime.
        }
      };
      signal.addEventListener('abort', cleanup);
      if (signal.aborted) cleanup();
      // A first comment makes the runtime send the headers now, so clients see the stream open.
      write('retry: 3000\n: connected\n\n');
      void (async () => {
        try {
          if (lastId !== undefined) {
            let q = ctx.db.selectFrom('events').selectAll().where('org_id', '=', orgId).where('id', '>', lastId);
            if (spec.roomId !== undefined) q = q.where('room_id', '=', spec.roomId);
            if (spec.threadId !== undefined) q = q.where('thread_id', '=', spec.threadId);
            if (spec.types !== undefined) q = q.where('type', 'in', [...spec.types]);
            const rows = await q.orderBy('id', 'asc').limit(REPLAY_LIMIT).execute();
            for (const row of rows) deliver(storedFromRow(row));
          }
        } catch {
          cleanup();
        } finally {
          replaying = false;
          for (const e of buffered.splice(0)) deliver(e);
        }
      })();
    },
    cancel() {
      cleanup();
    },
  });

  return new Response(stream, {
    status: 200,
    headers: {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      // Proxies such as nginx would otherwise buffer the stream.
      'X-Accel-Buffering': 'no',
    },
  });
}
