// LiveSubscription without a server: SSE parsing, validation, dedupe, resume ids, pause and
// fatal errors. Streams here are byte streams written by the test; the end-to-end behaviour
// against the real server is in sse.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MenteoApiError } from '../src/errors.js';
import { LiveSubscription, type SubscriptionState } from '../src/live.js';

function event(id: string, resource = `res_${id}`): string {
  const data = { id, type: 'resource.deleted', occurredAt: '2026-11-25T12:00:00.000Z', roomId: null, data: { id: resource } };
  return `id: ${id}\nevent: resource.deleted\ndata: ${JSON.stringify(data)}\n\n`;
}

/** A response whose body sends `chunks` then either ends, errors (a dropped connection) or stays open. */
function sse(chunks: string[], end: 'close' | 'drop' | 'hang' = 'hang'): Response {
  const bytes = new TextEncoder();
  const queue = [...chunks];
  // Pull-based so the reader receives every chunk before the end (an error raised up front
  // would discard what was queued).
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = queue.shift();
      if (chunk !== undefined) return controller.enqueue(bytes.encode(chunk));
      if (end === 'close') controller.close();
      if (end === 'drop') controller.error(new TypeError('terminated'));
      if (end === 'hang') return new Promise<void>(() => undefined);
    },
  });
  return new Response(body, { headers: { 'Content-Type': 'text/event-stream' } });
}

function until(predicate: () => boolean, ms = 2000): Promise<void> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (predicate()) return resolve();
      if (Date.now() - start > ms) return reject(new Error('timed out waiting'));
      setTimeout(tick, 2);
    };
    tick();
  });
}

const fast = { backoff: { baseDelay: 1, maxDelay: 2 } };

test('events are validated, typed per listener, and a half-sent event of a dropped stream is never delivered', async () => {
  const connects: Array<string | undefined> = [];
  const scripts = [
    // Drops in the middle of event 3.
    () => sse([event('1'), event('2'), event('3').slice(0, 30)], 'drop'),
    // The server replays from Last-Event-ID 2: event 3 whole, then 4.
    () => sse([event('3'), event('4')]),
  ];
  const sub = new LiveSubscription(async (lastEventId) => {
    connects.push(lastEventId);
    const next = scripts.shift();
    if (!next) throw new Error('unexpected extra connect');
    return next();
  }, fast);
  const ids: string[] = [];
  const resources: string[] = [];
  sub.on('resource.deleted', (e) => resources.push(e.data.id));
  sub.on('*', (e) => ids.push(e.id));
  await until(() => ids.length === 4);
  assert.deepEqual(ids, ['1', '2', '3', '4']);
  assert.deepEqual(resources, ['res_1', 'res_2', 'res_3', 'res_4']);
  assert.deepEqual(connects, [undefined, '2'], 'the reconnect resumes after the last complete event');
  assert.equal(sub.lastEventId, '4');
  sub.close();
  assert.equal(sub.state, 'closed');
});

test('events the server replays twice are delivered once', async () => {
  const scripts = [() => sse([event('1'), event('2')], 'close'), () => sse([event('1'), event('2'), event('3')])];
  const sub = new LiveSubscription(async () => (scripts.shift() ?? (() => sse([])))(), fast);
  const ids: string[] = [];
  sub.on('*', (e) => ids.push(e.id));
  await until(() => ids.includes('3'));
  assert.deepEqual(ids, ['1', '2', '3']);
  sub.close();
});

test('an event that fails the contract is skipped and reported, the stream goes on', async () => {
  const bad = `id: 9\ndata: ${JSON.stringify({ id: '9', type: 'post.created', data: { nope: true } })}\n\n`;
  const sub = new LiveSubscription(async () => sse([bad, event('10')]), fast);
  const errors: string[] = [];
  const ids: string[] = [];
  sub.onError((e) => errors.push(e.code));
  sub.on('*', (e) => ids.push(e.id));
  await until(() => ids.length === 1);
  assert.deepEqual(ids, ['10']);
  assert.deepEqual(errors, ['invalid_response']);
  sub.close();
});

test('pause disconnects; resume reconnects from the last event id', async () => {
  const connects: Array<string | undefined> = [];
  let aborted = 0;
  const sub = new LiveSubscription(async (lastEventId, signal) => {
    connects.push(lastEventId);
    signal.addEventListener('abort', () => (aborted += 1));
    return sse(connects.length === 1 ? [event('1')] : [event('2')]);
  }, fast);
  const ids: string[] = [];
  sub.on('*', (e) => ids.push(e.id));
  await until(() => ids.length === 1);
  sub.pause();
  assert.equal(sub.state, 'paused');
  assert.equal(aborted, 1, 'pausing aborts the open connection');
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(connects.length, 1, 'no reconnect while paused');
  sub.resume();
  await until(() => ids.length === 2);
  assert.deepEqual(connects, [undefined, '1']);
  sub.close();
});

test('an error retrying cannot fix (403) closes the subscription with that error', async () => {
  let connects = 0;
  const states: Array<[SubscriptionState, string | undefined]> = [];
  const sub = new LiveSubscription(async () => {
    connects += 1;
    throw new MenteoApiError({ type: 't', title: 'Forbidden', status: 403, code: 'forbidden' });
  }, fast);
  sub.onState((state, error) => states.push([state, error?.code]));
  await until(() => sub.state === 'closed');
  assert.equal(connects, 1);
  assert.deepEqual(states.at(-1), ['closed', 'forbidden']);
});

test('transient failures are retried with backoff until a connection opens', async () => {
  let connects = 0;
  const sub = new LiveSubscription(async () => {
    connects += 1;
    if (connects < 3) throw new TypeError('fetch failed');
    return sse([event('1')]);
  }, fast);
  const errors: string[] = [];
  sub.onError((e) => errors.push(e.code));
  const ids: string[] = [];
  sub.on('*', (e) => ids.push(e.id));
  await until(() => ids.length === 1);
  assert.equal(connects, 3);
  assert.deepEqual(errors, ['network_error', 'network_error']);
  sub.close();
});

test('an aborted signal closes the subscription', async () => {
  const controller = new AbortController();
  const sub = new LiveSubscription(async () => sse([]), { ...fast, signal: controller.signal });
  await until(() => sub.state === 'open');
  controller.abort();
  assert.equal(sub.state, 'closed');
});
