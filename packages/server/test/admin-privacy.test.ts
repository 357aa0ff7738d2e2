// Privacy by design for admins, against the REAL server over HTTP on SQLite: an organization
// admin sees program metrics and at-risk reasons, not what people wrote in rooms they are not
// in (messages, session notes, resources, check-ins, feedback and its requests, the learning
// log, room-audience posts, live room events), unless the organization turns on
// `adminContentAccess` (API key only); then every such read is in the audit log, and so is each
// change of the setting. API keys (integrations acting for the organization) keep reading.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AuditEntry, Organization, Page, Post, ProgramHealthSummary, Thread } from '@menteo/api';
import { openLive, readyOf } from './live-support.js';
import { startServer, type TestServer } from './support/server.js';
import { buildWorld, expectStatus, tokenFor, type World } from './support/world.js';

let server: TestServer;
let w: World;
let adminToken: string;
let thread: Thread;

const SECRET = 'ROOM-SECRET';
/** Every read of a room's content, as path suffixes of `/v1/rooms/{roomId}`. */
const CONTENT = ['messages', 'notes', 'resources', 'check-ins', 'feedback', 'feedback-requests', 'learnings'] as const;

function roomPath(suffix: string): string {
  return `/v1/rooms/${w.room.id}/${suffix}`;
}

async function setAccess(on: boolean, auth?: string): Promise<number> {
  const r = await server.call<Organization>('PATCH', '/v1/organization', { body: { adminContentAccess: on }, ...(auth ? { auth } : {}) });
  if (r.status === 200) assert.equal(r.body.adminContentAccess, on);
  return r.status;
}

async function auditLog(): Promise<AuditEntry[]> {
  const r = await server.call<Page<AuditEntry>>('GET', '/v1/audit-log?limit=100', { auth: adminToken });
  expectStatus(r, 200);
  return r.body.items;
}

before(async () => {
  server = await startServer();
  w = await buildWorld(server);
  const room = w.room.id;
  const as = { actAs: w.mentee.id };
  expectStatus(await server.call('POST', roomPath('messages'), { ...as, body: { body: `${SECRET} message` } }), 201);
  expectStatus(await server.call('POST', roomPath('notes'), { actAs: w.mentor.id, body: { sessionDate: '2026-01-05', summary: `${SECRET} note` } }), 201);
  expectStatus(await server.call('POST', roomPath('resources'), { ...as, body: { title: `${SECRET} resource`, url: 'https://example.com/r' } }), 201);
  expectStatus(await server.call('POST', roomPath('check-ins'), { ...as, body: { progress: `${SECRET} check-in`, confidence: 3 } }), 201);
  expectStatus(await server.call('POST', roomPath('feedback'), { ...as, body: { subject: 'room', rating: 4, comment: `${SECRET} feedback` } }), 201);
  expectStatus(await server.call('POST', roomPath('feedback-requests'), { ...as, body: { recipientId: w.mentor.id, subject: 'room', message: `${SECRET} request` } }), 201);
  expectStatus(await server.call('POST', roomPath('learnings'), { actAs: w.mentor.id, body: { body: `${SECRET} learning` } }), 201);
  const t = await server.call<Thread>('POST', '/v1/threads', { ...as, body: { title: 'Growth', roomId: room } });
  expectStatus(t, 201);
  thread = t.body;
  expectStatus(await server.call<Post>('POST', `/v1/threads/${thread.id}/posts`, { ...as, body: { body: `${SECRET} room post`, audience: 'room' } }), 201);
  expectStatus(await server.call<Post>('POST', `/v1/threads/${thread.id}/posts`, { ...as, body: { body: 'an org post', audience: 'org' } }), 201);
  adminToken = await tokenFor(server, w.admin.id, { scopes: ['rooms:read', 'threads:read', 'org:admin'] });
});
after(async () => server.close());

describe('an admin without adminContentAccess (the default)', () => {
  it('does not read the content of a room they are not in', async () => {
    for (const suffix of CONTENT) {
      const r = await server.call('GET', roomPath(suffix), { auth: adminToken });
      expectStatus(r, 403, 'forbidden');
      assert.ok(!r.text.includes(SECRET), suffix);
    }
    const stream = await fetch(`${server.url}${roomPath('events')}`, { headers: { authorization: `Bearer ${adminToken}` } });
    assert.equal(stream.status, 403);
    await stream.body?.cancel();
  });

  it('does not see room-audience posts of rooms they are not in, only the organization\'s', async () => {
    for (const path of ['/v1/posts', `/v1/threads/${thread.id}/posts`]) {
      const r = await server.call<Page<Post>>('GET', path, { auth: adminToken });
      if (r.status === 404) continue;
      expectStatus(r, 200);
      assert.ok(!r.text.includes(SECRET), path);
    }
  });

  it('follows the members\' rule on the live connection: the room topic is forbidden, the feed replays no room post', async () => {
    const live = await openLive(server, adminToken, [{ topic: `room:${w.room.id}`, since: '0' }, { topic: 'feed', since: '0' }]);
    try {
      assert.deepEqual((await readyOf(live)).topics.map((t) => t.status), ['forbidden', 'active']);
      // A member's post arrives after the replay, so the replay is complete when it does.
      expectStatus(await server.call('POST', `/v1/threads/${thread.id}/posts`, { actAs: w.mentee.id, body: { body: 'a later org post', audience: 'org' } }), 201);
      await live.until('the later org post', () => live.events().some((f) => JSON.stringify(f.data).includes('a later org post')));
      assert.ok(!live.frames.some((f) => JSON.stringify(f.data).includes(SECRET)));
    } finally {
      live.close();
    }
  });

  it('still sees the room, its roadmap metrics, its attention and program health with the reasons', async () => {
    expectStatus(await server.call('GET', `/v1/rooms/${w.room.id}`, { auth: adminToken }), 200);
    expectStatus(await server.call('GET', roomPath('attention'), { auth: adminToken }), 200);
    expectStatus(await server.call('GET', roomPath('check-ins/trends'), { auth: adminToken }), 200);
    const s = await server.call<ProgramHealthSummary>('GET', '/v1/program/health/summary', { auth: adminToken });
    expectStatus(s, 200);
    assert.ok(!s.text.includes(SECRET));
  });

  it('leaves API keys as they are: an integration acts for the organization and reads content', async () => {
    const r = await server.call('GET', roomPath('messages'));
    expectStatus(r, 200);
    assert.ok(r.text.includes(SECRET));
  });

  it('leaves no audit entry for reads that were refused', async () => {
    assert.deepEqual((await auditLog()).filter((e) => e.action === 'content.read'), []);
  });
});

describe('adminContentAccess', () => {
  it('is changed with the organization\'s API key only', async () => {
    assert.equal(await setAccess(true, adminToken), 403);
    const org = await server.call<Organization>('GET', '/v1/organization');
    assert.equal(org.body.adminContentAccess, false);
  });

  it('when on, lets the admin read room content, and records every read (who, what, when, which endpoint)', async () => {
    assert.equal(await setAccess(true), 200);
    for (const suffix of CONTENT) {
      const r = await server.call('GET', roomPath(suffix), { auth: adminToken });
      expectStatus(r, 200);
      assert.ok(r.text.includes(SECRET), suffix);
    }
    const entries = await auditLog();
    const reads = entries.filter((e) => e.action === 'content.read');
    assert.equal(reads.length, CONTENT.length);
    for (const e of reads) {
      assert.equal(e.actor.personId, w.admin.id);
      assert.equal(e.actor.kind, 'person');
      assert.equal(e.roomId, w.room.id);
      assert.match(e.endpoint, /^GET \/v1\/rooms\/\{roomId\}\//);
      assert.ok(Date.parse(e.at) <= Date.now());
    }
    assert.deepEqual(new Set(reads.map((e) => e.resource)), new Set(CONTENT));
    const changes = entries.filter((e) => e.action === 'setting.changed');
    assert.equal(changes.length, 1);
    assert.equal(changes[0]?.actor.kind, 'key');
    assert.deepEqual(changes[0]?.change, { setting: 'adminContentAccess', from: false, to: true });
    // Newest first.
    assert.deepEqual(entries.map((e) => e.at), [...entries.map((e) => e.at)].sort().reverse());
  });

  it('does not audit members: the room\'s own people read it as always', async () => {
    const before = (await auditLog()).length;
    const mentorToken = await tokenFor(server, w.mentor.id);
    expectStatus(await server.call('GET', roomPath('messages'), { auth: mentorToken }), 200);
    assert.equal((await auditLog()).length, before);
  });

  it('when turned off again, is refused again, and the change is recorded', async () => {
    assert.equal(await setAccess(false), 200);
    expectStatus(await server.call('GET', roomPath('messages'), { auth: adminToken }), 403, 'forbidden');
    const changes = (await auditLog()).filter((e) => e.action === 'setting.changed');
    assert.deepEqual(changes.map((e) => e.change?.to), [false, true]);
  });

  it('the audit log is for admins: a member holding org:admin is refused', async () => {
    const mentorToken = await tokenFor(server, w.mentor.id, { scopes: ['org:admin'] });
    expectStatus(await server.call('GET', '/v1/audit-log', { auth: mentorToken }), 403, 'forbidden');
  });
});
