// The matching solver against brute force on small random pools (fast-check): the same
// lexicographic optimum (matched, then total, then minimum score), capacities held, no pair that a
// hard constraint forbids; and the scorer's fast path equal to the explained factors.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DEFAULT_MATCH_WEIGHTS } from '@menteo/api/matching';
import { ReportingLines, pairAllowed, pairConstraints, pairKey, type ConstraintFacts } from '../src/matching/constraints.js';
import { matchPool, violations, type Pool } from '../src/matching/pool.js';
import { Scorer, type ScoringProfile } from '../src/matching/scoring.js';
import { better, greedyAssignment, solveAssignment, type Assignment, type AssignmentProblem, type Edge, type Pricing } from '../src/matching/solver.js';

const SEED = 20261129;

/** Every assignment, enumerated: each mentee takes an allowed mentor with a seat, or none. */
function bruteForce(problem: AssignmentProblem): Pick<Assignment, 'matched' | 'total' | 'min'> {
  const byMentee: Edge[][] = Array.from({ length: problem.menteeCount }, () => []);
  for (const e of problem.edges) byMentee[e.mentee]?.push(e);
  const seats = [...problem.capacities];
  let best = { matched: 0, total: 0, min: 0 };
  const walk = (i: number, matched: number, total: number, min: number) => {
    if (i === problem.menteeCount) {
      const candidate = { matched, total, min: matched === 0 ? 0 : min };
      if (better(candidate, best)) best = candidate;
      return;
    }
    walk(i + 1, matched, total, min);
    for (const e of byMentee[i] ?? []) {
      if ((seats[e.mentor] ?? 0) <= 0) continue;
      seats[e.mentor] = (seats[e.mentor] ?? 0) - 1;
      walk(i + 1, matched + 1, total + e.score, Math.min(min, e.score));
      seats[e.mentor] = (seats[e.mentor] ?? 0) + 1;
    }
  };
  walk(0, 0, 0, Number.POSITIVE_INFINITY);
  return best;
}

/** A small pool: people 0..m-1 are mentees, m..m+n-1 mentors, with a random reporting forest and exclusions. */
const pool = fc.record({
  mentees: fc.integer({ min: 1, max: 6 }),
  mentors: fc.integer({ min: 1, max: 4 }),
  seed: fc.integer({ min: 1, max: 2 ** 30 }),
}).chain(({ mentees, mentors, seed }) => {
  const people = mentees + mentors;
  return fc.record({
    mentees: fc.constant(mentees),
    mentors: fc.constant(mentors),
    seed: fc.constant(seed),
    capacities: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: mentors, maxLength: mentors }),
    scores: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: mentees * mentors, maxLength: mentees * mentors }),
    // manager[i] = index of i's manager (or -1); only lower indices, so the forest has no cycle.
    managers: fc.array(fc.integer({ min: -1, max: people - 1 }), { minLength: people, maxLength: people }),
    excluded: fc.array(fc.tuple(fc.integer({ min: 0, max: mentors - 1 }), fc.integer({ min: 0, max: mentees - 1 })), { maxLength: 3 }),
    optedOut: fc.array(fc.integer({ min: 0, max: people - 1 }), { maxLength: 2 }),
    excludePeers: fc.boolean(),
  });
});

type Pool = typeof pool extends fc.Arbitrary<infer T> ? T : never;

function build(p: Pool) {
  const id = (i: number) => `p${i}`;
  const managerOf = new Map<string, string>();
  p.managers.forEach((mgr, i) => {
    if (mgr >= 0 && mgr !== i) managerOf.set(id(i), id(mgr));
  });
  const facts: ConstraintFacts = {
    managerOf, excludePeers: p.excludePeers,
    excludedPairs: new Set(p.excluded.map(([mentor, mentee]) => pairKey(id(p.mentees + mentor), id(mentee)))),
    existingPairs: new Set(), optedOut: new Set(p.optedOut.map(id)), excludedPeople: new Set(),
  };
  const lines = new ReportingLines(managerOf);
  const edges: Edge[] = [];
  for (let i = 0; i < p.mentees; i++) {
    for (let j = 0; j < p.mentors; j++) {
      if (pairAllowed(facts, lines, id(p.mentees + j), id(i))) edges.push({ mentee: i, mentor: j, score: p.scores[i * p.mentors + j] ?? 0 });
    }
  }
  const problem: AssignmentProblem = { menteeCount: p.mentees, capacities: p.capacities, edges };
  return { problem, facts, lines, id };
}

describe('matching solver', () => {
  it('finds the brute-force optimum (matched, then total, then minimum) and never breaks a hard constraint', async () => {
    await fc.assert(fc.asyncProperty(pool, async (p) => {
      const { problem, facts, lines, id } = build(p);
      const got = await solveAssignment(problem);
      const want = bruteForce(problem);
      assert.deepEqual({ matched: got.matched, total: got.total, min: got.min }, want);
      const used = new Array<number>(p.mentors).fill(0);
      got.mentorOf.forEach((mentor, mentee) => {
        if (mentor < 0) return;
        used[mentor] = (used[mentor] ?? 0) + 1;
        // The pair is allowed by every constraint, checked again from the facts, not from the edges.
        assert.deepEqual(pairConstraints(facts, lines, id(p.mentees + mentor), id(mentee)), []);
      });
      used.forEach((u, j) => assert.ok(u <= (p.capacities[j] ?? 0), `mentor ${j} over capacity`));
      // The greedy baseline never beats the optimum.
      assert.ok(!better(greedyAssignment(problem), got));
    }), { seed: SEED, numRuns: 300 });
  });

  it('finds the same optimum by pricing pairs in from any starting subset (column generation)', async () => {
    await fc.assert(fc.asyncProperty(pool, fc.array(fc.boolean(), { minLength: 24, maxLength: 24 }), async (p, keep) => {
      const { problem } = build(p);
      const start = problem.edges.filter((_, k) => keep[k % keep.length]);
      const pricing: Pricing = {
        maxScore: 5,
        price: (u, v, B, threshold, has, tight) => problem.edges.filter((e) => e.score >= threshold && !has(e.mentee, e.mentor) && B + e.score - (u[e.mentee] ?? 0) - (v[e.mentor] ?? 0) > (tight ? -1e-6 : 1e-6)),
      };
      const got = await solveAssignment({ ...problem, edges: start }, { pricing });
      assert.deepEqual({ matched: got.matched, total: got.total, min: got.min }, bruteForce(problem));
    }), { seed: SEED, numRuns: 200 });
  });

  it('matches a pool exactly by pricing: the same optimum as every allowed pair given at once, constraints held', async () => {
    const skills = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    const person = fc.record({
      wants: fc.subarray(skills), offers: fc.subarray(skills), goals: fc.constantFrom('', 'lead teams', 'design systems'),
      timeZone: fc.constantFrom('Europe/Paris', 'Asia/Tokyo', null), languages: fc.subarray(['en', 'fr']),
      department: fc.constantFrom('x', 'y', null), seniority: fc.constantFrom(null, 2, 5, 7),
    });
    const arb = fc.record({
      mentees: fc.array(person, { minLength: 1, maxLength: 30 }),
      mentors: fc.array(fc.tuple(person, fc.integer({ min: 0, max: 3 })), { minLength: 1, maxLength: 8 }),
      managers: fc.array(fc.tuple(fc.nat(40), fc.nat(40)), { maxLength: 10 }),
    });
    await fc.assert(fc.asyncProperty(arb, async (a) => {
      const mentees = a.mentees.map((profile, i) => ({ id: `e${i}`, profile }));
      const mentors = a.mentors.map(([profile, seats], j) => ({ id: `m${j}`, profile, freeSeats: seats }));
      const ids = [...mentees, ...mentors].map((x) => x.id);
      const managerOf = new Map<string, string>();
      for (const [x, y] of a.managers) if (ids[x % ids.length] !== ids[y % ids.length]) managerOf.set(ids[x % ids.length] as string, ids[y % ids.length] as string);
      const pool: Pool = {
        mentees, mentors, locks: [],
        facts: { managerOf, excludePeers: false, excludedPairs: new Set(), existingPairs: new Set(), optedOut: new Set(), excludedPeople: new Set() },
      };
      const scorer = new Scorer({ weights: DEFAULT_MATCH_WEIGHTS, departmentPreference: 'different', idealSeniorityGap: 2 }, new Date('2026-11-29T10:00:00Z'));
      // One candidate each to start with: pricing must bring in every other pair that matters.
      const priced = await matchPool(pool, scorer, { exactStart: 1 });
      const plain = await matchPool(pool, scorer, { allPairs: true });
      assert.deepEqual([priced.pairs.length, priced.total, priced.min], [plain.pairs.length, plain.total, plain.min]);
      assert.equal(violations(pool, priced.pairs), 0);
    }), { seed: SEED, numRuns: 60 });
  });

  it('keeps the reporting chain out in both directions, at any distance', () => {
    const managerOf = new Map([['e', 'm'], ['m', 'd'], ['d', 'ceo'], ['x', 'm']]);
    const lines = new ReportingLines(managerOf);
    const facts: ConstraintFacts = { managerOf, excludePeers: true, excludedPairs: new Set(), existingPairs: new Set(), optedOut: new Set(), excludedPeople: new Set() };
    assert.deepEqual(pairConstraints(facts, lines, 'm', 'e'), ['reporting_line']);
    assert.deepEqual(pairConstraints(facts, lines, 'ceo', 'e'), ['reporting_line']);
    assert.deepEqual(pairConstraints(facts, lines, 'e', 'd'), ['reporting_line']);
    assert.deepEqual(pairConstraints(facts, lines, 'x', 'e'), ['peers']);
    assert.deepEqual(pairConstraints(facts, lines, 'outsider', 'e'), []);
    // A cycle in HR data does not loop.
    const cyclic = new ReportingLines(new Map([['a', 'b'], ['b', 'a']]));
    assert.equal(cyclic.related('a', 'b'), true);
  });

  it('scores on the fast path exactly the sum of the explained factors', () => {
    const skills = ['typescript', 'sql', 'leadership', 'design', 'hiring', 'go'];
    const zones = ['Europe/Paris', 'America/New_York', 'Asia/Kolkata', 'UTC', 'Australia/Sydney', null];
    const profile = fc.record({
      wants: fc.subarray(skills), offers: fc.subarray(skills),
      goals: fc.constantFrom('', 'Grow into leadership and hiring', 'Learn SQL and design reviews', 'devenir manager, recrutement'),
      timeZone: fc.constantFrom(...zones), languages: fc.subarray(['en', 'fr', 'de', 'pt-BR']),
      department: fc.constantFrom(null, 'Sales', 'Engineering', 'engineering '), seniority: fc.constantFrom(null, 1, 3, 5, 8),
    });
    fc.assert(fc.property(profile, profile, fc.constantFrom('different', 'same', 'none') as fc.Arbitrary<'different' | 'same' | 'none'>, fc.integer({ min: 0, max: 4 }),
      (a: ScoringProfile, b: ScoringProfile, departmentPreference, idealSeniorityGap) => {
        const scorer = new Scorer({ weights: DEFAULT_MATCH_WEIGHTS, departmentPreference, idealSeniorityGap }, new Date('2026-11-29T10:00:00Z'));
        const explained = scorer.explain(a, b);
        assert.equal(scorer.score(scorer.compile(a, 'mentee'), scorer.compile(b, 'mentor')), explained.score);
        for (const f of explained.factors) assert.ok(f.points >= 0 && f.points <= f.weight, `${f.factor}: ${f.points} of ${f.weight}`);
      }), { seed: SEED, numRuns: 500 });
  });
});
