// Program health and the export against the REAL server over HTTP on a real SQLite file (every
// answer validated against the OpenAPI document): the summary of the organization and of a
// cohort, at-risk reasons identical to the room's own attention (the adjust loop's rules, defined
// once), valid CSV, a stream that reads the database one batch at a time, and no private text.
// Time is arranged by moving rows back (joined_at, occurred_at), since the server reads the clock.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CohortRoom, Cohort, Page, Person, Program, ProgramHealthSummary, Room, RoomAttention, RoomHealth } from '@menteo/api';
import { PEOPLE_EXPORT_COLUMNS, ROOM_EXPORT_COLUMNS } from '@menteo/api/health';
import type { KyselyPlugin } from 'kysely';
import { EXPORT_BATCH, exportResponse } from '../src/health/export.js';
import { startServer, type Reply, type TestServer } from './support/server.js';
import { buildWorld, expectStatus, person, tokenFor, type World } from './support/world.js';

const PRIVATE = ['PRIVATE-MESSAGE', 'PRIVATE-CHECKIN', 'PRIVATE-BLOCKER', 'PRIVATE-FEEDBACK', 'PRIVATE-NOTE'];

let server: TestServer;
let w: World;
let cohort: Cohort;
let cohortRoom: Room;
let archived: Room;
let mentor2: Person;
let mentee3: Person;
const awkwardTitle = 'Quote "this", and\nthat';
const formulaTitle = '=HYPERLINK("https://evil.test")';

async function ok<T>(reply: Promise<Reply<T>>, status = 200): Promise<T> {
  const r = await reply;
  expectStatus(r, status);
  return r.body;
}

function daysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString();
}

function assertNoPrivateText(text: string, where: string): void {
  for (const marker of PRIVATE) assert.ok(!text.includes(marker), `${where} carries ${marker}`);
}

/** RFC 4180: fields separated by commas, records by CRLF, quoted fields with doubled quotes. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"' && field === '') {
      i++;
      for (;;) {
        assert.ok(i < text.length, 'an unterminated quoted field');
        if (text[i] === '"' && text[i + 1] === '"') { field += '"'; i += 2; continue; }
        if (text[i] === '"') { i++; break; }
        field += text[i++];
      }
      assert.ok(text[i] === ',' || text[i] === '\r' || i === text.length, `a quoted field followed by ${JSON.stringify(text[i])}`);
      continue;
    }
    if (ch === ',') { record.push(field); field = ''; i++; continue; }
    if (ch === '\r') {
      assert.equal(text[i + 1], '\n', 'records end with CRLF');
      record.push(field); records.push(record); record = []; field = ''; i += 2; continue;
    }
    assert.notEqual(ch, '\n', 'a bare LF outside quotes');
    assert.notEqual(ch, '"', 'a quote inside an unquoted field');
    field += ch;
    i++;
  }
  assert.equal(field, '', 'the last record ends with CRLF');
  return records;
}

before(async () => {
  server = await startServer();
  w = await buildWorld(server);
  const room = w.room.id;
  // Room R: an overdue milestone, falling confidence for Tom, no check-in from Tia for 20 days.
  await ok(server.call('POST', '/v1/roadmaps', {
    actAs: w.mentor.id,
    body: {
      roomId: room, ownerId: w.mentee.id, title: 'Senior frontend', startDate: '2020-01-01',
      milestones: [
        { title: 'Ship the design system', dueDate: '2020-02-01', status: 'planned' },
        { title: 'Lead a review', dueDate: '2099-01-01', status: 'in_progress' },
        { title: 'Pair weekly', dueDate: '2099-02-01', status: 'done' },
      ],
    },
  }), 201);
  await ok(server.call('POST', `/v1/rooms/${room}/messages`, { actAs: w.mentee.id, body: { body: 'PRIVATE-MESSAGE hello' } }), 201);
  await ok(server.call('POST', `/v1/rooms/${room}/check-ins`, { actAs: w.mentee.id, body: { progress: 'PRIVATE-CHECKIN a', blockers: 'PRIVATE-BLOCKER', confidence: 5 } }), 201);
  await ok(server.call('POST', `/v1/rooms/${room}/check-ins`, { actAs: w.mentee.id, body: { progress: 'PRIVATE-CHECKIN b', confidence: 3 } }), 201);
  await ok(server.call('POST', `/v1/rooms/${room}/feedback`, { actAs: w.mentee.id, body: { subject: 'room', rating: 4, comment: 'PRIVATE-FEEDBACK from Tom' } }), 201);
  await ok(server.call('POST', `/v1/rooms/${room}/feedback`, { actAs: w.mentor.id, body: { subject: 'room', rating: 2, comment: 'PRIVATE-FEEDBACK from Mia' } }), 201);
  await server.db.updateTable('room_members').set({ joined_at: daysAgo(20) }).where('room_id', '=', room).where('person_id', '=', w.mentee2.id).execute();

  // A finished room, titled to test CSV quoting.
  archived = await ok(server.call<Room>('POST', '/v1/rooms', { body: { title: awkwardTitle, members: [{ personId: w.outsider.id, role: 'mentee' }] } }), 201);
  await ok(server.call('PATCH', `/v1/rooms/${archived.id}`, { body: { status: 'archived' } }));

  // A cohort with one room, quiet for 30 days: stalled.
  mentor2 = await person(server, 'Max Mentor');
  mentee3 = await person(server, 'Zoë Mentee');
  const program = await ok(server.call<Program>('POST', '/v1/programs', { body: { name: 'Engineering' } }), 201);
  cohort = await ok(server.call<Cohort>('POST', `/v1/programs/${program.id}/cohorts`, { body: { name: 'Q1', startDate: '2026-01-05', endDate: '2026-04-05' } }), 201);
  await ok(server.call('PUT', `/v1/cohorts/${cohort.id}/enrolments/${mentor2.id}`, { body: { role: 'mentor' } }));
  await ok(server.call('PUT', `/v1/cohorts/${cohort.id}/enrolments/${mentee3.id}`, { body: { role: 'mentee' } }));
  cohortRoom = (await ok(server.call<CohortRoom>('POST', `/v1/cohorts/${cohort.id}/rooms`, { body: { mentorId: mentor2.id, menteeId: mentee3.id, title: formulaTitle } }), 201)).room;
  await server.db.updateTable('events').set({ occurred_at: daysAgo(30) }).where('room_id', '=', cohortRoom.id).execute();
  await server.db.updateTable('rooms').set({ created_at: daysAgo(30) }).where('id', '=', cohortRoom.id).execute();
});
after(async () => server.close());

describe('program health summary', () => {
  it('counts rooms, the milestone funnel, cadence, confidence, ratings both ways and mentor load for the organization', async () => {
    const reply = await server.call<ProgramHealthSummary>('GET', '/v1/program/health/summary');
    expectStatus(reply, 200);
    const s = reply.body;
    assertNoPrivateText(reply.text, 'the summary');
    assert.equal(s.cohortId, null);
    assert.deepEqual(s.rooms, { total: 3, active: 1, stalled: 1, finished: 1 });
    assert.deepEqual(s.milestones, { planned: 1, in_progress: 1, done: 1, blocked: 0, overdue: 1 });
    assert.equal(s.checkIns.last28Days, 2);
    // Tom and Tia in R, Zoë in the cohort room; the archived room's mentee does not count.
    assert.equal(s.checkIns.mentees, 3);
    assert.equal(s.checkIns.perMenteePerWeek, Math.round((2 / 3 / 4) * 100) / 100);
    assert.equal(s.checkIns.confidence.length, 8);
    assert.deepEqual(s.checkIns.confidence.at(-1)?.checkIns, 2);
    assert.equal(s.checkIns.confidence.at(-1)?.average, 4);
    assert.deepEqual(s.feedback, { mentee_to_mentor: { count: 1, average: 4 }, mentor_to_mentee: { count: 1, average: 2 } });
    assert.deepEqual(s.mentorLoad.map((m) => [m.personId, m.mentees, m.rooms]), [[w.mentor.id, 2, 1], [mentor2.id, 1, 1]]);
  });

  it('lists at-risk rooms with exactly the findings of the room\'s own attention (one set of rules)', async () => {
    const s = await ok(server.call<ProgramHealthSummary>('GET', '/v1/program/health/summary'));
    assert.equal(s.atRiskCount, 1);
    const [risk] = s.atRisk;
    assert.equal(risk?.roomId, w.room.id);
    const attention = await ok(server.call<RoomAttention>('GET', `/v1/rooms/${w.room.id}/attention`));
    assert.deepEqual(risk?.findings, attention.findings);
    assert.deepEqual(new Set(risk?.findings.map((f) => f.code)), new Set(['milestone_overdue', 'confidence_falling', 'check_ins_stopped']));
    // The per-room list says the same.
    const list = await ok(server.call<Page<RoomHealth>>('GET', '/v1/program/health?limit=100'));
    assert.deepEqual(list.items.find((r) => r.roomId === w.room.id)?.findings, attention.findings);
  });

  it('narrows to a cohort; an unknown or foreign cohort is 404 on cohortId', async () => {
    const s = await ok(server.call<ProgramHealthSummary>('GET', `/v1/program/health/summary?cohortId=${cohort.id}`));
    assert.equal(s.cohortId, cohort.id);
    assert.deepEqual(s.rooms, { total: 1, active: 0, stalled: 1, finished: 0 });
    assert.deepEqual(s.mentorLoad.map((m) => m.personId), [mentor2.id]);
    const list = await ok(server.call<Page<RoomHealth>>('GET', `/v1/program/health?cohortId=${cohort.id}`));
    assert.deepEqual(list.items.map((r) => r.roomId), [cohortRoom.id]);
    const unknown = await server.call('GET', '/v1/program/health/summary?cohortId=coh_00000000000000000000000000');
    expectStatus(unknown, 404, 'not_found');
    assert.equal((unknown.body as { field?: string }).field, 'cohortId');
    const bad = await server.call('GET', '/v1/program/health/summary?cohortId=nope');
    expectStatus(bad, 400);
    assert.equal((bad.body as { field?: string }).field, 'cohortId');
  });

  it('is for organization admins: a non-admin holding org:admin is refused, an admin token answers', async () => {
    const mentorToken = await tokenFor(server, w.mentor.id, { scopes: ['org:admin'] });
    expectStatus(await server.call('GET', '/v1/program/health/summary', { auth: mentorToken }), 403, 'forbidden');
    expectStatus(await server.call('GET', '/v1/program/export?kind=rooms', { auth: mentorToken }), 403, 'forbidden');
    const adminToken = await tokenFor(server, w.admin.id, { scopes: ['org:admin'] });
    expectStatus(await server.call('GET', '/v1/program/health/summary', { auth: adminToken }), 200);
  });
});

describe('program export', () => {
  it('writes rooms with their health as valid CSV (quotes, commas, line breaks; formulas defused) and no private text', async () => {
    const reply = await server.call<string>('GET', '/v1/program/export?kind=rooms&format=csv');
    expectStatus(reply, 200);
    assert.match(reply.headers.get('content-type') ?? '', /^text\/csv/);
    assert.match(reply.headers.get('content-disposition') ?? '', /^attachment; filename="menteo-rooms-\d{4}-\d{2}-\d{2}\.csv"$/);
    assertNoPrivateText(reply.text, 'the rooms CSV');
    const [header, ...rows] = parseCsv(reply.text);
    assert.deepEqual(header, [...ROOM_EXPORT_COLUMNS]);
    assert.equal(rows.length, 3);
    for (const row of rows) assert.equal(row.length, ROOM_EXPORT_COLUMNS.length);
    const col = (name: (typeof ROOM_EXPORT_COLUMNS)[number]) => ROOM_EXPORT_COLUMNS.indexOf(name);
    const byId = new Map(rows.map((r) => [r[col('roomId')], r]));
    assert.equal(byId.get(archived.id)?.[col('title')], awkwardTitle);
    assert.equal(byId.get(cohortRoom.id)?.[col('title')], `'${formulaTitle}`);
    assert.equal(byId.get(cohortRoom.id)?.[col('cohortIds')], cohort.id);
    const r = byId.get(w.room.id);
    assert.equal(r?.[col('milestonesOverdue')], '1');
    assert.equal(r?.[col('findings')], 'milestone_overdue;check_ins_stopped;confidence_falling');
  });

  it('writes the same rooms as JSON, and people with their enrolments (CSV and JSON)', async () => {
    const rooms = await ok(server.call<(RoomHealth & { cohortIds: string[] })[]>('GET', '/v1/program/export?kind=rooms&format=json'));
    assert.equal(rooms.length, 3);
    assert.equal(rooms.find((r) => r.roomId === archived.id)?.title, awkwardTitle);
    const peopleJson = await server.call<{ personId: string; enrolments: { cohortId: string; role: string }[] }[]>('GET', '/v1/program/export?kind=people&format=json');
    expectStatus(peopleJson, 200);
    assertNoPrivateText(peopleJson.text, 'the people JSON');
    assert.deepEqual(peopleJson.body.find((p) => p.personId === mentor2.id)?.enrolments, [{ cohortId: cohort.id, role: 'mentor' }]);
    const csv = await ok(server.call<string>('GET', `/v1/program/export?kind=people&format=csv&cohortId=${cohort.id}`));
    const [header, ...rows] = parseCsv(csv);
    assert.deepEqual(header, [...PEOPLE_EXPORT_COLUMNS]);
    assert.deepEqual(rows.map((r) => r[0]).sort(), [mentor2.id, mentee3.id].sort());
    expectStatus(await server.call('GET', '/v1/program/export?kind=everything'), 400);
  });

  it('streams: the database is read one batch per read, so memory holds a batch whatever the size', async () => {
    const count = EXPORT_BATCH * 6 + 7;
    const now = new Date().toISOString();
    const people = Array.from({ length: count }, (_, i) => ({
      id: `per_${String(i).padStart(26, '0')}`, org_id: server.orgId, external_id: null, display_name: `Bulk, "person" ${i}`, search_text: `bulk person ${i}`,
      email: null, title: null, skills: '[]', avatar_url: null, roles: '[]', active: 1, created_at: now, updated_at: now,
    }));
    for (let i = 0; i < people.length; i += 500) await server.db.insertInto('people').values(people.slice(i, i + 500)).execute();
    const total = (await server.db.selectFrom('people').select((eb) => eb.fn.countAll<number>().as('n')).where('org_id', '=', server.orgId).executeTakeFirstOrThrow()).n;

    let batches = 0;
    const counting: KyselyPlugin = {
      transformQuery(args) {
        if (args.node.kind === 'SelectQueryNode' && JSON.stringify(args.node.from).includes('"people"')) batches++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    const response = exportResponse(server.db.withPlugin(counting), { orgId: server.orgId, roomIds: null, cohortId: null }, 'people', 'csv', now, 'req_test');
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    const header = decoder.decode((await reader.read()).value);
    assert.equal(header, `${PEOPLE_EXPORT_COLUMNS.join(',')}\r\n`);
    const first = decoder.decode((await reader.read()).value);
    // One batch read, at most one more ahead (the stream's high-water mark), of the seven.
    assert.ok(batches <= 2, `${batches} batches read before the second chunk was consumed`);
    let text = header + first;
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += decoder.decode(chunk.value);
    assert.equal(batches, Math.ceil(Number(total) / EXPORT_BATCH) + 1);
    assert.equal(parseCsv(text).length, Number(total) + 1);

    // Over HTTP the answer is chunked, not buffered with a length.
    const http = await fetch(`${server.url}/v1/program/export?kind=people`, { headers: { authorization: `Bearer ${server.apiKey}` } });
    assert.equal(http.headers.get('content-length'), null);
    assert.equal(http.headers.get('transfer-encoding'), 'chunked');
    assert.equal(parseCsv(await http.text()).length, Number(total) + 1);
  });
});
