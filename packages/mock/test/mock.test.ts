// The mock is the real app behind msw: these tests talk to it with the real client and check
// that every fault does what it says, and that the sql.js store runs the real migrations.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import initSqlJs from 'sql.js';
import { createClient, isMenteoError } from '@menteo/client';
import { createCore, type MockCore } from '../src/environment.js';
import { startNodeMock, type NodeMock } from '../src/node.js';
import { sqlJsDatabase, type SqlJsDatabase } from '../src/sqljs-database.js';

describe('Node mock: the real app behind msw', () => {
  let mock: NodeMock;
  let personId: string;
  let threadId: string;

  before(async () => {
    mock = await startNodeMock();
    const admin = createClient({ baseUrl: mock.baseUrl, apiKey: mock.organization.apiKey, retry: { limit: 0 } });
    const person = await admin.people.create({ displayName: 'Ada Mock', email: 'ada@example.com' });
    personId = person.id;
    const room = await admin.rooms.create({ title: 'Mock room', members: [{ personId, role: 'mentee' }] }, { actAs: personId });
    const thread = await admin.threads.create({ title: 'Notes', roomId: room.id }, { actAs: personId });
    threadId = thread.id;
  });
  after(() => mock.stop());
  beforeEach(() => mock.resetFaults());

  const client = (retryLimit = 3) =>
    createClient({ baseUrl: mock.baseUrl, apiKey: mock.organization.apiKey, actAs: personId, retry: { limit: retryLimit, baseDelay: 1, maxDelay: 5 } });

  it('answers with the real app: validation errors are the server’s problems', async () => {
    await assert.rejects(client().threads.posts.create(threadId, { body: '   ' }), (error: unknown) => {
      assert.ok(isMenteoError(error, 'invalid_request'));
      assert.equal(error.field, 'body');
      return true;
    });
  });

  it('status fault: answers the injected status the given number of times, then lets requests through', async () => {
    const fault = mock.faults.status(500, { method: 'GET', path: '/v1/me', times: 2 });
    mock.use(fault.handler);
    const me = await client().me.get();
    assert.equal(me.person?.id, personId);
    assert.equal(fault.hits, 2);
  });

  it('drop fault: a dropped connection is a network error when retries are off', async () => {
    const fault = mock.faults.drop({ path: '/v1/me' });
    mock.use(fault.handler);
    await assert.rejects(client(0).me.get(), (error: unknown) => isMenteoError(error, 'network_error'));
    assert.equal(fault.hits, 1);
  });

  it('dropAfterApp: the write happens, the answer is lost, the retry replays it: exactly one post', async () => {
    const path = `/v1/threads/${threadId}/posts`;
    const fault = mock.faults.dropAfterApp(mock.app, { method: 'POST', path, times: 1 });
    mock.use(fault.handler);
    const before = (await client().threads.posts.list(threadId, { limit: 100 })).items.length;
    const post = await client().threads.posts.create(threadId, { body: 'Written once, answered twice' });
    const after = await client().threads.posts.list(threadId, { limit: 100 });
    assert.equal(fault.hits, 1);
    assert.equal(after.items.length, before + 1);
    assert.equal(after.items.filter((p) => p.body === 'Written once, answered twice').length, 1);
    assert.equal(after.items[0]?.id, post.id);
  });

  it('rateLimit fault: a 429 with Retry-After reaches the caller as rate_limited when retries are off', async () => {
    mock.use(mock.faults.rateLimit(7, { path: '/v1/me' }).handler);
    await assert.rejects(client(0).me.get(), (error: unknown) => {
      assert.ok(isMenteoError(error, 'rate_limited'));
      assert.equal(error.retryAfter, 7);
      return true;
    });
  });

  it('latency fault: delays the request and still answers from the app', async () => {
    const fault = mock.faults.latency(30, { path: '/v1/me', times: 1 });
    mock.use(fault.handler);
    const me = await client().me.get();
    assert.equal(fault.hits, 1);
    assert.equal(me.organization.id, mock.organization.id);
  });

  it('hold fault: keeps the request in flight until released, then the app answers', async () => {
    const fault = mock.faults.hold({ path: '/v1/me', times: 1 });
    mock.use(fault.handler);
    let settled = false;
    const pending = client().me.get().then((me) => {
      settled = true;
      return me;
    });
    // Let the request reach the handler; it must still be waiting.
    for (let i = 0; i < 5 && fault.hits === 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(fault.hits, 1);
    assert.equal(settled, false);
    fault.release();
    const me = await pending;
    assert.equal(me.organization.id, mock.organization.id);
  });

  it('streams POST /v1/live (a POST answered with text/event-stream) through the interceptor', async () => {
    const room = (await client().rooms.list({ limit: 1 })).items[0];
    assert.ok(room);
    const abort = new AbortController();
    const response = await fetch(`${mock.baseUrl}/v1/live`, {
      method: 'POST',
      signal: abort.signal,
      headers: { authorization: `Bearer ${mock.organization.apiKey}`, 'menteo-act-as': personId, 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ topics: [{ topic: `room:${room.id}` }] }),
    });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    const until = async (needle: string) => {
      while (!text.includes(needle)) {
        const { done, value } = await reader.read();
        assert.equal(done, false, `the stream ended before "${needle}"`);
        text += value;
      }
    };
    await until('event: live.ready');
    await client().rooms.messages.create(room.id, { body: 'Carried by the live connection' });
    await until('Carried by the live connection');
    abort.abort();
    await reader.cancel().catch(() => undefined);
  });

  it('streams fault: cut() ends open event streams; the client reconnects and misses nothing', async () => {
    const room = (await client().rooms.list({ limit: 1 })).items[0];
    assert.ok(room);
    const streams = mock.faults.streams(mock.app);
    mock.use(streams.handler);
    const sub = client().events.room(room.id);
    const received: string[] = [];
    sub.on('message.created', (e) => received.push(e.data.body));
    const reconnected = new Promise<void>((resolve) => {
      let dropped = false;
      sub.onState((state) => {
        if (state === 'reconnecting') dropped = true;
        if (state === 'open' && dropped) resolve();
      });
    });
    const waitFor = async (body: string) => {
      for (let i = 0; i < 500 && !received.includes(body); i++) await new Promise((r) => setTimeout(r, 10));
      assert.ok(received.includes(body), `received "${body}"`);
    };
    try {
      for (let i = 0; i < 500 && streams.open === 0; i++) await new Promise((r) => setTimeout(r, 10));
      await client().rooms.messages.create(room.id, { body: 'before the cut' });
      await waitFor('before the cut');
      assert.ok(streams.cut() >= 1, 'a stream was open to cut');
      // Written while the client has no connection: replayed when it resumes.
      await client().rooms.messages.create(room.id, { body: 'during the cut' });
      await reconnected;
      await client().rooms.messages.create(room.id, { body: 'after the cut' });
      await waitFor('after the cut');
      assert.deepEqual(received, ['before the cut', 'during the cut', 'after the cut']);
    } finally {
      sub.close();
    }
  });

  it('resetFaults removes every fault', async () => {
    mock.use(mock.faults.status(503, { path: '/v1/me' }).handler);
    mock.resetFaults();
    const me = await client(0).me.get();
    assert.equal(me.organization.id, mock.organization.id);
  });
});

describe('sql.js store: the browser store runs the same migrations and queries', () => {
  let core: MockCore;

  before(async () => {
    const SQL = await initSqlJs();
    core = await createCore(sqlJsDatabase(new SQL.Database() as unknown as SqlJsDatabase), {});
  });
  after(() => core.db.destroy());

  it('creates and pages posts through the app over sql.js', async () => {
    const call = (path: string, init: RequestInit & { actAs?: string } = {}) =>
      core.app.fetch(
        new Request(new URL(path, core.baseUrl), {
          ...init,
          headers: {
            authorization: `Bearer ${core.organization.apiKey}`,
            'content-type': 'application/json',
            ...(init.actAs ? { 'menteo-act-as': init.actAs } : {}),
          },
        }),
      );
    const person = (await (await call('/v1/people', { method: 'POST', body: JSON.stringify({ displayName: 'Sql Js' }) })).json()) as { id: string };
    const room = (await (
      await call('/v1/rooms', { method: 'POST', actAs: person.id, body: JSON.stringify({ title: 'Wasm room', members: [{ personId: person.id, role: 'mentee' }] }) })
    ).json()) as { id: string };
    const thread = (await (await call('/v1/threads', { method: 'POST', actAs: person.id, body: JSON.stringify({ title: 'Wasm thread', roomId: room.id }) })).json()) as { id: string };
    for (let i = 0; i < 5; i++) {
      const r = await call(`/v1/threads/${thread.id}/posts`, { method: 'POST', actAs: person.id, body: JSON.stringify({ body: `post ${i}` }) });
      assert.equal(r.status, 201);
    }
    const first = (await (await call(`/v1/threads/${thread.id}/posts?limit=3`)).json()) as { items: { body: string }[]; nextCursor: string | null };
    assert.deepEqual(first.items.map((p) => p.body), ['post 4', 'post 3', 'post 2']);
    assert.ok(first.nextCursor);
    const second = (await (await call(`/v1/threads/${thread.id}/posts?limit=3&cursor=${encodeURIComponent(first.nextCursor)}`)).json()) as { items: { body: string }[]; nextCursor: string | null };
    assert.deepEqual(second.items.map((p) => p.body), ['post 1', 'post 0']);
    assert.equal(second.nextCursor, null);
  });
});
