/**
 * SCIM 2.0 over real HTTP: discovery, CRUD, PATCH (value paths, enterprise extension), filters,
 * paging, deactivation, and replays of the request shapes Okta and Microsoft Entra ID document.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import { createScimApp } from '../src/scim/app.js';
import { createScimToken, revokeScimToken } from '../src/scim/tokens.js';
import { createTestDb, createTestHost, type TestDatabase } from './support/db.js';
import { listen } from './support/servers.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

let db: Kysely<TestDatabase>;
let base: string;
let token: string;
let close: () => Promise<void>;

before(async () => {
  db = await createTestDb();
  const server = await listen();
  base = `${server.url}/scim/v2`;
  const root = new Hono();
  root.route('/scim/v2', createScimApp({ db, directory: createTestHost(db), baseUrl: base }));
  server.setHandler((r) => root.fetch(r));
  token = (await createScimToken(db, 'org_a', 'Okta')).token;
  close = async () => {
    await server.close();
    await db.destroy();
  };
});
after(async () => close());

async function scim(method: string, path: string, body?: unknown, auth = token): Promise<{ status: number; json: Record<string, unknown>; type: string | null }> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${auth}`, ...(body !== undefined ? { 'content-type': 'application/scim+json' } : {}) },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {}, type: response.headers.get('content-type') };
}

async function person(externalId: string) {
  return db.selectFrom('test_people').selectAll().where('external_id', '=', externalId).executeTakeFirst();
}

describe('SCIM discovery and auth', () => {
  it('answers discovery endpoints as application/scim+json', async () => {
    const spc = await scim('GET', '/ServiceProviderConfig');
    assert.equal(spc.status, 200);
    assert.match(spc.type ?? '', /application\/scim\+json/);
    assert.equal((spc.json['patch'] as { supported: boolean }).supported, true);
    const types = await scim('GET', '/ResourceTypes');
    assert.deepEqual((types.json['Resources'] as { id: string }[]).map((t) => t.id), ['User', 'Group']);
    const schemas = await scim('GET', '/Schemas');
    assert.equal(schemas.json['totalResults'], 3);
    assert.equal((await scim('GET', `/Schemas/${ENTERPRISE}`)).status, 200);
    assert.equal((await scim('GET', '/Schemas/urn:nope')).status, 404);
  });

  it('requires a valid, unrevoked bearer token of the organization', async () => {
    const none = await scim('GET', '/Users', undefined, 'mscim_wrong');
    assert.equal(none.status, 401);
    assert.deepEqual(none.json['schemas'], ['urn:ietf:params:scim:api:messages:2.0:Error']);
    assert.equal(none.json['status'], '401');
    const extra = await createScimToken(db, 'org_a');
    assert.equal((await scim('GET', '/Users', undefined, extra.token)).status, 200);
    assert.equal(await revokeScimToken(db, 'org_a', extra.id), true);
    assert.equal((await scim('GET', '/Users', undefined, extra.token)).status, 401);
  });
});

describe('SCIM Users', () => {
  it('creates, reads, filters, replaces and rejects duplicates with scimType uniqueness', async () => {
    const created = await scim('POST', '/Users', {
      schemas: [USER, ENTERPRISE],
      userName: 'Ada@Example.com',
      externalId: 'hr-ada',
      name: { givenName: 'Ada', familyName: 'Lovelace' },
      emails: [{ value: 'ada@example.com', type: 'work', primary: true }],
      title: 'Engineer',
      [ENTERPRISE]: { department: 'R&D', employeeNumber: '42' },
    });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    const id = String(created.json['id']);
    const p = await person('hr-ada');
    assert.equal(p?.display_name, 'Ada Lovelace');
    assert.equal(p?.department, 'R&D');
    assert.equal(p?.employee_number, '42');
    assert.equal(p?.email, 'ada@example.com');
    const dup = await scim('POST', '/Users', { schemas: [USER], userName: 'ada@example.com' });
    assert.equal(dup.status, 409);
    assert.equal(dup.json['scimType'], 'uniqueness');
    const byName = await scim('GET', `/Users?filter=${encodeURIComponent('userName eq "ADA@example.com"')}`);
    assert.equal(byName.json['totalResults'], 1);
    const byExternal = await scim('GET', `/Users?filter=${encodeURIComponent('externalId eq "hr-ada"')}`);
    assert.equal((byExternal.json['Resources'] as { id: string }[])[0]?.id, id);
    const none = await scim('GET', `/Users?filter=${encodeURIComponent('userName eq "nobody"')}`);
    assert.deepEqual([none.status, none.json['totalResults'], none.json['Resources']], [200, 0, []]);
    const put = await scim('PUT', `/Users/${id}`, { schemas: [USER], userName: 'ada@example.com', externalId: 'hr-ada', displayName: 'Countess Ada', active: true });
    assert.equal(put.status, 200);
    assert.equal((await person('hr-ada'))?.display_name, 'Countess Ada');
    assert.equal((await scim('GET', '/Users/nope')).status, 404);
  });

  it('pages with startIndex and count', async () => {
    for (let i = 0; i < 5; i += 1) await scim('POST', '/Users', { schemas: [USER], userName: `page${i}@example.com` });
    const first = await scim('GET', '/Users?startIndex=1&count=2');
    assert.equal((first.json['Resources'] as unknown[]).length, 2);
    assert.equal(first.json['startIndex'], 1);
    const total = Number(first.json['totalResults']);
    assert.ok(total >= 6);
    const last = await scim('GET', `/Users?startIndex=${total}&count=2`);
    assert.equal((last.json['Resources'] as unknown[]).length, 1);
    const weird = await scim('GET', '/Users?startIndex=-4&count=abc');
    assert.equal(weird.status, 200);
  });

  it('applies PATCH with value paths and the enterprise extension, including manager', async () => {
    const manager = await scim('POST', '/Users', { schemas: [USER], userName: 'boss@example.com', externalId: 'hr-boss' });
    const user = await scim('POST', '/Users', { schemas: [USER], userName: 'val@example.com', externalId: 'hr-val', emails: [{ type: 'work', value: 'val@old.example' }] });
    const id = String(user.json['id']);
    const patched = await scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH],
      Operations: [
        { op: 'replace', path: 'emails[type eq "work"].value', value: 'val@new.example' },
        { op: 'add', path: `${ENTERPRISE}:department`, value: 'Sales' },
        { op: 'add', path: `${ENTERPRISE}:manager`, value: { value: manager.json['id'] } },
        { op: 'replace', path: 'name.givenName', value: 'Val' },
      ],
    });
    assert.equal(patched.status, 200, JSON.stringify(patched.json));
    assert.deepEqual(patched.json['emails'], [{ type: 'work', value: 'val@new.example' }]);
    const p = await person('hr-val');
    const boss = await person('hr-boss');
    assert.equal(p?.email, 'val@new.example');
    assert.equal(p?.department, 'Sales');
    assert.equal(p?.manager_id, boss?.id);
    const removed = await scim('PATCH', `/Users/${id}`, { schemas: [PATCH], Operations: [{ op: 'remove', path: 'emails[type eq "work"]' }] });
    assert.equal(removed.status, 200);
    const bad = await scim('PATCH', `/Users/${id}`, { schemas: [PATCH], Operations: [{ op: 'jump', path: 'x' }] });
    assert.equal(bad.status, 400);
    const noSchema = await scim('PATCH', `/Users/${id}`, { Operations: [{ op: 'add', path: 'title', value: 'x' }] });
    assert.equal(noSchema.status, 400);
  });

  it('deactivates at once and keeps the person; DELETE deactivates too', async () => {
    const user = await scim('POST', '/Users', { schemas: [USER], userName: 'leaver@example.com', externalId: 'hr-leaver' });
    const id = String(user.json['id']);
    const off = await scim('PATCH', `/Users/${id}`, { schemas: [PATCH], Operations: [{ op: 'replace', path: 'active', value: false }] });
    assert.equal(off.json['active'], false);
    assert.equal((await person('hr-leaver'))?.active, 0);
    const on = await scim('PATCH', `/Users/${id}`, { schemas: [PATCH], Operations: [{ op: 'replace', path: 'active', value: true }] });
    assert.equal(on.json['active'], true);
    assert.equal((await scim('DELETE', `/Users/${id}`)).status, 204);
    assert.equal((await scim('GET', `/Users/${id}`)).status, 404);
    const kept = await person('hr-leaver');
    assert.ok(kept, 'the person and their history stay');
    assert.equal(kept.active, 0);
  });

  it('answers bad input with SCIM errors, never a 500', async () => {
    assert.equal((await scim('POST', '/Users', '{not json')).status, 400);
    assert.equal((await scim('POST', '/Users', { schemas: [USER] })).json['scimType'], 'invalidValue');
    assert.equal((await scim('POST', '/Users', [1, 2])).status, 400);
    assert.equal((await scim('POST', '/Users', { userName: 'x@example.com', active: 'maybe' })).status, 400);
    const filter = await scim('GET', `/Users?filter=${encodeURIComponent('userName eq')}`);
    assert.equal(filter.status, 400);
    assert.equal(filter.json['scimType'], 'invalidFilter');
    const wrongType = await fetch(`${base}/Users`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' }, body: 'x' });
    assert.equal(wrongType.status, 415);
  });
});

describe('Okta request shapes', () => {
  it('replays Okta user provisioning: lookup, create, deactivate by replace', async () => {
    // Okta first searches by userName, then creates, then PATCHes active=false with no path... or with op replace and value object.
    const lookup = await scim('GET', `/Users?filter=${encodeURIComponent('userName eq "okta.user@example.com"')}&startIndex=1&count=100`);
    assert.equal(lookup.json['totalResults'], 0);
    const created = await scim('POST', '/Users', {
      schemas: [USER],
      userName: 'okta.user@example.com',
      name: { givenName: 'Okta', familyName: 'User' },
      emails: [{ primary: true, value: 'okta.user@example.com', type: 'work' }],
      displayName: 'Okta User',
      locale: 'en-US',
      groups: [],
      password: 'ignored-Pa55',
      active: true,
    });
    assert.equal(created.status, 201);
    assert.equal(created.json['password'], undefined, 'passwords are never stored');
    const id = String(created.json['id']);
    assert.equal((await person('okta.user@example.com'))?.display_name, 'Okta User', 'Okta sends no externalId: userName is the key');
    const deactivate = await scim('PATCH', `/Users/${id}`, { schemas: [PATCH], Operations: [{ op: 'replace', value: { active: false } }] });
    assert.equal(deactivate.status, 200);
    assert.equal((await person('okta.user@example.com'))?.active, 0);
    const profile = await scim('PATCH', `/Users/${id}`, { schemas: [PATCH], Operations: [{ op: 'replace', value: { id, active: true, name: { givenName: 'Okie', familyName: 'User' } } }] });
    assert.equal(profile.status, 200);
    assert.equal((await person('okta.user@example.com'))?.active, 1);
  });

  it('replays Okta group push: create with members, PATCH add/remove members, rename', async () => {
    const a = await scim('POST', '/Users', { schemas: [USER], userName: 'ga@example.com' });
    const b = await scim('POST', '/Users', { schemas: [USER], userName: 'gb@example.com' });
    const group = await scim('POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Mentors', members: [{ value: a.json['id'], display: 'ga' }] });
    assert.equal(group.status, 201);
    const gid = String(group.json['id']);
    const patched = await scim('PATCH', `/Groups/${gid}`, {
      schemas: [PATCH],
      Operations: [
        { op: 'add', path: 'members', value: [{ value: b.json['id'], display: 'gb' }] },
        { op: 'remove', path: `members[value eq "${a.json['id']}"]` },
        { op: 'replace', value: { id: gid, displayName: 'Mentors 2025' } },
      ],
    });
    assert.equal(patched.status, 200, JSON.stringify(patched.json));
    assert.deepEqual((patched.json['members'] as { value: string }[]).map((m) => m.value), [b.json['id']]);
    assert.equal(patched.json['displayName'], 'Mentors 2025');
    const mirrored = await db.selectFrom('test_groups').selectAll().where('id', '=', gid).executeTakeFirstOrThrow();
    const personB = await person('gb@example.com');
    assert.deepEqual(JSON.parse(mirrored.members), [personB?.id]);
    const unknownMember = await scim('PATCH', `/Groups/${gid}`, { schemas: [PATCH], Operations: [{ op: 'add', path: 'members', value: [{ value: 'nope' }] }] });
    assert.equal(unknownMember.status, 400);
    const list = await scim('GET', `/Groups?filter=${encodeURIComponent('displayName eq "Mentors 2025"')}&excludedAttributes=members`);
    assert.equal(list.json['totalResults'], 1);
    assert.equal((list.json['Resources'] as Record<string, unknown>[])[0]?.['members'], undefined);
    assert.equal((await scim('DELETE', `/Groups/${gid}`)).status, 204);
    assert.equal(await db.selectFrom('test_groups').select('id').where('id', '=', gid).executeTakeFirst(), undefined);
  });
});

describe('Microsoft Entra ID request shapes', () => {
  it('replays Entra provisioning: capitalised ops, "False" strings, Add for active, manager as a string', async () => {
    const probe = await scim('GET', `/Users?filter=${encodeURIComponent('userName eq "non-existent user"')}`);
    assert.equal(probe.json['totalResults'], 0);
    const manager = await scim('POST', '/Users', { schemas: [USER, ENTERPRISE], userName: 'mgr@contoso.com', externalId: 'entra-mgr', active: true });
    const created = await scim('POST', '/Users', {
      schemas: [USER, ENTERPRISE],
      externalId: 'entra-1',
      userName: 'Test_User_ab6490ee@contoso.com',
      active: 'True',
      emails: [{ primary: 'true', type: 'work', value: 'Test_User_fd0ea19b@contoso.com' }],
      meta: { resourceType: 'User' },
      name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
      roles: [],
    });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    assert.equal(created.json['active'], true);
    const id = String(created.json['id']);
    const patch = await scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH],
      Operations: [
        { op: 'Replace', path: 'displayName', value: 'Entra Person' },
        { op: 'Add', path: 'emails[type eq "work"].value', value: 'entra.person@contoso.com' },
        { op: 'Add', path: `${ENTERPRISE}:manager`, value: manager.json['id'] },
        { op: 'Replace', path: `${ENTERPRISE}:employeeNumber`, value: '7' },
        { op: 'Replace', path: 'active', value: 'False' },
      ],
    });
    assert.equal(patch.status, 200, JSON.stringify(patch.json));
    assert.equal(patch.json['active'], false);
    const p = await person('entra-1');
    assert.equal(p?.display_name, 'Entra Person');
    assert.equal(p?.email, 'entra.person@contoso.com');
    assert.equal(p?.employee_number, '7');
    assert.equal(p?.manager_id, (await person('entra-mgr'))?.id);
    assert.equal(p?.active, 0);
    const back = await scim('PATCH', `/Users/${id}`, { schemas: [PATCH], Operations: [{ op: 'Add', path: 'active', value: 'True' }] });
    assert.equal(back.json['active'], true);
    const byExternal = await scim('GET', `/Users?filter=${encodeURIComponent('externalId eq "entra-1"')}`);
    assert.equal(byExternal.json['totalResults'], 1);
    const byEmail = await scim('GET', `/Users?filter=${encodeURIComponent('emails[type eq "work" and value eq "entra.person@contoso.com"]')}`);
    assert.equal(byEmail.json['totalResults'], 1);
  });

  it('replays Entra group membership: Add members, Remove with value list, displayName filter', async () => {
    const u = await scim('POST', '/Users', { schemas: [USER], userName: 'gm@contoso.com', externalId: 'entra-gm' });
    const g = await scim('POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], externalId: 'entra-g', displayName: 'Group1DisplayName', members: [] });
    const gid = String(g.json['id']);
    const add = await scim('PATCH', `/Groups/${gid}`, { schemas: [PATCH], Operations: [{ op: 'Add', path: 'members', value: [{ $ref: null, value: u.json['id'] }] }] });
    assert.equal(add.status, 200, JSON.stringify(add.json));
    assert.equal((add.json['members'] as unknown[]).length, 1);
    const remove = await scim('PATCH', `/Groups/${gid}`, { schemas: [PATCH], Operations: [{ op: 'Remove', path: 'members', value: [{ $ref: null, value: u.json['id'] }] }] });
    assert.deepEqual(remove.json['members'], []);
    const again = await scim('PATCH', `/Groups/${gid}`, { schemas: [PATCH], Operations: [{ op: 'Remove', path: 'members', value: [{ value: u.json['id'] }] }] });
    assert.equal(again.status, 200, 'removing an absent member is a no-op');
    const found = await scim('GET', `/Groups?excludedAttributes=members&filter=${encodeURIComponent('displayName eq "Group1DisplayName"')}`);
    assert.equal(found.json['totalResults'], 1);
  });
});
