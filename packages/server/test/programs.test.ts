// Programs, cohorts, roadmap templates and enrolment against the REAL server over HTTP on a real
// SQLite file (every answer validated against the OpenAPI document): who manages them, rooms
// started from a template, template versions that a room adopts or declines with a reason,
// idempotent enrolment, CSV imports with a dry run and rejected rows, and SCIM groups.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type {
  Cohort, CohortGroupLink, CohortRoom, CreatedScimToken, Enrolment, EnrolmentImport, Page, Person, Program, Revision, Roadmap,
  RoadmapTemplate, RoadmapTemplateVersion, TemplateOrigin,
} from '@menteo/api';
import { freePort } from './support/lti.js';
import { startServer, type Reply, type TestServer } from './support/server.js';
import { buildWorld, expectStatus, person, tokenFor, type World } from './support/world.js';

let server: TestServer;
let w: World;
let publicUrl: string;
const tok: Record<string, string> = {};

function fieldOf(reply: Reply): string | undefined {
  return (reply.body as { field?: string }).field;
}

async function ok<T>(reply: Promise<Reply<T>>, status = 200): Promise<T> {
  const r = await reply;
  expectStatus(r, status);
  return r.body;
}

/** Polls an import until it finishes; answers the finished job and every `processedRows` seen. */
async function finished(job: EnrolmentImport): Promise<{ job: EnrolmentImport; seen: number[] }> {
  const seen = [job.processedRows];
  let current = job;
  while (current.status === 'queued' || current.status === 'running') {
    await new Promise((resolve) => setTimeout(resolve, 5));
    current = await ok(server.call<EnrolmentImport>('GET', `/v1/enrolment-imports/${job.id}`));
    seen.push(current.processedRows);
  }
  return { job: current, seen };
}

async function withEmail(name: string, email: string, roles?: string[]): Promise<Person> {
  return ok(server.call<Person>('POST', '/v1/people', { body: { displayName: name, email, ...(roles ? { roles } : {}) } }), 201);
}

before(async () => {
  const port = await freePort();
  publicUrl = `http://127.0.0.1:${port}`;
  server = await startServer({ port, integrations: { publicUrl, widgetsScriptUrl: `${publicUrl}/widgets/menteo.js` } });
  w = await buildWorld(server);
  tok.adminConsole = await tokenFor(server, w.admin.id, { scopes: ['org:admin', 'roadmaps:read'] });
  tok.mentorWithAdminScope = await tokenFor(server, w.mentor.id, { scopes: ['org:admin'] });
  for (const key of ['mentor', 'mentee', 'mentee2', 'observer', 'outsider'] as const) tok[key] = await tokenFor(server, w[key].id);
});
after(async () => server.close());

describe('programs and cohorts', () => {
  let program: Program;

  it('are managed with org:admin by keys and admins; a non-admin holding the scope is refused, a widget token lacks it', async () => {
    program = await ok(server.call<Program>('POST', '/v1/programs', { body: { name: 'Engineering mentoring', description: 'Pairs across teams' } }), 201);
    assert.equal(program.status, 'active');
    const listed = await ok(server.call<Page<Program>>('GET', '/v1/programs', { auth: tok.adminConsole }));
    assert.deepEqual(listed.items.map((p) => p.id), [program.id], 'an admin signed in to the console lists programs');
    expectStatus(await server.call('GET', '/v1/programs', { auth: tok.mentorWithAdminScope }), 403, 'forbidden');
    expectStatus(await server.call('GET', '/v1/programs', { auth: tok.mentor }), 403, 'forbidden');
    expectStatus(await server.call('POST', '/v1/programs', { auth: tok.mentorWithAdminScope, body: { name: 'Mine' } }), 403, 'forbidden');
  });

  it("answers 404 for another organization's program and cohort, whoever asks", async () => {
    const cohort = await ok(server.call<Cohort>('POST', `/v1/programs/${program.id}/cohorts`, { body: { name: 'Spring', startDate: '2026-03-01', endDate: '2026-05-31' } }), 201);
    expectStatus(await server.call('GET', `/v1/programs/${program.id}`, { auth: w.other.apiKey }), 404, 'not_found');
    expectStatus(await server.call('GET', `/v1/cohorts/${cohort.id}`, { auth: w.other.apiKey }), 404, 'not_found');
    expectStatus(await server.call('PUT', `/v1/cohorts/${cohort.id}/enrolments/${w.mentee.id}`, { auth: w.other.apiKey, body: { role: 'mentee' } }), 404, 'not_found');
    const foreignPerson = await server.call('PUT', `/v1/cohorts/${cohort.id}/enrolments/${w.other.personId}`, { body: { role: 'mentee' } });
    expectStatus(foreignPerson, 404, 'not_found');
    assert.equal(fieldOf(foreignPerson), 'personId');
    expectStatus(await server.call('DELETE', `/v1/cohorts/${cohort.id}`), 204);
  });

  it('refuses bad input with problem+json naming the field', async () => {
    const empty = await server.call('POST', '/v1/programs', { body: { name: '  ' } });
    expectStatus(empty, 400, 'invalid_request');
    assert.match(empty.headers.get('content-type') ?? '', /application\/problem\+json/);
    assert.equal(fieldOf(empty), 'name');
    const backwards = await server.call('POST', `/v1/programs/${program.id}/cohorts`, { body: { name: 'Backwards', startDate: '2026-05-01', endDate: '2026-04-01' } });
    expectStatus(backwards, 400, 'invalid_request');
    assert.equal(fieldOf(backwards), 'endDate');
    const badDate = await server.call('POST', `/v1/programs/${program.id}/cohorts`, { body: { name: 'Bad', startDate: '2026-13-01', endDate: '2026-12-01' } });
    expectStatus(badDate, 400, 'invalid_request');
    assert.equal(fieldOf(badDate), 'startDate');
    const other = await ok(server.call<Program>('POST', '/v1/programs', { body: { name: 'Leadership' } }), 201);
    const foreignTemplate = await ok(server.call<RoadmapTemplate>('POST', `/v1/programs/${other.id}/roadmap-templates`, { body: { name: 'Lead' } }), 201);
    const wrong = await server.call('POST', `/v1/programs/${program.id}/cohorts`, { body: { name: 'X', startDate: '2026-01-01', endDate: '2026-02-01', templateId: foreignTemplate.id } });
    expectStatus(wrong, 404, 'not_found');
    assert.equal(fieldOf(wrong), 'templateId', "another program's template is not found for this one");
    const beyond = await server.call('POST', `/v1/programs/${program.id}/roadmap-templates`, { body: { name: 'Short', horizonDays: 30, milestones: [{ title: 'Late', dayOffset: 45 }] } });
    expectStatus(beyond, 400, 'invalid_request');
    assert.equal(fieldOf(beyond), 'milestones.0.dayOffset');
    const unknownItem = await server.call('PATCH', `/v1/roadmap-templates/${foreignTemplate.id}`, { body: { note: 'x', milestones: [{ id: 'tms_01J0000000000000000000000A', title: 'Ghost', dayOffset: 1 }] } });
    expectStatus(unknownItem, 400, 'invalid_request');
    assert.equal(fieldOf(unknownItem), 'milestones.0.id');
    const noNote = await server.call('PATCH', `/v1/roadmap-templates/${foreignTemplate.id}`, { body: { name: 'Lead 2' } });
    expectStatus(noNote, 400, 'invalid_request');
    assert.equal(fieldOf(noNote), 'note');
  });

  it('archives a program (no new cohorts), and deletes only what nothing depends on', async () => {
    const p = await ok(server.call<Program>('POST', '/v1/programs', { body: { name: 'Temporary' } }), 201);
    const c = await ok(server.call<Cohort>('POST', `/v1/programs/${p.id}/cohorts`, { body: { name: 'Only', startDate: '2026-01-01', endDate: '2026-01-31' } }), 201);
    assert.equal((await ok(server.call<Program>('PATCH', `/v1/programs/${p.id}`, { body: { status: 'archived' } }))).status, 'archived');
    expectStatus(await server.call('POST', `/v1/programs/${p.id}/cohorts`, { body: { name: 'More', startDate: '2026-01-01', endDate: '2026-01-31' } }), 409, 'conflict');
    expectStatus(await server.call('PUT', `/v1/cohorts/${c.id}/enrolments/${w.mentee.id}`, { body: { role: 'mentee' } }), 409, 'conflict');
    expectStatus(await server.call('DELETE', `/v1/programs/${p.id}`), 409, 'conflict');
    expectStatus(await server.call('DELETE', `/v1/cohorts/${c.id}`), 204);
    expectStatus(await server.call('DELETE', `/v1/programs/${p.id}`), 204);
    expectStatus(await server.call('GET', `/v1/programs/${p.id}`), 404, 'not_found');
  });
});

describe('roadmap templates and rooms in a cohort', () => {
  let program: Program;
  let template: RoadmapTemplate;
  let cohort: Cohort;
  let cohortRoom: CohortRoom;
  let roadmap: Roadmap;
  const ids: Record<string, string> = {};

  before(async () => {
    program = await ok(server.call<Program>('POST', '/v1/programs', { body: { name: 'Q1 program' } }), 201);
  });

  it('keeps a template in versions: a rename is not a version, new content is, with its note', async () => {
    template = await ok(server.call<RoadmapTemplate>('POST', `/v1/programs/${program.id}/roadmap-templates`, {
      body: {
        name: '90-day onboarding', goal: 'Ship independently', horizonDays: 90,
        milestones: [
          { title: 'Read the codebase', dayOffset: 30, requiredSkills: ['reading'], expectedOutcome: 'A map of the modules' },
          { title: 'First pull request', dayOffset: 7 },
          { title: 'Own a feature', dayOffset: 60 },
          { title: 'Give a talk', dayOffset: 80 },
          { title: 'On call shadow', dayOffset: 45 },
        ],
      },
    }), 201);
    assert.equal(template.version, 1);
    assert.deepEqual(template.milestones.map((m) => [m.title, m.dayOffset]), [['First pull request', 7], ['Read the codebase', 30], ['On call shadow', 45], ['Own a feature', 60], ['Give a talk', 80]]);
    for (const m of template.milestones) ids[m.title] = m.id;
    const renamed = await ok(server.call<RoadmapTemplate>('PATCH', `/v1/roadmap-templates/${template.id}`, { body: { note: 'Clearer name', name: 'Q1 engineering roadmap' } }));
    assert.equal(renamed.version, 1, 'a rename alone makes no version');
    assert.equal(renamed.name, 'Q1 engineering roadmap');
    template = renamed;
  });

  it('opens a room for an enrolled pair whose roadmap starts from the template: due dates are cohort start + offsets', async () => {
    cohort = await ok(server.call<Cohort>('POST', `/v1/programs/${program.id}/cohorts`, { body: { name: 'Q1 cohort', startDate: '2026-01-05', endDate: '2026-04-05', templateId: template.id } }), 201);
    const notEnrolled = await server.call('POST', `/v1/cohorts/${cohort.id}/rooms`, { body: { mentorId: w.mentor.id, menteeId: w.mentee.id } });
    expectStatus(notEnrolled, 400, 'invalid_request');
    assert.equal(fieldOf(notEnrolled), 'mentorId');
    await ok(server.call('PUT', `/v1/cohorts/${cohort.id}/enrolments/${w.mentor.id}`, { body: { role: 'mentor' } }));
    await ok(server.call('PUT', `/v1/cohorts/${cohort.id}/enrolments/${w.mentee.id}`, { body: { role: 'mentee' } }));
    const wrongRole = await server.call('POST', `/v1/cohorts/${cohort.id}/rooms`, { body: { mentorId: w.mentee.id, menteeId: w.mentor.id } });
    expectStatus(wrongRole, 400, 'invalid_request');
    assert.equal(fieldOf(wrongRole), 'mentorId');
    cohortRoom = await ok(server.call<CohortRoom>('POST', `/v1/cohorts/${cohort.id}/rooms`, { body: { mentorId: w.mentor.id, menteeId: w.mentee.id } }), 201);
    assert.equal(cohortRoom.room.title, 'Tom Mentee · Q1 cohort');
    assert.deepEqual(cohortRoom.room.members.map((m) => [m.person.id, m.role]), [[w.mentor.id, 'mentor'], [w.mentee.id, 'mentee']]);
    assert.ok(cohortRoom.template);
    assert.equal(cohortRoom.template.version, 1);
    assert.equal(cohortRoom.template.updateAvailable, false);
    roadmap = await ok(server.call<Roadmap>('GET', `/v1/roadmaps/${cohortRoom.template.roadmapId}`, { auth: tok.mentee }));
    assert.equal(roadmap.owner.id, w.mentee.id);
    assert.equal(roadmap.startDate, '2026-01-05');
    assert.equal(roadmap.goal, 'Ship independently');
    assert.deepEqual(roadmap.milestones.map((m) => [m.title, m.dueDate]), [
      ['First pull request', '2026-01-12'], ['Read the codebase', '2026-02-04'], ['On call shadow', '2026-02-19'], ['Own a feature', '2026-03-06'], ['Give a talk', '2026-03-26'],
    ]);
    assert.deepEqual(roadmap.milestones.find((m) => m.title === 'Read the codebase')?.requiredSkills, ['reading']);
    const [created] = (await ok(server.call<Page<Revision>>('GET', `/v1/roadmaps/${roadmap.id}/revisions`, { auth: tok.mentee }))).items;
    assert.equal(created?.kind, 'created');
    assert.equal(created?.reason, 'Started from the template "Q1 engineering roadmap", version 1');
    const twice = await server.call('POST', `/v1/cohorts/${cohort.id}/rooms`, { body: { mentorId: w.mentor.id, menteeId: w.mentee.id } });
    expectStatus(twice, 409, 'conflict');
    const listed = await ok(server.call<Page<CohortRoom>>('GET', `/v1/cohorts/${cohort.id}/rooms`));
    assert.deepEqual(listed.items.map((r) => r.room.id), [cohortRoom.room.id]);
    assert.equal((await ok(server.call<Cohort>('GET', `/v1/cohorts/${cohort.id}`))).roomCount, 1);
  });

  it('never rewrites a running roadmap when the template changes: the room sees the new version and what it would change', async () => {
    const m = (title: string) => roadmap.milestones.find((x) => x.title === title)?.id ?? '';
    await ok(server.call('POST', `/v1/rooms/${cohortRoom.room.id}/members`, { body: { personId: w.observer.id, role: 'observer' } }), 201);
    // The room works on its roadmap: its own description, a milestone done, one removed.
    await ok(server.call('PATCH', `/v1/roadmaps/${roadmap.id}/milestones/${m('First pull request')}`, { auth: tok.mentee, body: { reason: 'Our words', description: 'Any repository' } }));
    await ok(server.call('PATCH', `/v1/roadmaps/${roadmap.id}/milestones/${m('Read the codebase')}`, { auth: tok.mentee, body: { reason: 'Done early', status: 'done' } }));
    await ok(server.call('POST', `/v1/roadmaps/${roadmap.id}/milestones/${m('Give a talk')}/remove`, { auth: tok.mentor, body: { reason: 'Not for this mentee' } }));
    const before = await ok(server.call<Roadmap>('GET', `/v1/roadmaps/${roadmap.id}`, { auth: tok.mentee }));

    const v2 = await ok(server.call<RoadmapTemplate>('PATCH', `/v1/roadmap-templates/${template.id}`, {
      body: {
        note: 'Sharper first step; reading and on-call folded into the feature; a retrospective at the end',
        milestones: [
          { id: ids['First pull request'], title: 'First merged pull request', dayOffset: 10 },
          { id: ids['Own a feature'], title: 'Own a feature', dayOffset: 60 },
          { id: ids['Give a talk'], title: 'Give a lightning talk', dayOffset: 80 },
          { title: 'Retrospective', dayOffset: 88, expectedOutcome: 'What to keep' },
        ],
      },
    }));
    assert.equal(v2.version, 2);
    const versions = await ok(server.call<Page<RoadmapTemplateVersion>>('GET', `/v1/roadmap-templates/${template.id}/versions`));
    assert.deepEqual(versions.items.map((v) => [v.version, v.note]), [[2, 'Sharper first step; reading and on-call folded into the feature; a retrospective at the end'], [1, 'Template created']]);

    const after = await ok(server.call<Roadmap>('GET', `/v1/roadmaps/${roadmap.id}`, { auth: tok.mentee }));
    assert.deepEqual(after, before, 'the running roadmap is untouched');
    const origin = await ok(server.call<TemplateOrigin>('GET', `/v1/roadmaps/${roadmap.id}/template`, { auth: tok.observer }));
    assert.equal(origin.version, 1);
    assert.equal(origin.latestVersion, 2);
    assert.equal(origin.updateAvailable, true);
    assert.equal(origin.latestNote, 'Sharper first step; reading and on-call folded into the feature; a retrospective at the end');
    assert.deepEqual(origin.pendingChanges.map((c) => [c.field, c.from, c.to]), [
      ['title', 'First pull request', 'First merged pull request'],
      ['dueDate', '2026-01-12', '2026-01-15'],
      ['milestone', null, 'Retrospective'],
      // "Read the codebase" is done: kept although the template drops it. "Give a talk" was removed by the room: not brought back.
      ['milestone', 'On call shadow', null],
      ['dueDate', '2026-02-19', null],
    ]);
  });

  it('lets the room decline with a reason (nothing changes), and offers the next version again', async () => {
    expectStatus(await server.call('POST', `/v1/roadmaps/${roadmap.id}/template/decisions`, { auth: tok.observer, body: { version: 2, decision: 'decline', reason: 'x' } }), 403, 'forbidden');
    expectStatus(await server.call('POST', `/v1/roadmaps/${roadmap.id}/template/decisions`, { auth: tok.outsider, body: { version: 2, decision: 'decline', reason: 'x' } }), 404, 'not_found');
    expectStatus(await server.call('GET', `/v1/roadmaps/${roadmap.id}/template`, { auth: tok.outsider }), 404, 'not_found');
    const noReason = await server.call('POST', `/v1/roadmaps/${roadmap.id}/template/decisions`, { auth: tok.mentee, body: { version: 2, decision: 'decline' } });
    expectStatus(noReason, 400, 'invalid_request');
    assert.equal(fieldOf(noReason), 'reason');
    const stale = await server.call('POST', `/v1/roadmaps/${roadmap.id}/template/decisions`, { auth: tok.mentee, body: { version: 3, decision: 'adopt', reason: 'x' } });
    expectStatus(stale, 409, 'conflict');
    assert.equal(fieldOf(stale), 'version');
    const before = await ok(server.call<Roadmap>('GET', `/v1/roadmaps/${roadmap.id}`, { auth: tok.mentee }));
    const declined = await ok(server.call<TemplateOrigin>('POST', `/v1/roadmaps/${roadmap.id}/template/decisions`, { auth: tok.mentee, body: { version: 2, decision: 'decline', reason: 'Mid-sprint; we will look again at the next version' } }));
    assert.equal(declined.updateAvailable, false);
    assert.equal(declined.version, 1);
    assert.equal(declined.lastDecision?.decision, 'declined');
    assert.equal(declined.lastDecision?.reason, 'Mid-sprint; we will look again at the next version');
    assert.equal(declined.lastDecision?.decidedBy.id, w.mentee.id);
    assert.deepEqual(await ok(server.call<Roadmap>('GET', `/v1/roadmaps/${roadmap.id}`, { auth: tok.mentee })), before, 'declining changes nothing');

    const v3 = await ok(server.call<RoadmapTemplate>('PATCH', `/v1/roadmap-templates/${template.id}`, { body: { note: 'A clearer goal', goal: 'Ship and support independently' } }));
    assert.equal(v3.version, 3);
    const offered = await ok(server.call<TemplateOrigin>('GET', `/v1/roadmaps/${roadmap.id}/template`, { auth: tok.mentor }));
    assert.equal(offered.updateAvailable, true, 'a newer version than the declined one is offered');
    assert.ok(offered.pendingChanges.some((c) => c.field === 'goal' && c.to === 'Ship and support independently'));
  });

  it('adopts a version as one roadmap revision carrying the reason, keeping the room\'s own edits', async () => {
    const before = await ok(server.call<Roadmap>('GET', `/v1/roadmaps/${roadmap.id}`, { auth: tok.mentor }));
    const adopted = await ok(server.call<TemplateOrigin>('POST', `/v1/roadmaps/${roadmap.id}/template/decisions`, {
      auth: tok.mentor, body: { version: 3, decision: 'adopt', reason: 'The retrospective helps; the new goal fits', baseVersion: before.version },
    }));
    assert.equal(adopted.version, 3);
    assert.equal(adopted.updateAvailable, false);
    assert.deepEqual(adopted.pendingChanges, []);
    assert.equal(adopted.lastDecision?.decision, 'adopted');
    const now = await ok(server.call<Roadmap>('GET', `/v1/roadmaps/${roadmap.id}`, { auth: tok.mentee }));
    assert.equal(now.version, before.version + 1);
    assert.equal(now.goal, 'Ship and support independently');
    assert.deepEqual(now.milestones.map((x) => [x.title, x.dueDate, x.status]), [
      ['First merged pull request', '2026-01-15', 'planned'], ['Read the codebase', '2026-02-04', 'done'], ['Own a feature', '2026-03-06', 'planned'], ['Retrospective', '2026-04-03', 'planned'],
    ]);
    assert.equal(now.milestones[0]?.description, 'Any repository', "the room's own description stays (the template did not change it)");
    assert.equal(now.milestones[3]?.expectedOutcome, 'What to keep');
    const [revision] = (await ok(server.call<Page<Revision>>('GET', `/v1/roadmaps/${roadmap.id}/revisions`, { auth: tok.mentee }))).items;
    assert.equal(revision?.kind, 'template_adopted');
    assert.equal(revision?.reason, 'The retrospective helps; the new goal fits');
    assert.equal(revision?.author.id, w.mentor.id);
    assert.deepEqual(revision?.changes[0], { milestoneId: null, field: 'templateVersion', from: 1, to: 3 });
    const added = now.milestones[3]?.id;
    assert.ok(revision?.changes.some((c) => c.field === 'milestone' && c.milestoneId === added && c.to === 'Retrospective'), 'the revision names the added milestone');
    expectStatus(await server.call('POST', `/v1/roadmaps/${roadmap.id}/template/decisions`, { auth: tok.mentor, body: { version: 3, decision: 'adopt', reason: 'again' } }), 409, 'conflict');
    const stale = await server.call('POST', `/v1/roadmaps/${roadmap.id}/template/decisions`, { auth: tok.mentor, body: { version: 4, decision: 'adopt', reason: 'x', baseVersion: 1 } });
    expectStatus(stale, 409, 'conflict');
  });

  it('keeps a template that a cohort or a roadmap uses', async () => {
    expectStatus(await server.call('DELETE', `/v1/roadmap-templates/${template.id}`), 409, 'conflict');
    expectStatus(await server.call('DELETE', `/v1/cohorts/${cohort.id}`), 409, 'conflict');
  });
});

describe('enrolment', () => {
  let cohort: Cohort;
  const people: Record<string, Person> = {};

  before(async () => {
    const program = await ok(server.call<Program>('POST', '/v1/programs', { body: { name: 'Enrolment program' } }), 201);
    cohort = await ok(server.call<Cohort>('POST', `/v1/programs/${program.id}/cohorts`, { body: { name: 'Autumn', startDate: '2026-09-01', endDate: '2026-11-30' } }), 201);
    people.ann = await withEmail('Ann Arbor', 'ann@acme.test');
    people.bob = await withEmail('Bob Baker', 'Bob@Acme.test');
    people.cy = await withEmail('Cy Carter', 'cy@acme.test');
    people.dee = await withEmail('Dee Dormant', 'dee@acme.test');
    await ok(server.call('PATCH', `/v1/people/${people.dee.id}`, { body: { active: false } }));
  });

  it('is idempotent by API: the same enrolment twice is one, another role replaces it, unenrolling twice is fine', async () => {
    const first = await ok(server.call<Enrolment>('PUT', `/v1/cohorts/${cohort.id}/enrolments/${people.ann?.id}`, { body: { role: 'mentee' } }));
    const again = await ok(server.call<Enrolment>('PUT', `/v1/cohorts/${cohort.id}/enrolments/${people.ann?.id}`, { body: { role: 'mentee' } }));
    assert.deepEqual(again, first, 'the same call again changes nothing');
    assert.equal(first.source, 'api');
    const list = await ok(server.call<Page<Enrolment>>('GET', `/v1/cohorts/${cohort.id}/enrolments`));
    assert.deepEqual(list.items.map((e) => [e.person.id, e.role]), [[people.ann?.id, 'mentee']]);
    const mentor = await ok(server.call<Enrolment>('PUT', `/v1/cohorts/${cohort.id}/enrolments/${people.ann?.id}`, { body: { role: 'mentor' } }));
    assert.equal(mentor.role, 'mentor');
    assert.equal((await ok(server.call<Cohort>('GET', `/v1/cohorts/${cohort.id}`))).mentorCount, 1);
    const badRole = await server.call('PUT', `/v1/cohorts/${cohort.id}/enrolments/${people.ann?.id}`, { body: { role: 'observer' } });
    expectStatus(badRole, 400, 'invalid_request');
    assert.equal(fieldOf(badRole), 'role');
    expectStatus(await server.call('DELETE', `/v1/cohorts/${cohort.id}/enrolments/${people.ann?.id}`), 204);
    expectStatus(await server.call('DELETE', `/v1/cohorts/${cohort.id}/enrolments/${people.ann?.id}`), 204);
    assert.deepEqual((await ok(server.call<Page<Enrolment>>('GET', `/v1/cohorts/${cohort.id}/enrolments`))).items, []);
  });

  it('lets the people enrolled read their cohort, and no one else without org:admin', async () => {
    const reader = await person(server, 'Rae Reader');
    await ok(server.call('PUT', `/v1/cohorts/${cohort.id}/enrolments/${reader.id}`, { body: { role: 'mentee' } }));
    const token = await tokenFor(server, reader.id);
    assert.equal((await ok(server.call<Cohort>('GET', `/v1/cohorts/${cohort.id}`, { auth: token }))).name, 'Autumn');
    expectStatus(await server.call('GET', `/v1/cohorts/${cohort.id}`, { auth: tok.outsider }), 404, 'not_found');
    const limited = await tokenFor(server, reader.id, { roomIds: [w.room.id] });
    expectStatus(await server.call('GET', `/v1/cohorts/${cohort.id}`, { auth: limited }), 404, 'not_found');
    expectStatus(await server.call('GET', `/v1/cohorts/${cohort.id}/enrolments`, { auth: token }), 403, 'forbidden');
    expectStatus(await server.call('DELETE', `/v1/cohorts/${cohort.id}/enrolments/${reader.id}`), 204);
    expectStatus(await server.call('GET', `/v1/cohorts/${cohort.id}`, { auth: token }), 404, 'not_found');
  });

  it('dry-runs a CSV import: what would happen, and each rejected row with its number and why; nothing is enrolled', async () => {
    await ok(server.call('PUT', `/v1/cohorts/${cohort.id}/enrolments/${people.cy?.id}`, { body: { role: 'mentor' } }));
    const csv = [
      '\uFEFFName,Email,Role',
      '"Arbor, Ann",ann@acme.test,mentee',
      'Bob,BOB@acme.test,Mentor',
      'Cy,cy@acme.test,mentor',
      'Nobody,nobody@acme.test,mentee',
      'Ann again,Ann@Acme.test,mentee',
      'Wrong,cy@acme.test,boss',
      'No email,,mentee',
      'Dee,dee@acme.test,mentee',
      '"Multi',
      'line",cy@acme.test,mentee',
    ].join('\r\n');
    const created = await server.call<EnrolmentImport>('POST', `/v1/cohorts/${cohort.id}/enrolment-imports`, { body: { csv, dryRun: true } });
    expectStatus(created, 202);
    assert.equal(created.body.dryRun, true);
    assert.equal(created.body.totalRows, 9);
    const { job } = await finished(created.body);
    assert.equal(job.status, 'completed');
    assert.deepEqual([job.processedRows, job.enrolled, job.roleChanged, job.unchanged], [9, 2, 0, 1]);
    assert.deepEqual(job.rejected.map((r) => [r.row, r.email, r.code]), [
      [5, 'nobody@acme.test', 'unknown_email'],
      [6, 'Ann@Acme.test', 'duplicate'],
      [7, 'cy@acme.test', 'bad_role'],
      [8, null, 'missing_email'],
      [9, 'dee@acme.test', 'inactive_person'],
      [10, 'cy@acme.test', 'duplicate'],
    ]);
    assert.match(job.rejected[1]?.message ?? '', /row 2/);
    const list = await ok(server.call<Page<Enrolment>>('GET', `/v1/cohorts/${cohort.id}/enrolments`));
    assert.deepEqual(list.items.map((e) => e.person.id), [people.cy?.id], 'a dry run enrols no one');
  });

  it('imports for real, and the same file again changes nothing; JSON rows work the same way', async () => {
    const csv = 'email,role\nann@acme.test,mentee\nbob@acme.test,mentor\ncy@acme.test,mentee\n';
    const { job } = await finished(await ok(server.call<EnrolmentImport>('POST', `/v1/cohorts/${cohort.id}/enrolment-imports`, { body: { csv } }), 202));
    assert.deepEqual([job.status, job.enrolled, job.roleChanged, job.unchanged, job.rejected.length], ['completed', 2, 1, 0, 0]);
    const list = await ok(server.call<Page<Enrolment>>('GET', `/v1/cohorts/${cohort.id}/enrolments`));
    assert.deepEqual(list.items.map((e) => [e.person.displayName, e.role, e.source]).sort(), [['Ann Arbor', 'mentee', 'import'], ['Bob Baker', 'mentor', 'import'], ['Cy Carter', 'mentee', 'import']]);
    const again = (await finished(await ok(server.call<EnrolmentImport>('POST', `/v1/cohorts/${cohort.id}/enrolment-imports`, { body: { csv } }), 202))).job;
    assert.deepEqual([again.enrolled, again.roleChanged, again.unchanged], [0, 0, 3]);
    const rows = (await finished(await ok(server.call<EnrolmentImport>('POST', `/v1/cohorts/${cohort.id}/enrolment-imports`, {
      body: { rows: [{ email: 'ann@acme.test', role: 'mentee' }, { email: 'zed@acme.test', role: 'mentee' }] },
    }), 202))).job;
    assert.deepEqual([rows.unchanged, rows.rejected.map((r) => [r.row, r.code])], [1, [[2, 'unknown_email']]]);
  });

  it('starts one job for one Idempotency-Key: a retried import answers the same job', async () => {
    const headers = { 'idempotency-key': `import-${Date.now()}` };
    const body = { rows: [{ email: 'ann@acme.test', role: 'mentee' }], dryRun: true };
    const first = await ok(server.call<EnrolmentImport>('POST', `/v1/cohorts/${cohort.id}/enrolment-imports`, { body, headers }), 202);
    const retry = await ok(server.call<EnrolmentImport>('POST', `/v1/cohorts/${cohort.id}/enrolment-imports`, { body, headers }), 202);
    assert.equal(retry.id, first.id);
    const jobs = await server.db.selectFrom('enrolment_imports').select('id').where('cohort_id', '=', cohort.id).where('created_at', '=', first.createdAt).execute();
    assert.deepEqual(jobs.map((j) => j.id), [first.id]);
    assert.equal((await finished(first)).job.status, 'completed');
  });

  it('refuses a file it cannot read as a whole, naming the csv field', async () => {
    for (const csv of ['name,role\nAnn,mentee', 'email,role\n"ann@acme.test,mentee', 'email,role\n']) {
      const r = await server.call('POST', `/v1/cohorts/${cohort.id}/enrolment-imports`, { body: { csv } });
      expectStatus(r, 400, 'invalid_request');
      assert.equal(fieldOf(r), 'csv', csv);
    }
    const cases: [unknown, string][] = [
      [{ csv: 'email,role\nann@acme.test,mentee', rows: [{ email: 'ann@acme.test', role: 'mentee' }] }, 'csv'],
      [{}, 'csv'],
      [{ csv: 5 }, 'csv'],
      [{ rows: [{ email: 'ann@acme.test' }] }, 'rows.0.role'],
      [{ rows: [] }, 'rows'],
    ];
    for (const [body, field] of cases) {
      const r = await server.call('POST', `/v1/cohorts/${cohort.id}/enrolment-imports`, { body });
      expectStatus(r, 400, 'invalid_request');
      assert.equal(fieldOf(r), field, JSON.stringify(body));
    }
  });

  it('resumes an import a stopped server left running, from its last whole batch, when it is next polled', async () => {
    // As a server that stopped after committing the first batch leaves it: one row done, two to go.
    const id = 'imp_01J00000000000000000000RSM';
    await server.db.insertInto('enrolment_imports').values({
      id, org_id: server.orgId, cohort_id: cohort.id, dry_run: 1, status: 'running',
      rows: JSON.stringify([{ row: 2, email: 'zed@acme.test', role: 'mentee' }, { row: 3, email: 'ZED@acme.test', role: 'mentee' }, { row: 4, email: 'ann@acme.test', role: 'mentor' }]),
      total_rows: 3, processed_rows: 1, enrolled: 0, role_changed: 0, unchanged: 0,
      rejected: JSON.stringify([{ row: 2, email: 'zed@acme.test', code: 'unknown_email', message: 'No person of the organization has this email.' }]),
      error: null, created_at: new Date().toISOString(), finished_at: null,
    }).execute();
    const first = await ok(server.call<EnrolmentImport>('GET', `/v1/enrolment-imports/${id}`));
    const { job } = await finished(first);
    assert.equal(job.status, 'completed');
    assert.equal(job.processedRows, 3);
    assert.deepEqual(job.rejected.map((r) => [r.row, r.code]), [[2, 'unknown_email'], [3, 'duplicate']], 'row 2 is counted once; row 3 is still a duplicate of it');
    assert.equal(job.roleChanged, 1, 'Ann (a mentee) would become a mentor');
  });

  it('runs a large import as a job whose progress moves until every row is processed', async () => {
    const lines = ['email,role'];
    for (let i = 0; i < 1500; i++) lines.push(`missing-${i}@acme.test,mentee`);
    const created = await ok(server.call<EnrolmentImport>('POST', `/v1/cohorts/${cohort.id}/enrolment-imports`, { body: { csv: lines.join('\n'), dryRun: true } }), 202);
    assert.equal(created.totalRows, 1500);
    const { job, seen } = await finished(created);
    assert.equal(job.status, 'completed');
    assert.equal(job.processedRows, 1500);
    assert.equal(job.rejected.length, 1500);
    assert.deepEqual(seen, [...seen].sort((a, b) => a - b), 'progress never goes back');
    expectStatus(await server.call('GET', `/v1/enrolment-imports/${job.id}`, { auth: w.other.apiKey }), 404, 'not_found');
  });
});

describe('SCIM groups mapped to cohort roles', () => {
  let cohort: Cohort;
  let scimToken: CreatedScimToken;
  const users: Record<string, { id: string; personId: string }> = {};
  let groupId: string;

  function scim(method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(`${publicUrl}/scim/v2${path}`, {
      method,
      headers: { authorization: `Bearer ${scimToken.secret}`, accept: 'application/scim+json', ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }

  async function enrolled(): Promise<[string, string, string][]> {
    const list = await ok(server.call<Page<Enrolment>>('GET', `/v1/cohorts/${cohort.id}/enrolments`));
    return list.items.map((e): [string, string, string] => [e.person.displayName, e.role, e.source]).sort();
  }

  before(async () => {
    const program = await ok(server.call<Program>('POST', '/v1/programs', { body: { name: 'SCIM program' } }), 201);
    cohort = await ok(server.call<Cohort>('POST', `/v1/programs/${program.id}/cohorts`, { body: { name: 'Directory cohort', startDate: '2026-02-01', endDate: '2026-06-30' } }), 201);
    scimToken = await ok(server.call<CreatedScimToken>('POST', '/v1/integrations/scim/tokens', { body: { label: 'Okta' } }), 201);
    for (const name of ['Gina', 'Hal', 'Ivy']) {
      const response = await scim('POST', '/Users', {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `${name.toLowerCase()}@acme.test`, displayName: `${name} Group`,
        emails: [{ primary: true, value: `${name.toLowerCase()}@acme.test` }], externalId: `ext-${name}`, active: true,
      });
      const user = (await response.json()) as { id: string };
      assert.equal(response.status, 201, JSON.stringify(user));
      const p = await ok(server.call<Page<Person>>('GET', `/v1/people?externalId=ext-${name}`));
      users[name] = { id: user.id, personId: p.items[0]?.id ?? '' };
    }
    const response = await scim('POST', '/Groups', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Q1 mentees', members: [{ value: users.Gina?.id }, { value: users.Hal?.id }],
    });
    const group = (await response.json()) as { id: string };
    assert.equal(response.status, 201, JSON.stringify(group));
    groupId = group.id;
  });

  it('enrols the members of a linked group with its role, and follows the group as people join and leave', async () => {
    const missing = await server.call('PUT', `/v1/cohorts/${cohort.id}/scim-groups/no-such-group`, { body: { role: 'mentee' } });
    expectStatus(missing, 404, 'not_found');
    assert.equal(fieldOf(missing), 'groupId');
    // Ivy is enrolled by hand as a mentor: the group does not take her over.
    await ok(server.call('PUT', `/v1/cohorts/${cohort.id}/enrolments/${users.Ivy?.personId}`, { body: { role: 'mentor' } }));
    const link = await ok(server.call<CohortGroupLink>('PUT', `/v1/cohorts/${cohort.id}/scim-groups/${groupId}`, { body: { role: 'mentee' } }));
    assert.deepEqual([link.groupName, link.role, link.memberCount], ['Q1 mentees', 'mentee', 2]);
    assert.deepEqual(await enrolled(), [['Gina Group', 'mentee', 'scim'], ['Hal Group', 'mentee', 'scim'], ['Ivy Group', 'mentor', 'api']]);

    const patch = (operations: unknown[]) => scim('PATCH', `/Groups/${groupId}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: operations });
    const left = await patch([{ op: 'remove', path: `members[value eq "${users.Hal?.id}"]` }]);
    assert.equal(left.status, 200, await left.clone().text());
    assert.deepEqual(await enrolled(), [['Gina Group', 'mentee', 'scim'], ['Ivy Group', 'mentor', 'api']], 'Hal left the group: unenrolled');
    const joined = await patch([{ op: 'add', path: 'members', value: [{ value: users.Ivy?.id }, { value: users.Hal?.id }] }]);
    assert.equal(joined.status, 200, await joined.clone().text());
    assert.deepEqual(await enrolled(), [['Gina Group', 'mentee', 'scim'], ['Hal Group', 'mentee', 'scim'], ['Ivy Group', 'mentor', 'api']], 'Hal is back; Ivy keeps her own enrolment');
    const lists = await ok(server.call<Page<CohortGroupLink>>('GET', `/v1/cohorts/${cohort.id}/scim-groups`));
    assert.deepEqual(lists.items.map((l) => [l.groupId, l.memberCount]), [[groupId, 2]]);
  });

  it('unenrols what a group enrolled when the link goes, and when the group is deleted', async () => {
    expectStatus(await server.call('DELETE', `/v1/cohorts/${cohort.id}/scim-groups/${groupId}`), 204);
    assert.deepEqual(await enrolled(), [['Ivy Group', 'mentor', 'api']]);
    expectStatus(await server.call('DELETE', `/v1/cohorts/${cohort.id}/scim-groups/${groupId}`), 404, 'not_found');
    await ok(server.call('PUT', `/v1/cohorts/${cohort.id}/scim-groups/${groupId}`, { body: { role: 'mentor' } }));
    assert.deepEqual(await enrolled(), [['Gina Group', 'mentor', 'scim'], ['Hal Group', 'mentor', 'scim'], ['Ivy Group', 'mentor', 'api']]);
    const deleted = await scim('DELETE', `/Groups/${groupId}`);
    assert.equal(deleted.status, 204);
    assert.deepEqual(await enrolled(), [['Ivy Group', 'mentor', 'api']]);
    assert.deepEqual((await ok(server.call<Page<CohortGroupLink>>('GET', `/v1/cohorts/${cohort.id}/scim-groups`))).items, []);
  });
});
