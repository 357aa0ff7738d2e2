// The per-person live topic `me` against the real server over HTTP: a person is told live when
// they become a member of a room (here, a mentor accepting their match request), nobody else is,
// a reconnect after `since` replays it, and API keys (no person) cannot subscribe to it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Cohort, Person, Program, Room } from '@menteo/api';
import type { MatchingRun, MatchRequest } from '@menteo/api/matching';
import { openLive, readyOf } from './live-support.js';
import { startServer, type Reply, type TestServer } from './support/server.js';
import { expectStatus, tokenFor } from './support/world.js';

let server: TestServer;
const p: Record<string, Person> = {};
const tok: Record<string, string> = {};
let cohort: Cohort;

async function ok<T>(reply: Promise<Reply<T>>, status = 200): Promise<T> {
  const r = await reply;
  expectStatus(r, status);
  return r.body;
}

before(async () => {
  server = await startServer();
  for (const [key, roles] of [['sam', ['mentor']], ['tia', undefined], ['ivo', undefined]] as const) {
    p[key] = await ok(server.call<Person>('POST', '/v1/people', { body: { displayName: `${key} Person`, email: `${key}@example.com`, ...(roles ? { roles: [...roles] } : {}) } }), 201);
    tok[key] = await tokenFor(server, (p[key] as Person).id);
  }
  const program = await ok(server.call<Program>('POST', '/v1/programs', { body: { name: 'Mentoring' } }), 201);
  cohort = await ok(server.call<Cohort>('POST', `/v1/programs/${program.id}/cohorts`, { body: { name: 'Self-serve', startDate: '2026-06-01', endDate: '2026-08-31' } }), 201);
  await ok(server.call('PATCH', '/v1/me/matching-profile', { auth: tok.sam, body: { capacity: 2, offers: ['negotiation'] } }));
  await ok(server.call('PUT', `/v1/cohorts/${cohort.id}/enrolments/${(p.sam as Person).id}`, { body: { role: 'mentor' } }));
  for (const k of ['tia', 'ivo']) await ok(server.call('PUT', `/v1/cohorts/${cohort.id}/enrolments/${(p[k] as Person).id}`, { body: { role: 'mentee' } }));
});
after(async () => server.close());

describe('the me topic', () => {
  it('tells a mentee once, live, that their accepted request opened a room; nobody else; and replays after since', async () => {
    const tia = await openLive(server, tok.tia ?? '', [{ topic: 'me' }]);
    const ivo = await openLive(server, tok.ivo ?? '', [{ topic: 'me' }]);
    try {
      assert.deepEqual((await readyOf(tia)).topics, [{ topic: 'me', status: 'active' }]);
      assert.deepEqual((await readyOf(ivo)).topics, [{ topic: 'me', status: 'active' }]);
      const asked = await ok(server.call<MatchRequest>('POST', '/v1/me/match-requests', { auth: tok.tia, body: { cohortId: cohort.id, mentorId: (p.sam as Person).id } }), 201);
      await ok(server.call<MatchRequest>('POST', `/v1/match-requests/${asked.id}/response`, { auth: tok.sam, body: { decision: 'accept' } }));
      await tia.until('room.joined', () => tia.events().some((f) => f.event === 'room.joined'));
      // A later event on Ivo's connection proves he was offered everything before it.
      const other = await ok(server.call<MatchRequest>('POST', '/v1/me/match-requests', { auth: tok.ivo, body: { cohortId: cohort.id, mentorId: (p.sam as Person).id } }), 201);
      await ok(server.call<MatchRequest>('POST', `/v1/match-requests/${other.id}/response`, { auth: tok.sam, body: { decision: 'accept' } }));
      await ivo.until('his own room.joined', () => ivo.events().some((f) => f.event === 'room.joined'));
      const joined = tia.events().filter((f) => f.event === 'room.joined');
      assert.equal(joined.length, 1, 'once');
      const data = joined[0]?.data as { roomId: string; data: { id: string; members: { person: { id: string } }[] }; matchRequestId?: string };
      assert.equal(data.data.id, data.roomId);
      assert.ok(data.data.members.some((m) => m.person.id === (p.tia as Person).id));
      assert.equal(data.matchRequestId, asked.id);
      const ivoJoined = ivo.events().filter((f) => f.event === 'room.joined');
      assert.equal(ivoJoined.length, 1, 'Ivo hears of his room only, not of Tia\'s');
      assert.equal((ivoJoined[0]?.data as { matchRequestId?: string }).matchRequestId, other.id);

      const before = String(Number(joined[0]?.id) - 1);
      const again = await openLive(server, tok.tia ?? '', [{ topic: 'me', since: before }]);
      try {
        await again.until('the replayed room.joined', () => again.events().some((f) => f.event === 'room.joined'));
        assert.deepEqual(again.events().filter((f) => f.event === 'room.joined').map((f) => f.id), [joined[0]?.id]);
      } finally {
        again.close();
      }
      const ivoAgain = await openLive(server, tok.ivo ?? '', [{ topic: 'me', since: before }]);
      try {
        await ivoAgain.until('his replayed room.joined', () => ivoAgain.events().some((f) => f.event === 'room.joined'));
        assert.deepEqual(ivoAgain.events().map((f) => f.id), [ivoJoined[0]?.id], 'replay carries only his own');
      } finally {
        ivoAgain.close();
      }
    } finally {
      tia.close();
      ivo.close();
    }
  });

  it('tells people added to a room by hand (when it is created, or later), without a match id', async () => {
    const sam = await openLive(server, tok.sam ?? '', [{ topic: 'me' }]);
    const ivo = await openLive(server, tok.ivo ?? '', [{ topic: 'me' }]);
    try {
      await readyOf(sam);
      await readyOf(ivo);
      const room = await ok(server.call<Room>('POST', '/v1/rooms', { body: { title: 'Book club', members: [{ personId: (p.sam as Person).id, role: 'mentor' }] } }), 201);
      await sam.until('room.joined on creation', () => sam.events().some((f) => f.event === 'room.joined' && f.data.roomId === room.id));
      await ok(server.call<Room>('POST', `/v1/rooms/${room.id}/members`, { body: { personId: (p.ivo as Person).id, role: 'observer' } }), 201);
      await ivo.until('room.joined', () => ivo.events().some((f) => f.event === 'room.joined' && f.data.roomId === room.id));
      const joined = ivo.events().find((f) => f.data.roomId === room.id);
      assert.equal(joined?.data.matchRequestId, undefined);
      assert.equal(joined?.data.matchRunId, undefined);
    } finally {
      sam.close();
      ivo.close();
    }
  });

  it('tells the mentor and the mentee of each pair when an admin publishes a matching run', async () => {
    const made: Record<string, Person> = {};
    const tokens: Record<string, string> = {};
    for (const [key, roles] of [['ada', ['mentor']], ['una', undefined]] as const) {
      made[key] = await ok(server.call<Person>('POST', '/v1/people', { body: { displayName: `${key} Person`, email: `${key}@example.com`, ...(roles ? { roles: [...roles] } : {}) } }), 201);
      tokens[key] = await tokenFor(server, (made[key] as Person).id);
    }
    const program = await ok(server.call<Program>('POST', '/v1/programs', { body: { name: 'Published pairs' } }), 201);
    const pool = await ok(server.call<Cohort>('POST', `/v1/programs/${program.id}/cohorts`, { body: { name: 'Spring', startDate: '2026-06-01', endDate: '2026-08-31' } }), 201);
    await ok(server.call('PATCH', '/v1/me/matching-profile', { auth: tokens.ada, body: { capacity: 1, offers: ['negotiation'] } }));
    await ok(server.call('PATCH', '/v1/me/matching-profile', { auth: tokens.una, body: { wants: ['negotiation'], goals: 'Negotiate calmly' } }));
    await ok(server.call('PUT', `/v1/cohorts/${pool.id}/enrolments/${(made.ada as Person).id}`, { body: { role: 'mentor' } }));
    await ok(server.call('PUT', `/v1/cohorts/${pool.id}/enrolments/${(made.una as Person).id}`, { body: { role: 'mentee' } }));
    const run = await ok(server.call<MatchingRun>('POST', `/v1/cohorts/${pool.id}/matching-runs`, { body: {} }), 201);
    assert.equal(run.pairs.length, 1);
    const ada = await openLive(server, tokens.ada ?? '', [{ topic: 'me' }]);
    const una = await openLive(server, tokens.una ?? '', [{ topic: 'me' }]);
    try {
      await readyOf(ada);
      await readyOf(una);
      const published = await ok(server.call<MatchingRun>('POST', `/v1/matching-runs/${run.id}/publish`, {}));
      const roomId = published.pairs[0]?.roomId;
      assert.ok(roomId);
      for (const [who, live] of [['the mentor', ada], ['the mentee', una]] as const) {
        await live.until(`room.joined for ${who}`, () => live.events().some((f) => f.event === 'room.joined'));
        const joined = live.events().filter((f) => f.event === 'room.joined');
        assert.equal(joined.length, 1, `${who} is told once`);
        assert.equal(joined[0]?.data.roomId, roomId);
        assert.equal(joined[0]?.data.matchRunId, run.id);
      }
    } finally {
      ada.close();
      una.close();
    }
  });

  it('refuses `me` to an API key, which acts for no one', async () => {
    const live = await openLive(server, server.apiKey, [{ topic: 'me' }]);
    try {
      const status = (await readyOf(live)).topics[0]?.status;
      assert.ok(status === 'forbidden' || status === 'not_found', String(status));
    } finally {
      live.close();
    }
  });
});
