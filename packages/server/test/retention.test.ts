// Retention against the REAL server and its SQLite file: credentials and live events are made
// through the API, aged by moving their stored timestamps back, then one purge pass runs
// directly. Rows older than the cutoff go, newer ones stay, and a stream resuming from a kept
// event id still replays everything after it. Also the email index LTI's personMatch uses.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AccessToken, EmbedSession, Message, Person, Room } from '@menteo/api';
import { purgeExpired, MIN_LIVE_EVENT_RETENTION_MS } from '../src/storage/retention.js';
import { startServer, type TestServer } from './support/server.js';
import { queryPlan } from './support/store.js';
import { expectStatus, person } from './support/world.js';
import { openLegacy } from './live-support.js';

const DAY = 24 * 60 * 60 * 1000;

let server: TestServer;
let mentor: Person;
let room: Room;
let quietRoom: Room;

function daysAgo(days: number, from = Date.now()): string {
  return new Date(from - days * DAY).toISOString();
}

async function postMessage(roomId: string, body: string): Promise<Message> {
  const r = await server.call<Message>('POST', `/v1/rooms/${roomId}/messages`, { body: { body }, actAs: mentor.id });
  expectStatus(r, 201);
  return r.body;
}

async function eventIds(): Promise<number[]> {
  return (await server.db.selectFrom('events').select('id').orderBy('id').execute()).map((r) => Number(r.id));
}

before(async () => {
  server = await startServer();
  mentor = await person(server, 'Mia Mentor', ['mentor']);
  const make = async (title: string) => {
    const r = await server.call<Room>('POST', '/v1/rooms', { body: { title, purpose: 'Retention', members: [{ personId: mentor.id, role: 'mentor' }] } });
    expectStatus(r, 201);
    return r.body;
  };
  room = await make('Busy room');
  quietRoom = await make('Quiet room');
});

after(async () => {
  await server.close();
});

describe('purgeExpired', () => {
  it('deletes access tokens and client secrets past expiry (or use) and the grace, keeps the rest', async () => {
    const session = async () => {
      const s = await server.call<EmbedSession>('POST', '/v1/embed-sessions', { body: { personId: mentor.id } });
      expectStatus(s, 201);
      return s.body.clientSecret;
    };
    const exchange = async (clientSecret: string) => {
      const t = await server.call<AccessToken>('POST', '/v1/tokens', { auth: null, body: { clientSecret } });
      expectStatus(t, 200);
      return t.body.accessToken;
    };
    const oldToken = await exchange(await session());
    const freshToken = await exchange(await session());
    const unusedFresh = await session();
    const unusedOld = await session();
    // Age: the first token expired two days ago, the first secret was used and the last one expired two days ago.
    const tokens = await server.db.selectFrom('access_tokens').select(['token_hash', 'created_at']).orderBy('created_at').execute();
    assert.equal(tokens.length, 2);
    await server.db.updateTable('access_tokens').set({ expires_at: daysAgo(2) }).where('token_hash', '=', tokens[0]!.token_hash).execute();
    const used = await server.db.selectFrom('embed_sessions').select(['secret_hash', 'used_at']).where('used_at', 'is not', null).orderBy('created_at').execute();
    assert.equal(used.length, 2);
    await server.db.updateTable('embed_sessions').set({ used_at: daysAgo(2) }).where('secret_hash', '=', used[0]!.secret_hash).execute();
    const unused = await server.db.selectFrom('embed_sessions').select('secret_hash').where('used_at', 'is', null).orderBy('created_at').execute();
    await server.db.updateTable('embed_sessions').set({ expires_at: daysAgo(2) }).where('secret_hash', '=', unused[1]!.secret_hash).execute();

    const result = await purgeExpired(server.db);
    assert.equal(result.accessTokens, 1);
    assert.equal(result.embedSessions, 2);
    assert.equal((await server.call('GET', '/v1/me', { auth: oldToken })).status, 401);
    expectStatus(await server.call('GET', '/v1/me', { auth: freshToken }), 200);
    // The unexpired secret still works; the purged one is unknown.
    await exchange(unusedFresh);
    expectStatus(await server.call('POST', '/v1/tokens', { auth: null, body: { clientSecret: unusedOld } }), 401, 'unauthenticated');
    assert.equal((await server.db.selectFrom('access_tokens').select('token_hash').execute()).length, 2, 'the fresh token and the new one stay');
  });

  it('deletes live events past retention except each room\'s latest; a stream resumes within the window', async () => {
    const before = await eventIds();
    const old = [await postMessage(room.id, 'old one'), await postMessage(room.id, 'old two'), await postMessage(quietRoom.id, 'quiet, last words')];
    const oldIds = (await eventIds()).filter((id) => !before.includes(id));
    assert.equal(oldIds.length, old.length);
    const recent = [await postMessage(room.id, 'recent one'), await postMessage(room.id, 'recent two')];
    const recentIds = (await eventIds()).filter((id) => !before.includes(id) && !oldIds.includes(id));
    await server.db.updateTable('events').set({ occurred_at: daysAgo(8) }).where('id', 'in', [...before, ...oldIds]).execute();
    // Six days old: inside the default week.
    await server.db.updateTable('events').set({ occurred_at: daysAgo(6) }).where('id', '=', recentIds[0]!).execute();
    const health = async () => {
      const r = await server.call<{ items: { roomId: string; lastActivityAt: string | null }[] }>('GET', '/v1/program/health');
      expectStatus(r, 200);
      return r.body.items.find((h) => h.roomId === quietRoom.id)?.lastActivityAt;
    };
    const quietActivity = await health();

    const result = await purgeExpired(server.db);
    const left = await eventIds();
    // The quiet room's only old event is its latest: kept, so program health still knows it.
    const quietLatest = oldIds[2]!;
    assert.deepEqual(left, [quietLatest, ...recentIds]);
    assert.equal(result.liveEvents, before.length + 2);
    assert.equal(await health(), quietActivity, "the quiet room's last activity is unchanged");

    // A client that last saw the six-day-old event resumes and gets the one after it.
    const token = await (async () => {
      const s = await server.call<EmbedSession>('POST', '/v1/embed-sessions', { body: { personId: mentor.id } });
      const t = await server.call<AccessToken>('POST', '/v1/tokens', { auth: null, body: { clientSecret: s.body.clientSecret } });
      return t.body.accessToken;
    })();
    const stream = await openLegacy(server, `/v1/rooms/${room.id}/events`, token, { 'last-event-id': String(recentIds[0]) });
    try {
      await stream.until('the replay', () => stream.events().length >= 1);
      assert.deepEqual(stream.events().map((f) => f.id), [String(recentIds[1])]);
      assert.equal((stream.events()[0]!.data.data as { id: string }).id, recent[1]!.id);
    } finally {
      stream.close();
    }
  });

  it('deletes idempotency records older than 24 hours, and only those', async () => {
    const write = (key: string) => server.call('POST', `/v1/rooms/${quietRoom.id}/messages`, { body: { body: key }, actAs: mentor.id, headers: { 'idempotency-key': key } });
    expectStatus(await write('old-key'), 201);
    expectStatus(await write('new-key'), 201);
    await server.db.updateTable('idempotency').set({ created_at: daysAgo(2) }).where('key', '=', 'old-key').execute();
    const result = await purgeExpired(server.db);
    assert.equal(result.idempotencyRecords, 1);
    const keys = (await server.db.selectFrom('idempotency').select('key').execute()).map((r) => r.key);
    assert.ok(keys.includes('new-key') && !keys.includes('old-key'), keys.join(', '));
    // The recent key still answers its repeat from the record.
    const repeat = await write('new-key');
    expectStatus(repeat, 201);
    assert.equal(repeat.headers.get('idempotent-replayed'), 'true');
  });

  it('keeps everything inside a longer retention, and refuses one shorter than a day', async () => {
    const count = (await eventIds()).length;
    await server.db.updateTable('events').set({ occurred_at: daysAgo(20) }).execute();
    assert.equal((await purgeExpired(server.db, { liveEventsMaxAgeMs: 30 * DAY })).liveEvents, 0);
    assert.equal((await eventIds()).length, count);
    await assert.rejects(purgeExpired(server.db, { liveEventsMaxAgeMs: MIN_LIVE_EVENT_RETENTION_MS - 1 }), RangeError);
  });
});

describe('email matching index', () => {
  it("LTI's personMatch email query (lower(email) per organization) is answered from an index", async () => {
    const compiled = server.db.selectFrom('people').selectAll().where('org_id', '=', server.orgId)
      .where((eb) => eb(eb.fn('lower', ['email']), '=', 'alan@example.com')).orderBy('id').limit(2).compile();
    const details = await queryPlan(server.db, compiled);
    assert.match(details, /USING INDEX people_org_email|Index Scan using people_org_email|Bitmap Index Scan on people_org_email/, details);
  });
});
