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
  responses: Record<string, { content?: Record<string, MediaType> }>;
}
interface Doc {
  servers: { url: string; description?: string }[];
  tags: { name: string; description?: string }[];
  paths: Record<string, Record<string, OperationObject>>;
  components: { schemas: Record<string, unknown> };
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
});
