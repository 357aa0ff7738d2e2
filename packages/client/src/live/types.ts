/**
 * Types shared by the live modules: what a subscription is, how it is configured, and the small
 * interfaces between a subscription, the connection that feeds it and the tabs that share it.
 * @module
 */
import type { LiveEvent, LiveEventType } from '@menteo/api/events';
import type { BackoffOptions } from '../backoff.js';
import type { MenteoError } from '../errors.js';

/** The live event of one type, e.g. `LiveEventOf<'post.created'>` whose `data` is a `Post`. */
export type LiveEventOf<T extends LiveEventType> = Extract<LiveEvent, { type: T }>;

/** Listens to one event type. */
export type LiveEventListener<T extends LiveEventType> = (event: LiveEventOf<T>) => void;

/**
 * Where a subscription is: `connecting` (first connection), `open` (receiving), `reconnecting`
 * (waiting or connecting after a drop), `paused` (by `pause()`), `closed` (for good: `close()`,
 * the signal, or an error that retrying cannot fix).
 */
export type SubscriptionState = 'connecting' | 'open' | 'reconnecting' | 'paused' | 'closed';

/** With `reconnecting`: which attempt comes next (1 after a connection that opened) and after how long. */
export interface ReconnectInfo {
  /** 1-based; back to 1 whenever a connection opened. */
  readonly attempt: number;
  /** Milliseconds until the attempt. */
  readonly delayMs: number;
}

/** Listens to state changes; `error` comes with `closed` (the reason) and `reconnecting` (the drop). */
export type StateListener = (state: SubscriptionState, error?: MenteoError, retry?: ReconnectInfo) => void;

/** Options of a subscription. */
export interface SubscribeOptions {
  /** Resume after this event id (e.g. one persisted across a page reload). */
  lastEventId?: string | undefined;
  /** Closes the subscription when aborted. */
  signal?: AbortSignal | undefined;
  /** Start paused; call `resume()` to receive. */
  paused?: boolean | undefined;
  /**
   * @deprecated Ignored: every subscription of a client shares one connection, paced by the
   * client's `live.backoff` (`createClient({ live: { backoff } })`).
   */
  backoff?: BackoffOptions | undefined;
}

/**
 * A topic of the live connection: `room:<roomId>`, `thread:<threadId>`, `feed` or `me`.
 */
export type TopicName = string;

/** A topic with where to resume it. */
export interface TopicWant {
  readonly topic: TopicName;
  readonly since?: string | undefined;
}

/** What a subscription hears from whatever carries its topic (a connection, or the leader tab). */
export interface TopicListener {
  /** An event of the topic (not yet deduplicated). */
  event(event: LiveEvent): void;
  /** The carrier's state changed. */
  state(state: 'connecting' | 'open' | 'reconnecting', error?: MenteoError, retry?: ReconnectInfo): void;
  /** The topic was refused or closed for good. */
  closed(error: MenteoError): void;
  /** A failure worth reporting that does not close anything (a drop, an invalid event). */
  error(error: MenteoError): void;
}

/** How a subscription reaches the connection: it registers while it wants events. */
export interface TopicSink {
  /** Starts carrying `topic` for `listener`, resuming after `since` when given. */
  attach(topic: TopicName, since: string | undefined, listener: TopicListener): void;
  /** Stops carrying `topic` for `listener` (the topic stays while other listeners want it). */
  detach(topic: TopicName, listener: TopicListener): void;
}

/** Tuning of a live connection. */
export interface LiveConnectionOptions {
  /** Reconnect pacing (1 s base or the server's `retry:`, 30 s cap, full jitter). */
  backoff?: BackoffOptions | undefined;
  /** How long an empty connection stays open for a topic that may come back, in ms (2 000). */
  lingerMs?: number | undefined;
  /** Silence tolerated, as a multiple of the server's heartbeat interval (2.5: about two missed heartbeats). */
  heartbeatTolerance?: number | undefined;
}

/** The part of the Web Locks API (`navigator.locks`) that electing the leader tab needs. */
export interface TabLocks {
  request(name: string, options: { signal?: AbortSignal }, callback: (lock: unknown) => Promise<void>): Promise<unknown>;
}

/** Live tuning given to the client (`createClient({ live })`). */
export interface LiveTuning extends LiveConnectionOptions {
  /**
   * The lock manager that elects which tab holds the shared connection; `navigator.locks` by
   * default. Runtimes without one (Node 20) can pass their own, e.g. in tests.
   */
  locks?: TabLocks | undefined;
}
