// Embed sessions and browser credentials against the real server: a host backend mints a
// single-use secret with its API key; the browser client exchanges it for an in-memory access
// token, reuses it, and refreshes it before it expires.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createClient, createEmbedSession, isMenteoError, MenteoApiError, type MenteoClient } from '../src/index.js';
import { startServer, type TestServer } from './support/server.js';

let server: TestServer;
let backend: MenteoClient;
let person: string;
let roomId: string;

/** A fetch that records what went over the wire (method, path, status, bearer). */
function recordingFetch() {
  const log: Array<{ method: string; path: string; status: number; bearer: string | null }> = [];
  const fetchImpl = async (request: Request, init?: RequestInit) => {
    const response = await fetch(request, init);
    log.push({
      method: request.method,
      path: new URL(request.url).pathname,
      status: response.status,
      bearer: request.headers.get('authorization'),
    });
    return response;
  };
  return { log, fetch: fetchImpl };
}

before(async () => {
  // Tokens live 2 s here so that "refresh before expiry" is observable in a test.
  server = await startServer({ accessTokenTtlSeconds: 2 });
  backend = createClient({ baseUrl: server.url, apiKey: server.apiKey });
  person = (await backend.people.create({ displayName: 'Ines', externalId: 'hr-ines' })).id;
  roomId = (await backend.rooms.create({ title: 'Embedded room', members: [{ personId: person, role: 'mentee' }] })).id;
});
after(() => server.close());

test('createEmbedSession mints a single-use secret for a person by external id', async () => {
  const session = await createEmbedSession({ baseUrl: server.url, apiKey: server.apiKey }, { externalId: 'hr-ines', ttlSeconds: 60 });
  assert.equal(session.personId, person);
  assert.ok(session.clientSecret.length > 20);
  assert.ok(Date.parse(session.expiresAt) > Date.now());
  // The same helper over an existing client.
  const again = await createEmbedSession(backend, { personId: person });
  assert.notEqual(again.clientSecret, session.clientSecret);
});

test('createEmbedSession refuses to run without a secret API key', async () => {
  const browser = createClient({ baseUrl: server.url, clientSecret: async () => 'x' });
  await assert.rejects(createEmbedSession(browser, { personId: person }), TypeError);
});

test('a browser client exchanges the secret once and reuses the token for concurrent calls', async () => {
  let secrets = 0;
  const wire = recordingFetch();
  const browser = createClient({
    baseUrl: server.url,
    fetch: wire.fetch,
    clientSecret: async () => {
      secrets += 1;
      return (await createEmbedSession(backend, { personId: person })).clientSecret;
    },
  });
  const [me, room, rooms] = await Promise.all([browser.me.get(), browser.rooms.get(roomId), browser.rooms.list()]);
  assert.equal(me.person?.id, person);
  assert.equal(room.id, roomId);
  assert.deepEqual(rooms.items.map((r) => r.id), [roomId], 'a person sees only their rooms');
  assert.equal(secrets, 1, 'one secret for three concurrent calls');
  const exchanges = wire.log.filter((r) => r.path === '/v1/tokens');
  assert.equal(exchanges.length, 1);
  assert.equal(exchanges[0]?.bearer, null, 'the exchange carries the secret in the body, no Authorization');
  const bearers = new Set(wire.log.filter((r) => r.path !== '/v1/tokens').map((r) => r.bearer));
  assert.equal(bearers.size, 1);
  assert.match([...bearers][0] ?? '', /^Bearer /);
  for (const r of wire.log) assert.ok(!r.path.includes('mat_') && !r.path.includes('mcs_'), 'no credential in a URL');
});

test('the token is refreshed shortly before it expires, not after a failure', async () => {
  let secrets = 0;
  const wire = recordingFetch();
  const browser = createClient({
    baseUrl: server.url,
    fetch: wire.fetch,
    clientSecret: async () => {
      secrets += 1;
      return (await createEmbedSession(backend, { personId: person })).clientSecret;
    },
  });
  await browser.me.get();
  // 2 s tokens are refreshed when a fifth (0.4 s) remains: at 1.7 s the old one is still valid.
  await new Promise((r) => setTimeout(r, 1700));
  await browser.me.get();
  assert.equal(secrets, 2);
  assert.deepEqual(
    wire.log.map((r) => `${r.path} ${r.status}`),
    ['/v1/tokens 200', '/v1/me 200', '/v1/tokens 200', '/v1/me 200'],
    'no 401 was needed: the refresh was proactive',
  );
  const [first, second] = wire.log.filter((r) => r.path === '/v1/me').map((r) => r.bearer);
  assert.notEqual(first, second);
});

test('a session limited by scope is refused other actions with a typed forbidden', async () => {
  const browser = createClient({
    baseUrl: server.url,
    clientSecret: async () => (await createEmbedSession(backend, { personId: person, scopes: ['rooms:read'] })).clientSecret,
  });
  assert.equal((await browser.rooms.get(roomId)).id, roomId);
  const error = await browser.rooms.messages.create(roomId, { body: 'hi' }).catch((e: unknown) => e);
  assert.ok(error instanceof MenteoApiError);
  assert.equal(error.code, 'forbidden');
  assert.equal(error.status, 403);
});

test('a secret that was already used fails the exchange with a typed unauthenticated', async () => {
  const { clientSecret } = await createEmbedSession(backend, { personId: person });
  const first = createClient({ baseUrl: server.url, clientSecret: async () => clientSecret });
  await first.me.get();
  const second = createClient({ baseUrl: server.url, clientSecret: async () => clientSecret });
  const error = await second.me.get().catch((e: unknown) => e);
  assert.ok(isMenteoError(error, 'unauthenticated'));
});

test('a failing clientSecret function is a typed sign_in_failed error, and Menteo is not called', async () => {
  const { log, fetch: recording } = recordingFetch();
  const browser = createClient({
    baseUrl: server.url,
    fetch: recording,
    clientSecret: async () => {
      throw new Error('intranet session expired');
    },
  });
  await assert.rejects(browser.me.get(), (error: unknown) => {
    assert.ok(isMenteoError(error, 'sign_in_failed'));
    assert.equal((error.cause as Error).message, 'intranet session expired');
    return true;
  });
  assert.deepEqual(log, []);
  const empty = createClient({ baseUrl: server.url, fetch: recording, clientSecret: async () => '' });
  await assert.rejects(empty.me.get(), (error: unknown) => isMenteoError(error, 'sign_in_failed'));
});
