/**
 * LTI Advantage over real HTTP against the emulated platform: deep linking, roster paging (NRPS),
 * scores with client credentials (AGS), dynamic registration, tool key rotation.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { CLIENT_ID, DEPLOYMENT_ID, ORG, login, postLaunch, readForm, setup, type Setup } from './support/servers.js';

const INSTRUCTOR = { sub: 'u-teacher', name: 'Ian Instructor', roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor'] };
const LEARNER = { sub: 'u-learner', name: 'Lea Learner', roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'] };
const PLACEABLES = [
  { kind: 'room' as const, id: 'room_1', title: 'Onboarding circle' },
  { kind: 'roadmap' as const, id: 'rdm_1', title: 'First 90 days' },
];

let s: Setup;
before(async () => {
  s = await setup({ placeables: PLACEABLES });
});
after(async () => {
  await s.close();
});

async function launch(user: typeof LEARNER, extra: Parameters<Setup['platform']['startLaunch']>[0] extends infer L ? Partial<L & object> : never = {}): Promise<Response> {
  const flow = await login(s, s.platform.startLaunch({ user, ...extra }));
  return postLaunch(s, { id_token: flow.idToken, state: flow.state }, flow.browser);
}

describe('Deep Linking 2.0', () => {
  it('lets an instructor pick items and returns a signed response to the platform', async () => {
    const picker = await launch(INSTRUCTOR, { messageType: 'LtiDeepLinkingRequest', services: true });
    const html = await picker.text();
    assert.equal(picker.status, 200, html);
    assert.match(html, /Onboarding circle/);
    const { action, fields } = readForm(html);
    const body = new URLSearchParams({ pick: fields['pick'] ?? '', action: 'add' });
    body.append('item', 'room:room_1');
    body.append('item', 'roadmap:rdm_1');
    const respond = await fetch(action, { method: 'POST', body });
    const respondHtml = await respond.text();
    assert.equal(respond.status, 200, respondHtml);
    const back = readForm(respondHtml);
    assert.equal(back.action, `${s.platformUrl}/deep-link-return`);
    assert.match(respond.headers.get('content-security-policy') ?? '', new RegExp(`form-action 'self' ${s.platformUrl.replace(/\./g, '\\.')}`));
    const returned = await fetch(back.action, { method: 'POST', body: new URLSearchParams(back.fields) });
    assert.equal(returned.status, 200, await returned.text());
    const payload = s.platform.deepLinkResponses.at(-1);
    assert.ok(payload);
    assert.equal(payload.iss, CLIENT_ID);
    assert.equal(payload.aud, s.platform.issuer);
    assert.equal(payload['https://purl.imsglobal.org/spec/lti/claim/message_type'], 'LtiDeepLinkingResponse');
    assert.equal(payload['https://purl.imsglobal.org/spec/lti/claim/deployment_id'], DEPLOYMENT_ID);
    assert.equal(payload['https://purl.imsglobal.org/spec/lti-dl/claim/data'], 'opaque-platform-data');
    const items = payload['https://purl.imsglobal.org/spec/lti-dl/claim/content_items'] as { custom: Record<string, string>; lineItem?: unknown }[];
    assert.deepEqual(items.map((i) => i.custom), [{ menteo_kind: 'room', menteo_id: 'room_1' }, { menteo_kind: 'roadmap', menteo_id: 'rdm_1' }]);
    assert.ok(items[1]?.lineItem, 'roadmaps carry a gradebook line item');
  });

  it('refuses items the person may not place, and learners altogether', async () => {
    const html = await (await launch(INSTRUCTOR, { messageType: 'LtiDeepLinkingRequest' })).text();
    const { action, fields } = readForm(html);
    const forged = await fetch(action, { method: 'POST', body: new URLSearchParams({ pick: fields['pick'] ?? '', item: 'room:someone-elses' }) });
    assert.equal(forged.status, 403);
    const tampered = await fetch(action, { method: 'POST', body: new URLSearchParams({ pick: `${fields['pick']}x`, item: 'room:room_1' }) });
    assert.equal(tampered.status, 400);
    const learner = await launch(LEARNER, { messageType: 'LtiDeepLinkingRequest' });
    assert.equal(learner.status, 403);
    assert.match(await learner.text(), /Only instructors/);
  });

  it('launches the deep-linked roadmap', async () => {
    const response = await launch(LEARNER, { custom: { menteo_kind: 'roadmap', menteo_id: 'rdm_1' } });
    assert.match(await response.text(), /<menteo-roadmap roadmap-id="rdm_1">/);
  });
});

describe('Names and Role Provisioning', () => {
  it('pages through the roster with Link rel=next and maps roles to room membership', async () => {
    s.platform.rosters.set('course-nrps', [
      { sub: 'n1', name: 'Nia', roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor'] },
      { sub: 'n2', name: 'Noa', roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'] },
      { sub: 'n3', name: 'Ned', roles: ['Learner'] },
      { sub: 'n4', name: 'Nel', roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor'] },
      { sub: 'n5', name: 'Nox', roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant'] },
      { sub: 'n6', name: 'Nim', roles: ['Learner'], status: 'Inactive' },
    ]);
    s.platform.nrpsPageSize = 2;
    assert.equal((await launch(INSTRUCTOR, { contextId: 'course-nrps', services: true, custom: { menteo_room_id: 'room_nrps' } })).status, 200);
    const context = await s.store.getContext((await s.store.findRegistration(s.platform.issuer, CLIENT_ID))?.id ?? '', DEPLOYMENT_ID, 'course-nrps');
    assert.ok(context?.membershipsUrl);
    assert.equal(context.roomId, 'room_nrps');
    const result = await s.tool.syncRoster(context);
    // Removed: Nim (Inactive), and the launching instructor, whom the launch added to the room but
    // this course's complete roster does not list.
    assert.deepEqual(result, { added: 5, removed: 2, byRole: { mentor: 2, mentee: 2, observer: 1 } });
    const members = await s.db
      .selectFrom('test_members')
      .innerJoin('test_people', 'test_people.id', 'test_members.person_id')
      .select(['test_people.display_name as name', 'test_members.role'])
      .where('room_id', '=', 'room_nrps')
      .orderBy('name')
      .execute();
    assert.deepEqual(
      members.map((m) => `${m.name}:${m.role}`),
      ['Ned:mentee', 'Nel:observer', 'Nia:mentor', 'Noa:mentee', 'Nox:mentor'],
    );
  });
});

describe('Assignment and Grade Services', () => {
  it('gets a token with a private_key_jwt assertion, creates the line item and posts the score', async () => {
    assert.equal((await launch(LEARNER, { contextId: 'course-ags', services: true, custom: { menteo_kind: 'roadmap', menteo_id: 'rdm_1' } })).status, 200);
    const registration = await s.store.findRegistration(s.platform.issuer, CLIENT_ID);
    const context = await s.store.getContext(registration?.id ?? '', DEPLOYMENT_ID, 'course-ags');
    assert.ok(context?.lineitemsUrl);
    const person = await s.db.selectFrom('test_people').select('id').where('external_id', '=', `lti|${s.platform.issuer}|u-learner`).executeTakeFirstOrThrow();
    await s.db.insertInto('test_milestones').values({ roadmap_id: 'rdm_1', person_id: person.id, completed: 3, total: 4 }).execute();
    assert.equal(await s.tool.postMilestoneScore({ context, personId: person.id, roadmapId: 'rdm_1' }), true);
    await s.db.updateTable('test_milestones').set({ completed: 4 }).execute();
    assert.equal(await s.tool.postMilestoneScore({ context, personId: person.id, roadmapId: 'rdm_1' }), true);
    const items = [...s.platform.lineItems.values()].filter((i) => i.contextId === 'course-ags');
    assert.equal(items.length, 1, 'the second score reuses the line item');
    assert.deepEqual(
      items[0]?.scores.map((sc) => [sc['userId'], sc['scoreGiven'], sc['activityProgress'], sc['gradingProgress']]),
      [['u-learner', 75, 'InProgress', 'Pending'], ['u-learner', 100, 'Completed', 'FullyGraded']],
    );
    assert.equal(await s.tool.postMilestoneScore({ context, personId: 'per_unknown', roadmapId: 'rdm_1' }), false);
  });
});

describe('Dynamic Registration', () => {
  it('registers from one pasted URL, stores client and deployment ids, and closes the window', async () => {
    const installUrl = await s.tool.createInstallUrl('org_dyn');
    const url = new URL(installUrl);
    url.searchParams.set('openid_configuration', s.platform.urls.openidConfiguration);
    url.searchParams.set('registration_token', s.platform.registrationToken);
    const response = await fetch(url);
    const html = await response.text();
    assert.equal(response.status, 200, html);
    assert.match(html, /org\.imsglobal\.lti\.close/);
    const sent = s.platform.dynamicRegistrations.at(-1) as Record<string, unknown>;
    assert.equal(sent['initiate_login_uri'], `${s.toolUrl}/login`);
    assert.equal(sent['token_endpoint_auth_method'], 'private_key_jwt');
    const registration = await s.store.findRegistration(s.platform.issuer, 'dyn-1');
    assert.equal(registration?.orgId, 'org_dyn');
    assert.equal(await s.store.hasDeployment(registration?.id ?? '', 'dep-dyn-1'), true);
    // The new registration launches: same issuer, second client id.
    const flow = await login(s, s.platform.startLaunch({ user: LEARNER }, { clientId: 'dyn-1' }));
    assert.equal((await postLaunch(s, { id_token: flow.idToken, state: flow.state }, flow.browser)).status, 200);
  });

  it('gives a link back when the registration failed, so it can be used again; then it is spent', async () => {
    const url = new URL(await s.tool.createInstallUrl('org_retry'));
    url.searchParams.set('openid_configuration', s.platform.urls.openidConfiguration);
    url.searchParams.set('registration_token', 'wrong-token');
    const refused = await fetch(url);
    assert.equal(refused.status, 502, 'the platform refused the registration');
    url.searchParams.set('registration_token', s.platform.registrationToken);
    const installed = await fetch(url);
    assert.equal(installed.status, 200, await installed.clone().text());
    const spent = await fetch(url);
    assert.equal(spent.status, 409);
    assert.match(await spent.text(), /already used/);
    assert.ok(s.logs.some((l) => l.message === 'LTI install_link_used'));
  });

  it('claims each link once, and takes over a claim abandoned mid-way', async () => {
    const t0 = new Date('2030-01-01T00:00:00Z');
    const expires = '2030-01-08T00:00:00.000Z';
    assert.deepEqual(await s.store.claimInstallUse('jti-a', ORG, expires, t0), { status: 'claimed' });
    assert.equal((await s.store.claimInstallUse('jti-a', ORG, expires, new Date(t0.getTime() + 60_000))).status, 'in_progress');
    // A process that stopped mid-registration leaves the claim: after minutes it is taken over.
    assert.deepEqual(await s.store.claimInstallUse('jti-a', ORG, expires, new Date(t0.getTime() + 6 * 60_000)), { status: 'claimed' });
    await s.store.completeInstallUse('jti-a', 'ltireg_x', new Date(t0.getTime() + 7 * 60_000));
    const used = await s.store.claimInstallUse('jti-a', ORG, expires, new Date(t0.getTime() + 60 * 60_000));
    assert.deepEqual(used, { status: 'used', registrationId: 'ltireg_x', usedAt: new Date(t0.getTime() + 7 * 60_000).toISOString() });
    await s.store.releaseInstallUse('jti-a');
    assert.equal((await s.store.claimInstallUse('jti-a', ORG, expires, t0)).status, 'used', 'a completed use is never given back');
  });

  it('refuses forged install links and configurations outside the issuer', async () => {
    const forged = await fetch(`${s.toolUrl}/register?install=abc&openid_configuration=${encodeURIComponent(s.platform.urls.openidConfiguration)}`);
    assert.equal(forged.status, 403);
    const url = new URL(await s.tool.createInstallUrl(ORG));
    url.searchParams.set('openid_configuration', `${s.toolUrl}/.well-known/jwks.json`);
    const bad = await fetch(url);
    assert.ok(bad.status >= 400 && bad.status < 600 && bad.status !== 500);
    const noConfig = await fetch(await s.tool.createInstallUrl(ORG));
    assert.equal(noConfig.status, 400);
    assert.match(await noConfig.text(), /dynamic registration/);
  });

  it('serves the Canvas developer key JSON and the manual values', async () => {
    const canvas = (await (await fetch(`${s.toolUrl}/canvas.json`)).json()) as Record<string, unknown>;
    assert.equal(canvas['oidc_initiation_url'], `${s.toolUrl}/login`);
    assert.equal(canvas['public_jwk_url'], `${s.toolUrl}/.well-known/jwks.json`);
    const manual = (await (await fetch(`${s.toolUrl}/config.json`)).json()) as Record<string, unknown>;
    assert.equal(manual['launchUrl'], `${s.toolUrl}/launch`);
  });
});

describe('tool keys', () => {
  it('publishes next and active keys, rotates, and keeps the retired key published', async () => {
    const jwks = async () => (await (await fetch(`${s.toolUrl}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] };
    const before = await jwks();
    assert.equal(before.keys.length, 2);
    const keys = await s.store.listToolKeys();
    const next = keys.find((k) => k.status === 'next')?.kid;
    const oldActive = keys.find((k) => k.status === 'active')?.kid;
    const active = await s.tool.rotateKeys();
    assert.equal(active, next);
    const after = await jwks();
    assert.deepEqual(new Set(after.keys.map((k) => k.kid)).has(oldActive ?? ''), true);
    assert.equal(after.keys.length, 3);
    // A token signed after rotation verifies with the published set, by the new kid.
    const flow = await login(s, s.platform.startLaunch({ user: LEARNER }));
    const html = await (await postLaunch(s, { id_token: flow.idToken, state: flow.state }, flow.browser)).text();
    const token = /"token":"([^"]+)"/.exec(html)?.[1] ?? '';
    const { protectedHeader } = await jwtVerify(token, createLocalJWKSet(after as Parameters<typeof createLocalJWKSet>[0]));
    assert.equal(protectedHeader.kid, active);
  });
});
