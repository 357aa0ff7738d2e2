// Live events from the real server's SSE streams, and a stream dropped mid-event (by msw, in
// front of the real server) that resumes with Last-Event-ID without gaps or duplicates.
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { bypass, http } from 'msw';
import { setupServer } from 'msw/node';
import { createClient, createEmbedSession, type LiveEventOf, type MenteoClient } from '../src/index.js';
import { startServer, type TestServer } from './support/server.js';

const msw = setupServer();
let server: TestServer;
let backend: MenteoClient;
let author: string;
let roomId: string;

before(async () => {
  msw.listen({ onUnhandledRequest: 'bypass' });
  server = await startServer({ heartbeatMs: 60_000 });
  backend = createClient({ baseUrl: server.url, apiKey: server.apiKey });
  author = (await backend.people.create({ displayName: 'Sol' })).id;
  roomId = (await backend.rooms.create({ title: 'Live', members: [{ personId: author, role: 'mentee' }] })).id;
});
afterEach(() => msw.resetHandlers());
after(async () => {
  msw.close();
  await server.close();
});

function until(predicate: () => boolean, ms = 5000): Promise<void> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (predicate()) return resolve();
      if (Date.now() - start > ms) return reject(new Error('timed out waiting'));
      setTimeout(tick, 5);
    };
    tick();
  });
}

test('a browser subscription to a room receives typed events as they happen', async () => {
  const browser = createClient({
    baseUrl: server.url,
    clientSecret: async () => (await createEmbedSession(backend, { personId: author })).clientSecret,
  });
  const sub = browser.events.room(roomId);
  const bodies: string[] = [];
  sub.on('message.created', (event: LiveEventOf<'message.created'>) => bodies.push(event.data.body));
  await until(() => sub.state === 'open');
  await backend.rooms.messages.create(roomId, { body: 'one' }, { actAs: author });
  await backend.rooms.messages.create(roomId, { body: 'two' }, { actAs: author });
  await until(() => bodies.length === 2);
  assert.deepEqual(bodies, ['one', 'two']);
  assert.ok(sub.lastEventId);
  sub.close();
});

test('a forbidden stream closes the subscription with a typed error instead of retrying', async () => {
  const other = (await backend.people.create({ displayName: 'Outsider' })).id;
  const browser = createClient({
    baseUrl: server.url,
    clientSecret: async () => (await createEmbedSession(backend, { personId: other })).clientSecret,
  });
  const sub = browser.events.room(roomId);
  let closedWith: string | undefined;
  sub.onState((state, error) => {
    if (state === 'closed') closedWith = error?.code;
  });
  await until(() => sub.state === 'closed');
  assert.equal(closedWith, 'not_found', 'a room one is not in answers 404, and retrying will not help');
});

test('a thread stream dropped in the middle of an event resumes from Last-Event-ID: no gap, no duplicate', async () => {
  const thread = await backend.threads.create({ title: 'Streaming', roomId }, { actAs: author });
  const connects: Array<string | null> = [];
  let cutAfterEvents = 2;
  msw.use(
    http.get(`${server.url}/v1/threads/:threadId/events`, async ({ request }) => {
      connects.push(request.headers.get('Last-Event-ID'));
      if (connects.length > 1) return undefined; // later connections reach the server untouched
      const real = await fetch(bypass(request));
      const reader = real.body!.getReader();
      const decoder = new TextDecoder();
      const encoder = new TextEncoder();
      let pending = '';
      // Forwards whole events until `cutAfterEvents` have passed, then half of the next one, then
      // fails the stream like a connection reset.
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          for (;;) {
            const boundary = pending.indexOf('\n\n');
            if (boundary >= 0) {
              const frame = pending.slice(0, boundary + 2);
              pending = pending.slice(boundary + 2);
              if (!frame.includes('data:')) {
                controller.enqueue(encoder.encode(frame));
                return;
              }
              if (cutAfterEvents === 0) {
                controller.enqueue(encoder.encode(frame.slice(0, Math.floor(frame.length / 2))));
                controller.error(new TypeError('terminated'));
                void reader.cancel().catch(() => undefined);
                return;
              }
              cutAfterEvents -= 1;
              controller.enqueue(encoder.encode(frame));
              return;
            }
            const { done, value } = await reader.read();
            if (done) return controller.close();
            pending += decoder.decode(value, { stream: true });
          }
        },
        cancel: () => reader.cancel(),
      });
      return new Response(body, { status: real.status, headers: real.headers });
    }),
  );

  const sub = backend.events.thread(thread.id, { backoff: { baseDelay: 400, random: () => 0.99 } });
  const received: Array<{ id: string; body: string }> = [];
  const errors: string[] = [];
  sub.on('post.created', (e) => received.push({ id: e.id, body: e.data.body }));
  let wroteDuringGap = false;
  sub.onError((error) => {
    errors.push(error.code);
    // Written while the client is disconnected (it waits ~400 ms before reconnecting).
    if (!wroteDuringGap) {
      wroteDuringGap = true;
      void backend.threads.posts.create(thread.id, { body: 'p4' }, { actAs: author });
    }
  });
  await until(() => sub.state === 'open');
  for (const body of ['p1', 'p2', 'p3']) await backend.threads.posts.create(thread.id, { body }, { actAs: author });
  await until(() => received.length >= 4);
  await backend.threads.posts.create(thread.id, { body: 'p5' }, { actAs: author });
  await until(() => received.length >= 5);
  await new Promise((r) => setTimeout(r, 100)); // a late duplicate would show up here

  assert.deepEqual(received.map((r) => r.body), ['p1', 'p2', 'p3', 'p4', 'p5']);
  assert.equal(new Set(received.map((r) => r.id)).size, 5);
  assert.deepEqual(errors, ['network_error'], 'the drop is reported once');
  assert.equal(connects.length, 2);
  assert.equal(connects[0], null);
  assert.equal(connects[1], received[1]?.id, 'resumed after the last complete event (p2), so p3 came again whole');
  sub.close();
});

test('pause and resume: events published while paused arrive after resume', async () => {
  const sub = backend.events.room(roomId);
  const bodies: string[] = [];
  sub.on('message.created', (e) => bodies.push(e.data.body));
  await until(() => sub.state === 'open');
  await backend.rooms.messages.create(roomId, { body: 'before pause' }, { actAs: author });
  await until(() => bodies.length === 1);
  sub.pause();
  await backend.rooms.messages.create(roomId, { body: 'while paused' }, { actAs: author });
  await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(bodies, ['before pause'], 'nothing arrives while paused');
  sub.resume();
  await until(() => bodies.length === 2);
  assert.deepEqual(bodies, ['before pause', 'while paused']);
  sub.close();
});
