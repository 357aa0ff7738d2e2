/**
 * An organization's embed keys: creating (rotating), listing and revoking them. Shared by the
 * admin API and the operator command line.
 *
 * **Why a key pair, not an HMAC secret.** Verifying an HMAC (HS256) token needs the secret
 * itself, so Menteo would have to keep it readable: it could not be hashed like API keys, and
 * encrypting it needs a master key this server does not have. With ES256 the host keeps the
 * private half (the "embed secret") and Menteo stores only the public half: a copy of Menteo's
 * database cannot sign a single embed URL, which is the property hashing gives API keys.
 * @module
 */
import type { Kysely } from 'kysely';
import { EMBED_ALGORITHM, type EmbedKey } from '@menteo/api/embed';
import { randomToken } from '../auth/crypto.js';
import type { Database } from '../storage/schema.js';
import { encodeEmbedSecret } from './secret.js';
import { embedDb, type EmbedKeysTable } from './tables.js';

/** How long the previous keys keep working after a rotation when the caller names nothing: 1 hour. */
export const DEFAULT_RETIRE_AFTER_SECONDS = 3600;

/** A new key's public description and its secret (shown once). */
export interface CreatedKey {
  readonly key: EmbedKey;
  readonly secret: string;
}

/** The public description of a stored key. */
export function embedKeyView(row: EmbedKeysTable): EmbedKey {
  return { id: row.id, label: row.label, algorithm: EMBED_ALGORITHM, createdAt: row.created_at, expiresAt: row.expires_at, revokedAt: row.revoked_at };
}

/** A key id: random, alphanumeric (base64url without `-` and `_`). */
function newKeyId(): string {
  let id = '';
  while (id.length < 24) id += randomToken(24).replace(/[-_]/g, '');
  return `embkey_${id.slice(0, 24)}`;
}

/**
 * Creates a key for the organization and gives its current keys `retireAfterSeconds` more
 * (keys already retiring sooner keep their earlier end). Web Crypto only, so the app keeps
 * running in browsers (the in-page mock).
 */
export async function createEmbedKey(db: Kysely<Database>, orgId: string, options: { label?: string | undefined; retireAfterSeconds?: number | undefined }, now: string): Promise<CreatedKey> {
  const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  const privateJwk = await crypto.subtle.exportKey('jwk', pair.privateKey);
  const publicJwk = await crypto.subtle.exportKey('jwk', pair.publicKey);
  const id = newKeyId();
  const retireAt = new Date(Date.parse(now) + (options.retireAfterSeconds ?? DEFAULT_RETIRE_AFTER_SECONDS) * 1000).toISOString();
  const row: EmbedKeysTable = {
    id,
    org_id: orgId,
    label: options.label ?? null,
    public_jwk: JSON.stringify({ kty: publicJwk.kty, crv: publicJwk.crv, x: publicJwk.x, y: publicJwk.y }),
    created_at: now,
    expires_at: null,
    revoked_at: null,
  };
  const edb = embedDb(db);
  await edb.transaction().execute(async (trx) => {
    await trx.updateTable('embed_keys').set({ expires_at: retireAt })
      .where('org_id', '=', orgId).where('revoked_at', 'is', null).where('expires_at', 'is', null).execute();
    await trx.updateTable('embed_keys').set({ expires_at: retireAt })
      .where('org_id', '=', orgId).where('revoked_at', 'is', null).where('expires_at', '>', retireAt).execute();
    await trx.insertInto('embed_keys').values(row).execute();
  });
  const secret = encodeEmbedSecret({ kid: id, iss: orgId, jwk: { kty: privateJwk.kty, crv: privateJwk.crv, x: privateJwk.x, y: privateJwk.y, d: privateJwk.d } });
  return { key: embedKeyView(row), secret };
}

/** The organization's keys, newest first; revoked ones too when `all`. */
export async function listEmbedKeys(db: Kysely<Database>, orgId: string, all = true): Promise<EmbedKey[]> {
  let q = embedDb(db).selectFrom('embed_keys').selectAll().where('org_id', '=', orgId);
  if (!all) q = q.where('revoked_at', 'is', null);
  return (await q.orderBy('created_at', 'desc').orderBy('id', 'desc').execute()).map(embedKeyView);
}

/** Revokes a key of the organization: `undefined` when unknown, the key (unchanged) when already revoked. */
export async function revokeEmbedKey(db: Kysely<Database>, orgId: string, keyId: string, now: string): Promise<{ key: EmbedKey; changed: boolean } | undefined> {
  const edb = embedDb(db);
  const row = await edb.selectFrom('embed_keys').selectAll().where('org_id', '=', orgId).where('id', '=', keyId).executeTakeFirst();
  if (!row) return undefined;
  if (row.revoked_at !== null) return { key: embedKeyView(row), changed: false };
  await edb.updateTable('embed_keys').set({ revoked_at: now }).where('id', '=', keyId).execute();
  return { key: embedKeyView({ ...row, revoked_at: now }), changed: true };
}
