/**
 * Where a live connection's bytes go. The hub only needs three things of a transport: write
 * these bytes (and say how many are still waiting for the network, the back-pressure signal),
 * end after what was written, and drop everything at once.
 *
 * The web-streams sink below runs everywhere the app runs (Node, the in-page msw mock, tests).
 * @module
 */

/** A connection's transport as the hub sees it. */
export interface Sink {
  /** Queues bytes; answers how many bytes are queued and not yet taken by the network. */
  write(bytes: Uint8Array): number;
  /** Bytes queued and not yet taken by the network. */
  buffered(): number;
  /**
   * Ends the stream after what was written. A reader that does not take those bytes within
   * {@link END_GRACE_MS} loses them: the queue is dropped so that memory is freed.
   */
  end(): void;
}

/** How long an ended stream may keep its unread bytes. */
export const END_GRACE_MS = 2_000;

function unref(timer: unknown): void {
  // Node timers would keep a process alive for a stream nobody reads; browsers return numbers.
  if (typeof timer === 'object' && timer !== null && 'unref' in timer && typeof timer.unref === 'function') timer.unref();
}

/**
 * A sink over a `ReadableStream` response body. Its queue counts bytes with a high-water mark of
 * 0, so `-desiredSize` is exactly what the runtime has not read yet: `@hono/node-server` stops
 * reading while the socket does not drain, which makes this the socket's back-pressure.
 */
export function webStreamSink(onCancel: () => void): { sink: Sink; stream: ReadableStream<Uint8Array> } {
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  let open = true;
  const stream = new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
      },
      cancel() {
        open = false;
        onCancel();
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark: 0 }),
  );
  const buffered = () => Math.max(0, -(controller?.desiredSize ?? 0));
  const sink: Sink = {
    write(bytes) {
      if (!open || !controller) return 0;
      try {
        controller.enqueue(bytes);
      } catch {
        open = false;
        onCancel();
        return 0;
      }
      return buffered();
    },
    buffered: () => (open ? buffered() : 0),
    end() {
      if (!open || !controller) return;
      open = false;
      const c = controller;
      try {
        c.close();
      } catch {
        return;
      }
      unref(setTimeout(() => {
        try {
          c.error(new Error('live stream ended; unread bytes dropped'));
        } catch {
          // Already fully read and closed.
        }
      }, END_GRACE_MS));
    },
  };
  return { sink, stream };
}

/** The part of Node's `http.ServerResponse` the Node sink uses (typed here so browsers need no Node types). */
export interface NodeResponseLike {
  writeHead(status: number, headers: Record<string, string>): unknown;
  flushHeaders(): void;
  write(chunk: Uint8Array): boolean;
  end(): unknown;
  destroy(): unknown;
  readonly writableLength: number;
  readonly writableFinished: boolean;
  readonly destroyed: boolean;
  on(event: 'error', listener: (error: unknown) => void): unknown;
}

/**
 * The Node response of a request, when the app runs under `@hono/node-server` and the handler's
 * context carries its bindings (`env.outgoing`); undefined elsewhere (msw in a page, tests of the
 * fetch handler), where the web-streams sink serves.
 */
export function nodeResponseOf(env: unknown): NodeResponseLike | undefined {
  if (typeof env !== 'object' || env === null || !('outgoing' in env)) return undefined;
  const outgoing: unknown = env.outgoing;
  if (typeof outgoing !== 'object' || outgoing === null) return undefined;
  const o = outgoing as Partial<NodeResponseLike>;
  return typeof o.writeHead === 'function' && typeof o.write === 'function' && typeof o.on === 'function' && typeof o.writableLength === 'number' ? (o as NodeResponseLike) : undefined;
}

/**
 * A sink writing straight to Node's response: one `write` of the shared frame per connection,
 * no promise per chunk. `writableLength` (what Node holds because the socket did not take it) is
 * the back-pressure signal; an ended stream whose reader took nothing is destroyed after
 * {@link END_GRACE_MS}, which frees its socket too.
 */
export function nodeSink(res: NodeResponseLike, headers: Record<string, string>): Sink {
  // A client that vanishes mid-write makes the response emit 'error'; the close that follows ends the connection.
  res.on('error', () => {});
  res.writeHead(200, headers);
  res.flushHeaders();
  let open = true;
  return {
    write(bytes) {
      if (!open || res.destroyed) return 0;
      res.write(bytes);
      return res.writableLength;
    },
    buffered: () => (open && !res.destroyed ? res.writableLength : 0),
    end() {
      if (!open) return;
      open = false;
      if (res.destroyed) return;
      res.end();
      unref(setTimeout(() => {
        if (!res.writableFinished) res.destroy();
      }, END_GRACE_MS));
    },
  };
}
