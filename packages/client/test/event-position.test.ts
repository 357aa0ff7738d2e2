// List, then watch, without a gap: reads answer where they stand in the event log
// (`Menteo-Event-Position`), and a subscription started there gets every event written after the
// read, exactly once, even one written before the subscription reached the server. Against the
// real server over HTTP; msw only holds the subscription's POST /v1/live (fault injection).
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { setupServer } from 'msw/node';
import { http } from 'msw';
import { createClient, createEmbedSession, EventPosition, type LiveSubscription, type MenteoClient } from '../src/index.js';
import { startServer, type TestServer } from './support/server.js';
import { until } from './support/live.js';

const msw = setupServer();
let server: TestServer;
let backend: MenteoClient;
let sol: string;
let roomId: string;
const open: LiveSubscription[] = [];

before(async () => {
  msw.listen({ onUnhandledRequest: 'bypass' });
  server = await startServer({ heartbeatMs: 200 });
  backend = createClient({ baseUrl: server.url, apiKey: server.apiKey });
  sol = (await backend.people.create({ displayName: 'Sol' })).id;
  roomId = (await backend.rooms.create({ title: 'Positions', members: [{ personId: sol, role: 'mentee' }] })).id;
});
afterEach(() => {
  for (const sub of open.splice(0)) sub.close();
  msw.resetHandlers();
});
after(async () => {
  msw.close();
  await server.close();
});

function browserAs(personId: string) {
  return createClient({
    baseUrl: server.url,
    live: { backoff: { baseDelay: 50, maxDelay: 200 }, lingerMs: 50 },
    clientSecret: async () => (await createEmbedSession(backend, { personId })).clientSecret,
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

/** Holds every POST /v1/live until `release()`; counts how many arrived. */
function holdLiveOpen() {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let hits = 0;
  msw.use(http.post(`${server.url}/v1/live`, async () => {
    hits += 1;
    await gate;
    return undefined;
  }));
  return { release, get hits() { return hits; } };
}

test('a read given a position asks for it and answers the last event id it reflects', async () => {
  const sent = await say('before the read');
  const browser = browserAs(sol);
  const position = browser.events.position();
  const [room, messages] = await Promise.all([
    browser.rooms.get(roomId, { position }),
    browser.rooms.messages.list(roomId, { limit: 5 }, { position }),
  ]);
  assert.equal(position.reads, 2);
  assert.ok(messages.items.some((m) => m.id === sent.id));
  assert.equal(room.id, roomId);
  const since = position.since;
  assert.match(since ?? '', /^\d+$/);
  // The message's own event is at or before the position: a subscription from there skips it.
  const raw = await fetch(`${server.url}/v1/rooms/${roomId}/messages?limit=1`, { headers: { authorization: `Bearer ${server.apiKey}`, prefer: 'event-position' } });
  assert.equal(raw.headers.get('menteo-event-position'), since, 'nothing was written since');
  assert.equal(raw.headers.get('menteo-event-position-upper'), null, 'no event was written while it was read');
  assert.equal(raw.headers.get('preference-applied'), 'event-position');
  await raw.text();
  // A read given no position does not ask for one (the server then skips its two queries).
  const plain = browser.events.position();
  const answers: Headers[] = [];
  const watching = createClient({
    baseUrl: server.url, apiKey: server.apiKey,
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      answers.push(response.headers);
      return response;
    },
  });
  await watching.rooms.get(roomId);
  await watching.rooms.get(roomId, { position: plain });
  assert.deepEqual(answers.map((h) => h.get('menteo-event-position')), [null, since]);
});

test('a browser on an allowed origin may read the position (CORS exposes it)', async () => {
  const answers: Response[] = [];
  const browser = createClient({
    baseUrl: server.url,
    headers: { origin: 'https://intranet.example.com' },
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      answers.push(response);
      return response;
    },
    clientSecret: async () => (await createEmbedSession(backend, { personId: sol })).clientSecret,
  });
  const position = browser.events.position();
  await browser.rooms.get(roomId, { position });
  assert.match(position.since ?? '', /^\d+$/);
  const expose = answers.at(-1)?.headers.get('access-control-expose-headers') ?? '';
  assert.match(expose, /\bMenteo-Event-Position\b/);
  assert.match(expose, /\bMenteo-Event-Position-Upper\b/);
});

test('an event written after the load and before the subscription reached the server arrives, once', async () => {
  await say('loaded already');
  const browser = browserAs(sol);
  const position = browser.events.position();
  const loaded = await browser.rooms.messages.list(roomId, { limit: 50 }, { position });
  assert.ok(loaded.items.some((m) => m.body === 'loaded already'));
  // The subscription's stream is held before the server registers its topic: the race a CI run lost.
  const held = holdLiveOpen();
  const sub = keep(browser.events.room(roomId, { lastEventId: position.since }));
  const bodies = messagesOf(sub);
  await until('the stream in flight', () => held.hits === 1);
  await say('in the window');
  held.release();
  await until('the window message', () => bodies.includes('in the window'));
  await say('after it opened');
  await until('the later message', () => bodies.includes('after it opened'));
  assert.deepEqual(bodies, ['in the window', 'after it opened'], 'each once, and nothing the load already had');
});

test('a subscription from a position ignores older events another subscription of the topic replays', async () => {
  const first = await say('old one');
  const browser = browserAs(sol);
  const early = keep(browser.events.room(roomId));
  await until('the first subscription open', () => early.state === 'open');
  const position = browser.events.position();
  await browser.rooms.messages.list(roomId, { limit: 1 }, { position });
  const late = keep(browser.events.room(roomId, { lastEventId: position.since }));
  const lateBodies = messagesOf(late);
  await until('the second subscription open', () => late.state === 'open');
  // A third one resumes from before `first`: the shared topic is replayed from there.
  const resumed = keep(browser.events.room(roomId, { lastEventId: String(Number(position.since) - 1) }));
  const resumedBodies = messagesOf(resumed);
  await until('the replay', () => resumedBodies.includes('old one'));
  await say('new one');
  await until('the new message everywhere', () => lateBodies.includes('new one') && resumedBodies.includes('new one'));
  assert.deepEqual(lateBodies, ['new one'], `${first.id} was reflected in the load: not applied again`);
});

test('a subscription swapped for one from a newer load in the same tick replays what only the old one got', async () => {
  const browser = browserAs(sol);
  const position = browser.events.position();
  await browser.rooms.messages.list(roomId, { limit: 1 }, { position });
  let sub = keep(browser.events.room(roomId, { lastEventId: position.since }));
  await until('open', () => sub.state === 'open');
  // The reload reads, then an event reaches the old subscription before the new one starts.
  const reload = browser.events.position();
  await browser.rooms.messages.list(roomId, { limit: 1 }, { position: reload });
  const oldBodies = messagesOf(sub);
  await say('between reload and resubscribe');
  await until('the old subscription got it', () => oldBodies.includes('between reload and resubscribe'));
  // The new subscription first, then the old one goes, in one tick: the topic never leaves the
  // stream, which already passed the reload's position.
  const old = sub;
  sub = keep(browser.events.room(roomId, { lastEventId: reload.since }));
  old.close();
  const bodies = messagesOf(sub);
  await until('the replayed message', () => bodies.includes('between reload and resubscribe'));
  await say('after');
  await until('the next one', () => bodies.includes('after'));
  assert.deepEqual(bodies, ['between reload and resubscribe', 'after']);
});

test('EventPosition: the smallest position over reads, what they may reflect, unknown without a header', () => {
  const headers = (since?: string, upper?: string) => {
    const h = new Headers();
    if (since !== undefined) h.set('Menteo-Event-Position', since);
    if (upper !== undefined) h.set('Menteo-Event-Position-Upper', upper);
    return h;
  };
  const p = new EventPosition();
  assert.equal(p.since, undefined);
  p.record(headers('12'));
  p.record(headers('10', '11'));
  p.record(headers('14'));
  assert.equal(p.since, '10');
  assert.deepEqual(['10', '11', '14', '15'].map((id) => p.mayReflect(id)), [false, true, true, false]);
  const exact = new EventPosition();
  exact.record(headers('7'));
  assert.equal(exact.mayReflect('8'), false);
  assert.equal(exact.mayReflect('7'), false);
  const old = new EventPosition();
  old.record(headers('7'));
  old.record(headers());
  assert.equal(old.since, undefined, 'one read without a position: start from the server\'s now, as before');
  assert.equal(old.mayReflect('8'), false);
});
