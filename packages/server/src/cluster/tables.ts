/**
 * The tables that let several instances share one database (migration `010_cluster`). Their types
 * live here rather than in storage/schema.ts: only the cluster code reads them, through
 * {@link clusterDb}.
 * @module
 */
import { PostgresAdapter, type Kysely } from 'kysely';
import type { Database } from '../storage/schema.js';

/** One token bucket per rate-limit key, shared by every instance (src/http/rate-limit.ts). */
export interface RateLimitBucketsTable {
  key: string;
  tokens: number;
  /** Milliseconds since the epoch; PostgreSQL's bigint arrives as a string. */
  updated_ms: number | string;
  /** 1 when the last take was granted. */
  granted: number;
}

/** A named lease: who runs a job until when (src/cluster/lease.ts). */
export interface ClusterLeasesTable {
  name: string;
  owner: string;
  /** Milliseconds since the epoch; PostgreSQL's bigint arrives as a string. */
  expires_ms: number | string;
}

/** The cluster tables by name. */
export type ClusterTables = {
  rate_limit_buckets: RateLimitBucketsTable;
  cluster_leases: ClusterLeasesTable;
};

/** The database with the cluster tables in its type. */
export function clusterDb(db: Kysely<Database>): Kysely<Database & ClusterTables> {
  return db.withTables<ClusterTables>();
}

/** True when the database is PostgreSQL (the store several instances can share). */
export function isPostgres(db: Pick<Kysely<Database>, 'getExecutor'>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
