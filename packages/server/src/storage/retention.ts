/**
 * Retention of what the server stores only for a while: expired access tokens, used or expired
 * embed-session client secrets, old live events, and idempotency records past their 24 hours
 * (which claims also purge, but only every 500th, so a quiet server kept them). {@link purgeExpired} is one pass, callable
 * from anywhere (tests, a cron job over the database); {@link scheduleRetention} runs it
 * periodically in the long-running Node process (`menteo-server`). Never started by
 * `createApp`, which also runs in browsers and tests where timers would leak.
 * @module
 */
import type { Kysely } from 'kysely';
import { IDEMPOTENCY_RETENTION_MS } from '../http/idempotency.js';
import type { Database } from './schema.js';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

/** How long live events are kept by default: a week, so a tab hidden over a weekend still catches up. */
export const DEFAULT_LIVE_EVENT_RETENTION_MS = 7 * DAY;
/**
 * The shortest accepted live-event retention. A client resumes a dropped or paused stream from
 * its last event id; events purged before it comes back are missed without notice, so keep
 * at least a day of them (reconnects, sleeping laptops, tabs hidden overnight).
 */
export const MIN_LIVE_EVENT_RETENTION_MS = DAY;
/**
 * How long an expired token or a used client secret is kept: long enough that a late exchange
 * is refused as "expired" or "already used" (which tells the host what to do) rather than as an
 * unknown secret. The rows are hashes and useless either way.
 */
export const DEFAULT_EXPIRED_CREDENTIAL_GRACE_MS = DAY;

/** Rows deleted per statement, so one purge never holds SQLite's write lock for long. */
const BATCH = 1000;

/** Options of {@link purgeExpired}. */
export interface RetentionOptions {
  /** The present; `new Date()` by default (tests pass their own). */
  readonly now?: Date;
  /**
   * Live events older than this are deleted, except each room's latest, which program health
   * reads as the room's last activity. {@link DEFAULT_LIVE_EVENT_RETENTION_MS} by default, at least
   * {@link MIN_LIVE_EVENT_RETENTION_MS}.
   */
  readonly liveEventsMaxAgeMs?: number;
  /** Expired credentials are kept this long past expiry (or use); {@link DEFAULT_EXPIRED_CREDENTIAL_GRACE_MS}. */
  readonly expiredGraceMs?: number;
}

/** How many rows one {@link purgeExpired} pass deleted. */
export interface PurgeResult {
  readonly accessTokens: number;
  readonly embedSessions: number;
  readonly liveEvents: number;
  readonly idempotencyRecords: number;
}

/** Deletes in batches until a batch comes back short; returns the total. */
async function inBatches(run: () => Promise<bigint | number>): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = Number(await run());
    total += deleted;
    if (deleted < BATCH) return total;
  }
}

/**
 * One retention pass: deletes access tokens expired for longer than the grace, client secrets
 * used or expired for longer than it, live events past their retention (keeping each room's
 * latest), and idempotency records older than 24 hours. A stream resuming from an event still kept replays everything after it as before.
 * @throws RangeError when `liveEventsMaxAgeMs` is below {@link MIN_LIVE_EVENT_RETENTION_MS}.
 */
export async function purgeExpired(db: Kysely<Database>, options: RetentionOptions = {}): Promise<PurgeResult> {
  const now = (options.now ?? new Date()).getTime();
  const eventsMaxAge = options.liveEventsMaxAgeMs ?? DEFAULT_LIVE_EVENT_RETENTION_MS;
  if (!(eventsMaxAge >= MIN_LIVE_EVENT_RETENTION_MS)) {
    throw new RangeError(`Live events must be kept at least ${MIN_LIVE_EVENT_RETENTION_MS / HOUR} hours; got ${eventsMaxAge} ms.`);
  }
  const credentialCutoff = new Date(now - (options.expiredGraceMs ?? DEFAULT_EXPIRED_CREDENTIAL_GRACE_MS)).toISOString();
  const eventCutoff = new Date(now - eventsMaxAge).toISOString();

  const accessTokens = await inBatches(async () => {
    const r = await db.deleteFrom('access_tokens').where('token_hash', 'in', (eb) => eb.selectFrom('access_tokens')
      .select('token_hash').where('expires_at', '<', credentialCutoff).limit(BATCH)).executeTakeFirst();
    return r.numDeletedRows;
  });
  const embedSessions = await inBatches(async () => {
    const r = await db.deleteFrom('embed_sessions').where('secret_hash', 'in', (eb) => eb.selectFrom('embed_sessions').select('secret_hash')
      .where((w) => w.or([w('expires_at', '<', credentialCutoff), w('used_at', '<', credentialCutoff)])).limit(BATCH)).executeTakeFirst();
    return r.numDeletedRows;
  });
  // Ids grow with time, so old events are the first ids: each batch reads from the start of the
  // table and stops after BATCH matches (occurred_at needs no index of its own).
  const liveEvents = await inBatches(async () => {
    const r = await db.deleteFrom('events').where('id', 'in', (eb) => eb.selectFrom('events as old').select('old.id')
      .where('old.occurred_at', '<', eventCutoff)
      .where((w) => w.or([
        w('old.room_id', 'is', null),
        w.exists(w.selectFrom('events as newer').select('newer.id').whereRef('newer.room_id', '=', 'old.room_id').whereRef('newer.id', '>', 'old.id')),
      ]))
      .orderBy('old.id').limit(BATCH)).executeTakeFirst();
    return r.numDeletedRows;
  });
  const idempotencyCutoff = new Date(now - IDEMPOTENCY_RETENTION_MS).toISOString();
  const idempotencyRecords = await inBatches(async () => {
    const r = await db.deleteFrom('idempotency').where((eb) => eb(eb.refTuple('principal', 'key'), 'in', eb.selectFrom('idempotency')
      .select(['principal', 'key']).where('created_at', '<', idempotencyCutoff).limit(BATCH).$asTuple('principal', 'key'))).executeTakeFirst();
    return r.numDeletedRows;
  });
  return { accessTokens, embedSessions, liveEvents, idempotencyRecords };
}

/** Options of {@link scheduleRetention}. */
export interface RetentionScheduleOptions extends Omit<RetentionOptions, 'now'> {
  /** How often a pass runs; hourly by default. */
  readonly everyMs?: number;
  /** Receives failures; `console.error` by default. */
  readonly onError?: (error: unknown) => void;
}

/**
 * Runs {@link purgeExpired} now and then every `everyMs`; the returned function stops it. The
 * timer is unref'd, so it never holds the process open. Options are checked at once.
 */
export function scheduleRetention(db: Kysely<Database>, options: RetentionScheduleOptions = {}): () => void {
  const { everyMs = HOUR, onError = (error: unknown) => console.error('[menteo] retention purge failed', error), ...retention } = options;
  if ((retention.liveEventsMaxAgeMs ?? DEFAULT_LIVE_EVENT_RETENTION_MS) < MIN_LIVE_EVENT_RETENTION_MS) {
    throw new RangeError(`Live events must be kept at least ${MIN_LIVE_EVENT_RETENTION_MS / HOUR} hours.`);
  }
  let running = false;
  const run = () => {
    // A slow pass (a large backlog on first start) is not overlapped by the next tick.
    if (running) return;
    running = true;
    purgeExpired(db, retention).catch(onError).finally(() => {
      running = false;
    });
  };
  const timer = setInterval(run, everyMs);
  (timer as { unref?: () => void }).unref?.();
  run();
  return () => clearInterval(timer);
}
