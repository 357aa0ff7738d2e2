// Reporting lines from SCIM, against the real server over HTTP: the enterprise extension's
// `manager.value` becomes the matching profile's manager (and so the reporting-line constraint).
// Entra sends the manager's SCIM id; Okta sends its own manager id, which is the manager's
// externalId (or, without one, their userName) as Menteo received them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CreatedScimToken } from '@menteo/api';
import type { MatchingProfile } from '@menteo/api/matching';
import { freePort } from './support/lti.js';
import { startServer, type TestServer } from './support/server.js';
import { expectStatus } from './support/world.js';

const SCIM = 'application/scim+json';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
let server: TestServer;
let publicUrl: string;
let token: string;

async function scim(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const r = await fetch(`${publicUrl}/scim/v2${path}`, {
    method, headers: { authorization: `Bearer ${token}`, accept: SCIM, ...(body === undefined ? {} : { 'content-type': SCIM }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: r.status, body: (await r.json().catch(() => ({}))) as Record<string, unknown> };
}

async function user(userName: string, externalId: string | undefined, manager?: string): Promise<{ scimId: string; personId: string }> {
  const r = await scim('POST', '/Users', {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE], userName, displayName: userName, active: true,
    emails: [{ primary: true, value: userName }], ...(externalId ? { externalId } : {}),
    [ENTERPRISE]: { department: 'Platform', ...(manager ? { manager: { value: manager } } : {}) },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const people = await server.call<{ items: { id: string; email: string | null }[] }>('GET', '/v1/people?limit=100');
  const personId = people.body.items.find((p) => p.email === userName)?.id;
  assert.ok(personId);
  return { scimId: String(r.body['id']), personId };
}

async function managerOf(personId: string): Promise<string | null> {
  const r = await server.call<MatchingProfile>('GET', `/v1/people/${personId}/matching-profile`);
  expectStatus(r, 200);
  return r.body.managerId;
}

before(async () => {
  const port = await freePort();
  publicUrl = `http://127.0.0.1:${port}`;
  server = await startServer({ port, integrations: { publicUrl, widgetsScriptUrl: `${publicUrl}/widgets/menteo.js` } });
  const created = await server.call<CreatedScimToken>('POST', '/v1/integrations/scim/tokens', { body: { label: 'IdP' } });
  expectStatus(created, 201);
  token = created.body.secret;
});
after(async () => server.close());

describe('reporting lines from SCIM', () => {
  it("maps Entra's manager (the manager's SCIM id) onto the matching profile, with the department", async () => {
    const boss = await user('boss@acme.test', 'entra-boss');
    const report = await user('report@acme.test', 'entra-report', boss.scimId);
    assert.equal(await managerOf(report.personId), boss.personId);
    const profile = await server.call<MatchingProfile>('GET', `/v1/people/${report.personId}/matching-profile`);
    assert.equal(profile.body.department, 'Platform');
    assert.equal(profile.body.hrSource, 'scim');
  });

  it("maps Okta's manager (the manager's externalId, or userName without one)", async () => {
    const lead = await user('lead@acme.test', '00u1oktalead');
    const dev = await user('dev@acme.test', '00u1oktadev', '00u1oktalead');
    assert.equal(await managerOf(dev.personId), lead.personId);
    const chief = await user('chief@acme.test', undefined);
    const staff = await user('staff@acme.test', undefined, 'chief@acme.test');
    assert.equal(await managerOf(staff.personId), chief.personId);
  });
});
