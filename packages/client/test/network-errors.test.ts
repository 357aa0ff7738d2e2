// Calls that get no answer (issue 8, findings 18 and 20): timeouts are retried like other
// transient failures, the per-attempt timeout outlasts the server's wait for an in-progress
// Idempotency-Key, and every "no answer" error names its cause and says whether the write may
// have been applied and whether it is safe to retry with the same key. The real server answers
// over HTTP; faults come from msw (a slow first attempt) and from a small TCP proxy that
// forwards a request to the real server and then resets the client's connection.
import assert from 'node:assert/strict';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { after, afterEach, before, test } from 'node:test';
import { http } from 'msw';
import { setupServer } from 'msw/node';
import {
  createClient, MenteoAbortError, MenteoApiError, MenteoNetworkError, MenteoTimeoutError, type MenteoClient,
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
  author = (await backend.people.create({ displayName: 'Nia' })).id;
  roomId = (await backend.rooms.create({ title: 'No answer', members: [{ personId: author, role: 'mentee' }] })).id;
});
afterEach(() => msw.resetHandlers());
after(async () => {
  msw.close();
  await server.close();
});

async function messages(): Promise<string[]> {
  return (await backend.rooms.messages.list(roomId).toArray()).map((m) => m.body);
}

/** A port nothing listens on: bound once, then closed. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/**
 * A TCP proxy to the real server that lets the request through, waits for the server's answer
 * to start (so the write is committed), and then resets the client's connection instead of
 * passing the answer on: a connection reset after the server applied the write.
 */
async function resettingProxy(resets: number): Promise<{ url: string; close(): Promise<void> }> {
  const target = new URL(server.url);
  let left = resets;
  const sockets = new Set<Socket>();
  const proxy: Server = createServer((client) => {
    sockets.add(client);
    const upstream = connect(Number(target.port), target.hostname);
    sockets.add(upstream);
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
    client.pipe(upstream);
    const reset = left > 0;
    if (reset) left -= 1;
    upstream.on('data', (chunk: Buffer) => {
      if (reset) {
        client.resetAndDestroy();
        upstream.destroy();
      } else {
        client.write(chunk);
      }
    });
    upstream.on('end', () => client.end());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const { port } = proxy.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        proxy.close(() => resolve());
      }),
  };
}

test('finding 18: an attempt that times out is retried, with the same Idempotency-Key', async () => {
  const keys: Array<string | null> = [];
  msw.use(
    http.post(`${server.url}/v1/rooms/:roomId/messages`, async ({ request }) => {
      keys.push(request.headers.get('Idempotency-Key'));
      // The first attempt hangs past the client's timeout; the retry reaches the server.
      if (keys.length === 1) await new Promise((resolve) => setTimeout(resolve, 4000));
      return undefined;
    }),
  );
  // 1.5 s per attempt: the retry must be answered within it even on a loaded machine (300 ms
  // timed the retry out too when other suites shared the two cores).
  const client = createClient({ baseUrl: server.url, apiKey: server.apiKey, timeout: 1500, retry: { baseDelay: 10 } });
  const message = await client.rooms.messages.create(roomId, { body: 'after a timeout' }, { actAs: author });
  assert.equal(message.body, 'after a timeout');
  assert.equal(keys.length, 2, 'the timed-out attempt was retried');
  assert.equal(keys[0], keys[1], 'with the same key');
  assert.equal((await messages()).filter((b) => b === 'after a timeout').length, 1);
});

test('finding 18: a key still in progress on the server surfaces as its 409, not as "timed out"', async () => {
  // A first attempt whose work is still running: store it once, then mark its key pending again,
  // as the server does while the first request is in flight.
  const key = `in-progress-${Date.now()}`;
  await backend.rooms.messages.create(roomId, { body: 'in flight' }, { actAs: author, idempotencyKey: key });
  await server.db.updateTable('idempotency').set({ status: null, body: null, created_at: new Date().toISOString() }).where('key', '=', key).execute();

  // Default options: the per-attempt timeout must outlast the server's wait for the first attempt.
  const client = createClient({ baseUrl: server.url, apiKey: server.apiKey });
  const error = await client.rooms.messages
    .create(roomId, { body: 'in flight' }, { actAs: author, idempotencyKey: key })
    .then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof MenteoApiError, `expected the server's problem, got ${String(error)}`);
  assert.equal(error.code, 'conflict');
  assert.equal(error.field, 'Idempotency-Key');
});

test('finding 20: a refused connection names ECONNREFUSED; nothing was applied; safe to retry with the key', async () => {
  const client = createClient({ baseUrl: `http://127.0.0.1:${await closedPort()}`, apiKey: server.apiKey, retry: 0 });
  const error = await client.rooms.messages
    .create(roomId, { body: 'never sent' }, { actAs: author, idempotencyKey: 'refused-1' })
    .then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof MenteoNetworkError);
  assert.equal(error.reason, 'connection_refused');
  assert.match(error.message, /ECONNREFUSED/);
  assert.match(error.message, /POST \/v1\/rooms\/room_\w+\/messages/);
  assert.equal(error.method, 'POST');
  assert.equal(error.idempotencyKey, 'refused-1');
  assert.equal(error.mayHaveBeenApplied, false, 'no connection, so the server never saw the write');
  assert.equal(error.safeToRetry, true);
});

test('finding 20: a reset after the server applied the write says so, and a retry with the same key writes once', async () => {
  const proxy = await resettingProxy(1);
  try {
    const client = createClient({ baseUrl: proxy.url, apiKey: server.apiKey, retry: 0 });
    const error = await client.rooms.messages
      .create(roomId, { body: 'reset after commit' }, { actAs: author, idempotencyKey: 'reset-1' })
      .then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof MenteoNetworkError, `expected a network error, got ${String(error)}`);
    assert.equal(error.reason, 'connection_reset');
    assert.match(error.message, /ECONNRESET|connection reset|closed/i);
    assert.equal(error.mayHaveBeenApplied, true);
    assert.equal(error.safeToRetry, true);
    assert.equal(error.idempotencyKey, 'reset-1');
    // It was applied indeed; the retry the error allows is answered from the idempotency record.
    assert.equal((await messages()).filter((b) => b === 'reset after commit').length, 1);
    await client.rooms.messages.create(roomId, { body: 'reset after commit' }, { actAs: author, idempotencyKey: error.idempotencyKey });
    assert.equal((await messages()).filter((b) => b === 'reset after commit').length, 1, 'still written once');
  } finally {
    await proxy.close();
  }
});

test('finding 20: a name that does not resolve is a DNS failure; nothing was applied', async () => {
  const client = createClient({ baseUrl: 'http://menteo.invalid', apiKey: server.apiKey, retry: 0 });
  const error = await client.rooms.get(roomId).then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof MenteoNetworkError);
  assert.equal(error.reason, 'dns');
  assert.match(error.message, /DNS|ENOTFOUND|EAI_AGAIN/);
  assert.match(error.message, /menteo\.invalid/);
  assert.equal(error.mayHaveBeenApplied, false);
  assert.equal(error.safeToRetry, true, 'a GET is always safe to retry');
  assert.equal(error.idempotencyKey, undefined);
});

test('finding 20: a timeout of a write may have applied it; of a read, nothing was applied', async () => {
  msw.use(
    http.all(`${server.url}/v1/rooms/:roomId/*`, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      return undefined;
    }),
  );
  const client = createClient({ baseUrl: server.url, apiKey: server.apiKey, timeout: 100, retry: 0 });
  const write = await client.rooms.messages.create(roomId, { body: 'slow' }, { actAs: author }).then(() => undefined, (e: unknown) => e);
  assert.ok(write instanceof MenteoTimeoutError);
  assert.equal(write.reason, 'timeout');
  assert.match(write.message, /timed out after 100 ms/);
  assert.equal(write.mayHaveBeenApplied, true);
  assert.equal(write.safeToRetry, true);
  assert.ok(write.idempotencyKey);
  const read = await client.rooms.messages.list(roomId).then(() => undefined, (e: unknown) => e);
  assert.ok(read instanceof MenteoTimeoutError);
  assert.equal(read.mayHaveBeenApplied, false);
  assert.equal(read.safeToRetry, true);
});

test('finding 20: an aborted write names the abort and may have been applied', async () => {
  msw.use(
    http.post(`${server.url}/v1/rooms/:roomId/messages`, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      return undefined;
    }),
  );
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 50);
  const error = await backend.rooms.messages
    .create(roomId, { body: 'aborted' }, { actAs: author, signal: controller.signal })
    .then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof MenteoAbortError);
  assert.equal(error.reason, 'aborted');
  assert.match(error.message, /aborted/);
  assert.equal(error.mayHaveBeenApplied, true);
  assert.equal(error.safeToRetry, true);
});
