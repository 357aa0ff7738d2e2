/**
 * Publishing committed live events. One bus per app: the app calls `publish` after each commit
 * and `close` on shutdown. Behind it, the {@link LiveHub} holds this instance's live connections
 * and delivers to them off the write path.
 *
 * `publish` is also where events of other instances enter (issue 11: each instance learns of the
 * others' commits, through PostgreSQL LISTEN/NOTIFY or by polling the events table by id, and
 * publishes them locally); connections then behave the same whatever instance wrote the event.
 * @module
 */
import { LiveHub, type AccessChange, type HubOptions } from './hub.js';

/** A live event as stored, with what subscribers need to filter it. */
export interface StoredEvent {
  readonly id: number;
  readonly orgId: string;
  readonly roomId: string | null;
  readonly threadId: string | null;
  /** For post and comment events, the post's audience. */
  readonly audience: string | null;
  readonly type: string;
  /** The `LiveEvent` JSON, id included. */
  readonly json: string;
}

/** A subscriber callback. */
export type Listener = (event: StoredEvent) => void;

/** Options of an {@link EventBus}. */
export type EventBusOptions = HubOptions;

/**
 * Buses that serve connections over a database, so that code holding only the database (SCIM
 * provisioning, credential revocation) can reach the open streams it affects.
 */
const busesByDb = new WeakMap<object, Set<EventBus>>();

/**
 * Tells every bus serving connections over `db` that access changed; open connections honour it
 * at once. Call it after the change committed: a client reconnecting before the commit would
 * otherwise be let in again.
 */
export function notifyAccessChange(db: object, change: AccessChange): void {
  for (const bus of busesByDb.get(db) ?? []) bus.hub.accessChanged(change);
}

/** Publishes committed events to live connections and in-process listeners. */
export class EventBus {
  /** This instance's live connections. */
  readonly hub: LiveHub;
  readonly #everyOrg = new Set<Listener>();

  constructor(options: EventBusOptions = {}) {
    this.hub = new LiveHub(options);
  }

  /** Makes `notifyAccessChange` over `db` reach this bus (streams call it when they open). */
  serve(db: object): void {
    let set = busesByDb.get(db);
    if (!set) {
      set = new Set();
      busesByDb.set(db, set);
    }
    set.add(this);
  }

  /**
   * Registers a listener for every organization's events: server-side reactions to committed
   * changes (the LMS gradebook sync), not streams. Not counted by {@link EventBus.size}, which
   * tests use to check that streams clean up. Listeners run synchronously in `publish`: keep them
   * cheap (queue work, do not do it).
   */
  subscribeAll(listener: Listener): () => void {
    this.#everyOrg.add(listener);
    return () => {
      this.#everyOrg.delete(listener);
    };
  }

  /** Queues an event for live connections (delivered after the caller returns) and calls in-process listeners. */
  publish(event: StoredEvent): void {
    this.hub.enqueue(event);
    for (const listener of this.#everyOrg) {
      try {
        listener(event);
      } catch {
        // A broken listener must not affect the writer or the others.
      }
    }
  }

  /**
   * Ends every open connection (`live.end` shutdown). Call it when shutting an app down, before
   * its database is closed.
   */
  close(): void {
    this.hub.close();
  }

  /** Open live connections (multiplexed and legacy); tests check that streams clean up. */
  get size(): number {
    return this.hub.size;
  }

  /** Bytes queued for connections and not yet read by them (bounded per connection). */
  get bufferedBytes(): number {
    return this.hub.bufferedBytes;
  }
}

export type { AccessChange } from './hub.js';
