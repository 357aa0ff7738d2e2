// Reading live streams in tests: an SSE parser that keeps every frame (events with an `id:`,
// control frames without one), heartbeat comments, and the end of the stream, with bounded waits
// (a wait that gives up is a failure, never a timing assertion).
import assert from 'node:assert/strict';
import type { TestServer } from './support/server.js';

/** One SSE frame as received. */
export interface Frame {
  /** The SSE `id:` (undefined for control frames). */
  id: string | undefined;
  event: string;
  data: Record<string, unknown>;
}

/** A stream being read. */
export interface Reader {
  readonly status: number;
  readonly headers: Headers;
  readonly frames: Frame[];
  /** Frames that carry an event id (live events), in order. */
  events(): Frame[];
  /** Control frames (`live.*`). */
  controls(): Frame[];
  comments(): number;
  /** True once the server ended the stream. */
  ended(): boolean;
  /** Waits until `predicate` holds; fails naming `what` after `ms`. */
  until(what: string, predicate: () => boolean, ms?: number): Promise<void>;
  close(): void;
}

/** Ids of the `data.id` of received live events (the resource ids: messages, posts…). */
export function dataIds(reader: Reader): string[] {
  return reader.events().map((f) => String((f.data.data as { id?: string } | undefined)?.id));
}

/** Reads an SSE response; every live event is validated against the OpenAPI document. */
export function readStream(server: TestServer, res: Response, controller: AbortController): Reader {
  const frames: Frame[] = [];
  let comments = 0;
  let done = false;
  let wake: (() => void)[] = [];
  const notify = () => {
    for (const w of wake.splice(0)) w();
  };
  void (async () => {
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    try {
      for (;;) {
        const { done: end, value } = await reader.read();
        if (end) break;
        buffer += value;
        let cut;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const fields: Record<string, string> = {};
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments++;
            const m = /^(\w+): ?(.*)$/.exec(line);
            if (m?.[1]) fields[m[1]] = m[2] ?? '';
          }
          if (fields.data !== undefined && fields.event !== undefined) {
            const data = JSON.parse(fields.data) as Record<string, unknown>;
            if (fields.id !== undefined) {
              server.validator.liveEvent(data);
              assert.equal(data.id, fields.id, 'the SSE id is the event id');
              assert.equal(data.type, fields.event);
            } else {
              assert.match(fields.event, /^live\./, 'frames without an id are control frames');
              assert.equal(data.type, fields.event);
            }
            frames.push({ id: fields.id, event: fields.event, data });
          }
          notify();
        }
      }
    } catch {
      // aborted by the test
    } finally {
      done = true;
      notify();
    }
  })();
  return {
    status: res.status,
    headers: res.headers,
    frames,
    events: () => frames.filter((f) => f.id !== undefined),
    controls: () => frames.filter((f) => f.id === undefined),
    comments: () => comments,
    ended: () => done,
    async until(what, predicate, ms = 5000) {
      const deadline = Date.now() + ms;
      while (!predicate()) {
        if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}; frames: ${JSON.stringify(frames.map((f) => [f.id, f.event, (f.data.data as { id?: string } | undefined)?.id ?? f.data])).slice(0, 1500)}`);
        await new Promise<void>((resolve) => {
          wake.push(resolve);
          setTimeout(resolve, 50);
        });
      }
    },
    close: () => controller.abort(),
  };
}

/** Opens `POST /v1/live` with topics; asserts a 200 event stream. */
export async function openLive(server: TestServer, auth: string, topics: { topic: string; since?: string }[], headers: Record<string, string> = {}): Promise<Reader> {
  const controller = new AbortController();
  const res = await fetch(`${server.url}/v1/live`, {
    method: 'POST',
    headers: { authorization: `Bearer ${auth}`, 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
    body: JSON.stringify({ topics }),
    signal: controller.signal,
  });
  assert.equal(res.status, 200, res.status === 200 ? '' : await res.text());
  assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
  server.validator.response('POST', '/v1/live', res.status, res.headers.get('content-type'), undefined);
  return readStream(server, res, controller);
}

/** Opens a legacy per-room, per-thread or feed stream (GET); asserts a 200 event stream. */
export async function openLegacy(server: TestServer, path: string, auth: string, headers: Record<string, string> = {}): Promise<Reader> {
  const controller = new AbortController();
  const res = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${auth}`, accept: 'text/event-stream', ...headers }, signal: controller.signal });
  assert.equal(res.status, 200, res.status === 200 ? '' : await res.text());
  server.validator.response('GET', new URL(path, server.url).pathname, res.status, res.headers.get('content-type'), undefined);
  return readStream(server, res, controller);
}

/** The `live.ready` frame of a connection (waits for it). */
export async function readyOf(reader: Reader): Promise<{ connectionId: string; heartbeatMs: number; topics: { topic: string; status: string }[] }> {
  await reader.until('live.ready', () => reader.frames.some((f) => f.event === 'live.ready'));
  const first = reader.frames[0];
  assert.equal(first?.event, 'live.ready', 'live.ready is the first frame');
  return first.data as unknown as { connectionId: string; heartbeatMs: number; topics: { topic: string; status: string }[] };
}

/** A syntactically valid id that names nothing (ULID alphabet). */
export function fakeId(prefix: 'room' | 'thr', n: number): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let s = '';
  let x = n;
  for (let i = 0; i < 26; i++) {
    s = alphabet[x % 32] + s;
    x = Math.floor(x / 32);
  }
  return `${prefix}_${s.replace(/^0/, '7')}`;
}
