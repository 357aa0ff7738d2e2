/**
 * Secrets and hashes on Web Crypto, so the app runs in browsers (msw) as well as Node.
 * @module
 */

/** Lowercase hex SHA-256 of a string. Secrets are long random values, so a plain hash suffices (no KDF). */
export async function sha256Hex(value: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(value));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** `bytes` random bytes as base64url text. */
export function randomToken(bytes = 32): string {
  const buf = new Uint8Array(bytes);
  crypto.getRandomValues(buf);
  let binary = '';
  for (const b of buf) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Secret prefixes, so a leaked string says what it is (and secret scanners can match it). */
export const SECRET_PREFIX = { apiKey: 'mk_', clientSecret: 'mcs_', accessToken: 'mat_' } as const;
