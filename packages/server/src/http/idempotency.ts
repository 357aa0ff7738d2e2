/**
 * `Idempotency-Key`: the first successful (2xx) answer of a (credential, key) pair is stored with a
 * hash of the request; a repeat returns it with `Idempotent-Replayed: true`, another request under
 * the same key is 422 `idempotency_mismatch`. After an error the key is free again, so a client
 * can fix the cause and retry with the same key.
 *
 * Two ways to hold a key:
 * - **In the request's transaction** ({@link claimInTransaction}, almost every operation): the
 *   claim, the handler's writes and the stored answer commit together or not at all. A crash at
 *   any point leaves either nothing (the retry runs the work once) or the whole result (the retry
 *   replays it); a concurrent duplicate waits for the first transaction and then replays it.
 * - **Claim, work, settle** ({@link claim} and {@link settle}): for operations that cannot run in
 *   one database transaction (the integration admin operations, which call learning platforms and
 *   write through the integrations' own store). A pending row claims the key; a crash leaves it
 *   pending, and after {@link ABANDONED_MS} the key is taken over and the work runs again. Each of
 *   those operations is safe to repeat (see `OUTSIDE_TRANSACTION`).
 *
 * Answers that carry a secret are never stored ({@link SECRET_ISSUING_OPERATIONS}): the record
 * keeps the status with `withheld = 1`, and a repeat answers 409 saying the secret was already
 * issued. Secrets are stored only as hashes, and a single-use secret is never handed out twice.
 * @module
 */
import type { Operation } from '@menteo/api/operation';
import type { Kysely, Transaction } from 'kysely';
import { sha256Hex } from '../auth/crypto.js';
import type { Database } from '../storage/schema.js';
import { ApiError } from './errors.js';

/** The request header. */
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
/** How long an idempotency record answers repeats of its request; older ones are purged. */
export const IDEMPOTENCY_RETENTION_MS = 24 * 3600 * 1000;
const RETENTION_MS = IDEMPOTENCY_RETENTION_MS;
/** A pending claim older than this is considered abandoned (a crashed instance) and taken over. */
const ABANDONED_MS = 60_000;
/** How long a concurrent duplicate waits for the first request to finish (claim-work-settle only). */
const WAIT_MS = 10_000;
const POLL_MS = 15;

/**
 * Operations whose success answer carries a secret (shown once, stored only as a hash). Their
 * idempotency records never keep the body. A test checks this list against the contract: every
 * operation whose response has a secret-bearing field must be here.
 */
export const SECRET_ISSUING_OPERATIONS: ReadonlySet<string> = new Set([
  'createApiKey', // mk_… API key
  'createEmbedSession', // mcs_… single-use client secret
  'exchangeToken', // mat_… access token
  'createScimToken', // mscim_… SCIM bearer token
  'createLtiInstallUrl', // a URL carrying a signed install token
  'createEmbedKey', // mek_… embed secret (private key)
]);

/**
 * Where the key of an operation is held. Streams hold none (a key on them means nothing and a
 * stream must not pin a transaction); the integration admin operations call other systems and
 * write through their own store, so they cannot join the request's transaction; an enrolment import
 * starts a job that outlives the request.
 */
export function idempotencyModeOf(op: Operation): 'none' | 'transaction' | 'claim-settle' {
  if (op.method === 'GET' || op.stream === true) return 'none';
  // An enrolment import starts a job that runs after the answer, on the server's database.
  if (op.id === 'createEnrolmentImport') return 'claim-settle';
  return op.path.startsWith('/v1/integrations/') ? 'claim-settle' : 'transaction';
}

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

/** Deletes expired records now and then (every 500 claims), outside any request's transaction. */
export async function purgeExpiredNowAndThen(db: Kysely<Database>): Promise<void> {
  if (++claims % 500 !== 0) return;
  await db.deleteFrom('idempotency').where('created_at', '<', new Date(Date.now() - RETENTION_MS).toISOString()).execute();
}

function withheldError(): ApiError {
  return new ApiError(
    'conflict',
    'This request was already answered with a secret, which is shown once and never stored, so it cannot be repeated. Send a new request with a new Idempotency-Key.',
    { field: IDEMPOTENCY_HEADER },
  );
}

function mismatchError(): ApiError {
  return new ApiError('idempotency_mismatch', 'This Idempotency-Key was used for a different request.', { field: IDEMPOTENCY_HEADER });
}

/**
 * Claims the key inside the request's transaction, as its first statement (so SQLite takes the
 * write lock before reading anything, and PostgreSQL makes a concurrent duplicate's insert wait
 * for this transaction). Returns the stored answer to replay when the key is already settled.
 */
export async function claimInTransaction(trx: Transaction<Database>, principal: string, key: string, hash: string): Promise<Claim> {
  for (;;) {
    const now = new Date();
    const inserted = await trx
      .insertInto('idempotency')
      .values({ principal, key, request_hash: hash, status: null, body: null, withheld: 0, created_at: now.toISOString() })
      .onConflict((oc) => oc.columns(['principal', 'key']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1) return { kind: 'claimed', principal, key };
    const row = await trx.selectFrom('idempotency').selectAll().where('principal', '=', principal).where('key', '=', key).executeTakeFirstOrThrow();
    const age = now.getTime() - Date.parse(row.created_at);
    // A pending row here is a claim-settle record of an earlier version that crashed mid-request.
    if (age > RETENTION_MS || (row.status === null && age > ABANDONED_MS)) {
      await trx.deleteFrom('idempotency').where('principal', '=', principal).where('key', '=', key).execute();
      continue;
    }
    if (row.request_hash !== hash) throw mismatchError();
    if (row.status === null) throw new ApiError('conflict', 'A request with this Idempotency-Key is still in progress.', { field: IDEMPOTENCY_HEADER });
    if (row.withheld === 1) throw withheldError();
    return { kind: 'replay', status: row.status, body: row.body };
  }
}

/** Stores the answer of a key claimed with {@link claimInTransaction}, in the same transaction. */
export async function storeInTransaction(trx: Transaction<Database>, claimed: { principal: string; key: string }, answer: StoredAnswer): Promise<void> {
  await trx.updateTable('idempotency').set(answer).where('principal', '=', claimed.principal).where('key', '=', claimed.key).execute();
}

/** What is kept of a successful answer. */
export interface StoredAnswer {
  readonly status: number;
  readonly body: string | null;
  readonly withheld: 0 | 1;
}

/** What to keep of a 2xx answer of `op`: nothing of its body when it carries a secret. */
export function storedAnswer(op: Operation, status: number, body: string | null): StoredAnswer {
  return SECRET_ISSUING_OPERATIONS.has(op.id) ? { status, body: null, withheld: 1 } : { status, body, withheld: 0 };
}

/** Claims the key for a claim-settle operation, or returns the stored answer to replay. */
export async function claim(db: Kysely<Database>, principal: string, key: string, hash: string): Promise<Claim> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const now = new Date();
    const inserted = await db
      .insertInto('idempotency')
      .values({ principal, key, request_hash: hash, status: null, body: null, withheld: 0, created_at: now.toISOString() })
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
    if (row.request_hash !== hash) throw mismatchError();
    if (row.status !== null) {
      if (row.withheld === 1) throw withheldError();
      return { kind: 'replay', status: row.status, body: row.body };
    }
    if (Date.now() > deadline) {
      throw new ApiError('conflict', 'A request with this Idempotency-Key is still in progress.', { field: IDEMPOTENCY_HEADER });
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Stores the answer of a claim-settle key (2xx), or releases the key (anything else). */
export async function settle(db: Kysely<Database>, claimed: { principal: string; key: string }, answer: StoredAnswer): Promise<void> {
  if (answer.status >= 200 && answer.status < 300) {
    await db.updateTable('idempotency').set(answer).where('principal', '=', claimed.principal).where('key', '=', claimed.key).execute();
  } else {
    await db.deleteFrom('idempotency').where('principal', '=', claimed.principal).where('key', '=', claimed.key).execute();
  }
}
