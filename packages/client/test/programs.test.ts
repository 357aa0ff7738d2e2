// `client.programs` against the real server over HTTP: a program with a template and a cohort,
// idempotent enrolment, an import run to completion with progress, a room started from the
// template, and the room's decision about a newer version.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EnrolmentImport } from '@menteo/api/programs';
import { createClient, isMenteoError, MenteoApiError, programsApi, type MenteoClient } from '../src/index.js';
import { startServer, type TestServer } from './support/server.js';

describe('client programs namespace', () => {
  let server: TestServer;
  let admin: MenteoClient;
  let programs: ReturnType<typeof programsApi>;
  const people: Record<string, string> = {};

  before(async () => {
    server = await startServer();
    admin = createClient({ baseUrl: server.url, apiKey: server.apiKey });
    programs = programsApi(admin);
    for (const [key, name] of [['mentor', 'Maya Mentor'], ['mentee', 'Milo Mentee']] as const) {
      people[key] = (await admin.people.create({ displayName: name, email: `${key}@example.com` })).id;
    }
  });
  after(() => server.close());

  it('runs a program end to end: template, cohort, enrolment, import with progress, room, decision', async () => {
    const program = await programs.create({ name: 'Onboarding' });
    const template = await programs.templates.create(program.id, { name: '30 days', horizonDays: 30, milestones: [{ title: 'Meet the team', dayOffset: 3 }] });
    const cohort = await programs.cohorts.create(program.id, { name: 'March', startDate: '2026-03-02', endDate: '2026-04-01', templateId: template.id });

    const first = await programs.cohorts.enrol(cohort.id, people.mentor ?? '', 'mentor');
    assert.deepEqual(await programs.cohorts.enrol(cohort.id, people.mentor ?? '', 'mentor'), first, 'enrolling again is the same enrolment');

    const progress: number[] = [];
    const job: EnrolmentImport = await programs.imports.run(cohort.id, { csv: 'email,role\nmentee@example.com,mentee\nghost@example.com,mentee\n' }, {
      onProgress: (j) => progress.push(j.processedRows), pollInterval: 10,
    });
    assert.equal(job.status, 'completed');
    assert.equal(progress.at(-1), 2, 'the last progress report is the whole file');
    assert.deepEqual([job.enrolled, job.rejected.map((r) => [r.row, r.code])], [1, [[3, 'unknown_email']]]);
    const enrolled = [];
    for await (const e of programs.cohorts.enrolments(cohort.id)) enrolled.push([e.person.displayName, e.role]);
    assert.deepEqual(enrolled, [['Maya Mentor', 'mentor'], ['Milo Mentee', 'mentee']]);

    const cohortRoom = await programs.cohorts.rooms.create(cohort.id, { mentorId: people.mentor ?? '', menteeId: people.mentee ?? '' });
    const roadmapId = cohortRoom.template?.roadmapId ?? '';
    assert.deepEqual((await admin.roadmaps.get(roadmapId)).milestones.map((m) => m.dueDate), ['2026-03-05']);

    await programs.templates.update(template.id, { note: 'A buddy too', milestones: [{ id: template.milestones[0]?.id, title: 'Meet the team', dayOffset: 3 }, { title: 'Pick a buddy', dayOffset: 5 }] });
    const versions = await programs.templates.versions(template.id);
    assert.deepEqual(versions.items.map((v) => v.version), [2, 1]);
    const menteePrograms = programsApi(createClient({ baseUrl: server.url, apiKey: server.apiKey, actAs: people.mentee }));
    const origin = await menteePrograms.roadmapTemplate.get(roadmapId);
    assert.equal(origin.updateAvailable, true);
    const adopted = await menteePrograms.roadmapTemplate.decide(roadmapId, { version: 2, decision: 'adopt', reason: 'A buddy helps' });
    assert.equal(adopted.version, 2);
    assert.deepEqual((await admin.roadmaps.get(roadmapId)).milestones.map((m) => m.title), ['Meet the team', 'Pick a buddy']);
  });

  it('surfaces refusals as typed errors with the field', async () => {
    const program = await programs.create({ name: 'Refusals' });
    await assert.rejects(programs.cohorts.create(program.id, { name: 'Backwards', startDate: '2026-05-01', endDate: '2026-04-01' }),
      (error: unknown) => error instanceof MenteoApiError && error.code === 'invalid_request' && error.field === 'endDate');
    const cohort = await programs.cohorts.create(program.id, { name: 'OK', startDate: '2026-05-01', endDate: '2026-06-01' });
    await assert.rejects(programs.imports.create(cohort.id, { csv: 'name\nAnn' }), (error: unknown) => error instanceof MenteoApiError && error.code === 'invalid_request' && error.field === 'csv');
    const limited = await admin.apiKeys.create({ name: 'reader', scopes: ['rooms:read'] });
    await assert.rejects(programsApi(createClient({ baseUrl: server.url, apiKey: limited.secret })).list().then((p) => p), (error: unknown) => isMenteoError(error, 'forbidden'));
  });
});
