// The HTTP surface: service endpoints, routing errors, a table of bad inputs that must each
// answer the right 4xx problem (never a 500), body limits, idempotency and rate limits.
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { Message, Room } from '@menteo/api';
import { OPERATIONS } from '@menteo/api/operations';
import { startServer, type TestServer } from './support/server.js';
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
    assert.deepEqual([h.body.status, h.body.storage], ['ok', 'sqlite']);
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
