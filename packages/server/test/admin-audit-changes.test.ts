// The audit log of admin changes, against the REAL server over HTTP on SQLite: every change an
// admin console token or an API key makes to people (created, roles, deactivated, reactivated),
// API keys, allowed origins, embed keys, SCIM tokens and LTI platforms leaves exactly one entry
// with its actor, target and values, and no secret; a refused change leaves none; only admins
// read the log.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AuditEntry, CreatedApiKey, CreatedEmbedKey, CreatedScimToken, LtiPlatform, Page, Person } from '@menteo/api';
import type { PlatformEmulator } from '@menteo/lti/emulator';
import type { TestServer } from './support/server.js';
import { CLIENT_ID, DEPLOYMENT_ID, startLtiWorld, type LtiWorld } from './support/lti.js';
import { expectStatus, person, tokenFor } from './support/world.js';

let world: LtiWorld;
let server: TestServer;
let platform: PlatformEmulator;
let admin: Person;
let adminToken: string;
/** The organization key's id (the test server's key is its bootstrap key). */
let orgKeyId: string;
/** Every secret handed out during the test: none may appear in any audit entry. */
const secrets: string[] = [];

async function auditLog(query = ''): Promise<AuditEntry[]> {
  const r = await server.call<Page<AuditEntry>>('GET', `/v1/audit-log?limit=100${query}`, { auth: adminToken });
  expectStatus(r, 200);
  return r.body.items;
}

/** Runs `change` and returns the entries it added (the log is newest first). */
async function added(change: () => Promise<void>): Promise<AuditEntry[]> {
  const before = new Set((await auditLog()).map((e) => e.id));
  await change();
  return (await auditLog()).filter((e) => !before.has(e.id));
}

/** Asserts exactly one entry of `action` on `target`, by the given actor, and returns it. */
function one(entries: AuditEntry[], action: AuditEntry['action'], target: string, actor: { personId: string } | { keyId: string }): AuditEntry {
  assert.equal(entries.length, 1, `one entry for ${action}: ${JSON.stringify(entries)}`);
  const e = entries[0]!;
  assert.equal(e.action, action);
  assert.equal(e.resource, target);
  if ('personId' in actor) assert.deepEqual([e.actor.kind, e.actor.personId], ['person', actor.personId]);
  else assert.deepEqual([e.actor.kind, e.actor.keyId], ['key', actor.keyId]);
  assert.equal(e.roomId, null);
  assert.equal(e.change, null);
  return e;
}

before(async () => {
  world = await startLtiWorld();
  ({ server, platform } = world);
  admin = await person(server, 'Ada Admin', ['admin']);
  adminToken = await tokenFor(server, admin.id, { scopes: ['org:admin', 'people:read', 'people:write'] });
  const keys = await server.call<Page<{ id: string; prefix: string }>>('GET', '/v1/api-keys');
  expectStatus(keys, 200);
  orgKeyId = keys.body.items.find((k) => server.apiKey.startsWith(k.prefix))!.id;
  secrets.push(server.apiKey);
});

after(async () => world.close());

describe('admin changes of people', () => {
  let sam: Person;

  it('records a person created by an admin console token', async () => {
    const entries = await added(async () => {
      const r = await server.call<Person>('POST', '/v1/people', { auth: adminToken, body: { displayName: 'Sam Member' } });
      expectStatus(r, 201);
      sam = r.body;
    });
    const e = one(entries, 'person.created', sam.id, { personId: admin.id });
    assert.deepEqual(e.values, { before: null, after: { roles: ['member'] } });
  });

  it('records who gave Sam the admin role, with the roles before and after', async () => {
    const entries = await added(async () => {
      expectStatus(await server.call('PATCH', `/v1/people/${sam.id}`, { auth: adminToken, body: { roles: ['member', 'admin'] } }), 200);
    });
    const e = one(entries, 'person.roles_changed', sam.id, { personId: admin.id });
    assert.deepEqual(e.values, { before: { roles: ['member'] }, after: { roles: ['member', 'admin'] } });
    assert.equal(e.endpoint, 'PATCH /v1/people/{personId}');
  });

  it('records a deactivation and a reactivation by an API key', async () => {
    const off = await added(async () => {
      expectStatus(await server.call('PATCH', `/v1/people/${sam.id}`, { body: { active: false } }), 200);
    });
    assert.deepEqual(one(off, 'person.deactivated', sam.id, { keyId: orgKeyId }).values, { before: { active: true }, after: { active: false } });
    const on = await added(async () => {
      expectStatus(await server.call('PATCH', `/v1/people/${sam.id}`, { body: { active: true } }), 200);
    });
    one(on, 'person.reactivated', sam.id, { keyId: orgKeyId });
  });

  it('records nothing for an update that changes no role or status, nor for a refused change', async () => {
    assert.deepEqual(await added(async () => {
      expectStatus(await server.call('PATCH', `/v1/people/${sam.id}`, { body: { title: 'Engineer' } }), 200);
    }), []);
    // A change refused inside its transaction (another person has that external id) leaves no entry either.
    expectStatus(await server.call('POST', '/v1/people', { body: { displayName: 'Ext Holder', externalId: 'ext-1' } }), 201);
    assert.deepEqual(await added(async () => {
      expectStatus(await server.call('PATCH', `/v1/people/${sam.id}`, { body: { roles: ['member'], externalId: 'ext-1' } }), 409, 'conflict');
    }), []);
    const mentee = await person(server, 'Nia Nonadmin');
    const token = await tokenFor(server, mentee.id, { scopes: ['org:admin', 'people:write'] });
    assert.deepEqual(await added(async () => {
      expectStatus(await server.call('POST', '/v1/people', { auth: token, body: { displayName: 'Nope' } }), 403, 'forbidden');
      expectStatus(await server.call('PATCH', `/v1/people/${sam.id}`, { auth: token, body: { roles: ['member'] } }), 403, 'forbidden');
    }), []);
  });
});

describe('admin changes of API keys and origins', () => {
  it('records a key created (its scopes, never its secret) and revoked', async () => {
    let created!: CreatedApiKey;
    const entries = await added(async () => {
      const r = await server.call<CreatedApiKey>('POST', '/v1/api-keys', { body: { name: 'hr sync', scopes: ['people:read'] } });
      expectStatus(r, 201);
      created = r.body;
      secrets.push(r.body.secret);
    });
    const e = one(entries, 'api_key.created', created.key.id, { keyId: orgKeyId });
    assert.deepEqual(e.values, { before: null, after: { name: 'hr sync', scopes: ['people:read'] } });
    const revoked = await added(async () => {
      expectStatus(await server.call('DELETE', `/v1/api-keys/${created.key.id}`, { auth: adminToken }), 200);
    });
    one(revoked, 'api_key.revoked', created.key.id, { personId: admin.id });
    // Revoking again changes nothing and records nothing.
    assert.deepEqual(await added(async () => {
      expectStatus(await server.call('DELETE', `/v1/api-keys/${created.key.id}`, { auth: adminToken }), 200);
    }), []);
  });

  it('records nothing for a refused key creation', async () => {
    const token = await tokenFor(server, admin.id, { scopes: ['org:admin'] });
    assert.deepEqual(await added(async () => {
      expectStatus(await server.call('POST', '/v1/api-keys', { auth: token, body: { name: 'wide', scopes: ['rooms:write'] } }), 403, 'forbidden');
    }), []);
  });

  it('records each origin added and removed', async () => {
    const entries = await added(async () => {
      expectStatus(await server.call('PATCH', '/v1/organization', { body: { allowedOrigins: ['https://intranet.acme.test', 'https://hr.acme.test'] } }), 200);
    });
    assert.deepEqual(one(entries, 'origin.added', 'https://hr.acme.test', { keyId: orgKeyId }).values, { before: null, after: { origin: 'https://hr.acme.test' } });
    const removed = await added(async () => {
      expectStatus(await server.call('PATCH', '/v1/organization', { body: { allowedOrigins: ['https://hr.acme.test'] } }), 200);
    });
    one(removed, 'origin.removed', 'https://intranet.acme.test', { keyId: orgKeyId });
  });
});

describe('admin changes of integrations', () => {
  it('records an embed key created and revoked, without its secret', async () => {
    let created!: CreatedEmbedKey;
    const entries = await added(async () => {
      const r = await server.call<CreatedEmbedKey>('POST', '/v1/embed/keys', { body: { label: 'intranet' } });
      expectStatus(r, 201);
      created = r.body;
      secrets.push(r.body.secret);
    });
    assert.deepEqual(one(entries, 'embed_key.created', created.key.id, { keyId: orgKeyId }).values, { before: null, after: { label: 'intranet' } });
    one(await added(async () => {
      expectStatus(await server.call('DELETE', `/v1/embed/keys/${created.key.id}`), 200);
    }), 'embed_key.revoked', created.key.id, { keyId: orgKeyId });
  });

  it('records a SCIM token created and revoked, without its secret', async () => {
    let created!: CreatedScimToken;
    const entries = await added(async () => {
      const r = await server.call<CreatedScimToken>('POST', '/v1/integrations/scim/tokens', { auth: adminToken, body: { label: 'okta' } });
      expectStatus(r, 201);
      created = r.body;
      secrets.push(r.body.secret);
    });
    assert.deepEqual(one(entries, 'scim_token.created', created.token.id, { personId: admin.id }).values, { before: null, after: { label: 'okta' } });
    one(await added(async () => {
      expectStatus(await server.call('DELETE', `/v1/integrations/scim/tokens/${created.token.id}`, { auth: adminToken }), 200);
    }), 'scim_token.revoked', created.token.id, { personId: admin.id });
  });

  it('records an LTI platform registered, and nothing for a refused duplicate', async () => {
    const body = {
      issuer: platform.issuer, clientId: CLIENT_ID, deploymentIds: [DEPLOYMENT_ID],
      authLoginUrl: platform.urls.auth, authTokenUrl: platform.urls.token, jwksUrl: platform.urls.jwks, platformName: 'Emulated LMS',
    };
    let created!: LtiPlatform;
    const entries = await added(async () => {
      const r = await server.call<LtiPlatform>('POST', '/v1/integrations/lti/platforms', { body });
      expectStatus(r, 201);
      created = r.body;
    });
    const e = one(entries, 'lti_platform.registered', created.id, { keyId: orgKeyId });
    assert.deepEqual(e.values?.after, { issuer: platform.issuer, clientId: CLIENT_ID, deploymentIds: [DEPLOYMENT_ID] });
    assert.deepEqual(await added(async () => {
      expectStatus(await server.call('POST', '/v1/integrations/lti/platforms', { body }), 409, 'conflict');
    }), []);
  });
});

describe('reading the log of changes', () => {
  it('filters by action kind and by action', async () => {
    const people = await auditLog('&kind=person');
    assert.ok(people.length >= 4);
    assert.ok(people.every((e) => e.action.startsWith('person.')));
    const keys = await auditLog('&kind=api_key');
    assert.deepEqual(new Set(keys.map((e) => e.action)), new Set(['api_key.created', 'api_key.revoked']));
    const roles = await auditLog('&action=person.roles_changed');
    assert.ok(roles.length >= 1 && roles.every((e) => e.action === 'person.roles_changed'));
    expectStatus(await server.call('GET', '/v1/audit-log?kind=nothing', { auth: adminToken }), 400);
  });

  it('holds no secret in any entry', async () => {
    const all = JSON.stringify(await auditLog());
    assert.ok(secrets.length >= 4);
    for (const secret of secrets) assert.ok(!all.includes(secret), 'a secret is in the audit log');
  });

  it('is refused to a person who is not an organization admin (403)', async () => {
    const member = await person(server, 'Max Member');
    const token = await tokenFor(server, member.id, { scopes: ['org:admin'] });
    expectStatus(await server.call('GET', '/v1/audit-log', { auth: token }), 403, 'forbidden');
  });
});
