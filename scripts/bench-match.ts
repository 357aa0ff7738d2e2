/**
 * `npm run bench:match`: the matching solver on synthetic cohorts (skills from a 60-skill
 * vocabulary, goals in words, 12 time zones, 4 languages, 15 departments, levels 1–10, a
 * reporting tree over everyone, mentors' active rooms, excluded pairs, opt-outs), in one process:
 *
 * - 1,000 mentees × 250 mentors, solved exactly (every allowed pair: the best 20 per mentee given to
 *   HiGHS, every other pair priced in until none improves), then pruned like the large size,
 *   against the greedy baseline (pairs taken best score first while both sides are free);
 *   `--check` also solves with every allowed pair given at once, which must agree;
 * - 10,000 mentees × 2,000 mentors with candidate pruning (each mentee's best K allowed mentors),
 *   against the greedy baseline over the same candidates, and against the exact total (levels 1–2,
 *   proven over all 20 million pairs by pricing them in).
 *
 * For each: matched, total and minimum score, the gap to the exact optimum (or to the bound),
 * hard-constraint violations (checked pair by pair from the facts; must be 0), and wall time.
 * The time includes scoring every allowed pair and building the model, not only HiGHS.
 *
 *   npm run bench:match
 *   npm run bench:match -- --k 40 --seed 7 --check --exact-large --only small|large
 */
import { availableParallelism, loadavg } from 'node:os';
import { DEFAULT_MATCH_WEIGHTS } from '@menteo/api/matching';
import { pairKey, type ConstraintFacts } from '../packages/server/src/matching/constraints.js';
import { matchPool, violations, type Pool, type PoolMentor, type PoolPerson } from '../packages/server/src/matching/pool.js';
import { Scorer, type ScoringProfile } from '../packages/server/src/matching/scoring.js';

const arg = (name: string) => process.argv[process.argv.indexOf(name) + 1];
const K = process.argv.includes('--k') ? Number(arg('--k')) : 40;
const SEED = process.argv.includes('--seed') ? Number(arg('--seed')) : 20261129;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    // mulberry32
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SKILLS = Array.from({ length: 60 }, (_, i) => ['typescript', 'sql', 'leadership', 'hiring', 'design', 'sales', 'finance', 'public-speaking', 'negotiation', 'kubernetes', 'writing', 'product', 'ux', 'data', 'security', 'go', 'rust', 'python', 'coaching', 'strategy'][i % 20] + (i < 20 ? '' : `-${Math.floor(i / 20)}`));
const WORDS = ['leadership', 'manager', 'promotion', 'architecture', 'hiring', 'feedback', 'presentation', 'negotiation', 'career', 'strategy', 'product', 'customers', 'data', 'security', 'writing', 'coaching', 'roadmap', 'delegation', 'confidence', 'network'];
const ZONES = ['Europe/Paris', 'Europe/London', 'Europe/Berlin', 'America/New_York', 'America/Chicago', 'America/Los_Angeles', 'America/Sao_Paulo', 'Asia/Kolkata', 'Asia/Singapore', 'Asia/Tokyo', 'Australia/Sydney', 'UTC'];
const LANGS = ['en', 'fr', 'de', 'pt-BR'];

/** A synthetic cohort: mentees, mentors, and a reporting tree over them and 5% extra managers. */
function cohort(mentees: number, mentors: number, seed: number): Pool {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const some = <T>(xs: readonly T[], lo: number, hi: number): T[] => {
    const n = lo + Math.floor(r() * (hi - lo + 1));
    const out = new Set<T>();
    while (out.size < n) out.add(pick(xs));
    return [...out];
  };
  const profile = (level: number): ScoringProfile => ({
    wants: some(SKILLS, 2, 5), offers: some(SKILLS, 3, 8), goals: some(WORDS, 2, 6).join(' and '),
    timeZone: r() < 0.05 ? null : pick(ZONES), languages: r() < 0.7 ? ['en'] : some(LANGS, 1, 2),
    department: `dept-${Math.floor(r() * 15)}`, seniority: level,
  });
  const menteePeople: PoolPerson[] = Array.from({ length: mentees }, (_, i) => ({ id: `e${i}`, profile: profile(1 + Math.floor(r() * 5)) }));
  const mentorPeople: PoolMentor[] = Array.from({ length: mentors }, (_, j) => ({
    id: `m${j}`, profile: profile(4 + Math.floor(r() * 7)),
    // Capacity 2–6, less the mentor's active rooms (0–1).
    freeSeats: 2 + Math.floor(r() * 5) - (r() < 0.3 ? 1 : 0),
  }));
  // Managers: extra people at the top, mentors under them, mentees under mentors or managers.
  const managers = Array.from({ length: Math.ceil((mentees + mentors) / 20) }, (_, k) => `x${k}`);
  const managerOf = new Map<string, string>();
  managers.forEach((m, k) => { if (k > 0) managerOf.set(m, managers[Math.floor(r() * k)] as string); });
  for (const m of mentorPeople) managerOf.set(m.id, r() < 0.5 ? pick(managers) : pick(mentorPeople.slice(0, Math.max(1, Number(m.id.slice(1))))).id);
  managerOf.delete('m0');
  managerOf.set('m0', managers[0] as string);
  for (const e of menteePeople) managerOf.set(e.id, r() < 0.6 ? pick(mentorPeople).id : pick(managers));
  const excludedPairs = new Set<string>();
  for (let k = 0; k < mentees / 10; k++) excludedPairs.add(pairKey(pick(mentorPeople).id, pick(menteePeople).id));
  const optedOut = new Set<string>();
  for (let k = 0; k < (mentees + mentors) / 100; k++) optedOut.add(r() < 0.8 ? pick(menteePeople).id : pick(mentorPeople).id);
  const facts: ConstraintFacts = { managerOf, excludePeers: false, excludedPairs, existingPairs: new Set(), optedOut, excludedPeople: new Set() };
  return { mentees: menteePeople, mentors: mentorPeople, facts, locks: [] };
}

interface Row { size: string; method: string; matched: number; total: number; min: number; gap: string; violations: number; seconds: string }
const rows: Row[] = [];
/** Rows print as they come: a long step does not hide the figures already measured. */
function row(r: Row): void {
  rows.push(r);
  console.log(`| ${r.size} | ${r.method} | ${r.matched < 0 ? '' : r.matched.toLocaleString('en')} | ${r.total.toLocaleString('en')} | ${r.min < 0 ? '' : r.min} | ${r.gap} | ${r.violations} | ${r.seconds} |`);
}
const pct = (a: number, b: number) => (b === 0 ? '0.00%' : `${(((b - a) / b) * 100).toFixed(2)}%`);

const check = process.argv.includes('--check');
/** The large size's exact total by pricing over 20 million pairs: minutes of CPU, so asked for. */
const exactLarge = process.argv.includes('--exact-large');

/** Wall and CPU seconds of a step: on a shared machine the CPU time says what the step costs, the wall time what it took. */
async function timed<T>(work: () => Promise<T>): Promise<{ value: T; seconds: string }> {
  const t = performance.now();
  const cpu = process.cpuUsage();
  const value = await work();
  const used = process.cpuUsage(cpu);
  return { value, seconds: `${((performance.now() - t) / 1000).toFixed(2)} (cpu ${((used.user + used.system) / 1e6).toFixed(2)})` };
}

async function measure(size: string, pool: Pool, fullExact: boolean): Promise<void> {
  const scorer = new Scorer({ weights: DEFAULT_MATCH_WEIGHTS, departmentPreference: 'different', idealSeniorityGap: 2 }, new Date('2026-11-29T10:00:00Z'));
  // Exact: best 20 per mentee, every other allowed pair priced in until none improves (column generation), all three levels.
  let exactTotal: number | null = null;
  if (fullExact) {
    const { value: res, seconds } = await timed(() => matchPool(pool, scorer));
    exactTotal = res.total;
    row({ size, method: `exact, all three levels (${res.edges.toLocaleString('en')} pairs given to HiGHS)`, matched: res.pairs.length, total: res.total, min: res.min, gap: '0 (optimum)', violations: violations(pool, res.pairs), seconds });
    row({ size, method: 'greedy over every allowed pair', matched: res.greedyMatched, total: res.greedyTotal, min: res.greedyMin, gap: pct(res.greedyTotal, res.total), violations: 0, seconds: '-' });
    if (check) {
      const { value: plain, seconds: s2 } = await timed(() => matchPool(pool, scorer, { allPairs: true }));
      row({ size, method: `cross-check: every allowed pair given at once (${plain.edges.toLocaleString('en')})`, matched: plain.pairs.length, total: plain.total, min: plain.min, gap: pct(plain.total, res.total), violations: violations(pool, plain.pairs), seconds: s2 });
    }
  }
  const { value: res, seconds } = await timed(() => matchPool(pool, scorer, { candidatesPerMentee: K }));
  const gap = (total: number) => (exactTotal === null ? 'exact not computed' : pct(total, exactTotal));
  row({ size, method: `pruned: best ${K} per mentee (${res.edges.toLocaleString('en')} pairs)`, matched: res.pairs.length, total: res.total, min: res.min, gap: gap(res.total), violations: violations(pool, res.pairs), seconds });
  row({ size, method: 'greedy over the same pruned pairs', matched: res.greedyMatched, total: res.greedyTotal, min: res.greedyMin, gap: gap(res.greedyTotal), violations: 0, seconds: '-' });
  if (!fullExact && exactLarge) {
    // Levels 1–2 (matched, total) proven over all 20 million pairs by pricing: the exact total the pruned one is compared with.
    const { value: ex, seconds: s2 } = await timed(() => matchPool(pool, scorer, { skipMaxMin: true }));
    row({ size, method: `exact total, levels 1–2 (${ex.edges.toLocaleString('en')} pairs given to HiGHS)`, matched: ex.pairs.length, total: ex.total, min: ex.min, gap: '0 (optimum)', violations: violations(pool, ex.pairs), seconds: s2 });
    row({ size, method: 'gap of the pruned run to it', matched: -1, total: res.total, min: -1, gap: pct(res.total, ex.total), violations: 0, seconds: '-' });
  }
}

console.log(`bench:match — Node ${process.version}, ${availableParallelism()} cores, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}, seed ${SEED}, K ${K}`);
const only = process.argv.includes('--only') ? arg('--only') : undefined;
console.log('| size | method | matched | total score | min score | gap | violations | seconds wall (cpu) |');
console.log('|---|---|---|---|---|---|---|---|');
if (only !== 'large') await measure('1,000 × 250', cohort(1000, 250, SEED), true);
if (only !== 'small') await measure('10,000 × 2,000', cohort(10_000, 2000, SEED + 1), false);
const bad = rows.reduce((n, r) => n + r.violations, 0);
if (bad > 0) {
  console.error(`${bad} hard-constraint violations`);
  process.exitCode = 1;
}
