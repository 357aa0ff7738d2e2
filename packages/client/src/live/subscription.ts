/**
 * `LiveSubscription`: what a widget holds. A view over the client's one live connection: it
 * registers its topic while it wants events, deduplicates by event id, remembers the last id
 * (where a pause or a reload resumes) and reports state and errors to its own listeners.
 * @module
 */
import type { LiveEvent, LiveEventType } from '@menteo/api/events';
import type { MenteoError } from '../errors.js';
import type { LiveEventListener, ReconnectInfo, StateListener, SubscribeOptions, SubscriptionState, TopicListener, TopicName, TopicSink } from './types.js';

// Enough to absorb any replay overlap a reconnect can produce without growing forever.
const SEEN_LIMIT = 1000;

/** A live subscription to a room, thread or the feed. Create one with `client.events.*`. */
export class LiveSubscription {
  readonly #sink: TopicSink;
  readonly #topic: TopicName;
  readonly #listeners = new Map<string, Set<(event: LiveEvent) => void>>();
  readonly #stateListeners = new Set<StateListener>();
  readonly #errorListeners = new Set<(error: MenteoError) => void>();
  readonly #seen = new Set<string>();
  #state: SubscriptionState = 'connecting';
  #lastEventId: string | undefined;
  /**
   * Events up to the id it started after are already reflected in what the widget loaded: a
   * replay the topic gets for another subscription (from an older id) must not apply them again.
   */
  readonly #floor: number | undefined;
  #attached = false;

  readonly #listener: TopicListener = {
    event: (event) => this.#deliver(event),
    state: (state, error, retry) => {
      if (this.#state === 'closed' || this.#state === 'paused') return;
      // A subscription that has been open says `reconnecting` when its connection comes back.
      const next = state === 'connecting' && this.#lastEventId !== undefined ? 'reconnecting' : state;
      this.#setState(next, error, retry);
    },
    closed: (error) => this.#finish(error),
    error: (error) => this.#emitError(error),
  };

  /** @internal Use `client.events.room/thread/feed`. */
  constructor(sink: TopicSink, topic: TopicName, options: SubscribeOptions = {}) {
    this.#sink = sink;
    this.#topic = topic;
    this.#lastEventId = options.lastEventId;
    this.#floor = options.lastEventId === undefined ? undefined : Number(options.lastEventId);
    options.signal?.addEventListener('abort', () => this.close(), { once: true });
    if (options.signal?.aborted) this.#state = 'closed';
    else if (options.paused) this.#state = 'paused';
    // Attach on the next microtask, so listeners added right after creation miss nothing, and
    // every subscription made in the same tick joins one topic update.
    else queueMicrotask(() => this.#attach());
  }

  /** The topic this subscription carries (`room:…`, `thread:…`, `feed`). */
  get topic(): TopicName {
    return this.#topic;
  }

  /** The current state. */
  get state(): SubscriptionState {
    return this.#state;
  }

  /** The id of the last event received: where a resume starts. Persist it to resume across reloads. */
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

  /**
   * Listens to state changes. `closed` comes with the error that closed it (if any);
   * `reconnecting` with the drop and the next attempt. Returns an unsubscribe function.
   */
  onState(listener: StateListener): () => void {
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

  /**
   * Stops receiving but remembers where it was: the topic leaves the connection (no reconnect),
   * and `resume()` brings it back from the last event id, so nothing is missed.
   */
  pause(): void {
    if (this.#state === 'closed' || this.#state === 'paused') return;
    this.#detach();
    this.#setState('paused');
  }

  /** Receives again after `pause()`, starting with what was missed. */
  resume(): void {
    if (this.#state !== 'paused') return;
    this.#setState(this.#lastEventId === undefined ? 'connecting' : 'reconnecting');
    this.#attach();
  }

  /** Stops for good and drops every listener. */
  close(): void {
    this.#finish(undefined);
  }

  #attach(): void {
    if (this.#attached || this.#state === 'closed' || this.#state === 'paused') return;
    this.#attached = true;
    this.#sink.attach(this.#topic, this.#lastEventId, this.#listener);
  }

  #detach(): void {
    if (!this.#attached) return;
    this.#attached = false;
    this.#sink.detach(this.#topic, this.#listener);
  }

  #finish(error: MenteoError | undefined): void {
    if (this.#state === 'closed') return;
    this.#detach();
    if (error) this.#emitError(error);
    this.#setState('closed', error);
    this.#listeners.clear();
    this.#stateListeners.clear();
    this.#errorListeners.clear();
  }

  #setState(state: SubscriptionState, error?: MenteoError, retry?: ReconnectInfo): void {
    if (this.#state === state && retry === undefined) return;
    this.#state = state;
    for (const listener of [...this.#stateListeners]) safely(() => listener(state, error, retry));
  }

  #emitError(error: MenteoError): void {
    for (const listener of [...this.#errorListeners]) safely(() => listener(error));
  }

  #deliver(event: LiveEvent): void {
    if (this.#state === 'closed' || this.#state === 'paused') return;
    if (this.#seen.has(event.id)) return;
    if (this.#floor !== undefined && Number(event.id) <= this.#floor) return;
    this.#seen.add(event.id);
    if (this.#seen.size > SEEN_LIMIT) {
      const oldest = this.#seen.values().next().value;
      if (oldest !== undefined) this.#seen.delete(oldest);
    }
    this.#lastEventId = event.id;
    for (const type of [event.type, '*']) {
      for (const listener of [...(this.#listeners.get(type) ?? [])]) safely(() => listener(event));
    }
  }
}

/** Calls a listener; one that throws must not stop the stream, but its error must not vanish either. */
export function safely(fn: () => void): void {
  try {
    fn();
  } catch (error) {
    queueMicrotask(() => {
      throw error;
    });
  }
}
