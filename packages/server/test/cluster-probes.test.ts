// /healthz and /readyz: liveness always answers; readiness needs the database and the live-event
// transport (on PostgreSQL, the LISTEN connection), and fails once a shutdown began.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { createApp } from '../src/app.js';
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
});
