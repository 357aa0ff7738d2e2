// The demo seed's program, read back through the API as the admin console reads it: the "Q1
// engineering cohort" with Sam and Priya enrolled and their room started from the template,
// which has a newer version the room has not decided about.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { Cohort, CohortRoom, Enrolment, Page, Roadmap, RoadmapTemplate, TemplateOrigin } from '@menteo/api';
import { ROOMS, seedDemo, type SeedResult } from '../src/seed/index.js';
import { startServer, type TestServer } from './support/server.js';
import { expectStatus } from './support/world.js';

let server: TestServer;
let seed: SeedResult;

before(async () => {
  server = await startServer();
  seed = await seedDemo({ app: server.node.app, apiKey: server.apiKey, baseUrl: server.url });
});
after(async () => server.close());

it('seeds the Q1 engineering cohort with Sam and Priya enrolled and their room started from the template', async () => {
  const cohort = await server.call<Cohort>('GET', `/v1/cohorts/${seed.program.cohortId}`);
  expectStatus(cohort, 200);
  assert.equal(cohort.body.name, 'Q1 engineering cohort');
  assert.deepEqual([cohort.body.mentorCount, cohort.body.menteeCount, cohort.body.roomCount], [2, 3, 1]);
  const enrolments = await server.call<Page<Enrolment>>('GET', `/v1/cohorts/${seed.program.cohortId}/enrolments`);
  const byName = new Map(enrolments.body.items.map((e) => [e.person.displayName, e.role]));
  assert.equal(byName.get('Sam Whitfield'), 'mentee');
  assert.equal(byName.get('Priya Raman'), 'mentor');
  const rooms = await server.call<Page<CohortRoom>>('GET', `/v1/cohorts/${seed.program.cohortId}/rooms`);
  assert.deepEqual(rooms.body.items.map((r) => r.room.members.map((m) => m.person.displayName)), [['Priya Raman', 'Sam Whitfield']]);
  const template = await server.call<RoadmapTemplate>('GET', `/v1/roadmap-templates/${seed.program.templateId}`);
  assert.equal(template.body.version, 2);
  const roadmap = await server.call<Roadmap>('GET', `/v1/roadmaps/${seed.program.roadmapId}`);
  assert.equal(roadmap.body.startDate, cohort.body.startDate);
  assert.equal(roadmap.body.milestones.length, 4, 'version 1 as started: version 2 waits for the room');
  const origin = await server.call<TemplateOrigin>('GET', `/v1/roadmaps/${seed.program.roadmapId}/template`, { actAs: seed.people.sam });
  assert.equal(origin.body.updateAvailable, true);
  assert.deepEqual(origin.body.pendingChanges.map((c) => c.to), ['Shadow an on-call week']);
  assert.equal(seed.rooms.length, ROOMS.length, 'the rooms of ROOMS are unchanged');
});
