/**
 * Periodic upkeep of the integrations, for long-running Node processes only (`menteo-server`):
 * purging expired LTI login states and nonces, rotating the tool's signing key, and retrying
 * milestone scores an LMS gradebook refused or could not be reached for. Never started
 * by `createApp`, which also runs in browsers and tests where timers would leak. With several
 * instances on one database, each job runs on one of them per period (`exclusive`: a lease).
 * @module
 */
import type { IntegrationsLoader } from './types.js';

/** Options of {@link scheduleIntegrationMaintenance}. */
export interface MaintenanceOptions {
  /** How often expired login states and nonces are purged; hourly by default. */
  readonly purgeEveryMs?: number;
  /** Rotate the signing key once the active one is this old; 90 days by default. */
  readonly rotateAfterMs?: number;
  /** How often the key's age is checked; daily by default (timers cannot wait 90 days). */
  readonly rotationCheckEveryMs?: number;
  /** How often failed gradebook posts are retried; every 15 minutes by default. */
  readonly retryScoresEveryMs?: number;
  /** Receives failures; `console.error` by default. */
  readonly onError?: (error: unknown) => void;
  /**
   * Runs a job only when this instance is the one to run it in this window (several instances on
   * one database: src/cluster/jobs.ts passes a lease). Without it every call runs the job.
   */
  readonly exclusive?: ExclusiveRunner;
}

/**
 * Runs `task` at most once per `windowMs` across every instance sharing the database (named by
 * `job`); resolves whether it ran here.
 */
export type ExclusiveRunner = (job: string, windowMs: number, task: () => Promise<void>) => Promise<boolean>;

/** Names of the maintenance jobs, as leases know them. */
export const INTEGRATION_JOBS = { purge: 'integrations.purge', rotate: 'integrations.rotate-keys', retryScores: 'integrations.retry-scores' } as const;

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

/** Starts the timers; the returned function stops them. Timers are unref'd so they never hold the process open. */
export function scheduleIntegrationMaintenance(load: IntegrationsLoader, options: MaintenanceOptions = {}): () => void {
  const onError = options.onError ?? ((error: unknown) => console.error('[menteo] integration maintenance failed', error));
  const rotateAfter = options.rotateAfterMs ?? 90 * DAY;

  const purge = async () => {
    const { tool } = await load();
    await tool?.purgeExpired();
  };
  const rotateIfDue = async () => {
    const { tool, store } = await load();
    if (!tool) return;
    const active = (await store.listToolKeys()).find((k) => k.status === 'active');
    // No active key yet: the first launch creates one, and its age starts then.
    const since = active?.activatedAt ?? active?.createdAt;
    if (since && Date.now() - Date.parse(since) >= rotateAfter) await tool.rotateKeys();
  };
  const retryScores = async () => {
    const { automation } = await load();
    await automation?.retryFailedScores();
  };
  const exclusive: ExclusiveRunner = options.exclusive ?? (async (_job, _windowMs, task) => {
    await task();
    return true;
  });
  const jobs: { name: string; everyMs: number; task: () => Promise<void> }[] = [
    { name: INTEGRATION_JOBS.purge, everyMs: options.purgeEveryMs ?? HOUR, task: purge },
    { name: INTEGRATION_JOBS.rotate, everyMs: options.rotationCheckEveryMs ?? DAY, task: rotateIfDue },
    { name: INTEGRATION_JOBS.retryScores, everyMs: options.retryScoresEveryMs ?? 15 * 60 * 1000, task: retryScores },
  ];
  const run = (job: (typeof jobs)[number]) => () => {
    exclusive(job.name, job.everyMs, job.task).catch(onError);
  };

  const timers = jobs.map((job) => setInterval(run(job), job.everyMs));
  for (const timer of timers) (timer as { unref?: () => void }).unref?.();
  // Once at start too: a server restarted daily would otherwise never reach its first check.
  for (const job of jobs) run(job)();
  return () => {
    for (const timer of timers) clearInterval(timer);
  };
}
