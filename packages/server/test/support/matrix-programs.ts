// The authorization matrix's programs part (issue 10): a program world in each organization,
// built over HTTP on first use and shared by every cell, and one entry per programs operation.
//
// The world: in A, a program (private description), a template, a cohort (private name) where
// M1 is enrolled as mentor and E1 as mentee, their cohort room (M1 mentor, E1 mentee and owner of
// the roadmap started from the template), a template version 2 the room has not decided about,
// and a SCIM group; the same shape in B with GB as the mentor and a fresh mentee. Managing takes
// `org:admin` and the organization-wide view (every key of the model has it; no token does); a
// cohort is also read by the people enrolled in it, unless their token is limited to rooms; the
// template origin is read like the room, and decided by the roadmap's editors.
import { randomBytes } from 'node:crypto';
import type { Entry, RequestSpec } from './matrix-table.js';
import type { Fixture } from './matrix-fixture.js';
import { isAdmin, orgWide, type Caller, type OrgKey, type PersonKey } from './matrix-model.js';

/** The program world of both organizations. */
export interface ProgramsWorld {
  readonly programs: Record<OrgKey, string>;
  readonly templates: Record<OrgKey, string>;
  readonly cohorts: Record<OrgKey, string>;
  /** The roadmap of each organization's cohort room. */
  readonly roadmaps: Record<OrgKey, string>;
  readonly groups: Record<OrgKey, string>;
  readonly imports: Record<OrgKey, string>;
}

const ORGS = ['A', 'B'] as const satisfies readonly OrgKey[];
/** Who is enrolled in each organization's cohort and pairs in its room: [mentor, mentee]. */
const PAIR: Record<OrgKey, readonly [PersonKey, PersonKey | null]> = { A: ['M1', 'E1'], B: ['GB', null] };

const built = new WeakMap<Fixture, Promise<ProgramsWorld>>();

function keyOf(fx: Fixture, org: OrgKey) {
  return { auth: fx.asPerson(org === 'A' ? 'M1' : 'GB').auth };
}

async function expect201<T>(fx: Fixture, path: string, org: OrgKey, body: unknown, method = 'POST', status = 201): Promise<T> {
  const answer = await fx.send(method, path, keyOf(fx, org), body);
  if (answer.status !== status) throw new Error(`programs fixture: ${method} ${path} answered ${answer.status}: ${answer.text.slice(0, 300)}`);
  return answer.body as T;
}

function suffix(): string {
  return randomBytes(6).toString('hex');
}

async function build(fx: Fixture): Promise<ProgramsWorld> {
  const mark = (label: string, readers: (c: Caller) => boolean): string => {
    const text = `mkr${randomBytes(8).toString('hex')}`;
    fx.markers.push({ text, label, readers });
    return text;
  };
  const world = { programs: {}, templates: {}, cohorts: {}, roadmaps: {}, groups: {}, imports: {} } as {
    -readonly [K in keyof ProgramsWorld]: Record<OrgKey, string>;
  };
  for (const org of ORGS) {
    const program = await expect201<{ id: string }>(fx, '/v1/programs', org, { name: 'Program', description: `About ${mark(`${org} program description`, (c) => managesIn(c, org))}` });
    const template = await expect201<{ id: string; milestones: { id: string }[] }>(fx, `/v1/programs/${program.id}/roadmap-templates`, org, {
      name: 'Template', milestones: [{ title: 'First', dayOffset: 7 }],
    });
    const cohort = await expect201<{ id: string }>(fx, `/v1/programs/${program.id}/cohorts`, org, {
      name: `Cohort ${mark(`${org} cohort name`, (c) => readsCohort(c, org))}`, startDate: '2026-01-05', endDate: '2026-04-05', templateId: template.id,
    });
    const [mentorKey, menteeKey] = PAIR[org];
    const mentorId = fx.people[mentorKey];
    const menteeId = menteeKey === null ? await fx.fresh.person(org) : fx.people[menteeKey];
    await expect201(fx, `/v1/cohorts/${cohort.id}/enrolments/${mentorId}`, org, { role: 'mentor' }, 'PUT', 200);
    await expect201(fx, `/v1/cohorts/${cohort.id}/enrolments/${menteeId}`, org, { role: 'mentee' }, 'PUT', 200);
    const room = await expect201<{ template: { roadmapId: string } }>(fx, `/v1/cohorts/${cohort.id}/rooms`, org, { mentorId, menteeId, title: 'Cohort room', purpose: 'Cohort pair' });
    // Version 2, so the room has a decision to make.
    await expect201(fx, `/v1/roadmap-templates/${template.id}`, org, { note: 'Second step', milestones: [{ id: template.milestones[0]?.id, title: 'First', dayOffset: 7 }, { title: 'Second', dayOffset: 30 }] }, 'PATCH', 200);
    const job = await expect201<{ id: string }>(fx, `/v1/cohorts/${cohort.id}/enrolment-imports`, org, { rows: [{ email: 'nobody@example.com', role: 'mentee' }], dryRun: true }, 'POST', 202);
    const groupId = `scimg_matrix_${org}_${suffix()}`;
    await insertGroup(fx, org, groupId);
    world.programs[org] = program.id;
    world.templates[org] = template.id;
    world.cohorts[org] = cohort.id;
    world.roadmaps[org] = room.template.roadmapId;
    world.groups[org] = groupId;
    world.imports[org] = job.id;
  }
  return world;
}

/** A SCIM group as the directory stores it (the SCIM endpoint is tested in programs.test.ts). */
async function insertGroup(fx: Fixture, org: OrgKey, id: string): Promise<void> {
  const now = new Date().toISOString();
  await fx.server.db.insertInto('people_groups').values({ id, org_id: fx.orgs[org], external_id: null, display_name: 'Matrix group', source: 'scim', created_at: now, updated_at: now }).execute();
}

/** The programs world of this fixture, built once. */
export function programsOf(fx: Fixture): Promise<ProgramsWorld> {
  let world = built.get(fx);
  if (!world) {
    world = build(fx);
    built.set(fx, world);
  }
  return world;
}

// ---- The rules, restated over the model ----

/** Manages programs of `org`: an organization-wide caller of it holding `org:admin`. */
function managesIn(c: Caller, org: OrgKey): boolean {
  return c.valid && c.org === org && orgWide(c) && c.scopes.has('org:admin');
}

/** Reads `org`'s cohort: its managers, and the people enrolled (not through a room-limited token). */
function readsCohort(c: Caller, org: OrgKey): boolean {
  if (managesIn(c, org)) return true;
  const enrolled = PAIR[org].filter((p): p is PersonKey => p !== null);
  return c.valid && c.org === org && c.person !== null && enrolled.includes(c.person) && c.roomLimit === null;
}

/** Reads the cohort room of `org` (M1 and E1 in A, GB in B): as any room. */
function readsCohortRoom(c: Caller, org: OrgKey): boolean {
  if (!c.valid || c.org !== org || c.roomLimit !== null) return false;
  return orgWide(c) || (c.person !== null && PAIR[org].includes(c.person));
}

/** Edits the cohort room's roadmap: its mentor, its owning mentee, or an admin / a key naming no one. */
function editsCohortRoadmap(c: Caller, org: OrgKey): boolean {
  if (c.person !== null && PAIR[org].includes(c.person)) return true;
  return c.person === null ? orgWide(c) : isAdmin(c.person);
}

// ---- Entries ----

type Build = (fx: Fixture, world: ProgramsWorld, org: OrgKey) => RequestSpec | Promise<RequestSpec>;

function onOrgs(expect: (c: Caller, org: OrgKey) => number, request: Build): Entry {
  return {
    targets: ORGS,
    expect: expect as Entry['expect'],
    request: async (fx, target) => request(fx, await programsOf(fx), target as OrgKey),
  };
}

/**
 * A token that carries org:admin for someone who is not an organization admin (a host may mint any
 * scope for anyone): refused with 403 before any lookup, so it learns nothing of the resource.
 */
function scopeWithoutRole(c: Caller): boolean {
  return c.kind === 'token' && c.scopes.has('org:admin') && !orgWide(c);
}

/** A management operation: 403 for a scope without the role, done for the organization's managers, 404 for anyone else who passed the gate. */
const manage = (done: number, request: Build): Entry => onOrgs((c, org) => (scopeWithoutRole(c) ? 403 : managesIn(c, org) ? done : 404), request);

const fresh = {
  async program(fx: Fixture, org: OrgKey): Promise<string> {
    return (await expect201<{ id: string }>(fx, '/v1/programs', org, { name: 'Fresh program' })).id;
  },
  async cohort(fx: Fixture, world: ProgramsWorld, org: OrgKey): Promise<string> {
    return (await expect201<{ id: string }>(fx, `/v1/programs/${world.programs[org]}/cohorts`, org, { name: 'Fresh cohort', startDate: '2026-01-01', endDate: '2026-02-01' })).id;
  },
  async template(fx: Fixture, world: ProgramsWorld, org: OrgKey): Promise<string> {
    return (await expect201<{ id: string }>(fx, `/v1/programs/${world.programs[org]}/roadmap-templates`, org, { name: 'Fresh template' })).id;
  },
  /** A mentor and a mentee just enrolled in the organization's cohort. */
  async pair(fx: Fixture, world: ProgramsWorld, org: OrgKey): Promise<{ mentorId: string; menteeId: string }> {
    const mentorId = await fx.fresh.person(org);
    const menteeId = await fx.fresh.person(org);
    await expect201(fx, `/v1/cohorts/${world.cohorts[org]}/enrolments/${mentorId}`, org, { role: 'mentor' }, 'PUT', 200);
    await expect201(fx, `/v1/cohorts/${world.cohorts[org]}/enrolments/${menteeId}`, org, { role: 'mentee' }, 'PUT', 200);
    return { mentorId, menteeId };
  },
  /** A group just linked to the organization's cohort. */
  async link(fx: Fixture, world: ProgramsWorld, org: OrgKey): Promise<string> {
    const id = `scimg_fresh_${suffix()}`;
    await insertGroup(fx, org, id);
    await expect201(fx, `/v1/cohorts/${world.cohorts[org]}/scim-groups/${id}`, org, { role: 'mentee' }, 'PUT', 200);
    return id;
  },
};

/** One entry per programs operation. */
export const PROGRAM_ENTRIES: Readonly<Record<string, Entry>> = {
  listPrograms: { targets: ['-'], expect: (c) => (scopeWithoutRole(c) ? 403 : 200), request: () => ({}) },
  createProgram: { targets: ['-'], expect: (c) => (scopeWithoutRole(c) ? 403 : 201), request: () => ({ body: { name: 'Matrix program' } }) },
  getProgram: manage(200, (_fx, w, org) => ({ params: { programId: w.programs[org] } })),
  // The body keeps the name: only a status change could matter, and it is not sent.
  updateProgram: manage(200, (_fx, w, org) => ({ params: { programId: w.programs[org] }, body: { name: 'Program' } })),
  deleteProgram: manage(204, async (fx, _w, org) => ({ params: { programId: await fresh.program(fx, org) } })),
  listRoadmapTemplates: manage(200, (_fx, w, org) => ({ params: { programId: w.programs[org] } })),
  createRoadmapTemplate: manage(201, (_fx, w, org) => ({ params: { programId: w.programs[org] }, body: { name: 'Matrix template' } })),
  getRoadmapTemplate: manage(200, (_fx, w, org) => ({ params: { templateId: w.templates[org] } })),
  // A rename only: no new version, so the rooms' pending decision stays as the fixture made it.
  updateRoadmapTemplate: manage(200, (_fx, w, org) => ({ params: { templateId: w.templates[org] }, body: { note: 'matrix', name: 'Template' } })),
  deleteRoadmapTemplate: manage(204, async (fx, w, org) => ({ params: { templateId: await fresh.template(fx, w, org) } })),
  listRoadmapTemplateVersions: manage(200, (_fx, w, org) => ({ params: { templateId: w.templates[org] } })),
  listCohorts: manage(200, (_fx, w, org) => ({ params: { programId: w.programs[org] } })),
  createCohort: manage(201, (_fx, w, org) => ({ params: { programId: w.programs[org] }, body: { name: 'Matrix cohort', startDate: '2026-01-01', endDate: '2026-01-31' } })),
  getCohort: onOrgs((c, org) => (readsCohort(c, org) ? 200 : 404), (_fx, w, org) => ({ params: { cohortId: w.cohorts[org] } })),
  updateCohort: manage(200, (_fx, w, org) => ({ params: { cohortId: w.cohorts[org] }, body: { endDate: '2026-04-05' } })),
  deleteCohort: manage(204, async (fx, w, org) => ({ params: { cohortId: await fresh.cohort(fx, w, org) } })),
  listEnrolments: manage(200, (_fx, w, org) => ({ params: { cohortId: w.cohorts[org] } })),
  // Fresh people: enrolling someone of the model would make them a reader of the cohort.
  enrol: manage(200, async (fx, w, org) => ({ params: { cohortId: w.cohorts[org], personId: await fx.fresh.person(org) }, body: { role: 'mentee' } })),
  unenrol: manage(204, async (fx, w, org) => ({ params: { cohortId: w.cohorts[org], personId: (await fresh.pair(fx, w, org)).menteeId } })),
  createEnrolmentImport: manage(202, (_fx, w, org) => ({ params: { cohortId: w.cohorts[org] }, body: { rows: [{ email: 'nobody@example.com', role: 'mentee' }], dryRun: true } })),
  getEnrolmentImport: manage(200, (_fx, w, org) => ({ params: { importId: w.imports[org] } })),
  listCohortGroupLinks: manage(200, (_fx, w, org) => ({ params: { cohortId: w.cohorts[org] } })),
  linkCohortGroup: manage(200, (_fx, w, org) => ({ params: { cohortId: w.cohorts[org], groupId: w.groups[org] }, body: { role: 'mentee' } })),
  unlinkCohortGroup: manage(204, async (fx, w, org) => ({ params: { cohortId: w.cohorts[org], groupId: await fresh.link(fx, w, org) } })),
  listCohortRooms: manage(200, (_fx, w, org) => ({ params: { cohortId: w.cohorts[org] } })),
  createCohortRoom: manage(201, async (fx, w, org) => ({ params: { cohortId: w.cohorts[org] }, body: { ...(await fresh.pair(fx, w, org)), title: 'Matrix pair', purpose: 'Matrix' } })),
  getRoadmapTemplateOrigin: onOrgs((c, org) => (readsCohortRoom(c, org) ? 200 : 404), (_fx, w, org) => ({ params: { roadmapId: w.roadmaps[org] } })),
  // Declining again is allowed and changes nothing, so every cell can decide the same version.
  decideRoadmapTemplateUpdate: onOrgs(
    (c, org) => (!readsCohortRoom(c, org) ? 404 : editsCohortRoadmap(c, org) ? 200 : 403),
    (_fx, w, org) => ({ params: { roadmapId: w.roadmaps[org] }, body: { version: 2, decision: 'decline', reason: 'matrix' } }),
  ),
};

