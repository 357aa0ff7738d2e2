// The credential → principal cache (auth/principal-cache.ts) never outlives a change of access:
// a revoked key, a deactivated person's token, changed roles or a changed profile show on the very
// next request, on the instance that made the change, on a second instance serving the same
// SQLite file, and when another process (the operator CLI) wrote the change straight to the file.
// Each credential is used a few times first, so that its principal is cached when the change lands.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CreatedApiKey, Me, Person } from '@menteo/api';
import type { Kysely } from 'kysely';
import { createOrganization, type Database } from '../src/index.js';
import { openSqlite, startNodeServer } from '../src/node.js';

type Instance = Awaited<ReturnType<typeof startNodeServer>>;

const dir = mkdtempSync(join(tmpdir(), 'menteo-principal-'));
const file = join(dir, 'menteo.db');
let a: Instance;
let b: Instance;
/** A third connection, as `menteo-server keys revoke` or a SCIM job in another process holds. */
let other: Kysely<Database>;
let orgKey: string;

async function call<T>(on: Instance, method: string, path: string, auth: string, body?: unknown): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = { authorization: `Bearer ${auth}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const r = await fetch(`${on.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await r.text();
  return { status: r.status, body: (text ? JSON.parse(text) : null) as T };
}

async function ok<T>(on: Instance, method: string, path: string, auth: string, body?: unknown): Promise<T> {
  const r = await call<T>(on, method, path, auth, body);
  assert.ok(r.status >= 200 && r.status < 300, `${method} ${path} answered ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
}

/** Uses the credential on both instances a few times, so both have it cached. */
async function warm(auth: string): Promise<void> {
  for (let i = 0; i < 3; i++) for (const on of [a, b]) await ok(on, 'GET', '/v1/me', auth);
}

async function refusedEverywhere(auth: string, why: string): Promise<void> {
  for (const [name, on] of [['the instance that made the change', a], ['the other instance', b]] as const) {
    const r = await call<{ code: string }>(on, 'GET', '/v1/me', auth);
    assert.equal(r.status, 401, `${why}: ${name} still answered ${r.status}`);
    assert.equal(r.body.code, 'unauthenticated');
  }
}

async function newKey(): Promise<CreatedApiKey> {
  return ok<CreatedApiKey>(a, 'POST', '/v1/api-keys', orgKey, { name: `key ${Math.random()}` });
}

async function newPerson(roles: string[] = []): Promise<{ person: Person; token: string }> {
  const person = await ok<Person>(a, 'POST', '/v1/people', orgKey, { displayName: 'Pat Person', roles });
  const session = await ok<{ clientSecret: string }>(a, 'POST', '/v1/embed-sessions', orgKey, { personId: person.id, scopes: ['threads:read'] });
  const r = await fetch(`${a.url}/v1/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ clientSecret: session.clientSecret }) });
  assert.equal(r.status, 200);
  return { person, token: ((await r.json()) as { accessToken: string }).accessToken };
}

before(async () => {
  a = await startNodeServer({ port: 0, hostname: '127.0.0.1', dbPath: file, rateLimit: false, ipRateLimit: false });
  b = await startNodeServer({ port: 0, hostname: '127.0.0.1', dbPath: file, rateLimit: false, ipRateLimit: false });
  other = openSqlite(file);
  orgKey = (await createOrganization(a.db, { name: 'Acme' })).apiKey.secret;
});
after(async () => {
  await Promise.allSettled([a?.close(), b?.close()]);
  await Promise.allSettled([a?.db.destroy(), b?.db.destroy(), other?.destroy()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('credential cache: changes of access show on the very next request', () => {
  it('an API key revoked through the API', async () => {
    const key = await newKey();
    await warm(key.secret);
    await ok(a, 'DELETE', `/v1/api-keys/${key.key.id}`, orgKey);
    await refusedEverywhere(key.secret, 'revoked key');
  });

  it('an API key revoked by another process (what `menteo-server keys revoke` writes)', async () => {
    const key = await newKey();
    await warm(key.secret);
    await other.updateTable('api_keys').set({ revoked_at: new Date().toISOString() }).where('id', '=', key.key.id).execute();
    await refusedEverywhere(key.secret, 'key revoked in another process');
  });

  it("a deactivated person's token, deactivated through the API", async () => {
    const { person, token } = await newPerson();
    await warm(token);
    await ok(a, 'PATCH', `/v1/people/${person.id}`, orgKey, { active: false });
    await refusedEverywhere(token, 'deactivated person');
  });

  it("a person's token revoked by another process (deactivation and token deletion, as SCIM does)", async () => {
    const { person, token } = await newPerson();
    await warm(token);
    await other.transaction().execute(async (trx) => {
      await trx.updateTable('people').set({ active: 0, updated_at: new Date().toISOString() }).where('id', '=', person.id).execute();
      await trx.deleteFrom('access_tokens').where('person_id', '=', person.id).execute();
    });
    await refusedEverywhere(token, 'token revoked in another process');
  });

  it('a token deleted by another process alone (its person still active)', async () => {
    const { person, token } = await newPerson();
    await warm(token);
    await other.deleteFrom('access_tokens').where('person_id', '=', person.id).execute();
    await refusedEverywhere(token, 'token deleted in another process');
  });

  it('roles changed (admin removed), on both instances', async () => {
    const { person, token } = await newPerson(['admin']);
    await warm(token);
    assert.deepEqual((await ok<Me>(b, 'GET', '/v1/me', token)).person?.roles, ['admin']);
    await ok(a, 'PATCH', `/v1/people/${person.id}`, orgKey, { roles: [] });
    for (const on of [a, b]) assert.deepEqual((await ok<Me>(on, 'GET', '/v1/me', token)).person?.roles, [], 'roles as changed');
  });

  it("a person's profile changed: their own answers show it at once", async () => {
    const { person, token } = await newPerson();
    await warm(token);
    await ok(a, 'PATCH', `/v1/people/${person.id}`, orgKey, { displayName: 'Pat Renamed' });
    for (const on of [a, b]) assert.equal((await ok<Me>(on, 'GET', '/v1/me', token)).person?.displayName, 'Pat Renamed');
  });

  it('a key that still works keeps working, on both instances, after other changes', async () => {
    const key = await newKey();
    await warm(key.secret);
    const { person } = await newPerson();
    await ok(a, 'PATCH', `/v1/people/${person.id}`, orgKey, { active: false });
    for (const on of [a, b]) await ok(on, 'GET', '/v1/me', key.secret);
  });
});
