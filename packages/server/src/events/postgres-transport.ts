/**
 * Live events across instances over PostgreSQL: LISTEN/NOTIFY carrying event ids.
 *
 * - Every event writer notifies `menteo_events` with the event's id inside its transaction
 *   (store.ts), so the notification exists exactly when the commit does; payloads stay tiny (NOTIFY
 *   allows 8,000 bytes) and the stored event stays the source of truth.
 * - Each instance holds one dedicated connection that LISTENs, and on a notification reads the
 *   events after the last one it delivered, by id, in order, through its pool. Ids commit in id
 *   order (writers take one lock until they commit: store.ts), so reading "after the last id"
 *   misses nothing, and the same read catches up after a reconnect: nothing committed during a
 *   LISTEN gap is lost.
 * - Access changes (a person deactivated or their roles changed, a credential revoked) are
 *   notified on `menteo_access` after their commit, with the sending instance's id so it skips its
 *   own. A notice sent while an instance was not listening is lost to it, so after a reconnect
 *   that instance ends its live connections (`live.end` shutdown): they reconnect, are authorized
 *   again against the database, and resume from their last event id.
 * @module
 */
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import type { Database } from '../storage/schema.js';
import type { AccessChange } from './hub.js';
import { EventBus, type EventBusOptions, type EventTransport, type StoredEvent, type TransportStatus, type TransportTarget } from './bus.js';
import { EVENTS_CHANNEL, storedFromRow } from './store.js';

/** The channel that carries access changes between instances. */
export const ACCESS_CHANNEL = 'menteo_access';

/** Events read per query while catching up. */
const BATCH = 500;

/** Options of a {@link PostgresTransport}. */
export interface PostgresTransportOptions {
  /** The database, for reading events and sending access notices (its pool). */
  readonly db: Kysely<Database>;
  /** Connection settings of the dedicated LISTEN connection (the same database). */
  readonly connection: string | pg.ClientConfig;
  /** This instance's id (access notices it sent are not applied twice). */
  readonly instanceId?: string;
  /** Receives connection and read failures (each is retried); `console.error` by default. */
  readonly onError?: (error: unknown) => void;
  /** First and longest wait between reconnection attempts, in ms (100 and 5,000 by default). */
  readonly reconnectMs?: { readonly min: number; readonly max: number };
}

/** A notice on {@link ACCESS_CHANNEL}. */
interface AccessNotice {
  readonly from: string;
  readonly change: AccessChange;
}

const sleep = (ms: number) => new Promise<void>((resolve) => {
  const timer = setTimeout(resolve, ms);
  (timer as { unref?: () => void }).unref?.();
});

/** Events and access changes of every instance on one PostgreSQL database. */
export class PostgresTransport implements EventTransport {
  readonly db: Kysely<Database>;
  /** This instance's id in access notices. */
  readonly instanceId: string;
  /** Settles once the first LISTEN is in place (`ready`); rejects only if closed before. */
  readonly started: Promise<void>;
  readonly #options: PostgresTransportOptions;
  readonly #onError: (error: unknown) => void;
  #target: TransportTarget | null = null;
  #status: TransportStatus = 'connecting';
  #client: pg.Client | null = null;
  #closed = false;
  #everListened = false;
  /** The last event id delivered (or skipped with no one listening); null before the first LISTEN. */
  #lastDelivered: number | null = null;
  /** The largest id notified so far. */
  #notified = 0;
  #pumping = false;
  #again = false;
  #markStarted: () => void = () => undefined;
  #failStart: (error: unknown) => void = () => undefined;
  /** Reconnections after a lost connection (tests and readiness logs read it). */
  reconnects = 0;

  constructor(options: PostgresTransportOptions) {
    this.db = options.db;
    this.#options = options;
    this.instanceId = options.instanceId ?? `inst_${crypto.randomUUID()}`;
    this.#onError = options.onError ?? ((error: unknown) => console.error('[menteo] live events over PostgreSQL:', error));
    this.started = new Promise<void>((resolve, reject) => {
      this.#markStarted = resolve;
      this.#failStart = reject;
    });
    // Callers await `started` when they care; an unobserved rejection must not crash the process.
    this.started.catch(() => undefined);
  }

  get status(): TransportStatus {
    return this.#status;
  }

  /** The last event id this instance delivered (tests). */
  get lastDelivered(): number | null {
    return this.#lastDelivered;
  }

  attach(target: TransportTarget): void {
    if (this.#target) throw new Error('a PostgresTransport serves one bus');
    this.#target = target;
    void this.#connect();
  }

  committed(): void {
    // The transaction notified: this instance hears of its own events with the others', in order.
  }

  shareAccessChange(change: AccessChange): void {
    const notice: AccessNotice = { from: this.instanceId, change };
    sql`select pg_notify(${ACCESS_CHANNEL}, ${JSON.stringify(notice)})`.execute(this.db).catch(this.#onError);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#status = 'closed';
    this.#failStart(new Error('closed'));
    const client = this.#client;
    this.#client = null;
    await client?.end().catch(() => undefined);
  }

  /**
   * Cuts the LISTEN connection as a network failure would (tests of the catch-up): the transport
   * reconnects and reads what it missed.
   */
  async dropConnectionForTest(): Promise<void> {
    const client = this.#client;
    if (!client) return;
    const pid = (client as pg.Client & { processID?: number }).processID;
    await sql`select pg_terminate_backend(${pid ?? -1})`.execute(this.db);
  }

  async #connect(): Promise<void> {
    const { min, max } = this.#options.reconnectMs ?? { min: 100, max: 5_000 };
    let delay = min;
    while (!this.#closed) {
      const config = typeof this.#options.connection === 'string' ? { connectionString: this.#options.connection } : this.#options.connection;
      const client = new pg.Client({ ...config, keepAlive: true, application_name: `menteo-listen ${this.instanceId}`.slice(0, 63) });
      client.on('notification', (message) => this.#onNotification(message));
      client.on('error', (error) => this.#lost(client, error));
      client.on('end', () => this.#lost(client, null));
      try {
        await client.connect();
        await client.query(`LISTEN ${EVENTS_CHANNEL}`);
        await client.query(`LISTEN ${ACCESS_CHANNEL}`);
        if (this.#closed) {
          await client.end().catch(() => undefined);
          return;
        }
        this.#client = client;
        if (this.#lastDelivered === null) {
          // Listening before reading the start: nothing committed in between is missed.
          const row = await this.db.selectFrom('events').select((eb) => eb.fn.max('id').as('max')).executeTakeFirst();
          this.#lastDelivered = Number(row?.max ?? 0);
          this.#target?.caughtUp(this.#lastDelivered);
        } else if (this.#everListened) {
          this.#target?.resync();
        }
        this.#everListened = true;
        this.#status = 'ready';
        this.#markStarted();
        this.#pump();
        return;
      } catch (error) {
        if (this.#client === client) this.#client = null;
        client.removeAllListeners('end');
        await client.end().catch(() => undefined);
        if (this.#closed) return;
        this.#onError(error);
        await sleep(delay);
        delay = Math.min(max, delay * 2);
      }
    }
  }

  /** The LISTEN connection failed or ended: reconnect (the catch-up read covers the gap). */
  #lost(client: pg.Client, error: Error | null): void {
    if (this.#client !== client) return;
    this.#client = null;
    client.removeAllListeners('end');
    client.end().catch(() => undefined);
    if (this.#closed) return;
    if (error) this.#onError(error);
    this.#status = 'connecting';
    this.reconnects++;
    void this.#connect();
  }

  #onNotification(message: pg.Notification): void {
    if (message.channel === EVENTS_CHANNEL) {
      const id = Number(message.payload);
      if (id > this.#notified) this.#notified = id;
      this.#pump();
    } else if (message.channel === ACCESS_CHANNEL && message.payload) {
      let notice: AccessNotice;
      try {
        notice = JSON.parse(message.payload) as AccessNotice;
      } catch {
        return;
      }
      if (notice.from !== this.instanceId) this.#target?.accessChangedElsewhere(notice.change);
    }
  }

  /** Delivers every committed event after the last delivered one, in id order; one pump at a time. */
  #pump(): void {
    if (this.#pumping) {
      this.#again = true;
      return;
    }
    this.#pumping = true;
    void (async () => {
      try {
        do {
          this.#again = false;
          await this.#readAfterLast();
        } while (this.#again && !this.#closed);
      } catch (error) {
        this.#onError(error);
        // The next notification or reconnect pumps again; retry once shortly too.
        if (!this.#closed) setTimeout(() => this.#pump(), 200).unref?.();
      } finally {
        this.#pumping = false;
      }
    })();
  }

  async #readAfterLast(): Promise<void> {
    const target = this.#target;
    if (!target || this.#lastDelivered === null) return;
    // No one reads events here: skip them (their ids are all committed, see store.ts).
    if (!target.listening && this.#notified > this.#lastDelivered) {
      this.#lastDelivered = this.#notified;
      target.caughtUp(this.#notified);
      return;
    }
    for (;;) {
      const rows = await this.db.selectFrom('events').selectAll().where('id', '>', this.#lastDelivered).orderBy('id', 'asc').limit(BATCH).execute();
      for (const row of rows) {
        const event: StoredEvent = storedFromRow(row);
        if (event.id <= this.#lastDelivered) continue;
        this.#lastDelivered = event.id;
        target.deliver(event);
      }
      if (rows.length < BATCH || this.#closed) return;
    }
  }
}

/**
 * An event bus whose hub hears every instance's commits on this PostgreSQL database, once its
 * LISTEN is in place (so no event committed after this resolves is missed).
 */
export async function startPostgresBus(options: PostgresTransportOptions & EventBusOptions): Promise<EventBus> {
  const transport = new PostgresTransport(options);
  const bus = new EventBus({ ...options, transport });
  await transport.started;
  return bus;
}
