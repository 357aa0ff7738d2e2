/**
 * LTI 1.3 core over real HTTP: the emulated platform launches the tool; every check of the
 * id_token is exercised by a token that fails exactly that check.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SignJWT, decodeJwt } from 'jose';
import { CLIENT_ID, DEPLOYMENT_ID, login, postLaunch, readForm, setup, type Setup } from './support/servers.js';

const LEARNER = { sub: 'u-learner', name: 'Lea Learner', email: 'lea@example.edu', roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'] };
const INSTRUCTOR = { sub: 'u-teacher', name: 'Ian Instructor', roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor'] };

let s: Setup;
before(async () => {
  s = await setup();
});
after(async () => {
  await s.close();
});

async function sessionCount(): Promise<number> {
  const row = await s.db.selectFrom('test_sessions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Asserts a rejected launch: an error status, a plain message, the logged code, no session. */
async function expectRejected(response: Response, code: string, before: number): Promise<void> {
  const html = await response.text();
  assert.ok(response.status >= 400 && response.status < 500, `status ${response.status} for ${code}`);
  assert.match(html, /data-menteo-error/);
  assert.doesNotMatch(html, /menteo-provider/);
  assert.ok(
    s.logs.some((l) => l.message === `LTI ${code}`),
    `expected log "LTI ${code}", got ${s.logs.slice(-3).map((l) => l.message).join(' | ')}`,
  );
  assert.equal(await sessionCount(), before, 'no embed session was minted');
}

/** A real login, then a token the test builds with the login's nonce. */
async function launchWith(
  claims: Record<string, unknown>,
  options: Parameters<Setup['platform']['signIdToken']>[1] extends infer O ? Omit<O & object, 'nonce'> : never = {},
): Promise<Response> {
  const start = s.platform.startLaunch({ user: LEARNER, contextId: 'course-neg' });
  const flow = await login(s, start);
  const nonce = String(decodeJwt(flow.idToken).nonce);
  const token = await s.platform.signIdToken({ user: LEARNER, contextId: 'course-neg', claims }, { ...options, nonce });
  return postLaunch(s, { id_token: token, state: flow.state }, flow.browser);
}

describe('LTI launch', () => {
  it('logs in, launches, upserts the person, joins the room and renders the widgets', async () => {
    const start = s.platform.startLaunch({ user: LEARNER, contextId: 'course-1', custom: { menteo_room_id: 'room_1' } });
    const flow = await login(s, start);
    assert.equal(flow.response.status, 302);
    const cookie = flow.response.headers.get('set-cookie') ?? '';
    assert.match(cookie, /SameSite=None/);
    assert.match(cookie, /Secure/);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /Partitioned/);
    const response = await postLaunch(s, { id_token: flow.idToken, state: flow.state }, flow.browser);
    const html = await response.text();
    assert.equal(response.status, 200, html);
    assert.match(html, /<menteo-provider id="menteo"/);
    assert.match(html, /<menteo-room room-id="room_1">/);
    const csp = response.headers.get('content-security-policy') ?? '';
    assert.match(csp, new RegExp(`frame-ancestors ${s.platformUrl.replace(/[.]/g, '\\.')}`));
    assert.match(csp, /script-src 'nonce-/);
    const person = await s.db.selectFrom('test_people').selectAll().where('external_id', '=', `lti|${s.platform.issuer}|u-learner`).executeTakeFirstOrThrow();
    assert.equal(person.display_name, 'Lea Learner');
    assert.equal(person.email, 'lea@example.edu');
    const member = await s.db.selectFrom('test_members').selectAll().where('person_id', '=', person.id).executeTakeFirstOrThrow();
    assert.deepEqual([member.room_id, member.role], ['room_1', 'mentee']);
    const session = await s.db.selectFrom('test_sessions').selectAll().orderBy('secret').execute();
    assert.ok(session.some((row) => JSON.parse(row.request).personId === person.id && html.includes(row.secret)));
  });

  it('stops, minting nothing, when personMatch email finds two people with the launch\'s email', async () => {
    const base = s.toolUrl;
    s.platform.addTool({ clientId: 'email-client', deploymentId: 'dep-email', loginUrl: `${base}/login`, launchUrl: `${base}/launch`, jwksUrl: `${base}/.well-known/jwks.json` });
    await s.tool.registerPlatform({
      orgId: 'org_test', issuer: s.platform.issuer, clientId: 'email-client', authLoginUrl: s.platform.urls.auth,
      authTokenUrl: s.platform.urls.token, jwksUrl: s.platform.urls.jwks, deploymentIds: ['dep-email'], personMatch: 'email',
    });
    for (const [id, email] of [['per_twin1', 'twin@example.edu'], ['per_twin2', 'Twin@Example.edu']] as const) {
      await s.db.insertInto('test_people').values({
        id, org_id: 'org_test', external_id: `hr-${id}`, display_name: 'Twin', email, title: null, department: null, employee_number: null, manager_id: null, roles: '["member"]', active: 1,
      }).execute();
    }
    const before = await sessionCount();
    const start = s.platform.startLaunch({ user: { sub: 'u-twin', name: 'Twin', email: 'TWIN@example.edu', roles: LEARNER.roles } }, { clientId: 'email-client' });
    const flow = await login(s, start);
    const response = await postLaunch(s, { id_token: flow.idToken, state: flow.state }, flow.browser);
    assert.equal(response.status, 409);
    await expectRejected(response, 'ambiguous_person', before);
    const twins = await s.db.selectFrom('test_people').select('id').where('display_name', '=', 'Twin').execute();
    assert.equal(twins.length, 2, 'no third person was created');
  });

  it('launches without name and email (privacy settings strip them)', async () => {
    const start = s.platform.startLaunch({ user: { sub: 'u-private', roles: LEARNER.roles }, contextId: 'course-1' });
    const flow = await login(s, start);
    assert.equal(decodeJwt(flow.idToken).name, undefined);
    const response = await postLaunch(s, { id_token: flow.idToken, state: flow.state }, flow.browser);
    assert.equal(response.status, 200);
    const person = await s.db.selectFrom('test_people').selectAll().where('external_id', '=', `lti|${s.platform.issuer}|u-private`).executeTakeFirstOrThrow();
    assert.equal(person.email, null);
  });

  it('accepts login initiation by POST as well as GET', async () => {
    const start = new URL(s.platform.startLaunch({ user: LEARNER }));
    const response = await fetch(`${start.origin}${start.pathname}`, { method: 'POST', body: start.searchParams, redirect: 'manual' });
    assert.equal(response.status, 302);
    assert.match(response.headers.get('location') ?? '', /response_mode=form_post/);
  });

  it('accepts an audience array when azp names the tool', async () => {
    const before = await sessionCount();
    const response = await launchWith({ aud: ['someone-else', CLIENT_ID], azp: CLIENT_ID });
    assert.equal(response.status, 200, await response.text());
    assert.equal(await sessionCount(), before + 1);
  });

  it('rejects a wrong aud', async () => expectRejected(await launchWith({ aud: 'another-tool' }), 'bad_aud', await sessionCount()));
  it('rejects several audiences without azp', async () => expectRejected(await launchWith({ aud: [CLIENT_ID, 'x'] }), 'missing_azp', await sessionCount()));
  it('rejects an azp that is not us', async () => expectRejected(await launchWith({ aud: [CLIENT_ID, 'x'], azp: 'x' }), 'bad_aud', await sessionCount()));
  it('rejects an azp outside the audiences', async () => expectRejected(await launchWith({ azp: 'y' }), 'bad_azp', await sessionCount()));
  it('rejects an unknown kid (after one refetch)', async () => expectRejected(await launchWith({}, { kid: 'not-a-key' }), 'unknown_kid', await sessionCount()));
  it('rejects a token without kid', async () => expectRejected(await launchWith({}, { kid: '' }), 'missing_kid', await sessionCount()));
  it('rejects a wrong iss', async () => expectRejected(await launchWith({ iss: 'https://evil.example' }), 'unknown_platform', await sessionCount()));
  it('rejects an expired token', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectRejected(await launchWith({}, { iat: now - 4000, exp: now - 3600 }), 'expired', await sessionCount());
  });
  it('rejects a token issued in the future', async () => {
    const now = Math.floor(Date.now() / 1000);
    const response = await launchWith({}, { iat: now + 3600, exp: now + 7200 });
    assert.equal(response.status, 400);
    assert.ok(s.logs.at(-1)?.message.startsWith('LTI bad_'), s.logs.at(-1)?.message);
  });
  it('rejects an unknown deployment', async () => expectRejected(await launchWith({ 'https://purl.imsglobal.org/spec/lti/claim/deployment_id': 'dep-unknown' }), 'unknown_deployment', await sessionCount()));
  it('rejects a forged signature', async () => expectRejected(await launchWith({}, { key: await s.platform.foreignKey() }), 'bad_signature', await sessionCount()));
  it('rejects a wrong LTI version', async () => expectRejected(await launchWith({ 'https://purl.imsglobal.org/spec/lti/claim/version': '1.1' }), 'bad_version', await sessionCount()));
  it('rejects an unknown message type', async () => expectRejected(await launchWith({ 'https://purl.imsglobal.org/spec/lti/claim/message_type': 'LtiSubmissionReviewRequest' }), 'unknown_message_type', await sessionCount()));
  it('rejects a launch without roles', async () => expectRejected(await launchWith({ 'https://purl.imsglobal.org/spec/lti/claim/roles': undefined }), 'missing_roles', await sessionCount()));
  it('rejects a resource link launch without resource link', async () => expectRejected(await launchWith({ 'https://purl.imsglobal.org/spec/lti/claim/resource_link': undefined }), 'missing_resource_link', await sessionCount()));
  it('rejects an anonymous launch in plain words', async () => expectRejected(await launchWith({ sub: undefined }), 'anonymous_launch', await sessionCount()));
  it('rejects a nonce that does not match the login', async () => {
    const before = await sessionCount();
    const start = s.platform.startLaunch({ user: LEARNER });
    const flow = await login(s, start);
    const token = await s.platform.signIdToken({ user: LEARNER }, { nonce: 'some-other-nonce' });
    await expectRejected(await postLaunch(s, { id_token: token, state: flow.state }, flow.browser), 'bad_nonce', before);
  });
  it('rejects HS256 and other algorithms', async () => {
    const before = await sessionCount();
    const start = s.platform.startLaunch({ user: LEARNER });
    const flow = await login(s, start);
    const claims = decodeJwt(flow.idToken);
    const token = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: 'k' }).sign(new TextEncoder().encode('a shared secret of enough length!!'));
    await expectRejected(await postLaunch(s, { id_token: token, state: flow.state }, flow.browser), 'bad_alg', before);
  });
  it('rejects a replayed launch (same id_token and state)', async () => {
    const start = s.platform.startLaunch({ user: LEARNER });
    const flow = await login(s, start);
    const first = await postLaunch(s, { id_token: flow.idToken, state: flow.state }, flow.browser);
    assert.equal(first.status, 200);
    await expectRejected(await postLaunch(s, { id_token: flow.idToken, state: flow.state }, flow.browser), 'replayed_nonce', await sessionCount());
  });
  it('rejects a launch whose state was never issued', async () => {
    const before = await sessionCount();
    const token = await s.platform.signIdToken({ user: LEARNER }, { nonce: crypto.randomUUID() });
    await expectRejected(await postLaunch(s, { id_token: token, state: 'made-up' }), 'unknown_state', before);
  });
  it('rejects a launch from a browser that did not start the login (no cookie, no storage)', async () => {
    const start = s.platform.startLaunch({ user: LEARNER });
    const flow = await login(s, start);
    await expectRejected(await postLaunch(s, { id_token: flow.idToken, state: flow.state }), 'state_cookie_missing', await sessionCount());
  });
  it('answers garbage with a plain 400, never a 500', async () => {
    for (const body of [{ id_token: 'not.a.jwt', state: 'x' }, { id_token: '', state: '' }, { error: 'login_required', error_description: 'no session' }]) {
      const response = await postLaunch(s, body);
      assert.equal(response.status, 400);
      assert.match(await response.text(), /data-menteo-error/);
    }
    const json = await fetch(`${s.toolUrl}/launch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(json.status, 400);
  });
  it('refuses logins from unknown platforms and foreign target links', async () => {
    const unknown = await fetch(`${s.toolUrl}/login?iss=https://nope.example&login_hint=x&target_link_uri=${encodeURIComponent(`${s.toolUrl}/launch`)}`, { redirect: 'manual' });
    assert.equal(unknown.status, 403);
    assert.match(await unknown.text(), /not set up for this learning platform/);
    const start = new URL(s.platform.startLaunch({ user: LEARNER }));
    start.searchParams.set('target_link_uri', 'https://evil.example/phish');
    const foreign = await fetch(start, { redirect: 'manual' });
    assert.equal(foreign.status, 400);
    const badDeployment = new URL(s.platform.startLaunch({ user: LEARNER }));
    badDeployment.searchParams.set('lti_deployment_id', 'nope');
    assert.equal((await fetch(badDeployment, { redirect: 'manual' })).status, 403);
  });
  it('follows platform key rotation: refetches the JWKS once on an unknown kid', async () => {
    const newKid = await s.platform.rotateKeys({ dropOld: true });
    const start = s.platform.startLaunch({ user: LEARNER });
    const flow = await login(s, start);
    const header = JSON.parse(Buffer.from(flow.idToken.split('.')[0] ?? '', 'base64url').toString()) as { kid: string };
    assert.equal(header.kid, newKid);
    const response = await postLaunch(s, { id_token: flow.idToken, state: flow.state }, flow.browser);
    assert.equal(response.status, 200);
  });
  it('keeps deployments apart: a second deployment of the same registration launches', async () => {
    const before = await sessionCount();
    const response = await launchWith({ 'https://purl.imsglobal.org/spec/lti/claim/deployment_id': 'dep-2' });
    assert.equal(response.status, 200);
    assert.equal(await sessionCount(), before + 1);
    assert.ok(DEPLOYMENT_ID);
  });
  it('refuses a person deactivated by HR', async () => {
    const start = s.platform.startLaunch({ user: { sub: 'u-gone', roles: LEARNER.roles } });
    const first = await login(s, start);
    assert.equal((await postLaunch(s, { id_token: first.idToken, state: first.state }, first.browser)).status, 200);
    await s.db.updateTable('test_people').set({ active: 0 }).where('external_id', '=', `lti|${s.platform.issuer}|u-gone`).execute();
    const again = await login(s, s.platform.startLaunch({ user: { sub: 'u-gone', roles: LEARNER.roles } }));
    await expectRejected(await postLaunch(s, { id_token: again.idToken, state: again.state }, again.browser), 'deactivated', await sessionCount());
  });
});

describe('launch page session', () => {
  it('mints fresh single-use secrets for the open page, and refuses bad tokens', async () => {
    const flow = await login(s, s.platform.startLaunch({ user: INSTRUCTOR, custom: { menteo_room_id: 'room_2' } }));
    const html = await (await postLaunch(s, { id_token: flow.idToken, state: flow.state }, flow.browser)).text();
    const token = /"token":"([^"]+)"/.exec(html)?.[1];
    assert.ok(token);
    const refreshed = await fetch(`${s.toolUrl}/session/secret`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    assert.equal(refreshed.status, 200);
    const body = (await refreshed.json()) as { clientSecret: string };
    assert.match(body.clientSecret, /^es_/);
    const row = await s.db.selectFrom('test_sessions').selectAll().where('secret', '=', body.clientSecret).executeTakeFirstOrThrow();
    assert.deepEqual(JSON.parse(row.request).roomIds, ['room_2']);
    const bad = await fetch(`${s.toolUrl}/session/secret`, { method: 'POST', headers: { authorization: 'Bearer nope' } });
    assert.equal(bad.status, 401);
    assert.equal(((await bad.json()) as { code: string }).code, 'bad_session_token');
  });
});

describe('cookie-less browsers (platform storage)', () => {
  it('stores the state in the platform, then confirms the launch by reading it back', async () => {
    const start = s.platform.startLaunch({ user: LEARNER, custom: { menteo_room_id: 'room_3' } }, { storageTarget: '_parent' });
    const loginPage = await fetch(start, { redirect: 'manual' });
    assert.equal(loginPage.status, 200);
    const page = await loginPage.text();
    assert.match(page, /lti\.put_data/);
    const next = JSON.parse(/const next = ("[^"]+");/.exec(page)?.[1] ?? '""') as string;
    assert.ok(next.startsWith(s.platform.urls.auth));
    const auth = readForm(await (await fetch(next)).text());
    // No cookie: the third-party cookie was blocked.
    const parked = await postLaunch(s, { id_token: auth.fields['id_token'] ?? '', state: auth.fields['state'] ?? '' });
    const parkedHtml = await parked.text();
    assert.equal(parked.status, 200);
    assert.match(parkedHtml, /lti\.get_data/);
    const ticket = readForm(parkedHtml).fields['ticket'] ?? '';
    const confirm = (state: string) =>
      fetch(`${s.toolUrl}/launch/confirm`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ ticket, state }) });
    const wrong = await confirm('not-the-state');
    assert.equal(wrong.status, 400);
    // A failed confirmation burns the ticket: the state cannot be guessed by retrying.
    const late = await confirm(auth.fields['state'] ?? '');
    assert.equal(late.status, 400);
  });

  it('completes when the page reads back the right state', async () => {
    const start = s.platform.startLaunch({ user: LEARNER, custom: { menteo_room_id: 'room_3' } }, { storageTarget: '_parent' });
    const page = await (await fetch(start, { redirect: 'manual' })).text();
    const next = JSON.parse(/const next = ("[^"]+");/.exec(page)?.[1] ?? '""') as string;
    const auth = readForm(await (await fetch(next)).text());
    const parked = await (await postLaunch(s, { id_token: auth.fields['id_token'] ?? '', state: auth.fields['state'] ?? '' })).text();
    const ticket = readForm(parked).fields['ticket'] ?? '';
    const body = new URLSearchParams({ ticket, state: auth.fields['state'] ?? '' });
    const done = await fetch(`${s.toolUrl}/launch/confirm`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    assert.equal(done.status, 200);
    assert.match(await done.text(), /<menteo-room room-id="room_3">/);
    const replay = await fetch(`${s.toolUrl}/launch/confirm`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    assert.equal(replay.status, 400);
  });
});
