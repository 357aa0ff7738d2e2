// Read-then-write under real parallel connections. SQLite serializes writers, so code that read a
// row and then wrote depending on it was correct there by accident; PostgreSQL runs transactions
// side by side (READ COMMITTED, a pool of connections). These tests send the same writes at once
// over HTTP to the real server and check that each invariant holds. They run in both passes of
// `npm test` (on SQLite they guard the serialized behaviour; on PostgreSQL the interesting one).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LtiPlatform, LtiToolConfig, Page, Person, Revision, Roadmap } from '@menteo/api';
import type { PlatformEmulator } from '@menteo/lti/emulator';
import type { LtiAutomation } from '../src/integrations/types.js';
import { startLtiWorld, type LtiWorld } from './support/lti.js';
import { startServer, type TestServer } from './support/server.js';
import { TEST_STORE } from './support/store.js';
import { buildWorld, expectStatus, tokenFor, type World } from './support/world.js';

describe(`concurrent writes (${TEST_STORE})`, () => {
  let server: TestServer;
  let w: World;

  before(async () => {
    server = await startServer();
    w = await buildWorld(server);
  });
  after(async () => server?.close());

  it('50 concurrent requests with one Idempotency-Key create one person and answer all 50 with it', async () => {
    const key = `dup-${Date.now()}`;
    const replies = await Promise.all(Array.from({ length: 50 }, () => server.call<Person>('POST', '/v1/people', {
      body: { displayName: 'Dora Duplicate', externalId: 'hr-dup-1' }, headers: { 'idempotency-key': key },
    })));
    for (const r of replies) expectStatus(r, 201);
    const ids = new Set(replies.map((r) => r.body.id));
    assert.equal(ids.size, 1, 'every answer names the same person');
    assert.equal(replies.filter((r) => r.headers.get('idempotent-replayed') === 'true').length, 49, 'one did the work, 49 replayed it');
    const stored = await server.db.selectFrom('people').select('id').where('org_id', '=', server.orgId).where('external_id', '=', 'hr-dup-1').execute();
    assert.equal(stored.length, 1, 'one row');
  });

  it('20 concurrent milestone updates: each accepted one is one revision with its reason, the stale ones are 409, none is lost', async () => {
    const mentor = await tokenFor(server, w.mentor.id);
    const created = await server.call<Roadmap>('POST', '/v1/roadmaps', {
      auth: mentor, body: { roomId: w.room.id, ownerId: w.mentee.id, title: 'Race', startDate: '2026-01-01', milestones: [{ title: 'M0', dueDate: '2026-02-01' }] },
    });
    expectStatus(created, 201);
    const roadmap = created.body;
    const milestone = roadmap.milestones[0];
    assert.ok(milestone);
    const base = roadmap.version;
    // Ten blind edits (no baseVersion: the client asked for no check, so each must be applied) and
    // ten from the same base version (at most one of those can win).
    const requests = Array.from({ length: 20 }, (_, i) => i % 2 === 0
      ? { reason: `blind ${i}`, body: { reason: `blind ${i}`, title: `T${i}` } }
      : { reason: `based ${i}`, body: { reason: `based ${i}`, baseVersion: base, description: `D${i}` } });
    const replies = await Promise.all(requests.map((r) => server.call<Roadmap>('PATCH', `/v1/roadmaps/${roadmap.id}/milestones/${milestone.id}`, { auth: mentor, body: r.body })));
    const accepted = requests.filter((_, i) => replies[i]?.status === 200).map((r) => r.reason);
    replies.forEach((r, i) => {
      if (r.status === 200) return;
      expectStatus(r, 409, 'conflict');
      assert.ok('baseVersion' in (requests[i]?.body ?? {}), `a blind edit was refused: ${r.text}`);
      assert.equal((r.body as { field?: string }).field, 'baseVersion');
    });
    assert.ok(requests.filter((r, i) => 'baseVersion' in r.body && replies[i]?.status === 200).length <= 1, 'at most one edit from the same base wins');

    const page = await server.call<Page<Revision>>('GET', `/v1/roadmaps/${roadmap.id}/revisions?limit=100`, { auth: mentor });
    expectStatus(page, 200);
    const revisions = page.body.items.filter((r) => r.version > base).sort((a, b) => a.version - b.version);
    assert.deepEqual(revisions.map((r) => r.reason).sort(), [...accepted].sort(), 'each accepted edit recorded once, with its reason');
    assert.deepEqual(revisions.map((r) => r.version), accepted.map((_, i) => base + i + 1), 'versions follow one another');
    // Each revision saw the one before it: a title change starts from the previous revision's title.
    let title = 'M0';
    for (const revision of revisions) {
      const change = revision.changes.find((c) => c.field === 'title');
      if (!change) continue;
      assert.equal(change.from, title, `revision ${revision.version} (${revision.reason}) started from a stale title`);
      title = String(change.to);
    }
    const after = await server.call<Roadmap>('GET', `/v1/roadmaps/${roadmap.id}`, { auth: mentor });
    assert.equal(after.body.version, base + accepted.length);
    assert.equal(after.body.milestones.find((m) => m.id === milestone.id)?.title, title, 'the last revision is what is stored');
  });

  it('10 concurrent links of one SCIM group to a cohort make one link and answer 200 each (a transaction run again after a concurrent insert)', async () => {
    const program = await server.call<{ id: string }>('POST', '/v1/programs', { body: { name: 'Race program' } });
    expectStatus(program, 201);
    const cohort = await server.call<{ id: string }>('POST', `/v1/programs/${program.body.id}/cohorts`, { body: { name: 'Race cohort', startDate: '2026-01-01', endDate: '2026-06-30' } });
    expectStatus(cohort, 201);
    const now = new Date().toISOString();
    await server.db.insertInto('people_groups').values({ id: 'grp_race', org_id: server.orgId, external_id: null, display_name: 'Race group', source: 'scim', created_at: now, updated_at: now }).execute();
    const replies = await Promise.all(Array.from({ length: 10 }, () => server.call('PUT', `/v1/cohorts/${cohort.body.id}/scim-groups/grp_race`, { body: { role: 'mentee' } })));
    for (const r of replies) expectStatus(r, 200);
    const links = await server.db.selectFrom('cohort_group_links').selectAll().where('cohort_id', '=', cohort.body.id).execute();
    assert.equal(links.length, 1);
  });

  it('a single-use client secret exchanged 20 times at once yields exactly one access token', async () => {
    const session = await server.call<{ clientSecret: string }>('POST', '/v1/embed-sessions', { body: { personId: w.mentee.id } });
    expectStatus(session, 201);
    const replies = await Promise.all(Array.from({ length: 20 }, () => server.call('POST', '/v1/tokens', { auth: null, body: { clientSecret: session.body.clientSecret } })));
    assert.equal(replies.filter((r) => r.status === 200).length, 1, replies.map((r) => r.status).join(' '));
    for (const r of replies) if (r.status !== 200) expectStatus(r, 401, 'unauthenticated');
  });
});

describe(`concurrent launches of one course (${TEST_STORE})`, () => {
  let world: LtiWorld;
  let platform: PlatformEmulator;
  const rosterReads: string[] = [];

  before(async () => {
    world = await startLtiWorld(async (request) => {
      const url = new URL(request.url);
      if (request.method === 'GET' && url.pathname.startsWith('/nrps/') && url.search === '') rosterReads.push(url.pathname);
      return undefined;
    });
    platform = world.platform;
  });
  after(async () => world?.close());

  it('syncs the course roster once per window when 20 launches see the course at once', async () => {
    const { server } = world;
    const created = await server.call<LtiPlatform>('POST', '/v1/integrations/lti/platforms', {
      body: { issuer: platform.issuer, clientId: 'menteo-client', deploymentIds: ['dep-1'], authLoginUrl: platform.urls.auth, authTokenUrl: platform.urls.token, jwksUrl: platform.urls.jwks },
    });
    expectStatus(created, 201);
    const config = await server.call<LtiToolConfig>('GET', '/v1/integrations/lti/config');
    platform.addTool({ clientId: 'menteo-client', deploymentId: 'dep-1', loginUrl: config.body.loginUrl, launchUrl: config.body.launchUrl, jwksUrl: config.body.jwksUrl });
    const room = await server.call<{ id: string }>('POST', '/v1/rooms', { body: { title: 'Course room' } });
    expectStatus(room, 201);
    platform.rosters.set('course-race', [{ sub: 'u-1', name: 'Una Learner', roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'] }]);
    const { automation } = await server.node.app.integrations();
    assert.ok(automation);
    const a: LtiAutomation = automation;
    const context = {
      registrationId: created.body.id, deploymentId: 'dep-1', contextId: 'course-race', title: 'Race course',
      membershipsUrl: `${platform.issuer}/nrps/course-race`, lineitemsUrl: null, lineitemUrl: null, roomId: room.body.id,
    };
    await Promise.all(Array.from({ length: 20 }, () => a.courseSeen(context)));
    await a.idle();
    const rows = await server.db.selectFrom('integration_roster_syncs').selectAll().where('context_id', '=', 'course-race').execute();
    assert.deepEqual(rosterReads, ['/nrps/course-race'], `one roster sync (${JSON.stringify(rows)})`);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.outcome, 'ok', rows[0]?.detail ?? '');
  });
});
