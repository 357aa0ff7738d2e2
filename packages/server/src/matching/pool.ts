/**
 * Matching a pool: people and facts in, pairs out. Builds the allowed pairs (hard constraints
 * first, so a forbidden pair never reaches the solver), keeps locked pairs, solves, and checks the
 * answer again against the constraints one pair at a time before anyone sees it.
 *
 * Large pools are pruned: each mentee keeps their best `candidatesPerMentee` allowed mentors, and
 * mentees left without a pair are tried again over the seats still free (at most three rounds).
 * Without pruning the solve is exact over every allowed pair.
 * @module
 */
import type { Constraint } from '@menteo/api/matching';
import { ReportingLines, pairConstraints, pairKey, type ConstraintFacts } from './constraints.js';
import type { Scorer, ScoringProfile } from './scoring.js';
import { greedyAssignment, solveAssignment, type Assignment, type AssignmentProblem, type Edge, type Pricing } from './solver.js';

/** A person of the pool. */
export interface PoolPerson {
  readonly id: string;
  readonly profile: ScoringProfile;
}

/** A mentor with the seats they have outside this run (capacity minus active rooms). */
export interface PoolMentor extends PoolPerson {
  readonly freeSeats: number;
}

/** A pair the admin fixed. */
export interface Lock {
  readonly mentorId: string;
  readonly menteeId: string;
}

/** What a run matches. */
export interface Pool {
  readonly mentees: readonly PoolPerson[];
  readonly mentors: readonly PoolMentor[];
  readonly facts: ConstraintFacts;
  readonly locks: readonly Lock[];
}

/** A proposed pair. */
export interface PoolPair {
  readonly mentorId: string;
  readonly menteeId: string;
  readonly score: number;
  readonly locked: boolean;
}

export type UnmatchedReason = 'no_eligible_mentor' | 'no_free_seat' | 'excluded_person' | 'opted_out';

/** The outcome of matching a pool. */
export interface PoolResult {
  readonly pairs: readonly PoolPair[];
  readonly unmatched: readonly { readonly menteeId: string; readonly reason: UnmatchedReason }[];
  readonly total: number;
  readonly min: number;
  /** The greedy baseline over the same allowed pairs (and pruning), locks included. */
  readonly greedyMatched: number;
  readonly greedyTotal: number;
  readonly greedyMin: number;
  /** Allowed pairs given to the solver (after pruning). */
  readonly edges: number;
  readonly solveMs: number;
}

/**
 * Options of {@link matchPool}. By default the solve is exact over every allowed pair: it starts
 * from each mentee's best 20 and prices every other pair in (column generation), so the optimum
 * is proven over all pairs without handing them all to the solver.
 */
export interface MatchOptions {
  /**
   * Heuristic mode for very large pools: keep each mentee's best N allowed mentors and never look
   * at the others (plus up to three rounds over the seats left for mentees left without a pair).
   */
  readonly candidatesPerMentee?: number;
  /** Every allowed pair handed to the solver at once (no pricing): the plain exact model, for cross-checks. */
  readonly allPairs?: boolean;
  /** Skip the fairness level (max-min); for measuring. */
  readonly skipMaxMin?: boolean;
  /** Candidates each mentee starts with in exact mode (20); tests lower it so pricing does the work. */
  readonly exactStart?: number;
}

/** Candidates each mentee starts with in exact mode, before pricing. */
const EXACT_START = 20;
/** Improving pairs added per mentee per pricing round. */
const PRICED_PER_MENTEE = 4;

/** A lock that breaks a hard constraint (or capacity). */
export class LockConflict extends Error {
  readonly lock: Lock;
  readonly constraint: Constraint;
  constructor(lock: Lock, constraint: Constraint) {
    super(`The pair ${lock.mentorId} → ${lock.menteeId} breaks the ${constraint} constraint.`);
    this.lock = lock;
    this.constraint = constraint;
  }
}

/** Keeps the `k` best of a stream of (index, score), by a bounded min-heap. */
class TopK {
  readonly idx: Int32Array;
  readonly score: Float64Array;
  size = 0;
  constructor(readonly k: number) {
    this.idx = new Int32Array(k);
    this.score = new Float64Array(k);
  }
  clear(): void {
    this.size = 0;
  }
  push(i: number, s: number): void {
    if (this.size < this.k) {
      let c = this.size++;
      while (c > 0) {
        const p = (c - 1) >> 1;
        if ((this.score[p] as number) <= s) break;
        this.idx[c] = this.idx[p] as number;
        this.score[c] = this.score[p] as number;
        c = p;
      }
      this.idx[c] = i;
      this.score[c] = s;
      return;
    }
    if (s <= (this.score[0] as number)) return;
    let c = 0;
    for (;;) {
      const l = 2 * c + 1;
      if (l >= this.size) break;
      const r = l + 1;
      const m = r < this.size && (this.score[r] as number) < (this.score[l] as number) ? r : l;
      if ((this.score[m] as number) >= s) break;
      this.idx[c] = this.idx[m] as number;
      this.score[c] = this.score[m] as number;
      c = m;
    }
    this.idx[c] = i;
    this.score[c] = s;
  }
}

/**
 * For each mentee, the mentor indices a pair constraint forbids, computed from the facts once
 * (reporting chains both ways, peers, excluded and existing pairs) instead of per pair.
 */
function forbiddenByMentee(pool: Pool, lines: ReportingLines, menteeIndex: ReadonlyMap<string, number>, mentorIndex: ReadonlyMap<string, number>): Set<number>[] {
  const out = pool.mentees.map(() => new Set<number>());
  const forbid = (mentorId: string, menteeId: string) => {
    const i = menteeIndex.get(menteeId);
    const j = mentorIndex.get(mentorId);
    if (i !== undefined && j !== undefined) out[i]?.add(j);
  };
  for (const e of pool.mentees) {
    for (const above of lines.above(e.id)) forbid(above, e.id);
    forbid(e.id, e.id);
  }
  for (const m of pool.mentors) for (const above of lines.above(m.id)) forbid(m.id, above);
  if (pool.facts.excludePeers) {
    const byManager = new Map<string, number[]>();
    pool.mentors.forEach((m, j) => {
      const mgr = pool.facts.managerOf.get(m.id);
      if (mgr !== undefined) byManager.set(mgr, [...(byManager.get(mgr) ?? []), j]);
    });
    pool.mentees.forEach((e, i) => {
      const mgr = pool.facts.managerOf.get(e.id);
      for (const j of (mgr === undefined ? [] : byManager.get(mgr) ?? [])) out[i]?.add(j);
    });
  }
  for (const key of [...pool.facts.excludedPairs, ...pool.facts.existingPairs]) {
    const [mentorId = '', menteeId = ''] = key.split('|');
    forbid(mentorId, menteeId);
  }
  return out;
}

/** Matches a pool: the optimum over allowed pairs, around the locks. */
export async function matchPool(pool: Pool, scorer: Scorer, options: MatchOptions = {}): Promise<PoolResult> {
  const started = performance.now();
  // MENTEO_MATCH_TRACE=1 prints the steps' times (the benchmark); `process` is absent in browsers (the mock).
  const traced = typeof process !== 'undefined' && Boolean(process.env['MENTEO_MATCH_TRACE']);
  const trace = traced ? (what: string) => console.error(`matching: ${what} at ${Math.round(performance.now() - started)} ms`) : () => undefined;
  const { facts } = pool;
  const lines = new ReportingLines(facts.managerOf);
  const out = (id: string) => facts.optedOut.has(id) || facts.excludedPeople.has(id);

  // Locks first: each must pass every constraint, and fit the mentor's seats.
  const seats = new Map(pool.mentors.map((m) => [m.id, m.freeSeats]));
  const lockedPairs: PoolPair[] = [];
  const lockedMentees = new Set<string>();
  const menteeProfiles = new Map(pool.mentees.map((p) => [p.id, p.profile]));
  const mentorProfiles = new Map(pool.mentors.map((p) => [p.id, p.profile]));
  for (const lock of pool.locks) {
    const mentee = menteeProfiles.get(lock.menteeId);
    const mentor = mentorProfiles.get(lock.mentorId);
    if (!mentee || !mentor) throw new LockConflict(lock, 'not_enrolled');
    const broken = pairConstraints(facts, lines, lock.mentorId, lock.menteeId);
    if (broken[0] !== undefined) throw new LockConflict(lock, broken[0]);
    if (lockedMentees.has(lock.menteeId)) continue;
    const left = seats.get(lock.mentorId) ?? 0;
    if (left <= 0) throw new LockConflict(lock, 'capacity');
    seats.set(lock.mentorId, left - 1);
    lockedMentees.add(lock.menteeId);
    lockedPairs.push({ mentorId: lock.mentorId, menteeId: lock.menteeId, score: scorer.score(scorer.compile(mentee, 'mentee'), scorer.compile(mentor, 'mentor')), locked: true });
  }

  const mentees = pool.mentees.filter((p) => !lockedMentees.has(p.id) && !out(p.id));
  const mentors = pool.mentors.filter((p) => !out(p.id));
  const menteeIndex = new Map(mentees.map((p, i) => [p.id, i]));
  const mentorIndex = new Map(mentors.map((p, j) => [p.id, j]));
  const forbidden = forbiddenByMentee({ ...pool, mentees, mentors }, lines, menteeIndex, mentorIndex);
  const cMentees = mentees.map((p) => scorer.compile(p.profile, 'mentee'));
  const cMentors = mentors.map((p) => scorer.compile(p.profile, 'mentor'));
  const capacities = mentors.map((m) => Math.max(0, seats.get(m.id) ?? 0));
  const eligible = new Uint8Array(mentees.length);

  const exact = options.candidatesPerMentee === undefined;
  const startK = exact ? (options.allPairs ? undefined : options.exactStart ?? EXACT_START) : options.candidatesPerMentee;
  /** Allowed edges of the given mentees over mentors with seats, each mentee's best `k` when set. */
  const edgesFor = (menteeIdx: readonly number[], caps: readonly number[], k: number | undefined): Edge[] => {
    const edges: Edge[] = [];
    const top = k === undefined ? null : new TopK(k);
    for (const i of menteeIdx) {
      const banned = forbidden[i] as Set<number>;
      const ci = cMentees[i];
      if (!ci) continue;
      top?.clear();
      for (let j = 0; j < cMentors.length; j++) {
        if ((caps[j] ?? 0) <= 0 || banned.has(j)) continue;
        eligible[i] = 1;
        const s = scorer.score(ci, cMentors[j] as (typeof cMentors)[number]);
        if (top) top.push(j, s);
        else edges.push({ mentee: i, mentor: j, score: s });
      }
      if (top) for (let t = 0; t < top.size; t++) edges.push({ mentee: i, mentor: top.idx[t] as number, score: top.score[t] as number });
    }
    return edges;
  };

  const all = mentees.map((_, i) => i);
  trace('pool built');
  let edges = edgesFor(all, capacities, startK);
  trace(`${edges.length} edges`);
  let edgeCount = edges.length;
  const problem: AssignmentProblem = { menteeCount: mentees.length, capacities, edges };
  // The baseline sees every allowed pair when that is affordable (exact mode), the pruned set otherwise.
  const greedy = greedyAssignment(exact && mentees.length * mentors.length <= 2_000_000 ? { ...problem, edges: edgesFor(all, capacities, undefined) } : problem);
  trace('greedy');
  // Pricing: every allowed pair outside the model whose reduced cost is positive, the best few
  // per mentee per round. The same constraint and score code as the edges above.
  let priced = 0;
  const pricing: Pricing = {
    maxScore: scorer.maxScore,
    price(u, v, B, threshold, has, tight) {
      const out: Edge[] = [];
      const top = new TopK(tight ? cMentors.length : PRICED_PER_MENTEE);
      const slack = tight ? -1e-6 : 1e-6;
      // No score exceeds maxScore, so a pair can only improve while B + maxScore − u − v > 0:
      // with mentors by ascending dual, each mentee's scan stops at the first mentor past that.
      const order = Int32Array.from(cMentors.keys()).sort((a, b) => (v[a] as number) - (v[b] as number));
      const cap = scorer.maxScore;
      for (let i = 0; i < cMentees.length; i++) {
        const banned = forbidden[i] as Set<number>;
        const ci = cMentees[i] as (typeof cMentees)[number];
        const ui = u[i] as number;
        const limit = B + cap - ui;
        top.clear();
        for (let o = 0; o < order.length; o++) {
          const j = order[o] as number;
          if ((v[j] as number) >= limit - slack) break;
          if ((capacities[j] ?? 0) <= 0 || banned.has(j)) continue;
          const s = scorer.score(ci, cMentors[j] as (typeof cMentors)[number]);
          if (s < threshold) continue;
          const rc = B + s - ui - (v[j] as number);
          if (rc > slack && !has(i, j)) top.push(j, rc);
        }
        for (let t = 0; t < top.size; t++) {
          const j = top.idx[t] as number;
          out.push({ mentee: i, mentor: j, score: scorer.score(ci, cMentors[j] as (typeof cMentors)[number]) });
        }
      }
      priced += out.length;
      return out;
    },
  };
  let solved: Assignment = await solveAssignment(problem, {
    ...(exact && !options.allPairs ? { pricing } : {}), ...(options.skipMaxMin ? { skipMaxMin: true } : {}), ...(traced ? { trace } : {}),
  });
  edgeCount += priced;
  trace('solved');
  const mentorOf = Int32Array.from(solved.mentorOf);
  // Pruning can leave a mentee whose best mentors all filled up while other seats stayed free:
  // try them again over the seats left.
  if (options.candidatesPerMentee !== undefined) {
    for (let round = 0; round < 3; round++) {
      const used = new Array<number>(mentors.length).fill(0);
      for (const j of mentorOf) if (j >= 0) used[j] = (used[j] ?? 0) + 1;
      const left = capacities.map((c, j) => c - (used[j] ?? 0));
      const waiting = all.filter((i) => mentorOf[i] === -1 && eligible[i] === 1);
      if (waiting.length === 0 || left.every((s) => s <= 0)) break;
      const residual = edgesFor(waiting, left, options.candidatesPerMentee).map((e) => ({ ...e, mentee: waiting.indexOf(e.mentee) }));
      if (residual.length === 0) break;
      edgeCount += residual.length;
      solved = await solveAssignment({ menteeCount: waiting.length, capacities: left, edges: residual });
      solved.mentorOf.forEach((j, w) => {
        if (j >= 0) mentorOf[waiting[w] as number] = j;
      });
    }
  }
  edges = [];

  const pairs: PoolPair[] = [...lockedPairs];
  const used = new Map<string, number>();
  for (const p of lockedPairs) used.set(p.mentorId, (used.get(p.mentorId) ?? 0) + 1);
  mentorOf.forEach((j, i) => {
    if (j < 0) return;
    const mentee = mentees[i] as PoolPerson;
    const mentor = mentors[j] as PoolMentor;
    pairs.push({ mentorId: mentor.id, menteeId: mentee.id, score: scorer.score(cMentees[i] as (typeof cMentees)[number], cMentors[j] as (typeof cMentors)[number]), locked: false });
    used.set(mentor.id, (used.get(mentor.id) ?? 0) + 1);
  });
  // The answer is checked again, pair by pair, against the authoritative constraint functions:
  // a defect in the fast path above must fail the run, not reach a room.
  for (const p of pairs) {
    const broken = pairConstraints(facts, lines, p.mentorId, p.menteeId);
    if (broken.length > 0) throw new Error(`matching: the solution holds a forbidden pair (${broken.join(', ')})`);
  }
  for (const m of pool.mentors) {
    if ((used.get(m.id) ?? 0) > Math.max(0, m.freeSeats)) throw new Error('matching: the solution exceeds a mentor\'s capacity');
  }

  const paired = new Set(pairs.map((p) => p.menteeId));
  const unmatched = pool.mentees.filter((p) => !paired.has(p.id)).map((p) => {
    const i = menteeIndex.get(p.id);
    const reason: UnmatchedReason = facts.optedOut.has(p.id) ? 'opted_out' : facts.excludedPeople.has(p.id) ? 'excluded_person'
      : i !== undefined && eligible[i] === 1 ? 'no_free_seat' : 'no_eligible_mentor';
    return { menteeId: p.id, reason };
  });
  const scores = pairs.map((p) => p.score);
  const lockedTotal = lockedPairs.reduce((s, p) => s + p.score, 0);
  const lockedMin = lockedPairs.length === 0 ? Number.POSITIVE_INFINITY : Math.min(...lockedPairs.map((p) => p.score));
  return {
    pairs: pairs.sort((a, b) => Number(b.locked) - Number(a.locked) || b.score - a.score),
    unmatched,
    total: scores.reduce((s, x) => s + x, 0),
    min: scores.length === 0 ? 0 : Math.min(...scores),
    greedyMatched: greedy.matched + lockedPairs.length,
    greedyTotal: greedy.total + lockedTotal,
    greedyMin: greedy.matched + lockedPairs.length === 0 ? 0 : Math.min(lockedMin, greedy.matched === 0 ? Number.POSITIVE_INFINITY : greedy.min),
    edges: edgeCount,
    solveMs: Math.round(performance.now() - started),
  };
}

/** Pairs that break a hard constraint or a capacity: 0 for any result of {@link matchPool}; the benchmark prints it. */
export function violations(pool: Pool, pairs: readonly Pick<PoolPair, 'mentorId' | 'menteeId'>[]): number {
  const lines = new ReportingLines(pool.facts.managerOf);
  let n = 0;
  const used = new Map<string, number>();
  const menteesSeen = new Set<string>();
  for (const p of pairs) {
    if (pairConstraints(pool.facts, lines, p.mentorId, p.menteeId).length > 0) n++;
    if (menteesSeen.has(p.menteeId)) n++;
    menteesSeen.add(p.menteeId);
    used.set(p.mentorId, (used.get(p.mentorId) ?? 0) + 1);
  }
  for (const m of pool.mentors) if ((used.get(m.id) ?? 0) > Math.max(0, m.freeSeats)) n++;
  return n;
}

export { pairKey };
