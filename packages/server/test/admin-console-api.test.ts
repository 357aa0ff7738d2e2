// The admin console's API, against the REAL server over HTTP on SQLite: an organization admin
// signed in with a person's token that carries `org:admin` (as `menteo-server admin-link` and the
// demo's console mint it) manages people, API keys, allowed origins and the integrations of their
// own organization, through the same endpoints a secret key uses. Tokens without `org:admin`, and
// tokens carrying it for someone who is not an admin, get 403 `forbidden`; another organization's
// resources answer 404. What an admin may not do: mint a key with scopes beyond their own, turn on
// admin access to room content (the privacy switch stays with keys), remove the origin their
// console runs on, or deactivate or demote the last active admin (409 `conflict`).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ApiKey, CreatedApiKey, CreatedScimToken, LtiPlatform, Organization, Page, Person, ScimToken } from '@menteo/api';
import { SCOPES, type Scope } from '@menteo/api/scopes';
import { startServer, type TestServer } from './support/server.js';
import { buildWorld, expectStatus, person, tokenFor, type World } from './support/world.js';

let server: TestServer;
let w: World;
/** Ada's console token: every scope, as admin-link mints it. */
let admin: string;
/** A mentor whose host granted every scope: the scope alone does not make an admin. */
let scopedMentor: string;
/** An admin whose token does not carry org:admin (a widget's session). */
let adminWidget: string;

const CONSOLE_SCOPES: Scope[] = [...SCOPES];
const PLATFORM = {
  clientId: 'console', deploymentIds: ['d1'],
  authLoginUrl: 'https://lms.example.com/auth', authTokenUrl: 'https://lms.example.com/token', jwksUrl: 'https://lms.example.com/jwks',
};

before(async () => {
  server = await startServer({ integrations: { publicUrl: 'https://menteo.example.com', widgetsScriptUrl: 'https://cdn.example.com/menteo.js' } });
  w = await buildWorld(server);
  admin = await tokenFor(server, w.admin.id, { scopes: CONSOLE_SCOPES });
  scopedMentor = await tokenFor(server, w.mentor.id, { scopes: CONSOLE_SCOPES });
  adminWidget = await tokenFor(server, w.admin.id);
});
after(async () => server.close());

describe("an admin's console token (org:admin)", () => {
  it('changes a person\'s roles, deactivates and reactivates them', async () => {
    const p = await person(server, 'Pat Person');
    const roles = await server.call<Person>('PATCH', `/v1/people/${p.id}`, { auth: admin, body: { roles: ['member', 'mentor'] } });
    expectStatus(roles, 200);
    assert.deepEqual(roles.body.roles, ['member', 'mentor']);
    const off = await server.call<Person>('PATCH', `/v1/people/${p.id}`, { auth: admin, body: { active: false } });
    expectStatus(off, 200);
    assert.equal(off.body.active, false);
    const on = await server.call<Person>('PATCH', `/v1/people/${p.id}`, { auth: admin, body: { active: true } });
    expectStatus(on, 200);
    assert.equal(on.body.active, true);
  });

  it('creates a person', async () => {
    expectStatus(await server.call('POST', '/v1/people', { auth: admin, body: { displayName: 'New Hire' } }), 201);
  });

  it('creates an API key whose secret is shown once, lists it without the secret, and revokes it', async () => {
    const created = await server.call<CreatedApiKey>('POST', '/v1/api-keys', { auth: admin, body: { name: 'Intranet backend', scopes: ['people:read'] } });
    expectStatus(created, 201);
    assert.match(created.body.secret, /^mk_/);
    assert.deepEqual(created.body.key.scopes, ['people:read']);
    const list = await server.call<Page<ApiKey>>('GET', '/v1/api-keys?limit=100', { auth: admin });
    expectStatus(list, 200);
    assert.ok(list.body.items.some((k) => k.id === created.body.key.id));
    assert.ok(!list.text.includes(created.body.secret), 'the list never carries a secret');
    // The new key works, then stops at once.
    expectStatus(await server.call('GET', '/v1/people', { auth: created.body.secret }), 200);
    const revoked = await server.call<ApiKey>('DELETE', `/v1/api-keys/${created.body.key.id}`, { auth: admin });
    expectStatus(revoked, 200);
    assert.notEqual(revoked.body.revokedAt, null);
    expectStatus(await server.call('GET', '/v1/people', { auth: created.body.secret }), 401);
  });

  it('repeating the creation with the same Idempotency-Key does not show the secret again', async () => {
    const headers = { 'idempotency-key': 'console-key-1' };
    const first = await server.call<CreatedApiKey>('POST', '/v1/api-keys', { auth: admin, headers, body: { name: 'Once', scopes: ['people:read'] } });
    expectStatus(first, 201);
    const again = await server.call('POST', '/v1/api-keys', { auth: admin, headers, body: { name: 'Once', scopes: ['people:read'] } });
    expectStatus(again, 409, 'conflict');
    assert.ok(!again.text.includes(first.body.secret));
  });

  it('cannot mint a key with a scope its own token lacks (403, field scopes), nor by default', async () => {
    const narrow = await tokenFor(server, w.admin.id, { scopes: ['people:read', 'org:admin'] });
    const wider = await server.call('POST', '/v1/api-keys', { auth: narrow, body: { name: 'Wider', scopes: ['people:read', 'rooms:write'] } });
    expectStatus(wider, 403, 'forbidden');
    assert.equal((wider.body as { field?: string }).field, 'scopes');
    assert.match(wider.text, /rooms:write/);
    // Without scopes, the key gets the caller's own scopes, not every scope.
    const dflt = await server.call<CreatedApiKey>('POST', '/v1/api-keys', { auth: narrow, body: { name: 'Default' } });
    expectStatus(dflt, 201);
    assert.deepEqual([...dflt.body.key.scopes].sort(), ['org:admin', 'people:read']);
  });

  it('a key cannot mint a wider key either', async () => {
    const narrowKey = await server.call<CreatedApiKey>('POST', '/v1/api-keys', { body: { name: 'Narrow admin', scopes: ['org:admin'] } });
    expectStatus(narrowKey, 201);
    expectStatus(await server.call('POST', '/v1/api-keys', { auth: narrowKey.body.secret, body: { name: 'Full' , scopes: ['people:write'] } }), 403, 'forbidden');
  });

  it('adds and removes allowed origins, and a bad origin names the field', async () => {
    const org = await server.call<Organization>('GET', '/v1/organization', { auth: admin });
    const added = await server.call<Organization>('PATCH', '/v1/organization', { auth: admin, body: { allowedOrigins: [...org.body.allowedOrigins, 'https://lms.acme.test'] } });
    expectStatus(added, 200);
    assert.ok(added.body.allowedOrigins.includes('https://lms.acme.test'));
    const removed = await server.call<Organization>('PATCH', '/v1/organization', { auth: admin, body: { allowedOrigins: org.body.allowedOrigins } });
    expectStatus(removed, 200);
    assert.deepEqual(removed.body.allowedOrigins, org.body.allowedOrigins);
    const bad = await server.call('PATCH', '/v1/organization', { auth: admin, body: { allowedOrigins: ['https://ok.test/path'] } });
    expectStatus(bad, 400, 'invalid_request');
    assert.match(String((bad.body as { field?: string }).field), /^allowedOrigins/);
  });

  it('cannot remove the origin its own console runs on (409)', async () => {
    const origin = 'https://intranet.acme.test';
    const r = await server.call('PATCH', '/v1/organization', { auth: admin, headers: { origin }, body: { allowedOrigins: [] } });
    expectStatus(r, 409, 'conflict');
    assert.equal((r.body as { field?: string }).field, 'allowedOrigins');
  });

  it('cannot turn on admin access to room content: that stays with a secret key (403, field adminContentAccess)', async () => {
    const r = await server.call('PATCH', '/v1/organization', { auth: admin, body: { adminContentAccess: true } });
    expectStatus(r, 403, 'forbidden');
    assert.equal((r.body as { field?: string }).field, 'adminContentAccess');
  });

  it('manages SCIM tokens (secret once) and LTI platforms and install links', async () => {
    const created = await server.call<CreatedScimToken>('POST', '/v1/integrations/scim/tokens', { auth: admin, body: { label: 'Okta' } });
    expectStatus(created, 201);
    assert.match(created.body.secret, /^mscim_/);
    const list = await server.call<Page<ScimToken>>('GET', '/v1/integrations/scim/tokens', { auth: admin });
    expectStatus(list, 200);
    assert.ok(!list.text.includes(created.body.secret));
    expectStatus(await server.call('DELETE', `/v1/integrations/scim/tokens/${created.body.token.id}`, { auth: admin }), 200);
    const platform = await server.call<LtiPlatform>('POST', '/v1/integrations/lti/platforms', { auth: admin, body: { ...PLATFORM, issuer: 'https://moodle.acme.test' } });
    expectStatus(platform, 201);
    expectStatus(await server.call('GET', '/v1/integrations/lti/platforms', { auth: admin }), 200);
    expectStatus(await server.call('GET', '/v1/integrations/lti/courses', { auth: admin }), 200);
    expectStatus(await server.call('GET', '/v1/integrations/lti/config', { auth: admin }), 200);
    expectStatus(await server.call('POST', '/v1/integrations/lti/install-urls', { auth: admin, body: {} }), 201);
  });

  it("answers 404 for another organization's person, key and SCIM token", async () => {
    expectStatus(await server.call('PATCH', `/v1/people/${w.other.personId}`, { auth: admin, body: { title: 'x' } }), 404, 'not_found');
    const otherKey = await server.call<CreatedApiKey>('POST', '/v1/api-keys', { auth: w.other.apiKey, body: { name: 'Globex' } });
    expectStatus(await server.call('DELETE', `/v1/api-keys/${otherKey.body.key.id}`, { auth: admin }), 404, 'not_found');
    const otherScim = await server.call<CreatedScimToken>('POST', '/v1/integrations/scim/tokens', { auth: w.other.apiKey, body: {} });
    expectStatus(await server.call('DELETE', `/v1/integrations/scim/tokens/${otherScim.body.token.id}`, { auth: admin }), 404, 'not_found');
  });
});

describe('the last active admin', () => {
  it('cannot deactivate themselves or drop their admin role while no other admin is active (409, naming the field)', async () => {
    // Ada is the only admin of the world: another admin would make it allowed.
    const off = await server.call('PATCH', `/v1/people/${w.admin.id}`, { auth: admin, body: { active: false } });
    expectStatus(off, 409, 'conflict');
    assert.equal((off.body as { field?: string }).field, 'active');
    const demoted = await server.call('PATCH', `/v1/people/${w.admin.id}`, { auth: admin, body: { roles: ['member'] } });
    expectStatus(demoted, 409, 'conflict');
    assert.equal((demoted.body as { field?: string }).field, 'roles');
    // With a second active admin, stepping down is allowed.
    const second = await person(server, 'Second Admin', ['admin']);
    const bob = await tokenFor(server, second.id, { scopes: CONSOLE_SCOPES });
    const stepDown = await server.call<Person>('PATCH', `/v1/people/${second.id}`, { auth: bob, body: { roles: ['member'] } });
    expectStatus(stepDown, 200);
    assert.deepEqual(stepDown.body.roles, ['member']);
  });
});

describe('tokens that are not an admin console', () => {
  const endpoints: Array<[string, string, unknown?]> = [
    ['GET', '/v1/api-keys'],
    ['POST', '/v1/api-keys', { name: 'x' }],
    ['PATCH', '/v1/organization', { name: 'Renamed' }],
    ['POST', '/v1/people', { displayName: 'Sneaky' }],
    ['GET', '/v1/integrations/scim/tokens'],
    ['POST', '/v1/integrations/scim/tokens', {}],
    ['GET', '/v1/integrations/lti/platforms'],
    ['POST', '/v1/integrations/lti/install-urls', {}],
  ];

  it('an admin without org:admin in the token gets 403 forbidden', async () => {
    for (const [method, path, body] of endpoints) {
      expectStatus(await server.call(method, path, { auth: adminWidget, ...(body === undefined ? {} : { body }) }), 403, 'forbidden');
    }
  });

  it('a non-admin whose token carries org:admin (and people:write) gets 403 forbidden: the scope alone is not the role', async () => {
    for (const [method, path, body] of endpoints) {
      expectStatus(await server.call(method, path, { auth: scopedMentor, ...(body === undefined ? {} : { body }) }), 403, 'forbidden');
    }
    expectStatus(await server.call('PATCH', `/v1/people/${w.mentor.id}`, { auth: scopedMentor, body: { roles: ['admin'] } }), 403, 'forbidden');
  });
});
