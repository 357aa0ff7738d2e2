/**
 * Rate limits: token buckets per credential (and per client IP for unauthenticated calls).
 *
 * - {@link RateLimiter} keeps them in memory: one instance (the SQLite default), no I/O per call.
 * - {@link SharedRateLimiter} keeps them in the database, one row per key taken with one atomic
 *   upsert, so N instances on one database grant one limit and not N times it. The default on
 *   PostgreSQL (see {@link rateLimiterFor}).
 *
 * Both answer the same way: 0 when a token was taken, else the whole seconds to wait.
 * @module
 */
import { sql, type Kysely } from 'kysely';
import { clusterDb, isPostgres } from '../cluster/tables.js';
import type { Database } from '../storage/schema.js';

/** A bucket's size and refill rate. */
export interface RateLimit {
  /** Requests allowed in a burst. */
  readonly capacity: number;
  /** Tokens added per second. */
  readonly refillPerSecond: number;
}

/** Something that takes tokens from buckets sharing one limit. */
export interface Limiter {
  /** Takes one token for `key`; resolves 0 when allowed, else the whole seconds to wait. */
  take(key: string): number | Promise<number>;
}

interface Bucket {
  tokens: number;
  updated: number;
}

/** Beyond this many buckets, full ones are dropped (they carry no information). */
const PRUNE_AT = 10_000;

/** The wait, in whole seconds, until a bucket holding `tokens` has one again. */
function waitSeconds(tokens: number, refillPerSecond: number): number {
  return Math.max(1, Math.ceil((1 - tokens) / refillPerSecond));
}

/** A set of token buckets sharing one limit, in this process's memory. */
export class RateLimiter implements Limiter {
  readonly #limit: RateLimit;
  readonly #buckets = new Map<string, Bucket>();
  readonly #clock: () => number;

  constructor(limit: RateLimit, clock: () => number = Date.now) {
    this.#limit = limit;
    this.#clock = clock;
  }

  /** Takes one token; returns 0 when allowed, else the whole seconds to wait. */
  take(key: string): number {
    const now = this.#clock();
    const { capacity, refillPerSecond } = this.#limit;
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      if (this.#buckets.size >= PRUNE_AT) this.#prune(now);
      bucket = { tokens: capacity, updated: now };
      this.#buckets.set(key, bucket);
    }
    bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.updated) / 1000) * refillPerSecond);
    bucket.updated = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return waitSeconds(bucket.tokens, refillPerSecond);
  }

  #prune(now: number): void {
    const { capacity, refillPerSecond } = this.#limit;
    for (const [key, bucket] of this.#buckets) {
      if (bucket.tokens + ((now - bucket.updated) / 1000) * refillPerSecond >= capacity) this.#buckets.delete(key);
    }
  }
}

/** One in this many takes also deletes rows of buckets idle long enough to be full again. */
const SHARED_PRUNE_EVERY = 1_000;
/** The shortest idle time after which a shared bucket's row is deleted. */
const PRUNE_IDLE_MS = 60 * 60 * 1000;

/**
 * Token buckets in the database (`rate_limit_buckets`), shared by every instance on it. A take is
 * one statement: an upsert that refills the row's bucket for the time elapsed, takes a token when
 * there is one, and returns what it decided, so two instances taking at once are serialized by the
 * row and never both take the last token. Clocks of instances differ by a little: elapsed time
 * never counts negative, so a slower clock cannot drain a bucket.
 */
export class SharedRateLimiter implements Limiter {
  readonly #db: Kysely<Database>;
  readonly #limit: RateLimit;
  readonly #clock: () => number;
  readonly #prefix: string;
  #takes = 0;

  /**
   * @param prefix separates limiters sharing the table (the app's credential and IP limits use
   *   distinct keys already; integrations pass their own).
   */
  constructor(db: Kysely<Database>, limit: RateLimit, options: { clock?: () => number; prefix?: string } = {}) {
    this.#db = db;
    this.#limit = limit;
    this.#clock = options.clock ?? Date.now;
    this.#prefix = options.prefix ?? '';
  }

  /** Takes one token; resolves 0 when allowed, else the whole seconds to wait. */
  async take(key: string): Promise<number> {
    const now = Math.floor(this.#clock());
    const { capacity, refillPerSecond } = this.#limit;
    const elapsed = sql`(case when cast(${now} as bigint) > rate_limit_buckets.updated_ms then cast(${now} as bigint) - rate_limit_buckets.updated_ms else 0 end)`;
    const refilled = sql`(rate_limit_buckets.tokens + ${elapsed} * cast(${refillPerSecond / 1000} as double precision))`;
    const available = sql`(case when ${refilled} > cast(${capacity} as double precision) then cast(${capacity} as double precision) else ${refilled} end)`;
    const { rows } = await sql<{ tokens: number | string; granted: number | string }>`
      insert into rate_limit_buckets (key, tokens, updated_ms, granted)
      values (${this.#prefix + key}, cast(${capacity - 1} as double precision), cast(${now} as bigint), 1)
      on conflict (key) do update set
        tokens = case when ${available} >= 1 then ${available} - 1 else ${available} end,
        granted = case when ${available} >= 1 then 1 else 0 end,
        updated_ms = case when cast(${now} as bigint) > rate_limit_buckets.updated_ms then cast(${now} as bigint) else rate_limit_buckets.updated_ms end
      returning tokens, granted`.execute(this.#db);
    if (++this.#takes % SHARED_PRUNE_EVERY === 0) void this.prune(now).catch(() => undefined);
    const row = rows[0];
    if (!row || Number(row.granted) === 1) return 0;
    return waitSeconds(Number(row.tokens), refillPerSecond);
  }

  /**
   * Deletes the rows of buckets idle long enough to be full again (they carry no information):
   * idle for the time a bucket takes to refill, and at least an hour, so another limiter's rows
   * in the table (a slower refill) are not cut short.
   */
  async prune(now: number = this.#clock()): Promise<void> {
    const fullAfterMs = Math.max(PRUNE_IDLE_MS, Math.ceil((this.#limit.capacity / this.#limit.refillPerSecond) * 1000));
    let query = clusterDb(this.#db).deleteFrom('rate_limit_buckets').where('updated_ms', '<', Math.floor(now) - fullAfterMs);
    if (this.#prefix !== '') query = query.where('key', 'like', `${this.#prefix}%`);
    await query.execute();
  }
}

/**
 * The limiter for a database: shared in the database when `shared` (by default when the database
 * is PostgreSQL, the store several instances share), in memory otherwise.
 */
export function rateLimiterFor(db: Kysely<Database>, limit: RateLimit, shared: boolean = isPostgres(db)): Limiter {
  return shared ? new SharedRateLimiter(db, limit) : new RateLimiter(limit);
}
