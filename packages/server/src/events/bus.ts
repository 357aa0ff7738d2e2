/**
 * Publishing committed live events. One bus per app: the app calls `publish` after each commit
 * and `close` on shutdown. Behind it, the {@link LiveHub} holds this instance's live connections
 * and delivers to them off the write path.
 *
 * How committed events reach the hub is the bus's {@link EventTransport}:
 * - in process (the default): each event this app committed goes to its hub at once. One
 *   instance, SQLite or PostgreSQL.
 * - PostgreSQL notifications (`events/postgres-transport.ts`): every instance on the database,
 *   the writer included, hears of each commit through LISTEN/NOTIFY (the notification carries the
 *   event id; the stored event stays the source of truth) and reads the events by id, in commit
 *   order. Access changes (deactivations, revocations, role changes) cross instances the same way.
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
  /** The one person the event is addressed to (`me:<personId>`), else null. */
  readonly personId: string | null;
  readonly type: string;
  /** The `LiveEvent` JSON, id included. */
  readonly json: string;
}

/** A subscriber callback. */
export type Listener = (event: StoredEvent) => void;

/** Where a transport delivers: this instance's hub and access-change listeners. */
export interface TransportTarget {
  /** Committed events, in commit order (ids increasing). */
  deliver(event: StoredEvent): void;
  /** An access change made on another instance. */
  accessChangedElsewhere(change: AccessChange): void;
  /** Access notices may have been missed (the transport lost its connection): live connections start over. */
  resync(): void;
  /** Every event up to `id` was delivered or had no one to reach (topics opened now start after it). */
  caughtUp(id: number): void;
  /** Whether anyone on this instance reads events (else a transport may skip reading them). */
  readonly listening: boolean;
}

/** Whether a transport delivers other instances' events now (readiness). */
export type TransportStatus = 'ready' | 'connecting' | 'closed';

/**
 * How committed events reach this instance's hub, and access changes the other instances.
 * {@link inProcessTransport} for one instance; `PostgresTransport` across instances.
 */
export interface EventTransport {
  /** Connects the transport to its bus (once). */
  attach(target: TransportTarget): void;
  /** After this instance committed `event`. */
  committed(event: StoredEvent): void;
  /** After this instance made an access change (already applied to its own hub). */
  shareAccessChange(change: AccessChange): void;
  readonly status: TransportStatus;
  /**
   * The database the transport serves, if any: access notices given for it with
   * `notifyAccessChange` (SCIM, the CLI in process) reach this bus even before a stream opens.
   */
  readonly db?: object;
  /** Stops (connections are the bus's to end). */
  close(): Promise<void>;
}

/** The single-instance transport: events this app committed go straight to its hub. */
export function inProcessTransport(): EventTransport {
  let target: TransportTarget | null = null;
  let status: TransportStatus = 'ready';
  return {
    attach(t) {
      target = t;
    },
    committed(event) {
      target?.deliver(event);
    },
    shareAccessChange() {
      // Nobody else to tell.
    },
    get status() {
      return status;
    },
    async close() {
      status = 'closed';
    },
  };
}

/** Options of an {@link EventBus}. */
export interface EventBusOptions extends HubOptions {
  /** How committed events reach the hub; in process by default. */
  readonly transport?: EventTransport;
}

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
  /** How committed events reach the hub. */
  readonly transport: EventTransport;
  readonly #everyOrg = new Set<Listener>();
  readonly #accessListeners = new Set<(change: AccessChange) => void>();

  constructor(options: EventBusOptions = {}) {
    this.hub = new LiveHub(options);
    this.transport = options.transport ?? inProcessTransport();
    this.hub.onAccessChange = (change) => {
      this.#tellAccessListeners(change);
      this.transport.shareAccessChange(change);
    };
    const hub = this.hub;
    this.transport.attach({
      deliver: (event) => this.hub.enqueue(event),
      accessChangedElsewhere: (change) => {
        this.hub.applyAccessChange(change);
        this.#tellAccessListeners(change);
      },
      // Connections end (`live.end` shutdown) and resume elsewhere or here with Last-Event-ID:
      // their authorization is checked again, and the replay reads the database.
      resync: () => this.hub.close(),
      caughtUp: (id) => {
        if (id > this.hub.lastEnqueuedId) this.hub.lastEnqueuedId = id;
      },
      get listening() {
        return hub.size > 0;
      },
    });
    if (this.transport.db) this.serve(this.transport.db);
  }

  /**
   * Registers a listener for every access change, made on this instance or (over PostgreSQL) on
   * another: for caches that must forget a credential at once.
   */
  onAccessChange(listener: (change: AccessChange) => void): () => void {
    this.#accessListeners.add(listener);
    return () => {
      this.#accessListeners.delete(listener);
    };
  }

  #tellAccessListeners(change: AccessChange): void {
    for (const listener of this.#accessListeners) {
      try {
        listener(change);
      } catch {
        // A broken listener must not stop the others.
      }
    }
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

  /**
   * After this instance committed `event`: hands it to the transport (which queues it for live
   * connections, here or on every instance) and calls this instance's listeners, which therefore
   * run once, on the instance that wrote the event.
   */
  publish(event: StoredEvent): void {
    this.transport.committed(event);
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
    void this.transport.close();
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
