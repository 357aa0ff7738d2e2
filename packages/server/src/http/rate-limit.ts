/**
 * Token buckets per credential (and per client IP for unauthenticated calls), in memory. Several
 * instances each keep their own buckets; a shared limit needs a shared store (e.g. Redis).
 * @module
 */

/** A bucket's size and refill rate. */
export interface RateLimit {
  /** Requests allowed in a burst. */
  readonly capacity: number;
  /** Tokens added per second. */
  readonly refillPerSecond: number;
}

interface Bucket {
  tokens: number;
  updated: number;
}

/** Beyond this many buckets, full ones are dropped (they carry no information). */
const PRUNE_AT = 10_000;

/** A set of token buckets sharing one limit. */
export class RateLimiter {
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
    return Math.max(1, Math.ceil((1 - bucket.tokens) / refillPerSecond));
  }

  #prune(now: number): void {
    const { capacity, refillPerSecond } = this.#limit;
    for (const [key, bucket] of this.#buckets) {
      if (bucket.tokens + ((now - bucket.updated) / 1000) * refillPerSecond >= capacity) this.#buckets.delete(key);
    }
  }
}
