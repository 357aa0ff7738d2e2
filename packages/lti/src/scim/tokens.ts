/**
 * SCIM bearer tokens: one or more per organization, shown once at creation, stored as SHA-256
 * hashes (the token has 256 bits of randomness, so a fast hash is enough), revocable at once.
 * The server's admin API calls these functions.
 * @module
 */
import type { Kysely } from 'kysely';
import type { LtiDatabase } from '../db/schema.js';
import { randomId } from '../store.js';

async function sha256(value: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(value));
  return Buffer.from(digest).toString('hex');
}

/** A token's public record. */
export interface ScimTokenInfo {
  id: string;
  orgId: string;
  label: string | null;
  createdAt: string;
  revokedAt: string | null;
}

/** Creates a token for an organization. The plain `token` is returned once and never stored. */
export async function createScimToken(db: Kysely<LtiDatabase>, orgId: string, label: string | null = null): Promise<ScimTokenInfo & { token: string }> {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const token = `mscim_${Buffer.from(bytes).toString('base64url')}`;
  const info: ScimTokenInfo = { id: randomId('scimtok'), orgId, label, createdAt: new Date().toISOString(), revokedAt: null };
  await db.insertInto('lti_scim_tokens').values({ id: info.id, org_id: orgId, token_hash: await sha256(token), label, created_at: info.createdAt, revoked_at: null }).execute();
  return { ...info, token };
}

/** Revokes a token of the organization; false when there is no such active token. */
export async function revokeScimToken(db: Kysely<LtiDatabase>, orgId: string, id: string): Promise<boolean> {
  const result = await db
    .updateTable('lti_scim_tokens')
    .set({ revoked_at: new Date().toISOString() })
    .where('id', '=', id)
    .where('org_id', '=', orgId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Tokens of an organization, newest first. */
export async function listScimTokens(db: Kysely<LtiDatabase>, orgId: string): Promise<ScimTokenInfo[]> {
  const rows = await db.selectFrom('lti_scim_tokens').selectAll().where('org_id', '=', orgId).orderBy('created_at', 'desc').execute();
  return rows.map((r) => ({ id: r.id, orgId: r.org_id, label: r.label, createdAt: r.created_at, revokedAt: r.revoked_at }));
}

/** The organization and id of an active token, or undefined. */
export async function authenticateScimToken(db: Kysely<LtiDatabase>, token: string): Promise<{ orgId: string; tokenId: string } | undefined> {
  if (!token.startsWith('mscim_')) return undefined;
  const row = await db
    .selectFrom('lti_scim_tokens')
    .select(['org_id', 'id'])
    .where('token_hash', '=', await sha256(token))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row ? { orgId: row.org_id, tokenId: row.id } : undefined;
}
