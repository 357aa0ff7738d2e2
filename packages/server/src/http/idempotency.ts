/**
 * `Idempotency-Key`: the first response of a (credential, key) pair is stored with a hash of the
 * request; a replay returns it with `Idempotent-Replayed: true`, another request under the same key
 * is 422 `idempotency_mismatch`. A pending row claims the key before the work starts, and the
 * primary key makes concurrent duplicates wait for the first instead of creating a second resource.
 *
 * Only successful (2xx) responses are kept: after an error the key is released, so a client can
 * fix the cause and retry with the same key.
 * @module
 */
import type { Kysely } from 'kysely';
import { sha256Hex } from '../auth/crypto.js';
import type { Database } from '../storage/schema.js';
import { ApiError } from './errors.js';

/** The request header. */
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
/** Keys are kept this long. */
const RETENTION_MS = 24 * 3600 * 1000;
/** A pending claim older than this is considered abandoned (a crashed instance) and taken over. */
const ABANDONED_MS = 60_000;
/** How long a concurrent duplicate waits for the first request to finish. */
const WAIT_MS = 10_000;
const POLL_MS = 15;

/** The outcome of claiming a key. */
export type Claim =
  | { readonly kind: 'claimed'; readonly principal: string; readonly key: string }
  | { readonly kind: 'replay'; readonly status: number; readonly body: string | null };

/** Validates the header value; undefined when absent. */
export function idempotencyKeyOf(request: Request): string | undefined {
  const value = request.headers.get(IDEMPOTENCY_HEADER);
  if (value === null) return undefined;
  if (!/^[\x21-\x7e]{1,200}$/.test(value)) {
    throw new ApiError('invalid_request', 'Idempotency-Key must be 1–200 visible ASCII characters.', { field: IDEMPOTENCY_HEADER });
  }
  return value;
}

/** Hash of what makes two requests "the same": method, path with query, acting person and body. */
export async function requestHash(request: Request, body: unknown): Promise<string> {
  const url = new URL(request.url);
  return sha256Hex([request.method, url.pathname + url.search, request.headers.get('menteo-act-as') ?? '', JSON.stringify(body ?? null)].join('\n'));
}

let claims = 0;

/** Claims the key for this request, or returns the stored response to replay. */
export async function claim(db: Kysely<Database>, principal: string, key: string, hash: string): Promise<Claim> {
  if (++claims % 500 === 0) {
    await db.deleteFrom('idempotency').where('created_at', '<', new Date(Date.now() - RETENTION_MS).toISOString()).execute();
  }
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const now = new Date();
    const inserted = await db
      .insertInto('idempotency')
      .values({ principal, key, request_hash: hash, status: null, body: null, created_at: now.toISOString() })
      .onConflict((oc) => oc.columns(['principal', 'key']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1) return { kind: 'claimed', principal, key };
    const row = await db.selectFrom('idempotency').selectAll().where('principal', '=', principal).where('key', '=', key).executeTakeFirst();
    if (!row) continue; // released between our insert and select: try again
    const age = now.getTime() - Date.parse(row.created_at);
    if (age > RETENTION_MS || (row.status === null && age > ABANDONED_MS)) {
      await db.deleteFrom('idempotency').where('principal', '=', principal).where('key', '=', key).where('created_at', '=', row.created_at).execute();
      continue;
    }
    if (row.request_hash !== hash) {
      throw new ApiError('idempotency_mismatch', 'This Idempotency-Key was used for a different request.', { field: IDEMPOTENCY_HEADER });
    }
    if (row.status !== null) return { kind: 'replay', status: row.status, body: row.body };
    if (Date.now() > deadline) {
      throw new ApiError('conflict', 'A request with this Idempotency-Key is still in progress.', { field: IDEMPOTENCY_HEADER });
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Stores the response of a claimed key (2xx), or releases the key (anything else). */
export async function settle(db: Kysely<Database>, claimed: { principal: string; key: string }, status: number, body: string | null): Promise<void> {
  const where = db.updateTable('idempotency').where('principal', '=', claimed.principal).where('key', '=', claimed.key);
  if (status >= 200 && status < 300) {
    await where.set({ status, body }).execute();
  } else {
    await db.deleteFrom('idempotency').where('principal', '=', claimed.principal).where('key', '=', claimed.key).execute();
  }
}
