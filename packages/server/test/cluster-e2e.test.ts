// Two real `menteo-server serve` processes on one PostgreSQL database behind a round-robin proxy
// on loopback (test/cluster-proxy.ts). A client writes through one instance while a subscriber on
// the other receives it; a stream resumed on the other instance misses nothing. Then instances are
// killed (SIGKILL) and restarted while a writer goes on through the proxy, retrying each write with
// its Idempotency-Key until it is acknowledged, and a subscriber goes on through the proxy, resuming
// with Last-Event-ID: every acknowledged write is stored once and received once.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AccessToken, EmbedSession, Message, Person, Room } from '@menteo/api';
import { createOrganization } from '../src/auth/bootstrap.js';
import { freshPostgres, stopTestPostgres, type PgDatabase } from './cluster-support.js';
import { startProxy, type Proxy } from './cluster-proxy.js';
import { freePort, startChild, type ChildServer } from './support/child-server.js';

let pgdb: PgDatabase;
let apiKey: string;
const ports: number[] = [];
const instances: ChildServer[] = [];
let proxy: Proxy;
let roomId: string;
let token: string;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function start(i: number): Promise<ChildServer> {
  const child = await startChild('', ports[i] as number, { MENTEO_DATABASE_URL: pgdb.url, MENTEO_SHUTDOWN_GRACE_MS: '1000' });
  instances[i] = child;
  // Ready: the database answers and the LISTEN connection is up.
  for (let tries = 0; ; tries++) {
    const r = await fetch(`${child.url}/readyz`).catch(() => null);
    if (r?.status === 200) break;
    assert.ok(tries < 200, `instance ${i} never became ready:\n${child.output()}`);
    await sleep(50);
  }
  return child;
}

async function call<T>(base: string, method: string, path: string, body?: unknown, auth = apiKey, headers: Record<string, string> = {}): Promise<{ status: number; body: T }> {
  const r = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${auth}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** A subscriber that resumes with Last-Event-ID whenever its stream ends, until stopped. */
function subscriber(base: () => string, topics: { topic: string }[], lastEventId?: string) {
  const received: { eventId: string; messageId: string }[] = [];
  let last = lastEventId;
  let stopped = false;
  let controller = new AbortController();
  let connections = 0;
  const run = (async () => {
    while (!stopped) {
      controller = new AbortController();
      try {
        const r = await fetch(`${base()}/v1/live`, {
          method: 'POST', signal: controller.signal,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(last ? { 'last-event-id': last } : {}) },
          body: JSON.stringify({ topics }),
        });
        if (r.status !== 200 || !r.body) {
          await r.body?.cancel();
          await sleep(50);
          continue;
        }
        connections++;
        const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          buffer += value;
          let cut;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            const id = /^id: ?(.*)$/m.exec(block)?.[1];
            const data = /^data: ?(.*)$/m.exec(block)?.[1];
            if (id === undefined || data === undefined) continue;
            const event = JSON.parse(data) as { type: string; data?: { id?: string } };
            last = id;
            if (event.type === 'message.created') received.push({ eventId: id, messageId: String(event.data?.id) });
          }
        }
      } catch {
        // The instance died under the stream, or the test stopped it: resume.
      }
      if (!stopped) await sleep(20);
    }
  })();
  return {
    received,
    connections: () => connections,
    messageIds: () => received.map((r) => r.messageId),
    async stop() {
      stopped = true;
      controller.abort();
      await run;
    },
  };
}

/** Writes a message through `base`, retrying with the same Idempotency-Key until acknowledged. */
async function writeUntilAcknowledged(base: string, key: string, text: string): Promise<{ id: string; attempts: number }> {
  for (let attempts = 1; ; attempts++) {
    try {
      const r = await call<Message>(base, 'POST', `/v1/rooms/${roomId}/messages`, { body: text }, token, { 'idempotency-key': key });
      if (r.status === 201) return { id: r.body.id, attempts };
      // 502 from the proxy (instance down), 503 while an instance shuts down: retry.
      assert.ok([502, 503].includes(r.status), `unexpected ${r.status}: ${JSON.stringify(r.body)}`);
    } catch {
      // Connection reset: the instance died mid-request. The write may have committed: the key tells.
    }
    assert.ok(attempts < 400, `write ${key} never acknowledged`);
    await sleep(25);
  }
}

before(async () => {
  pgdb = await freshPostgres();
  const created = await createOrganization(pgdb.open(1), { name: 'Acme' });
  apiKey = created.apiKey.secret;
  ports.push(await freePort(), await freePort());
  await Promise.all([start(0), start(1)]);
  proxy = await startProxy(instances.map((c) => c.url));
  const mentee = await call<Person>(proxy.url, 'POST', '/v1/people', { displayName: 'Tom Mentee' });
  assert.equal(mentee.status, 201);
  const room = await call<Room>(proxy.url, 'POST', '/v1/rooms', { title: 'Scale-out', members: [{ personId: mentee.body.id, role: 'mentee' }] });
  assert.equal(room.status, 201);
  roomId = room.body.id;
  const session = await call<EmbedSession>(proxy.url, 'POST', '/v1/embed-sessions', { personId: mentee.body.id });
  const exchanged = await call<AccessToken>(proxy.url, 'POST', '/v1/tokens', { clientSecret: session.body.clientSecret }, '');
  assert.equal(exchanged.status, 200);
  token = exchanged.body.accessToken;
});

after(async () => {
  await proxy?.close();
  await Promise.all(instances.map((c) => c?.kill9()));
  await pgdb?.drop();
  await stopTestPostgres();
});

describe('two server processes behind a proxy, on one PostgreSQL database', () => {
  test('a write through A reaches a subscriber on B; a stream resumed on A misses nothing', async () => {
    const [a, b] = instances as [ChildServer, ChildServer];
    const onB = subscriber(() => b.url, [{ topic: `room:${roomId}` }]);
    while (onB.connections() === 0) await sleep(10);
    const first: string[] = [];
    for (let i = 0; i < 5; i++) first.push((await writeUntilAcknowledged(a.url, `first-${i}`, `first ${i}`)).id);
    for (let waited = 0; !first.every((id) => onB.messageIds().includes(id)); waited += 20) {
      assert.ok(waited < 20_000, `B received ${JSON.stringify(onB.messageIds())} of ${JSON.stringify(first)}`);
      await sleep(20);
    }
    await onB.stop();
    const lastSeen = onB.received.at(-1)?.eventId;
    const missed: string[] = [];
    for (let i = 0; i < 5; i++) missed.push((await writeUntilAcknowledged(i % 2 ? a.url : b.url, `missed-${i}`, `missed ${i}`)).id);
    const onA = subscriber(() => a.url, [{ topic: `room:${roomId}` }], lastSeen);
    for (let waited = 0; !missed.every((id) => onA.messageIds().includes(id)); waited += 20) {
      assert.ok(waited < 20_000, `the resumed stream got ${JSON.stringify(onA.messageIds())} of ${JSON.stringify(missed)}`);
      await sleep(20);
    }
    await onA.stop();
    assert.deepEqual(onB.messageIds(), first);
    assert.deepEqual(onA.messageIds(), missed, 'every missed message, once, in order');
  });

  test('instances killed and restarted mid-run: 0 acknowledged writes lost, 0 duplicates', async () => {
    const sub = subscriber(() => proxy.url, [{ topic: `room:${roomId}` }], undefined);
    while (sub.connections() === 0) await sleep(10);
    const total = 120;
    const acknowledged: string[] = [];
    let retried = 0;
    const writer = (async () => {
      for (let i = 0; i < total; i++) {
        const { id, attempts } = await writeUntilAcknowledged(proxy.url, `chaos-${i}`, `chaos ${i}`);
        acknowledged.push(id);
        if (attempts > 1) retried++;
      }
    })();
    const chaos = (async () => {
      for (const [at, i] of [[20, 0], [60, 1], [90, 0]] as const) {
        while (acknowledged.length < at) await sleep(5);
        await instances[i]?.kill9();
        await sleep(100);
        await start(i);
      }
    })();
    await Promise.all([writer, chaos]);
    for (let waited = 0; !acknowledged.every((id) => sub.messageIds().includes(id)); waited += 50) {
      assert.ok(waited < 30_000, `the subscriber is missing ${acknowledged.filter((id) => !sub.messageIds().includes(id)).length} acknowledged messages`);
      await sleep(50);
    }
    await sub.stop();
    assert.equal(new Set(acknowledged).size, total, 'each write acknowledged with its own message');
    const stored = await pgdb.open(1).selectFrom('messages').select(['id', 'body']).where('room_id', '=', roomId).where('body', 'like', 'chaos %').execute();
    assert.equal(stored.length, total, `0 duplicates: ${stored.length} rows for ${total} writes (${retried} writes were retried)`);
    assert.deepEqual(new Set(stored.map((r) => r.id)), new Set(acknowledged), '0 acknowledged writes lost');
    const chaosReceived = sub.messageIds().filter((id) => acknowledged.includes(id));
    assert.equal(chaosReceived.length, total, `each received once (${sub.connections()} connections)`);
    console.log(`# chaos: ${total} writes, ${retried} retried, 3 SIGKILLs, subscriber connected ${sub.connections()} times, proxy counts ${proxy.counts.join('/')}`);
  });
});
