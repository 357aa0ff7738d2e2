// Rate limits shared by instances: two app instances (each its own Node listener and connection
// pool) on one database grant one limit between them, not one each. On PostgreSQL the shared
// buckets are the default; on SQLite (one file, two processes' worth of connections) they are
// opted into. Requests go in parallel, so the instances take tokens at the same time.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { Kysely } from 'kysely';
import { createOrganization } from '../src/auth/bootstrap.js';
import { SharedRateLimiter } from '../src/http/rate-limit.js';
import { listen, type NodeServer } from '../src/node.js';
import type { Database } from '../src/storage/schema.js';
import { freshPostgres, freshSqliteFile, stopTestPostgres } from './cluster-support.js';

after(stopTestPostgres);

/** A burst of 10 that refills one token in about 17 minutes: no test run lasts long enough to see one. */
const LIMIT = { capacity: 10, refillPerSecond: 0.001 };

async function twoInstances(a: Kysely<Database>, b: Kysely<Database>, shared: boolean | undefined): Promise<NodeServer[]> {
  const options = { port: 0, hostname: '127.0.0.1', rateLimit: LIMIT, ipRateLimit: LIMIT, onError: () => undefined, ...(shared === undefined ? {} : { sharedRateLimits: shared }) };
  return Promise.all([listen({ ...options, db: a }), listen({ ...options, db: b })]);
}

/** 30 calls with one API key, alternating instances, all at once: how many were let through, and how many refused. */
async function burst(servers: NodeServer[], secret: string): Promise<{ ok: number; limited: number; retryAfter: Set<string> }> {
  const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => fetch(`${servers[i % 2]?.url}/v1/rooms`, { headers: { authorization: `Bearer ${secret}` } })));
  const retryAfter = new Set<string>();
  let ok = 0;
  let limited = 0;
  for (const r of answers) {
    await r.arrayBuffer();
    if (r.status === 200) ok++;
    else if (r.status === 429) {
      limited++;
      retryAfter.add(r.headers.get('retry-after') ?? 'none');
    } else assert.fail(`unexpected ${r.status}`);
  }
  return { ok, limited, retryAfter };
}

describe('rate limits across instances', () => {
  test('PostgreSQL: two instances on one database let 10 of 30 calls through, as one instance would (shared by default)', async () => {
    const pgdb = await freshPostgres();
    const servers = await twoInstances(pgdb.open(), pgdb.open(), undefined);
    try {
      const { apiKey } = await createOrganization(pgdb.open(1), { name: 'Acme' });
      const result = await burst(servers, apiKey.secret);
      assert.deepEqual({ ok: result.ok, limited: result.limited }, { ok: 10, limited: 20 });
      // The wait is what a bucket refilling 0.001 token per second needs for one token (less the
      // refill while the burst ran, which a slow machine makes a few seconds).
      for (const wait of result.retryAfter) assert.ok(Number(wait) > 900 && Number(wait) <= 1000, `Retry-After ${wait}`);
      // Unauthenticated calls are limited per IP across the instances too.
      const anonymous = await Promise.all(Array.from({ length: 30 }, (_, i) => fetch(`${servers[i % 2]?.url}/v1/rooms`, { headers: { authorization: 'Bearer mk_wrong' } })));
      const statuses = anonymous.map((r) => r.status);
      assert.equal(statuses.filter((s) => s === 401).length, 10, statuses.join(','));
      assert.equal(statuses.filter((s) => s === 429).length, 20);
    } finally {
      await Promise.all(servers.map((s) => s.close()));
      await pgdb.drop();
    }
  });

  test('SQLite file shared by two instances with sharedRateLimits: one limit', async () => {
    const file = await freshSqliteFile();
    const servers = await twoInstances(file.open(), file.open(), true);
    try {
      const { apiKey } = await createOrganization(file.open(), { name: 'Acme' });
      const result = await burst(servers, apiKey.secret);
      assert.deepEqual({ ok: result.ok, limited: result.limited }, { ok: 10, limited: 20 });
    } finally {
      await Promise.all(servers.map((s) => s.close()));
      await file.drop();
    }
  });

  test('in-memory buckets (the SQLite default) are per instance: what the shared ones fix', async () => {
    const file = await freshSqliteFile();
    const servers = await twoInstances(file.open(), file.open(), false);
    try {
      const { apiKey } = await createOrganization(file.open(), { name: 'Acme' });
      const result = await burst(servers, apiKey.secret);
      assert.deepEqual({ ok: result.ok, limited: result.limited }, { ok: 20, limited: 10 });
    } finally {
      await Promise.all(servers.map((s) => s.close()));
      await file.drop();
    }
  });

  test('a shared bucket refills with time and never beyond its burst; idle rows are pruned', async () => {
    const file = await freshSqliteFile();
    const db = file.open();
    try {
      let now = 1_000_000;
      const limiter = new SharedRateLimiter(db, { capacity: 3, refillPerSecond: 2 }, { clock: () => now });
      const takes = async (n: number) => {
        const out: number[] = [];
        for (let i = 0; i < n; i++) out.push(await limiter.take('k'));
        return out;
      };
      assert.deepEqual(await takes(4), [0, 0, 0, 1]);
      now += 1_000; // two tokens back
      assert.deepEqual(await takes(3), [0, 0, 1]);
      now += 3_600_000; // long idle: full (3), not 7,200
      assert.deepEqual(await takes(4), [0, 0, 0, 1]);
      // Another instance's clock a little behind does not drain the bucket or grant extra.
      now -= 500;
      assert.deepEqual(await takes(1), [1]);
      now += 3 * 3_600_000;
      await limiter.prune(now);
      const rows = await db.selectFrom('rate_limit_buckets' as never).selectAll().execute();
      assert.equal(rows.length, 0);
    } finally {
      await file.drop();
    }
  });
});
