// One multiplexed live connection per person (POST /v1/live) against the real server over HTTP:
// several topics on one stream and each event once, topic changes without reconnecting, resume
// with per-topic `since` and Last-Event-ID (nothing missed, nothing twice), a reader that never
// reads is cut off with bounded buffering while others keep receiving, and the writer is answered
// before fan-out starts.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Message, Post, Thread } from '@menteo/api';
import { EventBus, type StoredEvent } from '../src/events/bus.js';
import { PostgresTransport } from '../src/events/postgres-transport.js';
import { dataIds, fakeId, openLegacy, openLive, readyOf } from './live-support.js';
import { startServer, type TestServer } from './support/server.js';
import { buildWorld, expectStatus, tokenFor, type World } from './support/world.js';

let server: TestServer;
let w: World;
const tok: Record<string, string> = {};
let thread: Thread;
let orgThread: Thread;

const message = async (body: string, auth = tok.mentee) => {
  const r = await server.call<Message>('POST', `/v1/rooms/${w.room.id}/messages`, { auth, body: { body } });
  expectStatus(r, 201);
  return r.body;
};
const post = async (threadId: string, body: string, audience?: 'org' | 'room', auth = tok.mentee) => {
  const r = await server.call<Post>('POST', `/v1/threads/${threadId}/posts`, { auth, body: { body, ...(audience ? { audience } : {}) } });
  expectStatus(r, 201);
  return r.body;
};
const topics = (connectionId: string, body: unknown, auth: string) => server.call<{ topics: { topic: string; status: string }[] }>('POST', `/v1/live/${connectionId}/topics`, { auth, body });

before(async () => {
  server = await startServer({ heartbeatMs: 100 });
  w = await buildWorld(server);
  for (const key of ['mentor', 'mentee', 'mentee2', 'outsider', 'admin'] as const) tok[key] = await tokenFor(server, w[key].id);
  tok.threadsOnly = await tokenFor(server, w.mentee.id, { scopes: ['threads:read'] });
  thread = (await server.call<Thread>('POST', '/v1/threads', { auth: tok.mentee, body: { title: 'Room thread', roomId: w.room.id } })).body;
  orgThread = (await server.call<Thread>('POST', '/v1/threads', { auth: tok.outsider, body: { title: 'Org thread' } })).body;
});
after(async () => server.close());

describe('one live connection, many topics', () => {
  it('carries a room, a thread and the feed on one stream, each event once, with heartbeats', async () => {
    const live = await openLive(server, tok.mentor, [{ topic: `room:${w.room.id}` }, { topic: `thread:${thread.id}` }, { topic: 'feed' }]);
    const ready = await readyOf(live);
    assert.match(ready.connectionId, /^lc_/);
    assert.equal(ready.heartbeatMs, 100);
    assert.deepEqual(ready.topics, [
      { topic: `room:${w.room.id}`, status: 'active' }, { topic: `thread:${thread.id}`, status: 'active' }, { topic: 'feed', status: 'active' },
    ]);
    const m = await message('hello room');
    // A room-thread post belongs to the room, the thread and the feed: it must arrive once.
    const p = await post(thread.id, 'hello thread');
    const o = await post(orgThread.id, 'hello org', 'org', tok.outsider);
    await live.until('the org post', () => dataIds(live).includes(o.id));
    assert.deepEqual(dataIds(live), [m.id, p.id, o.id]);
    const postEvent = live.events()[1];
    assert.equal(postEvent?.data.threadId, thread.id, 'post events name their thread');
    await live.until('two heartbeats', () => live.comments() >= 2);
    live.close();
  });

  it('answers an embedding origin with CORS headers, like every other call', async () => {
    const live = await openLive(server, tok.mentor, [{ topic: 'feed' }], { origin: 'https://intranet.acme.test' });
    assert.equal(live.headers.get('access-control-allow-origin'), 'https://intranet.acme.test');
    assert.match(live.headers.get('x-request-id') ?? '', /\S/);
    await readyOf(live);
    live.close();
  });

  it('adds and removes topics without reconnecting; refused topics get their status', async () => {
    const live = await openLive(server, tok.mentee2, [{ topic: `room:${w.room.id}` }]);
    const { connectionId } = await readyOf(live);
    const missing = fakeId('thr', 7);
    const r = await topics(connectionId, {
      add: [{ topic: `thread:${thread.id}` }, { topic: `thread:${missing}` }, { topic: `room:${w.other.roomId}` }],
      remove: [`room:${w.room.id}`],
    }, tok.mentee2);
    expectStatus(r, 200);
    assert.deepEqual(r.body.topics, [
      { topic: `thread:${thread.id}`, status: 'active' },
      { topic: `thread:${missing}`, status: 'not_found' },
      { topic: `room:${w.other.roomId}`, status: 'not_found' },
      { topic: `room:${w.room.id}`, status: 'removed' },
    ]);
    const m = await message('not for a removed topic');
    const p = await post(thread.id, 'for the added thread');
    await live.until('the post of the added thread', () => dataIds(live).includes(p.id));
    assert.ok(!dataIds(live).includes(m.id), 'the removed room topic carries nothing');
    assert.equal(live.ended(), false, 'the same stream');

    // Refusals: a room one does not belong to, a scope one lacks.
    const outsider = await openLive(server, tok.outsider, []);
    const other = await readyOf(outsider);
    const refused = await topics(other.connectionId, { add: [{ topic: `room:${w.room.id}` }, { topic: `thread:${thread.id}` }] }, tok.outsider);
    assert.deepEqual(refused.body.topics.map((t) => t.status), ['not_found', 'not_found']);
    const limited = await openLive(server, tok.threadsOnly, [{ topic: `room:${w.room.id}` }, { topic: 'feed' }]);
    assert.deepEqual((await readyOf(limited)).topics.map((t) => t.status), ['forbidden', 'active']);

    // A connection is addressed only by its own credential.
    expectStatus(await topics(connectionId, { add: [{ topic: 'feed' }] }, tok.mentor), 404, 'not_found');
    expectStatus(await topics('lc_0123456789abcdef', { add: [{ topic: 'feed' }] }, tok.mentee2), 404, 'not_found');
    live.close();
    outsider.close();
    limited.close();
  });

  it('enforces the most topics per connection with a 400 naming the field', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 150; i++) {
      const t = await server.call<Thread>('POST', '/v1/threads', { auth: tok.admin, body: { title: `Thread ${i}` } });
      expectStatus(t, 201);
      ids.push(t.body.id);
    }
    const live = await openLive(server, tok.admin, ids.map((id) => ({ topic: `thread:${id}` })));
    const { connectionId, topics: opened } = await readyOf(live);
    assert.equal(opened.filter((t) => t.status === 'active').length, 150);
    const more = Array.from({ length: 60 }, (_, i) => ({ topic: `room:${fakeId('room', 1000 + i)}` }));
    const r = await topics(connectionId, { add: more }, tok.admin);
    expectStatus(r, 400, 'invalid_request');
    assert.match(r.text, /"add"/);
    live.close();
  });
});

describe('resume', () => {
  it('replays each topic after its since (or Last-Event-ID), then continues live: 0 missed, 0 twice', async () => {
    const first = await openLive(server, tok.mentor, [{ topic: `room:${w.room.id}` }, { topic: `thread:${thread.id}` }]);
    await readyOf(first);
    const m1 = await message('m1');
    const p1 = await post(thread.id, 'p1');
    await first.until('p1', () => dataIds(first).includes(p1.id));
    const lastId = first.events().at(-1)?.id ?? '';
    const m1Id = first.events()[0]?.id ?? '';
    assert.deepEqual(dataIds(first), [m1.id, p1.id]);
    first.close();

    const m2 = await message('m2');
    const p2 = await post(thread.id, 'p2');
    const m3 = await message('m3');

    // The room resumes by its own since; the thread by the Last-Event-ID default.
    const second = await openLive(server, tok.mentor, [{ topic: `room:${w.room.id}`, since: lastId }, { topic: `thread:${thread.id}` }], { 'last-event-id': lastId });
    await readyOf(second);
    const m4 = await message('m4');
    await second.until('m4', () => dataIds(second).includes(m4.id));
    assert.deepEqual(dataIds(second), [m2.id, p2.id, m3.id, m4.id]);

    // Different points per topic: the room from m1 on, the thread only live.
    const third = await openLive(server, tok.mentor, [{ topic: `room:${w.room.id}`, since: m1Id }]);
    await readyOf(third);
    const m5 = await message('m5');
    await third.until('m5', () => dataIds(third).includes(m5.id));
    assert.deepEqual(dataIds(third), [p1.id, m2.id, p2.id, m3.id, m4.id, m5.id]);

    // A topic added with since replays onto the open stream, before its live events.
    const fourth = await openLive(server, tok.mentor, [{ topic: 'feed' }]);
    const { connectionId } = await readyOf(fourth);
    const added = await topics(connectionId, { add: [{ topic: `thread:${thread.id}`, since: lastId }] }, tok.mentor);
    assert.deepEqual(added.body.topics, [{ topic: `thread:${thread.id}`, status: 'active' }]);
    const p3 = await post(thread.id, 'p3');
    await fourth.until('p3', () => dataIds(fourth).includes(p3.id));
    assert.deepEqual(dataIds(fourth), [p2.id, p3.id]);
    for (const s of [second, third, fourth]) s.close();
  });
});

describe('membership kept current on open connections', () => {
  it('a person added to a room receives its room posts in the feed without reconnecting', async () => {
    const live = await openLive(server, tok.outsider, [{ topic: 'feed' }]);
    await readyOf(live);
    const hidden = await post(thread.id, 'before joining');
    expectStatus(await server.call('POST', `/v1/rooms/${w.room.id}/members`, { body: { personId: w.outsider.id, role: 'observer' } }), 201);
    const seen = await post(thread.id, 'after joining');
    await live.until('the room post after joining', () => dataIds(live).includes(seen.id));
    assert.deepEqual(dataIds(live), [seen.id], 'nothing from before joining');
    assert.ok(!dataIds(live).includes(hidden.id));
    expectStatus(await server.call('DELETE', `/v1/rooms/${w.room.id}/members/${w.outsider.id}`), 200);
    live.close();
  });

  it('a topic added with since does not resend what another topic of the connection carried', async () => {
    const live = await openLive(server, tok.mentor, [{ topic: `room:${w.room.id}` }]);
    await readyOf(live);
    const carried = await post(thread.id, 'carried by the room topic');
    await live.until('the post through the room', () => dataIds(live).includes(carried.id));
    const since = String(Number(live.events().at(-1)?.id) - 1);
    const { connectionId } = await readyOf(live);
    expectStatus(await topics(connectionId, { add: [{ topic: `thread:${thread.id}`, since }] }, tok.mentor), 200);
    const next = await post(thread.id, 'next');
    await live.until('the next post', () => dataIds(live).includes(next.id));
    assert.deepEqual(dataIds(live), [carried.id, next.id]);
    live.close();
  });
});

describe('token room limits', () => {
  it('a token limited to other rooms gets no room-audience posts of this room, even for a member', async () => {
    const other = await server.call<{ id: string }>('POST', '/v1/rooms', { body: { title: 'Other room', members: [{ personId: w.mentee.id, role: 'mentee' }] } });
    expectStatus(other, 201);
    const limited = await tokenFor(server, w.mentee.id, { roomIds: [other.body.id] });
    const live = await openLive(server, limited, [{ topic: 'feed' }, { topic: `room:${w.room.id}` }]);
    assert.deepEqual((await readyOf(live)).topics.map((t) => t.status), ['active', 'not_found']);
    const roomPost = await post(thread.id, 'room audience, outside the limit');
    const orgPost = await post(orgThread.id, 'org audience', 'org', tok.outsider);
    await live.until('the org post', () => dataIds(live).includes(orgPost.id));
    assert.deepEqual(dataIds(live), [orgPost.id]);
    assert.ok(!dataIds(live).includes(roomPost.id));
    live.close();
  });
});

describe('fan-out', () => {
  // What issue 7 protects: fan-out never delays a write. How it shows depends on the transport.
  // - In process (one instance, the default on SQLite): the writer's request hands its event to
  //   the hub, which only queues it; frames go out on a later turn, so the writer's answer is
  //   written before any frame, and the test asserts that order.
  // - PostgreSQL (LISTEN/NOTIFY): every instance, the writer's included, hears of the commit on
  //   its LISTEN connection and reads the event back; a subscriber may well get its frame before
  //   the writer's answer has been flushed, and that order says nothing about issue 7. What must
  //   hold there (and in process too): with the fan-out stalled, the write is still answered. The
  //   hub's intake is held closed while the message is written; the answer must come with no
  //   frame sent, and the held event then reaches every subscriber.
  const inProcess = () => !(server.node.app.bus.transport instanceof PostgresTransport);
  for (const via of ['legacy', 'live'] as const) it(`answers the writer before any subscriber receives the event (${via} streams)`, async () => {
    const order: string[] = [];
    const probe = (req: IncomingMessage, res: ServerResponse) => {
      if (req.method === 'POST' && req.url === `/v1/rooms/${w.room.id}/messages`) {
        const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
        res.end = ((...args: unknown[]) => {
          order.push('ack');
          return end(...args);
        }) as typeof res.end;
      } else if (req.url === '/v1/live' || req.url === `/v1/rooms/${w.room.id}/events`) {
        const write = res.write.bind(res) as (...args: unknown[]) => boolean;
        res.write = ((...args: unknown[]) => {
          const chunk = args[0];
          const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString();
          if (text.includes('message.created')) order.push('frame');
          return write(...args);
        }) as typeof res.write;
      }
    };
    server.node.server.prependListener('request', probe);
    const hub = server.node.app.bus.hub;
    try {
      const readers = await Promise.all(Array.from({ length: 20 }, () => (via === 'live'
        ? openLive(server, tok.mentor, [{ topic: `room:${w.room.id}` }]).then(async (r) => (await readyOf(r), r))
        : openLegacy(server, `/v1/rooms/${w.room.id}/events`, tok.mentor))));
      if (inProcess()) {
        const m = await message('ordering');
        await Promise.all(readers.map((r) => r.until('the message', () => dataIds(r).includes(m.id))));
        assert.equal(order[0], 'ack', `order: ${order.join(',')}`);
        assert.equal(order.filter((o) => o === 'frame').length, 20);
        order.length = 0;
      }
      // The fan-out stalled (every transport): the write is answered all the same.
      const held: StoredEvent[] = [];
      const enqueue = hub.enqueue.bind(hub);
      hub.enqueue = (event) => {
        held.push(event);
      };
      let m: Message;
      try {
        m = await message('while the fan-out is stalled');
        assert.deepEqual(order, ['ack'], 'answered with no frame sent');
        // On PostgreSQL the event reaches the hub through the LISTEN connection, maybe after the answer.
        const id = m.id;
        await readers[0]!.until('the event to reach the held hub', () => held.some((e) => e.json.includes(id)));
      } finally {
        hub.enqueue = enqueue;
      }
      for (const event of held.splice(0)) hub.enqueue(event);
      await Promise.all(readers.map((r) => r.until('the held message', () => dataIds(r).includes(m.id))));
      assert.equal(order.filter((o) => o === 'frame').length, 20);
      for (const r of readers) r.close();
    } finally {
      server.node.server.off('request', probe);
    }
  });
});

describe('fan-out cost (issue 7 item 2)', () => {
  /** Counts every SQL statement the server's Kysely runs while `fn` runs (all executors share the method). */
  async function countQueries(fn: () => Promise<void>): Promise<number> {
    let owner: object | null = server.db.getExecutor();
    while (owner && !Object.prototype.hasOwnProperty.call(owner, 'executeQuery')) owner = Object.getPrototypeOf(owner) as object | null;
    assert.ok(owner, 'found the executor method');
    const target = owner as { executeQuery: (...args: unknown[]) => unknown };
    const original = target.executeQuery;
    let n = 0;
    target.executeQuery = function (this: unknown, ...args: unknown[]) {
      n++;
      return original.apply(this, args);
    };
    try {
      await fn();
    } finally {
      target.executeQuery = original;
    }
    return n;
  }

  it('writes one encoded frame object to every live subscriber of an event', async () => {
    const chunks: unknown[] = [];
    const probe = (req: IncomingMessage, res: ServerResponse) => {
      if (req.url !== '/v1/live') return;
      const write = res.write.bind(res) as (...args: unknown[]) => boolean;
      res.write = ((...args: unknown[]) => {
        const chunk = args[0];
        const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString();
        if (text.includes('encoded-once')) chunks.push(chunk);
        return write(...args);
      }) as typeof res.write;
    };
    server.node.server.prependListener('request', probe);
    try {
      const readers = await Promise.all(Array.from({ length: 10 }, (_, i) => openLive(server, i % 2 ? tok.mentor : tok.mentee, [{ topic: `room:${w.room.id}` }]).then(async (r) => (await readyOf(r), r))));
      const m = await message('encoded-once');
      await Promise.all(readers.map((r) => r.until('the message', () => dataIds(r).includes(m.id))));
      assert.equal(chunks.length, 10);
      assert.equal(new Set(chunks).size, 1, 'the frame was encoded again for some subscriber');
      for (const r of readers) r.close();
    } finally {
      server.node.server.off('request', probe);
    }
  });

  it('runs no query per subscriber: a filtered event costs the same statements with 4 or 40 feed subscribers', async () => {
    const costWith = async (subscribers: number, body: string) => {
      // Members and non-members of the room on the feed: room-audience posts are filtered per connection.
      const readers = await Promise.all(Array.from({ length: subscribers }, (_, i) => openLive(server, [tok.mentor, tok.outsider, tok.mentee2, tok.admin][i % 4] ?? '', [{ topic: 'feed' }]).then(async (r) => (await readyOf(r), r))));
      const members = readers.filter((_, i) => i % 4 === 0);
      const queries = await countQueries(async () => {
        const p = await post(thread.id, body, 'room');
        await Promise.all(members.map((r) => r.until('the room post', () => dataIds(r).includes(p.id))));
        // Let the slices for the other connections run too.
        await new Promise((resolve) => setTimeout(resolve, 200));
      });
      for (const r of readers) r.close();
      return queries;
    };
    const few = await costWith(4, 'fan-out cost, few');
    const many = await costWith(40, 'fan-out cost, many');
    assert.ok(few > 0, 'the counter saw the write\'s own statements');
    assert.equal(many, few, `statements for one room post: ${few} with 4 feed subscribers, ${many} with 40`);
  });
});

describe('a reader that never reads', () => {
  for (const via of ['legacy', 'live'] as const) it(`is cut off past a bounded buffer while others keep receiving everything (${via} stream)`, async () => {
    const limit = 64 * 1024;
    const slowServer = await startServer({ heartbeatMs: 1000, bus: new EventBus({ maxBufferedBytes: limit }) });
    try {
      const world = await buildWorld(slowServer);
      const mentee = await tokenFor(slowServer, world.mentee.id);
      const mentor = await tokenFor(slowServer, world.mentor.id);
      const bus = slowServer.node.app.bus;
      const good = via === 'live'
        ? await openLive(slowServer, mentor, [{ topic: `room:${world.room.id}` }])
        : await openLegacy(slowServer, `/v1/rooms/${world.room.id}/events`, mentor);
      if (via === 'live') await readyOf(good);

      // A raw socket that asks for the stream and never reads a byte of the answer.
      const body = JSON.stringify({ topics: [{ topic: `room:${world.room.id}` }] });
      const socket = connect(Number(new URL(slowServer.url).port), '127.0.0.1');
      socket.pause();
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      socket.write(via === 'live'
        ? `POST /v1/live HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${mentee}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
        : `GET /v1/rooms/${world.room.id}/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${mentee}\r\n\r\n`);
      while (bus.size < 2) await new Promise((resolve) => setTimeout(resolve, 10));

      const sent: string[] = [];
      let peak = 0;
      const text = 'x'.repeat(4000);
      for (let i = 0; i < 3000 && bus.size > 1; i++) {
        const r = await slowServer.call<Message>('POST', `/v1/rooms/${world.room.id}/messages`, { auth: mentor, body: { body: text } });
        expectStatus(r, 201);
        sent.push(r.body.id);
        peak = Math.max(peak, bus.bufferedBytes);
      }
      assert.equal(bus.size, 1, `the slow reader was cut off (after ${sent.length} events)`);
      assert.ok(peak <= limit + 8 * 1024, `buffered at most the limit plus one frame (peak ${peak})`);
      await good.until('every event', () => good.events().length === sent.length, 20_000);
      assert.deepEqual(dataIds(good), sent, 'the good reader missed nothing');
      socket.destroy();
      good.close();
    } finally {
      await slowServer.close();
    }
  });
});
