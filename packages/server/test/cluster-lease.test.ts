// Maintenance jobs run once across instances: leases taken with one atomic upsert, on SQLite (two
// connections to one file) and PostgreSQL (two pools, real parallel connections). Times are
// passed in, never waited for.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { Kysely } from 'kysely';
import { leasedRunner, scheduleClusterJobs, RETENTION_JOB } from '../src/cluster/jobs.js';
import { runLeased, takeLease } from '../src/cluster/lease.js';
import { INTEGRATION_JOBS } from '../src/integrations/maintenance.js';
import type { Integrations } from '../src/integrations/types.js';
import type { Database } from '../src/storage/schema.js';
import { freshPostgres, freshSqliteFile, stopTestPostgres } from './cluster-support.js';

after(stopTestPostgres);

interface Store {
  name: string;
  /** Two instances' handles on one database, and cleanup. */
  open(): Promise<{ a: Kysely<Database>; b: Kysely<Database>; drop(): Promise<void> }>;
}

const stores: Store[] = [
  { name: 'sqlite', open: async () => {
    const file = await freshSqliteFile();
    return { a: file.open(), b: file.open(), drop: file.drop };
  } },
  { name: 'postgres', open: async () => {
    const pgdb = await freshPostgres();
    return { a: pgdb.open(), b: pgdb.open(), drop: pgdb.drop };
  } },
];

for (const store of stores) {
  describe(`leases on ${store.name}`, () => {
    test('two instances asking at once: exactly one holds the lease in each window; the holder renews within it; expiry hands it over', async () => {
      const { a, b, drop } = await store.open();
      try {
        const W = 60_000;
        const holders: string[] = [];
        for (let k = 0; k < 30; k++) {
          // Both ask at the same instant, in parallel, through their own connections.
          const now = 1_000_000 + k * W;
          const [ga, gb] = await Promise.all([
            takeLease(a, { name: 'job', owner: 'A', ttlMs: W, now }),
            takeLease(b, { name: 'job', owner: 'B', ttlMs: W, now: now + 1 }),
          ]);
          assert.equal(Number(ga) + Number(gb), 1, `window ${k}: exactly one instance holds the lease (A ${ga}, B ${gb})`);
          holders.push(ga ? 'A' : 'B');
        }
        // At a window's very end both may take it (it expired for both): who won is either. Within a
        // window the holder renews, the other is refused; once the holder stops, the other takes over.
        const holder = holders[holders.length - 1] as string;
        const other = holder === 'A' ? 'B' : 'A';
        const dbOf = (who: string) => (who === 'A' ? a : b);
        const last = 1_000_000 + 29 * W;
        assert.equal(await takeLease(dbOf(holder), { name: 'job', owner: holder, ttlMs: W, now: last + W / 2 }), true, 'the holder renews');
        assert.equal(await takeLease(dbOf(other), { name: 'job', owner: other, ttlMs: W, now: last + W / 2 + 1 }), false);
        assert.equal(await takeLease(dbOf(other), { name: 'job', owner: other, ttlMs: W, now: last + W + W / 2 - 1 }), false);
        assert.equal(await takeLease(dbOf(other), { name: 'job', owner: other, ttlMs: W, now: last + W + W / 2 }), true, 'expiry hands it over');
        assert.equal(await takeLease(dbOf(holder), { name: 'job', owner: holder, ttlMs: W, now: last + W + W / 2 + 1 }), false);
      } finally {
        await drop();
      }
    });

    test('a job run by two instances on the same timer runs once per window, never twice', async () => {
      const { a, b, drop } = await store.open();
      try {
        const W = 10_000;
        const runs = new Map<number, string[]>();
        for (let k = 0; k < 40; k++) {
          const now = 5_000_000 + k * W;
          const record = (who: string) => async () => {
            runs.set(k, [...(runs.get(k) ?? []), who]);
          };
          // The instances' timers drift: sometimes A fires first, sometimes B.
          const jitter = (k * 7919) % 997;
          await Promise.all([
            runLeased(a, { name: 'retry', owner: 'A', ttlMs: W, now: now + (k % 2 ? jitter : 0) }, record('A')),
            runLeased(b, { name: 'retry', owner: 'B', ttlMs: W, now: now + (k % 2 ? 0 : jitter) }, record('B')),
          ]);
        }
        for (let k = 0; k < 40; k++) assert.equal(runs.get(k)?.length, 1, `window ${k} ran ${JSON.stringify(runs.get(k))}`);
      } finally {
        await drop();
      }
    });

    test('two instances scheduling the maintenance jobs: each job runs on one of them', async () => {
      const { a, b, drop } = await store.open();
      try {
        const ran: Record<string, number> = {};
        const count = (job: string) => async () => {
          ran[job] = (ran[job] ?? 0) + 1;
        };
        // The integrations' upkeep, counted (a real LTI tool would also need a platform).
        const integrations = async () => ({
          tool: { purgeExpired: count(INTEGRATION_JOBS.purge), rotateKeys: count(INTEGRATION_JOBS.rotate) },
          store: { listToolKeys: async () => [{ status: 'active', createdAt: '2000-01-01T00:00:00.000Z', activatedAt: null }] },
          automation: { retryFailedScores: count(INTEGRATION_JOBS.retryScores) },
        }) as unknown as Integrations;
        const attempts: { job: string; ran: boolean }[] = [];
        let settle: () => void = () => undefined;
        const allAttempted = new Promise<void>((resolve) => {
          settle = resolve;
        });
        const onAttempt = (job: string, didRun: boolean) => {
          attempts.push({ job, ran: didRun });
          if (attempts.length === 8) settle();
        };
        const stops = [a, b].map((db, i) => scheduleClusterJobs({
          db, owner: `instance-${i}`, integrations, onAttempt, retention: {},
          onError: (error) => assert.fail(String(error)),
        }));
        // Each instance tries the four jobs once at start: 8 attempts.
        await allAttempted;
        for (const job of [RETENTION_JOB, ...Object.values(INTEGRATION_JOBS)]) {
          assert.equal(attempts.filter((x) => x.job === job && x.ran).length, 1, `${job} ran once: ${JSON.stringify(attempts)}`);
        }
        assert.deepEqual(ran, { [INTEGRATION_JOBS.purge]: 1, [INTEGRATION_JOBS.rotate]: 1, [INTEGRATION_JOBS.retryScores]: 1 });
        // Stopping gives the leases up, so the other instance takes over without waiting.
        await Promise.all(stops.map((stop) => stop()));
        const runner = leasedRunner(b, 'instance-1');
        assert.equal(await runner(RETENTION_JOB, 60_000, async () => undefined), true);
      } finally {
        await drop();
      }
    });
  });
}
