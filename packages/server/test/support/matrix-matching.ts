// The authorization matrix's matching part (issue 13): a matching world in each organization, built
// over HTTP on first use, and one entry per matching operation.
//
// The world, per organization: the programs world's program and cohort (where E1 is a mentee with
// a room already, in A); a self-serve cohort with a fresh mentor and a fresh mentee and a pending
// request between them; and one cohort per kind of draft edit (read, lock, swap, exclusion,
// discard), each with a draft of a fresh mentor and two fresh mentees, so cells running in
// parallel never change each other's outcome. Runs that a request consumes (re-run, publish,
// create) get a fresh cohort each. Managing takes `org:admin` and the organization-wide view; a
// token carrying the scope without the role is refused (403) before any lookup. Self-serve acts as
// the caller's person: only mentees enrolled in a cohort see its suggestions.
import type { Entry, RequestSpec } from './matrix-table.js';
import type { Fixture } from './matrix-fixture.js';
import { programsOf, type ProgramsWorld } from './matrix-programs.js';
import { orgWide, type Caller, type OrgKey } from './matrix-model.js';

interface OrgWorld {
  readonly programId: string;
  /** The programs world's cohort: E1 is enrolled there as a mentee (in A) and has a room. */
  readonly cohortId: string;
  readonly mentorId: string;
  readonly personId: string;
  readonly requestId: string;
  readonly read: Draft;
  readonly lock: Draft;
  readonly swap: Draft;
  readonly exclusion: Draft;
  readonly discard: Draft;
}

interface Draft {
  readonly runId: string;
  readonly mentorId: string;
  readonly menteeIds: readonly [string, string];
}

type MatchingWorld = Record<OrgKey, OrgWorld>;
const ORGS = ['A', 'B'] as const satisfies readonly OrgKey[];
const built = new WeakMap<Fixture, Promise<MatchingWorld>>();

/** The organization's key acting as a given person (or as its fixture admin-capable person). */
function as(fx: Fixture, org: OrgKey, personId?: string) {
  const base = fx.asPerson(org === 'A' ? 'M1' : 'GB');
  return personId === undefined ? base : { ...base, actAs: personId };
}

async function call<T>(fx: Fixture, org: OrgKey, method: string, path: string, body?: unknown, status = 200, personId?: string): Promise<T> {
  const answer = await fx.send(method, path, as(fx, org, personId), body);
  if (answer.status !== status) throw new Error(`matching fixture: ${method} ${path} answered ${answer.status}: ${answer.text.slice(0, 300)}`);
  return answer.body as T;
}

async function cohort(fx: Fixture, org: OrgKey, programs: ProgramsWorld): Promise<string> {
  return (await call<{ id: string }>(fx, org, 'POST', `/v1/programs/${programs.programs[org]}/cohorts`, { name: 'Matching cohort', startDate: '2026-01-01', endDate: '2026-03-01' }, 201)).id;
}

async function enrol(fx: Fixture, org: OrgKey, cohortId: string, personId: string, role: 'mentor' | 'mentee'): Promise<void> {
  await call(fx, org, 'PUT', `/v1/cohorts/${cohortId}/enrolments/${personId}`, { role });
}

/** A cohort with a fresh mentor and two fresh mentees, and its draft run. */
async function draft(fx: Fixture, org: OrgKey, programs: ProgramsWorld): Promise<Draft> {
  const cohortId = await cohort(fx, org, programs);
  const mentorId = await fx.fresh.person(org);
  const menteeIds = [await fx.fresh.person(org), await fx.fresh.person(org)] as const;
  await enrol(fx, org, cohortId, mentorId, 'mentor');
  for (const id of menteeIds) await enrol(fx, org, cohortId, id, 'mentee');
  const run = await call<{ id: string }>(fx, org, 'POST', `/v1/cohorts/${cohortId}/matching-runs`, {}, 201);
  return { runId: run.id, mentorId, menteeIds };
}

async function build(fx: Fixture): Promise<MatchingWorld> {
  const programs = await programsOf(fx);
  const world = {} as Record<OrgKey, OrgWorld>;
  for (const org of ORGS) {
    const selfServe = await cohort(fx, org, programs);
    const mentorId = await fx.fresh.person(org);
    const menteeId = await fx.fresh.person(org);
    await enrol(fx, org, selfServe, mentorId, 'mentor');
    await enrol(fx, org, selfServe, menteeId, 'mentee');
    const request = await call<{ id: string }>(fx, org, 'POST', '/v1/me/match-requests', { cohortId: selfServe, mentorId }, 201, menteeId);
    world[org] = {
      programId: programs.programs[org], cohortId: programs.cohorts[org], mentorId: org === 'A' ? fx.people.M1 : fx.people.GB, personId: menteeId, requestId: request.id,
      read: await draft(fx, org, programs), lock: await draft(fx, org, programs), swap: await draft(fx, org, programs),
      exclusion: await draft(fx, org, programs), discard: await draft(fx, org, programs),
    };
  }
  return world;
}

function matchingOf(fx: Fixture): Promise<MatchingWorld> {
  let world = built.get(fx);
  if (!world) {
    world = build(fx);
    built.set(fx, world);
  }
  return world;
}

// ---- The rules, restated over the model ----

function managesIn(c: Caller, org: OrgKey): boolean {
  return c.valid && c.org === org && orgWide(c) && c.scopes.has('org:admin');
}

function scopeWithoutRole(c: Caller): boolean {
  return c.kind === 'token' && c.scopes.has('org:admin') && !orgWide(c);
}

/** Reads suggestions of `org`'s programs cohort: a mentee enrolled in it (E1, in A), not through a room-limited token. */
function menteeOfCohort(c: Caller, org: OrgKey): boolean {
  return org === 'A' && c.valid && c.org === 'A' && c.person === 'E1' && c.roomLimit === null;
}

// ---- Entries ----

type Build = (fx: Fixture, world: OrgWorld, org: OrgKey) => RequestSpec | Promise<RequestSpec>;

function onOrgs(expect: (c: Caller, org: OrgKey) => number, request: Build): Entry {
  return {
    targets: ORGS,
    expect: expect as Entry['expect'],
    request: async (fx, target) => request(fx, (await matchingOf(fx))[target as OrgKey], target as OrgKey),
  };
}

const manage = (done: number, request: Build): Entry => onOrgs((c, org) => (scopeWithoutRole(c) ? 403 : managesIn(c, org) ? done : 404), request);
const mine = (status: number, request: () => RequestSpec = () => ({})): Entry => ({ targets: ['-'], expect: () => status, request });

/** A fresh draft for operations that consume one. */
async function freshDraft(fx: Fixture, org: OrgKey): Promise<Draft> {
  return draft(fx, org, await programsOf(fx));
}

/** One entry per matching operation. */
export const MATCHING_ENTRIES: Readonly<Record<string, Entry>> = {
  getMyMatchingProfile: mine(200),
  updateMyMatchingProfile: mine(200, () => ({ body: { optedOut: false } })),
  getMatchingProfile: manage(200, (_fx, w) => ({ params: { personId: w.mentorId } })),
  updateMatchingProfile: manage(200, async (fx, _w, org) => ({ params: { personId: await fx.fresh.person(org) }, body: { capacity: 2, seniority: 4 } })),
  importMatchingProfiles: { targets: ['-'], expect: (c) => (scopeWithoutRole(c) ? 403 : 200), request: () => ({ body: { rows: [{ email: 'nobody@example.com', department: 'X' }], dryRun: true } }) },
  listCohortMatchingProfiles: manage(200, (_fx, w) => ({ params: { cohortId: w.cohortId } })),
  getCohortMatchingCompleteness: manage(200, (_fx, w) => ({ params: { cohortId: w.cohortId } })),
  getMatchingSettings: manage(200, (_fx, w) => ({ params: { programId: w.programId } })),
  updateMatchingSettings: manage(200, (_fx, w) => ({ params: { programId: w.programId }, body: { selfServe: true } })),
  createMatchingRun: manage(201, async (fx, _w, org) => ({ params: { cohortId: await cohort(fx, org, await programsOf(fx)) }, body: {} })),
  listMatchingRuns: manage(200, (_fx, w) => ({ params: { cohortId: w.cohortId } })),
  getMatchingRun: manage(200, (_fx, w) => ({ params: { runId: w.read.runId } })),
  getMatchingRunInputs: manage(200, (_fx, w) => ({ params: { runId: w.read.runId } })),
  listMatchingCandidates: manage(200, (_fx, w) => ({ params: { runId: w.read.runId, menteeId: w.read.menteeIds[0] } })),
  lockMatchingPair: manage(200, (_fx, w) => ({ params: { runId: w.lock.runId, menteeId: w.lock.menteeIds[0] }, body: { mentorId: w.lock.mentorId } })),
  unlockMatchingPair: manage(200, (_fx, w) => ({ params: { runId: w.lock.runId, menteeId: w.lock.menteeIds[1] } })),
  swapMatchingPairs: manage(200, (_fx, w) => ({ params: { runId: w.swap.runId }, body: { menteeIds: w.swap.menteeIds } })),
  excludeFromMatchingRun: manage(200, (_fx, w) => ({ params: { runId: w.exclusion.runId, personId: w.exclusion.menteeIds[0] } })),
  includeInMatchingRun: manage(200, (_fx, w) => ({ params: { runId: w.exclusion.runId, personId: w.exclusion.menteeIds[1] } })),
  rerunMatchingRun: manage(201, async (fx, _w, org) => ({ params: { runId: (await freshDraft(fx, org)).runId } })),
  publishMatchingRun: manage(200, async (fx, _w, org) => ({ params: { runId: (await freshDraft(fx, org)).runId } })),
  discardMatchingRun: manage(204, (_fx, w) => ({ params: { runId: w.discard.runId } })),
  listMatchSuggestions: onOrgs((c, org) => (menteeOfCohort(c, org) ? 200 : 404), (_fx, w) => ({ query: `cohortId=${w.cohortId}` })),
  // E1 has a room in the cohort already (409); anyone else is not its mentee (404). Nothing is created.
  createMatchRequest: onOrgs((c, org) => (menteeOfCohort(c, org) ? 409 : 404), (_fx, w) => ({ body: { cohortId: w.cohortId, mentorId: w.mentorId } })),
  listMyMatchRequests: mine(200),
  getMatchRequest: onOrgs((c, org) => (managesIn(c, org) ? 200 : 404), (_fx, w) => ({ params: { requestId: w.requestId } })),
  // Only the mentor asked answers, only its mentee withdraws: admins read the request (403 to act), others do not find it.
  respondToMatchRequest: onOrgs((c, org) => (managesIn(c, org) ? 403 : 404), (_fx, w) => ({ params: { requestId: w.requestId }, body: { decision: 'decline' } })),
  withdrawMatchRequest: onOrgs((c, org) => (managesIn(c, org) ? 403 : 404), (_fx, w) => ({ params: { requestId: w.requestId } })),
  listRematchOffers: mine(200),
};
