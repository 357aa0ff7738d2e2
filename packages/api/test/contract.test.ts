import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as z from 'zod/mini';
import { OPERATIONS, buildPath, CreatePost, CreateRoadmap, PageQuery, Problem } from '../src/index.js';
import { buildOpenApiDocument } from '../src/openapi.js';

describe('operations', () => {
  it('have unique ids and unique method+path pairs', () => {
    const ids = OPERATIONS.map((op) => op.id);
    assert.equal(new Set(ids).size, ids.length);
    const routes = OPERATIONS.map((op) => `${op.method} ${op.path}`);
    assert.equal(new Set(routes).size, routes.length);
  });

  it('declare a params schema for exactly the placeholders of their path', () => {
    for (const op of OPERATIONS) {
      const placeholders = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      const declared = op.params ? Object.keys((op.params as unknown as { shape: object }).shape).sort() : [];
      assert.deepEqual(declared, placeholders, op.id);
    }
  });

  it('buildPath encodes values and refuses missing ones', () => {
    assert.equal(buildPath('/v1/rooms/{roomId}', { roomId: 'a b/c' }), '/v1/rooms/a%20b%2Fc');
    assert.throws(() => buildPath('/v1/rooms/{roomId}', {}), /roomId/);
  });
});

describe('schemas', () => {
  it('reject unknown fields in request bodies', () => {
    const r = z.safeParse(CreatePost, { body: 'hi', sneaky: true });
    assert.equal(r.success, false);
  });

  it('trim text and reject blank text', () => {
    assert.equal(z.parse(CreatePost, { body: '  hello  ' }).body, 'hello');
    assert.equal(z.safeParse(CreatePost, { body: '   ' }).success, false);
  });

  it('bound page sizes and coerce them from query strings', () => {
    assert.equal(z.parse(PageQuery, { limit: '50' }).limit, 50);
    assert.equal(z.safeParse(PageQuery, { limit: '0' }).success, false);
    assert.equal(z.safeParse(PageQuery, { limit: '101' }).success, false);
    assert.equal(z.safeParse(PageQuery, { limit: '2.5' }).success, false);
  });

  it('validate identifiers by prefix', () => {
    const ok = z.safeParse(CreateRoadmap, { roomId: 'room_01JDZ5Y4M6Q7W8E9R0T1Y2V3X4', title: 'x', startDate: '2026-01-01' });
    assert.equal(ok.success, true);
    const bad = z.safeParse(CreateRoadmap, { roomId: 'post_01JDZ5Y4M6Q7W8E9R0T1Y2V3X4', title: 'x', startDate: '2026-01-01' });
    assert.equal(bad.success, false);
  });

  it('problem codes are the stable set', () => {
    assert.equal(z.safeParse(Problem, { type: 't', title: 't', status: 400, code: 'nope' }).success, false);
    assert.equal(z.safeParse(Problem, { type: 't', title: 't', status: 400, code: 'invalid_request' }).success, true);
  });
});

describe('OpenAPI document', () => {
  const doc = buildOpenApiDocument() as {
    openapi: string;
    paths: Record<string, Record<string, { operationId: string; responses: Record<string, unknown> }>>;
    components: Record<string, Record<string, unknown>>;
  };

  it('is OpenAPI 3.1 with every operation', () => {
    assert.equal(doc.openapi, '3.1.0');
    const ids = Object.values(doc.paths).flatMap((item) => Object.values(item).map((o) => o.operationId));
    assert.deepEqual(ids.sort(), OPERATIONS.map((op) => op.id).sort());
  });

  it('resolves every $ref to a published component', () => {
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    assert.ok(refs.length > 50);
    for (const ref of refs) {
      // Schemas, and the live-position protocol's parameter and headers.
      const match = /^"\$ref":"#\/components\/(schemas|parameters|headers)\/([^"/]+)"$/.exec(ref);
      assert.ok(match && match[2]! in (doc.components[match[1]!] ?? {}), `unresolved ${ref}`);
    }
  });
});
