/**
 * Creating an organization with its first API key: for seeds, demos and tests (there is no HTTP
 * endpoint for it; tenants are provisioned by the operator).
 * @module
 */
import type { ApiKey, Organization } from '@menteo/api/people';
import { SCOPES, type Scope } from '@menteo/api/scopes';
import type { Kysely, Transaction } from 'kysely';
import { newId } from '../storage/ids.js';
import { json } from '../storage/json.js';
import type { Database } from '../storage/schema.js';
import { randomToken, SECRET_PREFIX, sha256Hex } from './crypto.js';

/** Input of {@link createOrganization}. */
export interface NewOrganization {
  readonly name: string;
  /** Origins allowed to embed the widgets, e.g. `https://intranet.example.com`. */
  readonly allowedOrigins?: readonly string[];
  /** Name of the first API key; `bootstrap` by default. */
  readonly keyName?: string;
  /** Scopes of the first API key; every scope by default. */
  readonly scopes?: readonly Scope[];
}

/** The organization and its first API key with the secret (shown once). */
export interface CreatedOrganization {
  readonly organization: Organization;
  readonly apiKey: { readonly key: ApiKey; readonly secret: string };
}

/** Creates an API key row and returns its public description and secret. */
export async function insertApiKey(db: Kysely<Database> | Transaction<Database>, orgId: string, name: string, scopes: readonly Scope[], now: string): Promise<{ key: ApiKey; secret: string }> {
  const secret = SECRET_PREFIX.apiKey + randomToken(32);
  const id = newId('key');
  const prefix = secret.slice(0, 10);
  const unique = [...new Set(scopes)];
  await db.insertInto('api_keys').values({
    id, org_id: orgId, name, prefix, secret_hash: await sha256Hex(secret), scopes: json(unique), created_at: now, last_used_at: null, revoked_at: null,
  }).execute();
  return { key: { id, name, prefix, scopes: unique, createdAt: now, lastUsedAt: null, revokedAt: null }, secret };
}

/** Replaces an organization's allowed origins (stored lowercase: browsers send them so). */
export async function setAllowedOrigins(db: Kysely<Database> | Transaction<Database>, orgId: string, origins: readonly string[]): Promise<string[]> {
  const unique = [...new Set(origins.map((o) => o.toLowerCase()))];
  await db.deleteFrom('allowed_origins').where('org_id', '=', orgId).execute();
  if (unique.length > 0) {
    await db.insertInto('allowed_origins').values(unique.map((origin, position) => ({ org_id: orgId, origin, position }))).execute();
  }
  return unique;
}

/** Creates an organization and its first API key (every scope unless told otherwise). */
export async function createOrganization(db: Kysely<Database>, input: NewOrganization): Promise<CreatedOrganization> {
  const now = new Date().toISOString();
  return db.transaction().execute(async (trx) => {
    const id = newId('org');
    await trx.insertInto('organizations').values({ id, name: input.name, created_at: now }).execute();
    const allowedOrigins = await setAllowedOrigins(trx, id, input.allowedOrigins ?? []);
    const apiKey = await insertApiKey(trx, id, input.keyName ?? 'bootstrap', input.scopes ?? SCOPES, now);
    return { organization: { id, name: input.name, allowedOrigins, adminContentAccess: false, createdAt: now }, apiKey };
  });
}
