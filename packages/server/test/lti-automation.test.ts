// What the server does on its own with an LMS, against the REAL server over HTTP and the LTI
// platform emulator: a milestone marked done through the API ends up as exactly one score in the
// course gradebook (client-credentials token, score media type), a failing gradebook never fails
// the milestone update and is logged and retried, and an instructor's launch syncs the course
// roster into the room once per window. No timed assertions: tests wait on conditions (the
// emulator's received requests, the room's members) or on the automation being idle.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LtiPlatform, LtiRosterSync, LtiToolConfig, Page, Person, Roadmap, Room } from '@menteo/api';
import type { EmulatedUser, PlatformEmulator } from '@menteo/lti/emulator';
import type { LtiAutomation } from '../src/integrations/types.js';
import type { TestServer } from './support/server.js';
import { browserLogin, CLIENT_ID, DEPLOYMENT_ID, eventually, INSTRUCTOR, LEARNER, LIS, postLaunch, startLtiWorld, type LoggedEvent, type LtiWorld } from './support/lti.js';
import { expectStatus, person } from './support/world.js';

const SCORE_SCOPE = 'https://purl.imsglobal.org/spec/lti-ags/scope/score';

/** A request the emulated platform received. */
interface Received {
  method: string;
  path: string;
  search: string;
  authorization: string | null;
  contentType: string | null;
  body: string;
}

let world: LtiWorld;
let server: TestServer;
let platform: PlatformEmulator;
let publicUrl: string;
let mentor: Person;
const received: Received[] = [];
let logs: LoggedEvent[];
/** When set, the platform answers score posts with a 500 (a gradebook outage). */
let failScores = false;
/** When set, the platform fails every roster page after the first (a roster read cut short). */
let failLaterRosterPages = false;
let platformId: string;

async function automation(): Promise<LtiAutomation> {
  const { automation: a } = await server.node.app.integrations();
  assert.ok(a, 'the server has LTI automation');
  return a;
}

function scoresFor(contextId: string): Received[] {
  return received.filter((r) => r.method === 'POST' && r.path.startsWith(`/ags/${contextId}/lineitems/`) && r.path.endsWith('/scores'));
}

/** Roster reads that started from the first page (a sync follows `rel=next` for the others). */
function rosterCalls(contextId: string): Received[] {
  return received.filter((r) => r.method === 'GET' && r.path === `/nrps/${contextId}` && r.search === '');
}

async function launch(user: EmulatedUser, contextId: string, roomId: string): Promise<void> {
  const start = platform.startLaunch({ user, contextId, services: true, custom: { menteo_room_id: roomId } });
  const response = await postLaunch(publicUrl, await browserLogin(start));
  assert.equal(response.status, 200, await response.clone().text());
}

async function newRoom(title: string): Promise<Room> {
  const r = await server.call<Room>('POST', '/v1/rooms', { body: { title, purpose: 'Mentoring inside an LMS course', members: [{ personId: mentor.id, role: 'mentor' }] } });
  expectStatus(r, 201);
  return r.body;
}

before(async () => {
  // The emulator behind a recorder: tests assert on what the platform actually received.
  world = await startLtiWorld(async (request) => {
    const url = new URL(request.url);
    received.push({
      method: request.method, path: url.pathname, search: url.search, authorization: request.headers.get('authorization'),
      contentType: request.headers.get('content-type'), body: request.method === 'GET' ? '' : await request.clone().text(),
    });
    if (failScores && request.method === 'POST' && url.pathname.endsWith('/scores')) return new Response('gradebook is down', { status: 500 });
    if (failLaterRosterPages && url.pathname.startsWith('/nrps/') && url.search !== '') return new Response('roster service is down', { status: 503 });
    return undefined;
  });
  ({ server, platform, publicUrl, logs } = world);

  const created = await server.call<LtiPlatform>('POST', '/v1/integrations/lti/platforms', {
    body: { issuer: platform.issuer, clientId: CLIENT_ID, deploymentIds: [DEPLOYMENT_ID], authLoginUrl: platform.urls.auth, authTokenUrl: platform.urls.token, jwksUrl: platform.urls.jwks },
  });
  expectStatus(created, 201);
  platformId = created.body.id;
  const config = await server.call<LtiToolConfig>('GET', '/v1/integrations/lti/config');
  platform.addTool({ clientId: CLIENT_ID, deploymentId: DEPLOYMENT_ID, loginUrl: config.body.loginUrl, launchUrl: config.body.launchUrl, jwksUrl: config.body.jwksUrl });
  mentor = await person(server, 'Mia Mentor', ['mentor']);
});

after(async () => {
  // Nothing may still be talking to the platform or the database when they close.
  await (await automation()).idle();
  await world.close();
});

describe('milestone completion into the LMS gradebook (AGS)', () => {
  let roadmap: Roadmap;
  let milestoneId: string;

  it('posts exactly one score when a milestone is marked done through the API', async () => {
    const room = await newRoom('Gradebook circle');
    await launch(LEARNER, 'course-ags', room.id);
    const people = await server.call<Page<Person>>('GET', `/v1/people?externalId=${encodeURIComponent(`lti|${platform.issuer}|${LEARNER.sub}`)}`);
    const lea = people.body.items[0];
    assert.ok(lea, 'the launch created the learner');

    const created = await server.call<Roadmap>('POST', '/v1/roadmaps', {
      actAs: mentor.id,
      body: { roomId: room.id, ownerId: lea.id, title: 'Frontend foundations', startDate: '2026-01-05', milestones: [{ title: 'Ship a first PR', dueDate: '2026-02-01' }] },
    });
    expectStatus(created, 201);
    roadmap = created.body;
    milestoneId = roadmap.milestones[0]?.id ?? '';
    await (await automation()).idle();
    assert.equal(scoresFor('course-ags').length, 0, 'a roadmap nobody started leaves the gradebook alone');

    const done = await server.call<Roadmap>('PATCH', `/v1/roadmaps/${roadmap.id}/milestones/${milestoneId}`, { actAs: mentor.id, body: { reason: 'Merged', status: 'done' } });
    expectStatus(done, 200);
    assert.equal(done.body.milestones[0]?.status, 'done');

    const [score] = await eventually('the score to reach the platform', () => (scoresFor('course-ags').length > 0 ? scoresFor('course-ags') : undefined));
    await (await automation()).idle();
    assert.equal(scoresFor('course-ags').length, 1, 'exactly one score');
    assert.ok(score);
    assert.equal(score.contentType, 'application/vnd.ims.lis.v1.score+json');
    const body = JSON.parse(score.body) as Record<string, unknown>;
    assert.equal(body['userId'], LEARNER.sub);
    assert.equal(body['scoreGiven'], 100);
    assert.equal(body['scoreMaximum'], 100);
    assert.equal(body['activityProgress'], 'Completed');
    assert.equal(body['gradingProgress'], 'FullyGraded');
    assert.equal(typeof body['timestamp'], 'string');

    // The bearer is an access token the platform issued through the client-credentials grant
    // with a private_key_jwt assertion, for the score scope.
    const bearer = score.authorization?.replace(/^Bearer /, '') ?? '';
    assert.ok(platform.accessTokens.get(bearer)?.includes(SCORE_SCOPE), 'the score carries a token issued for the score scope');
    const grant = received.find((r) => r.method === 'POST' && r.path === '/token');
    assert.ok(grant);
    const form = new URLSearchParams(grant.body);
    assert.equal(form.get('grant_type'), 'client_credentials');
    assert.equal(form.get('client_assertion_type'), 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');

    // The line item is the roadmap's, created where the course wants grades (its line items URL).
    const items = [...platform.lineItems.values()].filter((i) => i.contextId === 'course-ags');
    assert.deepEqual(items.map((i) => i.resourceId), [roadmap.id]);
    assert.equal(items[0]?.label, 'Frontend foundations');
  });

  it('does not post again when nothing the gradebook shows changed', async () => {
    const renamed = await server.call<Roadmap>('PATCH', `/v1/roadmaps/${roadmap.id}/milestones/${milestoneId}`, { actAs: mentor.id, body: { reason: 'Clearer', title: 'Ship a first pull request' } });
    expectStatus(renamed, 200);
    await (await automation()).idle();
    assert.equal(scoresFor('course-ags').length, 1);
  });

  it('answers the milestone update even when the gradebook fails, logs it, and a retry posts', async () => {
    failScores = true;
    const reopened = await server.call<Roadmap>('PATCH', `/v1/roadmaps/${roadmap.id}/milestones/${milestoneId}`, { actAs: mentor.id, body: { reason: 'Review found gaps', status: 'in_progress' } });
    expectStatus(reopened, 200);
    assert.equal(reopened.body.milestones[0]?.status, 'in_progress');

    const failure = await eventually('the failure to be logged', () => logs.find((l) => l.level === 'error' && l.message.startsWith('Posting a milestone score')));
    assert.equal(failure.detail?.['status'], 500);
    assert.equal(failure.detail?.['contextId'], 'course-ags');
    assert.equal(failure.detail?.['roadmapId'], roadmap.id);
    assert.match(String(failure.detail?.['body']), /gradebook is down/);
    await (await automation()).idle();
    const row = await server.db.selectFrom('integration_score_posts').selectAll().where('roadmap_id', '=', roadmap.id).executeTakeFirstOrThrow();
    assert.equal(row.status, 'failed');
    assert.equal(row.attempts, 1);
    assert.equal(row.posted_completed, 1, 'the gradebook still shows the last successful post');

    // The Node entry's maintenance calls this periodically; the platform is back.
    failScores = false;
    assert.equal(await (await automation()).retryFailedScores(), 1);
    const accepted = scoresFor('course-ags');
    assert.equal(accepted.length, 3, 'the first post, the refused one, the retry');
    const retried = JSON.parse(accepted[2]?.body ?? '{}') as Record<string, unknown>;
    assert.deepEqual([retried['scoreGiven'], retried['activityProgress'], retried['gradingProgress']], [0, 'InProgress', 'Pending']);
    const scoresKept = [...platform.lineItems.values()].find((i) => i.resourceId === roadmap.id)?.scores.length;
    assert.equal(scoresKept, 2, 'the platform stored the first post and the retry');
    const settled = await server.db.selectFrom('integration_score_posts').selectAll().where('roadmap_id', '=', roadmap.id).executeTakeFirstOrThrow();
    assert.deepEqual([settled.status, settled.attempts, settled.posted_completed, settled.last_error], ['posted', 0, 0, null]);
    assert.equal(await (await automation()).retryFailedScores(), 0, 'nothing left to retry');
  });
});

describe('course roster into the room on launch (NRPS)', () => {
  let room: Room;

  it('syncs the roster with mapped roles when an instructor launches', async () => {
    room = await newRoom('Roster circle');
    platform.rosters.set('course-roster', [
      { ...INSTRUCTOR },
      { sub: 'u-ned', name: 'Ned Learner', roles: [`${LIS}Learner`] },
      { sub: 'u-pam', name: 'Pam Parent', roles: [`${LIS}Mentor`] },
      { sub: 'u-gone', name: 'Gail Gone', roles: [`${LIS}Learner`], status: 'Inactive' },
    ]);
    await launch(INSTRUCTOR, 'course-roster', room.id);

    const roles = await eventually('the roster to reach the room', async () => {
      const r = await server.call<Room>('GET', `/v1/rooms/${room.id}`);
      const byName = Object.fromEntries(r.body.members.map((m) => [m.person.displayName, m.role]));
      return Object.keys(byName).length >= 4 ? byName : undefined;
    });
    await (await automation()).idle();
    assert.deepEqual(roles, { 'Mia Mentor': 'mentor', 'Ian Instructor': 'mentor', 'Ned Learner': 'mentee', 'Pam Parent': 'observer' });
    assert.equal(rosterCalls('course-roster').length, 1, 'one roster sync');
    assert.equal(received.filter((r) => r.path === '/nrps/course-roster').length, 2, 'both pages of two members were read');
    const row = await server.db.selectFrom('integration_roster_syncs').selectAll().where('context_id', '=', 'course-roster').executeTakeFirstOrThrow();
    assert.equal(row.outcome, 'ok');
    assert.deepEqual(JSON.parse(row.detail ?? '{}'), { added: 3, removed: 1, byRole: { mentor: 1, mentee: 1, observer: 1 } });
  });

  it('does not sync again within the window', async () => {
    const before = await server.db.selectFrom('integration_roster_syncs').select('started_at').where('context_id', '=', 'course-roster').executeTakeFirstOrThrow();
    const readsBefore = received.filter((r) => r.path.startsWith('/nrps/course-roster')).length;
    platform.rosters.get('course-roster')?.push({ sub: 'u-late', name: 'Late Learner', roles: [`${LIS}Learner`] });
    await launch(INSTRUCTOR, 'course-roster', room.id);
    await (await automation()).idle();
    assert.equal(received.filter((r) => r.path.startsWith('/nrps/course-roster')).length, readsBefore, 'no roster read');
    const afterRow = await server.db.selectFrom('integration_roster_syncs').select('started_at').where('context_id', '=', 'course-roster').executeTakeFirstOrThrow();
    assert.equal(afterRow.started_at, before.started_at);
    const r = await server.call<Room>('GET', `/v1/rooms/${room.id}`);
    assert.ok(!r.body.members.some((m) => m.person.displayName === 'Late Learner'));
  });
});

describe('people who leave the course roster (NRPS)', () => {
  let room: Room;
  let outsider: Person;
  const memberNames = async () => {
    const r = await server.call<Room>('GET', `/v1/rooms/${room.id}`);
    return Object.fromEntries(r.body.members.map((m) => [m.person.displayName, m.role]));
  };
  const sync = async () => {
    const r = await server.call<LtiRosterSync>('POST', '/v1/integrations/lti/roster-syncs', { body: { platformId, deploymentId: DEPLOYMENT_ID, contextId: 'course-leavers' } });
    expectStatus(r, 200);
    return r.body;
  };

  it('removes members the course added once they are absent from a complete roster, and nobody else', async () => {
    room = await newRoom('Leavers circle');
    // Added through the API, not by the course: a roster never removes them.
    outsider = await person(server, 'Otto Outside');
    expectStatus(await server.call('POST', `/v1/rooms/${room.id}/members`, { body: { personId: outsider.id, role: 'mentee' } }), 201);
    platform.rosters.set('course-leavers', [
      { ...INSTRUCTOR },
      { sub: 'u-lou', name: 'Lou Leaver', roles: [`${LIS}Learner`] },
      { sub: 'u-sam', name: 'Sam Stayer', roles: [`${LIS}Learner`] },
    ]);
    await launch(INSTRUCTOR, 'course-leavers', room.id);
    await (await automation()).idle();
    assert.deepEqual(await memberNames(), { 'Mia Mentor': 'mentor', 'Otto Outside': 'mentee', 'Ian Instructor': 'mentor', 'Lou Leaver': 'mentee', 'Sam Stayer': 'mentee' });

    // Lou drops the course: the LMS simply stops listing them (no Inactive status).
    platform.rosters.set('course-leavers', [{ ...INSTRUCTOR }, { sub: 'u-sam', name: 'Sam Stayer', roles: [`${LIS}Learner`] }]);
    const result = await sync();
    assert.equal(result.removed, 1);
    assert.deepEqual(await memberNames(), { 'Mia Mentor': 'mentor', 'Otto Outside': 'mentee', 'Ian Instructor': 'mentor', 'Sam Stayer': 'mentee' });
  });

  it('removes nobody when the roster could not be read to the end', async () => {
    platform.rosters.set('course-leavers', [
      { ...INSTRUCTOR },
      { sub: 'u-sam', name: 'Sam Stayer', roles: [`${LIS}Learner`] },
      { sub: 'u-new', name: 'Nia New', roles: [`${LIS}Learner`] },
    ]);
    failLaterRosterPages = true;
    try {
      // Plain fetch: the test helper treats every 5xx as a server bug, and this 503 is the platform's.
      const r = await fetch(`${server.url}/v1/integrations/lti/roster-syncs`, {
        method: 'POST', headers: { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ platformId, deploymentId: DEPLOYMENT_ID, contextId: 'course-leavers' }),
      });
      assert.equal(r.status, 503, 'a roster read cut short is an error, not a partial sync');
    } finally {
      failLaterRosterPages = false;
    }
    assert.deepEqual(await memberNames(), { 'Mia Mentor': 'mentor', 'Otto Outside': 'mentee', 'Ian Instructor': 'mentor', 'Sam Stayer': 'mentee' });
  });
});
