// Live events over SSE: room, thread and feed streams, filtering by what the subscriber may read,
// Last-Event-ID resume from the table, heartbeats, and clean unsubscription on abort.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Post, Thread } from '@menteo/api';
import { startServer, type TestServer } from './support/server.js';
import { buildWorld, expectStatus, tokenFor, type World } from './support/world.js';

let server: TestServer;
let w: World;
const tok: Record<string, string> = {};
let thread: Thread;

interface SseEvent { id: string; event: string; data: { type: string; id: string; roomId: string | null; data: { id: string; body?: string } } }

/** Opens a stream and collects events until `count` arrived (or the stream ends); validates each against the document. */
function open(path: string, auth: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const events: SseEvent[] = [];
  let comments = 0;
  let waiters: (() => void)[] = [];
  const ready = fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${auth}`, accept: 'text/event-stream', ...headers }, signal: controller.signal }).then(async (res) => {
    assert.equal(res.status, 200, await (res.status === 200 ? Promise.resolve('') : res.text()));
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
    server.validator.response('GET', new URL(path, server.url).pathname, res.status, res.headers.get('content-type'), undefined);
    void (async () => {
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          buffer += value;
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const fields: Record<string, string> = {};
            for (const line of block.split('\n')) {
              if (line.startsWith(':')) comments++;
              const m = /^(\w+): ?(.*)$/.exec(line);
              if (m?.[1]) fields[m[1]] = m[2] ?? '';
            }
            if (fields.data !== undefined && fields.event !== undefined) {
              const data = JSON.parse(fields.data) as SseEvent['data'];
              server.validator.liveEvent(data);
              assert.equal(data.id, fields.id);
              assert.equal(data.type, fields.event);
              events.push({ id: fields.id ?? '', event: fields.event, data });
            }
            for (const wake of waiters) wake();
            waiters = [];
          }
        }
      } catch {
        // aborted
      }
    })();
  });
  return {
    ready,
    events,
    comments: () => comments,
    async until(predicate: () => boolean): Promise<void> {
      await ready;
      while (!predicate()) await new Promise<void>((resolve) => waiters.push(resolve));
    },
    close: () => controller.abort(),
  };
}

before(async () => {
  server = await startServer({ heartbeatMs: 50 });
  w = await buildWorld(server);
  for (const key of ['mentor', 'mentee', 'outsider'] as const) tok[key] = await tokenFor(server, w[key].id);
  thread = (await server.call<Thread>('POST', '/v1/threads', { auth: tok.mentee, body: { title: 'Live', roomId: w.room.id } })).body;
});
after(async () => server.close());

describe('live events', () => {
  it('streams room events to members, with heartbeats', async () => {
    const s = open(`/v1/rooms/${w.room.id}/events`, tok.mentor);
    await s.ready;
    const m = await server.call<{ id: string }>('POST', `/v1/rooms/${w.room.id}/messages`, { auth: tok.mentee, body: { body: 'live hello' } });
    await s.until(() => s.events.some((e) => e.data.data.id === m.body.id));
    const e = s.events.find((x) => x.data.data.id === m.body.id);
    assert.equal(e?.event, 'message.created');
    assert.equal(e?.data.roomId, w.room.id);
    await s.until(() => s.comments() >= 2);
    s.close();
  });

  it('refuses streams of rooms one cannot read and of other organizations', async () => {
    expectStatus(await server.call('GET', `/v1/rooms/${w.room.id}/events`, { auth: tok.outsider }), 404, 'not_found');
    expectStatus(await server.call('GET', `/v1/rooms/${w.other.roomId}/events`), 404, 'not_found');
    expectStatus(await server.call('GET', `/v1/threads/${thread.id}/events`, { auth: tok.outsider }), 404, 'not_found');
  });

  it('filters the feed by audience: an outsider sees org posts, not room posts', async () => {
    const outsiderFeed = open('/v1/events', tok.outsider);
    const mentorFeed = open('/v1/events', tok.mentor);
    await Promise.all([outsiderFeed.ready, mentorFeed.ready]);
    const room = await server.call<Post>('POST', `/v1/threads/${thread.id}/posts`, { auth: tok.mentee, body: { body: 'room only' } });
    const org = await server.call<Post>('POST', `/v1/threads/${thread.id}/posts`, { auth: tok.mentee, body: { body: 'for everyone', audience: 'org' } });
    await server.call('POST', `/v1/rooms/${w.room.id}/messages`, { auth: tok.mentee, body: { body: 'not a feed event' } });
    await mentorFeed.until(() => mentorFeed.events.some((e) => e.data.data.id === org.body.id));
    await outsiderFeed.until(() => outsiderFeed.events.some((e) => e.data.data.id === org.body.id));
    assert.deepEqual(mentorFeed.events.map((e) => e.data.data.id), [room.body.id, org.body.id]);
    assert.deepEqual(outsiderFeed.events.map((e) => e.data.data.id), [org.body.id]);
    outsiderFeed.close();
    mentorFeed.close();
  });

  it('resumes from Last-Event-ID with what was missed, then continues live', async () => {
    const first = open(`/v1/threads/${thread.id}/events`, tok.mentor);
    await first.ready;
    const a = await server.call<Post>('POST', `/v1/threads/${thread.id}/posts`, { auth: tok.mentee, body: { body: 'A' } });
    await first.until(() => first.events.some((e) => e.data.data.id === a.body.id));
    const lastId = first.events.at(-1)?.id ?? '';
    first.close();
    // Missed while disconnected: a post, a comment, a reaction.
    const b = await server.call<Post>('POST', `/v1/threads/${thread.id}/posts`, { auth: tok.mentee, body: { body: 'B' } });
    await server.call('POST', `/v1/posts/${b.body.id}/comments`, { auth: tok.mentor, body: { body: 'on B' } });
    await server.call('PUT', `/v1/posts/${b.body.id}/reactions/celebrate`, { auth: tok.mentor });
    const resumed = open(`/v1/threads/${thread.id}/events`, tok.mentor, { 'last-event-id': lastId });
    await resumed.until(() => resumed.events.length >= 3);
    assert.deepEqual(resumed.events.map((e) => e.event), ['post.created', 'comment.created', 'post.updated']);
    assert.ok(resumed.events.every((e) => Number(e.id) > Number(lastId)));
    const c = await server.call<Post>('POST', `/v1/threads/${thread.id}/posts`, { auth: tok.mentee, body: { body: 'C' } });
    await resumed.until(() => resumed.events.some((e) => e.data.data.id === c.body.id));
    const ids = resumed.events.map((e) => Number(e.id));
    assert.deepEqual(ids, [...ids].sort((x, y) => x - y), 'ids increase');
    await server.call('DELETE', `/v1/posts/${c.body.id}`, { auth: tok.mentee });
    await resumed.until(() => resumed.events.some((e) => e.event === 'post.deleted'));
    resumed.close();
  });

  it('unsubscribes when clients go away', async () => {
    const bus = server.node.app.bus;
    const streams = [open('/v1/events', tok.mentor), open(`/v1/rooms/${w.room.id}/events`, tok.mentee), open(`/v1/threads/${thread.id}/events`, tok.mentee)];
    await Promise.all(streams.map((s) => s.ready));
    assert.ok(bus.size >= 3);
    for (const s of streams) s.close();
    // The server learns of the abort asynchronously; wait for it without a fixed sleep.
    while (bus.size > 0) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(bus.size, 0);
  });

  it('ends open streams when the app shuts down, so none outlives its database', async () => {
    const bus = server.node.app.bus;
    const res = await fetch(`${server.url}/v1/rooms/${w.room.id}/events`, { headers: { authorization: `Bearer ${tok.mentee}` } });
    assert.equal(res.status, 200);
    const reader = res.body!.getReader();
    await reader.read(); // the stream is open: its first comment arrived
    assert.ok(bus.size >= 1);
    bus.close();
    // The reader sees a clean end of stream, not an error, and nothing stays subscribed.
    for (;;) {
      const { done } = await reader.read();
      if (done) break;
    }
    assert.equal(bus.size, 0);
  });
});
