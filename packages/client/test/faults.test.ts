// Fault handling, with msw placed in front of the real server: unmatched requests and every
// request a fault lets through reach the real server over HTTP; faults only break the network
// or the answer. What the server actually stored is then checked through the API.
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { bypass, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  createClient, createEmbedSession, isMenteoError, MenteoAbortError, MenteoApiError, MenteoResponseError, type MenteoClient,
} from '../src/index.js';
import { startServer, type TestServer } from './support/server.js';

const msw = setupServer();
let server: TestServer;
let backend: MenteoClient;
let author: string;
let roomId: string;

before(async () => {
  msw.listen({ onUnhandledRequest: 'bypass' });
  server = await startServer();
  backend = createClient({ baseUrl: server.url, apiKey: server.apiKey });
  author = (await backend.people.create({ displayName: 'Rita' })).id;
  roomId = (await backend.rooms.create({ title: 'Faults', members: [{ personId: author, role: 'mentee' }] })).id;
});
afterEach(() => msw.resetHandlers());
after(async () => {
  msw.close();
  await server.close();
});

/** One attempt as msw saw it. */
interface Attempt {
  at: number;
  key: string | null;
}

/** A problem+json answer, as the server would send it. */
function problem(status: number, code: string, headers: Record<string, string> = {}): Response {
  return HttpResponse.json(
    { type: `https://menteo.dev/problems/${code}`, title: 'Injected', status, code },
    { status, headers: { 'Content-Type': 'application/problem+json', ...headers } },
  );
}

/** Messages of the room, as the server has them. */
async function messages(): Promise<string[]> {
  return (await backend.rooms.messages.list(roomId).toArray()).map((m) => m.body);
}

test('the response of a write is lost after the server stored it: the retry is answered from the idempotency record, one message exists', async () => {
  const attempts: Attempt[] = [];
  msw.use(
    http.post(`${server.url}/v1/rooms/:roomId/messages`, async ({ request }) => {
      attempts.push({ at: Date.now(), key: request.headers.get('Idempotency-Key') });
      if (attempts.length === 1) {
        await fetch(bypass(request)); // the server writes…
        return HttpResponse.error(); // …and the connection drops before the answer
      }
      return undefined;
    }),
  );
  const client = createClient({ baseUrl: server.url, apiKey: server.apiKey, retry: { baseDelay: 10 } });
  const message = await client.rooms.messages.create(roomId, { body: 'lost answer' }, { actAs: author });
  assert.equal(message.body, 'lost answer');
  assert.equal(attempts.length, 2);
  assert.ok(attempts[0]?.key, 'every POST carries an Idempotency-Key');
  assert.equal(attempts[1]?.key, attempts[0]?.key, 'the retry reuses the key');
  assert.equal((await messages()).filter((b) => b === 'lost answer').length, 1, 'written exactly once');
});

test('500 twice, then success: exactly one write, one key, and full-jitter exponential gaps', async () => {
  const attempts: Attempt[] = [];
  msw.use(
    http.post(`${server.url}/v1/rooms/:roomId/messages`, async ({ request }) => {
      attempts.push({ at: Date.now(), key: request.headers.get('Idempotency-Key') });
      if (attempts.length <= 2) {
        await fetch(bypass(request)); // the write happens each time; only the answer is a 500
        return problem(500, 'internal');
      }
      return undefined;
    }),
  );
  // random → 0.999: each delay is just under its ceiling (100 ms, then 200 ms), so the gaps are measurable.
  const client = createClient({ baseUrl: server.url, apiKey: server.apiKey, retry: { baseDelay: 100, random: () => 0.999 } });
  await client.rooms.messages.create(roomId, { body: 'after 500s' }, { actAs: author });
  assert.equal(attempts.length, 3);
  assert.equal(new Set(attempts.map((a) => a.key)).size, 1);
  const [a, b, c] = attempts.map((x) => x.at);
  assert.ok(b! - a! >= 90, `first gap ${b! - a!} ms should be ~99 ms`);
  assert.ok(c! - b! >= 190, `second gap ${c! - b!} ms should be ~199 ms`);
  assert.equal((await messages()).filter((m) => m === 'after 500s').length, 1, 'written exactly once');
});

test('with zero jitter the retries come at once: the gaps above are the backoff, not the network', async () => {
  const attempts: number[] = [];
  msw.use(
    http.get(`${server.url}/v1/health`, () => {
      attempts.push(Date.now());
      return attempts.length <= 2 ? problem(502, 'unavailable') : undefined;
    }),
  );
  const client = createClient({ baseUrl: server.url, retry: { baseDelay: 1000, random: () => 0 } });
  await client.meta.health();
  assert.equal(attempts.length, 3);
  assert.ok(attempts[2]! - attempts[0]! < 500, 'random 0 means no wait although the base is 1 s');
});

test('429 with Retry-After in seconds is honoured as sent (no jitter)', async () => {
  const attempts: number[] = [];
  msw.use(
    http.get(`${server.url}/v1/rooms`, () => {
      attempts.push(Date.now());
      return attempts.length === 1 ? problem(429, 'rate_limited', { 'Retry-After': '1' }) : undefined;
    }),
  );
  const client = createClient({ baseUrl: server.url, apiKey: server.apiKey, retry: { random: () => 0 } });
  await client.rooms.list();
  assert.equal(attempts.length, 2);
  const gap = attempts[1]! - attempts[0]!;
  assert.ok(gap >= 990 && gap < 2500, `waited ${gap} ms for Retry-After: 1`);
});

test('429 with Retry-After as an HTTP date is honoured', async () => {
  const attempts: number[] = [];
  msw.use(
    http.get(`${server.url}/v1/rooms`, () => {
      attempts.push(Date.now());
      // Two seconds ahead, truncated to the second by the date format: a wait of 1–2 s.
      const when = new Date(Math.floor(Date.now() / 1000) * 1000 + 2000).toUTCString();
      return attempts.length === 1 ? problem(429, 'rate_limited', { 'Retry-After': when }) : undefined;
    }),
  );
  const client = createClient({ baseUrl: server.url, apiKey: server.apiKey, retry: { random: () => 0 } });
  await client.rooms.list();
  const gap = attempts[1]! - attempts[0]!;
  assert.ok(gap >= 900 && gap < 3000, `waited ${gap} ms for a date 1–2 s ahead`);
});

test('a 429 that outlasts the retries surfaces as rate_limited with retryAfter', async () => {
  msw.use(http.get(`${server.url}/v1/rooms`, () => problem(429, 'rate_limited', { 'Retry-After': '0' })));
  const client = createClient({ baseUrl: server.url, apiKey: server.apiKey, retry: { limit: 1 } });
  const error = await client.rooms.list().then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof MenteoApiError);
  assert.equal(error.code, 'rate_limited');
  assert.equal(error.retryAfter, 0);
});

test('at most 3 retries: a server that keeps failing is tried 4 times, then a typed error', async () => {
  let attempts = 0;
  msw.use(
    http.get(`${server.url}/v1/health`, () => {
      attempts += 1;
      return problem(503, 'unavailable');
    }),
  );
  const client = createClient({ baseUrl: server.url, retry: { baseDelay: 5 } });
  const error = await client.meta.health().catch((e: unknown) => e);
  assert.equal(attempts, 4);
  assert.ok(isMenteoError(error, 'unavailable'));
  assert.equal(error.status, 503);
});

test('4xx answers other than 408/429 are not retried', async () => {
  let attempts = 0;
  msw.use(
    http.get(`${server.url}/v1/rooms/:roomId`, () => {
      attempts += 1;
      return undefined;
    }),
  );
  await assert.rejects(backend.rooms.get('room_01J0000000000000000000000Z'), (e) => isMenteoError(e, 'not_found'));
  assert.equal(attempts, 1);
});

test('a dropped connection on a read is retried and succeeds', async () => {
  let attempts = 0;
  msw.use(
    http.get(`${server.url}/v1/rooms/:roomId`, () => {
      attempts += 1;
      return attempts === 1 ? HttpResponse.error() : undefined;
    }),
  );
  const client = createClient({ baseUrl: server.url, apiKey: server.apiKey, retry: { baseDelay: 5 } });
  assert.equal((await client.rooms.get(roomId)).id, roomId);
  assert.equal(attempts, 2);
});

test('aborting during a Retry-After wait ends the call at once with MenteoAbortError', async () => {
  msw.use(http.get(`${server.url}/v1/rooms`, () => problem(503, 'unavailable', { 'Retry-After': '30' })));
  const client = createClient({ baseUrl: server.url, apiKey: server.apiKey });
  const controller = new AbortController();
  const started = Date.now();
  setTimeout(() => controller.abort(), 100);
  const error = await client.rooms.list({}, { signal: controller.signal }).then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof MenteoAbortError);
  assert.ok(Date.now() - started < 2000, 'did not sit out the 30 s');
});

test('an answer that does not match the contract is a MenteoResponseError, not a crash later', async () => {
  msw.use(
    http.get(`${server.url}/v1/rooms/:roomId`, async ({ request }) => {
      const real = (await (await fetch(bypass(request))).json()) as Record<string, unknown>;
      return HttpResponse.json({ ...real, id: 42, members: 'nobody' });
    }),
  );
  const error = await backend.rooms.get(roomId).catch((e: unknown) => e);
  assert.ok(error instanceof MenteoResponseError);
  assert.equal(error.code, 'invalid_response');
  assert.deepEqual(error.issues.map((i) => i.path).sort(), ['id', 'members']);
});

test('a non-JSON error page (a proxy) still yields a typed error from the status', async () => {
  msw.use(http.get(`${server.url}/v1/rooms/:roomId`, () => new HttpResponse('<html>Bad gateway</html>', { status: 404, headers: { 'Content-Type': 'text/html' } })));
  const error = await backend.rooms.get(roomId).catch((e: unknown) => e);
  assert.ok(error instanceof MenteoApiError);
  assert.equal(error.code, 'not_found');
});

test('a 401 in the middle of a session: N concurrent requests trigger exactly one refresh, then all succeed', async () => {
  let secrets = 0;
  const exchanges: number[] = [];
  const revoked = new Set<string>();
  let seenBearer: string | null = null;
  msw.use(
    http.post(`${server.url}/v1/tokens`, () => {
      exchanges.push(Date.now());
      return undefined;
    }),
    http.all(`${server.url}/v1/*`, ({ request }) => {
      const bearer = request.headers.get('Authorization');
      // The browser's first call is GET /v1/me (the backend's API key calls other paths).
      if (new URL(request.url).pathname === '/v1/me') seenBearer ??= bearer;
      if (bearer !== null && revoked.has(bearer)) return problem(401, 'unauthenticated');
      return undefined;
    }),
  );
  const browser = createClient({
    baseUrl: server.url,
    clientSecret: async () => {
      secrets += 1;
      return (await createEmbedSession(backend, { personId: author })).clientSecret;
    },
  });
  await browser.me.get();
  assert.ok(seenBearer);
  revoked.add(seenBearer); // the token dies mid-session (revoked, or the server's clock ran ahead)
  const N = 8;
  const results = await Promise.all(Array.from({ length: N }, () => browser.rooms.get(roomId)));
  assert.equal(results.length, N);
  assert.ok(results.every((r) => r.id === roomId));
  assert.equal(secrets, 2, 'one initial secret and exactly one refresh');
  assert.equal(exchanges.length, 2);
});

test('a 401 that persists after the refresh surfaces as unauthenticated: one refresh, no loop', async () => {
  let secrets = 0;
  msw.use(
    http.get(`${server.url}/v1/rooms/:roomId`, ({ request }) =>
      request.headers.get('Authorization') ? problem(401, 'unauthenticated') : undefined,
    ),
  );
  const browser = createClient({
    baseUrl: server.url,
    clientSecret: async () => {
      secrets += 1;
      return (await createEmbedSession(backend, { personId: author })).clientSecret;
    },
  });
  const error = await browser.rooms.get(roomId).catch((e: unknown) => e);
  assert.ok(isMenteoError(error, 'unauthenticated'));
  assert.equal(secrets, 2);
});

test('a lost answer to the token exchange: the spent secret cannot be replayed (409), so the client asks the host for a fresh one', async () => {
  let attempts = 0;
  let secrets = 0;
  const keys: Array<string | null> = [];
  msw.use(
    http.post(`${server.url}/v1/tokens`, async ({ request }) => {
      attempts += 1;
      keys.push(request.headers.get('Idempotency-Key'));
      if (attempts === 1) {
        await fetch(bypass(request)); // the single-use secret is spent here…
        return HttpResponse.error(); // …and the answer is lost
      }
      return undefined;
    }),
  );
  const browser = createClient({
    baseUrl: server.url,
    retry: { baseDelay: 5 },
    clientSecret: async () => {
      secrets += 1;
      return (await createEmbedSession(backend, { personId: author })).clientSecret;
    },
  });
  const me = await browser.me.get();
  assert.equal(me.person?.id, author);
  assert.equal(secrets, 2, 'a second secret from the host');
  assert.equal(attempts, 3, 'lost answer, the server\'s 409 for the same key, then the fresh secret');
  assert.equal(keys[1], keys[0], 'the retry reused the key (the server refuses to replay a secret)');
  assert.notEqual(keys[2], keys[0], 'the fresh secret goes with a fresh key');
});
