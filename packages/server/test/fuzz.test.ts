// The fuzz suite: property-based requests (fast-check, fixed seed) to EVERY operation of the
// contract, over the real server on a real SQLite file seeded with the demo organization. Path
// params, query strings and bodies are generated from each operation's own schemas (mostly
// plausible, often hostile), and so are the headers (credentials, Idempotency-Key, Menteo-Act-As,
// Content-Type, Origin, Last-Event-ID). Every answer must be below 500; every error must be
// application/problem+json with a stable code (and the offending field for 400/415/422); and a
// rejected request must leave every table exactly as it was.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ERROR_CODES, ERROR_STATUS } from '@menteo/api/errors';
import type { Operation } from '@menteo/api/operation';
import { OPERATIONS } from '@menteo/api/operations';
import fc from 'fast-check';
import * as z from 'zod/mini';
import { seedDemo } from '../src/seed/index.js';
import { hostileJson, headerValue, objectOf, valueOf, type IdPool, type JsonSchema } from './support/fuzz-arbitraries.js';
import { startServer, type TestServer } from './support/server.js';
import { contentHash, rowsOf, tablesWithColumn } from './support/store.js';
import { tokenFor } from './support/world.js';

const SEED = 20261129;
/** Requests per operation; 71 operations × 50 keeps the suite well under a minute. */
const RUNS_PER_OPERATION = 50;
const ALLOWED_ORIGIN = 'https://intranet.acme.test';

let server: TestServer;
let ids: IdPool;
let personIds: string[];
let token: string;
let requests = 0;
let rejected = 0;
const statuses = new Map<number, number>();

/** Tables whose every row a rejected request must leave alone, hashed. */
async function snapshot(): Promise<string> {
  // Authentication stamps a key's last use (at most once a minute): not data a request changes.
  return contentHash(server.db, { api_keys: ['last_used_at'] });
}

function jsonSchemaOf(schema: Operation['body']): JsonSchema | undefined {
  if (schema === undefined) return undefined;
  return z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as JsonSchema;
}

/** One generated request, before the credential is filled in. */
interface Generated {
  params: Record<string, unknown>;
  query: Record<string, unknown> | undefined;
  body: { kind: 'json'; value: unknown } | { kind: 'raw'; text: string } | { kind: 'none' };
  credential: 'key' | 'token' | 'none' | 'garbage';
  headers: Record<string, string>;
}

function requestArbitrary(op: Operation): fc.Arbitrary<Generated> {
  const paramsSchema = jsonSchemaOf(op.params) ?? { properties: {} };
  // Path parameters are always present (the router needs them); their values are generated.
  const params = objectOf({ ...paramsSchema, required: Object.keys(paramsSchema.properties ?? {}) }, ids);
  const querySchema = jsonSchemaOf(op.query);
  const query = querySchema ? fc.option(objectOf(querySchema, ids), { freq: 6 }).map((q) => q ?? undefined) : fc.constant(undefined);
  const bodySchema = jsonSchemaOf(op.body);
  const body: fc.Arbitrary<Generated['body']> = fc.oneof(
    { weight: bodySchema ? 8 : 1, arbitrary: (bodySchema ? objectOf(bodySchema, ids) : hostileJson).map((value) => ({ kind: 'json' as const, value })) },
    { weight: 1, arbitrary: (bodySchema ? valueOf(bodySchema, ids) : hostileJson).map((value) => ({ kind: 'json' as const, value })) },
    { weight: 1, arbitrary: fc.constantFrom('{"a":', '{"__proto__":{"admin":true}}', '[1,2', 'null', '"', '{}garbage', '\u0000').map((text) => ({ kind: 'raw' as const, text })) },
    { weight: bodySchema ? 1 : 4, arbitrary: fc.constant({ kind: 'none' as const }) },
  );
  /** A header sent in `percent` of the requests. */
  const optionalHeader = (name: string, values: fc.Arbitrary<string>, percent: number) => fc.oneof(
    { weight: 100 - percent, arbitrary: fc.constant(null) },
    { weight: percent, arbitrary: values.map((v) => [name, v] as const) },
  );
  const headers = fc.tuple(
    optionalHeader('idempotency-key', fc.oneof({ weight: 4, arbitrary: fc.uuid() }, { weight: 1, arbitrary: headerValue }), 50),
    // Writes with an author need it with an API key: mostly a real person, sometimes garbage.
    optionalHeader('menteo-act-as', fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...personIds) }, { weight: 1, arbitrary: headerValue }), 70),
    optionalHeader('content-type', fc.constantFrom('text/plain', 'application/json; charset=latin1', 'application/x-www-form-urlencoded', 'application/json;;', 'multipart/form-data'), 10),
    optionalHeader('origin', fc.oneof(fc.constantFrom(ALLOWED_ORIGIN, 'https://evil.test', 'null'), headerValue), 20),
    optionalHeader('last-event-id', fc.oneof(fc.nat().map(String), headerValue), 20),
    optionalHeader('accept', fc.constantFrom('text/event-stream', 'application/json', '*/*', 'image/png'), 20),
  ).map((pairs) => Object.fromEntries(pairs.filter((p) => p !== null)));
  const credential = fc.constantFrom<Generated['credential']>('key', 'key', 'key', 'key', 'token', 'token', 'none', 'garbage');
  return fc.record({ params, query, body, credential, headers });
}

/** Percent-encodes a path segment; lone surrogates (which encodeURIComponent refuses) go as UTF-8 of U+FFFD. */
function segment(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return Array.from(new TextEncoder().encode(value), (b) => `%${b.toString(16).padStart(2, '0')}`).join('');
  }
}

function pathOf(op: Operation, params: Record<string, unknown>): string {
  return op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    return segment(typeof value === 'string' ? value : JSON.stringify(value) ?? 'undefined');
  });
}

function queryOf(query: Record<string, unknown> | undefined): string {
  if (!query) return '';
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    for (const v of Array.isArray(value) ? value : [value]) search.append(name, typeof v === 'string' ? v : JSON.stringify(v) ?? '');
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

/** Sends one generated request and checks the answer; returns the status. */
async function send(op: Operation, g: Generated): Promise<void> {
  const headers = new Headers(g.headers);
  if (g.credential === 'key') headers.set('authorization', `Bearer ${server.apiKey}`);
  if (g.credential === 'token') headers.set('authorization', `Bearer ${token}`);
  if (g.credential === 'garbage') headers.set('authorization', 'Bearer mk_not-a-key');
  let body: string | undefined;
  if (g.body.kind === 'json') body = JSON.stringify(g.body.value) ?? 'null';
  if (g.body.kind === 'raw') body = g.body.text;
  if (body !== undefined && !headers.has('content-type')) headers.set('content-type', 'application/json');
  const url = `${server.url}${pathOf(op, g.params)}${queryOf(g.query)}`;
  const label = `${op.id} ${op.method} ${url.slice(server.url.length, server.url.length + 160)} body=${(body ?? '').slice(0, 200)} headers=${JSON.stringify(Object.fromEntries(headers))}`;
  const before = await snapshot();
  const abort = new AbortController();
  const response = await fetch(url, { method: op.method, headers, body: op.method === 'GET' ? undefined : body, signal: abort.signal });
  requests += 1;
  statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
  const type = response.headers.get('content-type') ?? '';
  if (type.startsWith('text/event-stream')) {
    abort.abort();
    return;
  }
  const text = await response.text();
  assert.ok(response.status < 500, `${response.status} for ${label}: ${text.slice(0, 300)}`);
  if (response.status < 400) return;
  rejected += 1;
  assert.equal(type, 'application/problem+json', `${response.status} without problem+json for ${label}`);
  const problem = JSON.parse(text) as { code?: string; status?: number; field?: unknown; requestId?: string };
  assert.ok(ERROR_CODES.includes(problem.code as (typeof ERROR_CODES)[number]), `unknown code ${problem.code} for ${label}`);
  assert.equal(problem.status, response.status, label);
  assert.equal(ERROR_STATUS[problem.code as keyof typeof ERROR_STATUS], response.status, label);
  assert.equal(problem.requestId, response.headers.get('x-request-id'), label);
  if ([400, 415, 422].includes(response.status)) assert.ok(typeof problem.field === 'string' && problem.field.length > 0, `no field in ${text} for ${label}`);
  assert.equal(await snapshot(), before, `a rejected request (${response.status} ${problem.code}) changed stored data: ${label}`);
}

before(async () => {
  // With the LTI tool and SCIM mounted, so the integration admin operations run for real.
  server = await startServer({ bodyLimit: 64 * 1024, integrations: { publicUrl: 'https://menteo.example', widgetsScriptUrl: 'https://cdn.example/menteo.js' } });
  // The demo data gives every table rows to aim at; should the seed trip over a rule, what it
  // created so far is enough to fuzz with.
  await seedDemo({ app: server.node.app, apiKey: server.apiKey, baseUrl: server.url }).catch((error: unknown) => console.log(`# fuzz: seed stopped early: ${String(error).slice(0, 200)}`));
  // A spare key the fuzzer may revoke; the key it calls with is kept out of the id pool.
  const spare = await server.call<{ key: { id: string } }>('POST', '/v1/api-keys', { body: { name: 'spare' } });
  const pool = new Map<string, string[]>();
  for (const name of await tablesWithColumn(server.db, 'id')) {
    if (name === 'api_keys') continue;
    const rows = (await rowsOf(server.db, name)).slice(0, 6);
    for (const { id } of rows) {
      const prefix = typeof id === 'string' ? /^([a-z]+)_/.exec(id)?.[1] : undefined;
      if (prefix && typeof id === 'string') pool.set(prefix, [...(pool.get(prefix) ?? []), id]);
    }
  }
  pool.set('key', [spare.body.key.id]);
  ids = pool;
  personIds = pool.get('per') ?? [];
  // A mentee's token, so token-only paths (audience, membership, room limits) are fuzzed too.
  const mentee = await server.db.selectFrom('room_members').select('person_id').where('role', '=', 'mentee').executeTakeFirstOrThrow();
  token = await tokenFor(server, mentee.person_id);
});

after(async () => {
  console.log(`# fuzz: ${requests} requests over ${OPERATIONS.length} operations, ${rejected} rejected; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`);
  await server.close();
});

describe('fuzzing every operation', () => {
  for (const op of OPERATIONS) {
    it(`${op.id}: no 5xx, problem+json errors, rejected requests change nothing`, async () => {
      try {
        await fc.assert(fc.asyncProperty(requestArbitrary(op), (g) => send(op, g)), { seed: SEED, numRuns: RUNS_PER_OPERATION, endOnFailure: true });
      } catch (error) {
        // The test runner prints no `cause`: put the failed assertion in the message.
        const cause = error instanceof Error && error.cause instanceof Error ? `\n${error.cause.message}` : '';
        throw new Error(`${error instanceof Error ? error.message : String(error)}${cause}`);
      }
    });
  }
});
