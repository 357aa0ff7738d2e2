/**
 * Minting embed sessions: the single-use client secret a browser exchanges at `POST /v1/tokens`.
 * Shared by `POST /v1/embed-sessions` (a host backend with its API key) and LTI launches (the
 * integrations' `MenteoHost`), so both produce exactly the same kind of secret, stored the same way.
 * @module
 */
import { COMPONENTS, type Component, type Scope } from '@menteo/api/scopes';
import type { Kysely, Transaction } from 'kysely';
import { json } from '../storage/json.js';
import type { Database } from '../storage/schema.js';
import { randomToken, SECRET_PREFIX, sha256Hex } from './crypto.js';

/** Lifetime of a client secret when the caller names none: minutes, since it is single-use. */
export const DEFAULT_SECRET_TTL_SECONDS = 300;

/** What one embed session grants. The caller has already checked the person, rooms and scopes. */
export interface EmbedSessionGrant {
  readonly orgId: string;
  readonly personId: string;
  readonly scopes: readonly Scope[];
  /** Rooms the session is limited to; `undefined` for no limit. */
  readonly roomIds?: readonly string[] | undefined;
  /** Widgets the session is limited to; every component when `undefined`. */
  readonly components?: readonly Component[] | undefined;
  /** Lifetime of the client secret; {@link DEFAULT_SECRET_TTL_SECONDS} by default. */
  readonly ttlSeconds?: number | undefined;
  /** The API key minting it: revoking the key revokes the secret and the token it becomes. */
  readonly apiKeyId?: string | undefined;
}

/** A minted client secret (shown once; only its hash is stored). */
export interface MintedSecret {
  readonly clientSecret: string;
  readonly expiresAt: string;
}

/** Stores a new embed session and returns its client secret. */
export async function insertEmbedSession(db: Kysely<Database> | Transaction<Database>, grant: EmbedSessionGrant, now: string): Promise<MintedSecret> {
  const secret = SECRET_PREFIX.clientSecret + randomToken(32);
  const expiresAt = new Date(Date.parse(now) + (grant.ttlSeconds ?? DEFAULT_SECRET_TTL_SECONDS) * 1000).toISOString();
  await db.insertInto('embed_sessions').values({
    secret_hash: await sha256Hex(secret),
    org_id: grant.orgId,
    person_id: grant.personId,
    scopes: json([...new Set(grant.scopes)]),
    room_ids: grant.roomIds ? json([...new Set(grant.roomIds)]) : null,
    components: json(grant.components ? [...new Set(grant.components)] : COMPONENTS),
    expires_at: expiresAt,
    used_at: null,
    created_at: now,
    api_key_id: grant.apiKeyId ?? null,
  }).execute();
  return { clientSecret: secret, expiresAt };
}

/** The index of the first room id that is not a room of the organization, or -1. */
export async function firstUnknownRoom(db: Kysely<Database> | Transaction<Database>, orgId: string, roomIds: readonly string[]): Promise<number> {
  if (roomIds.length === 0) return -1;
  const found = await db.selectFrom('rooms').select('id').where('org_id', '=', orgId).where('id', 'in', [...new Set(roomIds)]).execute();
  const known = new Set(found.map((r) => r.id));
  return roomIds.findIndex((id) => !known.has(id));
}
