// The adjust loop over HTTP (GET /v1/rooms/{roomId}/attention), the mentor's overview
// (GET /v1/me/mentoring), and the room's practices issue 9's widgets need: check-in trends,
// requests for feedback, action items added to a note, list filters. Past facts (a due date, a
// blocking, a silence) are made by moving stored timestamps back, since the app's clock is real.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CheckIn, CheckInTrends, Feedback, FeedbackRequest, Learning, MentoringOverview, Page, Post, Roadmap, Room, RoomAttention, SessionNote, Thread } from '@menteo/api';
import { startServer, type TestServer } from './support/server.js';
import { buildWorld, expectStatus, tokenFor, type World } from './support/world.js';

let server: TestServer;
let w: World;
const tok = {} as Record<'admin' | 'mentor' | 'mentee' | 'mentee2' | 'observer' | 'outsider', string>;
let roadmap: Roadmap;
const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString();
const PRIVATE = 'PRIVATE-PROGRESS-TEXT';

async function checkIn(auth: string, confidence: number, at: string, roomId = w.room.id): Promise<CheckIn> {
  const r = await server.call<CheckIn>('POST', `/v1/rooms/${roomId}/check-ins`, { auth, body: { progress: `${PRIVATE} ${confidence}`, blockers: 'none', confidence } });
  expectStatus(r, 201);
  await server.db.updateTable('check_ins').set({ created_at: at }).where('id', '=', r.body.id).execute();
  return { ...r.body, createdAt: at };
}

before(async () => {
  server = await startServer();
  w = await buildWorld(server);
  for (const key of ['admin', 'mentor', 'mentee', 'mentee2', 'observer', 'outsider'] as const) tok[key] = await tokenFor(server, w[key].id);
  const r = await server.call<Roadmap>('POST', '/v1/roadmaps', {
    auth: tok.mentor,
    body: {
      roomId: w.room.id, title: 'Plan', startDate: '2020-01-01',
      milestones: [
        { title: 'Late audit', dueDate: '2020-02-01', status: 'in_progress' },
        { title: 'Stuck migration', dueDate: '2099-01-01', status: 'blocked' },
        { title: 'Done talk', dueDate: '2020-01-15', status: 'done' },
      ],
    },
  });
  expectStatus(r, 201);
  roadmap = r.body;
  const stuck = roadmap.milestones.find((m) => m.title === 'Stuck migration');
  await server.db.updateTable('milestones').set({ status_changed_at: daysAgo(9) }).where('id', '=', stuck?.id ?? '').execute();
  const done = roadmap.milestones.find((m) => m.title === 'Done talk');
  await server.db.updateTable('milestones').set({ completed_at: daysAgo(20) }).where('id', '=', done?.id ?? '').execute();
  // Tom's confidence falls 4 → 3 → 2; Tia joined 20 days ago and never checked in.
  await checkIn(tok.mentee, 4, daysAgo(30));
  await checkIn(tok.mentee, 3, daysAgo(10));
  await checkIn(tok.mentee, 2, daysAgo(1));
  await server.db.updateTable('room_members').set({ joined_at: daysAgo(20) }).where('room_id', '=', w.room.id).execute();
});
after(async () => server.close());

describe('GET /v1/rooms/{roomId}/attention', () => {
  it('names each finding with its code, reason, milestone or person, and the adjustments', async () => {
    const r = await server.call<RoomAttention>('GET', `/v1/rooms/${w.room.id}/attention`, { auth: tok.mentee });
    expectStatus(r, 200);
    const late = roadmap.milestones.find((m) => m.title === 'Late audit');
    const stuck = roadmap.milestones.find((m) => m.title === 'Stuck migration');
    assert.deepEqual(r.body.findings.map((f) => [f.code, f.milestoneId ?? f.personId]), [
      ['milestone_overdue', late?.id],
      ['milestone_blocked', stuck?.id],
      ['check_ins_stopped', w.mentee2.id],
      ['confidence_falling', w.mentee.id],
    ]);
    const falling = r.body.findings.find((f) => f.code === 'confidence_falling');
    assert.deepEqual(falling?.confidences, [4, 3, 2]);
    assert.deepEqual(r.body.findings[0]?.adjustments, ['move', 'rescope', 'drop']);
    assert.equal(r.body.findings[1]?.days, 9);
    assert.equal(r.body.findings[2]?.days, 20);
  });

  it('answers observers and admins with reasons that quote no check-in text; outsiders and other organizations get 404', async () => {
    for (const who of [tok.observer, tok.admin, undefined]) {
      const r = await server.call<RoomAttention>('GET', `/v1/rooms/${w.room.id}/attention`, { auth: who });
      expectStatus(r, 200);
      assert.equal(r.body.findings.length, 4);
      assert.ok(!r.text.includes(PRIVATE), 'no private text');
    }
    expectStatus(await server.call('GET', `/v1/rooms/${w.room.id}/attention`, { auth: tok.outsider }), 404, 'not_found');
    expectStatus(await server.call('GET', `/v1/rooms/${w.room.id}/attention`, { auth: w.other.apiKey }), 404, 'not_found');
  });

  it('clears a finding once the roadmap is adjusted, and a check-in ends the silence', async () => {
    const late = roadmap.milestones.find((m) => m.title === 'Late audit');
    const moved = await server.call<Roadmap>('PATCH', `/v1/roadmaps/${roadmap.id}/milestones/${late?.id}`, { auth: tok.mentee, body: { reason: 'Audit moved after the freeze', dueDate: '2099-06-01' } });
    expectStatus(moved, 200);
    await checkIn(tok.mentee2, 4, new Date().toISOString());
    const r = await server.call<RoomAttention>('GET', `/v1/rooms/${w.room.id}/attention`, { auth: tok.mentor });
    assert.deepEqual(r.body.findings.map((f) => f.code), ['milestone_blocked', 'confidence_falling']);
  });
});

describe('GET /v1/me/mentoring', () => {
  let second: Room;
  let note: SessionNote;
  before(async () => {
    const r = await server.call<Room>('POST', '/v1/rooms', { body: { title: 'Second room', members: [{ personId: w.mentor.id, role: 'mentor' }, { personId: w.mentee2.id, role: 'mentee' }] } });
    expectStatus(r, 201);
    second = r.body;
    const t = await server.call<Thread>('POST', '/v1/threads', { auth: tok.mentee, body: { title: 'Learning in public', roomId: w.room.id } });
    const asked = await server.call<Post>('POST', `/v1/threads/${t.body.id}/posts`, { auth: tok.mentee, body: { body: 'How do I split this component?' } });
    const answered = await server.call<Post>('POST', `/v1/threads/${t.body.id}/posts`, { auth: tok.mentee, body: { body: 'Shipped the audit.' } });
    expectStatus(await server.call('POST', `/v1/posts/${answered.body.id}/comments`, { auth: tok.mentor, body: { body: 'Well done' } }), 201);
    expectStatus(await server.call('POST', `/v1/posts/${asked.body.id}/comments`, { auth: tok.mentee2, body: { body: 'Same question' } }), 201);
    const t2 = await server.call<Thread>('POST', '/v1/threads', { auth: tok.mentee2, body: { title: 'Tia grows', roomId: second.id } });
    expectStatus(await server.call('POST', `/v1/threads/${t2.body.id}/posts`, { auth: tok.mentee2, body: { body: 'First week notes' } }), 201);
    const n = await server.call<SessionNote>('POST', `/v1/rooms/${w.room.id}/notes`, {
      auth: tok.mentor,
      body: { sessionDate: '2026-01-05', summary: 'Kick-off', actionItems: [{ text: 'Read the guide', dueDate: '2020-01-10', ownerId: w.mentee.id }, { text: 'Book a slot', dueDate: '2099-01-01' }, { text: 'Done already', dueDate: '2020-01-01' }] },
    });
    expectStatus(n, 201);
    note = n.body;
    const doneItem = note.actionItems.find((i) => i.text === 'Done already');
    expectStatus(await server.call('PATCH', `/v1/rooms/${w.room.id}/notes/${note.id}/action-items/${doneItem?.id}`, { auth: tok.mentee, body: { done: true } }), 200);
  });

  it('lists each room where the caller mentors: mentees, attention, unanswered posts, last check-in, overdue items', async () => {
    const r = await server.call<MentoringOverview>('GET', '/v1/me/mentoring', { auth: tok.mentor });
    expectStatus(r, 200);
    assert.deepEqual(r.body.rooms.map((x) => x.roomId), [w.room.id, second.id], 'the room needing most attention first');
    const [first, other] = r.body.rooms;
    assert.ok(first && other);
    assert.deepEqual(first.mentees.map((p) => p.id), [w.mentee.id, w.mentee2.id]);
    assert.deepEqual(first.attention.map((f) => f.code), ['milestone_blocked', 'confidence_falling']);
    assert.equal(first.unansweredCount, 1, 'a mentee\'s comment is not the mentor\'s answer; the mentor\'s is');
    assert.equal(first.unanswered[0]?.excerpt, 'How do I split this component?');
    assert.equal(first.unanswered[0]?.question, true);
    assert.equal(first.unanswered[0]?.author.id, w.mentee.id);
    assert.equal(first.lastCheckIn?.author.id, w.mentee2.id);
    assert.deepEqual(first.overdueActionItems.map((i) => i.item.text), ['Read the guide']);
    assert.equal(first.overdueActionItems[0]?.noteId, note.id);
    assert.ok((first.overdueActionItems[0]?.daysOverdue ?? 0) > 365);
    assert.equal(other.unansweredCount, 1);
    assert.equal(other.unanswered[0]?.question, false);
    assert.equal(other.lastCheckIn, null);
  });

  it('leaves out archived rooms and rooms outside a token\'s room limit', async () => {
    const limited = await tokenFor(server, w.mentor.id, { roomIds: [second.id] });
    const r = await server.call<MentoringOverview>('GET', '/v1/me/mentoring', { auth: limited });
    assert.deepEqual(r.body.rooms.map((x) => x.roomId), [second.id]);
    expectStatus(await server.call('PATCH', `/v1/rooms/${second.id}`, { body: { status: 'archived' } }), 200);
    const after = await server.call<MentoringOverview>('GET', '/v1/me/mentoring', { auth: tok.mentor });
    assert.deepEqual(after.body.rooms.map((x) => x.roomId), [w.room.id]);
  });

  it('gives a mentee no rooms, and asks an API key to name its person', async () => {
    const r = await server.call<MentoringOverview>('GET', '/v1/me/mentoring', { auth: tok.mentee });
    expectStatus(r, 200);
    assert.deepEqual(r.body.rooms, []);
    const key = await server.call('GET', '/v1/me/mentoring');
    expectStatus(key, 400, 'invalid_request');
    assert.equal((key.body as { field?: string }).field, 'Menteo-Act-As');
    const acting = await server.call<MentoringOverview>('GET', '/v1/me/mentoring', { actAs: w.mentor.id });
    assert.equal(acting.body.rooms.length, 1);
  });
});

describe('practices in the room', () => {
  it('charts check-ins per person: confidence and milestones done over time, mentees first', async () => {
    const r = await server.call<CheckInTrends>('GET', `/v1/rooms/${w.room.id}/check-ins/trends`, { auth: tok.observer });
    expectStatus(r, 200);
    assert.deepEqual(r.body.people.map((p) => p.person.id).sort(), [w.mentee.id, w.mentee2.id].sort());
    const tom = r.body.people.find((p) => p.person.id === w.mentee.id);
    assert.deepEqual(tom?.points.map((p) => p.confidence), [4, 3, 2], 'oldest first');
    assert.deepEqual(tom?.points.map((p) => p.milestonesDone), [0, 1, 1], 'the talk was done 20 days ago');
    assert.equal(tom?.points[0]?.milestonesTotal, 3);
    assert.equal(tom?.direction, 'down');
    assert.ok(!r.text.includes(PRIVATE), 'no check-in text in the chart data');
    expectStatus(await server.call('GET', `/v1/rooms/${w.room.id}/check-ins/trends`, { auth: tok.outsider }), 404, 'not_found');
  });

  it('filters check-ins, feedback and learnings', async () => {
    const mine = await server.call<Page<CheckIn>>('GET', `/v1/rooms/${w.room.id}/check-ins?authorId=${w.mentee2.id}`, { auth: tok.mentor });
    assert.deepEqual(mine.body.items.map((c) => c.author.id), [w.mentee2.id]);
    expectStatus(await server.call('POST', `/v1/rooms/${w.room.id}/feedback`, { auth: tok.mentee, body: { subject: 'room', rating: 5 } }), 201);
    expectStatus(await server.call('POST', `/v1/rooms/${w.room.id}/feedback`, { auth: tok.mentor, body: { subject: 'room', rating: 4 } }), 201);
    const aboutGuidance = await server.call<Page<Feedback>>('GET', `/v1/rooms/${w.room.id}/feedback?direction=mentee_to_mentor`, { auth: tok.mentor });
    assert.deepEqual(aboutGuidance.body.items.map((f) => f.author.id), [w.mentee.id]);
    expectStatus(await server.call('GET', `/v1/rooms/${w.room.id}/feedback?direction=sideways`, { auth: tok.mentor }), 400, 'invalid_request');
    expectStatus(await server.call('POST', `/v1/rooms/${w.room.id}/learnings`, { auth: tok.mentor, body: { body: 'Ask before advising' } }), 201);
    const log = await server.call<Page<Learning>>('GET', `/v1/rooms/${w.room.id}/learnings?authorId=${w.mentor.id}`, { auth: tok.mentee });
    assert.equal(log.body.items.length, 1);
    assert.equal((await server.call<Page<Learning>>('GET', `/v1/rooms/${w.room.id}/learnings?authorId=${w.mentee.id}`, { auth: tok.mentee })).body.items.length, 0);
  });

  it('asks for feedback and answers the request once, live', async () => {
    const ask = await server.call<FeedbackRequest>('POST', `/v1/rooms/${w.room.id}/feedback-requests`, { auth: tok.mentor, body: { recipientId: w.mentee.id, subject: 'roadmap', subjectId: roadmap.id, message: 'Is the plan still right?' } });
    expectStatus(ask, 201);
    assert.equal(ask.body.requester.id, w.mentor.id);
    assert.equal(ask.body.answeredBy, null);
    const event = await server.db.selectFrom('events').select('type').where('type', '=', 'feedback.requested').where('room_id', '=', w.room.id).executeTakeFirst();
    assert.equal(event?.type, 'feedback.requested');
    expectStatus(await server.call('POST', `/v1/rooms/${w.room.id}/feedback-requests`, { auth: tok.observer, body: { recipientId: w.mentee.id, subject: 'room' } }), 403, 'forbidden');
    const self = await server.call('POST', `/v1/rooms/${w.room.id}/feedback-requests`, { auth: tok.mentor, body: { recipientId: w.mentor.id, subject: 'room' } });
    expectStatus(self, 400, 'invalid_request');
    const notMember = await server.call('POST', `/v1/rooms/${w.room.id}/feedback-requests`, { auth: tok.mentor, body: { recipientId: w.observer.id, subject: 'room' } });
    assert.equal((notMember.body as { field?: string }).field, 'recipientId');
    const open = await server.call<Page<FeedbackRequest>>('GET', `/v1/rooms/${w.room.id}/feedback-requests?state=open&recipientId=${w.mentee.id}`, { auth: tok.mentee });
    assert.deepEqual(open.body.items.map((x) => x.id), [ask.body.id]);
    expectStatus(await server.call('POST', `/v1/rooms/${w.room.id}/feedback`, { auth: tok.mentee2, body: { subject: 'roadmap', subjectId: roadmap.id, rating: 3, requestId: ask.body.id } }), 403, 'forbidden');
    const wrong = await server.call('POST', `/v1/rooms/${w.room.id}/feedback`, { auth: tok.mentee, body: { subject: 'room', rating: 3, requestId: ask.body.id } });
    expectStatus(wrong, 400, 'invalid_request');
    const answer = await server.call<Feedback>('POST', `/v1/rooms/${w.room.id}/feedback`, { auth: tok.mentee, body: { subject: 'roadmap', subjectId: roadmap.id, rating: 4, comment: 'Mostly', requestId: ask.body.id } });
    expectStatus(answer, 201);
    assert.equal(answer.body.direction, 'mentee_to_mentor');
    const again = await server.call('POST', `/v1/rooms/${w.room.id}/feedback`, { auth: tok.mentee, body: { subject: 'roadmap', subjectId: roadmap.id, rating: 4, requestId: ask.body.id } });
    expectStatus(again, 409, 'conflict');
    const answered = await server.call<Page<FeedbackRequest>>('GET', `/v1/rooms/${w.room.id}/feedback-requests?state=answered`, { auth: tok.observer });
    assert.equal(answered.body.items[0]?.answeredBy, answer.body.id);
    assert.equal((await server.call<Page<FeedbackRequest>>('GET', `/v1/rooms/${w.room.id}/feedback-requests?state=open`, { auth: tok.mentor })).body.items.length, 0);
  });

  it('adds an action item to a note (participants only, note.updated), and refuses writes once the room is archived', async () => {
    const n = await server.call<SessionNote>('POST', `/v1/rooms/${w.room.id}/notes`, { auth: tok.mentor, body: { sessionDate: '2026-02-01', summary: 'Check-in call' } });
    expectStatus(n, 201);
    const added = await server.call<SessionNote>('POST', `/v1/rooms/${w.room.id}/notes/${n.body.id}/action-items`, { auth: tok.mentee, body: { text: 'Draft the RFC', ownerId: w.mentee.id, dueDate: '2026-02-10' } });
    expectStatus(added, 200);
    assert.deepEqual(added.body.actionItems.map((i) => [i.text, i.ownerId, i.dueDate, i.done]), [['Draft the RFC', w.mentee.id, '2026-02-10', false]]);
    const ev = await server.db.selectFrom('events').select('data').where('type', '=', 'note.updated').orderBy('id', 'desc').executeTakeFirst();
    assert.match(ev?.data ?? '', /Draft the RFC/);
    expectStatus(await server.call('POST', `/v1/rooms/${w.room.id}/notes/${n.body.id}/action-items`, { auth: tok.observer, body: { text: 'x' } }), 403, 'forbidden');
    expectStatus(await server.call('POST', `/v1/rooms/${w.room.id}/notes/note_01ARZ3NDEKTSV4RRFFQ69G5FAV/action-items`, { auth: tok.mentor, body: { text: 'x' } }), 404, 'not_found');
    expectStatus(await server.call('PATCH', `/v1/rooms/${w.room.id}`, { body: { status: 'archived' } }), 200);
    expectStatus(await server.call('POST', `/v1/rooms/${w.room.id}/notes/${n.body.id}/action-items`, { auth: tok.mentor, body: { text: 'x' } }), 409, 'conflict');
    expectStatus(await server.call('POST', `/v1/rooms/${w.room.id}/feedback-requests`, { auth: tok.mentor, body: { recipientId: w.mentee.id, subject: 'room' } }), 409, 'conflict');
    const quiet = await server.call<RoomAttention>('GET', `/v1/rooms/${w.room.id}/attention`, { auth: tok.mentor });
    assert.deepEqual(quiet.body.findings, [], 'nothing is expected of an archived room');
  });
});
