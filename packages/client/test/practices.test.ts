// Issue 9's operations through the typed client against the real server over HTTP: the adjust
// loop's findings, the mentor's overview, check-in trends, requests for feedback, action items
// added to a note, evidence derived from posts, milestone skills and removal with a reason.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createClient, MenteoApiError, type MenteoClient } from '../src/index.js';
import { startServer, type TestServer } from './support/server.js';

let server: TestServer;
let menteo: MenteoClient;
let mentor: string;
let mentee: string;
let roomId: string;

before(async () => {
  server = await startServer();
  menteo = createClient({ baseUrl: server.url, apiKey: server.apiKey });
  mentor = (await menteo.people.create({ displayName: 'Priya Mentor', roles: ['mentor'] })).id;
  mentee = (await menteo.people.create({ displayName: 'Sam Mentee' })).id;
  roomId = (await menteo.rooms.create({ title: 'Growth', members: [{ personId: mentor, role: 'mentor' }, { personId: mentee, role: 'mentee' }] })).id;
});
after(() => server.close());

test('evidence both ways from one link; skills edited; a milestone dropped with its reason', async () => {
  const roadmap = await menteo.roadmaps.create({ roomId, title: 'Plan', startDate: '2026-01-01', milestones: [{ title: 'Audit', dueDate: '2026-02-01' }, { title: 'Talk', dueDate: '2026-03-01' }] }, { actAs: mentor });
  const [audit, talk] = roadmap.milestones;
  assert.ok(audit && talk);
  const thread = await menteo.threads.create({ title: 'Learning', roomId }, { actAs: mentee });
  const post = await menteo.threads.posts.create(thread.id, { body: 'Audit done', milestoneId: audit.id }, { actAs: mentee });
  const read = await menteo.roadmaps.get(roadmap.id);
  assert.deepEqual(read.milestones.find((m) => m.id === audit.id)?.evidencePostIds, [post.id]);
  assert.equal(read.milestones.find((m) => m.id === audit.id)?.evidenceCount, 1);
  const skilled = await menteo.roadmaps.milestones.update(roadmap.id, audit.id, { reason: 'Needs a11y', requiredSkills: ['a11y', 'testing'] }, { actAs: mentor });
  assert.deepEqual(skilled.milestones.find((m) => m.id === audit.id)?.requiredSkills, ['a11y', 'testing']);
  const dropped = await menteo.roadmaps.milestones.remove(roadmap.id, talk.id, { reason: 'No conference this year' }, { actAs: mentee });
  assert.deepEqual(dropped.milestones.map((m) => m.id), [audit.id]);
  const [last] = (await menteo.roadmaps.revisions.list(roadmap.id)).items;
  assert.equal(last?.kind, 'milestone_removed');
  assert.equal(last?.reason, 'No conference this year');
  await menteo.posts.delete(post.id, { actAs: mentee });
  assert.equal((await menteo.roadmaps.get(roadmap.id)).milestones[0]?.evidenceCount, 0);
});

test('attention and the mentor\'s overview', async () => {
  const attention = await menteo.attention.room(roomId);
  assert.equal(attention.roomId, roomId);
  assert.ok(Array.isArray(attention.findings));
  const thread = await menteo.threads.create({ title: 'Questions', roomId }, { actAs: mentee });
  await menteo.threads.posts.create(thread.id, { body: 'Which book first?' }, { actAs: mentee });
  const overview = await menteo.mentoring.overview({ actAs: mentor });
  const room = overview.rooms.find((r) => r.roomId === roomId);
  assert.equal(room?.unansweredCount, 1);
  assert.equal(room?.unanswered[0]?.question, true);
  assert.deepEqual(room?.mentees.map((p) => p.id), [mentee]);
  await assert.rejects(menteo.mentoring.overview(), (e: unknown) => e instanceof MenteoApiError && e.status === 400);
});

test('check-in trends, feedback requests answered once, action items added, filters', async () => {
  await menteo.checkIns.create(roomId, { progress: 'Good week', confidence: 4 }, { actAs: mentee });
  await menteo.checkIns.create(roomId, { progress: 'Harder', confidence: 2 }, { actAs: mentee });
  const trends = await menteo.checkIns.trends(roomId);
  assert.deepEqual(trends.people[0]?.points.map((p) => p.confidence), [4, 2]);
  assert.equal(trends.people[0]?.direction, 'down');
  assert.equal((await menteo.checkIns.list(roomId, { authorId: mentor })).items.length, 0);

  const request = await menteo.feedback.requests.create(roomId, { recipientId: mentee, subject: 'room', message: 'How is it going?' }, { actAs: mentor });
  assert.equal((await menteo.feedback.requests.list(roomId, { state: 'open' })).items[0]?.id, request.id);
  const answer = await menteo.feedback.create(roomId, { subject: 'room', rating: 4, requestId: request.id }, { actAs: mentee });
  assert.equal((await menteo.feedback.requests.list(roomId, { state: 'answered' })).items[0]?.answeredBy, answer.id);
  await assert.rejects(menteo.feedback.create(roomId, { subject: 'room', rating: 4, requestId: request.id }, { actAs: mentee }),
    (e: unknown) => e instanceof MenteoApiError && e.code === 'conflict');
  assert.deepEqual((await menteo.feedback.list(roomId, { direction: 'mentee_to_mentor' })).items.map((f) => f.id), [answer.id]);
  await menteo.learnings.create(roomId, { body: 'Listen first' }, { actAs: mentor });
  assert.equal((await menteo.learnings.list(roomId, { authorId: mentor })).items.length, 1);

  const note = await menteo.rooms.notes.create(roomId, { sessionDate: '2026-11-20', summary: 'Weekly' }, { actAs: mentor });
  const withItem = await menteo.rooms.notes.addActionItem(roomId, note.id, { text: 'Pick a book', ownerId: mentee, dueDate: '2026-12-01' }, { actAs: mentor });
  assert.deepEqual(withItem.actionItems.map((i) => i.text), ['Pick a book']);
});
