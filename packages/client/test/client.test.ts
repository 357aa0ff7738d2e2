// The client against the real server over real HTTP: resources, pagination with `for await`,
// typed errors, aborts. No fakes: every answer comes from @menteo/server over SQLite.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  createClient, isMenteoError, MenteoAbortError, MenteoApiError, MenteoNetworkError, type MenteoClient,
} from '../src/index.js';
import { listRooms } from '@menteo/api/rooms';
import { startServer, type TestServer } from './support/server.js';

let server: TestServer;
let menteo: MenteoClient;
let mentor: string;
let mentee: string;

before(async () => {
  server = await startServer();
  menteo = createClient({ baseUrl: server.url, apiKey: server.apiKey });
  mentor = (await menteo.people.create({ displayName: 'Maya Mentor', roles: ['mentor'], skills: ['system-design'] })).id;
  mentee = (await menteo.people.create({ displayName: 'Milo Mentee', externalId: 'hr-milo' })).id;
});
after(() => server.close());

test('health and identity', async () => {
  const health = await menteo.meta.health();
  assert.equal(health.status, 'ok');
  const me = await menteo.me.get();
  assert.equal(me.organization.id, server.orgId);
  assert.equal(me.person, null, 'an API key without actAs is no one');
});

test('rooms: create, get, update, members add/update/remove', async () => {
  const room = await menteo.rooms.create({ title: 'Design reviews', purpose: 'Grow a reviewer', members: [{ personId: mentor, role: 'mentor' }] });
  assert.match(room.id, /^room_/);
  assert.equal((await menteo.rooms.get(room.id)).title, 'Design reviews');
  const updated = await menteo.rooms.update(room.id, { title: 'Design reviews 2' });
  assert.equal(updated.title, 'Design reviews 2');
  const withMentee = await menteo.rooms.members.add(room.id, { personId: mentee, role: 'mentee' });
  assert.deepEqual(withMentee.members.map((m) => m.role).sort(), ['mentee', 'mentor']);
  const observer = await menteo.rooms.members.update(room.id, mentee, { role: 'observer' });
  assert.equal(observer.members.find((m) => m.person.id === mentee)?.role, 'observer');
  const removed = await menteo.rooms.members.remove(room.id, mentee);
  assert.deepEqual(removed.members.map((m) => m.person.id), [mentor]);
});

test('room content as an author: messages, notes with action items, resources, check-ins', async () => {
  const room = await menteo.rooms.create({ title: 'Pairing', members: [{ personId: mentor, role: 'mentor' }, { personId: mentee, role: 'mentee' }] });
  const message = await menteo.rooms.messages.create(room.id, { body: 'Hello!' }, { actAs: mentee });
  assert.equal(message.author.id, mentee);
  const note = await menteo.rooms.notes.create(
    room.id,
    { sessionDate: '2026-11-20', summary: 'Talked about reviews', actionItems: [{ text: 'Read the RFC', ownerId: mentee }] },
    { actAs: mentor },
  );
  const item = note.actionItems[0];
  assert.ok(item);
  const ticked = await menteo.rooms.notes.updateActionItem(room.id, note.id, item.id, { done: true }, { actAs: mentee });
  assert.equal(ticked.actionItems[0]?.done, true);
  const resource = await menteo.rooms.resources.create(room.id, { title: 'RFC', url: 'https://example.com/rfc' }, { actAs: mentor });
  await menteo.rooms.resources.delete(room.id, resource.id, { actAs: mentor });
  assert.equal((await menteo.rooms.resources.list(room.id)).items.length, 0);
  const checkIn = await menteo.checkIns.create(room.id, { progress: 'Read half', confidence: 4 }, { actAs: mentee });
  assert.equal(checkIn.confidence, 4);
  assert.deepEqual((await menteo.checkIns.list(room.id)).items.map((c) => c.id), [checkIn.id]);
  assert.deepEqual((await menteo.rooms.messages.list(room.id)).items.map((m) => m.body), ['Hello!']);
});

test('roadmaps: create, add and update milestones with reasons, revisions', async () => {
  const room = await menteo.rooms.create({ title: 'Roadmap room', members: [{ personId: mentor, role: 'mentor' }, { personId: mentee, role: 'mentee' }] });
  const roadmap = await menteo.roadmaps.create(
    { roomId: room.id, title: 'Staff path', startDate: '2026-11-01', milestones: [{ title: 'Lead a review', dueDate: '2026-12-01' }] },
    { actAs: mentor },
  );
  const added = await menteo.roadmaps.milestones.add(roadmap.id, { reason: 'Needs depth', milestone: { title: 'Write an RFC', dueDate: '2027-01-10' } }, { actAs: mentor });
  assert.equal(added.milestones.length, 2);
  const first = added.milestones[0];
  assert.ok(first);
  const moved = await menteo.roadmaps.milestones.update(roadmap.id, first.id, { reason: 'Started', status: 'in_progress', baseVersion: added.version }, { actAs: mentee });
  assert.equal(moved.milestones.find((m) => m.id === first.id)?.status, 'in_progress');
  const revisions = await menteo.roadmaps.revisions.list(roadmap.id).toArray();
  assert.ok(revisions.length >= 2);
  assert.ok(revisions.some((r) => r.reason === 'Started'));
});

test('pagination: await gives one page, for await walks every post of a thread exactly once, in order', async () => {
  const room = await menteo.rooms.create({ title: 'Thread room', members: [{ personId: mentee, role: 'mentee' }] });
  const thread = await menteo.threads.create({ title: 'Learning Rust', roomId: room.id }, { actAs: mentee });
  const created: string[] = [];
  for (let i = 0; i < 23; i++) {
    created.push((await menteo.threads.posts.create(thread.id, { body: `post ${i}` }, { actAs: mentee })).id);
  }
  const first = await menteo.threads.posts.list(thread.id, { limit: 10 });
  assert.equal(first.items.length, 10);
  assert.notEqual(first.nextCursor, null);

  const walked: string[] = [];
  for await (const post of menteo.threads.posts.list(thread.id, { limit: 10 })) walked.push(post.id);
  assert.equal(walked.length, 23);
  assert.equal(new Set(walked).size, 23, 'no duplicates across page boundaries');
  assert.deepEqual(walked, [...created].reverse(), 'newest first, as the contract says');

  let pages = 0;
  for await (const page of menteo.threads.posts.list(thread.id, { limit: 10 }).pages()) {
    pages += 1;
    assert.ok(page.items.length <= 10);
  }
  assert.equal(pages, 3);

  const feed = await menteo.posts.list({ threadId: thread.id, limit: 5 }).toArray(7);
  assert.equal(feed.length, 7);
});

test('comments and reactions', async () => {
  const room = await menteo.rooms.create({ title: 'Reactions', members: [{ personId: mentee, role: 'mentee' }, { personId: mentor, role: 'mentor' }] });
  const thread = await menteo.threads.create({ title: 'Notes', roomId: room.id }, { actAs: mentee });
  const post = await menteo.threads.posts.create(thread.id, { body: 'Insight' }, { actAs: mentee });
  await menteo.posts.comments.create(post.id, { body: 'Nice' }, { actAs: mentor });
  assert.deepEqual((await menteo.posts.comments.list(post.id)).items.map((c) => c.body), ['Nice']);
  const reacted = await menteo.posts.reactions.add(post.id, 'insight', { actAs: mentor });
  assert.equal(reacted.reactions.find((r) => r.kind === 'insight')?.count, 1);
  const again = await menteo.posts.reactions.add(post.id, 'insight', { actAs: mentor });
  assert.equal(again.reactions.find((r) => r.kind === 'insight')?.count, 1, 'PUT is idempotent');
  await menteo.posts.delete(post.id, { actAs: mentee });
  await assert.rejects(menteo.posts.get(post.id), (e) => isMenteoError(e, 'not_found'));
});

test('the generic request is typed from the operation and parses with its schema', async () => {
  const page = await menteo.request(listRooms, { query: { limit: 2 } });
  assert.ok(page.items.length <= 2);
  for (const room of page.items) assert.match(room.id, /^room_/);
});

test('typed errors: not_found carries status, code and request id', async () => {
  const error = await menteo.rooms.get('room_01J0000000000000000000000Z').catch((e: unknown) => e);
  assert.ok(error instanceof MenteoApiError);
  assert.equal(error.status, 404);
  assert.equal(error.code, 'not_found');
  assert.ok(error.requestId, 'X-Request-Id is surfaced for support');
});

test('typed errors: invalid_request names the offending field', async () => {
  const error = await menteo.rooms.create({ title: '' }).catch((e: unknown) => e);
  assert.ok(isMenteoError(error, 'invalid_request'));
  assert.ok(error instanceof MenteoApiError);
  assert.equal(error.status, 400);
  assert.match(error.field ?? '', /title/);
  assert.ok(error.errors.some((f) => /title/.test(f.field)));
});

test('typed errors: a write that needs an author, without actAs', async () => {
  const room = await menteo.rooms.create({ title: 'No author', members: [{ personId: mentee, role: 'mentee' }] });
  const error = await menteo.rooms.messages.create(room.id, { body: 'hi' }).catch((e: unknown) => e);
  assert.ok(error instanceof MenteoApiError);
  assert.equal(error.code, 'invalid_request');
  assert.equal(error.field, 'Menteo-Act-As');
});

test('typed errors: a bad API key is unauthenticated', async () => {
  const stranger = createClient({ baseUrl: server.url, apiKey: 'mk_not_a_real_key', retry: 0 });
  const error = await stranger.rooms.list().then(() => undefined, (e: unknown) => e);
  assert.ok(isMenteoError(error, 'unauthenticated'));
  assert.equal(error.status, 401);
});

test('aborting a call rejects with MenteoAbortError, distinct from network errors', async () => {
  const controller = new AbortController();
  controller.abort();
  const error = await menteo.rooms.list({}, { signal: controller.signal }).then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof MenteoAbortError);
  assert.equal(error.code, 'aborted');
  assert.equal(error.name, 'AbortError');
});

test('no server at all is a MenteoNetworkError after the retries', async () => {
  const nowhere = createClient({ baseUrl: 'http://127.0.0.1:9', apiKey: server.apiKey, retry: { limit: 2, baseDelay: 1 } });
  const error = await nowhere.meta.health().catch((e: unknown) => e);
  assert.ok(error instanceof MenteoNetworkError);
  assert.equal(error.code, 'network_error');
  assert.equal(error.status, 0);
});

test('a custom fetch (an in-process app) is used instead of the network', async () => {
  const seen: string[] = [];
  const viaFetch = createClient({
    baseUrl: server.url,
    apiKey: server.apiKey,
    fetch: (request, init) => {
      seen.push(`${request.method} ${new URL(request.url).pathname}`);
      return fetch(request, init);
    },
  });
  await viaFetch.meta.health();
  assert.deepEqual(seen, ['GET /v1/health']);
});
