// Helpers of the live suites: a small Web Locks stand-in (Node 20 has no navigator.locks), an
// msw handler in front of the real server's POST /v1/live that can cut or stall a stream
// (fault injection only: every byte comes from the real server), and waiting.
import { bypass, http, HttpResponse } from 'msw';
import type { SetupServer } from 'msw/node';
import type { TabLocks } from '../../src/index.js';

/** Waits until `predicate` holds; fails naming `what`. */
export async function until(what: string, predicate: () => boolean, ms = 8000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * An exclusive lock manager with the shape of `navigator.locks.request(name, { signal }, cb)`:
 * one holder per name, waiters served in order, a waiter's signal takes it out of the queue.
 */
export class TestLocks implements TabLocks {
  readonly #queues = new Map<string, Array<() => void>>();
  readonly #held = new Set<string>();

  request(name: string, options: { signal?: AbortSignal }, callback: (lock: unknown) => Promise<void>): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const run = () => {
        this.#held.add(name);
        void callback({ name }).finally(() => {
          this.#held.delete(name);
          this.#queues.get(name)?.shift()?.();
        }).then(resolve, reject);
      };
      if (!this.#held.has(name)) return run();
      const queue = this.#queues.get(name) ?? [];
      this.#queues.set(name, queue);
      const waiter = () => {
        options.signal?.removeEventListener('abort', abort);
        run();
      };
      const abort = () => {
        const i = queue.indexOf(waiter);
        if (i >= 0) queue.splice(i, 1);
        reject(new DOMException('aborted', 'AbortError'));
      };
      options.signal?.addEventListener('abort', abort, { once: true });
      queue.push(waiter);
    });
  }
}

/** What to do with the n-th live stream. */
export type StreamFault =
  | 'pass'
  | { cutAfterEvents: number }
  | { stallAfterEvents: number }
  | { cutAfterReady: true }
  /** After the ready frame, a frame of the tester's (an invalid event, a `live.end`), then the real stream or its end. */
  | { afterReady: string; then: 'continue' | 'close' };

/** Live streams as msw saw them. */
export interface LiveWire {
  /** The bodies of every `POST /v1/live`, in order. */
  opens: Array<{ topics: Array<{ topic: string; since?: string }>; lastEventId: string | null }>;
  /** The bodies of every topic update. */
  updates: Array<{ add?: Array<{ topic: string; since?: string }>; remove?: string[] }>;
}

/**
 * Installs an msw handler in front of the real server's live endpoints. `faults[n]` applies to
 * the n-th stream (0-based; beyond the list streams pass). `updateFaults[n]` set to a status
 * answers the n-th update call with that status instead of the server's.
 */
export function watchLive(msw: SetupServer, url: string, faults: StreamFault[] = [], updateFaults: Array<number | undefined> = []): LiveWire {
  const wire: LiveWire = { opens: [], updates: [] };
  msw.use(
    http.post(`${url}/v1/live/:connectionId/topics`, async ({ request }) => {
      wire.updates.push((await request.clone().json()) as LiveWire['updates'][number]);
      const status = updateFaults[wire.updates.length - 1];
      if (status !== undefined) {
        return HttpResponse.json(
          { type: 'https://menteo.dev/problems/not_found', title: 'Not found', status, code: status === 404 ? 'not_found' : 'internal' },
          { status, headers: { 'Content-Type': 'application/problem+json' } },
        );
      }
      return undefined;
    }),
    http.post(`${url}/v1/live`, async ({ request }) => {
      wire.opens.push({ ...((await request.clone().json()) as { topics: LiveWire['opens'][number]['topics'] }), lastEventId: request.headers.get('Last-Event-ID') });
      const fault = faults[wire.opens.length - 1] ?? 'pass';
      if (fault === 'pass') return undefined;
      const real = await fetch(bypass(request));
      if (!real.body) return real;
      return new Response(faulty(real.body, fault), { status: real.status, headers: real.headers });
    }),
  );
  return wire;
}

/** Passes whole frames until the fault's point, then cuts (half a frame, then an error) or stalls (nothing more, never closed). */
function faulty(source: ReadableStream<Uint8Array>, fault: Exclude<StreamFault, 'pass'>): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let pending = '';
  let events = 0;
  let stalled = false;
  // Erroring a stream discards what is queued in it, so the cut comes on the next pull.
  let cutNext = false;
  let readySeen = false;
  let closeNext = false;
  const limit = 'cutAfterEvents' in fault ? fault.cutAfterEvents : 'stallAfterEvents' in fault ? fault.stallAfterEvents : 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (stalled) return new Promise<void>(() => undefined);
      if (closeNext) {
        controller.close();
        void reader.cancel().catch(() => undefined);
        return;
      }
      if (cutNext) {
        controller.error(new TypeError('terminated'));
        void reader.cancel().catch(() => undefined);
        return;
      }
      for (;;) {
        const boundary = pending.indexOf('\n\n');
        if (boundary >= 0) {
          const frame = pending.slice(0, boundary + 2);
          pending = pending.slice(boundary + 2);
          const isEvent = /^id: /m.test(frame);
          if ('afterReady' in fault) {
            controller.enqueue(encoder.encode(frame));
            if (frame.includes('event: live.ready')) {
              controller.enqueue(encoder.encode(fault.afterReady));
              closeNext = fault.then === 'close';
            }
            return;
          }
          if ('cutAfterReady' in fault) {
            // The ready frame passes; the cut comes with the next frame (a heartbeat), so the
            // client has surely seen the connection open.
            if (readySeen) {
              controller.error(new TypeError('terminated'));
              void reader.cancel().catch(() => undefined);
              return;
            }
            readySeen = frame.includes('event: live.ready');
            controller.enqueue(encoder.encode(frame));
            return;
          }
          if (isEvent && events === limit && !('cutAfterReady' in fault)) {
            if ('stallAfterEvents' in fault) {
              stalled = true;
              return new Promise<void>(() => undefined);
            }
            controller.enqueue(encoder.encode(frame.slice(0, Math.floor(frame.length / 2))));
            cutNext = true;
            return;
          }
          if (isEvent) events += 1;
          controller.enqueue(encoder.encode(frame));
          return;
        }
        const { done, value } = await reader.read();
        if (done) return controller.close();
        pending += decoder.decode(value, { stream: true });
      }
    },
    cancel: () => reader.cancel(),
  });
}
