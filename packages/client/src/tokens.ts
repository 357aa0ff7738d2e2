/**
 * The browser's access token: obtained by exchanging a single-use client secret, kept in memory
 * only (never storage, never a URL), refreshed shortly before it expires and after a 401.
 * @module
 */

/** What an exchange yields: the bearer token and its lifetime. */
export interface IssuedToken {
  accessToken: string;
  /** Seconds until expiry, as the server counts them. */
  expiresIn: number;
}

/** How a {@link TokenSource} gets a new token: fetch a client secret, exchange it. */
export type TokenExchange = (signal?: AbortSignal) => Promise<IssuedToken>;

interface Held {
  token: string;
  /** Local clock time (ms) after which the token is considered stale. */
  refreshAt: number;
}

/**
 * Holds one access token and refreshes it single-flight: however many requests find the token
 * stale at the same moment (or get a 401 together), exactly one exchange runs and all of them
 * wait for it. Each exchange spends a client secret from the host backend, so duplicates would
 * cost the host a round trip each and could trip its rate limits.
 */
export class TokenSource {
  readonly #exchange: TokenExchange;
  readonly #now: () => number;
  #held: Held | undefined;
  #inflight: Promise<string> | undefined;

  constructor(exchange: TokenExchange, now: () => number = Date.now) {
    this.#exchange = exchange;
    this.#now = now;
  }

  /** The current token, refreshing first when there is none or it is about to expire. */
  get(): Promise<string> {
    const held = this.#held;
    if (held && this.#now() < held.refreshAt) return Promise.resolve(held.token);
    return this.refresh();
  }

  /**
   * Gets a new token. With `stale` (the token a request was rejected with), a refresh that
   * another caller already completed is reused instead of starting a second one.
   */
  refresh(stale?: string): Promise<string> {
    if (stale !== undefined && this.#held && this.#held.token !== stale) return Promise.resolve(this.#held.token);
    if (this.#inflight) return this.#inflight;
    const started = this.#now();
    const run = this.#exchange().then(
      (issued) => {
        // Lifetime measured on the local clock from the moment we asked, so a skewed client clock
        // cannot make a fresh token look expired (or an expired one fresh).
        const lifetime = Math.max(0, issued.expiresIn * 1000);
        // Refresh a fifth of the lifetime early (at most a minute): long enough that a request
        // sent just before expiry does not arrive just after it.
        const margin = Math.min(60_000, lifetime / 5);
        this.#held = { token: issued.accessToken, refreshAt: started + lifetime - margin };
        this.#inflight = undefined;
        return issued.accessToken;
      },
      (error: unknown) => {
        this.#inflight = undefined;
        throw error;
      },
    );
    this.#inflight = run;
    return run;
  }

  /** Forgets the token (sign-out, or a credential the server no longer accepts). */
  clear(): void {
    this.#held = undefined;
  }
}
