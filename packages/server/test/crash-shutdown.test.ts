// SIGTERM drains instead of resetting: the real server entry in a child process gets SIGTERM while
// 150 writes are in flight (headers and half of each body sent). Every one of them must still be
// answered (0 resets), every acknowledged write must be stored, new connections are refused, and
// an open live stream ends cleanly.
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { openSqlite } from '../src/node.js';
import { freePort, prepareDatabase, startChild, type ChildServer, type PreparedDatabase } from './support/child-server.js';

const IN_FLIGHT = 150;

interface Outcome {
  readonly status?: number;
  readonly body?: string;
  readonly error?: string;
}

let prepared: PreparedDatabase;
let child: ChildServer | undefined;

before(async () => {
  prepared = await prepareDatabase();
});
after(async () => {
  await child?.kill9();
  prepared.remove();
});

async function call(url: string, apiKey: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: await response.json() };
}

/** Starts a POST whose body is sent in two halves; `finish()` sends the rest and resolves the outcome. */
function halfSent(url: string, apiKey: string, path: string, actAs: string, body: string, key: string): { started: Promise<void>; finish: () => Promise<Outcome> } {
  const bytes = Buffer.from(body);
  const cut = Math.floor(bytes.length / 2);
  let settle: (outcome: Outcome) => void = () => {};
  const outcome = new Promise<Outcome>((resolve) => (settle = resolve));
  const req = httpRequest(`${url}${path}`, {
    method: 'POST',
    agent: false,
    headers: {
      authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', 'content-length': String(bytes.length),
      'menteo-act-as': actAs, 'idempotency-key': key,
    },
  }, (res) => {
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (d: string) => (text += d));
    res.on('end', () => settle({ status: res.statusCode ?? 0, body: text }));
    res.on('error', (error: NodeJS.ErrnoException) => settle({ error: error.code ?? error.message }));
  });
  req.on('error', (error: NodeJS.ErrnoException) => settle({ error: error.code ?? error.message }));
  const started = new Promise<void>((resolve) => req.write(bytes.subarray(0, cut), () => resolve()));
  return {
    started,
    finish: () => {
      req.end(bytes.subarray(cut));
      return outcome;
    },
  };
}

describe('SIGTERM drains in-flight requests', () => {
  it(`answers all ${IN_FLIGHT} in-flight writes, stores them, refuses new connections and ends live streams`, async () => {
    const port = await freePort();
    // A grace far past the drain's few seconds: on a machine loaded by other suites the drain once
    // took longer than 10 s and the deadline's cut (by design) reset 40 writes.
    child = await startChild(prepared.dbPath, port, { MENTEO_SHUTDOWN_GRACE_MS: '30000' });
    const { url } = child;
    const person = await call(url, prepared.apiKey, 'POST', '/v1/people', { displayName: 'Sam Shutdown' });
    assert.equal(person.status, 201);
    const personId = (person.json as { id: string }).id;
    const room = await call(url, prepared.apiKey, 'POST', '/v1/rooms', { title: 'Shutdown room', members: [{ personId, role: 'mentee' }] });
    assert.equal(room.status, 201);
    const roomId = (room.json as { id: string }).id;

    // A live stream open during the shutdown must end, not hang the drain or be reset.
    const stream = await fetch(`${url}/v1/rooms/${roomId}/events`, { headers: { authorization: `Bearer ${prepared.apiKey}`, accept: 'text/event-stream' } });
    assert.equal(stream.status, 200);
    const streamEnded = stream.text().then(() => 'ended', (error: unknown) => `failed: ${String(error)}`);

    const writes = Array.from({ length: IN_FLIGHT }, (_, i) =>
      halfSent(url, prepared.apiKey, `/v1/rooms/${roomId}/messages`, personId, JSON.stringify({ body: `in flight #${i}` }), `drain-${i}`));
    await Promise.all(writes.map((w) => w.started));
    // Let the server read every request's head (they are now in flight), then ask it to stop.
    await new Promise((resolve) => setTimeout(resolve, 500));
    child.process.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const refused = await fetch(`${url}/v1/health`).then(() => 'answered', (error: { cause?: { code?: string } }) => error.cause?.code ?? 'failed');
    const outcomes = await Promise.all(writes.map((w) => w.finish()));
    const code = await child.exited;

    const resets = outcomes.filter((o) => o.error !== undefined);
    assert.equal(resets.length, 0, `${resets.length} of ${IN_FLIGHT} in-flight writes failed: ${[...new Set(resets.map((o) => o.error))].join(', ')}`);
    const statuses = outcomes.map((o) => o.status);
    assert.ok(statuses.every((s) => s === 201), `statuses: ${[...new Set(statuses)].join(', ')}`);
    assert.equal(refused, 'ECONNREFUSED');
    assert.equal(await streamEnded, 'ended');
    assert.equal(code, 0, child.output());

    const db = openSqlite(prepared.dbPath);
    try {
      const stored = await db.selectFrom('messages').select('body').where('room_id', '=', roomId).execute();
      const acknowledged = outcomes.map((o) => (JSON.parse(o.body ?? '{}') as { body?: string }).body);
      const bodies = new Set(stored.map((r) => r.body));
      assert.equal(stored.length, IN_FLIGHT);
      assert.ok(acknowledged.every((b) => b !== undefined && bodies.has(b)));
    } finally {
      await db.destroy();
    }
  });
});
