// /healthz and /readyz: liveness always answers; readiness needs the database and the live-event
// transport (on PostgreSQL, the LISTEN connection), and fails once a shutdown began.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createApp } from '../src/app.js';
import { DATABASE_CHECK_MS, readiness } from '../src/cluster/probes.js';
import { EventBus } from '../src/events/bus.js';
import { PostgresTransport } from '../src/events/postgres-transport.js';
import { freshPostgres, freshSqliteFile, stopTestPostgres } from './cluster-support.js';
import { freePort } from './support/child-server.js';

after(stopTestPostgres);

async function probe(app: { fetch: (r: Request) => Promise<Response> }, path: string): Promise<{ status: number; body: unknown; cache: string | null }> {
  const r = await app.fetch(new Request(`http://menteo.test${path}`));
  return { status: r.status, body: await r.json(), cache: r.headers.get('cache-control') };
}

describe('liveness and readiness', () => {
  test('SQLite: ready while serving; unready once shutting down; unready when the database fails; alive throughout', async () => {
    const file = await freshSqliteFile();
    const db = file.open();
    const app = createApp({ db });
    try {
      assert.deepEqual(await probe(app, '/healthz'), { status: 200, body: { status: 'ok' }, cache: 'no-store' });
      assert.deepEqual(await probe(app, '/readyz'), { status: 200, body: { status: 'ready', checks: { database: 'ok', liveEvents: 'ready' } }, cache: 'no-store' });
      app.bus.close();
      assert.deepEqual((await probe(app, '/readyz')).body, { status: 'unready', checks: { database: 'ok', liveEvents: 'closed' } });
      assert.equal((await probe(app, '/readyz')).status, 503);
      await db.destroy();
      const down = await probe(app, '/readyz');
      assert.equal(down.status, 503);
      assert.deepEqual(down.body, { status: 'unready', checks: { database: 'failed', liveEvents: 'closed' } });
      assert.equal((await probe(app, '/healthz')).status, 200);
    } finally {
      await file.drop();
    }
  });

  test('PostgreSQL: unready while the LISTEN connection cannot be made, ready once it is', async () => {
    const pgdb = await freshPostgres();
    const db = pgdb.open(2);
    // A port nothing listens on: the transport keeps trying.
    const nowhere = await freePort();
    const errors: unknown[] = [];
    const down = new PostgresTransport({ db, connection: `postgres://menteo@127.0.0.1:${nowhere}/postgres`, onError: (e) => errors.push(e), reconnectMs: { min: 20, max: 50 } });
    const unready = createApp({ db, bus: new EventBus({ transport: down }) });
    const up = new PostgresTransport({ db, connection: pgdb.url });
    const ready = createApp({ db, bus: new EventBus({ transport: up }) });
    try {
      // A pooled connection first: what this test checks is the LISTEN side, not how long opening
      // a connection takes on a loaded host (the database check gives up after 2 s).
      await sql`select 1`.execute(db);
      const r = await probe(unready, '/readyz');
      assert.equal(r.status, 503);
      assert.deepEqual(r.body, { status: 'unready', checks: { database: 'ok', liveEvents: 'connecting' } });
      await up.started;
      assert.equal((await probe(ready, '/readyz')).status, 200);
      while (errors.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    } finally {
      unready.bus.close();
      ready.bus.close();
      await pgdb.drop();
    }
  });

  test('PostgreSQL: a database that answered during a stalled event loop is not called failed', async () => {
    // On a loaded host the event loop can stall past the check's deadline while the answer sits
    // in the socket; timers run before sockets are read, so the deadline used to win.
    const pgdb = await freshPostgres();
    const db = pgdb.open(1);
    const bus = new EventBus();
    try {
      await sql`select 1`.execute(db);
      const checks = readiness(db, bus);
      // Let the query reach the server (promise and nextTick turns only, no event-loop turn).
      for (let i = 0; i < 100; i++) await Promise.resolve();
      const stalled = Date.now() + DATABASE_CHECK_MS + 300;
      while (Date.now() < stalled) {
        // A stalled event loop: the answer arrives, unread, and the deadline passes.
      }
      assert.deepEqual(await checks, { database: 'ok', liveEvents: 'ready' });
    } finally {
      bus.close();
      await pgdb.drop();
    }
  });
});
