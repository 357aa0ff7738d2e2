// PostgreSQL restarts and administrators terminate connections (pg_terminate_backend, a failover,
// `drop database … with (force)`): the server must survive it. node-postgres emits 'error' on a
// client whose backend goes away while it is not running a query, and an 'error' event nobody
// listens to throws: the process would exit. These tests terminate the app's backends and check
// that the process keeps running (an uncaught exception fails this file) and the server answers
// again after a retry. Waits are bounded and named by what they wait for, never timing assertions.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Message } from '@menteo/api';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../src/storage/schema.js';
import { dataIds, openLive, readyOf } from './live-support.js';
import type { TestServer } from './support/server.js';
import { buildWorld, tokenFor, type World } from './support/world.js';
import { freshPostgres, startInstances, stopTestPostgres, type Instance, type PgDatabase } from './cluster-support.js';

let pgdb: PgDatabase;
let admin: Kysely<Database>;

before(async () => {
  pgdb = await freshPostgres();
  admin = pgdb.open(1);
});
after(async () => {
  await pgdb?.drop();
  await stopTestPostgres();
});

/** Waits (bounded, polling) until `check` holds. */
async function until(what: string, check: () => Promise<boolean> | boolean, attempts = 500): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.fail(`gave up waiting for ${what}`);
}

/** Terminates every backend on the test database but the one asking; returns how many. */
async function terminateAll(): Promise<number> {
  const r = await sql<{ n: number }>`select count(*)::int as n from (select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()) t`.execute(admin);
  return r.rows[0]?.n ?? 0;
}

const backendGone = async (pid: number) => (await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where pid = ${pid}`.execute(admin)).rows[0]?.n === 0;

describe('connections terminated by the database', () => {
  test('a pooled connection terminated while checked out between two queries does not crash the process', async () => {
    // Inside a transaction, a connection is checked out of the pool, which then listens to none
    // of its errors: this is where a termination used to escape as an uncaught 'error'.
    const db = pgdb.open(2);
    try {
      await assert.rejects(db.transaction().execute(async (trx) => {
        const pid = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx)).rows[0]!.pid;
        await sql`select pg_terminate_backend(${pid})`.execute(admin);
        await until('the backend to exit', () => backendGone(pid));
        // Let the FATAL message and the socket's end reach the client while no query runs.
        for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
        await sql`select 1`.execute(trx);
      }));
      // The broken connection left the pool: the next query gets a fresh one.
      assert.equal((await sql<{ one: number }>`select 1 as one`.execute(db)).rows[0]?.one, 1);
    } finally {
      await db.destroy();
    }
  });

  describe('a running server', () => {
    let node: Instance;
    let w: World;
    let mentee: string;
    const asServer = (i: Instance) => i as unknown as TestServer;

    before(async () => {
      [node] = (await startInstances(pgdb.url, 1)) as [Instance];
      w = await buildWorld(asServer(node));
      mentee = await tokenFor(asServer(node), w.mentee.id);
    });
    after(async () => node?.close());

    /** Posts a message with plain fetch: while backends die an answer may be an error, not a throw. */
    const post = (body: string) => fetch(`${node.url}/v1/rooms/${w.room.id}/messages`, {
      method: 'POST', headers: { authorization: `Bearer ${mentee}`, 'content-type': 'application/json' }, body: JSON.stringify({ body }),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as Message }));

    test('terminating all its backends, idle and busy, leaves it answering after a retry', async () => {
      const stream = await openLive(asServer(node), mentee, [{ topic: `room:${w.room.id}` }]);
      await readyOf(stream);
      // Several rounds: writes in flight (transactions holding connections) while every backend of
      // the database, the pool's and the LISTEN connection's, is terminated.
      let terminated = 0;
      for (let round = 0; round < 5; round++) {
        const writes = Array.from({ length: 8 }, (_, i) => post(`round ${round} write ${i}`));
        terminated += await terminateAll();
        const answers = await Promise.all(writes);
        for (const a of answers) assert.ok(a.status === 201 || a.status >= 500, `a write answered ${a.status}`);
      }
      assert.ok(terminated > 0, 'backends were terminated');
      // Still the same process, still answering: a write succeeds after a retry.
      let written: Message | undefined;
      await until('a write to succeed', async () => {
        const r = await post('after the terminations');
        if (r.status === 201) written = r.body;
        return r.status === 201;
      });
      await until('readiness (database and LISTEN connection back)', async () => (await fetch(`${node.url}/readyz`)).status === 200);
      // Live events flow again: a new stream receives what is written now.
      const again = await openLive(asServer(node), mentee, [{ topic: `room:${w.room.id}` }]);
      await readyOf(again);
      const r = await post('live again');
      assert.equal(r.status, 201);
      await again.until('the message written after the terminations', () => dataIds(again).includes(r.body.id));
      assert.ok(written);
      stream.close();
      again.close();
    });
  });
});
