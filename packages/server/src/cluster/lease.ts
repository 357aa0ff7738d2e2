/**
 * Leases: one instance at a time runs a job, whatever the number of instances on the database.
 * A lease is a row (`cluster_leases`: name, owner, expiry) taken with one atomic upsert, so two
 * instances asking at once cannot both get it, on SQLite and on PostgreSQL alike. An owner that
 * dies simply stops renewing: its lease expires and another instance takes over.
 * @module
 */
import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema.js';
import { clusterDb } from './tables.js';

/** Who asks for a lease, and for how long. */
export interface LeaseRequest {
  /** The job's name (one lease per name). */
  readonly name: string;
  /** This instance's id (stable for the process's life). */
  readonly owner: string;
  /** How long the lease is held, in ms. */
  readonly ttlMs: number;
  /** The present in ms since the epoch; `Date.now()` by default (tests pass their own). */
  readonly now?: number;
}

/**
 * Takes or renews the lease: true when `owner` holds it now, until `now + ttlMs`. It is granted
 * when nobody holds it, when it expired, or when `owner` already holds it (a renewal).
 */
export async function takeLease(db: Kysely<Database>, request: LeaseRequest): Promise<boolean> {
  const now = Math.floor(request.now ?? Date.now());
  const expires = now + Math.max(1, Math.floor(request.ttlMs));
  const row = await clusterDb(db).insertInto('cluster_leases')
    .values({ name: request.name, owner: request.owner, expires_ms: expires })
    .onConflict((oc) => oc.column('name')
      .doUpdateSet({ owner: request.owner, expires_ms: expires })
      .where((eb) => eb.or([eb('cluster_leases.expires_ms', '<=', now), eb('cluster_leases.owner', '=', request.owner)])))
    .returning('owner')
    .executeTakeFirst();
  return row?.owner === request.owner;
}

/** Gives the lease up at once (only when `owner` holds it), so another instance need not wait for its expiry. */
export async function releaseLease(db: Kysely<Database>, name: string, owner: string): Promise<void> {
  await clusterDb(db).deleteFrom('cluster_leases').where('name', '=', name).where('owner', '=', owner).execute();
}

/**
 * Runs `task` when this instance gets the job's lease for the window (`ttlMs`) starting now,
 * and answers whether it ran. The lease is kept, not released, after the task: the other
 * instances' timers fire within the same window too, and must find it held. So across all
 * instances a job runs at most once per window; while its owner lives it keeps renewing it, and
 * when the owner dies the first instance to ask after the window takes over.
 */
export async function runLeased(db: Kysely<Database>, request: LeaseRequest, task: () => Promise<void>): Promise<boolean> {
  if (!(await takeLease(db, request))) return false;
  await task();
  return true;
}

/** A random id for this process, used as the owner of its leases. */
export function instanceId(): string {
  return `inst_${crypto.randomUUID()}`;
}
