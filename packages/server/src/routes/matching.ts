/**
 * Matching: profiles, program settings, admin matching runs and self-serve requests (issue 13).
 * Admin operations take `org:admin` and the organization-wide view (`requireProgramAdmin`); a
 * resource of another organization answers 404. Self-serve operations act as the caller's person
 * (a token's, or an API key's `Menteo-Act-As`). Admins read profiles, scores and reasons, never
 * room content. The rules live in `../matching/`.
 * @module
 */
import type { Constraint, MatchRequest, MatchSuggestion, RematchOffer } from '@menteo/api/matching';
import {
  createMatchRequest, createMatchingRun, discardMatchingRun, excludeFromMatchingRun, getCohortMatchingCompleteness, getMatchRequest, getMatchingProfile,
  getMatchingRun, getMatchingRunInputs, getMatchingSettings, getMyMatchingProfile, importMatchingProfiles, includeInMatchingRun, listCohortMatchingProfiles,
  listMatchSuggestions, listMatchingCandidates, listMatchingRuns, listMyMatchRequests, listRematchOffers, lockMatchingPair, publishMatchingRun,
  rerunMatchingRun, respondToMatchRequest, swapMatchingPairs, unlockMatchingPair, updateMatchingProfile, updateMatchingSettings, updateMyMatchingProfile,
  withdrawMatchRequest, PROFILE_FIELDS,
} from '@menteo/api/matching';
import type { Context } from '../context.js';
import { handle, type BoundHandler } from '../handler.js';
import { ApiError, invalid, notFound } from '../http/errors.js';
import { activePairs, cohortPeople, loadInputs, scoringProfile } from '../matching/cohort.js';
import { ReportingLines, pairConstraints, pairKey } from '../matching/constraints.js';
import { importProfiles } from '../matching/import.js';
import { activeMentorRooms, completeness, emptyProfile, loadProfile, loadProfiles, managersOf, saveProfile } from '../matching/profiles.js';
import {
  candidatesOf, constraintConflict, constraintText, draftOf, excludePerson, includePerson, inputsView, lockPair, newRun, parse, runSummary, runView, saveDraft,
  swapPairs, unlockPair, type StoredResult,
} from '../matching/runs.js';
import { Scorer } from '../matching/scoring.js';
import { loadSettings, saveSettings } from '../matching/settings.js';
import { matchingDb, type MatchRequestsTable, type MatchingRunsTable } from '../matching/tables.js';
import { cohortOf, managesPrograms, programOf, requireOpenProgram, requireProgramAdmin } from '../programs/access.js';
import { openCohortRoom } from '../programs/rooms.js';
import { decodeCursor, pageOf } from '../storage/cursor.js';
import { isId, ulid } from '../storage/ids.js';
import { json } from '../storage/json.js';
import type { CohortsTable } from '../storage/schema.js';
import { loadPublicPeople, type Db } from '../views/people.js';
import { roomViews } from '../views/rooms.js';
import { idCursor, pageLimit } from './rooms.js';

/** The person the caller acts as; an API key must name one. */
function actor(ctx: Context): string {
  const person = ctx.principal.person;
  if (!person) throw invalid('Menteo-Act-As', 'With an API key, name the person with the Menteo-Act-As header.');
  return person.id;
}

/** The caller's organization's person, or 404. */
async function personOf(ctx: Context, personId: string): Promise<void> {
  const row = await ctx.db.selectFrom('people').select('id').where('id', '=', personId).where('org_id', '=', ctx.principal.orgId).executeTakeFirst();
  if (!row) throw notFound('The person', 'personId');
}

/** The caller's organization's run, or 404. */
async function runOf(ctx: Context, runId: string): Promise<MatchingRunsTable> {
  const row = await matchingDb(ctx.db).selectFrom('matching_runs').selectAll().where('id', '=', runId).where('org_id', '=', ctx.principal.orgId).executeTakeFirst();
  if (!row) throw notFound('The matching run', 'runId');
  return row;
}

/** Supersedes the cohort's drafts other than `keep`. */
async function supersedeDrafts(db: Db, cohortId: string, keep: string, now: string): Promise<void> {
  await matchingDb(db).updateTable('matching_runs').set({ status: 'superseded', updated_at: now }).where('cohort_id', '=', cohortId).where('status', '=', 'draft').where('id', '!=', keep).execute();
}

/** A cohort the caller (a mentee enrolled in it, with a self-serve program) may match in. */
async function selfServeCohort(ctx: Context, cohortId: string, personId: string): Promise<CohortsTable> {
  const cohort = await ctx.db.selectFrom('cohorts').selectAll().where('id', '=', cohortId).where('org_id', '=', ctx.principal.orgId).executeTakeFirst();
  const enrolment = cohort && ctx.principal.roomIds === null
    ? await ctx.db.selectFrom('cohort_enrolments').select('role').where('cohort_id', '=', cohort.id).where('person_id', '=', personId).executeTakeFirst()
    : undefined;
  if (!cohort || enrolment?.role !== 'mentee') throw notFound('The cohort (as a mentee of it)', 'cohortId');
  const settings = await loadSettings(ctx.db, cohort.program_id);
  if (!settings.selfServe) throw new ApiError('forbidden', 'This program matches by its admins only; self-serve requests are off.', { field: 'cohortId' });
  return cohort;
}

/** A mentor's seats left now: capacity minus active rooms as mentor. */
async function freeSeats(db: Db, mentorIds: readonly string[]): Promise<Map<string, number>> {
  const profiles = await loadProfiles(db, mentorIds);
  const rooms = await activeMentorRooms(db, mentorIds);
  return new Map(mentorIds.map((id) => [id, Math.max(0, (profiles.get(id)?.capacity ?? 0) - (rooms.get(id) ?? 0))]));
}

/** The hard constraints on a pair as of now (capacity apart). */
async function liveConstraints(ctx: Context, cohort: CohortsTable, mentorId: string, menteeId: string): Promise<Constraint[]> {
  const settings = await loadSettings(ctx.db, cohort.program_id);
  const profiles = await loadProfiles(ctx.db, [mentorId, menteeId]);
  const managerOf = await managersOf(ctx.db, cohort.org_id);
  const existing = await activePairs(ctx.db, [mentorId], [menteeId]);
  const facts = {
    managerOf, excludePeers: settings.excludePeers,
    excludedPairs: new Set(settings.excludedPairs.map((p) => pairKey(p.mentorId, p.menteeId))),
    existingPairs: new Set(existing.map((p) => pairKey(p.mentorId, p.menteeId))),
    optedOut: new Set([...profiles.values()].filter((p) => p.optedOut).map((p) => p.personId)),
    excludedPeople: new Set<string>(),
  };
  return pairConstraints(facts, new ReportingLines(managerOf), mentorId, menteeId);
}

async function requestViews(db: Db, rows: readonly MatchRequestsTable[]): Promise<MatchRequest[]> {
  const people = await loadPublicPeople(db, rows.flatMap((r) => [r.mentee_id, r.mentor_id]));
  const person = (id: string) => people.get(id) ?? { id, displayName: '', avatarUrl: null };
  const STATUS = { pending: 'pending', accepted: 'accepted', declined: 'declined', withdrawn: 'withdrawn', cancelled: 'cancelled' } as const;
  return rows.map((r) => ({
    id: r.id, cohortId: r.cohort_id, mentee: person(r.mentee_id), mentor: person(r.mentor_id), status: STATUS[r.status as keyof typeof STATUS] ?? 'cancelled',
    message: r.message, score: r.score, maxScore: r.max_score, factors: parse(r.factors), responseNote: r.response_note, roomId: r.room_id,
    replacesRoomId: r.replaces_room_id, createdAt: r.created_at, respondedAt: r.responded_at,
  }));
}

async function requestView(db: Db, row: MatchRequestsTable): Promise<MatchRequest> {
  const [view] = await requestViews(db, [row]);
  if (!view) throw new Error('unreachable: a view of one request');
  return view;
}

/** The caller's request (as its mentee, its mentor, or an admin), or 404. */
async function requestOf(ctx: Context, requestId: string): Promise<MatchRequestsTable> {
  const row = await matchingDb(ctx.db).selectFrom('match_requests').selectAll().where('id', '=', requestId).where('org_id', '=', ctx.principal.orgId).executeTakeFirst();
  const me = ctx.principal.person?.id;
  if (!row || !(managesPrograms(ctx) || me === row.mentee_id || me === row.mentor_id)) throw notFound('The match request', 'requestId');
  return row;
}

/** Low-rated rooms of the caller as mentee, with the threshold of each room's program. */
async function rematchOffers(ctx: Context, personId: string): Promise<RematchOffer[]> {
  const links = await ctx.db.selectFrom('cohort_rooms').innerJoin('rooms', 'rooms.id', 'cohort_rooms.room_id').innerJoin('cohorts', 'cohorts.id', 'cohort_rooms.cohort_id')
    .select(['cohort_rooms.room_id', 'cohort_rooms.cohort_id', 'cohort_rooms.mentor_id', 'cohorts.program_id'])
    .where('cohort_rooms.mentee_id', '=', personId).where('rooms.status', '=', 'active').where('cohort_rooms.org_id', '=', ctx.principal.orgId).execute();
  const offers: RematchOffer[] = [];
  for (const link of links) {
    const settings = await loadSettings(ctx.db, link.program_id);
    // The latest three ratings, both directions: a pair "staying low" is one whose recent ratings are.
    const ratings = await ctx.db.selectFrom('feedback').select('rating').where('room_id', '=', link.room_id).orderBy('id', 'desc').limit(3).execute();
    if (ratings.length < 2) continue;
    const average = Math.round((ratings.reduce((s, r) => s + r.rating, 0) / ratings.length) * 10) / 10;
    if (average > settings.rematchBelow) continue;
    const people = await loadPublicPeople(ctx.db, [link.mentor_id]);
    offers.push({
      roomId: link.room_id, cohortId: link.cohort_id, partner: people.get(link.mentor_id) ?? { id: link.mentor_id, displayName: '', avatarUrl: null },
      code: 'ratings.low', params: { average, ratings: ratings.length, threshold: settings.rematchBelow },
      text: `The last ${ratings.length} ratings average ${average}, at or below ${settings.rematchBelow}: a new match may help.`,
    });
  }
  return offers;
}

/** Matching handlers. */
export const matchingHandlers: BoundHandler[] = [
  // ---- Profiles ----

  handle(getMyMatchingProfile, async ({ ctx }) => loadProfile(ctx.db, actor(ctx))),

  handle(updateMyMatchingProfile, async ({ body, ctx }) => {
    const me = actor(ctx);
    return saveProfile(ctx.db, ctx.principal.orgId, me, body, ctx.now, null);
  }),

  handle(getMatchingProfile, async ({ params, ctx }) => {
    requireProgramAdmin(ctx);
    await personOf(ctx, params.personId);
    return loadProfile(ctx.db, params.personId);
  }),

  handle(updateMatchingProfile, async ({ params, body, ctx }) => {
    requireProgramAdmin(ctx);
    await personOf(ctx, params.personId);
    return ctx.tx(async (trx) => saveProfile(trx, ctx.principal.orgId, params.personId, body, ctx.now, 'admin'));
  }),

  handle(importMatchingProfiles, async ({ body, ctx }) => {
    requireProgramAdmin(ctx);
    return ctx.tx(async (trx) => importProfiles(trx, ctx.principal.orgId, body, ctx.now));
  }),

  handle(listCohortMatchingProfiles, async ({ params, query, ctx }) => {
    requireProgramAdmin(ctx);
    const cohort = await cohortOf(ctx, params.cohortId);
    const limit = pageLimit(query.limit);
    const after = decodeCursor(query.cursor, 2, (p, i) => (i === 0 ? p.length > 0 && p.length < 40 : isId(p, 'per')));
    let q = ctx.db.selectFrom('cohort_enrolments').selectAll().where('cohort_id', '=', cohort.id);
    if (query.role !== undefined) q = q.where('role', '=', query.role);
    if (after) {
      const [at = '', id = ''] = after;
      q = q.where((eb) => eb.or([eb('enrolled_at', '>', at), eb.and([eb('enrolled_at', '=', at), eb('person_id', '>', id)])]));
    }
    // `incomplete` filters after reading: completeness is computed, not stored. Pages then hold
    // fewer items than asked, never a wrong one; the cursor still moves over enrolments.
    const rows = await q.orderBy('enrolled_at').orderBy('person_id').limit(limit + 1).execute();
    const page = rows.slice(0, limit);
    const ids = page.map((r) => r.person_id);
    const profiles = await loadProfiles(ctx.db, ids);
    const people = await loadPublicPeople(ctx.db, ids);
    const rooms = await activeMentorRooms(ctx.db, ids);
    const items = page.map((r) => {
      const role = r.role === 'mentor' ? 'mentor' as const : 'mentee' as const;
      const profile = profiles.get(r.person_id) ?? emptyProfile(r.person_id);
      return {
        person: people.get(r.person_id) ?? { id: r.person_id, displayName: '', avatarUrl: null }, role, profile, completeness: completeness(profile, role),
        freeCapacity: role === 'mentor' ? Math.max(0, profile.capacity - (rooms.get(r.person_id) ?? 0)) : null,
      };
    }).filter((item) => query.incomplete === undefined || (item.completeness.missing.length > 0) === (query.incomplete === 'true'));
    return pageOf(rows, limit, (r) => [r.enrolled_at, r.person_id], items);
  }),

  handle(getCohortMatchingCompleteness, async ({ params, ctx }) => {
    requireProgramAdmin(ctx);
    const cohort = await cohortOf(ctx, params.cohortId);
    const { mentors, mentees } = await cohortPeople(ctx.db, cohort.id);
    const profiles = await loadProfiles(ctx.db, [...mentors, ...mentees]);
    const seats = await freeSeats(ctx.db, mentors);
    const tally = (ids: readonly string[], role: 'mentor' | 'mentee') => {
      const missing = Object.fromEntries(PROFILE_FIELDS.map((f) => [f, 0])) as Record<(typeof PROFILE_FIELDS)[number], number>;
      let complete = 0, optedOut = 0;
      for (const id of ids) {
        const p = profiles.get(id);
        if (!p) continue;
        const c = completeness(p, role);
        if (c.missing.length === 0) complete++;
        if (p.optedOut) optedOut++;
        for (const f of c.missing) missing[f]++;
      }
      return { people: ids.length, complete, optedOut, missing };
    };
    return {
      cohortId: cohort.id, mentors: tally(mentors, 'mentor'), mentees: tally(mentees, 'mentee'),
      seats: mentors.reduce((s, id) => s + (profiles.get(id)?.optedOut ? 0 : seats.get(id) ?? 0), 0),
    };
  }),

  // ---- Settings ----

  handle(getMatchingSettings, async ({ params, ctx }) => {
    requireProgramAdmin(ctx);
    const program = await programOf(ctx, params.programId);
    return loadSettings(ctx.db, program.id);
  }),

  handle(updateMatchingSettings, async ({ params, body, ctx }) => {
    requireProgramAdmin(ctx);
    const program = await programOf(ctx, params.programId);
    return ctx.tx(async (trx) => saveSettings(trx, program.org_id, program.id, body, ctx.now));
  }),

  // ---- Runs ----

  handle(createMatchingRun, async ({ params, body, ctx }) => {
    requireProgramAdmin(ctx);
    const cohort = await cohortOf(ctx, params.cohortId);
    await requireOpenProgram(ctx.db, cohort.program_id);
    let locks = body.locks ?? [];
    let excluded = body.excludedPersonIds ?? [];
    if (body.basedOn !== undefined) {
      const base = await runOf(ctx, body.basedOn);
      if (base.cohort_id !== cohort.id) throw invalid('basedOn', 'The run is of another cohort.');
      locks = [...parse<typeof locks>(base.locks).filter((l) => !locks.some((x) => x.menteeId === l.menteeId)), ...locks];
      excluded = [...new Set([...parse<string[]>(base.excluded), ...excluded])];
    }
    const settings = await loadSettings(ctx.db, cohort.program_id);
    const inputs = await loadInputs(ctx.db, cohort, settings, locks, excluded);
    const row = await newRun({ cohort, inputs, basedOn: body.basedOn ?? null, createdBy: ctx.principal.person?.id ?? null, now: ctx.now });
    await ctx.tx(async (trx) => {
      await matchingDb(trx).insertInto('matching_runs').values(row).execute();
      await supersedeDrafts(trx, cohort.id, row.id, ctx.now);
    });
    return runView(ctx.db, row);
  }),

  handle(listMatchingRuns, async ({ params, query, ctx }) => {
    requireProgramAdmin(ctx);
    const cohort = await cohortOf(ctx, params.cohortId);
    const limit = pageLimit(query.limit);
    const after = idCursor(query.cursor, 'mrun');
    let q = matchingDb(ctx.db).selectFrom('matching_runs').selectAll().where('cohort_id', '=', cohort.id);
    if (after !== undefined) q = q.where('id', '<', after);
    const rows = await q.orderBy('id', 'desc').limit(limit + 1).execute();
    return pageOf(rows, limit, (r) => [r.id], rows.slice(0, limit).map(runSummary));
  }),

  handle(getMatchingRun, async ({ params, ctx }) => {
    requireProgramAdmin(ctx);
    return runView(ctx.db, await runOf(ctx, params.runId));
  }),

  handle(getMatchingRunInputs, async ({ params, ctx }) => {
    requireProgramAdmin(ctx);
    return inputsView(await runOf(ctx, params.runId));
  }),

  handle(listMatchingCandidates, async ({ params, query, ctx }) => {
    requireProgramAdmin(ctx);
    const row = await runOf(ctx, params.runId);
    const d = draftOfAny(row);
    const items = candidatesOf(d, params.menteeId, query.limit ?? 20);
    const people = await loadPublicPeople(ctx.db, items.map((c) => c.mentorId));
    return { items: items.map(({ mentorId, ...c }) => ({ mentor: people.get(mentorId) ?? { id: mentorId, displayName: '', avatarUrl: null }, ...c })) };
  }),

  handle(lockMatchingPair, async ({ params, body, ctx }) => {
    requireProgramAdmin(ctx);
    const d = draftOf(await runOf(ctx, params.runId));
    lockPair(d, params.menteeId, body.mentorId);
    return runView(ctx.db, await saveDraft(ctx.db, d, ctx.now));
  }),

  handle(unlockMatchingPair, async ({ params, ctx }) => {
    requireProgramAdmin(ctx);
    const d = draftOf(await runOf(ctx, params.runId));
    unlockPair(d, params.menteeId);
    return runView(ctx.db, await saveDraft(ctx.db, d, ctx.now));
  }),

  handle(swapMatchingPairs, async ({ params, body, ctx }) => {
    requireProgramAdmin(ctx);
    const d = draftOf(await runOf(ctx, params.runId));
    const [a = '', b = ''] = body.menteeIds;
    swapPairs(d, a, b);
    return runView(ctx.db, await saveDraft(ctx.db, d, ctx.now));
  }),

  handle(excludeFromMatchingRun, async ({ params, ctx }) => {
    requireProgramAdmin(ctx);
    const d = draftOf(await runOf(ctx, params.runId));
    excludePerson(d, params.personId);
    return runView(ctx.db, await saveDraft(ctx.db, d, ctx.now));
  }),

  handle(includeInMatchingRun, async ({ params, ctx }) => {
    requireProgramAdmin(ctx);
    const d = draftOf(await runOf(ctx, params.runId));
    includePerson(d, params.personId);
    return runView(ctx.db, await saveDraft(ctx.db, d, ctx.now));
  }),

  handle(rerunMatchingRun, async ({ params, ctx }) => {
    requireProgramAdmin(ctx);
    const d = draftOf(await runOf(ctx, params.runId));
    const cohort = await cohortOf(ctx, d.row.cohort_id);
    await requireOpenProgram(ctx.db, cohort.program_id);
    const settings = await loadSettings(ctx.db, cohort.program_id);
    const inputs = await loadInputs(ctx.db, cohort, settings, d.locks, d.excluded);
    const row = await newRun({ cohort, inputs, basedOn: d.row.id, createdBy: ctx.principal.person?.id ?? null, now: ctx.now });
    await ctx.tx(async (trx) => {
      await matchingDb(trx).insertInto('matching_runs').values(row).execute();
      await supersedeDrafts(trx, cohort.id, row.id, ctx.now);
    });
    return runView(ctx.db, row);
  }),

  handle(publishMatchingRun, async ({ params, ctx }) => {
    requireProgramAdmin(ctx);
    const d = draftOf(await runOf(ctx, params.runId));
    const cohort = await cohortOf(ctx, d.row.cohort_id);
    await requireOpenProgram(ctx.db, cohort.program_id);
    // Checked again against the state now: people may have changed manager, left, or filled seats since the draft.
    const settings = await loadSettings(ctx.db, cohort.program_id);
    const now = await loadInputs(ctx.db, cohort, settings, [], d.excluded);
    const roles = new Map(now.profiles.map((p) => [p.profile.personId, p.role]));
    const facts = {
      managerOf: new Map(now.reportingLines.map((l) => [l.personId, l.managerId])), excludePeers: settings.excludePeers,
      excludedPairs: new Set(settings.excludedPairs.map((p) => pairKey(p.mentorId, p.menteeId))),
      existingPairs: new Set(now.existingPairs.map((p) => pairKey(p.mentorId, p.menteeId))),
      optedOut: new Set(now.profiles.filter((p) => p.profile.optedOut).map((p) => p.profile.personId)), excludedPeople: new Set(d.excluded),
    };
    const lines = new ReportingLines(facts.managerOf);
    const seats = new Map(now.profiles.filter((p) => p.role === 'mentor').map((p) => [p.profile.personId, Math.max(0, p.profile.capacity - p.activeRooms)]));
    for (const p of d.result.pairs) {
      const broken: Constraint[] = roles.get(p.mentorId) !== 'mentor' || roles.get(p.menteeId) !== 'mentee' ? ['not_enrolled'] : pairConstraints(facts, lines, p.mentorId, p.menteeId);
      const left = seats.get(p.mentorId) ?? 0;
      if (broken[0] === undefined && left <= 0) broken.push('capacity');
      seats.set(p.mentorId, left - 1);
      if (broken[0] !== undefined) {
        throw constraintConflict(broken[0], `The pair of mentor ${p.mentorId} and mentee ${p.menteeId} no longer holds: ${constraintText(broken[0])}. Re-run the draft.`);
      }
    }
    const row = await ctx.tx(async (trx, emit) => {
      const pairs = [];
      for (const p of d.result.pairs) {
        const link = await openCohortRoom(trx, emit, { cohort, mentorId: p.mentorId, menteeId: p.menteeId, authorId: ctx.principal.person?.id ?? null, now: ctx.now, origin: { matchRunId: d.row.id } });
        pairs.push({ ...p, roomId: link.room_id });
      }
      const result: StoredResult = { ...d.result, pairs };
      const done = await matchingDb(trx).updateTable('matching_runs').set({ status: 'published', published_at: ctx.now, updated_at: ctx.now, result: json(result) })
        .where('id', '=', d.row.id).where('status', '=', 'draft').executeTakeFirst();
      if (Number(done.numUpdatedRows) !== 1) throw new ApiError('conflict', 'The run changed meanwhile; reload it.', { field: 'runId' });
      // Requests of people now matched are moot.
      const matched = pairs.map((p) => p.menteeId);
      for (let i = 0; i < matched.length; i += 500) {
        await matchingDb(trx).updateTable('match_requests').set({ status: 'cancelled', responded_at: ctx.now }).where('cohort_id', '=', cohort.id)
          .where('status', '=', 'pending').where('mentee_id', 'in', matched.slice(i, i + 500)).execute();
      }
      return { ...d.row, status: 'published', published_at: ctx.now, updated_at: ctx.now, result: json(result) };
    });
    return runView(ctx.db, row);
  }),

  handle(discardMatchingRun, async ({ params, ctx }) => {
    requireProgramAdmin(ctx);
    const row = await runOf(ctx, params.runId);
    if (row.status === 'published') throw new ApiError('conflict', 'A published run cannot be discarded: its rooms exist.', { field: 'runId' });
    await matchingDb(ctx.db).updateTable('matching_runs').set({ status: 'discarded', updated_at: ctx.now }).where('id', '=', row.id).where('status', '!=', 'published').execute();
  }),

  // ---- Self-serve ----

  handle(listMatchSuggestions, async ({ query, ctx }) => {
    const me = actor(ctx);
    const cohort = await selfServeCohort(ctx, query.cohortId, me);
    const settings = await loadSettings(ctx.db, cohort.program_id);
    const { mentors } = await cohortPeople(ctx.db, cohort.id);
    const profiles = await loadProfiles(ctx.db, [...mentors, me]);
    const seats = await freeSeats(ctx.db, mentors);
    const managerOf = await managersOf(ctx.db, cohort.org_id);
    const existing = await activePairs(ctx.db, mentors, [me]);
    const facts = {
      managerOf, excludePeers: settings.excludePeers,
      excludedPairs: new Set(settings.excludedPairs.map((p) => pairKey(p.mentorId, p.menteeId))),
      existingPairs: new Set(existing.map((p) => pairKey(p.mentorId, p.menteeId))),
      optedOut: new Set([...profiles.values()].filter((p) => p.optedOut).map((p) => p.personId)), excludedPeople: new Set<string>(),
    };
    const lines = new ReportingLines(managerOf);
    const scorer = new Scorer(settings, new Date(ctx.now));
    const mine = profiles.get(me);
    if (!mine) throw new Error('unreachable: the caller has a profile');
    const pending = new Set((await matchingDb(ctx.db).selectFrom('match_requests').select('mentor_id').where('mentee_id', '=', me).where('cohort_id', '=', cohort.id)
      .where('status', '=', 'pending').execute()).map((r) => r.mentor_id));
    const items: (Omit<MatchSuggestion, 'mentor'> & { mentorId: string })[] = [];
    for (const mentorId of mentors) {
      const p = profiles.get(mentorId);
      const free = seats.get(mentorId) ?? 0;
      if (!p || free <= 0 || pairConstraints(facts, lines, mentorId, me).length > 0) continue;
      items.push({ mentorId, ...scorer.explain(scoringProfile(mine), scoringProfile(p)), freeCapacity: free, requested: pending.has(mentorId) });
    }
    items.sort((a, b) => b.score - a.score || a.mentorId.localeCompare(b.mentorId));
    const top = items.slice(0, query.limit ?? 10);
    const people = await loadPublicPeople(ctx.db, top.map((i) => i.mentorId));
    return { cohortId: cohort.id, items: top.map(({ mentorId, ...rest }) => ({ mentor: people.get(mentorId) ?? { id: mentorId, displayName: '', avatarUrl: null }, ...rest })) };
  }),

  handle(createMatchRequest, async ({ body, ctx }) => {
    const me = actor(ctx);
    const cohort = await selfServeCohort(ctx, body.cohortId, me);
    await requireOpenProgram(ctx.db, cohort.program_id);
    const mentor = await ctx.db.selectFrom('cohort_enrolments').select('role').where('cohort_id', '=', cohort.id).where('person_id', '=', body.mentorId).executeTakeFirst();
    if (mentor?.role !== 'mentor') throw notFound('The mentor (enrolled in this cohort)', 'mentorId');
    if (body.replacesRoomId !== undefined) {
      const offer = (await rematchOffers(ctx, me)).find((o) => o.roomId === body.replacesRoomId && o.cohortId === cohort.id);
      if (!offer) throw invalid('replacesRoomId', 'This room has no re-match offer for you (see listRematchOffers).');
    } else {
      const room = await ctx.db.selectFrom('cohort_rooms').innerJoin('rooms', 'rooms.id', 'cohort_rooms.room_id').select('cohort_rooms.room_id')
        .where('cohort_rooms.cohort_id', '=', cohort.id).where('cohort_rooms.mentee_id', '=', me).where('rooms.status', '=', 'active').executeTakeFirst();
      if (room) throw new ApiError('conflict', 'You already have a room in this cohort; a re-match offer is the way to change mentor.', { field: 'cohortId' });
    }
    const pending = await matchingDb(ctx.db).selectFrom('match_requests').select('id').where('mentee_id', '=', me).where('cohort_id', '=', cohort.id).where('status', '=', 'pending').executeTakeFirst();
    if (pending) throw new ApiError('conflict', `You already have a pending request in this cohort (${pending.id}); withdraw it first.`, { field: 'cohortId' });
    const broken = await liveConstraints(ctx, cohort, body.mentorId, me);
    if (broken[0] !== undefined) throw constraintConflict(broken[0], `You cannot ask this mentor: ${constraintText(broken[0])}.`);
    if (((await freeSeats(ctx.db, [body.mentorId])).get(body.mentorId) ?? 0) <= 0) throw constraintConflict('capacity', 'This mentor has no free seat now.');
    const settings = await loadSettings(ctx.db, cohort.program_id);
    const profiles = await loadProfiles(ctx.db, [me, body.mentorId]);
    const explained = new Scorer(settings, new Date(ctx.now)).explain(scoringProfile(profiles.get(me) ?? (await loadProfile(ctx.db, me))), scoringProfile(profiles.get(body.mentorId) ?? (await loadProfile(ctx.db, body.mentorId))));
    const row: MatchRequestsTable = {
      id: `mreq_${ulid()}`, org_id: cohort.org_id, cohort_id: cohort.id, mentee_id: me, mentor_id: body.mentorId, status: 'pending', message: body.message ?? '',
      score: explained.score, max_score: explained.maxScore, factors: json(explained.factors), response_note: null, room_id: null,
      replaces_room_id: body.replacesRoomId ?? null, created_at: ctx.now, responded_at: null,
    };
    await matchingDb(ctx.db).insertInto('match_requests').values(row).execute();
    return requestView(ctx.db, row);
  }),

  handle(listMyMatchRequests, async ({ query, ctx }) => {
    const me = actor(ctx);
    const limit = pageLimit(query.limit);
    const after = idCursor(query.cursor, 'mreq');
    let q = matchingDb(ctx.db).selectFrom('match_requests').selectAll().where('org_id', '=', ctx.principal.orgId);
    q = query.role === 'mentee' ? q.where('mentee_id', '=', me) : query.role === 'mentor' ? q.where('mentor_id', '=', me)
      : q.where((eb) => eb.or([eb('mentee_id', '=', me), eb('mentor_id', '=', me)]));
    if (query.status !== undefined) q = q.where('status', '=', query.status);
    if (after !== undefined) q = q.where('id', '<', after);
    const rows = await q.orderBy('id', 'desc').limit(limit + 1).execute();
    return pageOf(rows, limit, (r) => [r.id], await requestViews(ctx.db, rows.slice(0, limit)));
  }),

  handle(getMatchRequest, async ({ params, ctx }) => requestView(ctx.db, await requestOf(ctx, params.requestId))),

  handle(respondToMatchRequest, async ({ params, body, ctx }) => {
    const me = actor(ctx);
    const request = await requestOf(ctx, params.requestId);
    if (request.mentor_id !== me) throw new ApiError('forbidden', 'Only the mentor asked answers a request.');
    if (request.status !== 'pending') throw new ApiError('conflict', `This request is already ${request.status}.`, { field: 'requestId' });
    const cohort = await cohortOf(ctx, request.cohort_id);
    if (body.decision === 'decline') {
      const done = await matchingDb(ctx.db).updateTable('match_requests').set({ status: 'declined', response_note: body.note ?? null, responded_at: ctx.now })
        .where('id', '=', request.id).where('status', '=', 'pending').executeTakeFirst();
      if (Number(done.numUpdatedRows) !== 1) throw new ApiError('conflict', 'This request was answered meanwhile.', { field: 'requestId' });
    } else {
      await requireOpenProgram(ctx.db, cohort.program_id);
      const broken = await liveConstraints(ctx, cohort, request.mentor_id, request.mentee_id);
      if (broken[0] !== undefined) throw constraintConflict(broken[0], `This pair cannot open a room: ${constraintText(broken[0])}.`);
      // The mentor's profile row is the lock every accept of theirs takes first: on PostgreSQL
      // concurrent accepts wait for each other there; SQLite runs one write transaction at a time.
      await saveProfile(ctx.db, cohort.org_id, me, {}, ctx.now, null);
      await ctx.tx(async (trx, emit) => {
        const mdb = matchingDb(trx);
        await mdb.updateTable('matching_profiles').set({ capacity: (eb) => eb.ref('capacity') }).where('person_id', '=', me).execute();
        const profile = await mdb.selectFrom('matching_profiles').select('capacity').where('person_id', '=', me).executeTakeFirstOrThrow();
        const rooms = (await activeMentorRooms(trx, [me])).get(me) ?? 0;
        if (rooms >= profile.capacity) throw constraintConflict('capacity', `You mentor ${rooms} of your ${profile.capacity} mentees already: raise your capacity or decline.`);
        const claimed = await mdb.updateTable('match_requests').set({ status: 'accepted', response_note: body.note ?? null, responded_at: ctx.now })
          .where('id', '=', request.id).where('status', '=', 'pending').executeTakeFirst();
        if (Number(claimed.numUpdatedRows) !== 1) throw new ApiError('conflict', 'This request was answered meanwhile.', { field: 'requestId' });
        const link = await openCohortRoom(trx, emit, { cohort, mentorId: request.mentor_id, menteeId: request.mentee_id, authorId: me, now: ctx.now, origin: { matchRequestId: request.id } });
        await mdb.updateTable('match_requests').set({ room_id: link.room_id }).where('id', '=', request.id).execute();
        await mdb.updateTable('match_requests').set({ status: 'cancelled', responded_at: ctx.now }).where('cohort_id', '=', cohort.id)
          .where('mentee_id', '=', request.mentee_id).where('status', '=', 'pending').execute();
        if (request.replaces_room_id !== null) {
          await trx.updateTable('rooms').set({ status: 'archived', updated_at: ctx.now }).where('id', '=', request.replaces_room_id).where('status', '=', 'active').execute();
          const [old] = await roomViews(trx, await trx.selectFrom('rooms').selectAll().where('id', '=', request.replaces_room_id).execute());
          if (old) await emit({ orgId: cohort.org_id, event: { type: 'room.updated', occurredAt: ctx.now, roomId: old.id, data: old } });
        }
      });
    }
    return requestView(ctx.db, await requestOf(ctx, request.id));
  }),

  handle(withdrawMatchRequest, async ({ params, ctx }) => {
    const me = actor(ctx);
    const request = await requestOf(ctx, params.requestId);
    if (request.mentee_id !== me) throw new ApiError('forbidden', 'Only the mentee who asked withdraws a request.');
    const done = await matchingDb(ctx.db).updateTable('match_requests').set({ status: 'withdrawn', responded_at: ctx.now }).where('id', '=', request.id).where('status', '=', 'pending').executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) throw new ApiError('conflict', `This request is already ${request.status}.`, { field: 'requestId' });
  }),

  handle(listRematchOffers, async ({ ctx }) => ({ items: await rematchOffers(ctx, actor(ctx)) })),
];

/** A run of any status in the shape edits read, for read-only uses (a published run's candidates explain its choices too). */
function draftOfAny(row: MatchingRunsTable): ReturnType<typeof draftOf> {
  return draftOf({ ...row, status: 'draft' });
}
