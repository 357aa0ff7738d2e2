// One live connection per client, against the real server over HTTP (issue 7). msw sits in
// front of POST /v1/live only to count streams, read what the client asked for, and inject
// faults (a cut, a stall, a 404 to an update); every frame comes from the real server.
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { setupServer } from 'msw/node';
import {
  createClient, createEmbedSession, MenteoApiError, type LiveSubscription, type MenteoClient, type ReconnectInfo, type SubscriptionState,
} from '../src/index.js';
import { startServer, type TestServer } from './support/server.js';
import { until, watchLive } from './support/live.js';

const msw = setupServer();
let server: TestServer;
let backend: MenteoClient;
let sol: string;
let roomId: string;
let threadId: string;
const open: LiveSubscription[] = [];

before(async () => {
  msw.listen({ onUnhandledRequest: 'bypass' });
  server = await startServer({ heartbeatMs: 200 });
  backend = createClient({ baseUrl: server.url, apiKey: server.apiKey });
  sol = (await backend.people.create({ displayName: 'Sol' })).id;
  roomId = (await backend.rooms.create({ title: 'Live', members: [{ personId: sol, role: 'mentee' }] })).id;
  threadId = (await backend.threads.create({ title: 'Streaming', roomId }, { actAs: sol })).id;
});
afterEach(() => {
  for (const sub of open.splice(0)) sub.close();
  msw.resetHandlers();
});
after(async () => {
  msw.close();
  await server.close();
});

/** A browser client signed in as `personId` (a fresh embed session per token). */
function browserAs(personId: string, extra: Partial<Parameters<typeof createEmbedSession>[1]> = {}, backoff = { baseDelay: 50, maxDelay: 200 }) {
  return createClient({
    baseUrl: server.url,
    live: { backoff, lingerMs: 50 },
    clientSecret: async () => (await createEmbedSession(backend, { personId, ...extra })).clientSecret,
  });
}

function keep(sub: LiveSubscription): LiveSubscription {
  open.push(sub);
  return sub;
}

function say(body: string) {
  return backend.rooms.messages.create(roomId, { body }, { actAs: sol });
}

function messagesOf(sub: LiveSubscription): string[] {
  const bodies: string[] = [];
  sub.on('message.created', (e) => bodies.push(e.data.body));
  return bodies;
}

test('a room, a thread and the feed share one HTTP stream; each gets its own events once', async () => {
  const wire = watchLive(msw, server.url);
  const browser = browserAs(sol);
  const room = keep(browser.events.room(roomId));
  const thread = keep(browser.events.thread(threadId));
  const feed = keep(browser.events.feed());
  const seen = { room: [] as string[], thread: [] as string[], feed: [] as string[] };
  room.on('*', (e) => seen.room.push(e.type));
  thread.on('*', (e) => seen.thread.push(e.type));
  feed.on('*', (e) => seen.feed.push(e.type));
  await until('three open subscriptions', () => [room, thread, feed].every((s) => s.state === 'open'));
  assert.equal(wire.opens.length, 1, 'one stream');
  assert.deepEqual(wire.opens[0]?.topics.map((t) => t.topic).sort(), ['feed', `room:${roomId}`, `thread:${threadId}`]);

  await say('hello room');
  await backend.threads.posts.create(threadId, { body: 'hello thread', audience: 'org' }, { actAs: sol });
  await until('the post everywhere', () => seen.feed.length === 1 && seen.thread.length === 1 && seen.room.length === 2);
  assert.deepEqual(seen.room, ['message.created', 'post.created']);
  assert.deepEqual(seen.thread, ['post.created']);
  assert.deepEqual(seen.feed, ['post.created']);
  assert.equal(wire.opens.length, 1, 'still one stream');
});

test('subscribing and unsubscribing update the topics of the open stream, batched per tick, never reconnecting', async () => {
  const wire = watchLive(msw, server.url);
  const browser = browserAs(sol);
  const room = keep(browser.events.room(roomId));
  await until('room open', () => room.state === 'open');
  const thread = keep(browser.events.thread(threadId));
  const feed = keep(browser.events.feed());
  await until('added topics open', () => thread.state === 'open' && feed.state === 'open');
  assert.equal(wire.updates.length, 1, 'two subscriptions in one tick: one update');
  assert.deepEqual(wire.updates[0]?.add?.map((a) => a.topic).sort(), ['feed', `thread:${threadId}`]);
  thread.close();
  feed.close();
  await until('the removal', () => wire.updates.length === 2);
  assert.deepEqual(wire.updates[1]?.remove?.sort(), ['feed', `thread:${threadId}`]);
  const bodies = messagesOf(room);
  await say('after the removal');
  await until('the room still live', () => bodies.length === 1);
  assert.equal(wire.opens.length, 1, 'no reconnect');
});

test('pause removes the topic, resume adds it back from its last id: the hidden widget catches up', async () => {
  const wire = watchLive(msw, server.url);
  const browser = browserAs(sol);
  const sub = keep(browser.events.room(roomId));
  const other = keep(browser.events.feed()); // keeps the connection busy while the room is paused
  const bodies = messagesOf(sub);
  await until('open', () => sub.state === 'open' && other.state === 'open');
  await say('before pause');
  await until('first message', () => bodies.length === 1);
  const last = sub.lastEventId;
  sub.pause();
  await until('the topic removed', () => wire.updates.some((u) => u.remove?.includes(`room:${roomId}`)));
  await say('while paused');
  await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(bodies, ['before pause'], 'nothing while paused');
  sub.resume();
  await until('caught up', () => bodies.length === 2);
  assert.deepEqual(bodies, ['before pause', 'while paused']);
  assert.deepEqual(wire.updates.at(-1)?.add, [{ topic: `room:${roomId}`, since: last }]);
  assert.equal(wire.opens.length, 1);
});

test('a stream cut mid-event reconnects with every topic and its own since: 0 missed, 0 duplicated', async () => {
  const wire = watchLive(msw, server.url, [{ cutAfterEvents: 2 }]);
  const browser = browserAs(sol, {}, { baseDelay: 300, maxDelay: 300 });
  const room = keep(browser.events.room(roomId));
  const thread = keep(browser.events.thread(threadId));
  const ids: string[] = [];
  const bodies = messagesOf(room);
  room.on('*', (e) => ids.push(e.id));
  const errors: string[] = [];
  let wroteInGap = false;
  room.onError((error) => {
    errors.push(error.code);
    if (!wroteInGap) {
      wroteInGap = true;
      void say('m4 (in the gap)');
    }
  });
  await until('open', () => room.state === 'open' && thread.state === 'open');
  for (const body of ['m1', 'm2', 'm3']) await say(body);
  await until('four messages', () => bodies.length >= 4);
  await say('m5');
  await until('five', () => bodies.length >= 5);
  await new Promise((r) => setTimeout(r, 100)); // a late duplicate would show here
  assert.deepEqual(bodies, ['m1', 'm2', 'm3', 'm4 (in the gap)', 'm5']);
  assert.equal(new Set(ids).size, ids.length, 'no duplicate ids');
  assert.deepEqual(errors, ['network_error'], 'the drop is reported once');
  assert.equal(wire.opens.length, 2);
  const again = wire.opens[1]!;
  assert.deepEqual(again.topics.map((t) => t.topic).sort(), [`room:${roomId}`, `thread:${threadId}`]);
  assert.equal(again.topics.find((t) => t.topic === `room:${roomId}`)?.since, ids[1], 'the room resumes after m2, the last whole event');
  assert.equal(again.lastEventId, ids[1]);
});

test('a connection that goes silent (no FIN, no RST) is dropped after about 2.5 heartbeats and reconnected', async () => {
  const wire = watchLive(msw, server.url, [{ stallAfterEvents: 1 }]);
  const browser = browserAs(sol);
  const room = keep(browser.events.room(roomId));
  const bodies = messagesOf(room);
  const errors: string[] = [];
  room.onError((e) => errors.push(e.code));
  await until('open', () => room.state === 'open');
  await say('s1');
  await until('s1', () => bodies.length === 1);
  await say('s2 (the stalled connection never shows it)');
  await until('the watchdog to reconnect and deliver s2', () => bodies.length === 2);
  assert.equal(wire.opens.length, 2);
  assert.deepEqual(errors, ['timeout'], 'missed heartbeats are a timeout');
});

test('backoff starts over after every connection that opened, even if no event arrived on it', async () => {
  const wire = watchLive(msw, server.url, [{ cutAfterReady: true }, { cutAfterReady: true }, { cutAfterReady: true }, { cutAfterReady: true }]);
  const browser = browserAs(sol, {}, { baseDelay: 20, maxDelay: 10_000 });
  const room = keep(browser.events.room(roomId));
  const retries: ReconnectInfo[] = [];
  room.onState((state, _error, retry) => {
    if (state === 'reconnecting' && retry) retries.push(retry);
  });
  await until('the fifth stream to hold', () => wire.opens.length === 5 && room.state === 'open');
  assert.equal(retries.length, 4);
  assert.deepEqual(retries.map((r) => r.attempt), [1, 1, 1, 1], 'each cut came after an open connection: attempt 1 every time');
});

test('an update answered 404 (the server forgot the connection) reconnects with the full topic set', async () => {
  const wire = watchLive(msw, server.url, [], [404]);
  const browser = browserAs(sol);
  const room = keep(browser.events.room(roomId));
  await until('room open', () => room.state === 'open');
  const thread = keep(browser.events.thread(threadId));
  const posts: string[] = [];
  thread.on('post.created', (e) => posts.push(e.data.body));
  await until('a second stream', () => wire.opens.length === 2);
  assert.deepEqual(wire.opens[1]?.topics.map((t) => t.topic).sort(), [`room:${roomId}`, `thread:${threadId}`]);
  await until('thread open', () => thread.state === 'open');
  await backend.threads.posts.create(threadId, { body: 'after 404' }, { actAs: sol });
  await until('the post', () => posts.length === 1);
});

test('a topic refused at open, and a room the person is removed from, close their subscriptions with typed errors; the others stay open', async () => {
  const ana = (await backend.people.create({ displayName: 'Ana' })).id;
  const shared = (await backend.rooms.create({ title: 'Shared', members: [{ personId: ana, role: 'mentee' }] })).id;
  const browser = browserAs(ana);
  const closed = new Map<string, string | undefined>();
  const watchClose = (name: string, sub: LiveSubscription) =>
    sub.onState((state: SubscriptionState, error) => {
      if (state === 'closed') closed.set(name, error?.code);
    });
  const stranger = keep(browser.events.room(roomId)); // Ana is not in Sol's room
  const mine = keep(browser.events.room(shared));
  const feed = keep(browser.events.feed());
  watchClose('stranger', stranger);
  watchClose('mine', mine);
  await until('the refusal', () => closed.has('stranger'));
  assert.equal(closed.get('stranger'), 'not_found');
  await until('the others open', () => mine.state === 'open' && feed.state === 'open');

  let error: unknown;
  mine.onError((e) => (error = e));
  await backend.rooms.members.remove(shared, ana);
  await until('the room closed', () => closed.has('mine'));
  assert.equal(closed.get('mine'), 'forbidden');
  assert.ok(error instanceof MenteoApiError && error.status === 403, 'a typed MenteoApiError a widget can show');
  assert.equal(feed.state, 'open', 'the feed is untouched');
});

test('a deactivated person: the client tries to sign in again once, and when that fails every subscription closes with the error', async () => {
  const leo = (await backend.people.create({ displayName: 'Leo' })).id;
  const leoRoom = (await backend.rooms.create({ title: 'Leo', members: [{ personId: leo, role: 'mentee' }] })).id;
  let secrets = 0;
  const browser = createClient({
    baseUrl: server.url,
    live: { backoff: { baseDelay: 50 }, lingerMs: 50 },
    clientSecret: async () => {
      secrets += 1;
      return (await createEmbedSession(backend, { personId: leo })).clientSecret;
    },
  });
  const room = keep(browser.events.room(leoRoom));
  const feed = keep(browser.events.feed());
  const codes: Array<string | undefined> = [];
  for (const sub of [room, feed]) sub.onState((state, error) => state === 'closed' && codes.push(error?.code));
  await until('open', () => room.state === 'open' && feed.state === 'open');
  const before = secrets;
  // Sent without an Idempotency-Key: the server loses access-change notifications of keyed
  // writes today (their ctx.db is the request's transaction, not the database its live buses
  // are registered under), and every write of this client carries a key. Reported to the lead.
  const patched = await fetch(`${server.url}/v1/people/${leo}`, {
    method: 'PATCH',
    headers: { Authorization: `Bearer ${server.apiKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ active: false }),
  });
  assert.equal(patched.status, 200);
  await until('both closed', () => codes.length === 2);
  assert.equal(secrets, before + 1, 'one attempt to sign in again');
  assert.deepEqual(codes, ['sign_in_failed', 'sign_in_failed'], 'the host backend refuses a session for a deactivated person: the sign-in error closes both');
});

test('an invalid room id closes the subscription at once, without touching the connection', async () => {
  const wire = watchLive(msw, server.url);
  const sub = keep(browserAs(sol).events.room(''));
  let code: string | undefined;
  sub.onState((state, error) => state === 'closed' && (code = error?.code));
  await until('closed', () => sub.state === 'closed');
  assert.equal(code, 'not_found');
  assert.equal(wire.opens.length, 0);
});

test('an aborted signal closes the subscription and removes its topic; with no topic left the stream closes after the linger', async () => {
  const wire = watchLive(msw, server.url);
  const controller = new AbortController();
  const browser = browserAs(sol);
  const sub = browser.events.room(roomId, { signal: controller.signal });
  await until('open', () => sub.state === 'open');
  controller.abort();
  assert.equal(sub.state, 'closed');
  await until('the removal', () => wire.updates.some((u) => u.remove?.includes(`room:${roomId}`)));
  await new Promise((r) => setTimeout(r, 300)); // well past the 50 ms linger
  const again = keep(browser.events.room(roomId));
  await until('open again', () => again.state === 'open');
  assert.equal(wire.opens.length, 2, 'the empty stream had closed: the next topic opened a new one');
});

test('a frame that fails the contract is skipped and reported; the stream goes on', async () => {
  const bogus = `id: 999999\nevent: post.created\ndata: ${JSON.stringify({ id: '999999', type: 'post.created', data: { nope: true } })}\n\n`;
  watchLive(msw, server.url, [{ afterReady: bogus, then: 'continue' }]);
  const room = keep(browserAs(sol).events.room(roomId));
  const errors: string[] = [];
  room.onError((e) => errors.push(e.code));
  const bodies = messagesOf(room);
  await until('open', () => room.state === 'open');
  await say('after the bogus frame');
  await until('the real event', () => bodies.length === 1);
  assert.deepEqual(errors, ['invalid_response']);
  assert.equal(room.state, 'open');
});

test('live.end shutdown reconnects with backoff from attempt 1, resuming every topic', async () => {
  const end = `event: live.end\ndata: ${JSON.stringify({ type: 'live.end', reason: 'shutdown' })}\n\n`;
  const wire = watchLive(msw, server.url, [{ afterReady: end, then: 'close' }]);
  const room = keep(browserAs(sol).events.room(roomId));
  const retries: ReconnectInfo[] = [];
  room.onState((state, _e, retry) => state === 'reconnecting' && retry && retries.push(retry));
  const bodies = messagesOf(room);
  await until('the second stream open', () => wire.opens.length === 2 && room.state === 'open');
  assert.deepEqual(retries.map((r) => r.attempt), [1]);
  await say('after the shutdown');
  await until('live again', () => bodies.length === 1);
});

test('an expired token: the server ends the stream (token_expired), the client gets a new token and reconnects at once', async () => {
  const short = await startServer({ heartbeatMs: 200, accessTokenTtlSeconds: 2 });
  try {
    const admin = createClient({ baseUrl: short.url, apiKey: short.apiKey });
    const kim = (await admin.people.create({ displayName: 'Kim' })).id;
    const kimRoom = (await admin.rooms.create({ title: 'Short tokens', members: [{ personId: kim, role: 'mentee' }] })).id;
    let secrets = 0;
    const browser = createClient({
      baseUrl: short.url,
      live: { lingerMs: 50 },
      clientSecret: async () => {
        secrets += 1;
        return (await createEmbedSession(admin, { personId: kim })).clientSecret;
      },
    });
    const room = browser.events.room(kimRoom);
    const bodies = messagesOf(room);
    const retries: ReconnectInfo[] = [];
    room.onState((state, _e, retry) => state === 'reconnecting' && retry && retries.push(retry));
    await until('open', () => room.state === 'open');
    await new Promise((r) => setTimeout(r, 2600)); // the token expires; the server ends the stream
    await admin.rooms.messages.create(kimRoom, { body: 'after expiry' }, { actAs: kim });
    await until('the message on the new connection', () => bodies.length === 1);
    assert.ok(secrets >= 2, 'a new token');
    assert.deepEqual(retries, [], 'no backoff wait: a renewal is not a failure');
    room.close();
  } finally {
    await short.close();
  }
});
