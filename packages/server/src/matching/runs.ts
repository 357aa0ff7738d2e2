/**
 * Matching runs: solving a cohort into a draft kept with its inputs, the admin's edits of a draft
 * (lock, unlock, swap, exclude, include), and the views. Every edit is computed from the draft's
 * own snapshot, so a pair's reasons always match the data the run was made from.
 * @module
 */
import type { Constraint, FactorScore, MatchCandidate, MatchingRun, MatchingRunInputs, MatchingRunSummary, RunTotals, UnmatchedMentee } from '@menteo/api/matching';
import { ApiError } from '../http/errors.js';
import { ulid } from '../storage/ids.js';
import { json } from '../storage/json.js';
import type { CohortsTable } from '../storage/schema.js';
import { loadPublicPeople, type Db } from '../views/people.js';
import { type Inputs, poolOf, scorerOf, scoringProfile, factsOf } from './cohort.js';
import { ReportingLines, pairConstraints } from './constraints.js';
import { LockConflict, matchPool, type Lock, type UnmatchedReason } from './pool.js';
import { matchingDb, type MatchingRunsTable } from './tables.js';

/** A pair as a run stores it. */
export interface StoredPair {
  readonly mentorId: string;
  readonly menteeId: string;
  readonly score: number;
  readonly maxScore: number;
  readonly factors: FactorScore[];
  readonly locked: boolean;
  readonly roomId: string | null;
}

/** A run's result as stored. */
export interface StoredResult {
  readonly pairs: StoredPair[];
  readonly unmatched: { readonly menteeId: string; readonly reason: UnmatchedReason }[];
  readonly totals: RunTotals;
}

/**
 * Pool size (mentees × mentors) up to which runs are exact over every allowed pair (pricing;
 * 1,000 × 250 takes about 4 s); beyond, each mentee's best 40 allowed mentors, which lost nothing
 * at 1,000 × 250 (docs/benchmarks.md), so a request never waits for minutes of pricing.
 */
const EXACT_UP_TO_PAIRS = 1_000_000;

/** Parses a stored JSON document written by this module. */
export function parse<T>(value: string): T {
  return JSON.parse(value) as T;
}

/** The 409 a broken hard constraint answers: `field` names the constraint. */
export function constraintConflict(constraint: Constraint, detail: string): ApiError {
  return new ApiError('conflict', detail, { field: constraint, errors: [{ field: constraint, message: detail }] });
}

const CONSTRAINT_WORDS: Record<Constraint, string> = {
  self: 'one person cannot mentor themself',
  reporting_line: 'one is in the other\'s reporting chain',
  peers: 'they have the same manager, and this program excludes peers',
  capacity: 'the mentor has no free seat',
  excluded_pair: 'the program excludes this pair',
  opted_out: 'one of them opted out of matching',
  excluded_person: 'one of them is left out of this run',
  already_paired: 'they already share an active room',
  not_enrolled: 'one of them is not enrolled in the cohort with that role',
};

/** Why a pair is refused, in words. */
export function constraintText(c: Constraint): string {
  return CONSTRAINT_WORDS[c];
}

/** Solves inputs into a result (explained pairs, unmatched mentees, totals). */
export async function solveInputs(inputs: Inputs, at: Date): Promise<StoredResult> {
  const pool = poolOf(inputs);
  const scorer = scorerOf(inputs, at);
  const allowedPairs = pool.mentees.length * pool.mentors.length;
  let res;
  try {
    res = await matchPool(pool, scorer, allowedPairs > EXACT_UP_TO_PAIRS ? { candidatesPerMentee: 40 } : {});
  } catch (error) {
    if (error instanceof LockConflict) throw constraintConflict(error.constraint, `The locked pair cannot stand: ${constraintText(error.constraint)}.`);
    throw error;
  }
  const profiles = new Map(inputs.profiles.map((p) => [p.profile.personId, p.profile]));
  const pairs = res.pairs.map((p): StoredPair => {
    const mentee = profiles.get(p.menteeId);
    const mentor = profiles.get(p.mentorId);
    if (!mentee || !mentor) throw new Error('unreachable: a pair of people outside the inputs');
    return { mentorId: p.mentorId, menteeId: p.menteeId, ...scorer.explain(scoringProfile(mentee), scoringProfile(mentor)), locked: p.locked, roomId: null };
  });
  return {
    pairs, unmatched: [...res.unmatched],
    totals: {
      mentees: pool.mentees.length, mentors: pool.mentors.length, matched: pairs.length, totalScore: res.total, minScore: res.min,
      greedyTotalScore: res.greedyTotal, greedyMinScore: res.greedyMin, solveMs: res.solveMs,
    },
  };
}

/** Totals after an edit: figures recomputed, the greedy baseline and solve time kept from the solve. */
function retotal(result: StoredResult, pairs: StoredPair[], unmatched: StoredResult['unmatched']): StoredResult {
  const scores = pairs.map((p) => p.score);
  return {
    pairs: pairs.sort((a, b) => Number(b.locked) - Number(a.locked) || b.score - a.score),
    unmatched,
    totals: { ...result.totals, matched: pairs.length, totalScore: scores.reduce((s, x) => s + x, 0), minScore: scores.length ? Math.min(...scores) : 0 },
  };
}

/** A new run row for a cohort (the caller inserts it and supersedes the cohort's older drafts). */
export async function newRun(o: { cohort: CohortsTable; inputs: Inputs; basedOn: string | null; createdBy: string | null; now: string }): Promise<MatchingRunsTable> {
  const result = await solveInputs(o.inputs, new Date(o.now));
  return {
    id: `mrun_${ulid()}`, org_id: o.cohort.org_id, cohort_id: o.cohort.id, program_id: o.cohort.program_id, status: 'draft', based_on: o.basedOn,
    inputs: json(o.inputs), result: json(result), locks: json(o.inputs.locks), excluded: json(o.inputs.excludedPersonIds),
    created_by: o.createdBy, created_at: o.now, updated_at: o.now, published_at: null,
  };
}

/** The run's contract view. */
export async function runView(db: Db, row: MatchingRunsTable): Promise<MatchingRun> {
  const result = parse<StoredResult>(row.result);
  const ids = new Set<string>([...result.pairs.flatMap((p) => [p.mentorId, p.menteeId]), ...result.unmatched.map((u) => u.menteeId)]);
  if (row.created_by) ids.add(row.created_by);
  const people = await loadPublicPeople(db, ids);
  const person = (id: string) => people.get(id) ?? { id, displayName: '', avatarUrl: null };
  return {
    id: row.id, cohortId: row.cohort_id, programId: row.program_id, status: statusOf(row.status), basedOn: row.based_on,
    pairs: result.pairs.map((p) => ({
      mentor: person(p.mentorId), mentee: person(p.menteeId), score: p.score, maxScore: p.maxScore, factors: p.factors, locked: p.locked, roomId: p.roomId,
    })),
    unmatched: result.unmatched.map((u): UnmatchedMentee => ({ mentee: person(u.menteeId), reason: u.reason })),
    excludedPersonIds: parse<string[]>(row.excluded),
    totals: result.totals,
    createdBy: row.created_by ? person(row.created_by) : null,
    createdAt: row.created_at, updatedAt: row.updated_at, publishedAt: row.published_at,
  };
}

const STATUSES = { draft: 'draft', published: 'published', superseded: 'superseded', discarded: 'discarded' } as const;

function statusOf(s: string): MatchingRun['status'] {
  return STATUSES[s as keyof typeof STATUSES] ?? 'discarded';
}

/** A run row as a list item. */
export function runSummary(row: MatchingRunsTable): MatchingRunSummary {
  const result = parse<StoredResult>(row.result);
  return { id: row.id, cohortId: row.cohort_id, status: statusOf(row.status), basedOn: row.based_on, totals: result.totals, createdAt: row.created_at, publishedAt: row.published_at };
}

/** The run's inputs as the contract shows them. */
export function inputsView(row: MatchingRunsTable): MatchingRunInputs {
  return { runId: row.id, ...parse<Inputs>(row.inputs) };
}

/** A draft being edited: its snapshot, result, locks and exclusions. */
export interface Draft {
  readonly row: MatchingRunsTable;
  readonly inputs: Inputs;
  result: StoredResult;
  locks: Lock[];
  excluded: string[];
}

/** Opens a run for editing: only drafts change (409 otherwise). */
export function draftOf(row: MatchingRunsTable): Draft {
  if (row.status !== 'draft') throw new ApiError('conflict', `This run is ${row.status}; only a draft changes.`, { field: 'runId' });
  return { row, inputs: parse<Inputs>(row.inputs), result: parse<StoredResult>(row.result), locks: parse<Lock[]>(row.locks), excluded: parse<string[]>(row.excluded) };
}

/** Saves a draft's edits. */
export async function saveDraft(database: Db, d: Draft, now: string): Promise<MatchingRunsTable> {
  const db = matchingDb(database);
  const next = { result: json(d.result), locks: json(d.locks), excluded: json(d.excluded), updated_at: now };
  const done = await db.updateTable('matching_runs').set(next).where('id', '=', d.row.id).where('status', '=', 'draft').executeTakeFirst();
  if (Number(done.numUpdatedRows) !== 1) throw new ApiError('conflict', 'The run changed meanwhile (published, discarded or superseded); reload it.', { field: 'runId' });
  return { ...d.row, ...next };
}

function roleOf(d: Draft, personId: string): 'mentor' | 'mentee' | null {
  return d.inputs.profiles.find((p) => p.profile.personId === personId)?.role ?? null;
}

/** The constraints a pair breaks under the draft's snapshot and current exclusions. */
function brokenIn(d: Draft, mentorId: string, menteeId: string): Constraint[] {
  if (roleOf(d, mentorId) !== 'mentor' || roleOf(d, menteeId) !== 'mentee') return ['not_enrolled'];
  const facts = { ...factsOf(d.inputs), excludedPeople: new Set(d.excluded) };
  return pairConstraints(facts, new ReportingLines(facts.managerOf), mentorId, menteeId);
}

function explainIn(d: Draft, mentorId: string, menteeId: string): Pick<StoredPair, 'score' | 'maxScore' | 'factors'> {
  const profiles = new Map(d.inputs.profiles.map((p) => [p.profile.personId, p.profile]));
  const mentee = profiles.get(menteeId);
  const mentor = profiles.get(mentorId);
  if (!mentee || !mentor) throw new Error('unreachable: explaining people outside the inputs');
  return scorerOf(d.inputs, new Date(d.row.created_at)).explain(scoringProfile(mentee), scoringProfile(mentor));
}

/** Seats a mentor has in the draft's snapshot. */
function seatsOf(d: Draft, mentorId: string): number {
  const p = d.inputs.profiles.find((x) => x.profile.personId === mentorId && x.role === 'mentor');
  return p ? Math.max(0, p.profile.capacity - p.activeRooms) : 0;
}

/** Locks a mentee to a mentor in the draft. */
export function lockPair(d: Draft, menteeId: string, mentorId: string): void {
  const broken = brokenIn(d, mentorId, menteeId);
  if (broken[0] !== undefined) throw constraintConflict(broken[0], `This pair cannot be locked: ${constraintText(broken[0])}.`);
  let pairs = d.result.pairs.filter((p) => p.menteeId !== menteeId);
  const unmatched = d.result.unmatched.filter((u) => u.menteeId !== menteeId);
  const mine = pairs.filter((p) => p.mentorId === mentorId);
  if (mine.length >= seatsOf(d, mentorId)) {
    // Make room: the mentor's lowest unlocked pair goes back to the pool until the next re-run.
    const victim = mine.filter((p) => !p.locked).sort((a, b) => a.score - b.score)[0];
    if (!victim) throw constraintConflict('capacity', 'This mentor\'s seats are all taken by locked pairs.');
    pairs = pairs.filter((p) => p !== victim);
    unmatched.push({ menteeId: victim.menteeId, reason: 'no_free_seat' });
  }
  pairs.push({ mentorId, menteeId, ...explainIn(d, mentorId, menteeId), locked: true, roomId: null });
  d.locks = [...d.locks.filter((l) => l.menteeId !== menteeId), { mentorId, menteeId }];
  d.result = retotal(d.result, pairs, unmatched);
}

/** Releases a mentee's lock (the pair stays until the next re-run). */
export function unlockPair(d: Draft, menteeId: string): void {
  d.locks = d.locks.filter((l) => l.menteeId !== menteeId);
  d.result = retotal(d.result, d.result.pairs.map((p) => (p.menteeId === menteeId ? { ...p, locked: false } : p)), d.result.unmatched);
}

/** Two paired mentees exchange mentors; both new pairs are locked. */
export function swapPairs(d: Draft, a: string, b: string): void {
  if (a === b) throw new ApiError('invalid_request', 'Swap two different mentees.', { field: 'menteeIds' });
  const pa = d.result.pairs.find((p) => p.menteeId === a);
  const pb = d.result.pairs.find((p) => p.menteeId === b);
  if (!pa || !pb) throw new ApiError('conflict', 'Both mentees must have a pair in the draft to swap.', { field: 'menteeIds' });
  for (const [mentorId, menteeId] of [[pb.mentorId, a], [pa.mentorId, b]] as const) {
    const broken = brokenIn(d, mentorId, menteeId);
    if (broken[0] !== undefined) throw constraintConflict(broken[0], `The swap would pair someone where ${constraintText(broken[0])}.`);
  }
  const pairs = d.result.pairs.filter((p) => p !== pa && p !== pb);
  pairs.push({ mentorId: pb.mentorId, menteeId: a, ...explainIn(d, pb.mentorId, a), locked: true, roomId: null });
  pairs.push({ mentorId: pa.mentorId, menteeId: b, ...explainIn(d, pa.mentorId, b), locked: true, roomId: null });
  d.locks = [...d.locks.filter((l) => l.menteeId !== a && l.menteeId !== b), { mentorId: pb.mentorId, menteeId: a }, { mentorId: pa.mentorId, menteeId: b }];
  d.result = retotal(d.result, pairs, d.result.unmatched);
}

/** Leaves someone out of the draft: their pairs and locks go. */
export function excludePerson(d: Draft, personId: string): void {
  const role = roleOf(d, personId);
  if (role === null) throw new ApiError('not_found', 'This person is not in the run.', { field: 'personId' });
  if (!d.excluded.includes(personId)) d.excluded = [...d.excluded, personId];
  d.locks = d.locks.filter((l) => l.menteeId !== personId && l.mentorId !== personId);
  const gone = d.result.pairs.filter((p) => p.menteeId === personId || p.mentorId === personId);
  const unmatched = d.result.unmatched.filter((u) => u.menteeId !== personId);
  for (const p of gone) if (p.menteeId !== personId) unmatched.push({ menteeId: p.menteeId, reason: 'no_free_seat' });
  if (role === 'mentee') unmatched.push({ menteeId: personId, reason: 'excluded_person' });
  d.result = retotal(d.result, d.result.pairs.filter((p) => !gone.includes(p)), unmatched);
}

/** Takes someone back (considered by the next re-run). */
export function includePerson(d: Draft, personId: string): void {
  if (roleOf(d, personId) === null) throw new ApiError('not_found', 'This person is not in the run.', { field: 'personId' });
  d.excluded = d.excluded.filter((id) => id !== personId);
}

/** A draft's mentor candidates for one mentee, best first. */
export function candidatesOf(d: Draft, menteeId: string, limit: number): (Omit<MatchCandidate, 'mentor'> & { mentorId: string })[] {
  if (roleOf(d, menteeId) !== 'mentee') throw new ApiError('not_found', 'This mentee is not in the run.', { field: 'menteeId' });
  const out: (Omit<MatchCandidate, 'mentor'> & { mentorId: string })[] = [];
  for (const p of d.inputs.profiles) {
    if (p.role !== 'mentor') continue;
    const mentorId = p.profile.personId;
    const pairsInRun = d.result.pairs.filter((x) => x.mentorId === mentorId && x.menteeId !== menteeId);
    const blockedBy = brokenIn(d, mentorId, menteeId);
    if (pairsInRun.filter((x) => x.locked).length >= seatsOf(d, mentorId)) blockedBy.push('capacity');
    out.push({ mentorId, ...explainIn(d, mentorId, menteeId), blockedBy, pairsInRun: pairsInRun.length, freeCapacity: seatsOf(d, mentorId) });
  }
  return out.sort((a, b) => Number(a.blockedBy.length > 0) - Number(b.blockedBy.length > 0) || b.score - a.score).slice(0, limit);
}
