/**
 * Signing embed URLs, for host backends. Needs nothing but `jose` and the embed secret: no
 * database, no server. A host that does not use Node can do the same in a few lines of any JWT
 * library (see docs/embedding.md for the claims).
 * @module
 */
import { EMBED_ALGORITHM, EMBED_AUDIENCE, EMBED_MAX_TTL_SECONDS } from '@menteo/api/embed';
import type { Component, Scope } from '@menteo/api/scopes';
import { decodeEmbedSecret } from './secret.js';

/** What one embed URL shows, and to whom. */
export interface EmbedUrlClaims {
  /** The embed secret (`mek_…`) from `menteo-server embed-keys create` or `POST /v1/embed/keys`. */
  readonly secret: string;
  /** The Menteo server's public URL, e.g. `https://menteo.example.com`. */
  readonly baseUrl: string;
  /** The widget to show: `room`, `roadmap`, `feed`, `check-in` or `feedback`. */
  readonly component: Component;
  /** The person viewing: their external id (your HR id), or their Menteo id (`per_…`). */
  readonly person: string;
  /**
   * Rooms the session is limited to. The first is the room the widget shows; `room`, `roadmap`,
   * `check-in` and `feedback` need one, `feed` shows the person's feed without.
   */
  readonly roomIds?: readonly string[];
  /** What the person may do; a member's reading and writing scopes when absent. */
  readonly scopes?: readonly Scope[];
  /** Lifetime of the URL, seconds: at most 300 (the default) since it only has to reach the frame. */
  readonly ttlSeconds?: number;
  /** The clock, for tests; `Date.now()` by default. */
  readonly now?: () => number;
}

/** A signed embed token (the `token` of an embed URL). Throws a `TypeError` on a bad secret or TTL. */
export async function signEmbedToken(claims: Omit<EmbedUrlClaims, 'baseUrl'>): Promise<string> {
  const secret = decodeEmbedSecret(claims.secret);
  const ttl = claims.ttlSeconds ?? EMBED_MAX_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > EMBED_MAX_TTL_SECONDS) throw new TypeError(`ttlSeconds must be an integer from 1 to ${EMBED_MAX_TTL_SECONDS}.`);
  // Loaded here, not at the top: `@menteo/server` is also imported by the in-browser app (msw),
  // which never signs and should not fetch jose.
  const { importJWK, SignJWT } = await import('jose');
  const key = await importJWK(secret.jwk, EMBED_ALGORITHM);
  const iat = Math.floor((claims.now?.() ?? Date.now()) / 1000);
  return new SignJWT({
    component: claims.component,
    ...(claims.roomIds ? { roomIds: [...claims.roomIds] } : {}),
    ...(claims.scopes ? { scopes: [...claims.scopes] } : {}),
  })
    .setProtectedHeader({ alg: EMBED_ALGORITHM, kid: secret.kid, typ: 'JWT' })
    .setIssuer(secret.iss)
    .setSubject(claims.person)
    .setAudience(EMBED_AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttl)
    .setJti(crypto.randomUUID())
    .sign(key);
}

/**
 * A signed embed URL, `<baseUrl>/embed/<component>?token=…`, for one person, valid once and for
 * at most five minutes: sign it when the host page is requested, never in advance.
 *
 * ```ts
 * import { signEmbedUrl } from '@menteo/server';
 * const url = await signEmbedUrl({ secret: process.env.MENTEO_EMBED_SECRET, baseUrl: 'https://menteo.example.com',
 *   component: 'room', person: user.hrId, roomIds: [roomId] });
 * ```
 */
export async function signEmbedUrl(claims: EmbedUrlClaims): Promise<string> {
  const token = await signEmbedToken(claims);
  const url = new URL(`embed/${encodeURIComponent(claims.component)}`, claims.baseUrl.replace(/\/+$/, '') + '/');
  url.searchParams.set('token', token);
  return url.toString();
}
