/**
 * The embed secret's text form. One string a host keeps in its secret store, like an API key:
 * `mek_` and the base64url JSON of `{ kid, iss, jwk }`, the private P-256 key as a JWK with the
 * key id and the organization it signs for. Carrying `kid` and `iss` means a host's signing
 * code needs the secret alone.
 * @module
 */

/** Prefix of embed secrets, so a leaked string says what it is (and secret scanners can match it). */
export const EMBED_SECRET_PREFIX = 'mek_';

/** What an embed secret holds. */
export interface EmbedSecret {
  /** The key id (`embkey_…`), sent as the JWT header's `kid`. */
  readonly kid: string;
  /** The organization id, sent as `iss`. */
  readonly iss: string;
  /** The private key (EC P-256). */
  readonly jwk: JsonWebKey;
}

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(value: string): string {
  const binary = atob(value.replace(/-/g, '+').replace(/_/g, '/'));
  return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

/** The text form of a secret. */
export function encodeEmbedSecret(secret: EmbedSecret): string {
  return EMBED_SECRET_PREFIX + toBase64Url(JSON.stringify(secret));
}

/** Reads a secret's text form; throws a `TypeError` naming what is wrong (never echoing the secret). */
export function decodeEmbedSecret(text: string): EmbedSecret {
  if (!text.startsWith(EMBED_SECRET_PREFIX)) throw new TypeError('Not a Menteo embed secret: it starts with mek_.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(fromBase64Url(text.slice(EMBED_SECRET_PREFIX.length).trim()));
  } catch {
    throw new TypeError('The Menteo embed secret is damaged: copy it again from where it was created.');
  }
  if (typeof parsed !== 'object' || parsed === null) throw new TypeError('The Menteo embed secret is damaged.');
  const { kid, iss, jwk } = parsed as Record<string, unknown>;
  if (typeof kid !== 'string' || typeof iss !== 'string' || typeof jwk !== 'object' || jwk === null || (jwk as JsonWebKey).d === undefined) {
    throw new TypeError('The Menteo embed secret is damaged: copy it again from where it was created.');
  }
  return { kid, iss, jwk: jwk as JsonWebKey };
}
