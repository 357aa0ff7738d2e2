// Matching against the REAL server over HTTP on a real SQLite file (every answer validated against
// the OpenAPI document): profiles (own fields vs HR facts, a CSV import of reporting lines), a
// cohort's run with its reasons, review (candidates, lock, swap, exclude, re-run around locks),
// publishing into rooms started from the cohort's template, and self-serve requests with capacity
// held under concurrent accepts, and a re-match offered after low ratings.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Cohort, CohortRoom, Page, Person, Program, RoadmapTemplate } from '@menteo/api';
import type {
  CohortMatchingCompleteness, MatchCandidate, MatchRequest, MatchSuggestions, MatchingProfile, MatchingProfileImportReport, MatchingRun,
  MatchingRunInputs, MatchingSettings, RematchOffer,
} from '@menteo/api/matching';
import { startServer, type Reply, type TestServer } from './support/server.js';
import { expectStatus, tokenFor } from './support/world.js';

let server: TestServer;
const p: Record<string, Person> = {};
const tok: Record<string, string> = {};
let program: Program;
let cohort: Cohort;

async function ok<T>(reply: Promise<Reply<T>>, status = 200): Promise<T> {
  const r = await reply;
  expectStatus(r, status);
  return r.body;
}

function fieldOf(reply: Reply): string | undefined {
  return (reply.body as { field?: string }).field;
}

async function personNamed(name: string, email: string, roles?: string[]): Promise<Person> {
  return ok(server.call<Person>('POST', '/v1/people', { body: { displayName: name, email, ...(roles ? { roles } : {}) } }), 201);
}

const pairsOf = (run: MatchingRun) => run.pairs.map((x) => `${x.mentor.displayName}→${x.mentee.displayName}`).sort();

before(async () => {
  server = await startServer();
  // Dana heads the unit; Mia and Max report to her; Tom reports to Mia; Tia and Ivo to Max.
  for (const [key, name, roles] of [['dana', 'Dana Director', undefined], ['mia', 'Mia Mentor', ['mentor']], ['max', 'Max Mentor', ['mentor']],
    ['ola', 'Ola Outside', ['mentor']], ['tom', 'Tom Mentee', undefined], ['tia', 'Tia Mentee', undefined], ['ivo', 'Ivo Mentee', undefined],
    ['ada', 'Ada Admin', ['admin']]] as const) {
    p[key] = await personNamed(name, `${key}@example.com`, roles ? [...roles] : undefined);
  }
  for (const key of ['tom', 'tia', 'ivo', 'mia', 'max', 'ola']) tok[key] = await tokenFor(server, (p[key] as Person).id);
  tok.admin = await tokenFor(server, (p.ada as Person).id, { scopes: ['org:admin', 'people:read'] });
  program = await ok(server.call<Program>('POST', '/v1/programs', { body: { name: 'Engineering mentoring' } }), 201);
  const template = await ok(server.call<RoadmapTemplate>('POST', `/v1/programs/${program.id}/roadmap-templates`, {
    body: { name: 'First 90 days', goal: 'Grow', milestones: [{ title: 'Kick-off', dayOffset: 7 }, { title: 'Review', dayOffset: 60 }] },
  }), 201);
  cohort = await ok(server.call<Cohort>('POST', `/v1/programs/${program.id}/cohorts`, { body: { name: 'Spring', startDate: '2026-03-02', endDate: '2026-05-29', templateId: template.id } }), 201);
  for (const k of ['mia', 'max', 'ola']) await ok(server.call('PUT', `/v1/cohorts/${cohort.id}/enrolments/${(p[k] as Person).id}`, { body: { role: 'mentor' } }));
  for (const k of ['tom', 'tia', 'ivo']) await ok(server.call('PUT', `/v1/cohorts/${cohort.id}/enrolments/${(p[k] as Person).id}`, { body: { role: 'mentee' } }));
});
after(async () => server.close());

describe('matching profiles', () => {
  it('lets people edit their own fields but never their HR facts, which come from an import or an admin', async () => {
    const mine = await ok(server.call<MatchingProfile>('PATCH', '/v1/me/matching-profile', {
      auth: tok.tom, body: { wants: ['typescript', 'system-design'], goals: 'Grow into architecture and system design reviews', timeZone: 'Europe/Paris', languages: ['fr', 'en'] },
    }));
    assert.deepEqual(mine.wants, ['typescript', 'system-design']);
    const sneaky = await server.call('PATCH', '/v1/me/matching-profile', { auth: tok.tom, body: { managerId: (p.ola as Person).id } });
    expectStatus(sneaky, 400, 'invalid_request');
    expectStatus(await server.call('PATCH', '/v1/me/matching-profile', { auth: tok.tom, body: { timeZone: 'Mars/Olympus' } }), 400, 'invalid_request');
    expectStatus(await server.call('GET', `/v1/people/${(p.tom as Person).id}/matching-profile`, { auth: tok.tom }), 403, 'forbidden');

    const csv = [
      'email,manager_email,department,seniority,time_zone,languages,offers,capacity',
      'mia@example.com,dana@example.com,Platform,7,Europe/Berlin,en;fr,typescript;system-design;architecture,1',
      'max@example.com,dana@example.com,Sales,6,America/New_York,en,negotiation;sales,2',
      'ola@example.com,,Design,8,Europe/London,en;fr,design;typescript,1',
      'tom@example.com,mia@example.com,Platform,3,,,,',
      'tia@example.com,max@example.com,Sales,2,Europe/Paris,fr,,',
      'ivo@example.com,max@example.com,Sales,2,Europe/Paris,en,,',
      'nobody@example.com,,,,,,,',
      'dana@example.com,tom@example.com,,,,,,',
    ].join('\n');
    const dry = await ok(server.call<MatchingProfileImportReport>('POST', '/v1/matching-profile-imports', { body: { csv, dryRun: true } }));
    assert.equal(dry.updated, 6);
    assert.deepEqual(dry.rejected.map((r) => [r.row, r.code]), [[8, 'unknown_email'], [9, 'manager_cycle']]);
    assert.equal((await ok(server.call<MatchingProfile>('GET', `/v1/people/${(p.tom as Person).id}/matching-profile`))).managerId, null, 'a dry run changes nothing');
    await ok(server.call<MatchingProfileImportReport>('POST', '/v1/matching-profile-imports', { body: { csv } }));
    const tom = await ok(server.call<MatchingProfile>('GET', '/v1/me/matching-profile', { auth: tok.tom }));
    assert.equal(tom.managerId, (p.mia as Person).id);
    assert.equal(tom.department, 'Platform');
    assert.equal(tom.hrSource, 'import');
    assert.deepEqual(tom.wants, ['typescript', 'system-design'], 'empty cells change nothing');

    const cycle = await server.call('PATCH', `/v1/people/${(p.dana as Person).id}/matching-profile`, { body: { managerId: (p.tom as Person).id } });
    expectStatus(cycle, 400, 'invalid_request');
    assert.equal(fieldOf(cycle), 'managerId');
    for (const k of ['tia', 'ivo']) {
      await ok(server.call('PATCH', '/v1/me/matching-profile', { auth: tok[k], body: { wants: ['negotiation', 'design'], goals: 'Better negotiation with customers' } }));
    }
  });

  it('shows admins how complete the cohort is', async () => {
    const c = await ok(server.call<CohortMatchingCompleteness>('GET', `/v1/cohorts/${cohort.id}/matching-completeness`, { auth: tok.admin }));
    assert.equal(c.mentees.people, 3);
    assert.equal(c.mentors.people, 3);
    assert.equal(c.seats, 4);
    assert.equal(c.mentors.missing.goals, 3, 'no mentor wrote their goals yet');
    const page = await ok(server.call<Page<{ completeness: { missing: string[] } }>>('GET', `/v1/cohorts/${cohort.id}/matching-profiles?role=mentee`, { auth: tok.admin }));
    assert.equal(page.items.length, 3);
  });
});

describe('a matching run', () => {
  let run: MatchingRun;

  it('keeps weights per program, changed by admins only', async () => {
    const s = await ok(server.call<MatchingSettings>('PATCH', `/v1/programs/${program.id}/matching-settings`, { auth: tok.admin, body: { weights: { skills: 50 }, excludePeers: false } }));
    assert.equal(s.weights.skills, 50);
    assert.equal(s.weights.goals, 20);
    expectStatus(await server.call('PATCH', `/v1/programs/${program.id}/matching-settings`, { auth: tok.admin, body: { weights: { skills: 0, goals: 0, timeZone: 0, language: 0, department: 0, seniority: 0 } } }), 400, 'invalid_request');
    expectStatus(await server.call('PATCH', `/v1/programs/${program.id}/matching-settings`, { auth: tok.mia, body: { selfServe: false } }), 403, 'forbidden');
  });

  it('pairs the whole cohort with reasons, never inside a reporting line, and keeps its inputs', async () => {
    run = await ok(server.call<MatchingRun>('POST', `/v1/cohorts/${cohort.id}/matching-runs`, { auth: tok.admin, body: {} }), 201);
    assert.equal(run.status, 'draft');
    assert.equal(run.totals.matched, 3);
    // Tom reports to Mia, Tia and Ivo to Max: the only allowed pairs are Max/Ola→Tom, Mia/Ola→Tia, Mia/Ola→Ivo; Mia and Ola take one each.
    for (const pair of run.pairs) {
      assert.notDeepEqual([pair.mentor.displayName, pair.mentee.displayName], ['Mia Mentor', 'Tom Mentee']);
      assert.ok(!(pair.mentor.displayName === 'Max Mentor' && pair.mentee.displayName !== 'Tom Mentee'), 'Max manages Tia and Ivo');
      assert.equal(pair.factors.length, 6);
      assert.equal(pair.score, pair.factors.reduce((s, f) => s + f.points, 0));
    }
    assert.deepEqual(pairsOf(run).filter((x) => x.startsWith('Max')), ['Max Mentor→Tom Mentee']);
    const skills = run.pairs.find((x) => x.mentee.displayName === 'Tom Mentee')?.factors.find((f) => f.factor === 'skills');
    assert.ok(skills);
    assert.ok(run.totals.totalScore >= run.totals.greedyTotalScore);

    const inputs = await ok(server.call<MatchingRunInputs>('GET', `/v1/matching-runs/${run.id}/inputs`, { auth: tok.admin }));
    assert.equal(inputs.profiles.length, 6);
    assert.ok(inputs.reportingLines.some((l) => l.personId === (p.tom as Person).id && l.managerId === (p.mia as Person).id));
    await ok(server.call('PATCH', '/v1/me/matching-profile', { auth: tok.tom, body: { goals: 'Something else entirely' } }));
    const again = await ok(server.call<MatchingRunInputs>('GET', `/v1/matching-runs/${run.id}/inputs`, { auth: tok.admin }));
    assert.equal(again.profiles.find((x) => x.profile.personId === (p.tom as Person).id)?.profile.goals, 'Grow into architecture and system design reviews', 'a run keeps the profiles it was computed from');

    expectStatus(await server.call('GET', `/v1/matching-runs/${run.id}`, { auth: tok.tom }), 403, 'forbidden');
  });

  it('lets the admin review: candidates with constraints, a refused lock, a swap, an exclusion, a re-run around the locks', async () => {
    const candidates = await ok(server.call<{ items: MatchCandidate[] }>('GET', `/v1/matching-runs/${run.id}/mentees/${(p.tom as Person).id}/candidates`, { auth: tok.admin }));
    assert.deepEqual(candidates.items.find((c) => c.mentor.displayName === 'Mia Mentor')?.blockedBy, ['reporting_line']);
    const refused = await server.call('PUT', `/v1/matching-runs/${run.id}/mentees/${(p.tom as Person).id}/lock`, { auth: tok.admin, body: { mentorId: (p.mia as Person).id } });
    expectStatus(refused, 409, 'conflict');
    assert.equal(fieldOf(refused), 'reporting_line');

    const tia = run.pairs.find((x) => x.mentee.displayName === 'Tia Mentee');
    const ivo = run.pairs.find((x) => x.mentee.displayName === 'Ivo Mentee');
    assert.ok(tia && ivo);
    const swapped = await ok(server.call<MatchingRun>('POST', `/v1/matching-runs/${run.id}/swaps`, { auth: tok.admin, body: { menteeIds: [tia.mentee.id, ivo.mentee.id] } }));
    assert.equal(swapped.pairs.find((x) => x.mentee.id === tia.mentee.id)?.mentor.id, ivo.mentor.id);
    assert.equal(swapped.pairs.filter((x) => x.locked).length, 2);
    const badSwap = await server.call('POST', `/v1/matching-runs/${run.id}/swaps`, { auth: tok.admin, body: { menteeIds: [tia.mentee.id, (p.tom as Person).id] } });
    expectStatus(badSwap, 409, 'conflict');
    assert.equal(fieldOf(badSwap), 'reporting_line', 'Max manages Tia');

    const excluded = await ok(server.call<MatchingRun>('PUT', `/v1/matching-runs/${run.id}/exclusions/${(p.tom as Person).id}`, { auth: tok.admin }));
    assert.ok(!excluded.pairs.some((x) => x.mentee.id === (p.tom as Person).id));
    assert.equal(excluded.unmatched.find((u) => u.mentee.id === (p.tom as Person).id)?.reason, 'excluded_person');

    const rerun = await ok(server.call<MatchingRun>('POST', `/v1/matching-runs/${run.id}/reruns`, { auth: tok.admin }), 201);
    assert.equal(rerun.basedOn, run.id);
    assert.equal(rerun.pairs.find((x) => x.mentee.id === tia.mentee.id)?.mentor.id, ivo.mentor.id, 'the locked swap survives the re-run');
    assert.ok(!rerun.pairs.some((x) => x.mentee.id === (p.tom as Person).id));
    assert.equal((await ok(server.call<MatchingRun>('GET', `/v1/matching-runs/${run.id}`, { auth: tok.admin }))).status, 'superseded');
    expectStatus(await server.call('PUT', `/v1/matching-runs/${run.id}/exclusions/${(p.ivo as Person).id}`, { auth: tok.admin }), 409, 'conflict');
    run = rerun;
  });

  it('publishes into rooms whose roadmaps start from the cohort template, once', async () => {
    const published = await ok(server.call<MatchingRun>('POST', `/v1/matching-runs/${run.id}/publish`, { auth: tok.admin }));
    assert.equal(published.status, 'published');
    assert.ok(published.pairs.every((x) => x.roomId !== null));
    const rooms = await ok(server.call<Page<CohortRoom>>('GET', `/v1/cohorts/${cohort.id}/rooms`));
    assert.equal(rooms.items.length, published.pairs.length);
    for (const r of rooms.items) assert.equal(r.template?.version, 1);
    expectStatus(await server.call('POST', `/v1/matching-runs/${run.id}/publish`, { auth: tok.admin }), 409, 'conflict');
    // The pairs now share rooms: a new run never proposes them again.
    const next = await ok(server.call<MatchingRun>('POST', `/v1/cohorts/${cohort.id}/matching-runs`, { auth: tok.admin, body: {} }), 201);
    for (const pair of published.pairs) assert.ok(!next.pairs.some((x) => x.mentor.id === pair.mentor.id && x.mentee.id === pair.mentee.id));
  });
});

describe('self-serve matching', () => {
  let spring: Cohort;

  before(async () => {
    spring = await ok(server.call<Cohort>('POST', `/v1/programs/${program.id}/cohorts`, { body: { name: 'Self-serve', startDate: '2026-06-01', endDate: '2026-08-31' } }), 201);
    // Sam: a mentor with one seat and no room yet.
    p.sam = await personNamed('Sam Senior', 'sam@example.com', ['mentor']);
    tok.sam = await tokenFor(server, p.sam.id);
    await ok(server.call('PATCH', '/v1/me/matching-profile', { auth: tok.sam, body: { capacity: 1, offers: ['negotiation'], languages: ['fr'] } }));
    await ok(server.call('PUT', `/v1/cohorts/${spring.id}/enrolments/${p.sam.id}`, { body: { role: 'mentor' } }));
    for (const k of ['tom', 'tia', 'ivo']) await ok(server.call('PUT', `/v1/cohorts/${spring.id}/enrolments/${(p[k] as Person).id}`, { body: { role: 'mentee' } }));
  });

  it('suggests mentors with reasons; one accept wins a last seat, concurrent others answer 409', async () => {
    const sam = p.sam as Person;
    const asked: MatchRequest[] = [];
    for (const k of ['tia', 'ivo']) {
      const s = await ok(server.call<MatchSuggestions>('GET', `/v1/me/match-suggestions?cohortId=${spring.id}`, { auth: tok[k] }));
      const mentor = s.items.find((x) => x.mentor.id === sam.id);
      if (!mentor) continue;
      assert.ok(mentor.factors.length === 6 && mentor.freeCapacity === 1);
      asked.push(await ok(server.call<MatchRequest>('POST', '/v1/me/match-requests', { auth: tok[k], body: { cohortId: spring.id, mentorId: sam.id, message: 'Hello' } }), 201));
    }
    assert.equal(asked.length, 2, 'Sam is suggested to both');
    expectStatus(await server.call('POST', '/v1/me/match-requests', { auth: tok.tia, body: { cohortId: spring.id, mentorId: sam.id } }), 409, 'conflict');
    expectStatus(await server.call('POST', `/v1/match-requests/${asked[0]?.id}/response`, { auth: tok.tia, body: { decision: 'accept' } }), 403, 'forbidden');
    const answers = await Promise.all(asked.map((r) => server.call<MatchRequest>('POST', `/v1/match-requests/${r.id}/response`, { auth: tok.sam, body: { decision: 'accept' } })));
    assert.deepEqual(answers.map((a) => a.status).sort(), [200, 409]);
    const lost = answers.find((a) => a.status === 409);
    assert.equal(lost && fieldOf(lost), 'capacity');
    const won = answers.find((a) => a.status === 200)?.body as MatchRequest;
    assert.equal(won.status, 'accepted');
    assert.ok(won.roomId);
    const mine = await ok(server.call<Page<MatchRequest>>('GET', '/v1/me/match-requests?role=mentor&status=pending', { auth: tok.sam }));
    assert.equal(mine.items.length, 1, 'the losing request stays pending, for the mentor to decline');
    const declined = await ok(server.call<MatchRequest>('POST', `/v1/match-requests/${mine.items[0]?.id}/response`, { auth: tok.sam, body: { decision: 'decline', note: 'Full this season' } }));
    assert.equal(declined.status, 'declined');
  });

  it('never suggests someone in the reporting chain, and refuses such a request', async () => {
    await ok(server.call('PUT', `/v1/cohorts/${spring.id}/enrolments/${(p.mia as Person).id}`, { body: { role: 'mentor' } }));
    const s = await ok(server.call<MatchSuggestions>('GET', `/v1/me/match-suggestions?cohortId=${spring.id}`, { auth: tok.tom }));
    assert.ok(!s.items.some((x) => x.mentor.id === (p.mia as Person).id));
    const r = await server.call('POST', '/v1/me/match-requests', { auth: tok.tom, body: { cohortId: spring.id, mentorId: (p.mia as Person).id } });
    expectStatus(r, 409, 'conflict');
    assert.equal(fieldOf(r), 'reporting_line');
  });

  it('offers a re-match when a pair\'s ratings stay low, and archives the old room when the new mentor accepts', async () => {
    const accepted = await ok(server.call<Page<MatchRequest>>('GET', '/v1/me/match-requests?role=mentee&status=accepted', { auth: tok.tia }));
    const ivoAccepted = await ok(server.call<Page<MatchRequest>>('GET', '/v1/me/match-requests?role=mentee&status=accepted', { auth: tok.ivo }));
    const winner = accepted.items[0] ? 'tia' : 'ivo';
    const request = (accepted.items[0] ?? ivoAccepted.items[0]) as MatchRequest;
    assert.deepEqual((await ok(server.call<{ items: RematchOffer[] }>('GET', '/v1/me/rematch-offers', { auth: tok[winner] }))).items.filter((o) => o.roomId === request.roomId), []);
    for (const rating of [2, 1]) await ok(server.call('POST', `/v1/rooms/${request.roomId}/feedback`, { auth: tok[winner], body: { subject: 'room', rating } }), 201);
    const offers = await ok(server.call<{ items: RematchOffer[] }>('GET', '/v1/me/rematch-offers', { auth: tok[winner] }));
    const offer = offers.items.find((o) => o.roomId === request.roomId);
    assert.ok(offer);
    assert.equal(offer.code, 'ratings.low');
    assert.equal(offer.params.average, 1.5);
    // Rae: a mentor of the cohort in no room yet.
    const rae = await personNamed('Rae Mentor', 'rae@example.com', ['mentor']);
    const raeToken = await tokenFor(server, rae.id);
    await ok(server.call('PUT', `/v1/cohorts/${spring.id}/enrolments/${rae.id}`, { body: { role: 'mentor' } }));
    expectStatus(await server.call('POST', '/v1/me/match-requests', { auth: tok[winner], body: { cohortId: spring.id, mentorId: rae.id } }), 409, 'conflict');
    const again = await ok(server.call<MatchRequest>('POST', '/v1/me/match-requests', {
      auth: tok[winner], body: { cohortId: spring.id, mentorId: rae.id, replacesRoomId: request.roomId },
    }), 201);
    const done = await ok(server.call<MatchRequest>('POST', `/v1/match-requests/${again.id}/response`, { auth: raeToken, body: { decision: 'accept' } }));
    assert.ok(done.roomId);
    const old = await ok(server.call<{ status: string }>('GET', `/v1/rooms/${request.roomId}`));
    assert.equal(old.status, 'archived');
  });
});
