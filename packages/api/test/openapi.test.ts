/**
 * What linters and generated clients need from the OpenAPI document that the structure checks
 * in contract.test.ts do not see: valid 3.1 (no 3.2 keywords), servers to call, and prose for
 * every operation and tag. The linters themselves run in scripts/check-openapi.mjs.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OPERATIONS } from '../src/index.js';
import { buildOpenApiDocument, DEFAULT_SERVERS, EVENT_SCHEMAS_EXTENSION } from '../src/openapi.js';

interface MediaType { schema?: { type?: string; description?: string }; itemSchema?: unknown; [key: string]: unknown }
interface OperationObject {
  operationId: string;
  summary: string;
  description?: string;
  parameters?: ({ $ref: string } | { name: string; in: string })[];
  responses: Record<string, { content?: Record<string, MediaType>; headers?: Record<string, { $ref: string }> }>;
}
interface Doc {
  servers: { url: string; description?: string }[];
  tags: { name: string; description?: string }[];
  paths: Record<string, Record<string, OperationObject>>;
  components: {
    schemas: Record<string, unknown>;
    parameters?: Record<string, { name: string; in: string; required: boolean; description?: string }>;
    headers?: Record<string, { description?: string; schema?: { type?: string } }>;
  };
}

const operationsOf = (doc: Doc) => Object.values(doc.paths).flatMap((item) => Object.values(item));

describe('OpenAPI document for linters', () => {
  const doc = buildOpenApiDocument() as unknown as Doc;

  it('describes every operation in a sentence or more, beyond its summary', () => {
    const missing = operationsOf(doc).filter((op) => !op.description?.trim()).map((op) => op.operationId);
    assert.deepEqual(missing, [], `operations without a description: ${missing.join(', ')}`);
    for (const op of operationsOf(doc)) {
      assert.notEqual(op.description, op.summary, `${op.operationId}: the description repeats the summary`);
      assert.match(op.description ?? '', /[.!?)`]$/, `${op.operationId}: the description is not a sentence`);
    }
  });

  it('declares a description on every operation of the contract', () => {
    assert.deepEqual(OPERATIONS.filter((op) => !op.description).map((op) => op.id), []);
  });

  it('describes every tag', () => {
    assert.deepEqual(doc.tags.filter((t) => !t.description).map((t) => t.name), []);
  });

  it('lists a server by default, never an empty list', () => {
    assert.deepEqual(doc.servers, DEFAULT_SERVERS.map((s) => ({ ...s })));
    assert.ok(doc.servers.length > 0);
  });

  it('lists the servers it is given, as URLs or server objects', () => {
    const given = buildOpenApiDocument({ servers: ['https://menteo.acme.test', { url: 'https://eu.menteo.acme.test', description: 'EU' }] }) as unknown as Doc;
    assert.deepEqual(given.servers, [{ url: 'https://menteo.acme.test' }, { url: 'https://eu.menteo.acme.test', description: 'EU' }]);
  });

  it('describes event streams the 3.1 way: a described string, event schemas named by an extension', () => {
    assert.doesNotMatch(JSON.stringify(doc), /"itemSchema"/, '`itemSchema` is OpenAPI 3.2');
    const streams = OPERATIONS.filter((op) => op.stream);
    assert.ok(streams.length >= 4);
    for (const op of streams) {
      const o = operationsOf(doc).find((x) => x.operationId === op.id);
      const media = o?.responses[String(op.status)]?.content?.['text/event-stream'];
      assert.ok(media, `${op.id}: no text/event-stream response`);
      assert.equal(media.schema?.type, 'string');
      assert.match(media.schema?.description ?? '', /Last-Event-ID/);
      const refs = media[EVENT_SCHEMAS_EXTENSION] as { $ref: string }[];
      assert.ok(refs.some((r) => r.$ref === '#/components/schemas/LiveEvent'), op.id);
      for (const r of refs) assert.ok(r.$ref.replace('#/components/schemas/', '') in doc.components.schemas, r.$ref);
    }
    const live = operationsOf(doc).find((x) => x.operationId === 'openLiveConnection');
    const refs = live?.responses['200']?.content?.['text/event-stream']?.[EVENT_SCHEMAS_EXTENSION] as { $ref: string }[];
    assert.ok(refs.some((r) => r.$ref.endsWith('/LiveControl')), 'the multiplexed stream names its control frames');
  });

  it('declares the live-position protocol on authenticated reads: Prefer in, the position headers out', () => {
    // The names the server and the client use (packages/server/src/http/event-position.ts).
    const answerHeaders = ['Preference-Applied', 'Menteo-Event-Position', 'Menteo-Event-Position-Upper'];
    const resolveParam = (p: { $ref: string } | { name: string; in: string }) =>
      '$ref' in p ? doc.components.parameters?.[p.$ref.replace('#/components/parameters/', '')] : p;
    const prefersOf = (o: OperationObject) => (o.parameters ?? []).map(resolveParam).filter((p) => p?.in === 'header' && p.name === 'Prefer');
    const readers = OPERATIONS.filter((op) => op.method === 'GET' && !op.stream && (op.auth === 'any' || op.auth === 'key'));
    assert.ok(readers.some((op) => op.id === 'getRoom') && readers.some((op) => op.id === 'getRoadmap'));
    for (const op of readers) {
      const o = operationsOf(doc).find((x) => x.operationId === op.id);
      assert.ok(o, op.id);
      const prefer = prefersOf(o);
      assert.equal(prefer.length, 1, `${op.id}: declares the Prefer header once`);
      assert.equal(prefer[0]?.required, false);
      assert.match(prefer[0]?.description ?? '', /event-position/);
      const headers = o.responses[String(op.status)]?.headers ?? {};
      assert.deepEqual(Object.keys(headers).sort(), [...answerHeaders].sort(), `${op.id}: the answer's headers`);
      for (const [name, h] of Object.entries(headers)) {
        const component = doc.components.headers?.[h.$ref.replace('#/components/headers/', '')];
        assert.ok(component?.description?.trim(), `${op.id}: ${name} is described`);
      }
    }
    // Streams, writes and unauthenticated reads do not answer a position.
    for (const o of operationsOf(doc).filter((x) => !readers.some((op) => op.id === x.operationId))) {
      assert.deepEqual(prefersOf(o), [], `${o.operationId} declares Prefer`);
      for (const r of Object.values(o.responses)) assert.equal(r.headers, undefined, `${o.operationId} declares position headers`);
    }
    assert.ok(!readers.some((op) => op.id === 'getHealth'));
  });
});
