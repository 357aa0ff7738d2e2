// Authentication and the organization: API keys, embed sessions, the token exchange, /me,
// origins and CORS, deactivation, revocation, scopes and room limits.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ApiKey, CreatedApiKey, Me, Organization, Person, Room } from '@menteo/api';
import { startServer, type TestServer } from './support/server.js';
import { buildWorld, expectStatus, person, tokenFor, type World } from './support/world.js';

let server: TestServer;
let w: World;

before(async () => {
  server = await startServer({ accessTokenTtlSeconds: 60 });
  w = await buildWorld(server);
});
after(async () => {
  assert.ok(server.validator.checked > 50, 'responses were validated against the OpenAPI document');
  await server.close();
});

describe('API keys and the organization', () => {
  it('answers 401 without, with a malformed and with an unknown credential', async () => {
    expectStatus(await server.call('GET', '/v1/me', { auth: null }), 401, 'unauthenticated');
    const bad = await server.call('GET', '/v1/me', { headers: { authorization: 'Basic abc' }, auth: null });
    expectStatus(bad, 401, 'unauthenticated');
    assert.equal((bad.body as { field?: string }).field, 'Authorization');
    expectStatus(await server.call('GET', '/v1/me', { auth: 'mk_not-a-real-key' }), 401, 'unauthenticated');
    expectStatus(await server.call('GET', '/v1/me', { auth: 'whatever' }), 401, 'unauthenticated');
  });

  it('GET /v1/me with a key: the organization, every scope, no person unless acting as one', async () => {
    const me = await server.call<Me>('GET', '/v1/me');
    expectStatus(me, 200);
    assert.equal(me.body.organization.id, server.orgId);
    assert.equal(me.body.person, null);
    assert.equal(me.body.roomIds, null);
    assert.ok(me.body.scopes.includes('org:admin'));
    const acting = await server.call<Me>('GET', '/v1/me', { actAs: w.mentee.id });
    assert.equal(acting.body.person?.id, w.mentee.id);
  });

  it('rejects a malformed, foreign or unknown Menteo-Act-As', async () => {
    for (const actAs of ['nobody', w.other.personId, 'per_01ARZ3NDEKTSV4RRFFQ69G5FAV']) {
      const r = await server.call('GET', '/v1/me', { actAs });
      expectStatus(r, 400, 'invalid_request');
      assert.equal((r.body as { field?: string }).field, 'Menteo-Act-As');
    }
  });

  it('requires Menteo-Act-As for authored writes with a key', async () => {
    const r = await server.call('POST', `/v1/rooms/${w.room.id}/messages`, { body: { body: 'hello' } });
    expectStatus(r, 400, 'invalid_request');
    assert.equal((r.body as { field?: string }).field, 'Menteo-Act-As');
  });

  it('lets Menteo-Act-As name only someone who may write there: not an outsider, not an observer', async () => {
    const mentor = { actAs: w.mentor.id };
    const roadmap = await server.call<{ id: string; version: number; milestones: { id: string }[] }>('POST', '/v1/roadmaps', {
      ...mentor, body: { roomId: w.room.id, ownerId: w.mentee.id, title: 'Act-as plan', startDate: '2026-01-01', milestones: [{ title: 'First', dueDate: '2026-02-01' }] },
    });
    expectStatus(roadmap, 201);
    const thread = await server.call<{ id: string }>('POST', '/v1/threads', { actAs: w.mentee.id, body: { title: 'Act-as thread', roomId: w.room.id } });
    expectStatus(thread, 201);
    const post = await server.call<{ id: string }>('POST', `/v1/threads/${thread.body.id}/posts`, { actAs: w.mentee.id, body: { body: 'room post' } });
    expectStatus(post, 201);
    const room = `/v1/rooms/${w.room.id}`;
    const milestone = roadmap.body.milestones[0]?.id ?? '';
    const writes: [string, string, unknown][] = [
      ['POST', `${room}/messages`, { body: 'hello' }],
      ['POST', `${room}/check-ins`, { progress: 'fine', confidence: 3 }],
      ['POST', `${room}/resources`, { title: 'Doc', url: 'https://docs.example.com' }],
      ['POST', `${room}/notes`, { sessionDate: '2026-01-05', summary: 'We met' }],
      ['POST', '/v1/threads', { title: 'In the room', roomId: w.room.id }],
      ['POST', `/v1/posts/${post.body.id}/comments`, { body: 'a comment' }],
      ['PUT', `/v1/posts/${post.body.id}/reactions/applause`, undefined],
      ['PATCH', `/v1/roadmaps/${roadmap.body.id}`, { title: 'Renamed', reason: 'because' }],
      ['POST', `/v1/roadmaps/${roadmap.body.id}/milestones`, { milestone: { title: 'More', dueDate: '2026-03-01' }, reason: 'because' }],
      ['PATCH', `/v1/roadmaps/${roadmap.body.id}/milestones/${milestone}`, { status: 'done', reason: 'because' }],
      ['POST', '/v1/roadmaps', { roomId: w.room.id, ownerId: w.mentee2.id, title: 'Not yours', startDate: '2026-01-01' }],
    ];
    for (const actAs of [w.outsider.id, w.observer.id]) {
      for (const [method, path, body] of writes) {
        const r = await server.call(method, path, { actAs, ...(body === undefined ? {} : { body }) });
        expectStatus(r, 403, 'forbidden');
      }
    }
    const revisions = await server.call<{ items: { author: { id: string } }[] }>('GET', `/v1/roadmaps/${roadmap.body.id}/revisions`);
    assert.deepEqual(revisions.body.items.map((r) => r.author.id), [w.mentor.id], 'no revision by an outsider or an observer');
    // The rule still lets members, and organization admins, write through a key.
    expectStatus(await server.call('POST', `${room}/messages`, { actAs: w.mentee.id, body: { body: 'from the mentee' } }), 201);
    expectStatus(await server.call('POST', `${room}/messages`, { actAs: w.admin.id, body: { body: 'from the admin' } }), 201);
    expectStatus(await server.call('PATCH', `/v1/roadmaps/${roadmap.body.id}`, { actAs: w.mentee.id, body: { title: 'My plan', reason: 'mine' } }), 200);
  });

  it('lets an organization admin who observes a room only read there, like any observer', async () => {
    const room = await server.call<Room>('POST', '/v1/rooms', { body: { title: 'Observed by an admin', members: [{ personId: w.mentor.id, role: 'mentor' }, { personId: w.mentee.id, role: 'mentee' }, { personId: w.admin.id, role: 'observer' }] } });
    const thread = await server.call<{ id: string }>('POST', '/v1/threads', { actAs: w.mentee.id, body: { title: 'Observed', roomId: room.body.id } });
    const post = await server.call<{ id: string }>('POST', `/v1/threads/${thread.body.id}/posts`, { actAs: w.mentee.id, body: { body: 'org post', audience: 'org' } });
    const admin = await tokenFor(server, w.admin.id);
    expectStatus(await server.call('GET', `/v1/rooms/${room.body.id}/messages`, { auth: admin }), 200);
    expectStatus(await server.call('POST', `/v1/rooms/${room.body.id}/messages`, { auth: admin, body: { body: 'hi' } }), 403, 'forbidden');
    expectStatus(await server.call('POST', `/v1/rooms/${room.body.id}/messages`, { actAs: w.admin.id, body: { body: 'hi' } }), 403, 'forbidden');
    expectStatus(await server.call('PUT', `/v1/posts/${post.body.id}/reactions/insight`, { auth: admin }), 403, 'forbidden');
    // Managing the room stays the admin's: they can change their own role.
    expectStatus(await server.call('PATCH', `/v1/rooms/${room.body.id}/members/${w.admin.id}`, { auth: await tokenFor(server, w.admin.id, { scopes: ['rooms:read', 'rooms:write'] }), body: { role: 'mentor' } }), 200);
    expectStatus(await server.call('POST', `/v1/rooms/${room.body.id}/messages`, { auth: admin, body: { body: 'now as a mentor' } }), 201);
  });

  it('GET and PATCH /v1/organization', async () => {
    const got = await server.call<Organization>('GET', '/v1/organization');
    expectStatus(got, 200);
    assert.deepEqual(got.body.allowedOrigins, ['https://intranet.acme.test']);
    const patched = await server.call<Organization>('PATCH', '/v1/organization', { body: { name: 'Acme Corp', allowedOrigins: ['https://intranet.acme.test', 'https://portal.acme.test'] } });
    expectStatus(patched, 200);
    assert.equal(patched.body.name, 'Acme Corp');
    assert.equal(patched.body.allowedOrigins.length, 2);
    expectStatus(await server.call('PATCH', '/v1/organization', { body: { allowedOrigins: ['https://x.test/path'] } }), 400, 'invalid_request');
  });

  it('creates, lists and revokes API keys; a revoked key stops working at once; scopes bind', async () => {
    const created = await server.call<CreatedApiKey>('POST', '/v1/api-keys', { body: { name: 'reader', scopes: ['rooms:read'] } });
    expectStatus(created, 201);
    assert.match(created.body.secret, /^mk_/);
    assert.ok(created.body.secret.startsWith(created.body.key.prefix));
    const reader = created.body.secret;
    expectStatus(await server.call('GET', '/v1/rooms', { auth: reader }), 200);
    expectStatus(await server.call('POST', '/v1/rooms', { auth: reader, body: { title: 'x' } }), 403, 'forbidden');
    expectStatus(await server.call('GET', '/v1/api-keys', { auth: reader }), 403, 'forbidden');
    const list = await server.call<{ items: ApiKey[] }>('GET', '/v1/api-keys');
    expectStatus(list, 200);
    assert.ok(list.body.items.some((k) => k.id === created.body.key.id));
    assert.ok(!JSON.stringify(list.body).includes(reader), 'never lists secrets');
    const revoked = await server.call<ApiKey>('DELETE', `/v1/api-keys/${created.body.key.id}`);
    expectStatus(revoked, 200);
    assert.ok(revoked.body.revokedAt);
    expectStatus(await server.call('GET', '/v1/rooms', { auth: reader }), 401, 'unauthenticated');
    // Another organization's key id is simply not found.
    const foreign = await server.call<{ items: ApiKey[] }>('GET', '/v1/api-keys', { auth: w.other.apiKey });
    expectStatus(await server.call('DELETE', `/v1/api-keys/${foreign.body.items[0]?.id}`), 404, 'not_found');
  });

  it('keeps key-only endpoints away from access tokens, and admin endpoints away from tokens of people who are not admins', async () => {
    // Embed sessions stay key-only: even an admin's token cannot sign in as someone else.
    const admin = await tokenFor(server, w.admin.id, { scopes: ['people:write', 'org:admin', 'people:read'] });
    expectStatus(await server.call('POST', '/v1/embed-sessions', { auth: admin, body: { personId: w.mentee.id } }), 403, 'forbidden');
    // The admin console's endpoints take the admin role, not only the scope (admin-console-api.test.ts has the rest).
    const mentor = await tokenFor(server, w.mentor.id, { scopes: ['people:write', 'org:admin', 'people:read'] });
    expectStatus(await server.call('POST', '/v1/people', { auth: mentor, body: { displayName: 'X' } }), 403, 'forbidden');
    expectStatus(await server.call('GET', '/v1/api-keys', { auth: mentor }), 403, 'forbidden');
  });
});

describe('people', () => {
  it('creates, reads, lists with filters and updates people; externalId is unique', async () => {
    const p = await server.call<Person>('POST', '/v1/people', { body: { displayName: 'Sam Search', email: 'sam@acme.test', externalId: 'hr-42', skills: ['Go', 'system-design'], roles: ['mentor'] } });
    expectStatus(p, 201);
    assert.deepEqual(p.body.skills, ['go', 'system-design']);
    expectStatus(await server.call('POST', '/v1/people', { body: { displayName: 'Dup', externalId: 'hr-42' } }), 409, 'conflict');
    expectStatus(await server.call('GET', `/v1/people/${p.body.id}`), 200);
    const byExt = await server.call<{ items: Person[] }>('GET', '/v1/people?externalId=hr-42');
    assert.deepEqual(byExt.body.items.map((x) => x.id), [p.body.id]);
    const byQ = await server.call<{ items: Person[] }>('GET', '/v1/people?q=SAM%40acme');
    assert.deepEqual(byQ.body.items.map((x) => x.id), [p.body.id]);
    const wildcard = await server.call<{ items: Person[] }>('GET', '/v1/people?q=%25');
    assert.equal(wildcard.body.items.length, 0, 'LIKE wildcards are escaped');
    const bySkill = await server.call<{ items: Person[] }>('GET', '/v1/people?skill=system-design');
    assert.deepEqual(bySkill.body.items.map((x) => x.id), [p.body.id]);
    const byRole = await server.call<{ items: Person[] }>('GET', '/v1/people?role=admin');
    assert.deepEqual(byRole.body.items.map((x) => x.id), [w.admin.id]);
    const updated = await server.call<Person>('PATCH', `/v1/people/${p.body.id}`, { body: { title: 'Staff engineer', email: null } });
    expectStatus(updated, 200);
    assert.equal(updated.body.title, 'Staff engineer');
    assert.equal(updated.body.email, null);
    expectStatus(await server.call('GET', `/v1/people/${w.other.personId}`), 404, 'not_found');
    expectStatus(await server.call('PATCH', `/v1/people/${w.other.personId}`, { body: { title: 'x' } }), 404, 'not_found');
  });

  it('lets tokens with people:read list people, not without it', async () => {
    const token = await tokenFor(server, w.mentee.id);
    expectStatus(await server.call('GET', '/v1/people', { auth: token }), 200);
    const narrow = await tokenFor(server, w.mentee.id, { scopes: ['rooms:read'] });
    expectStatus(await server.call('GET', '/v1/people', { auth: narrow }), 403, 'forbidden');
    expectStatus(await server.call(`GET`, `/v1/people/${w.mentor.id}`, { auth: narrow }), 403, 'forbidden');
  });
  it('accepts https avatar URLs only, naming the field', async () => {
    const target = await person(server, 'Ava Avatar');
    for (const avatarUrl of ['http://images.example.com/a.png', 'javascript:alert(1)', 'data:image/png;base64,AAAA', 'ftp://images.example.com/a.png', 'https://']) {
      const created = await server.call('POST', '/v1/people', { body: { displayName: 'Bad Avatar', avatarUrl } });
      expectStatus(created, 400, 'invalid_request');
      assert.equal((created.body as { field?: string }).field, 'avatarUrl', avatarUrl);
      const updated = await server.call('PATCH', `/v1/people/${target.id}`, { body: { avatarUrl } });
      expectStatus(updated, 400, 'invalid_request');
      assert.equal((updated.body as { field?: string }).field, 'avatarUrl', avatarUrl);
    }
    const ok = await server.call<Person>('PATCH', `/v1/people/${target.id}`, { body: { avatarUrl: 'https://images.example.com/ava.png' } });
    expectStatus(ok, 200);
    assert.equal(ok.body.avatarUrl, 'https://images.example.com/ava.png');
  });
});

describe('embed sessions and tokens', () => {
  it('mints a secret by personId or externalId and exchanges it once', async () => {
    const p = await server.call<Person>('POST', '/v1/people', { body: { displayName: 'Ext Person', externalId: 'lms-7' } });
    const s = await server.call<{ clientSecret: string; personId: string; expiresAt: string }>('POST', '/v1/embed-sessions', { body: { externalId: 'lms-7', ttlSeconds: 30 } });
    expectStatus(s, 201);
    assert.equal(s.body.personId, p.body.id);
    const t = await server.call<{ accessToken: string; expiresIn: number }>('POST', '/v1/tokens', { auth: null, body: { clientSecret: s.body.clientSecret } });
    expectStatus(t, 200);
    assert.equal(t.body.expiresIn, 60);
    const me = await server.call<Me>('GET', '/v1/me', { auth: t.body.accessToken });
    assert.equal(me.body.person?.id, p.body.id);
    assert.deepEqual([...me.body.scopes].sort(), [...(await import('@menteo/api/scopes')).DEFAULT_EMBED_SCOPES].sort());
    const reuse = await server.call('POST', '/v1/tokens', { auth: null, body: { clientSecret: s.body.clientSecret } });
    expectStatus(reuse, 401, 'unauthenticated');
    expectStatus(await server.call('POST', '/v1/tokens', { auth: null, body: { clientSecret: 'mcs_nope' } }), 401, 'unauthenticated');
  });

  it('lets exactly one of two concurrent exchanges of one secret succeed', async () => {
    const s = await server.call<{ clientSecret: string }>('POST', '/v1/embed-sessions', { body: { personId: w.mentee.id } });
    const replies = await Promise.all([1, 2, 3].map(() => server.call('POST', '/v1/tokens', { auth: null, body: { clientSecret: s.body.clientSecret } })));
    assert.deepEqual(replies.map((r) => r.status).sort(), [200, 401, 401]);
  });

  it('refuses an expired client secret', async () => {
    const s = await server.call<{ clientSecret: string }>('POST', '/v1/embed-sessions', { body: { personId: w.mentee.id, ttlSeconds: 30 } });
    // Age the secret in storage rather than waiting: tests are not timed.
    await server.db.updateTable('embed_sessions').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('used_at', 'is', null).execute();
    expectStatus(await server.call('POST', '/v1/tokens', { auth: null, body: { clientSecret: s.body.clientSecret } }), 401, 'unauthenticated');
  });

  it('refuses an expired access token', async () => {
    const token = await tokenFor(server, w.mentee.id);
    expectStatus(await server.call('GET', '/v1/me', { auth: token }), 200);
    await server.db.updateTable('access_tokens').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('person_id', '=', w.mentee.id).execute();
    expectStatus(await server.call('GET', '/v1/me', { auth: token }), 401, 'unauthenticated');
  });

  it('validates sessions: one of personId/externalId, known people and rooms, scopes within the key, TTL bounds', async () => {
    expectStatus(await server.call('POST', '/v1/embed-sessions', { body: {} }), 400, 'invalid_request');
    expectStatus(await server.call('POST', '/v1/embed-sessions', { body: { personId: w.mentee.id, externalId: 'x' } }), 400, 'invalid_request');
    expectStatus(await server.call('POST', '/v1/embed-sessions', { body: { personId: w.other.personId } }), 404, 'not_found');
    expectStatus(await server.call('POST', '/v1/embed-sessions', { body: { externalId: 'missing' } }), 404, 'not_found');
    const room = await server.call('POST', '/v1/embed-sessions', { body: { personId: w.mentee.id, roomIds: [w.room.id, w.other.roomId] } });
    expectStatus(room, 404, 'not_found');
    assert.equal((room.body as { field?: string }).field, 'roomIds.1');
    for (const ttlSeconds of [29, 901]) {
      const r = await server.call('POST', '/v1/embed-sessions', { body: { personId: w.mentee.id, ttlSeconds } });
      expectStatus(r, 400, 'invalid_request');
      assert.equal((r.body as { field?: string }).field, 'ttlSeconds');
    }
    const limited = await server.call<CreatedApiKey>('POST', '/v1/api-keys', { body: { name: 'embedder', scopes: ['rooms:read'] } });
    expectStatus(await server.call('POST', '/v1/embed-sessions', { auth: limited.body.secret, body: { personId: w.mentee.id, scopes: ['rooms:write'] } }), 403, 'forbidden');
  });

  it('cuts off a deactivated person at once, and refuses new sessions for them', async () => {
    const p = await person(server, 'Leaving Soon');
    const token = await tokenFor(server, p.id);
    const s = await server.call<{ clientSecret: string }>('POST', '/v1/embed-sessions', { body: { personId: p.id } });
    expectStatus(await server.call('GET', '/v1/me', { auth: token }), 200);
    expectStatus(await server.call('PATCH', `/v1/people/${p.id}`, { body: { active: false } }), 200);
    expectStatus(await server.call('GET', '/v1/me', { auth: token }), 401, 'unauthenticated');
    expectStatus(await server.call('POST', '/v1/tokens', { auth: null, body: { clientSecret: s.body.clientSecret } }), 401, 'unauthenticated');
    expectStatus(await server.call('POST', '/v1/embed-sessions', { body: { personId: p.id } }), 400, 'invalid_request');
    expectStatus(await server.call('GET', '/v1/me', { actAs: p.id }), 400, 'invalid_request');
  });

  it('limits a token to its roomIds', async () => {
    const second = await server.call<Room>('POST', '/v1/rooms', { body: { title: 'Second room', members: [{ personId: w.mentee.id, role: 'mentee' }] } });
    const token = await tokenFor(server, w.mentee.id, { roomIds: [second.body.id] });
    const me = await server.call<Me>('GET', '/v1/me', { auth: token });
    assert.deepEqual(me.body.roomIds, [second.body.id]);
    expectStatus(await server.call('GET', `/v1/rooms/${second.body.id}`, { auth: token }), 200);
    expectStatus(await server.call('GET', `/v1/rooms/${w.room.id}`, { auth: token }), 404, 'not_found');
    const list = await server.call<{ items: Room[] }>('GET', '/v1/rooms', { auth: token });
    assert.deepEqual(list.body.items.map((r) => r.id), [second.body.id]);
    expectStatus(await server.call('POST', `/v1/rooms/${w.room.id}/messages`, { auth: token, body: { body: 'hi' } }), 404, 'not_found');
  });

  it('records the session components and reports them in /me', async () => {
    const token = await tokenFor(server, w.mentee.id, { components: ['feed'] });
    const me = await server.call<Me>('GET', '/v1/me', { auth: token });
    assert.deepEqual(me.body.components, ['feed']);
  });
});

describe('origins and CORS', () => {
  const allowed = 'https://intranet.acme.test';

  it('answers preflights for allowed origins only', async () => {
    const ok = await fetch(`${server.url}/v1/rooms`, { method: 'OPTIONS', headers: { origin: allowed, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, idempotency-key' } });
    assert.equal(ok.status, 204);
    assert.equal(ok.headers.get('access-control-allow-origin'), allowed);
    assert.match(ok.headers.get('access-control-allow-headers') ?? '', /Idempotency-Key/);
    assert.match(ok.headers.get('access-control-allow-headers') ?? '', /Last-Event-ID/);
    const no = await fetch(`${server.url}/v1/rooms`, { method: 'OPTIONS', headers: { origin: 'https://evil.test', 'access-control-request-method': 'GET' } });
    assert.equal(no.headers.get('access-control-allow-origin'), null);
    assert.ok(no.status >= 400);
    await no.text();
  });

  it('exchanges tokens and serves token calls from allowed origins with CORS headers, refuses others', async () => {
    const s = await server.call<{ clientSecret: string }>('POST', '/v1/embed-sessions', { body: { personId: w.mentee.id } });
    const evil = await server.call('POST', '/v1/tokens', { auth: null, headers: { origin: 'https://evil.test' }, body: { clientSecret: s.body.clientSecret } });
    expectStatus(evil, 403, 'forbidden');
    assert.equal(evil.headers.get('access-control-allow-origin'), null);
    const t = await server.call<{ accessToken: string }>('POST', '/v1/tokens', { auth: null, headers: { origin: allowed }, body: { clientSecret: s.body.clientSecret } });
    expectStatus(t, 200);
    assert.equal(t.headers.get('access-control-allow-origin'), allowed);
    assert.match(t.headers.get('access-control-expose-headers') ?? '', /X-Request-Id/);
    assert.match(t.headers.get('access-control-expose-headers') ?? '', /Retry-After/);
    const me = await server.call('GET', '/v1/me', { auth: t.body.accessToken, headers: { origin: allowed } });
    expectStatus(me, 200);
    assert.equal(me.headers.get('access-control-allow-origin'), allowed);
    const other = await server.call('GET', '/v1/me', { auth: t.body.accessToken, headers: { origin: 'https://evil.test' } });
    expectStatus(other, 403, 'forbidden');
    assert.equal((other.body as { field?: string }).field, 'Origin');
    assert.equal(other.headers.get('access-control-allow-origin'), null);
  });

  it('never gives CORS headers to secret API key calls', async () => {
    const r = await server.call('GET', '/v1/me', { headers: { origin: allowed } });
    expectStatus(r, 200);
    assert.equal(r.headers.get('access-control-allow-origin'), null);
  });
});
