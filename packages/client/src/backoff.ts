/**
 * Retry timing, shared by request retries and live-event reconnects. Pure functions of their
 * inputs (randomness and the clock are parameters) so they can be tested without waiting.
 * @module
 */

/** How retries are paced. */
export interface BackoffOptions {
  /** Delay ceiling of the first retry in milliseconds (300 by default). */
  baseDelay?: number;
  /** No single delay grows beyond this, in milliseconds (10 000 by default). */
  maxDelay?: number;
  /** Source of randomness in [0, 1); `Math.random` by default. Tests pass a fixed one. */
  random?: () => number;
}

/** Default first-retry ceiling. */
export const DEFAULT_BASE_DELAY = 300;
/** Default cap of one delay. */
export const DEFAULT_MAX_DELAY = 10_000;

/**
 * The exponential ceiling of retry number `attempt` (1 for the first retry):
 * `min(maxDelay, baseDelay · 2^(attempt-1))`.
 */
export function exponentialCeiling(attempt: number, options: BackoffOptions = {}): number {
  const base = options.baseDelay ?? DEFAULT_BASE_DELAY;
  const max = options.maxDelay ?? DEFAULT_MAX_DELAY;
  return Math.min(max, base * 2 ** Math.max(0, attempt - 1));
}

/**
 * "Full jitter" (AWS architecture blog, 2015): a uniformly random delay between 0 and the
 * exponential ceiling. Spreading retries over the whole window is what keeps many widgets that
 * failed together (a server restart) from all coming back in the same millisecond.
 */
export function fullJitter(ceiling: number, random: () => number = Math.random): number {
  return Math.floor(random() * ceiling);
}

/** The delay before retry number `attempt` (1-based): full jitter over the exponential ceiling. */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  return fullJitter(exponentialCeiling(attempt, options), options.random);
}

/**
 * Parses a `Retry-After` header (RFC 9110 §10.2.3): either delay seconds or an HTTP date.
 * Returns milliseconds to wait (0 for a date in the past), or `undefined` when absent or invalid.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // Only date-looking values: `Date.parse` accepts odd strings such as "1" on some engines.
  if (!/[a-z]/i.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}
