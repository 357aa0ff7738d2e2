/**
 * The long-running process's periodic jobs (retention purges, the integrations' upkeep: login
 * state purges, signing-key rotation, gradebook retries), each run by one instance per period
 * however many share the database: every instance's timers fire, and a lease per job
 * (src/cluster/lease.ts) lets one of them through. Started by `menteo-server serve`, never by
 * `createApp` (browsers and tests, where timers would leak).
 * @module
 */
import type { Kysely } from 'kysely';
import { INTEGRATION_JOBS, scheduleIntegrationMaintenance, type ExclusiveRunner, type MaintenanceOptions } from '../integrations/maintenance.js';
import type { IntegrationsLoader } from '../integrations/types.js';
import { purgeExpired, type RetentionOptions } from '../storage/retention.js';
import type { Database } from '../storage/schema.js';
import { instanceId, releaseLease, takeLease } from './lease.js';

const HOUR = 60 * 60 * 1000;

/** The retention purge's lease name. */
export const RETENTION_JOB = 'retention.purge';

/** Options of {@link scheduleClusterJobs}. */
export interface ClusterJobsOptions {
  readonly db: Kysely<Database>;
  /** This instance's lease owner id; a random one by default. */
  readonly owner?: string;
  /** The integrations whose upkeep runs (when they are mounted). */
  readonly integrations?: IntegrationsLoader;
  /** Their periods (tests shorten them). */
  readonly integrationPeriods?: Omit<MaintenanceOptions, 'onError' | 'exclusive'>;
  /** What the retention purge keeps. */
  readonly retention?: Omit<RetentionOptions, 'now'>;
  /** How often the retention purge runs; hourly by default. */
  readonly retentionEveryMs?: number;
  /** Receives failures; `console.error` by default. */
  readonly onError?: (error: unknown) => void;
  /** Told of every attempt and whether this instance ran it (tests, logs). */
  readonly onAttempt?: (job: string, ran: boolean) => void;
}

/** A lease-backed {@link ExclusiveRunner}: the job runs here only when this owner takes its lease for the window. */
export function leasedRunner(db: Kysely<Database>, owner: string, onAttempt?: (job: string, ran: boolean) => void): ExclusiveRunner {
  const running = new Set<string>();
  return async (job, windowMs, task) => {
    // A slow run (a large backlog on first start) is not overlapped by this instance's next tick.
    if (running.has(job)) return false;
    running.add(job);
    try {
      const ran = await takeLease(db, { name: job, owner, ttlMs: windowMs });
      if (ran) await task();
      onAttempt?.(job, ran);
      return ran;
    } finally {
      running.delete(job);
    }
  };
}

/**
 * Starts the periodic jobs; the returned function stops the timers and gives up this instance's
 * leases, so another instance need not wait for them to expire.
 */
export function scheduleClusterJobs(options: ClusterJobsOptions): () => Promise<void> {
  const { db, onError = (error: unknown) => console.error('[menteo] maintenance failed', error) } = options;
  const owner = options.owner ?? instanceId();
  const exclusive = leasedRunner(db, owner, options.onAttempt);
  const retentionEvery = options.retentionEveryMs ?? HOUR;
  const purge = () => {
    exclusive(RETENTION_JOB, retentionEvery, async () => {
      await purgeExpired(db, options.retention ?? {});
    }).catch(onError);
  };
  const timer = setInterval(purge, retentionEvery);
  (timer as { unref?: () => void }).unref?.();
  purge();
  const stopIntegrations = options.integrations
    ? scheduleIntegrationMaintenance(options.integrations, { ...options.integrationPeriods, onError, exclusive })
    : () => undefined;
  return async () => {
    clearInterval(timer);
    stopIntegrations();
    const names = [RETENTION_JOB, ...(options.integrations ? Object.values(INTEGRATION_JOBS) : [])];
    await Promise.all(names.map((name) => releaseLease(db, name, owner).catch(() => undefined)));
  };
}
