/**
 * Platform public keys: fetched from the registration's JWKS URL, cached (in memory and in the
 * store, so several server instances share a fetch), and refetched once when a token names a
 * `kid` the cache does not know, because platforms rotate keys without notice.
 * @module
 */
import { importJWK, type JWK, type JWTHeaderParameters } from 'jose';
import type { LtiStore } from '../store.js';
import { LtiError, MESSAGES } from './errors.js';

/** Options of {@link createPlatformKeyResolver}. */
export interface PlatformKeyOptions {
  /** How long a fetched JWKS is trusted without refetching; 1 hour by default. */
  maxAgeMs?: number;
  /**
   * Minimum time between two refetches of the same URL caused by unknown `kid`s, so a stream of
   * forged tokens cannot make us hammer the platform; 10 seconds by default.
   */
  refetchCooldownMs?: number;
  /** The fetch to use (tests inject one to count calls). */
  fetch?: typeof fetch;
}

/** Finds the verification key of a token for a JWKS URL. */
export type PlatformKeyResolver = (jwksUrl: string, header: JWTHeaderParameters) => Promise<CryptoKey>;

function isJwks(value: unknown): value is { keys: JWK[] } {
  return typeof value === 'object' && value !== null && Array.isArray((value as { keys?: unknown }).keys);
}

/** Creates a resolver that implements the caching rules above. */
export function createPlatformKeyResolver(store: LtiStore, options: PlatformKeyOptions = {}): PlatformKeyResolver {
  const maxAge = options.maxAgeMs ?? 60 * 60 * 1000;
  const cooldown = options.refetchCooldownMs ?? 10_000;
  const doFetch = options.fetch ?? fetch;
  const memory = new Map<string, { keys: JWK[]; fetchedAt: number }>();

  async function download(jwksUrl: string): Promise<{ keys: JWK[]; fetchedAt: number }> {
    let body: unknown;
    try {
      const response = await doFetch(jwksUrl, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(10_000) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      body = await response.json();
    } catch (error) {
      throw new LtiError('platform_jwks_unreachable', MESSAGES.platformUnreachable, { jwksUrl, error: String(error) }, 502);
    }
    if (!isJwks(body)) throw new LtiError('platform_jwks_invalid', MESSAGES.invalidLaunch, { jwksUrl }, 502);
    const entry = { keys: body.keys, fetchedAt: Date.now() };
    memory.set(jwksUrl, entry);
    await store.putPlatformJwks(jwksUrl, JSON.stringify(body), new Date(entry.fetchedAt).toISOString());
    return entry;
  }

  async function cachedSet(jwksUrl: string): Promise<{ keys: JWK[]; fetchedAt: number } | undefined> {
    const inMemory = memory.get(jwksUrl);
    if (inMemory) return inMemory;
    const stored = await store.getPlatformJwks(jwksUrl);
    if (!stored) return undefined;
    const parsed: unknown = JSON.parse(stored.jwks);
    if (!isJwks(parsed)) return undefined;
    const entry = { keys: parsed.keys, fetchedAt: Date.parse(stored.fetchedAt) };
    memory.set(jwksUrl, entry);
    return entry;
  }

  return async (jwksUrl, header) => {
    const kid = header.kid;
    if (header.alg !== 'RS256') throw new LtiError('bad_alg', MESSAGES.invalidLaunch, { alg: header.alg });
    if (typeof kid !== 'string' || kid === '') throw new LtiError('missing_kid', MESSAGES.invalidLaunch, {});
    let set = await cachedSet(jwksUrl);
    let fresh = false;
    if (!set || Date.now() - set.fetchedAt > maxAge) {
      set = await download(jwksUrl);
      fresh = true;
    }
    let jwk = set.keys.find((k) => k.kid === kid);
    if (!jwk && !fresh && Date.now() - set.fetchedAt >= cooldown) {
      // The platform may have rotated its keys since we cached them: look once more.
      set = await download(jwksUrl);
      jwk = set.keys.find((k) => k.kid === kid);
    }
    if (!jwk) throw new LtiError('unknown_kid', MESSAGES.invalidLaunch, { kid, jwksUrl });
    if (jwk.kty !== 'RSA' || (jwk.alg !== undefined && jwk.alg !== 'RS256')) {
      throw new LtiError('bad_key', MESSAGES.invalidLaunch, { kid, kty: jwk.kty, alg: jwk.alg });
    }
    const key = await importJWK({ ...jwk, alg: 'RS256' }, 'RS256');
    if (!(key instanceof CryptoKey)) throw new LtiError('bad_key', MESSAGES.invalidLaunch, { kid });
    return key;
  };
}
