/**
 * Secrets and hashes. Web Crypto everywhere, so the app runs in browsers (msw) as well as Node;
 * where Node's own crypto is at hand, hashes use it: every authenticated request hashes its
 * bearer secret, and Web Crypto's `digest` (a promise and a hop to the thread pool) cost 7.6% of
 * a feed page's CPU against node:crypto's 1.4% (bench:server profiles, docs/benchmarks.md).
 * @module
 */

/** The part of node:crypto used here, typed locally so the browser build needs no Node types. */
interface NodeHash {
  createHash(algorithm: 'sha256'): { update(data: string, encoding: 'utf8'): { digest(encoding: 'hex'): string } };
}

/**
 * node:crypto when the runtime is Node (`process.getBuiltinModule`, Node ≥ 20.16), else
 * undefined. A lookup at run time rather than an import, so bundles for browsers carry no
 * reference to a Node module.
 */
const nodeCrypto: NodeHash | undefined = (() => {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  try {
    return proc?.getBuiltinModule?.('node:crypto') as NodeHash | undefined;
  } catch {
    return undefined;
  }
})();

/**
 * Lowercase hex SHA-256 of a string, synchronously where node:crypto is available (Node), else
 * undefined (browsers: use {@link sha256Hex}).
 */
export function sha256HexSync(value: string): string | undefined {
  return nodeCrypto?.createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Lowercase hex SHA-256 of a string. Secrets are long random values, so a plain hash suffices (no KDF). */
export async function sha256Hex(value: string): Promise<string> {
  const fast = sha256HexSync(value);
  if (fast !== undefined) return fast;
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
