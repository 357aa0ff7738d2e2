// The HTTP surface: service endpoints, routing errors, a table of bad inputs that must each
// answer the right 4xx problem (never a 500), body limits, idempotency and rate limits.
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { AccessToken, EmbedSession, Message, Room } from '@menteo/api';
import { OPERATIONS } from '@menteo/api/operations';
import { SECRET_ISSUING_OPERATIONS } from '../src/http/idempotency.js';
import { startServer, type Reply, type TestServer } from './support/server.js';
import { failWritesWhere, storedBytes, TEST_STORE } from './support/store.js';
import { buildWorld, expectStatus, tokenFor, type World } from './support/world.js';

let server: TestServer;
let w: World;

before(async () => {
  server = await startServer({ bodyLimit: 4096 });
  w = await buildWorld(server);
});
after(async () => server.close());

describe('service endpoints and routing', () => {
  it('GET /v1/health and /v1/openapi.json', async () => {
    const h = await server.call<{ status: string; storage: string }>('GET', '/v1/health', { auth: null });
    expectStatus(h, 200);
    assert.deepEqual([h.body.status, h.body.storage], ['ok', TEST_STORE]);
    const doc = await server.call<{ openapi: string; paths: Record<string, unknown> }>('GET', '/v1/openapi.json', { auth: null });
    expectStatus(doc, 200);
    assert.equal(doc.body.openapi, '3.1.0');
    assert.equal(Object.values(doc.body.paths).reduce<number>((n, item) => n + Object.keys(item as object).length, 0), OPERATIONS.length);
  });

  it('answers unknown routes 404 and wrong methods 405 with Allow, as problems', async () => {
    expectStatus(await server.call('GET', '/v1/nothing-here'), 404, 'not_found');
    expectStatus(await server.call('GET', '/'), 404, 'not_found');
    const r = await server.call('DELETE', '/v1/rooms');
    expectStatus(r, 405, 'method_not_allowed');
    assert.match(r.headers.get('allow') ?? '', /GET/);
    expectStatus(await server.call('PUT', `/v1/rooms/${w.room.id}`, { body: {} }), 405, 'method_not_allowed');
  });
});

describe('bad input never answers 500', () => {
  const room = () => w.room.id;
  const cases: { name: string; method: string; path: () => string; req: Parameters<TestServer['call']>[2]; status: number; code: string; field?: string }[] = [
    { name: 'malformed JSON', method: 'POST', path: () => '/v1/rooms', req: { raw: '{"title": ', headers: { 'content-type': 'application/json' } }, status: 400, code: 'invalid_request', field: 'body' },
    { name: 'JSON that is not an object', method: 'POST', path: () => '/v1/rooms', req: { body: [1, 2] }, status: 400, code: 'invalid_request', field: 'body' },
    { name: 'JSON null', method: 'POST', path: () => '/v1/rooms', req: { raw: 'null', headers: { 'content-type': 'application/json' } }, status: 400, code: 'invalid_request', field: 'body' },
    { name: 'missing body', method: 'POST', path: () => '/v1/rooms', req: {}, status: 400, code: 'invalid_request', field: 'body' },
    { name: 'wrong type', method: 'POST', path: () => '/v1/rooms', req: { body: { title: 42 } }, status: 400, code: 'invalid_request', field: 'title' },
    { name: 'blank text', method: 'POST', path: () => '/v1/rooms', req: { body: { title: '   ' } }, status: 400, code: 'invalid_request', field: 'title' },
    { name: 'text too long', method: 'POST', path: () => '/v1/rooms', req: { body: { title: 'x'.repeat(121) } }, status: 400, code: 'invalid_request', field: 'title' },
    { name: 'unknown field', method: 'POST', path: () => '/v1/rooms', req: { body: { title: 'ok', sneaky: true } }, status: 400, code: 'invalid_request', field: 'sneaky' },
    { name: 'nested wrong type', method: 'POST', path: () => '/v1/rooms', req: { body: { title: 'ok', members: [{ personId: 'per_x', role: 'boss' }] } }, status: 400, code: 'invalid_request', field: 'members.0.personId' },
    { name: 'bad enum', method: 'PATCH', path: () => `/v1/rooms/${room()}`, req: { body: { status: 'deleted' } }, status: 400, code: 'invalid_request', field: 'status' },
    { name: 'bad date', method: 'POST', path: () => `/v1/rooms/${room()}/notes`, req: { actAs: '', body: { sessionDate: '2026-13-45', summary: 'x' } }, status: 400, code: 'invalid_request', field: 'sessionDate' },
    { name: 'bad id in path', method: 'GET', path: () => '/v1/rooms/not-an-id', req: {}, status: 400, code: 'invalid_request', field: 'roomId' },
    { name: 'id of the wrong kind', method: 'GET', path: () => `/v1/rooms/${w.mentee.id}`, req: {}, status: 400, code: 'invalid_request', field: 'roomId' },
    { name: 'percent-encoded garbage in path', method: 'GET', path: () => '/v1/rooms/%FF%FE', req: {}, status: 400, code: 'invalid_request', field: 'roomId' },
    { name: 'unknown query parameter', method: 'GET', path: () => '/v1/rooms?colour=red', req: {}, status: 400, code: 'invalid_request', field: 'colour' },
    { name: 'repeated query parameter', method: 'GET', path: () => '/v1/rooms?limit=1&limit=2', req: {}, status: 400, code: 'invalid_request', field: 'limit' },
    { name: 'bad query enum', method: 'GET', path: () => '/v1/rooms?status=gone', req: {}, status: 400, code: 'invalid_request', field: 'status' },
    { name: 'bad cursor', method: 'GET', path: () => '/v1/rooms?cursor=%F0%9F%92%A9', req: {}, status: 400, code: 'invalid_request', field: 'cursor' },
    { name: 'text/plain body', method: 'POST', path: () => '/v1/rooms', req: { raw: '{"title":"x"}', headers: { 'content-type': 'text/plain' } }, status: 415, code: 'unsupported_media_type', field: 'Content-Type' },
    { name: 'form body', method: 'POST', path: () => '/v1/rooms', req: { raw: 'title=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, status: 415, code: 'unsupported_media_type' },
    { name: 'non-UTF-8 charset', method: 'POST', path: () => '/v1/rooms', req: { raw: '{"title":"x"}', headers: { 'content-type': 'application/json; charset=latin1' } }, status: 415, code: 'unsupported_media_type' },
    { name: 'invalid UTF-8', method: 'POST', path: () => '/v1/rooms', req: { raw: new Uint8Array([0x7b, 0x22, 0x74, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]), headers: { 'content-type': 'application/json' } }, status: 400, code: 'invalid_request', field: 'body' },
    { name: 'body over the limit', method: 'POST', path: () => '/v1/rooms', req: { body: { title: 'x', purpose: 'y'.repeat(5000) } }, status: 413, code: 'payload_too_large' },
    { name: 'bad Idempotency-Key', method: 'POST', path: () => '/v1/rooms', req: { body: { title: 'x' }, headers: { 'idempotency-key': 'x'.repeat(201) } }, status: 400, code: 'invalid_request', field: 'Idempotency-Key' },
    { name: 'bad Last-Event-ID', method: 'GET', path: () => `/v1/rooms/${room()}/events`, req: { headers: { 'last-event-id': 'yesterday' } }, status: 400, code: 'invalid_request', field: 'Last-Event-ID' },
    { name: 'empty Act-As', method: 'POST', path: () => `/v1/rooms/${room()}/messages`, req: { headers: { 'menteo-act-as': 'per_' }, body: { body: 'x' } }, status: 400, code: 'invalid_request', field: 'Menteo-Act-As' },
    { name: 'huge number', method: 'POST', path: () => `/v1/rooms/${room()}/check-ins`, req: { actAs: '', body: { progress: 'x', confidence: 1e308 } }, status: 400, code: 'invalid_request', field: 'confidence' },
    { name: 'empty key', method: 'POST', path: () => '/v1/rooms', req: { raw: '{"title":"x","":1}', headers: { 'content-type': 'application/json' } }, status: 400, code: 'invalid_request', field: '""' },
    { name: 'prototype pollution key', method: 'POST', path: () => '/v1/rooms', req: { raw: '{"title":"x","__proto__":{"admin":true}}', headers: { 'content-type': 'application/json' } }, status: 400, code: 'invalid_request', field: '__proto__' },
  ];
  for (const c of cases) {
    it(`${c.name} → ${c.status} ${c.code}`, async () => {
      const req = { ...c.req };
      if (req.actAs === '') req.actAs = w.mentee.id;
      const r = await server.call(c.method, c.path(), req);
      expectStatus(r, c.status, c.code);
      assert.equal(r.headers.get('content-type'), 'application/problem+json');
      if (c.field !== undefined) assert.equal((r.body as { field?: string }).field, c.field, r.text);
    });
  }

  it('refuses a lying Content-Length and a chunked body over the limit while reading', async () => {
    const url = new URL('/v1/rooms', server.url);
    const send = (headers: Record<string, string>, chunks: string[]) => new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(url, { method: 'POST', agent: false, headers: { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json', ...headers } }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      for (const c of chunks) req.write(c);
      req.end();
    });
    const declared = await send({ 'content-length': '999999' }, []).catch(() => ({ status: 413, body: '{"code":"payload_too_large"}' }));
    assert.equal(declared.status, 413);
    const chunked = await send({ 'transfer-encoding': 'chunked' }, ['{"title":"x","purpose":"', ...Array.from({ length: 10 }, () => 'y'.repeat(1000)), '"}']);
    assert.equal(chunked.status, 413);
    assert.equal(JSON.parse(chunked.body).code, 'payload_too_large');
  });
});

describe('idempotency', () => {
  it('replays the first response for the same key and body, with Idempotent-Replayed', async () => {
    const req = { body: { title: 'Idempotent room' }, headers: { 'idempotency-key': 'key-1' } };
    const first = await server.call<Room>('POST', '/v1/rooms', req);
    expectStatus(first, 201);
    const again = await server.call<Room>('POST', '/v1/rooms', req);
    expectStatus(again, 201);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.equal(again.body.id, first.body.id);
    const rooms = await server.db.selectFrom('rooms').select('id').where('title', '=', 'Idempotent room').execute();
    assert.equal(rooms.length, 1);
  });

  it('answers 422 for the same key with a different request', async () => {
    await server.call('POST', '/v1/rooms', { body: { title: 'A' }, headers: { 'idempotency-key': 'key-2' } });
    const r = await server.call('POST', '/v1/rooms', { body: { title: 'B' }, headers: { 'idempotency-key': 'key-2' } });
    expectStatus(r, 422, 'idempotency_mismatch');
    const path = await server.call('POST', `/v1/rooms/${w.room.id}/messages`, { actAs: w.mentee.id, body: { title: 'A' }, headers: { 'idempotency-key': 'key-2' } });
    expectStatus(path, 400, 'invalid_request');
  });

  it('scopes keys per credential: another credential may reuse a key', async () => {
    const token = await tokenFor(server, w.mentee.id);
    const a = await server.call<Message>('POST', `/v1/rooms/${w.room.id}/messages`, { auth: token, body: { body: 'from token' }, headers: { 'idempotency-key': 'shared' } });
    const b = await server.call<Message>('POST', `/v1/rooms/${w.room.id}/messages`, { actAs: w.mentee.id, body: { body: 'from key' }, headers: { 'idempotency-key': 'shared' } });
    expectStatus(a, 201);
    expectStatus(b, 201);
    assert.notEqual(a.body.id, b.body.id);
  });

  it('creates one resource for concurrent duplicates', async () => {
    const req = { actAs: w.mentee.id, body: { body: 'exactly once' }, headers: { 'idempotency-key': 'concurrent-1' } };
    const replies = await Promise.all(Array.from({ length: 6 }, () => server.call<Message>('POST', `/v1/rooms/${w.room.id}/messages`, req)));
    assert.ok(replies.every((r) => r.status === 201), replies.map((r) => r.status).join());
    assert.equal(new Set(replies.map((r) => r.body.id)).size, 1);
    const rows = await server.db.selectFrom('messages').select('id').where('body', '=', 'exactly once').execute();
    assert.equal(rows.length, 1);
  });

  it('releases the key after an error so a corrected retry can succeed', async () => {
    const key = { 'idempotency-key': 'after-error' };
    expectStatus(await server.call('POST', `/v1/rooms/${w.room.id}/messages`, { body: { body: 'no author' }, headers: key }), 400, 'invalid_request');
    expectStatus(await server.call('POST', `/v1/rooms/${w.room.id}/messages`, { actAs: w.mentee.id, body: { body: 'no author' }, headers: key }), 201);
  });

  it('accepts keys on PUT, PATCH and DELETE too', async () => {
    const r = await server.call('PATCH', `/v1/rooms/${w.room.id}`, { body: { purpose: 'Patched once' }, headers: { 'idempotency-key': 'patch-1' } });
    expectStatus(r, 200);
    const again = await server.call('PATCH', `/v1/rooms/${w.room.id}`, { body: { purpose: 'Patched once' }, headers: { 'idempotency-key': 'patch-1' } });
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
  });
});

describe('rate limits', () => {
  it('answers 429 with Retry-After per credential and per IP', async () => {
    const limited = await startServer({ rateLimit: { capacity: 3, refillPerSecond: 0.5 }, ipRateLimit: { capacity: 2, refillPerSecond: 0.5 } });
    try {
      const statuses: number[] = [];
      let last;
      for (let i = 0; i < 5; i++) {
        last = await limited.call('GET', '/v1/me');
        statuses.push(last.status);
      }
      assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
      assert.ok(last);
      expectStatus(last, 429, 'rate_limited');
      assert.equal(last.headers.get('retry-after'), '2');
      assert.equal((last.body as { retryAfter?: number }).retryAfter, 2);
      // Unauthenticated calls are limited per IP (the health check here; earlier bootstrap calls used the key).
      const anon: number[] = [];
      for (let i = 0; i < 4; i++) anon.push((await limited.call('GET', '/v1/health', { auth: null })).status);
      assert.deepEqual(anon.slice(0, 1), [200]);
      assert.equal(anon.at(-1), 429);
      // A different credential has its own bucket.
      const { createOrganization } = await import('../src/index.js');
      const other = await createOrganization(limited.db, { name: 'Other' });
      expectStatus(await limited.call('GET', '/v1/me', { auth: other.apiKey.secret }), 200);
    } finally {
      await limited.close();
    }
  });
});

describe('secrets and idempotency records', () => {
  it('lists every operation whose answer carries a secret among the secret-issuing ones', () => {
    const ids = new Set(OPERATIONS.map((op) => op.id));
    for (const id of SECRET_ISSUING_OPERATIONS) assert.ok(ids.has(id), `${id} is not an operation`);
    for (const op of OPERATIONS) {
      const shape = (op.response as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod?.def?.shape ?? {};
      const secretFields = Object.keys(shape).filter((field) => /^(secret|clientSecret|accessToken)$/.test(field));
      if (secretFields.length > 0) assert.ok(SECRET_ISSUING_OPERATIONS.has(op.id), `${op.id} answers ${secretFields.join(', ')} but is not secret-issuing`);
    }
  });

  it('never replays a secret: the same Idempotency-Key cannot exchange a single-use client secret twice', async () => {
    const s = await server.call<EmbedSession>('POST', '/v1/embed-sessions', { body: { personId: w.mentee.id } });
    expectStatus(s, 201);
    const req = { auth: null, body: { clientSecret: s.body.clientSecret }, headers: { 'idempotency-key': 'exchange-once' } };
    const first = await server.call<AccessToken>('POST', '/v1/tokens', req);
    expectStatus(first, 200);
    const again = await server.call('POST', '/v1/tokens', req);
    expectStatus(again, 409, 'conflict');
    assert.equal((again.body as { field?: string }).field, 'Idempotency-Key');
    assert.match((again.body as { detail: string }).detail, /secret/);
    assert.ok(!again.text.includes(first.body.accessToken), 'the access token was handed out a second time');
  });

  it('answers a retried secret-issuing write with 409 instead of a second copy of the secret', async () => {
    const retries: { path: string; body: unknown; secretOf: (b: Record<string, unknown>) => unknown }[] = [
      { path: '/v1/api-keys', body: { name: 'retried key' }, secretOf: (b) => b.secret },
      { path: '/v1/embed-sessions', body: { personId: w.mentor.id }, secretOf: (b) => b.clientSecret },
      { path: '/v1/integrations/scim/tokens', body: { label: 'retried scim' }, secretOf: (b) => b.secret },
    ];
    for (const r of retries) {
      const req = { body: r.body, headers: { 'idempotency-key': `secret-retry:${r.path}` } };
      const first = await server.call<Record<string, unknown>>('POST', r.path, req);
      expectStatus(first, 201);
      const secret = r.secretOf(first.body);
      assert.equal(typeof secret, 'string');
      const again = await server.call('POST', r.path, req);
      expectStatus(again, 409, 'conflict');
      assert.ok(!again.text.includes(String(secret)), `${r.path} replayed its secret`);
    }
    // The retry did not mint a second key either.
    const keys = await server.db.selectFrom('api_keys').select('id').where('name', '=', 'retried key').execute();
    assert.equal(keys.length, 1);
  });

  it('stores no secret in the clear: the database file holds none of the secrets handed out under Idempotency-Keys', async () => {
    const secrets: string[] = [];
    const key = await server.call<{ secret: string }>('POST', '/v1/api-keys', { body: { name: 'scanned key' }, headers: { 'idempotency-key': 'scan-1' } });
    expectStatus(key, 201);
    secrets.push(key.body.secret);
    const session = await server.call<EmbedSession>('POST', '/v1/embed-sessions', { body: { personId: w.mentee.id }, headers: { 'idempotency-key': 'scan-2' } });
    expectStatus(session, 201);
    secrets.push(session.body.clientSecret);
    const token = await server.call<AccessToken>('POST', '/v1/tokens', { auth: null, body: { clientSecret: session.body.clientSecret }, headers: { 'idempotency-key': 'scan-3' } });
    expectStatus(token, 200);
    secrets.push(token.body.accessToken);
    const scim = await server.call<{ secret: string }>('POST', '/v1/integrations/scim/tokens', { body: { label: 'scanned' }, headers: { 'idempotency-key': 'scan-4' } });
    expectStatus(scim, 201);
    secrets.push(scim.body.secret);
    assert.deepEqual(secrets.map((s) => s.split('_')[0]), ['mk', 'mcs', 'mat', 'mscim']);
    const bytes = await storedBytes(server.db);
    for (const secret of secrets) assert.equal(bytes.indexOf(secret), -1, `${secret.slice(0, 8)}… is stored in the clear`);
  });
});

describe('a write, its Idempotency-Key and its stored response commit together', () => {
  it('a failure after the work (before the response is stored) leaves nothing behind, so a retry writes once', async () => {
    // Simulates a process that dies after the write committed but before its response was stored:
    // the statement that stores the response fails. Then the retry comes after the 60 s takeover.
    const errors: unknown[] = [];
    const s = await startServer({ onError: (error) => errors.push(error) });
    try {
      const room = await s.call<Room>('POST', '/v1/rooms', { body: { title: 'Crash room' } });
      expectStatus(room, 201);
      const undo = await failWritesWhere(s.db, 'idempotency', 'new.status is not null');
      const req = { body: { title: 'Written once' }, headers: { 'idempotency-key': 'crash-window' } };
      const first = await s.call<Room>('POST', '/v1/rooms', req).catch(() => undefined);
      await undo();
      // However long the client waited, a pending claim is as old as the crash.
      await s.db.updateTable('idempotency').set({ created_at: new Date(Date.now() - 120_000).toISOString() }).where('key', '=', 'crash-window').execute();
      const retry = await s.call<Room>('POST', '/v1/rooms', req);
      expectStatus(retry, 201);
      const rows = await s.db.selectFrom('rooms').select('id').where('title', '=', 'Written once').execute();
      assert.equal(rows.length, 1, `the write ran ${rows.length} times (first answer: ${first?.status})`);
      assert.equal(rows[0]?.id, retry.body.id);
    } finally {
      await s.close().catch(() => undefined);
    }
  });
});

describe('CORS answers only the origins of the organization an answer is about', () => {
  const acme = 'https://intranet.acme.test';
  const evil = 'https://evil.globex.test';
  let publicPostId: string;

  before(async () => {
    // Another organization on the same server allows its own origin: that must open nothing of Acme.
    const globex = await server.call('PATCH', '/v1/organization', { auth: w.other.apiKey, body: { allowedOrigins: [evil] } });
    expectStatus(globex, 200);
    const thread = await server.call<{ id: string }>('POST', '/v1/threads', { actAs: w.mentee.id, body: { title: 'Learning in public' } });
    expectStatus(thread, 201);
    const post = await server.call<{ id: string }>('POST', `/v1/threads/${thread.body.id}/posts`, { actAs: w.mentee.id, body: { body: 'Public insight', audience: 'public' } });
    expectStatus(post, 201);
    publicPostId = post.body.id;
  });

  const acao = (r: Reply) => r.headers.get('access-control-allow-origin');

  it('a public post is readable cross-origin only from its own organization\'s origins', async () => {
    const own = await server.call('GET', `/v1/public/posts/${publicPostId}`, { auth: null, headers: { origin: acme } });
    expectStatus(own, 200);
    assert.equal(acao(own), acme);
    const foreign = await server.call('GET', `/v1/public/posts/${publicPostId}`, { auth: null, headers: { origin: evil } });
    expectStatus(foreign, 200);
    assert.equal(acao(foreign), null);
  });

  it('a token exchange answers CORS only for the origins of the session\'s organization', async () => {
    const s = await server.call<EmbedSession>('POST', '/v1/embed-sessions', { body: { personId: w.mentee.id } });
    const refused = await server.call('POST', '/v1/tokens', { auth: null, body: { clientSecret: s.body.clientSecret }, headers: { origin: evil } });
    expectStatus(refused, 403, 'forbidden');
    assert.equal(acao(refused), null);
    const ok = await server.call('POST', '/v1/tokens', { auth: null, body: { clientSecret: s.body.clientSecret }, headers: { origin: acme } });
    expectStatus(ok, 200);
    assert.equal(acao(ok), acme);
    const used = await server.call('POST', '/v1/tokens', { auth: null, body: { clientSecret: s.body.clientSecret }, headers: { origin: acme } });
    expectStatus(used, 401, 'unauthenticated');
    assert.equal(acao(used), acme, 'the widget must be able to read why its secret was refused');
  });

  it('answers that carry no organization\'s data carry no CORS headers', async () => {
    for (const path of ['/v1/health', '/v1/openapi.json']) {
      const r = await server.call('GET', path, { auth: null, headers: { origin: acme } });
      expectStatus(r, 200);
      assert.equal(acao(r), null, path);
    }
  });

  it('a refused access token answers CORS for its own organization\'s origins, so the widget can refresh', async () => {
    const token = await tokenFor(server, w.mentee.id);
    await server.db.updateTable('access_tokens').set({ expires_at: '2000-01-01T00:00:00.000Z' }).where('person_id', '=', w.mentee.id).execute();
    const own = await server.call('GET', '/v1/me', { auth: token, headers: { origin: acme } });
    expectStatus(own, 401, 'unauthenticated');
    assert.equal(acao(own), acme);
    const foreign = await server.call('GET', '/v1/me', { auth: token, headers: { origin: evil } });
    expectStatus(foreign, 401, 'unauthenticated');
    assert.equal(acao(foreign), null);
  });

  it('preflights answer any origin some organization allows (they carry no credential and no data)', async () => {
    const r = await fetch(`${server.url}/v1/rooms`, { method: 'OPTIONS', headers: { origin: evil, 'access-control-request-method': 'GET' } });
    assert.equal(r.status, 204);
    assert.equal(r.headers.get('access-control-allow-origin'), evil);
    const unknown = await fetch(`${server.url}/v1/rooms`, { method: 'OPTIONS', headers: { origin: 'https://nobody.test', 'access-control-request-method': 'GET' } });
    assert.equal(unknown.headers.get('access-control-allow-origin'), null);
    await unknown.body?.cancel();
  });
});

describe('requests the HTTP parser rejects', () => {
  /** Sends raw bytes and reads until the server closes the connection. */
  const raw = (bytes: string) => new Promise<string>((resolve, reject) => {
    const { hostname, port } = new URL(server.url);
    const socket = connect({ host: hostname, port: Number(port) }, () => socket.end(bytes));
    let out = '';
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => (out += d));
    socket.on('end', () => resolve(out));
    socket.on('error', reject);
    socket.setTimeout(5000, () => socket.destroy(new Error(`no answer to ${JSON.stringify(bytes.slice(0, 60))}`)));
  });
  const auth = () => `Authorization: Bearer ${server.apiKey}\r\n`;
  const cases: { name: string; bytes: () => string; field: string }[] = [
    { name: 'duplicate Content-Length', bytes: () => `POST /v1/rooms HTTP/1.1\r\nHost: x\r\n${auth()}Content-Type: application/json\r\nContent-Length: 13\r\nContent-Length: 14\r\n\r\n{"title":"x"}`, field: 'Content-Length' },
    { name: 'Content-Length: abc', bytes: () => `POST /v1/rooms HTTP/1.1\r\nHost: x\r\n${auth()}Content-Type: application/json\r\nContent-Length: abc\r\n\r\n{"title":"x"}`, field: 'Content-Length' },
    { name: 'a malformed chunk', bytes: () => `POST /v1/rooms HTTP/1.1\r\nHost: x\r\n${auth()}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{"title":"x"}\r\n0\r\n\r\n`, field: 'Transfer-Encoding' },
    { name: 'Content-Length with chunked', bytes: () => `POST /v1/rooms HTTP/1.1\r\nHost: x\r\n${auth()}Content-Type: application/json\r\nContent-Length: 13\r\nTransfer-Encoding: chunked\r\n\r\nd\r\n{"title":"x"}\r\n0\r\n\r\n`, field: 'Transfer-Encoding' },
    { name: 'a broken request line', bytes: () => 'GET /v1/health HTTP/9\r\nHost: x\r\n\r\n', field: 'request-line' },
    { name: 'a header without a colon', bytes: () => 'GET /v1/health HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n', field: 'headers' },
  ];
  for (const c of cases) {
    it(`${c.name} → 400 problem+json`, async () => {
      const answer = await raw(c.bytes());
      const [head = '', body = ''] = answer.split('\r\n\r\n');
      assert.match(head, /^HTTP\/1\.1 400 /, answer.slice(0, 200));
      assert.match(head, /\r\ncontent-type: application\/problem\+json(\r\n|$)/i);
      assert.match(head, /\r\nconnection: close(\r\n|$)/i);
      const problem = JSON.parse(body) as { code: string; status: number; field?: string; requestId?: string };
      assert.equal(problem.code, 'invalid_request');
      assert.equal(problem.status, 400);
      assert.equal(problem.field, c.field);
      assert.ok(problem.requestId);
    });
  }
});
