/**
 * The whole-pool assignment: mentees to mentors under capacities, over allowed pairs only (the
 * hard constraints are applied before: a forbidden pair is not an edge, so no solution can hold
 * it). The objective is lexicographic:
 *
 * 1. the most mentees matched (a program enrols people to be mentored; a pair scoring 0 still
 *    beats leaving someone alone, and an admin can exclude anyone);
 * 2. then the highest total score (the objective);
 * 3. then the highest lowest pair score (the worst-off mentee), among the solutions equal on 1
 *    and 2.
 *
 * Levels 1 and 2 are one linear program: maximise Σ (B + score) x over the b-matching polytope,
 * with B larger than any total score, so one more match always outweighs any score. The
 * constraint matrix is that of a bipartite graph, totally unimodular, so the simplex answers a
 * vertex that is integral: the LP optimum is the assignment optimum, no branch and bound. Level 3
 * is a binary search on a threshold t: forbid the pairs scoring below t and re-solve (warm start);
 * the largest t whose optimum keeps levels 1–2 unchanged is the best minimum.
 *
 * The solver is HiGHS (`highs`, its WebAssembly build), loaded on first use only: the app also
 * runs in browsers through `@menteo/mock`, which never needs it until a run is made.
 * @module
 */

/** An allowed pair with its score (indices into the problem's mentees and mentors). */
export interface Edge {
  readonly mentee: number;
  readonly mentor: number;
  readonly score: number;
}

/** An assignment problem: free seats per mentor, and the allowed pairs. */
export interface AssignmentProblem {
  readonly menteeCount: number;
  /** Free seats per mentor (already net of active rooms and locked pairs). */
  readonly capacities: readonly number[];
  readonly edges: readonly Edge[];
}

/** A solution: each mentee's mentor index (-1 for none), and its figures. */
export interface Assignment {
  readonly mentorOf: Int32Array;
  readonly matched: number;
  readonly total: number;
  /** The lowest score of a matched pair; 0 when no pair. */
  readonly min: number;
}

type Highs = import('highs').Highs;
type Loader = () => Promise<Highs>;
let loading: Promise<Highs> | undefined;

/** The HiGHS runtime, loaded once. */
async function highs(): Promise<Highs> {
  loading ??= import('highs').then((m: unknown) => {
    // The package is CommonJS with an ES build: TypeScript types the import as CommonJS (the
    // loader under `default.default`), Node loads the ES build (the loader is `default`).
    const d = (m as { default: Loader | { default: Loader } }).default;
    return (typeof d === 'function' ? d : d.default)();
  });
  return loading;
}

/** Figures of an assignment given as the chosen edge of each mentee. */
export function assignmentOf(problem: AssignmentProblem, chosen: ReadonlyArray<Edge | undefined>): Assignment {
  const mentorOf = new Int32Array(problem.menteeCount).fill(-1);
  let matched = 0, total = 0, min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < problem.menteeCount; i++) {
    const e = chosen[i];
    if (!e) continue;
    mentorOf[i] = e.mentor;
    matched++;
    total += e.score;
    min = Math.min(min, e.score);
  }
  return { mentorOf, matched, total, min: matched === 0 ? 0 : min };
}

/** True when `a` is better than `b` under the lexicographic objective. */
export function better(a: Pick<Assignment, 'matched' | 'total' | 'min'>, b: Pick<Assignment, 'matched' | 'total' | 'min'>): boolean {
  if (a.matched !== b.matched) return a.matched > b.matched;
  if (a.total !== b.total) return a.total > b.total;
  return a.min > b.min;
}

/**
 * The greedy baseline: pairs taken best score first while both sides are free (ties: fewer
 * matches left to lose). What a spreadsheet sort does; runs report it beside the optimum.
 */
export function greedyAssignment(problem: AssignmentProblem): Assignment {
  const seats = [...problem.capacities];
  const chosen: (Edge | undefined)[] = new Array<Edge | undefined>(problem.menteeCount);
  const order = [...problem.edges].sort((a, b) => b.score - a.score || a.mentee - b.mentee || a.mentor - b.mentor);
  for (const e of order) {
    if (chosen[e.mentee] || (seats[e.mentor] ?? 0) <= 0) continue;
    chosen[e.mentee] = e;
    seats[e.mentor] = (seats[e.mentor] ?? 0) - 1;
  }
  return assignmentOf(problem, chosen);
}

/**
 * Column generation over pairs not given as edges: the solver starts from the edges it was given
 * (a pruned set), and asks for every other allowed pair whose reduced cost shows it would improve
 * the optimum; when none would, the optimum over the given edges is the optimum over all allowed
 * pairs (LP duality). Exact without giving the solver millions of columns.
 */
export interface Pricing {
  /** An upper bound of any pair's score (B must exceed any total). */
  readonly maxScore: number;
  /**
   * Allowed pairs not yet in the model (`has` says which are), scoring at least `threshold`, whose
   * reduced cost `B + score − menteeDual − mentorDual` is positive: the best few per mentee. With
   * `tight`, every such pair whose reduced cost is zero or more instead (the optimal face).
   */
  price(menteeDual: Float64Array, mentorDual: Float64Array, B: number, threshold: number, has: (mentee: number, mentor: number) => boolean, tight?: boolean): Edge[];
}

/** Options of {@link solveAssignment}. */
export interface SolveOptions {
  /** Skip level 3 (the fairness tie-break); for measuring its cost. */
  readonly skipMaxMin?: boolean;
  /** Price pairs outside `problem.edges` in (exact over every allowed pair). */
  readonly pricing?: Pricing;
  /** Told each solve and pricing round (the benchmark's trace). */
  readonly trace?: (what: string) => void;
}

/** Pairs from which a cold solve uses the interior-point method rather than the simplex. */
const IPM_FROM_PAIRS = 100_000;

/** Rounds of pricing before giving up: each adds every improving pair, so a few suffice. */
const MAX_PRICING_ROUNDS = 100;

/** The optimal assignment under the lexicographic objective. */
export async function solveAssignment(problem: AssignmentProblem, options: SolveOptions = {}): Promise<Assignment> {
  let edges = problem.edges.filter((e) => (problem.capacities[e.mentor] ?? 0) > 0);
  const pricing = options.pricing;
  if (edges.length === 0 && !pricing) return assignmentOf(problem, []);
  const h = await highs();
  const m = problem.menteeCount;
  const n = problem.capacities.length;
  let maxScore = pricing?.maxScore ?? 0;
  for (const e of edges) maxScore = Math.max(maxScore, e.score);
  // One more match must outweigh any difference in total score.
  const B = maxScore * m + 1;
  const rowUpper = new Float64Array(m + n);
  rowUpper.fill(1, 0, m);
  for (let j = 0; j < n; j++) rowUpper[m + j] = Math.max(0, problem.capacities[j] ?? 0);
  const columns = (list: readonly Edge[]) => {
    const count = list.length;
    const starts = new Int32Array(count + 1);
    const indices = new Int32Array(2 * count);
    for (let k = 0; k < count; k++) {
      const e = list[k] as Edge;
      starts[k] = 2 * k;
      indices[2 * k] = e.mentee;
      indices[2 * k + 1] = m + e.mentor;
    }
    starts[count] = 2 * count;
    return {
      // No upper bound on a pair's column: the mentee's row already caps it at 1, and bounds that
      // never bind keep the duals meaningful for pricing.
      cost: Float64Array.from(list, (e) => B + e.score), lower: new Float64Array(count), upper: new Float64Array(count).fill(h.infinity),
      matrix: { format: 'csc' as const, starts, indices, values: new Float64Array(2 * count).fill(1), numRows: m + n, numCols: count },
    };
  };
  const modelOf = (list: readonly Edge[]) => {
    const c = columns(list);
    const created = h.createModel({
      numCols: list.length, numRows: m + n, sense: h.constants.objectiveSense.maximize, colCost: c.cost, colLower: c.lower, colUpper: c.upper,
      rowLower: new Float64Array(m + n), rowUpper, matrix: c.matrix,
    });
    created.options.set({ output_flag: false, presolve: 'off' });
    return created;
  };
  let model = modelOf(edges);
  /** Whether the model has been solved once (a basis to start from). */
  let warm = false;
  const inModel = new Set<number>(edges.map((e) => e.mentee * n + e.mentor));
  const has = (mentee: number, mentor: number) => inModel.has(mentee * n + mentor);
  try {
    const solveOnce = (threshold: number, priced = true): Assignment => {
      for (let round = 0; ; round++) {
        if (round > MAX_PRICING_ROUNDS) throw new Error('matching: pricing did not converge');
        // A model without columns yet (everything to be priced in) is optimal at 0 with zero duals.
        const empty = edges.length === 0;
        if (!empty) {
          // Large cold starts go to the interior-point method with crossover (a vertex, so still
          // integral): on 400,000 pairs of the benchmark it took 21 s of CPU where the dual simplex
          // took 78 s. Re-solves after pricing or bound changes stay with the warm-started simplex.
          const cold = round === 0 && !warm && edges.length > IPM_FROM_PAIRS;
          model.options.set({ solver: cold ? 'ipm' : 'simplex' });
          model.run();
          warm = true;
          const status = model.getModelStatus();
          if (status !== h.constants.modelStatus.optimal) throw new Error(`HiGHS ended with model status ${status}`);
          options.trace?.(`threshold ${threshold}: HiGHS optimal over ${edges.length} pairs`);
        }
        if (!pricing || !priced) break;
        const duals = empty ? new Float64Array(m + n) : model.getSolution().rowDual;
        const added = pricing.price(duals.subarray(0, m), duals.subarray(m, m + n), B, threshold, has).filter((e) => !has(e.mentee, e.mentor));
        options.trace?.(`threshold ${threshold}: round ${round} priced in ${added.length} pairs`);
        if (added.length === 0) break;
        for (const e of added) {
          inModel.add(e.mentee * n + e.mentor);
          edges.push(e);
        }
        const c = columns(added);
        model.addCols(c);
      }
      if (edges.length === 0) return assignmentOf(problem, []);
      const x = model.getSolution().colValue;
      const chosen: (Edge | undefined)[] = new Array<Edge | undefined>(m);
      for (let k = 0; k < edges.length; k++) {
        const v = x[k] ?? 0;
        // A vertex of this polytope is integral; a fractional value would mean a numerical
        // failure, and trusting it could break capacity.
        if (v > 1e-6 && v < 1 - 1e-6) throw new Error('HiGHS answered a fractional assignment');
        if (v > 0.5) chosen[(edges[k] as Edge).mentee] = edges[k];
      }
      return assignmentOf(problem, chosen);
    };
    let best = solveOnce(Number.NEGATIVE_INFINITY);
    if (options.skipMaxMin || best.matched === 0) return best;
    // Level 3 runs on the optimal face only. A pair whose reduced cost is negative at the optimum
    // is in no optimal solution (complementary slackness holds between every optimal primal and
    // this optimal dual), so the search keeps only the tight pairs: a far smaller model, solved
    // again at each threshold.
    // With pricing, the pairs outside the model that are tight too join it now, so the search
    // needs no pricing: every optimal solution lies on this face.
    const solution = model.getSolution();
    const reduced = solution.colDual;
    const tight = edges.filter((_, k) => (reduced[k] ?? 0) >= -1e-6);
    const outside = pricing ? pricing.price(solution.rowDual.subarray(0, m), solution.rowDual.subarray(m, m + n), B, Number.NEGATIVE_INFINITY, has, true) : [];
    options.trace?.(`optimal face: ${tight.length} pairs of the model, ${outside.length} priced in`);
    model.dispose();
    edges = [...tight, ...outside.filter((e) => !has(e.mentee, e.mentor))];
    model = modelOf(edges);
    warm = false;
    const probe = (threshold: number) => solveOnce(threshold, false);
    const bound = (threshold: number) => {
      const upper = new Float64Array(edges.length);
      for (let k = 0; k < edges.length; k++) upper[k] = (edges[k] as Edge).score >= threshold ? h.infinity : 0;
      if (edges.length > 0) model.changeColsBounds({ kind: 'range', from: 0, to: edges.length - 1 }, new Float64Array(edges.length), upper);
    };
    // Level 3: the largest threshold that keeps levels 1 and 2, among the face's scores.
    const thresholds = [...new Set(edges.map((e) => e.score))].filter((x) => x > best.min).sort((a, b) => a - b);
    let lo = 0, hi = thresholds.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const t = thresholds[mid] as number;
      bound(t);
      const candidate = probe(t);
      if (candidate.matched === best.matched && candidate.total === best.total) {
        best = candidate;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return best;
  } finally {
    model.dispose();
  }
}
