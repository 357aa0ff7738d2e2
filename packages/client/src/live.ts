/**
 * Live events over fetch streaming. Not `EventSource`: it cannot send an `Authorization`
 * header, and a token in the URL would end up in proxy and server logs.
 *
 * A {@link LiveSubscription} connects, parses server-sent events with eventsource-parser,
 * validates each one against the contract's `LiveEvent`, and when the connection drops,
 * reconnects with full-jitter backoff, sending `Last-Event-ID` so the server replays what was
 * missed. Events already delivered are never delivered twice, even if the server replays them.
 * @module
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { LiveEvent, type LiveEventType } from '@menteo/api/events';
import type { Operation } from '@menteo/api/operation';
import { backoffDelay, type BackoffOptions } from './backoff.js';
import { MenteoApiError, MenteoError, MenteoResponseError, type MenteoErrorCode } from './errors.js';
import { toMenteoError, type Transport } from './transport.js';

/** The live event of one type, e.g. `LiveEventOf<'post.created'>` whose `data` is a `Post`. */
export type LiveEventOf<T extends LiveEventType> = Extract<LiveEvent, { type: T }>;

/**
 * Where a subscription is: `connecting` (first connection), `open` (receiving), `reconnecting`
 * (waiting or connecting after a drop), `paused` (by {@link LiveSubscription.pause}), `closed`
 * (for good: {@link LiveSubscription.close}, the signal, or an error that retrying cannot fix).
 */
export type SubscriptionState = 'connecting' | 'open' | 'reconnecting' | 'paused' | 'closed';

/** Options of a subscription. */
export interface SubscribeOptions {
  /** Resume after this event id (e.g. one persisted across a page reload). */
  lastEventId?: string | undefined;
  /** Closes the subscription when aborted. */
  signal?: AbortSignal | undefined;
  /** Start paused; call `resume()` to connect. */
  paused?: boolean | undefined;
  /**
   * Reconnect pacing: full jitter over `baseDelay · 2^(n-1)` capped at `maxDelay`. The base
   * defaults to 1 s, or to the server's SSE `retry:` hint when it sends one; the cap to 30 s.
   */
  backoff?: BackoffOptions | undefined;
}

/** Listens to one event type. */
export type LiveEventListener<T extends LiveEventType> = (event: LiveEventOf<T>) => void;

// Errors that reconnecting can fix; anything else (forbidden, not found…) closes the subscription.
const TRANSIENT: ReadonlySet<MenteoErrorCode> = new Set<MenteoErrorCode>([
  'network_error', 'timeout', 'rate_limited', 'internal', 'unavailable', 'invalid_response',
]);

// Enough to absorb any replay overlap a reconnect can produce without growing forever.
const SEEN_LIMIT = 1000;

/** Sends the stream request; the transport adds credentials and `Last-Event-ID`. */
type Connect = (lastEventId: string | undefined, signal: AbortSignal) => Promise<Response>;

/** A live subscription to a room, thread or the feed. Create one with `client.events.*`. */
export class LiveSubscription {
  readonly #connect: Connect;
  readonly #backoff: BackoffOptions;
  readonly #listeners = new Map<string, Set<(event: LiveEvent) => void>>();
  readonly #stateListeners = new Set<(state: SubscriptionState, error?: MenteoError) => void>();
  readonly #errorListeners = new Set<(error: MenteoError) => void>();
  readonly #seen = new Set<string>();
  #state: SubscriptionState = 'connecting';
  #lastEventId: string | undefined;
  #serverRetry: number | undefined;
  /** Aborts the current connection or wait; replaced on each cycle. */
  #cycle: AbortController | undefined;
  #running = false;

  /** @internal Use `client.events.room/thread/feed`. */
  constructor(connect: Connect, options: SubscribeOptions = {}) {
    this.#connect = connect;
    this.#backoff = options.backoff ?? {};
    this.#lastEventId = options.lastEventId;
    options.signal?.addEventListener('abort', () => this.close(), { once: true });
    if (options.signal?.aborted) this.#state = 'closed';
    else if (options.paused) this.#state = 'paused';
    // Connect on the next microtask so listeners attached right after creation miss nothing.
    else queueMicrotask(() => this.#start());
  }

  /** The current state. */
  get state(): SubscriptionState {
    return this.#state;
  }

  /** The id of the last event received: where a reconnect resumes. Persist it to resume across reloads. */
  get lastEventId(): string | undefined {
    return this.#lastEventId;
  }

  /** Listens to one event type (`'post.created'`…) or to every event (`'*'`). Returns an unsubscribe function. */
  on<T extends LiveEventType>(type: T, listener: LiveEventListener<T>): () => void;
  on(type: '*', listener: (event: LiveEvent) => void): () => void;
  on(type: string, listener: (event: never) => void): () => void {
    const set = this.#listeners.get(type) ?? new Set();
    this.#listeners.set(type, set);
    const fn = listener as (event: LiveEvent) => void;
    set.add(fn);
    return () => set.delete(fn);
  }

  /** Listens to state changes; a closing error (if any) comes with `closed`. Returns an unsubscribe function. */
  onState(listener: (state: SubscriptionState, error?: MenteoError) => void): () => void {
    this.#stateListeners.add(listener);
    return () => this.#stateListeners.delete(listener);
  }

  /**
   * Listens to errors: dropped connections (followed by a reconnect), events that fail the
   * contract (skipped), and the error that closed the subscription. Returns an unsubscribe function.
   */
  onError(listener: (error: MenteoError) => void): () => void {
    this.#errorListeners.add(listener);
    return () => this.#errorListeners.delete(listener);
  }

  /** Disconnects but remembers where it was; `resume()` reconnects and receives what was missed. */
  pause(): void {
    if (this.#state === 'closed' || this.#state === 'paused') return;
    this.#setState('paused');
    this.#cycle?.abort();
  }

  /** Reconnects after `pause()`, resuming from the last event id. */
  resume(): void {
    if (this.#state !== 'paused') return;
    this.#start();
  }

  /** Disconnects for good and drops every listener. */
  close(): void {
    this.#finish(undefined);
  }

  #finish(error: MenteoError | undefined): void {
    if (this.#state === 'closed') return;
    if (error) this.#emitError(error);
    this.#setState('closed', error);
    this.#cycle?.abort();
    this.#listeners.clear();
    this.#stateListeners.clear();
    this.#errorListeners.clear();
  }

  #setState(state: SubscriptionState, error?: MenteoError): void {
    if (this.#state === state) return;
    this.#state = state;
    for (const listener of [...this.#stateListeners]) safely(() => listener(state, error));
  }

  #emitError(error: MenteoError): void {
    for (const listener of [...this.#errorListeners]) safely(() => listener(error));
  }

  #start(): void {
    if (this.#running || this.#state === 'closed') return;
    this.#running = true;
    void this.#run().finally(() => {
      this.#running = false;
    });
  }

  async #run(): Promise<void> {
    let failures = 0;
    this.#setState(this.#lastEventId === undefined ? 'connecting' : 'reconnecting');
    while (this.#state !== 'closed' && this.#state !== 'paused') {
      const cycle = new AbortController();
      this.#cycle = cycle;
      let retryAfter: number | undefined;
      try {
        const response = await this.#connect(this.#lastEventId, cycle.signal);
        if (!response.body) throw new MenteoResponseError('event stream has no body', [], { status: response.status });
        this.#setState('open');
        const received = await this.#read(response.body, cycle.signal);
        if (received > 0) failures = 0;
        // The server ended the stream (deploy, token lifetime): reconnect like after a drop.
      } catch (caught) {
        if (cycle.signal.aborted) break;
        const error = toMenteoError(caught);
        if (!TRANSIENT.has(error.code)) {
          this.#finish(error);
          return;
        }
        if (error instanceof MenteoApiError && error.retryAfter !== undefined) retryAfter = error.retryAfter * 1000;
        this.#emitError(error);
      }
      if (cycle.signal.aborted) break;
      failures += 1;
      this.#setState('reconnecting');
      const delay = retryAfter ?? backoffDelay(failures, {
        baseDelay: this.#serverRetry ?? 1000,
        maxDelay: 30_000,
        ...this.#backoff,
      });
      await sleep(delay, cycle.signal);
    }
  }

  /** Reads one connection until it ends; answers how many events it delivered. */
  async #read(body: ReadableStream<Uint8Array>, signal: AbortSignal): Promise<number> {
    let received = 0;
    // A fresh parser per connection: a half-received event of a dropped stream must be discarded,
    // never glued to the first bytes of the next one.
    const parser = createParser({
      onEvent: (message) => {
        if (this.#deliver(message)) received += 1;
      },
      onRetry: (ms) => {
        this.#serverRetry = ms;
      },
    });
    const decoder = new TextDecoder();
    const reader = body.getReader();
    const stop = () => void reader.cancel().catch(() => undefined);
    signal.addEventListener('abort', stop, { once: true });
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return received;
        parser.feed(decoder.decode(value, { stream: true }));
      }
    } finally {
      signal.removeEventListener('abort', stop);
    }
  }

  /** Validates and dispatches one SSE message; answers whether it was a new, valid event. */
  #deliver(message: EventSourceMessage): boolean {
    if (message.id !== undefined && message.id !== '') this.#lastEventId = message.id;
    if (message.data === '') return false;
    let json: unknown;
    try {
      json = JSON.parse(message.data);
    } catch {
      this.#emitError(new MenteoResponseError('live event is not JSON', [{ path: '', message: 'not JSON' }]));
      return false;
    }
    const parsed = LiveEvent.safeParse(json);
    if (!parsed.success) {
      this.#emitError(
        new MenteoResponseError(
          'live event does not match the contract',
          parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })),
        ),
      );
      return false;
    }
    const event = parsed.data;
    if (this.#seen.has(event.id)) return false;
    this.#seen.add(event.id);
    if (this.#seen.size > SEEN_LIMIT) {
      const oldest = this.#seen.values().next().value;
      if (oldest !== undefined) this.#seen.delete(oldest);
    }
    for (const type of [event.type, '*']) {
      for (const listener of [...(this.#listeners.get(type) ?? [])]) safely(() => listener(event));
    }
    return true;
  }
}

/** Calls a listener; one that throws must not stop the stream, but its error must not vanish either. */
function safely(fn: () => void): void {
  try {
    fn();
  } catch (error) {
    queueMicrotask(() => {
      throw error;
    });
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Opens a subscription on a stream operation of the contract. */
export function subscribe<Op extends Operation>(
  transport: Transport,
  operation: Op,
  params: Record<string, string> | undefined,
  options: SubscribeOptions = {},
): LiveSubscription {
  const connect: Connect = (lastEventId, signal) =>
    transport.open(operation, {
      params,
      signal,
      headers: lastEventId === undefined ? {} : { 'Last-Event-ID': lastEventId },
    } as never);
  return new LiveSubscription(connect, options);
}

