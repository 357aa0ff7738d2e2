// Open streams honour lost access, on the multiplexed connection (POST /v1/live) and on the legacy
// per-room stream alike: a member removed from a room, a person deactivated (API and SCIM), an
// access token that expires, an API key revoked, an admin who loses the role, and the server
// shutting down. Each ends the stream (or closes the topic) with the reason, and nothing the
// person may no longer see is delivered after it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CreatedApiKey, CreatedScimToken, EmbedSession, Message, Person, Post, Thread } from '@menteo/api';
import { dataIds, openLegacy, openLive, readyOf, type Reader } from './live-support.js';
import { freePort } from './support/lti.js';
import { startServer, type TestServer } from './support/server.js';
import { buildWorld, expectStatus, person, tokenFor, type World } from './support/world.js';

let server: TestServer;
let w: World;
const tok: Record<string, string> = {};
let thread: Thread;
let orgThread: Thread;

async function message(s: TestServer, roomId: string, body: string, auth: string): Promise<Message> {
  const r = await s.call<Message>('POST', `/v1/rooms/${roomId}/messages`, { auth, body: { body } });
  expectStatus(r, 201);
  return r.body;
}

/** The `live.end` reason of a stream, once it ended. */
async function endReason(reader: Reader): Promise<string> {
  await reader.until('live.end and the end of the stream', () => reader.ended() && reader.controls().some((f) => f.event === 'live.end'));
  const end = reader.controls().find((f) => f.event === 'live.end');
  assert.equal(reader.frames.at(-1), end, 'live.end is the last frame');
  return String(end?.data.reason);
}

before(async () => {
  server = await startServer({ heartbeatMs: 100 });
  w = await buildWorld(server);
  for (const key of ['mentor', 'mentee', 'mentee2', 'outsider'] as const) tok[key] = await tokenFor(server, w[key].id);
  thread = (await server.call<Thread>('POST', '/v1/threads', { auth: tok.mentee, body: { title: 'Room thread', roomId: w.room.id } })).body;
  orgThread = (await server.call<Thread>('POST', '/v1/threads', { auth: tok.outsider, body: { title: 'Org thread' } })).body;
});
after(async () => server.close());

describe('access lost on legacy per-room streams', () => {
  it('a member removed: the stream ends and carries nothing after the removal', async () => {
    const p = await person(server, 'Rex Removed');
    expectStatus(await server.call('POST', `/v1/rooms/${w.room.id}/members`, { body: { personId: p.id, role: 'mentee' } }), 201);
    const legacy = await openLegacy(server, `/v1/rooms/${w.room.id}/events`, await tokenFor(server, p.id));
    const before = await message(server, w.room.id, 'still a member', tok.mentee);
    await legacy.until('the message before removal', () => dataIds(legacy).includes(before.id));
    expectStatus(await server.call('DELETE', `/v1/rooms/${w.room.id}/members/${p.id}`), 200);
    const after = await message(server, w.room.id, 'after removal', tok.mentee);
    await legacy.until('the stream to end', () => legacy.ended());
    assert.ok(!dataIds(legacy).includes(after.id));
  });

  it('a person deactivated: the stream ends', async () => {
    const p = await person(server, 'Dora Deactivated');
    expectStatus(await server.call('POST', `/v1/rooms/${w.room.id}/members`, { body: { personId: p.id, role: 'mentee' } }), 201);
    const legacy = await openLegacy(server, `/v1/rooms/${w.room.id}/events`, await tokenFor(server, p.id));
    expectStatus(await server.call<Person>('PATCH', `/v1/people/${p.id}`, { body: { active: false } }), 200);
    const after = await message(server, w.room.id, 'after deactivation', tok.mentee);
    await legacy.until('the stream to end', () => legacy.ended());
    assert.ok(!dataIds(legacy).includes(after.id));
  });

  it('an API key revoked: the stream ends', async () => {
    const created = await server.call<CreatedApiKey>('POST', '/v1/api-keys', { body: { name: 'Old backend' } });
    expectStatus(created, 201);
    const legacy = await openLegacy(server, `/v1/rooms/${w.room.id}/events`, created.body.secret);
    expectStatus(await server.call('DELETE', `/v1/api-keys/${created.body.key.id}`), 200);
    await legacy.until('the stream to end', () => legacy.ended());
  });

  it('an access token that expires: the stream ends', async () => {
    const short = await startServer({ heartbeatMs: 100, accessTokenTtlSeconds: 2 });
    try {
      const world = await buildWorld(short);
      const legacy = await openLegacy(short, `/v1/rooms/${world.room.id}/events`, await tokenFor(short, world.mentee.id));
      await legacy.until('the stream to end', () => legacy.ended(), 10_000);
    } finally {
      await short.close();
    }
  });
});

describe('access lost on open streams', () => {
  it('a member removed from a room stops receiving it: room and room-thread topics close, room posts leave the feed', async () => {
    const legacy = await openLegacy(server, `/v1/rooms/${w.room.id}/events`, tok.mentee2);
    const live = await openLive(server, tok.mentee2, [{ topic: `room:${w.room.id}` }, { topic: `thread:${thread.id}` }, { topic: 'feed' }]);
    await readyOf(live);
    const before = await message(server, w.room.id, 'still a member', tok.mentee);
    await live.until('the message before removal', () => dataIds(live).includes(before.id));
    await legacy.until('the message before removal', () => dataIds(legacy).includes(before.id));

    expectStatus(await server.call('DELETE', `/v1/rooms/${w.room.id}/members/${w.mentee2.id}`), 200);
    await live.until('both topics closed', () => live.controls().filter((f) => f.event === 'live.topic-closed').length === 2);
    assert.deepEqual(live.controls().filter((f) => f.event === 'live.topic-closed').map((f) => f.data), [
      { type: 'live.topic-closed', topic: `room:${w.room.id}`, status: 'forbidden' },
      { type: 'live.topic-closed', topic: `thread:${thread.id}`, status: 'forbidden' },
    ]);
    await legacy.until('the legacy room stream to end', () => legacy.ended());

    const after = await message(server, w.room.id, 'after removal', tok.mentee);
    const roomPost = (await server.call<Post>('POST', `/v1/threads/${thread.id}/posts`, { auth: tok.mentee, body: { body: 'room only' } })).body;
    const orgPost = (await server.call<Post>('POST', `/v1/threads/${orgThread.id}/posts`, { auth: tok.outsider, body: { body: 'for everyone', audience: 'org' } })).body;
    await live.until('the org post through the feed', () => dataIds(live).includes(orgPost.id));
    assert.ok(!dataIds(live).includes(after.id), 'no room message after removal');
    assert.ok(!dataIds(live).includes(roomPost.id), 'no room-audience post after removal');
    assert.ok(!dataIds(legacy).includes(after.id));
    expectStatus(await server.call('GET', `/v1/rooms/${w.room.id}/events`, { auth: tok.mentee2 }), 404, 'not_found');
    live.close();
  });

  it('a person deactivated through the API: live.end person_deactivated, and the legacy stream ends', async () => {
    const p = await person(server, 'Dee Activated');
    expectStatus(await server.call('POST', `/v1/rooms/${w.room.id}/members`, { body: { personId: p.id, role: 'mentee' } }), 201);
    const token = await tokenFor(server, p.id);
    const legacy = await openLegacy(server, `/v1/rooms/${w.room.id}/events`, token);
    const live = await openLive(server, token, [{ topic: `room:${w.room.id}` }, { topic: 'feed' }]);
    await readyOf(live);
    expectStatus(await server.call<Person>('PATCH', `/v1/people/${p.id}`, { body: { active: false } }), 200);
    assert.equal(await endReason(live), 'person_deactivated');
    await legacy.until('the legacy stream to end', () => legacy.ended());
    const m = await message(server, w.room.id, 'after deactivation', tok.mentee);
    assert.ok(!dataIds(live).includes(m.id) && !dataIds(legacy).includes(m.id));
  });

  it('an API key revoked: live.end token_revoked on its streams', async () => {
    const created = await server.call<CreatedApiKey>('POST', '/v1/api-keys', { body: { name: 'Intranet backend' } });
    expectStatus(created, 201);
    const key = created.body.secret;
    const legacy = await openLegacy(server, `/v1/rooms/${w.room.id}/events`, key);
    const live = await openLive(server, key, [{ topic: `room:${w.room.id}` }, { topic: 'feed' }]);
    await readyOf(live);
    expectStatus(await server.call('DELETE', `/v1/api-keys/${created.body.key.id}`), 200);
    assert.equal(await endReason(live), 'token_revoked');
    await legacy.until('the legacy stream to end', () => legacy.ended());
  });

  it('an admin who loses the role: live.end credential_changed (their reading rights changed)', async () => {
    const boss = await person(server, 'Bo Boss', ['admin']);
    const token = await tokenFor(server, boss.id);
    const live = await openLive(server, token, [{ topic: `room:${w.room.id}` }, { topic: 'feed' }]);
    // Privacy by design for admins: live room events are for the room's members, not for an
    // admin outside the room (see test/admin-privacy.test.ts).
    assert.deepEqual((await readyOf(live)).topics.map((t) => t.status), ['forbidden', 'active']);
    expectStatus(await server.call<Person>('PATCH', `/v1/people/${boss.id}`, { body: { roles: ['member'] } }), 200);
    assert.equal(await endReason(live), 'credential_changed');
  });
});

// The real client sends an Idempotency-Key with every write, and a keyed write runs its handler
// inside the transaction that also stores the answer: the notice must still reach open streams,
// and only once that transaction committed.
describe('access lost through keyed writes (as the client sends them)', () => {
  it('a person deactivated with an Idempotency-Key: live.end person_deactivated', async () => {
    const p = await person(server, 'Kay Keyed');
    expectStatus(await server.call('POST', `/v1/rooms/${w.room.id}/members`, { body: { personId: p.id, role: 'mentee' } }), 201);
    const live = await openLive(server, await tokenFor(server, p.id), [{ topic: `room:${w.room.id}` }]);
    await readyOf(live);
    const patch = await server.call<Person>('PATCH', `/v1/people/${p.id}`, { body: { active: false }, headers: { 'Idempotency-Key': `deactivate-${p.id}` } });
    expectStatus(patch, 200);
    assert.equal(await endReason(live), 'person_deactivated');
  });

  it('an admin losing the role with an Idempotency-Key: live.end credential_changed', async () => {
    const boss = await person(server, 'Kim Keyed', ['admin']);
    const live = await openLive(server, await tokenFor(server, boss.id), [{ topic: 'feed' }]);
    await readyOf(live);
    expectStatus(await server.call<Person>('PATCH', `/v1/people/${boss.id}`, { body: { roles: ['member'] }, headers: { 'Idempotency-Key': `demote-${boss.id}` } }), 200);
    assert.equal(await endReason(live), 'credential_changed');
  });

  it('an API key revoked with an Idempotency-Key: live.end token_revoked', async () => {
    const created = await server.call<CreatedApiKey>('POST', '/v1/api-keys', { body: { name: 'Keyed backend' } });
    expectStatus(created, 201);
    const live = await openLive(server, created.body.secret, [{ topic: 'feed' }]);
    await readyOf(live);
    expectStatus(await server.call('DELETE', `/v1/api-keys/${created.body.key.id}`, { headers: { 'Idempotency-Key': `revoke-${created.body.key.id}` } }), 200);
    assert.equal(await endReason(live), 'token_revoked');
  });

  it('a deactivation whose keyed request fails afterwards notifies nobody (rolled back)', async () => {
    // A conflicting replay of the same key with another body is refused before any work: the
    // person stays active and the stream stays open.
    const p = await person(server, 'Ron Rollback');
    expectStatus(await server.call('POST', `/v1/rooms/${w.room.id}/members`, { body: { personId: p.id, role: 'mentee' } }), 201);
    const live = await openLive(server, await tokenFor(server, p.id), [{ topic: `room:${w.room.id}` }]);
    await readyOf(live);
    const bad = await server.call('PATCH', `/v1/people/${p.id}`, { body: { active: 'no' }, headers: { 'Idempotency-Key': `bad-${p.id}` } });
    expectStatus(bad, 400);
    const m = await message(server, w.room.id, 'still here', tok.mentee);
    await live.until('the message after the refused request', () => dataIds(live).includes(m.id));
    assert.ok(!live.ended());
    live.close();
  });
});

describe('access lost outside the API', () => {
  it('an access token that expires: live.end token_expired at its expiry', async () => {
    const short = await startServer({ heartbeatMs: 100, accessTokenTtlSeconds: 2 });
    try {
      const world = await buildWorld(short);
      const token = await tokenFor(short, world.mentee.id);
      const legacy = await openLegacy(short, `/v1/rooms/${world.room.id}/events`, token);
      const live = await openLive(short, token, [{ topic: `room:${world.room.id}` }]);
      await readyOf(live);
      await live.until('live.end', () => live.ended(), 10_000);
      assert.equal(await endReason(live), 'token_expired');
      await legacy.until('the legacy stream to end', () => legacy.ended(), 10_000);
      expectStatus(await short.call('GET', '/v1/me', { auth: token }), 401, 'unauthenticated');
    } finally {
      await short.close();
    }
  });

  it('a person deactivated through SCIM: live.end person_deactivated', async () => {
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    const scimServer = await startServer({ port, heartbeatMs: 100, integrations: { publicUrl, widgetsScriptUrl: `${publicUrl}/widgets/menteo.js`, logger: () => {} } });
    try {
      const world = await buildWorld(scimServer);
      const created = await scimServer.call<CreatedScimToken>('POST', '/v1/integrations/scim/tokens', { body: { label: 'Okta' } });
      expectStatus(created, 201);
      const scim = (method: string, path: string, body: unknown) => fetch(`${publicUrl}/scim/v2${path}`, {
        method, headers: { authorization: `Bearer ${created.body.secret}`, 'content-type': 'application/scim+json' }, body: JSON.stringify(body),
      });
      const user = await scim('POST', '/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'sam@acme.test', externalId: 'okta-sam', displayName: 'Sam', active: true });
      assert.equal(user.status, 201, await user.clone().text());
      const { id: scimId } = (await user.json()) as { id: string };
      const s = await scimServer.call<EmbedSession>('POST', '/v1/embed-sessions', { body: { externalId: 'okta-sam' } });
      expectStatus(s, 201);
      const token = await (async () => {
        const t = await scimServer.call<{ accessToken: string }>('POST', '/v1/tokens', { auth: null, body: { clientSecret: s.body.clientSecret } });
        expectStatus(t, 200);
        return t.body.accessToken;
      })();
      const live = await openLive(scimServer, token, [{ topic: 'feed' }]);
      await readyOf(live);
      const legacy = await openLegacy(scimServer, '/v1/events', token);
      const patched = await scim('PATCH', `/Users/${scimId}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] });
      assert.equal(patched.status, 200, await patched.text());
      assert.equal(await endReason(live), 'person_deactivated');
      await legacy.until('the legacy feed to end', () => legacy.ended());
      void world;
    } finally {
      await scimServer.close();
    }
  });

  it('shutting down: live.end shutdown on every connection', async () => {
    const doomed = await startServer({ heartbeatMs: 100 });
    let live: Reader | undefined;
    try {
      const world = await buildWorld(doomed);
      const token = await tokenFor(doomed, world.mentee.id);
      live = await openLive(doomed, token, [{ topic: `room:${world.room.id}` }]);
      await readyOf(live);
    } finally {
      await doomed.close();
    }
    assert.equal(await endReason(live), 'shutdown');
  });
});
