// Rooms, members, messages, session notes, action items and resources, with the room rules:
// organization isolation, membership, roles, observers, archived rooms.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Message, Page, Resource, Room, SessionNote } from '@menteo/api';
import { startServer, type TestServer } from './support/server.js';
import { buildWorld, expectStatus, tokenFor, type World } from './support/world.js';

let server: TestServer;
let w: World;
const tok: Record<string, string> = {};

before(async () => {
  server = await startServer();
  w = await buildWorld(server);
  for (const key of ['admin', 'mentor', 'mentee', 'mentee2', 'observer', 'outsider'] as const) tok[key] = await tokenFor(server, w[key].id);
});
after(async () => server.close());

describe('rooms', () => {
  it('lists the rooms a person belongs to; keys and admins see all; filters by status and member', async () => {
    const mine = await server.call<Page<Room>>('GET', '/v1/rooms', { auth: tok.mentee });
    assert.deepEqual(mine.body.items.map((r) => r.id), [w.room.id]);
    const none = await server.call<Page<Room>>('GET', '/v1/rooms', { auth: tok.outsider });
    assert.deepEqual(none.body.items, []);
    const all = await server.call<Page<Room>>('GET', '/v1/rooms', { auth: tok.admin });
    assert.ok(all.body.items.some((r) => r.id === w.room.id));
    const byMember = await server.call<Page<Room>>('GET', `/v1/rooms?memberId=${w.observer.id}`);
    assert.deepEqual(byMember.body.items.map((r) => r.id), [w.room.id]);
    const archived = await server.call<Page<Room>>('GET', '/v1/rooms?status=archived');
    assert.deepEqual(archived.body.items, []);
    assert.ok(!(await server.call<Page<Room>>('GET', '/v1/rooms')).body.items.some((r) => r.id === w.other.roomId), 'never another organization\'s rooms');
  });

  it('hides rooms of other organizations and rooms one is not in (404, never content)', async () => {
    for (const r of [await server.call('GET', `/v1/rooms/${w.other.roomId}`), await server.call('GET', `/v1/rooms/${w.room.id}`, { auth: tok.outsider })]) {
      expectStatus(r, 404, 'not_found');
      assert.ok(!r.text.includes('Globex room') && !r.text.includes('Frontend growth'));
    }
    for (const path of ['messages', 'notes', 'resources', 'check-ins', 'feedback', 'learnings']) {
      expectStatus(await server.call('GET', `/v1/rooms/${w.room.id}/${path}`, { auth: tok.outsider }), 404, 'not_found');
      expectStatus(await server.call('GET', `/v1/rooms/${w.other.roomId}/${path}`), 404, 'not_found');
    }
  });

  it('lets mentors (with the mentor role) open rooms and join them; members cannot', async () => {
    const mentorWrite = await tokenFor(server, w.mentor.id, { scopes: ['rooms:read', 'rooms:write'] });
    const created = await server.call<Room>('POST', '/v1/rooms', { auth: mentorWrite, body: { title: 'Mentor-made', members: [{ personId: w.mentee2.id, role: 'mentee' }] } });
    expectStatus(created, 201);
    assert.deepEqual(created.body.members.map((m) => [m.person.id, m.role]), [[w.mentor.id, 'mentor'], [w.mentee2.id, 'mentee']]);
    const tokenWithWrite = await tokenFor(server, w.mentee.id, { scopes: ['rooms:write', 'rooms:read'] });
    expectStatus(await server.call('POST', '/v1/rooms', { auth: tokenWithWrite, body: { title: 'nope' } }), 403, 'forbidden');
    expectStatus(await server.call('POST', '/v1/rooms', { auth: tok.mentor, body: { title: 'x' } }), 403, 'forbidden'); // default embed scopes lack rooms:write
  });

  it('validates new rooms: unknown, foreign and duplicated members', async () => {
    const foreign = await server.call('POST', '/v1/rooms', { body: { title: 'x', members: [{ personId: w.mentee.id, role: 'mentee' }, { personId: w.other.personId, role: 'mentee' }] } });
    expectStatus(foreign, 404, 'not_found');
    assert.equal((foreign.body as { field?: string }).field, 'members.1.personId');
    const dup = await server.call('POST', '/v1/rooms', { body: { title: 'x', members: [{ personId: w.mentee.id, role: 'mentee' }, { personId: w.mentee.id, role: 'mentor' }] } });
    expectStatus(dup, 400, 'invalid_request');
    assert.equal((dup.body as { field?: string }).field, 'members.1.personId');
  });

  it('manages members: mentors and keys may, mentees and observers may not', async () => {
    const mentorToken = await tokenFor(server, w.mentor.id, { scopes: ['rooms:read', 'rooms:write'] });
    const menteeToken = await tokenFor(server, w.mentee.id, { scopes: ['rooms:read', 'rooms:write'] });
    const added = await server.call<Room>('POST', `/v1/rooms/${w.room.id}/members`, { auth: mentorToken, body: { personId: w.outsider.id, role: 'observer' } });
    expectStatus(added, 201);
    assert.ok(added.body.members.some((m) => m.person.id === w.outsider.id && m.role === 'observer'));
    expectStatus(await server.call('POST', `/v1/rooms/${w.room.id}/members`, { body: { personId: w.outsider.id, role: 'mentee' } }), 409, 'conflict');
    expectStatus(await server.call('POST', `/v1/rooms/${w.room.id}/members`, { auth: menteeToken, body: { personId: w.admin.id, role: 'mentee' } }), 403, 'forbidden');
    expectStatus(await server.call('POST', `/v1/rooms/${w.room.id}/members`, { body: { personId: w.other.personId, role: 'mentee' } }), 404, 'not_found');
    const changed = await server.call<Room>('PATCH', `/v1/rooms/${w.room.id}/members/${w.outsider.id}`, { auth: mentorToken, body: { role: 'mentee' } });
    expectStatus(changed, 200);
    assert.equal(changed.body.members.find((m) => m.person.id === w.outsider.id)?.role, 'mentee');
    expectStatus(await server.call('PATCH', `/v1/rooms/${w.room.id}/members/${w.outsider.id}`, { auth: menteeToken, body: { role: 'mentor' } }), 403, 'forbidden');
    const removed = await server.call<Room>('DELETE', `/v1/rooms/${w.room.id}/members/${w.outsider.id}`, { auth: mentorToken });
    expectStatus(removed, 200);
    assert.ok(!removed.body.members.some((m) => m.person.id === w.outsider.id));
    expectStatus(await server.call('DELETE', `/v1/rooms/${w.room.id}/members/${w.outsider.id}`), 404, 'not_found');
    expectStatus(await server.call('GET', `/v1/rooms/${w.room.id}`, { auth: tok.outsider }), 404, 'not_found');
  });
});

describe('conversation, notes and resources', () => {
  it('posts and lists messages; observers and outsiders cannot post', async () => {
    const m = await server.call<Message>('POST', `/v1/rooms/${w.room.id}/messages`, { auth: tok.mentee, body: { body: '  Hello mentor  ' } });
    expectStatus(m, 201);
    assert.equal(m.body.body, 'Hello mentor');
    assert.equal(m.body.author.id, w.mentee.id);
    await server.call('POST', `/v1/rooms/${w.room.id}/messages`, { actAs: w.mentor.id, body: { body: 'Hi!' } });
    const list = await server.call<Page<Message>>('GET', `/v1/rooms/${w.room.id}/messages`, { auth: tok.observer });
    assert.deepEqual(list.body.items.map((x) => x.body), ['Hi!', 'Hello mentor']);
    expectStatus(await server.call('POST', `/v1/rooms/${w.room.id}/messages`, { auth: tok.observer, body: { body: 'x' } }), 403, 'forbidden');
    expectStatus(await server.call('POST', `/v1/rooms/${w.room.id}/messages`, { auth: tok.outsider, body: { body: 'x' } }), 404, 'not_found');
    const narrow = await tokenFor(server, w.mentee.id, { scopes: ['rooms:read'] });
    expectStatus(await server.call('POST', `/v1/rooms/${w.room.id}/messages`, { auth: narrow, body: { body: 'x' } }), 403, 'forbidden');
  });

  it('records session notes with action items, newest session first, and ticks items', async () => {
    const older = await server.call<SessionNote>('POST', `/v1/rooms/${w.room.id}/notes`, { auth: tok.mentor, body: { sessionDate: '2026-01-05', summary: 'Kick-off' } });
    expectStatus(older, 201);
    const newer = await server.call<SessionNote>('POST', `/v1/rooms/${w.room.id}/notes`, {
      auth: tok.mentor,
      body: { sessionDate: '2026-02-01', summary: 'Review', actionItems: [{ text: 'Read the RFC', ownerId: w.mentee.id, dueDate: '2026-02-08' }, { text: 'Pair on tests' }] },
    });
    expectStatus(newer, 201);
    assert.equal(newer.body.actionItems.length, 2);
    const badOwner = await server.call('POST', `/v1/rooms/${w.room.id}/notes`, { auth: tok.mentor, body: { sessionDate: '2026-02-01', summary: 'x', actionItems: [{ text: 'a' }, { text: 'b', ownerId: w.other.personId }] } });
    expectStatus(badOwner, 404, 'not_found');
    assert.equal((badOwner.body as { field?: string }).field, 'actionItems.1.ownerId');
    // Written later but about an earlier session: listed by session date.
    await server.call('POST', `/v1/rooms/${w.room.id}/notes`, { auth: tok.mentor, body: { sessionDate: '2026-01-20', summary: 'Mid' } });
    const page1 = await server.call<Page<SessionNote>>('GET', `/v1/rooms/${w.room.id}/notes?limit=2`, { auth: tok.mentee });
    assert.deepEqual(page1.body.items.map((n) => n.summary), ['Review', 'Mid']);
    const page2 = await server.call<Page<SessionNote>>('GET', `/v1/rooms/${w.room.id}/notes?limit=2&cursor=${page1.body.nextCursor}`, { auth: tok.mentee });
    assert.deepEqual(page2.body.items.map((n) => n.summary), ['Kick-off']);
    assert.equal(page2.body.nextCursor, null);
    const item = newer.body.actionItems[0];
    assert.ok(item);
    const ticked = await server.call<SessionNote>('PATCH', `/v1/rooms/${w.room.id}/notes/${newer.body.id}/action-items/${item.id}`, { auth: tok.mentee, body: { done: true } });
    expectStatus(ticked, 200);
    const t = ticked.body.actionItems.find((i) => i.id === item.id);
    assert.equal(t?.done, true);
    assert.ok(t?.doneAt);
    const unticked = await server.call<SessionNote>('PATCH', `/v1/rooms/${w.room.id}/notes/${newer.body.id}/action-items/${item.id}`, { auth: tok.mentee, body: { done: false, text: 'Read the RFC twice', dueDate: null } });
    const u = unticked.body.actionItems.find((i) => i.id === item.id);
    assert.deepEqual([u?.done, u?.doneAt, u?.text, u?.dueDate], [false, null, 'Read the RFC twice', null]);
    expectStatus(await server.call('PATCH', `/v1/rooms/${w.room.id}/notes/${older.body.id}/action-items/${item.id}`, { auth: tok.mentee, body: { done: true } }), 404, 'not_found');
    expectStatus(await server.call('PATCH', `/v1/rooms/${w.room.id}/notes/${newer.body.id}/action-items/${item.id}`, { auth: tok.observer, body: { done: true } }), 403, 'forbidden');
  });

  it('shares and removes resources: the adder or a mentor may remove', async () => {
    const r = await server.call<Resource>('POST', `/v1/rooms/${w.room.id}/resources`, { auth: tok.mentee, body: { title: 'Web components', url: 'https://developer.mozilla.org/en-US/docs/Web/API/Web_components', note: 'start here' } });
    expectStatus(r, 201);
    expectStatus(await server.call('POST', `/v1/rooms/${w.room.id}/resources`, { auth: tok.mentee, body: { title: 'x', url: 'javascript:alert(1)' } }), 400, 'invalid_request');
    const list = await server.call<Page<Resource>>('GET', `/v1/rooms/${w.room.id}/resources`, { auth: tok.observer });
    assert.deepEqual(list.body.items.map((x) => x.id), [r.body.id]);
    expectStatus(await server.call('DELETE', `/v1/rooms/${w.room.id}/resources/${r.body.id}`, { auth: tok.mentee2 }), 403, 'forbidden');
    expectStatus(await server.call('DELETE', `/v1/rooms/${w.room.id}/resources/${r.body.id}`, { auth: tok.mentor }), 204);
    expectStatus(await server.call('DELETE', `/v1/rooms/${w.room.id}/resources/${r.body.id}`, { auth: tok.mentor }), 404, 'not_found');
  });
});

describe('archived rooms', () => {
  it('are read-only (409) until reopened; only managers archive', async () => {
    const room = await server.call<Room>('POST', '/v1/rooms', { body: { title: 'To archive', members: [{ personId: w.mentor.id, role: 'mentor' }, { personId: w.mentee.id, role: 'mentee' }] } });
    const id = room.body.id;
    const menteeWrite = await tokenFor(server, w.mentee.id, { scopes: ['rooms:read', 'rooms:write', 'messages:write'] });
    expectStatus(await server.call('PATCH', `/v1/rooms/${id}`, { auth: menteeWrite, body: { status: 'archived' } }), 403, 'forbidden');
    const archived = await server.call<Room>('PATCH', `/v1/rooms/${id}`, { body: { status: 'archived', title: 'Archived room' } });
    expectStatus(archived, 200);
    assert.equal(archived.body.status, 'archived');
    expectStatus(await server.call('POST', `/v1/rooms/${id}/messages`, { auth: menteeWrite, body: { body: 'x' } }), 409, 'conflict');
    expectStatus(await server.call('POST', `/v1/rooms/${id}/members`, { body: { personId: w.mentee2.id, role: 'mentee' } }), 409, 'conflict');
    expectStatus(await server.call('PATCH', `/v1/rooms/${id}`, { body: { title: 'Renamed while archived' } }), 409, 'conflict');
    expectStatus(await server.call('GET', `/v1/rooms/${id}/messages`, { auth: menteeWrite }), 200);
    const reopened = await server.call<Room>('PATCH', `/v1/rooms/${id}`, { body: { status: 'active' } });
    expectStatus(reopened, 200);
    expectStatus(await server.call('POST', `/v1/rooms/${id}/messages`, { auth: menteeWrite, body: { body: 'back' } }), 201);
  });
});
