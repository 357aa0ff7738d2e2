// Roadmaps: who may create and edit them, revisions with reasons and field changes, versions and
// conflicts, milestone status timestamps; then check-ins, feedback, learnings and program health.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CheckIn, Feedback, Learning, Page, Post, Revision, Roadmap, RoomHealth, SessionNote, Thread } from '@menteo/api';
import { startServer, type TestServer } from './support/server.js';
import { buildWorld, expectStatus, tokenFor, type World } from './support/world.js';

let server: TestServer;
let w: World;
const tok: Record<string, string> = {};
let roadmap: Roadmap;

before(async () => {
  server = await startServer();
  w = await buildWorld(server);
  for (const key of ['admin', 'mentor', 'mentee', 'mentee2', 'observer', 'outsider'] as const) tok[key] = await tokenFor(server, w[key].id);
});
after(async () => server.close());

describe('roadmaps', () => {
  it('is started by a mentor for the first mentee by default; validates owner; one per mentee', async () => {
    expectStatus(await server.call('POST', '/v1/roadmaps', { auth: tok.observer, body: { roomId: w.room.id, title: 'x', startDate: '2026-01-01' } }), 403, 'forbidden');
    expectStatus(await server.call('POST', '/v1/roadmaps', { auth: tok.mentee2, body: { roomId: w.room.id, ownerId: w.mentee.id, title: 'x', startDate: '2026-01-01' } }), 403, 'forbidden');
    const badOwner = await server.call('POST', '/v1/roadmaps', { auth: tok.mentor, body: { roomId: w.room.id, ownerId: w.observer.id, title: 'x', startDate: '2026-01-01' } });
    expectStatus(badOwner, 400, 'invalid_request');
    assert.equal((badOwner.body as { field?: string }).field, 'ownerId');
    expectStatus(await server.call('POST', '/v1/roadmaps', { auth: tok.outsider, body: { roomId: w.room.id, title: 'x', startDate: '2026-01-01' } }), 404, 'not_found');
    const r = await server.call<Roadmap>('POST', '/v1/roadmaps', {
      auth: tok.mentor,
      body: {
        roomId: w.room.id, title: 'Senior frontend in 90 days', goal: 'Lead a component library', startDate: '2026-01-01',
        milestones: [
          { title: 'Accessibility audit', dueDate: '2026-02-15', requiredSkills: ['a11y'], expectedOutcome: 'Report' },
          { title: 'First component', dueDate: '2026-01-20', status: 'in_progress' },
        ],
      },
    });
    expectStatus(r, 201);
    roadmap = r.body;
    assert.equal(roadmap.owner.id, w.mentee.id);
    assert.equal(roadmap.horizonDays, 90);
    assert.equal(roadmap.version, 1);
    assert.deepEqual(roadmap.milestones.map((m) => m.title), ['First component', 'Accessibility audit'], 'milestones by due date');
    expectStatus(await server.call('POST', '/v1/roadmaps', { auth: tok.mentor, body: { roomId: w.room.id, title: 'again', startDate: '2026-01-01' } }), 409, 'conflict');
    const room = await server.call<{ roadmapId: string | null }>('GET', `/v1/rooms/${w.room.id}`, { auth: tok.mentee });
    assert.equal(room.body.roadmapId, roadmap.id);
    const own = await server.call<Roadmap>('POST', '/v1/roadmaps', { auth: tok.mentee2, body: { roomId: w.room.id, ownerId: w.mentee2.id, title: 'My own', startDate: '2026-01-01', horizonDays: 30 } });
    expectStatus(own, 201);
  });

  it('lists and reads roadmaps the caller can see', async () => {
    const list = await server.call<Page<Roadmap>>('GET', `/v1/roadmaps?roomId=${w.room.id}&ownerId=${w.mentee.id}`, { auth: tok.observer });
    assert.deepEqual(list.body.items.map((r) => r.id), [roadmap.id]);
    assert.deepEqual((await server.call<Page<Roadmap>>('GET', '/v1/roadmaps', { auth: tok.outsider })).body.items, []);
    expectStatus(await server.call('GET', `/v1/roadmaps/${roadmap.id}`, { auth: tok.observer }), 200);
    expectStatus(await server.call('GET', `/v1/roadmaps/${roadmap.id}`, { auth: tok.outsider }), 404, 'not_found');
    expectStatus(await server.call('GET', `/v1/roadmaps/${roadmap.id}`, { auth: w.other.apiKey }), 404, 'not_found');
    expectStatus(await server.call('GET', `/v1/roadmaps/${roadmap.id}/revisions`, { auth: tok.outsider }), 404, 'not_found');
  });

  it('records every change as a revision with reason and field changes, bumping the version', async () => {
    const noReason = await server.call('PATCH', `/v1/roadmaps/${roadmap.id}`, { auth: tok.mentee, body: { title: 'New title' } });
    expectStatus(noReason, 400, 'invalid_request');
    assert.equal((noReason.body as { field?: string }).field, 'reason');
    const u = await server.call<Roadmap>('PATCH', `/v1/roadmaps/${roadmap.id}`, { auth: tok.mentee, body: { reason: 'Sharper goal', baseVersion: 1, goal: 'Own the design system', horizonDays: 120 } });
    expectStatus(u, 200);
    assert.equal(u.body.version, 2);
    const first = roadmap.milestones[0];
    assert.ok(first);
    const done = await server.call<Roadmap>('PATCH', `/v1/roadmaps/${roadmap.id}/milestones/${first.id}`, { auth: tok.mentee, body: { reason: 'Merged', baseVersion: 2, status: 'done' } });
    expectStatus(done, 200);
    const m = done.body.milestones.find((x) => x.id === first.id);
    assert.equal(m?.status, 'done');
    assert.ok(m?.completedAt);
    assert.ok(m && m.statusChangedAt > first.statusChangedAt);
    const reopened = await server.call<Roadmap>('PATCH', `/v1/roadmaps/${roadmap.id}/milestones/${first.id}`, { auth: tok.mentor, body: { reason: 'Review found gaps', status: 'blocked' } });
    assert.equal(reopened.body.milestones.find((x) => x.id === first.id)?.completedAt, null);
    const added = await server.call<Roadmap>('POST', `/v1/roadmaps/${roadmap.id}/milestones`, { auth: tok.mentor, body: { reason: 'Add testing', milestone: { title: 'Test strategy', dueDate: '2026-03-01' } } });
    expectStatus(added, 201);
    assert.equal(added.body.version, 5);
    const newId = added.body.milestones.find((x) => x.title === 'Test strategy')?.id;
    const removed = await server.call<Roadmap>('POST', `/v1/roadmaps/${roadmap.id}/milestones/${newId}/remove`, { auth: tok.mentor, body: { reason: 'Folded into audit' } });
    expectStatus(removed, 200);
    assert.ok(!removed.body.milestones.some((x) => x.id === newId));
    const revisions = await server.call<Page<Revision>>('GET', `/v1/roadmaps/${roadmap.id}/revisions`, { auth: tok.observer });
    assert.deepEqual(revisions.body.items.map((r) => [r.version, r.kind]), [[6, 'milestone_removed'], [5, 'milestone_added'], [4, 'milestone_updated'], [3, 'milestone_updated'], [2, 'roadmap_updated'], [1, 'created']]);
    const upd = revisions.body.items.find((r) => r.version === 2);
    assert.equal(upd?.reason, 'Sharper goal');
    assert.equal(upd?.author.id, w.mentee.id);
    assert.deepEqual(upd?.changes, [
      { milestoneId: null, field: 'goal', from: 'Lead a component library', to: 'Own the design system' },
      { milestoneId: null, field: 'horizonDays', from: 90, to: 120 },
    ]);
    assert.deepEqual(revisions.body.items.find((r) => r.version === 3)?.changes, [{ milestoneId: first.id, field: 'status', from: 'in_progress', to: 'done' }]);
  });

  it('answers 409 for a stale baseVersion and lets only one of two concurrent edits win', async () => {
    const current = (await server.call<Roadmap>('GET', `/v1/roadmaps/${roadmap.id}`, { auth: tok.mentee })).body;
    const stale = await server.call('PATCH', `/v1/roadmaps/${roadmap.id}`, { auth: tok.mentee, body: { reason: 'x', baseVersion: 1, title: 'Stale' } });
    expectStatus(stale, 409, 'conflict');
    assert.equal((stale.body as { field?: string }).field, 'baseVersion');
    const replies = await Promise.all(['A', 'B'].map((t) => server.call('PATCH', `/v1/roadmaps/${roadmap.id}`, { auth: tok.mentor, body: { reason: `race ${t}`, baseVersion: current.version, title: `Title ${t}` } })));
    assert.deepEqual(replies.map((r) => r.status).sort(), [200, 409]);
  });

  it('keeps observers, other mentees and foreign evidence out', async () => {
    const m = roadmap.milestones[1];
    assert.ok(m);
    expectStatus(await server.call('PATCH', `/v1/roadmaps/${roadmap.id}`, { auth: tok.observer, body: { reason: 'x', title: 'y' } }), 403, 'forbidden');
    expectStatus(await server.call('PATCH', `/v1/roadmaps/${roadmap.id}/milestones/${m.id}`, { auth: tok.mentee2, body: { reason: 'x', status: 'done' } }), 403, 'forbidden');
    expectStatus(await server.call('PATCH', `/v1/roadmaps/${roadmap.id}/milestones/mil_01ARZ3NDEKTSV4RRFFQ69G5FAV`, { auth: tok.mentor, body: { reason: 'x', status: 'done' } }), 404, 'not_found');
    const t = await server.call<Thread>('POST', '/v1/threads', { auth: tok.mentee, body: { title: 'Evidence', roomId: w.room.id } });
    const p = await server.call<Post>('POST', `/v1/threads/${t.body.id}/posts`, { auth: tok.mentee, body: { body: 'Audit report' } });
    const ok = await server.call<Roadmap>('PATCH', `/v1/roadmaps/${roadmap.id}/milestones/${m.id}`, { auth: tok.mentee, body: { reason: 'Evidence', evidencePostIds: [p.body.id] } });
    expectStatus(ok, 200);
    assert.deepEqual(ok.body.milestones.find((x) => x.id === m.id)?.evidencePostIds, [p.body.id]);
    const bad = await server.call('PATCH', `/v1/roadmaps/${roadmap.id}/milestones/${m.id}`, { auth: tok.mentee, body: { reason: 'x', evidencePostIds: [p.body.id, 'post_01ARZ3NDEKTSV4RRFFQ69G5FAV'] } });
    expectStatus(bad, 404, 'not_found');
    assert.equal((bad.body as { field?: string }).field, 'evidencePostIds.1');
  });
});

describe('check-ins, feedback, learnings, program health', () => {
  it('takes check-ins from members and lists them', async () => {
    const c = await server.call<CheckIn>('POST', `/v1/rooms/${w.room.id}/check-ins`, { auth: tok.mentee, body: { progress: 'Shipped the button', blockers: 'Focus traps', confidence: 4 } });
    expectStatus(c, 201);
    expectStatus(await server.call('POST', `/v1/rooms/${w.room.id}/check-ins`, { auth: tok.mentee, body: { progress: 'x', confidence: 6 } }), 400, 'invalid_request');
    expectStatus(await server.call('POST', `/v1/rooms/${w.room.id}/check-ins`, { auth: tok.observer, body: { progress: 'x', confidence: 3 } }), 403, 'forbidden');
    const list = await server.call<Page<CheckIn>>('GET', `/v1/rooms/${w.room.id}/check-ins`, { auth: tok.mentor });
    assert.deepEqual(list.body.items.map((x) => x.id), [c.body.id]);
  });

  it('derives the feedback direction from the author\'s role and validates the subject', async () => {
    const note = await server.call<SessionNote>('POST', `/v1/rooms/${w.room.id}/notes`, { auth: tok.mentor, body: { sessionDate: '2026-01-10', summary: 'Session' } });
    const fromMentee = await server.call<Feedback>('POST', `/v1/rooms/${w.room.id}/feedback`, { auth: tok.mentee, body: { subject: 'session', subjectId: note.body.id, rating: 5, comment: 'Very useful' } });
    expectStatus(fromMentee, 201);
    assert.equal(fromMentee.body.direction, 'mentee_to_mentor');
    const fromMentor = await server.call<Feedback>('POST', `/v1/rooms/${w.room.id}/feedback`, { actAs: w.mentor.id, body: { subject: 'roadmap', subjectId: roadmap.id, rating: 3 } });
    expectStatus(fromMentor, 201);
    assert.equal(fromMentor.body.direction, 'mentor_to_mentee');
    expectStatus(await server.call('POST', `/v1/rooms/${w.room.id}/feedback`, { auth: tok.mentee, body: { subject: 'session', rating: 5 } }), 400, 'invalid_request');
    expectStatus(await server.call('POST', `/v1/rooms/${w.room.id}/feedback`, { auth: tok.mentee, body: { subject: 'session', subjectId: roadmap.id, rating: 5 } }), 400, 'invalid_request');
    expectStatus(await server.call('POST', `/v1/rooms/${w.room.id}/feedback`, { auth: tok.mentee, body: { subject: 'room', subjectId: note.body.id, rating: 5 } }), 400, 'invalid_request');
    expectStatus(await server.call('POST', `/v1/rooms/${w.room.id}/feedback`, { auth: tok.mentee, body: { subject: 'session', subjectId: 'note_01ARZ3NDEKTSV4RRFFQ69G5FAV', rating: 5 } }), 404, 'not_found');
    expectStatus(await server.call('POST', `/v1/rooms/${w.room.id}/feedback`, { auth: tok.observer, body: { subject: 'room', rating: 5 } }), 403, 'forbidden');
    expectStatus(await server.call('POST', `/v1/rooms/${w.room.id}/feedback`, { actAs: w.outsider.id, body: { subject: 'room', rating: 5 } }), 403, 'forbidden');
    const list = await server.call<Page<Feedback>>('GET', `/v1/rooms/${w.room.id}/feedback`, { auth: tok.observer });
    assert.deepEqual(list.body.items.map((f) => f.id), [fromMentor.body.id, fromMentee.body.id]);
  });

  it('keeps the learning log for mentors', async () => {
    const l = await server.call<Learning>('POST', `/v1/rooms/${w.room.id}/learnings`, { auth: tok.mentor, body: { body: 'Explaining focus management made me rethink it', skills: ['a11y'] } });
    expectStatus(l, 201);
    expectStatus(await server.call('POST', `/v1/rooms/${w.room.id}/learnings`, { auth: tok.mentee, body: { body: 'x' } }), 403, 'forbidden');
    const list = await server.call<Page<Learning>>('GET', `/v1/rooms/${w.room.id}/learnings`, { auth: tok.mentee });
    assert.deepEqual(list.body.items.map((x) => x.id), [l.body.id]);
  });

  it('reports program health to admins and org:admin keys only', async () => {
    const health = await server.call<Page<RoomHealth>>('GET', '/v1/program/health');
    expectStatus(health, 200);
    const room = health.body.items.find((h) => h.roomId === w.room.id);
    assert.ok(room);
    assert.deepEqual(room.mentorIds, [w.mentor.id]);
    assert.deepEqual(room.menteeIds.sort(), [w.mentee.id, w.mentee2.id].sort());
    assert.equal(room.averageConfidence, 4);
    assert.equal(room.averageRating, 4);
    assert.ok(room.lastActivityAt);
    assert.equal(room.milestones.blocked, 1);
    assert.ok(!health.body.items.some((h) => h.roomId === w.other.roomId));
    const adminToken = await tokenFor(server, w.admin.id, { scopes: ['org:admin'] });
    expectStatus(await server.call('GET', '/v1/program/health', { auth: adminToken }), 200);
    const mentorToken = await tokenFor(server, w.mentor.id, { scopes: ['org:admin'] });
    expectStatus(await server.call('GET', '/v1/program/health', { auth: mentorToken }), 403, 'forbidden');
    expectStatus(await server.call('GET', '/v1/program/health', { auth: tok.admin }), 403, 'forbidden');
  });
});
