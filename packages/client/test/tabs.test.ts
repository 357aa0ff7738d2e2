// Tabs sharing one live connection (issue 7): several clients in one process stand for the tabs
// of one browser. They talk over Node 20's real BroadcastChannel and elect a leader through a
// small lock manager with the shape of navigator.locks (Node 20 has none), given as an option.
// The connection is the real server's POST /v1/live; msw only counts the streams.
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { setupServer } from 'msw/node';
import { createClient, createEmbedSession, type LiveSubscription, type MenteoClient } from '../src/index.js';
import { startServer, type TestServer } from './support/server.js';
import { TestLocks, until, watchLive } from './support/live.js';

const msw = setupServer();
let server: TestServer;
let backend: MenteoClient;
let sam: string;
let roomId: string;
let threadId: string;
const open: LiveSubscription[] = [];

before(async () => {
  msw.listen({ onUnhandledRequest: 'bypass' });
  server = await startServer({ heartbeatMs: 200 });
  backend = createClient({ baseUrl: server.url, apiKey: server.apiKey });
  sam = (await backend.people.create({ displayName: 'Sam' })).id;
  roomId = (await backend.rooms.create({ title: 'Tabs', members: [{ personId: sam, role: 'mentee' }] })).id;
  threadId = (await backend.threads.create({ title: 'Tabs thread', roomId }, { actAs: sam })).id;
});
afterEach(async () => {
  for (const sub of open.splice(0)) sub.close();
  // Let the tabs of this test leave their group (50 ms linger) before the next test's tabs, which
  // use another lock manager, join a channel of the same name.
  await new Promise((resolve) => setTimeout(resolve, 200));
  msw.resetHandlers();
});
after(async () => {
  msw.close();
  await server.close();
});

/** A tab: its own client (own token), the browser's shared lock manager. */
function tab(locks: TestLocks, personId: string, roomIds?: string[]): MenteoClient {
  return createClient({
    baseUrl: server.url,
    live: { locks, lingerMs: 50, backoff: { baseDelay: 50, maxDelay: 200 } },
    clientSecret: async () => (await createEmbedSession(backend, { personId, ...(roomIds ? { roomIds } : {}) })).clientSecret,
  });
}

function keep(sub: LiveSubscription): LiveSubscription {
  open.push(sub);
  return sub;
}

function bodiesOf(sub: LiveSubscription): string[] {
  const bodies: string[] = [];
  sub.on('message.created', (e) => bodies.push(e.data.body));
  sub.on('post.created', (e) => bodies.push(e.data.body));
  return bodies;
}

test('three tabs of one person share one stream; each receives its own topics; a forbidden topic closes only its tab\'s subscription', async () => {
  const wire = watchLive(msw, server.url);
  const locks = new TestLocks();
  const [a, b, c] = [tab(locks, sam), tab(locks, sam), tab(locks, sam)];
  const roomA = keep(a.events.room(roomId));
  const threadB = keep(b.events.thread(threadId));
  const roomC = keep(c.events.room(roomId));
  const got = { a: bodiesOf(roomA), b: bodiesOf(threadB), c: bodiesOf(roomC) };
  await until('all open', () => [roomA, threadB, roomC].every((s) => s.state === 'open'));
  await backend.rooms.messages.create(roomId, { body: 'to the room' }, { actAs: sam });
  await backend.threads.posts.create(threadId, { body: 'to the thread' }, { actAs: sam });
  await until('delivered', () => got.a.length === 2 && got.b.length === 1 && got.c.length === 2);
  assert.deepEqual(got.a, ['to the room', 'to the thread']);
  assert.deepEqual(got.b, ['to the thread']);
  assert.deepEqual(got.c, ['to the room', 'to the thread']);
  assert.equal(wire.opens.length, 1, 'one stream for three tabs');

  const other = (await backend.rooms.create({ title: 'Not Sam\'s', members: [] })).id;
  const refused = keep(b.events.room(other));
  let code: string | undefined;
  refused.onState((state, error) => state === 'closed' && (code = error?.code));
  await until('the refusal reaches tab b', () => refused.state === 'closed');
  assert.equal(code, 'not_found');
  assert.equal(threadB.state, 'open');
  assert.equal(roomA.state, 'open');
  assert.equal(roomC.state, 'open');
});

test('when the leader tab goes, another takes over and reconnects with every tab\'s topics from where each stood: 0 missed, 0 duplicated', async () => {
  const wire = watchLive(msw, server.url);
  const locks = new TestLocks();
  const leader = tab(locks, sam);
  const follower = tab(locks, sam);
  const leaderRoom = keep(leader.events.room(roomId));
  await until('leader open', () => leaderRoom.state === 'open');
  const room = keep(follower.events.room(roomId));
  const thread = keep(follower.events.thread(threadId));
  const ids: string[] = [];
  room.on('*', (e) => ids.push(e.id));
  const bodies = bodiesOf(room);
  await until('follower open', () => room.state === 'open' && thread.state === 'open');
  await backend.rooms.messages.create(roomId, { body: 'f1' }, { actAs: sam });
  await until('f1', () => bodies.length === 1);
  assert.equal(wire.opens.length, 1);

  leaderRoom.close(); // the leader tab's last widget goes: after its linger it lets go of the lock
  await backend.rooms.messages.create(roomId, { body: 'f2 (during the hand-over)' }, { actAs: sam });
  await until('a new stream from the follower', () => wire.opens.length === 2);
  await backend.rooms.messages.create(roomId, { body: 'f3' }, { actAs: sam });
  await until('f2 and f3', () => bodies.length >= 3);
  await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(bodies, ['f1', 'f2 (during the hand-over)', 'f3']);
  assert.equal(new Set(ids).size, ids.length);
  const topics = wire.opens[1]!.topics.map((t) => t.topic).sort();
  assert.deepEqual(topics, [`room:${roomId}`, `thread:${threadId}`]);
  assert.equal(room.state, 'open');
});

test('tabs with a different grant (a room limit) do not share', async () => {
  const wire = watchLive(msw, server.url);
  const locks = new TestLocks();
  const full = keep(tab(locks, sam).events.room(roomId));
  const limited = keep(tab(locks, sam, [roomId]).events.room(roomId));
  await until('both open', () => full.state === 'open' && limited.state === 'open');
  assert.equal(wire.opens.length, 2, 'one stream per grant');
});

test('tokens never cross the channel', async () => {
  const locks = new TestLocks();
  const a = tab(locks, sam);
  const sub = keep(a.events.room(roomId));
  const heard: string[] = [];
  // The group's channel name is not secret (server, person, grant): listen to it like a third tab.
  const b = tab(locks, sam);
  const subB = keep(b.events.thread(threadId));
  await until('open', () => sub.state === 'open' && subB.state === 'open');
  const me = await a.me.get();
  const channel = new BroadcastChannel(['menteo-live', server.url, me.organization.id, sam, [...me.scopes].sort().join(','), '*'].join('|'));
  channel.onmessage = (m: MessageEvent) => heard.push(JSON.stringify(m.data));
  await backend.rooms.messages.create(roomId, { body: 'watched' }, { actAs: sam });
  await until('traffic', () => heard.some((h) => h.includes('watched')));
  channel.close();
  assert.ok(heard.every((h) => !/mat_|Bearer|cs_/.test(h)), 'no token or secret on the channel');
});

test('a frame whose lock manager refuses (a cross-site iframe: SecurityError) keeps a connection of its own', async () => {
  // Chromium refuses Web Locks in partitioned third-party frames (an LMS launch, an iframe embed);
  // the tab must not wait for a lock it will never get.
  const wire = watchLive(msw, server.url);
  const refusing = {
    request: () => Promise.reject(new DOMException('The request was denied.', 'SecurityError')),
  };
  const client = createClient({
    baseUrl: server.url,
    live: { locks: refusing, lingerMs: 50, backoff: { baseDelay: 50, maxDelay: 200 } },
    clientSecret: async () => (await createEmbedSession(backend, { personId: sam })).clientSecret,
  });
  const room = keep(client.events.room(roomId));
  const bodies = bodiesOf(room);
  await until('open without a lock', () => room.state === 'open');
  await backend.rooms.messages.create(roomId, { body: 'into the frame' }, { actAs: sam });
  await until('delivered', () => bodies.includes('into the frame'));
  assert.equal(wire.opens.length, 1);
});
