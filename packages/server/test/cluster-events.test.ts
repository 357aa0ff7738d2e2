// Live events across instances on one PostgreSQL database (LISTEN/NOTIFY carrying event ids):
// two real Node servers in this process, each with its own pool, bus and LISTEN connection. A
// write through one instance reaches subscribers of the other; a stream resumed on the other
// instance misses nothing and repeats nothing; a LISTEN connection cut and re-established catches
// up; access changes made on one instance end streams on the other. Waits are bounded and named,
// never timing assertions.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CreatedApiKey, Message, Person } from '@menteo/api';
import { sql } from 'kysely';
import { createOrganization } from '../src/auth/bootstrap.js';
import { PostgresTransport } from '../src/events/postgres-transport.js';
import { insertEvent, storedFromRow } from '../src/events/store.js';
import { listen } from '../src/node.js';
import { OpenApiValidator } from './support/openapi.js';
import { dataIds, openLive, readyOf, type Reader } from './live-support.js';
import type { TestServer } from './support/server.js';
import { buildWorld, expectStatus, person, tokenFor, type World } from './support/world.js';
import { freshPostgres, freshSqliteFile, startInstances, stopTestPostgres, type Instance, type PgDatabase } from './cluster-support.js';

let pgdb: PgDatabase;
let a: Instance;
let b: Instance;
let w: World;
let mentee: string;

/** The instances as the shared test helpers type a server (they only use url, call and the validator). */
const asServer = (i: Instance) => i as unknown as TestServer;

before(async () => {
  pgdb = await freshPostgres();
  [a, b] = (await startInstances(pgdb.url, 2)) as [Instance, Instance];
  w = await buildWorld(asServer(a));
  mentee = await tokenFor(asServer(a), w.mentee.id);
});
after(async () => {
  await Promise.all([a?.close(), b?.close()]);
  await pgdb?.drop();
  await stopTestPostgres();
});

async function message(through: Instance, body: string, auth = mentee): Promise<Message> {
  const r = await through.call<Message>('POST', `/v1/rooms/${w.room.id}/messages`, { auth, body: { body } });
  expectStatus({ ...r, text: r.text }, 201);
  return r.body;
}

async function endReason(reader: Reader): Promise<string> {
  await reader.until('live.end', () => reader.ended() && reader.controls().some((f) => f.event === 'live.end'));
  return String(reader.controls().find((f) => f.event === 'live.end')?.data.reason);
}

function transportOf(i: Instance): PostgresTransport {
  const t = i.node.app.bus.transport;
  assert.ok(t instanceof PostgresTransport, 'a PostgreSQL server runs the PostgreSQL transport');
  return t;
}

describe('live events across two instances', () => {
  test('a write through A reaches a subscriber on B, and one on A, once each and in order', async () => {
    const onB = await openLive(asServer(b), mentee, [{ topic: `room:${w.room.id}` }]);
    const onA = await openLive(asServer(a), mentee, [{ topic: `room:${w.room.id}` }]);
    await Promise.all([readyOf(onB), readyOf(onA)]);
    const sent: string[] = [];
    for (let i = 0; i < 10; i++) sent.push((await message(i % 3 === 0 ? b : a, `hello ${i}`)).id);
    for (const reader of [onB, onA]) {
      await reader.until('the 10 messages', () => sent.every((id) => dataIds(reader).includes(id)));
      const got = dataIds(reader).filter((id) => sent.includes(id));
      assert.deepEqual(got, sent, 'each once, in commit order');
      const ids = reader.events().map((f) => Number(f.id));
      assert.deepEqual(ids, [...ids].sort((x, y) => x - y), 'event ids increase');
    }
    onA.close();
    onB.close();
  });

  test('a stream resumed on the other instance misses nothing and repeats nothing', async () => {
    const first = await openLive(asServer(a), mentee, [{ topic: `room:${w.room.id}` }]);
    await readyOf(first);
    const before = [await message(a, 'one'), await message(b, 'two')].map((m) => m.id);
    await first.until('the first two', () => before.every((id) => dataIds(first).includes(id)));
    const lastSeen = first.events().at(-1)?.id as string;
    first.close();
    // Written while nobody listened, through both instances.
    const missed: string[] = [];
    for (let i = 0; i < 12; i++) missed.push((await message(i % 2 ? a : b, `while away ${i}`)).id);
    const resumed = await openLive(asServer(b), mentee, [{ topic: `room:${w.room.id}` }], { 'last-event-id': lastSeen });
    await readyOf(resumed);
    const live = (await message(a, 'after resuming')).id;
    await resumed.until('the missed messages and the live one', () => [...missed, live].every((id) => dataIds(resumed).includes(id)));
    assert.deepEqual(dataIds(resumed), [...missed, live], 'every message after the last seen, once, in order');
    resumed.close();
  });

  test('a LISTEN connection cut: the instance reconnects, reads what it missed, and restarts its streams', async () => {
    const tb = transportOf(b);
    const reconnects = tb.reconnects;
    const stream = await openLive(asServer(b), mentee, [{ topic: `room:${w.room.id}` }]);
    await readyOf(stream);
    const seen = await message(a, 'before the cut');
    await stream.until('the message before the cut', () => dataIds(stream).includes(seen.id));
    await tb.dropConnectionForTest();
    // Written through A while B is (probably) not listening: B must still learn of them.
    const during: string[] = [];
    for (let i = 0; i < 5; i++) during.push((await message(a, `during the gap ${i}`)).id);
    // Access notices sent in the gap would be lost: B's streams start over (they resume at once).
    assert.equal(await endReason(stream), 'shutdown');
    assert.ok(tb.reconnects > reconnects);
    const resumed = await openLive(asServer(b), mentee, [{ topic: `room:${w.room.id}` }], { 'last-event-id': stream.events().at(-1)?.id as string });
    await readyOf(resumed);
    const afterGap = (await message(a, 'after the gap')).id;
    await resumed.until('the gap and after', () => [...during, afterGap].every((id) => dataIds(resumed).includes(id)));
    assert.deepEqual(dataIds(resumed), [...during, afterGap]);
    // B's own position caught up with the database.
    const max = await pgdb.open(1).selectFrom('events').select((eb) => eb.fn.max('id').as('max')).executeTakeFirstOrThrow();
    await resumed.until('B to catch up', () => tb.lastDelivered === Number(max.max));
    resumed.close();
  });

  test('access changes made on A end streams on B: deactivation, key revocation, removal from the room', async () => {
    const p: Person = await person(asServer(a), 'Dana Deactivated');
    expectStatus({ ...(await a.call('POST', `/v1/rooms/${w.room.id}/members`, { body: { personId: p.id, role: 'mentee' } })), text: '' }, 201);
    const personStream = await openLive(asServer(b), await tokenFor(asServer(a), p.id), [{ topic: `room:${w.room.id}` }]);
    await readyOf(personStream);
    expectStatus({ ...(await a.call('PATCH', `/v1/people/${p.id}`, { body: { active: false } })), text: '' }, 200);
    assert.equal(await endReason(personStream), 'person_deactivated');

    const key = await a.call<CreatedApiKey>('POST', '/v1/api-keys', { body: { name: 'Old backend' } });
    const keyStream = await openLive(asServer(b), key.body.secret, [{ topic: `room:${w.room.id}` }]);
    await readyOf(keyStream);
    expectStatus({ ...(await a.call('DELETE', `/v1/api-keys/${key.body.key.id}`)), text: '' }, 200);
    assert.equal(await endReason(keyStream), 'token_revoked');

    const q: Person = await person(asServer(a), 'Rex Removed');
    expectStatus({ ...(await a.call('POST', `/v1/rooms/${w.room.id}/members`, { body: { personId: q.id, role: 'mentee' } })), text: '' }, 201);
    const member = await openLive(asServer(b), await tokenFor(asServer(a), q.id), [{ topic: `room:${w.room.id}` }]);
    await readyOf(member);
    expectStatus({ ...(await a.call('DELETE', `/v1/rooms/${w.room.id}/members/${q.id}`)), text: '' }, 200);
    const after = await message(a, 'after the removal');
    await member.until('the room topic to close', () => member.controls().some((f) => f.event === 'live.topic-closed'));
    assert.equal(member.controls().find((f) => f.event === 'live.topic-closed')?.data.status, 'forbidden');
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(!dataIds(member).includes(after.id));
    member.close();
  });

  test('event ids commit in id order: a write waits for the transaction that holds an earlier event id', async () => {
    // A transaction that wrote an event (id X) and has not committed yet.
    const db = pgdb.open(2);
    let commit: () => void = () => undefined;
    const release = new Promise<void>((resolve) => {
      commit = resolve;
    });
    let heldId = 0;
    let inserted: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => {
      inserted = resolve;
    });
    const held = db.transaction().execute(async (trx) => {
      const event = await insertEvent(trx, { orgId: a.orgId, event: { type: 'room.updated', occurredAt: new Date().toISOString(), roomId: null, data: {} } as never });
      heldId = event.id;
      inserted();
      await release;
    });
    await ready;
    // A write through the API meanwhile must not commit an event with a larger id before X
    // commits: a stream resumed after it would never see X. It waits on the event-order lock.
    let done = false;
    const write = message(b, 'behind the open transaction').then((m) => {
      done = true;
      return m;
    });
    const probe = pgdb.open(1);
    for (let i = 0; ; i++) {
      const waiting = await sql<{ n: number }>`select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted`.execute(probe);
      if (waiting.rows[0]?.n === 1) break;
      assert.ok(!done, 'the write committed while an earlier event id was still uncommitted');
      assert.ok(i < 500, 'the write never waited for the event-order lock');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.equal(done, false);
    commit();
    await held;
    const written = await write;
    const rows = await probe.selectFrom('events').select(['id', 'data']).where('id', '>=', heldId).orderBy('id').execute();
    assert.equal(Number(rows[0]?.id), heldId);
    assert.ok(rows.slice(1).some((r) => String(r.data).includes(written.id)), 'the waiting write got a larger id');
  });

  test('readiness: /readyz is ready with the LISTEN connection up, /healthz answers', async () => {
    for (const i of [a, b]) {
      const ready = await fetch(`${i.url}/readyz`);
      assert.equal(ready.status, 200);
      assert.deepEqual(await ready.json(), { status: 'ready', checks: { database: 'ok', liveEvents: 'ready' } });
      const live = await fetch(`${i.url}/healthz`);
      assert.equal(live.status, 200);
      assert.equal(live.headers.get('cache-control'), 'no-store');
    }
  });
});

describe('a live copy arriving after the replay that carried it', () => {
  test('is sent once', async () => {
    // Two instances on one SQLite file with in-process buses: B hears of A's commits only when
    // told, which is how a notification that trails its commit looks to B's hub.
    const file = await freshSqliteFile();
    const [na, nb] = await Promise.all([file.open(), file.open()].map((db) => listen({ port: 0, hostname: '127.0.0.1', db, rateLimit: false, ipRateLimit: false, heartbeatMs: 200 })));
    try {
      const { apiKey } = await createOrganization(file.open(), { name: 'Acme' });
      const doc = (await (await fetch(`${na!.url}/v1/openapi.json`)).json()) as Record<string, unknown>;
      const validator = new OpenApiValidator(doc);
      const server = (url: string) => ({ url, validator, db: file.open(), apiKey: apiKey.secret, call: async (method: string, path: string, req: { body?: unknown; auth?: string | null } = {}) => {
        const r = await fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${req.auth ?? apiKey.secret}`, 'content-type': 'application/json' }, body: req.body === undefined ? undefined : JSON.stringify(req.body) });
        const text = await r.text();
        return { status: r.status, headers: r.headers, body: text ? JSON.parse(text) : undefined, text };
      } }) as unknown as TestServer;
      const sa = server(na!.url);
      const sb = server(nb!.url);
      const world = await buildWorld(sa);
      const token = await tokenFor(sa, world.mentee.id);
      const post = async (body: string) => (await sa.call<Message>('POST', `/v1/rooms/${world.room.id}/messages`, { auth: token, body: { body } })).body;
      const since = (await file.open().selectFrom('events').select((eb) => eb.fn.max('id').as('max')).executeTakeFirstOrThrow()).max;
      const m1 = await post('committed before the stream opened');
      const stream = await openLive(sb, token, [{ topic: `room:${world.room.id}`, since: String(since) }]);
      await stream.until('the replay', () => dataIds(stream).includes(m1.id));
      // Now B hears of m1 (late), then of m2.
      const tell = async () => {
        const rows = await file.open().selectFrom('events').selectAll().where('id', '>', Number(since)).orderBy('id').execute();
        return rows.map(storedFromRow);
      };
      const [e1] = await tell();
      nb!.app.bus.publish(e1!);
      const m2 = await post('after');
      for (const e of (await tell()).slice(1)) nb!.app.bus.publish(e);
      await stream.until('the next message', () => dataIds(stream).includes(m2.id));
      assert.deepEqual(dataIds(stream), [m1.id, m2.id], 'the replayed message is not sent again');
      stream.close();
    } finally {
      await Promise.all([na!.close(), nb!.close()]);
      await file.drop();
    }
  });
});
