/**
 * The live hub of one client: every subscription of the client registers its topic here, and
 * the hub keeps one carrier for all of them: its own {@link LiveConnection}, or a share of the
 * connection another tab holds ({@link TabCarrier}). It routes what the carrier hears to the
 * subscriptions of each topic.
 * @module
 */
import type { LiveEvent } from '@menteo/api/events';
import type { MenteoError } from '../errors.js';
import type { Transport } from '../transport.js';
import { LiveConnection, topicError, type ConnectionEvents } from './connection.js';
import type { ReconnectInfo, TabLocks, TopicListener, TopicName, TopicSink } from './types.js';

/** What carries the topics of one client. */
export interface Carrier {
  want(topic: TopicName, since: string | undefined): void;
  unwant(topic: TopicName): void;
  close(): void;
}

// The contract's topic syntax; anything else could only be refused by the server.
const TOPIC = /^(room:room_[0-9A-HJKMNP-TV-Z]{26}|thread:thr_[0-9A-HJKMNP-TV-Z]{26}|feed|me)$/;

/** A carrier over this client's own connection. */
class LocalCarrier implements Carrier {
  readonly connection: LiveConnection;
  constructor(transport: Transport, events: ConnectionEvents) {
    this.connection = new LiveConnection(transport, events, transport.options.live);
  }
  want(topic: TopicName, since: string | undefined): void {
    this.connection.want(topic, since);
  }
  unwant(topic: TopicName): void {
    this.connection.unwant(topic);
  }
  close(): void {
    this.connection.close();
  }
}

/** The browser's lock manager when tabs can share (BroadcastChannel and Web Locks exist), else undefined. */
export function tabSharingAvailable(): TabLocks | undefined {
  if (typeof BroadcastChannel !== 'function') return undefined;
  return (globalThis as { navigator?: { locks?: TabLocks } }).navigator?.locks;
}

/**
 * A carrier whose implementation is still loading. Tab sharing is a separate chunk (about 2 KB
 * gzip that a page with one tab never needs before its first render): requests made meanwhile
 * are replayed in order once it arrives, and if the chunk cannot load, the tab keeps its own
 * connection.
 */
class DeferredCarrier implements Carrier {
  #target: Carrier | undefined;
  #pending: Array<(carrier: Carrier) => void> = [];
  #closed = false;

  constructor(load: Promise<Carrier>, fallback: () => Carrier) {
    load.catch(fallback).then((carrier) => {
      if (this.#closed) return carrier.close();
      this.#target = carrier;
      for (const apply of this.#pending.splice(0)) apply(carrier);
    });
  }
  want(topic: TopicName, since: string | undefined): void {
    if (this.#target) this.#target.want(topic, since);
    else this.#pending.push((c) => c.want(topic, since));
  }
  unwant(topic: TopicName): void {
    if (this.#target) this.#target.unwant(topic);
    else this.#pending.push((c) => c.unwant(topic));
  }
  close(): void {
    this.#closed = true;
    this.#pending = [];
    this.#target?.close();
  }
}

/** Routes the topics of every subscription of one client over one carrier. */
export class LiveHub implements TopicSink, ConnectionEvents {
  readonly #transport: Transport;
  readonly #topics = new Map<TopicName, Set<TopicListener>>();
  readonly #active = new Set<TopicName>();
  #carrier: Carrier | undefined;
  #open = false;

  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /** The carrier in use (tests look at how many streams it opened). */
  get carrier(): Carrier | undefined {
    return this.#carrier;
  }

  attach(topic: TopicName, since: string | undefined, listener: TopicListener): void {
    if (!TOPIC.test(topic)) {
      listener.closed(topicError(topic, 'not_found'));
      return;
    }
    const set = this.#topics.get(topic) ?? new Set();
    this.#topics.set(topic, set);
    set.add(listener);
    this.#carrier ??= this.#makeCarrier();
    this.#carrier.want(topic, since);
    if (this.#open && this.#active.has(topic)) listener.state('open');
  }

  detach(topic: TopicName, listener: TopicListener): void {
    const set = this.#topics.get(topic);
    if (!set?.delete(listener) || set.size > 0) return;
    this.#topics.delete(topic);
    this.#active.delete(topic);
    this.#carrier?.unwant(topic);
  }

  #makeCarrier(): Carrier {
    const t = this.#transport;
    if (t.options.shareLiveAcrossTabs !== false && t.options.clientSecret !== undefined) {
      const locks = t.options.live?.locks ?? tabSharingAvailable();
      if (locks) {
        const onIdle = () => {
          // The tab let go of its share (no topic for a while): the next subscription starts anew.
          if (this.#topics.size === 0) this.#carrier = undefined;
          return this.#topics.size === 0;
        };
        return new DeferredCarrier(
          import('./tabs.js').then(({ TabCarrier }) => new TabCarrier(t, this, locks, onIdle)),
          () => new LocalCarrier(t, this),
        );
      }
    }
    return new LocalCarrier(t, this);
  }

  // ConnectionEvents: what the carrier reports.

  event(event: LiveEvent, topics: TopicName[]): void {
    for (const topic of topics) for (const listener of [...(this.#topics.get(topic) ?? [])]) listener.event(event);
  }

  topic(topic: TopicName, status: 'active' | 'forbidden' | 'not_found'): void {
    const listeners = [...(this.#topics.get(topic) ?? [])];
    if (status === 'active') {
      this.#active.add(topic);
      if (this.#open) for (const listener of listeners) listener.state('open');
      return;
    }
    this.#active.delete(topic);
    const error = topicError(topic, status);
    for (const listener of listeners) listener.closed(error);
  }

  state(state: 'connecting' | 'open' | 'reconnecting', error?: MenteoError, retry?: ReconnectInfo): void {
    this.#open = state === 'open';
    if (state !== 'open') this.#active.clear();
    for (const [topic, listeners] of this.#topics) {
      // `open` reaches a subscription once the server confirmed its topic.
      if (state === 'open' && !this.#active.has(topic)) continue;
      for (const listener of [...listeners]) listener.state(state, error, retry);
    }
  }

  error(error: MenteoError): void {
    for (const listeners of this.#topics.values()) for (const listener of [...listeners]) listener.error(error);
  }

  fatal(error: MenteoError): void {
    for (const listeners of [...this.#topics.values()]) for (const listener of [...listeners]) listener.closed(error);
  }
}

const hubs = new WeakMap<Transport, LiveHub>();

/** The hub of a transport (one per client), created on first use. */
export function hubOf(transport: Transport): LiveHub {
  let hub = hubs.get(transport);
  if (!hub) {
    hub = new LiveHub(transport);
    hubs.set(transport, hub);
  }
  return hub;
}
