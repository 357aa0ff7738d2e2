// LTI launches and SCIM provisioning against the REAL server over HTTP: the platform emulator of
// @menteo/lti is registered through the integrations admin API, launches end in embed sessions
// that work at /v1/tokens and /v1/me, rosters land in room membership, and SCIM users are the
// same people /v1/people shows, deactivated at once. Admin API responses are validated against
// the OpenAPI document by the test helper.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type {
  AccessToken, CreatedScimToken, EmbedSession, LtiCourse, LtiInstallUrl, LtiPlatform, LtiRosterSync, LtiToolConfig, Me, Page, Person, Post, Room,
  ScimToken, Thread,
} from '@menteo/api';
import type { PlatformEmulator } from '@menteo/lti/emulator';
import { startServer, type TestServer } from './support/server.js';
import { browserLogin, CLIENT_ID, DEPLOYMENT_ID, INSTRUCTOR, LEARNER, postLaunch as launchForm, servePlatform, startLtiWorld, type LoggedEvent, type LtiWorld } from './support/lti.js';
import { expectStatus, person } from './support/world.js';

const SCIM = 'application/scim+json';

let world: LtiWorld;
let server: TestServer;
let platform: PlatformEmulator;
let publicUrl: string;
let platformId: string;
let room: Room;
let logs: LoggedEvent[];

function postLaunch(form: { idToken: string; state: string; cookie: string }): Promise<Response> {
  return launchForm(publicUrl, form);
}

/** The first client secret and the page token a launch page carries. */
function launchSecrets(html: string): { secret: string; pageToken: string } {
  const secret = /"secret":"(mcs_[^"]+)"/.exec(html)?.[1];
  const pageToken = /"token":"([^"]+)"/.exec(html)?.[1];
  assert.ok(secret && pageToken, 'the launch page carries a client secret and a page token');
  return { secret, pageToken };
}

async function exchange(clientSecret: string): Promise<number | string> {
  const r = await server.call<AccessToken>('POST', '/v1/tokens', { auth: null, body: { clientSecret } });
  return r.status === 200 ? r.body.accessToken : r.status;
}

async function embedSessionCount(): Promise<number> {
  const row = await server.db.selectFrom('embed_sessions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

function scim(method: string, path: string, token: string, body?: unknown): Promise<Response> {
  return fetch(`${publicUrl}/scim/v2${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, accept: SCIM, ...(body === undefined ? {} : { 'content-type': SCIM }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

before(async () => {
  world = await startLtiWorld();
  ({ server, platform, publicUrl, logs } = world);
  const mentor = await person(server, 'Mia Mentor', ['mentor']);
  const r = await server.call<Room>('POST', '/v1/rooms', { body: { title: 'Course circle', purpose: 'Mentoring inside the LMS course', members: [{ personId: mentor.id, role: 'mentor' }] } });
  expectStatus(r, 201);
  room = r.body;
});

after(async () => {
  assert.ok(server.validator.checked > 20, 'admin responses were validated against the OpenAPI document');
  await world.close();
});

describe('integrations admin API', () => {
  it('registers a platform by hand, lists it, refuses a duplicate', async () => {
    const body = {
      issuer: platform.issuer, clientId: CLIENT_ID, deploymentIds: [DEPLOYMENT_ID, 'dep-2'],
      authLoginUrl: platform.urls.auth, authTokenUrl: platform.urls.token, jwksUrl: platform.urls.jwks, platformName: 'Emulated LMS',
    };
    const created = await server.call<LtiPlatform>('POST', '/v1/integrations/lti/platforms', { body });
    expectStatus(created, 201);
    platformId = created.body.id;
    assert.deepEqual(created.body.deploymentIds, [DEPLOYMENT_ID, 'dep-2']);
    assert.equal(created.body.personMatch, 'sub');
    expectStatus(await server.call('POST', '/v1/integrations/lti/platforms', { body }), 409, 'conflict');
    const list = await server.call<Page<LtiPlatform>>('GET', '/v1/integrations/lti/platforms');
    expectStatus(list, 200);
    assert.deepEqual(list.body.items.map((p) => p.id), [platformId]);
  });

  it('gives the tool URLs under the public URL, and the platform installs them', async () => {
    const config = await server.call<LtiToolConfig>('GET', '/v1/integrations/lti/config');
    expectStatus(config, 200);
    assert.equal(config.body.loginUrl, `${publicUrl}/lti/login`);
    assert.equal(config.body.scimBaseUrl, `${publicUrl}/scim/v2`);
    const jwks = await fetch(config.body.jwksUrl);
    assert.equal(jwks.status, 200);
    assert.ok(((await jwks.json()) as { keys: unknown[] }).keys.length >= 1, 'the tool publishes its keys');
    platform.addTool({ clientId: CLIENT_ID, deploymentId: DEPLOYMENT_ID, loginUrl: config.body.loginUrl, launchUrl: config.body.launchUrl, jwksUrl: config.body.jwksUrl });
  });

  it('is for API keys with org:admin only', async () => {
    const limited = await server.call<{ secret: string }>('POST', '/v1/api-keys', { body: { name: 'no admin', scopes: ['people:read'] } });
    expectStatus(limited, 201);
    expectStatus(await server.call('GET', '/v1/integrations/scim/tokens', { auth: limited.body.secret }), 403, 'forbidden');
    const someone = await person(server, 'Sam Someone');
    const s = await server.call<EmbedSession>('POST', '/v1/embed-sessions', { body: { personId: someone.id } });
    const token = await exchange(s.body.clientSecret);
    assert.equal(typeof token, 'string');
    expectStatus(await server.call('GET', '/v1/integrations/lti/platforms', { auth: String(token) }), 403, 'forbidden');
  });

  it('keeps the contract 404/405 handling outside the mounted apps', async () => {
    expectStatus(await server.call('PUT', '/v1/integrations/scim/tokens'), 405, 'method_not_allowed');
    expectStatus(await server.call('GET', '/v1/integrations/nothing'), 404, 'not_found');
    const lti404 = await fetch(`${publicUrl}/lti/nothing`);
    assert.equal(lti404.status, 404);
    assert.match(lti404.headers.get('content-type') ?? '', /text\/html/);
  });
});

describe('LTI launch into the real server', () => {
  let launchedToken: string;
  let replay: { idToken: string; state: string; cookie: string };

  it('launches a learner into the course room with a working embed session', async () => {
    const before = await embedSessionCount();
    const start = platform.startLaunch({ user: LEARNER, contextId: 'course-1', services: true, custom: { menteo_room_id: room.id } });
    const form = await browserLogin(start);
    replay = form;
    const response = await postLaunch(form);
    const html = await response.text();
    assert.equal(response.status, 200, html);
    assert.match(html, new RegExp(`<menteo-room room-id="${room.id}">`));
    assert.match(html, new RegExp(`<menteo-provider id="menteo" base-url="${publicUrl}"`));
    assert.match(html, /provider\.clientSecret = fetchClientSecret/);
    assert.equal(await embedSessionCount(), before + 1, 'one embed session, stored like POST /v1/embed-sessions stores it');

    const { secret, pageToken } = launchSecrets(html);
    const token = await exchange(secret);
    assert.equal(typeof token, 'string', 'the secret exchanges at /v1/tokens');
    launchedToken = String(token);
    const me = await server.call<Me>('GET', '/v1/me', { auth: launchedToken });
    expectStatus(me, 200);
    const externalId = `lti|${platform.issuer}|${LEARNER.sub}`;
    assert.equal(me.body.person?.externalId, externalId);
    assert.equal(me.body.person?.displayName, 'Lea Learner');
    assert.equal(me.body.person?.email, 'lea@school.test');
    assert.deepEqual(me.body.roomIds, [room.id]);
    assert.ok(!me.body.scopes.includes('org:admin') && me.body.scopes.includes('posts:write'));

    // The same person through the API, and in the room as a mentee.
    const people = await server.call<Page<Person>>('GET', `/v1/people?externalId=${encodeURIComponent(externalId)}`);
    assert.deepEqual(people.body.items.map((p) => p.id), [me.body.person?.id]);
    const inRoom = await server.call<Room>('GET', `/v1/rooms/${room.id}`, { auth: launchedToken });
    expectStatus(inRoom, 200);
    assert.equal(inRoom.body.members.find((m) => m.person.id === me.body.person?.id)?.role, 'mentee');

    // The open page refreshes its secret through the tool, and the new secret works too.
    const refreshed = await fetch(`${publicUrl}/lti/session/secret`, { method: 'POST', headers: { authorization: `Bearer ${pageToken}` } });
    assert.equal(refreshed.status, 200);
    const next = (await refreshed.json()) as { clientSecret: string };
    assert.equal(typeof (await exchange(next.clientSecret)), 'string');
  });

  it('refuses a replayed launch and mints nothing', async () => {
    const before = await embedSessionCount();
    const response = await postLaunch(replay);
    const html = await response.text();
    assert.ok(response.status >= 400 && response.status < 500, `replay answered ${response.status}`);
    assert.doesNotMatch(html, /menteo-provider/);
    assert.doesNotMatch(html, /mcs_/);
    assert.ok(logs.some((l) => l.message === 'LTI replayed_nonce'), 'the replay is logged for the admin');
    assert.equal(await embedSessionCount(), before);
  });

  it('syncs the course roster into the room through the admin API', async () => {
    platform.rosters.set('course-1', [
      { ...LEARNER },
      { ...INSTRUCTOR },
      { sub: 'u-ned', name: 'Ned Learner', roles: ['Learner'] },
      { sub: 'u-gone', name: 'Gail Gone', roles: ['Learner'], status: 'Inactive' },
    ]);
    const courses = await server.call<Page<LtiCourse>>('GET', `/v1/integrations/lti/courses?platformId=${platformId}`);
    expectStatus(courses, 200);
    const course = courses.body.items.find((c) => c.contextId === 'course-1');
    assert.equal(course?.roomId, room.id);
    assert.equal(course?.rosterAvailable, true);

    const sync = await server.call<LtiRosterSync>('POST', '/v1/integrations/lti/roster-syncs', { body: { platformId, deploymentId: DEPLOYMENT_ID, contextId: 'course-1' } });
    expectStatus(sync, 200);
    assert.deepEqual(sync.body, { roomId: room.id, added: 3, removed: 1, byRole: { mentor: 1, mentee: 2, observer: 0 } });
    const after = await server.call<Room>('GET', `/v1/rooms/${room.id}`);
    const roles = Object.fromEntries(after.body.members.map((m) => [m.person.displayName, m.role]));
    assert.deepEqual(roles, { 'Mia Mentor': 'mentor', 'Lea Learner': 'mentee', 'Ian Instructor': 'mentor', 'Ned Learner': 'mentee' });

    expectStatus(await server.call('POST', '/v1/integrations/lti/roster-syncs', { body: { platformId, deploymentId: DEPLOYMENT_ID, contextId: 'no-such-course' } }), 404, 'not_found');
  });

  it('creates a dynamic-registration link that registers a second platform', async () => {
    const install = await server.call<LtiInstallUrl>('POST', '/v1/integrations/lti/install-urls', { body: { ttlSeconds: 3600 } });
    expectStatus(install, 201);
    assert.ok(install.body.url.startsWith(`${publicUrl}/lti/register?install=`));
    const url = new URL(install.body.url);
    url.searchParams.set('openid_configuration', platform.urls.openidConfiguration);
    url.searchParams.set('registration_token', platform.registrationToken);
    const page = await fetch(url);
    assert.equal(page.status, 200, await page.clone().text());
    assert.match(await page.text(), /org\.imsglobal\.lti\.close/);
    const list = await server.call<Page<LtiPlatform>>('GET', '/v1/integrations/lti/platforms');
    assert.equal(list.body.items.length, 2);
    assert.ok(list.body.items.some((p) => p.clientId.startsWith('dyn-') && p.deploymentIds.length === 1));
  });
});

describe('SCIM provisioning into the real server', () => {
  let scimToken: CreatedScimToken;
  let scimUserId: string;
  let personId: string;

  it('creates a SCIM token through the admin API', async () => {
    const created = await server.call<CreatedScimToken>('POST', '/v1/integrations/scim/tokens', { body: { label: 'Okta' } });
    expectStatus(created, 201);
    assert.match(created.body.secret, /^mscim_/);
    assert.equal(created.body.scimBaseUrl, `${publicUrl}/scim/v2`);
    scimToken = created.body;
    const list = await server.call<Page<ScimToken>>('GET', '/v1/integrations/scim/tokens');
    assert.deepEqual(list.body.items.map((t) => t.id), [created.body.token.id]);
    assert.doesNotMatch(list.text, /mscim_/, 'secrets are never listed');
  });

  it('provisions an Okta-shaped user as the same person /v1/people shows', async () => {
    const okta = {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],
      userName: 'isabella.chen@acme.test',
      name: { givenName: 'Isabella', familyName: 'Chen' },
      emails: [{ primary: true, value: 'isabella.chen@acme.test', type: 'work' }],
      displayName: 'Isabella Chen',
      locale: 'en-US',
      externalId: '00u1okta2isabella',
      groups: [],
      password: 'tmp-Pa55word!',
      active: true,
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'Engineering', employeeNumber: 'E-1001' },
    };
    const response = await scim('POST', '/Users', scimToken.secret, okta);
    const user = (await response.json()) as { id: string; active: boolean };
    assert.equal(response.status, 201, JSON.stringify(user));
    scimUserId = user.id;
    const people = await server.call<Page<Person>>('GET', '/v1/people?externalId=00u1okta2isabella');
    expectStatus(people, 200);
    const [p] = people.body.items;
    assert.ok(p);
    assert.equal(p.displayName, 'Isabella Chen');
    assert.equal(p.email, 'isabella.chen@acme.test');
    assert.equal(p.active, true);
    personId = p.id;
    const hr = await server.db.selectFrom('person_enterprise').selectAll().where('person_id', '=', personId).executeTakeFirstOrThrow();
    assert.deepEqual([hr.department, hr.employee_number], ['Engineering', 'E-1001']);
  });

  it('keeps SCIM groups as provisioning data on the same people', async () => {
    const response = await scim('POST', '/Groups', scimToken.secret, {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Engineering', members: [{ value: scimUserId }],
    });
    assert.equal(response.status, 201, await response.clone().text());
    const members = await server.db.selectFrom('people_group_members').innerJoin('people_groups', 'people_groups.id', 'people_group_members.group_id')
      .select(['people_groups.display_name', 'people_group_members.person_id']).execute();
    assert.deepEqual(members, [{ display_name: 'Engineering', person_id: personId }]);
  });

  it('deactivates with an Entra-shaped PATCH: existing access is rejected at once, posts remain', async () => {
    // Access the person holds before deactivation: a token, and a secret not yet exchanged.
    const s = await server.call<EmbedSession>('POST', '/v1/embed-sessions', { body: { externalId: '00u1okta2isabella' } });
    expectStatus(s, 201);
    const token = String(await exchange(s.body.clientSecret));
    const spare = await server.call<EmbedSession>('POST', '/v1/embed-sessions', { body: { personId } });
    const thread = await server.call<Thread>('POST', '/v1/threads', { auth: token, body: { title: 'Learning Rust in public' } });
    expectStatus(thread, 201);
    const post = await server.call<Post>('POST', `/v1/threads/${thread.body.id}/posts`, { auth: token, body: { body: 'Week 1: ownership finally clicked.', audience: 'org' } });
    expectStatus(post, 201);
    expectStatus(await server.call('GET', '/v1/me', { auth: token }), 200);

    const entra = {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
    };
    const patched = await scim('PATCH', `/Users/${scimUserId}`, scimToken.secret, entra);
    const doc = (await patched.json()) as { active: boolean };
    assert.equal(patched.status, 200, JSON.stringify(doc));
    assert.equal(doc.active, false);

    expectStatus(await server.call('GET', '/v1/me', { auth: token }), 401, 'unauthenticated');
    assert.equal(await exchange(spare.body.clientSecret), 401, 'an unexchanged secret is dead too');
    const p = await server.call<Person>('GET', `/v1/people/${personId}`);
    assert.equal(p.body.active, false);
    const kept = await server.call<Post>('GET', `/v1/posts/${post.body.id}`);
    expectStatus(kept, 200);
    assert.equal(kept.body.author.id, personId);
    expectStatus(await server.call('POST', '/v1/embed-sessions', { body: { personId } }), 400, 'invalid_request');
  });

  it('does not let an LTI launch reactivate someone HR deactivated', async () => {
    // The LMS shares the HR id through lis.person_sourcedid; a registration matching on it reaches the SCIM person.
    const body = {
      issuer: platform.issuer, clientId: 'sis-client', deploymentIds: ['dep-sis'], personMatch: 'sourcedid',
      authLoginUrl: platform.urls.auth, authTokenUrl: platform.urls.token, jwksUrl: platform.urls.jwks,
    };
    expectStatus(await server.call('POST', '/v1/integrations/lti/platforms', { body }), 201);
    const config = await server.call<LtiToolConfig>('GET', '/v1/integrations/lti/config');
    platform.addTool({ clientId: 'sis-client', deploymentId: 'dep-sis', loginUrl: config.body.loginUrl, launchUrl: config.body.launchUrl, jwksUrl: config.body.jwksUrl });
    const before = await embedSessionCount();
    const start = platform.startLaunch({ user: { sub: 'u-isa', name: 'Isabella Chen', roles: LEARNER.roles, sourcedId: '00u1okta2isabella' } }, { clientId: 'sis-client' });
    const response = await postLaunch(await browserLogin(start));
    assert.equal(response.status, 403, await response.clone().text());
    assert.match(await response.text(), /deactivated/);
    assert.equal(await embedSessionCount(), before);
    const p = await server.call<Person>('GET', `/v1/people/${personId}`);
    assert.equal(p.body.active, false);
  });

  it('revokes the SCIM token at once', async () => {
    assert.equal((await scim('GET', '/Users?filter=userName%20eq%20%22isabella.chen%40acme.test%22', scimToken.secret)).status, 200);
    const revoked = await server.call<ScimToken>('DELETE', `/v1/integrations/scim/tokens/${scimToken.token.id}`);
    expectStatus(revoked, 200);
    assert.ok(revoked.body.revokedAt);
    const refused = await scim('GET', '/Users', scimToken.secret);
    assert.equal(refused.status, 401);
    expectStatus(await server.call('DELETE', `/v1/integrations/scim/tokens/${scimToken.token.id}`), 200);
    expectStatus(await server.call('DELETE', '/v1/integrations/scim/tokens/scimtok_0123456789abcdef'), 404, 'not_found');
  });
});

describe('the launch page origin', () => {
  it('lets Menteo\'s own public origin sign in and call the API, and still refuses other origins', async () => {
    const someone = await person(server, 'Olga Origin');
    const secret = async () => {
      const s = await server.call<EmbedSession>('POST', '/v1/embed-sessions', { body: { personId: someone.id } });
      expectStatus(s, 201);
      return s.body.clientSecret;
    };
    // The organization allows only its intranet; the launch page lives at the public URL.
    const own = await server.call<AccessToken>('POST', '/v1/tokens', { auth: null, headers: { origin: publicUrl }, body: { clientSecret: await secret() } });
    expectStatus(own, 200);
    expectStatus(await server.call('GET', '/v1/me', { auth: own.body.accessToken, headers: { origin: publicUrl } }), 200);
    const foreign = await server.call('POST', '/v1/tokens', { auth: null, headers: { origin: 'https://evil.example' }, body: { clientSecret: await secret() } });
    expectStatus(foreign, 403, 'forbidden');
    expectStatus(await server.call('GET', '/v1/me', { auth: own.body.accessToken, headers: { origin: 'https://evil.example' } }), 403, 'forbidden');
  });
});

describe('LTI person matching by email', () => {
  it('reaches the SCIM-provisioned person with the same email (any case) instead of creating a second one', async () => {
    const created = await server.call<CreatedScimToken>('POST', '/v1/integrations/scim/tokens', { body: { label: 'HR' } });
    expectStatus(created, 201);
    const user = await scim('POST', '/Users', created.body.secret, {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'alan.turing', externalId: 'hr-alan', displayName: 'Alan Turing',
      emails: [{ primary: true, value: 'Alan.Turing@Acme.test', type: 'work' }], active: true,
    });
    assert.equal(user.status, 201, await user.clone().text());
    const provisioned = await server.call<Page<Person>>('GET', '/v1/people?externalId=hr-alan');
    const [alan] = provisioned.body.items;
    assert.ok(alan);

    const body = {
      issuer: platform.issuer, clientId: 'email-client', deploymentIds: ['dep-email'], personMatch: 'email',
      authLoginUrl: platform.urls.auth, authTokenUrl: platform.urls.token, jwksUrl: platform.urls.jwks,
    };
    expectStatus(await server.call('POST', '/v1/integrations/lti/platforms', { body }), 201);
    const config = await server.call<LtiToolConfig>('GET', '/v1/integrations/lti/config');
    platform.addTool({ clientId: 'email-client', deploymentId: 'dep-email', loginUrl: config.body.loginUrl, launchUrl: config.body.launchUrl, jwksUrl: config.body.jwksUrl });
    const start = platform.startLaunch({ user: { sub: 'lms-alan', name: 'Alan T.', email: 'alan.turing@acme.TEST', roles: LEARNER.roles } }, { clientId: 'email-client' });
    const response = await postLaunch(await browserLogin(start));
    const html = await response.text();
    assert.equal(response.status, 200, html);
    const token = await exchange(launchSecrets(html).secret);
    const me = await server.call<Me>('GET', '/v1/me', { auth: String(token) });
    expectStatus(me, 200);
    assert.equal(me.body.person?.id, alan.id, 'the launch reached the provisioned person');
    assert.equal(me.body.person?.externalId, 'hr-alan', 'the HR external id is kept');
    const sameEmail = await server.db.selectFrom('people').select('id').where('org_id', '=', server.orgId).where((eb) => eb(eb.fn('lower', ['email']), '=', 'alan.turing@acme.test')).execute();
    assert.deepEqual(sameEmail.map((p) => p.id), [alan.id], 'one person with this email');
  });
});

describe('LTI person matching by email, the other way round', () => {
  it('lets SCIM provisioning adopt the person an email-matched launch created, instead of a second one', async () => {
    // The email-matching registration and tool of the test above.
    const start = platform.startLaunch({ user: { sub: 'lms-grace', name: 'Grace H.', email: 'grace.hopper@acme.test', roles: LEARNER.roles } }, { clientId: 'email-client' });
    const response = await postLaunch(await browserLogin(start));
    const html = await response.text();
    assert.equal(response.status, 200, html);
    const me = await server.call<Me>('GET', '/v1/me', { auth: String(await exchange(launchSecrets(html).secret)) });
    const launchedId = me.body.person?.id;
    assert.ok(launchedId);

    const created = await server.call<CreatedScimToken>('POST', '/v1/integrations/scim/tokens', { body: { label: 'HR later' } });
    const user = await scim('POST', '/Users', created.body.secret, {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'grace.hopper', externalId: 'hr-grace', displayName: 'Grace Hopper',
      emails: [{ primary: true, value: 'Grace.Hopper@Acme.test', type: 'work' }], active: true,
    });
    assert.equal(user.status, 201, await user.clone().text());
    const provisioned = await server.call<Page<Person>>('GET', '/v1/people?externalId=hr-grace');
    assert.deepEqual(provisioned.body.items.map((p) => p.id), [launchedId], 'HR took over the launched person');
    const sameEmail = await server.db.selectFrom('people').select('id').where('org_id', '=', server.orgId).where((eb) => eb(eb.fn('lower', ['email']), '=', 'grace.hopper@acme.test')).execute();
    assert.equal(sameEmail.length, 1, 'one person with this email');

    // And the next launch still reaches them.
    const again = await postLaunch(await browserLogin(platform.startLaunch({ user: { sub: 'lms-grace', name: 'Grace H.', email: 'grace.hopper@acme.test', roles: LEARNER.roles } }, { clientId: 'email-client' })));
    const againHtml = await again.text();
    assert.equal(again.status, 200, againHtml);
    const meAgain = await server.call<Me>('GET', '/v1/me', { auth: String(await exchange(launchSecrets(againHtml).secret)) });
    assert.equal(meAgain.body.person?.id, launchedId);
  });
});

describe('reinstalling through dynamic registration', () => {
  it('refuses a second use of one install link, and logins without client_id keep working', async () => {
    const lms = await servePlatform();
    try {
      const registrationsOf = async () => {
        const list = await server.call<Page<LtiPlatform>>('GET', '/v1/integrations/lti/platforms');
        return list.body.items.filter((p) => p.issuer === lms.platform.issuer);
      };
      const install = await server.call<LtiInstallUrl>('POST', '/v1/integrations/lti/install-urls', { body: { ttlSeconds: 3600 } });
      expectStatus(install, 201);
      const url = new URL(install.body.url);
      url.searchParams.set('openid_configuration', lms.platform.urls.openidConfiguration);
      url.searchParams.set('registration_token', lms.platform.registrationToken);
      const first = await fetch(url);
      assert.equal(first.status, 200, await first.clone().text());
      assert.equal((await registrationsOf()).length, 1);

      const again = await fetch(url);
      const page = await again.text();
      assert.equal(again.status, 409, page);
      assert.match(page, /already used/);
      assert.equal(lms.platform.dynamicRegistrations.length, 1, 'the platform was not asked to register a second time');
      assert.equal((await registrationsOf()).length, 1, 'still one registration for the issuer');

      // The LMS leaves client_id out of the login: the issuer's only registration answers.
      const launchWithout = async () => {
        const start = lms.platform.startLaunch({ user: { sub: 'u-reinstall', name: 'Rhea Reinstall', roles: LEARNER.roles } }, { clientId: [...(await registrationsOf())].at(-1)?.clientId ?? '', omitClientId: true });
        return postLaunch(await browserLogin(start));
      };
      const launched = await launchWithout();
      assert.equal(launched.status, 200, await launched.clone().text());

      // A new link installs a second client for the same issuer; the deployment id tells them apart.
      const second = await server.call<LtiInstallUrl>('POST', '/v1/integrations/lti/install-urls', { body: { ttlSeconds: 3600 } });
      const url2 = new URL(second.body.url);
      url2.searchParams.set('openid_configuration', lms.platform.urls.openidConfiguration);
      url2.searchParams.set('registration_token', lms.platform.registrationToken);
      assert.equal((await fetch(url2)).status, 200);
      assert.equal((await registrationsOf()).length, 2);
      const launchedAgain = await launchWithout();
      assert.equal(launchedAgain.status, 200, await launchedAgain.clone().text());
    } finally {
      await lms.close();
    }
  });
});

describe('rate limits of /lti and /scim/v2', () => {
  let limited: LtiWorld;
  before(async () => {
    // Three requests per bucket, then nearly no refill: the fourth is refused.
    const tight = { capacity: 3, refillPerSecond: 0.01 };
    limited = await startLtiWorld(undefined, { integrations: { rateLimit: { lti: tight, scim: tight } } });
  });
  after(async () => {
    await limited.close();
  });

  it('limits the public LTI endpoints per client IP, as JSON where the endpoint is JSON and as a page elsewhere', async () => {
    const jwks = `${limited.publicUrl}/lti/.well-known/jwks.json`;
    for (let i = 0; i < 3; i += 1) assert.equal((await fetch(jwks)).status, 200);
    const refused = await fetch(jwks);
    assert.equal(refused.status, 429);
    assert.match(refused.headers.get('content-type') ?? '', /application\/json/);
    assert.ok(Number(refused.headers.get('retry-after')) >= 1, 'Retry-After in seconds');
    assert.equal(((await refused.json()) as { code: string }).code, 'rate_limited');

    // Same IP, another endpoint: an HTML page for the person inside the LMS frame.
    const page = await fetch(`${limited.publicUrl}/lti/login?iss=x&login_hint=y&target_link_uri=z`);
    assert.equal(page.status, 429);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    assert.ok(Number(page.headers.get('retry-after')) >= 1);
    assert.match(await page.text(), /Too many requests/);

    // The API keeps its own limits.
    assert.equal((await fetch(`${limited.publicUrl}/v1/health`)).status, 200);
  });

  it('limits SCIM per token, with a SCIM error document', async () => {
    const a = await limited.server.call<CreatedScimToken>('POST', '/v1/integrations/scim/tokens', { body: { label: 'Okta' } });
    const b = await limited.server.call<CreatedScimToken>('POST', '/v1/integrations/scim/tokens', { body: { label: 'Entra' } });
    const get = (token: string) => fetch(`${limited.publicUrl}/scim/v2/Users`, { headers: { authorization: `Bearer ${token}`, accept: SCIM } });
    for (let i = 0; i < 3; i += 1) assert.equal((await get(a.body.secret)).status, 200);
    const refused = await get(a.body.secret);
    assert.equal(refused.status, 429);
    assert.match(refused.headers.get('content-type') ?? '', /application\/scim\+json/);
    assert.ok(Number(refused.headers.get('retry-after')) >= 1);
    const doc = (await refused.json()) as { schemas: string[]; status: string; detail: string };
    assert.deepEqual(doc.schemas, ['urn:ietf:params:scim:api:messages:2.0:Error']);
    assert.equal(doc.status, '429');
    assert.match(doc.detail, /Too many requests/);
    // Another organization's identity provider, from the same address, is not held back.
    assert.equal((await get(b.body.secret)).status, 200, 'the limit is per token, not per address');
    // Guessed tokens are limited per address: answered 401 until the bucket is empty, then 429.
    const guesses = await Promise.all([1, 2, 3, 4].map((i) => get(`mscim_guess${i}`).then((r) => r.status)));
    assert.deepEqual(guesses.sort(), [401, 401, 401, 429]);
  });
});

describe('a server without LTI (no public URL)', () => {
  let plain: TestServer;
  before(async () => {
    plain = await startServer();
  });
  after(async () => {
    await plain.close();
  });

  it('answers the tool operations 409 conflict naming the setting, not a 5xx', async () => {
    // A permanent setting of this server, not an outage: retrying would never help.
    const calls = [
      plain.call('GET', '/v1/integrations/lti/config'),
      plain.call('POST', '/v1/integrations/lti/install-urls', { body: {} }),
      plain.call('POST', '/v1/integrations/lti/roster-syncs', { body: { platformId: 'ltireg_01ARZ3NDEKTSV4RRFFQ69G5FAV', deploymentId: 'd', contextId: 'c' } }),
    ];
    for (const reply of await Promise.all(calls)) {
      expectStatus(reply, 409, 'conflict');
      assert.match((reply.body as { detail: string }).detail, /MENTEO_PUBLIC_URL/);
    }
    // What does not need the tool still works.
    expectStatus(await plain.call('GET', '/v1/integrations/lti/platforms'), 200);
  });
});
