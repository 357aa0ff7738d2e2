/**
 * `npm run bench:server`: feed-page reads on loopback against the honest ceiling, a minimal
 * handler doing the same queries and answering the same bytes (scripts/bench-server-minimal.mjs:
 * Hono + better-sqlite3 written by hand), measured in the same run with their rounds interleaved
 * (minimal, Menteo, minimal, Menteo…) after a warm-up long enough for Menteo to settle; the page
 * cost at 10k and at 1M posts, and with 0 and 50 reactions per post.
 *
 * Each server runs in its own child process, autocannon in this one. Datasets are built once into
 * .menteo/bench/ (1M posts take about a minute) and reused. Menteo runs from its TypeScript
 * sources (tsx; `--dist` runs packages/server/dist instead).
 *
 *   npm run bench:server                   10k and 1M posts
 *   npm run bench:server -- --quick        10k and 100k posts, fewer and shorter rounds
 *   npm run bench:server -- --rebuild      rebuild the datasets
 *   npm run bench:server -- --rounds=6 --duration=5 --warmup=15
 *   npm run bench:server -- --cpu-prof=DIR  profile Menteo (node --cpu-prof) and print the top self time
 *   npm run bench:server -- --profile-report=DIR   print the self time of profiles taken earlier
 *   npm run bench:server -- --menteo=DIR   run Menteo from another checkout (before/after figures)
 *   npm run bench:server -- --only=feed    only the 10k feed pairs (no page-cost datasets)
 *   npm run bench:server -- --large=100000 the page-cost dataset's size (1M by default)
 *
 *   npm run bench:server -- --postgres     on PostgreSQL (MENTEO_BENCH_DATABASE_URL's server, else a throwaway cluster)
 *
 * With MENTEO_DATABASE_URL set to a PostgreSQL server, both Menteo and the minimal handler
 * (bench-server-minimal-pg.mjs) run on a database created there for the run (bench-server-pg.ts)
 * and dropped after it; only the 10k feed pages are measured on PostgreSQL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import SqliteDatabase from 'better-sqlite3';
import { encodeCursor } from '../packages/server/src/storage/cursor.js';
import { dataset, type Dataset } from './bench-dataset.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const flag = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const quick = process.argv.includes('--quick');
const rebuild = process.argv.includes('--rebuild');
const onlyFeed = flag('only') === 'feed';
const useDist = process.argv.includes('--dist');
const menteoRoot = resolve(flag('menteo') ?? root);
const profileDir = flag('cpu-prof');
const SIZES = [10_000, Number(flag('large') ?? (quick ? 100_000 : 1_000_000))];
const ROUNDS = Number(flag('rounds') ?? (quick ? 3 : 5));
const DURATION = Number(flag('duration') ?? (quick ? 3 : 5));
const WARMUP = Number(flag('warmup') ?? (quick ? 8 : 15));
const CONNECTIONS = 16;
const REACTIONS_PER_POST = 50;
const AIM = { ratio: 0.6, p99: 25, pageCost: 1.2 };

/**
 * PostgreSQL: with MENTEO_DATABASE_URL (a server whose user may create databases) or `--postgres`
 * (MENTEO_BENCH_DATABASE_URL's server, else a throwaway cluster as the tests start), both Menteo
 * and the minimal handler (bench-server-minimal-pg.mjs) run on a database of their own, created
 * and dropped here; only the 10k feed pages are measured there.
 */
const postgres = process.env.MENTEO_DATABASE_URL?.startsWith('postgres')
  ? process.env.MENTEO_DATABASE_URL
  : process.argv.includes('--postgres') ? process.env.MENTEO_BENCH_DATABASE_URL ?? 'throwaway' : undefined;

/** Servers still running, ended if the bench is interrupted (their own ids, nothing else). */
const running = new Set<ChildProcess>();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    for (const proc of running) proc.kill('SIGTERM');
    process.exit(130);
  });
}

/** Starts a child process that prints its URL in its output. */
function child(args: string[], env: NodeJS.ProcessEnv, cwd = root): Promise<{ url: string; proc: ChildProcess }> {
  return new Promise((resolveChild, reject) => {
    const proc = spawn(process.execPath, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    running.add(proc);
    proc.once('exit', () => running.delete(proc));
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/[\d.]+:\d+)/.exec(out);
      if (m) resolveChild({ url: m[1]!, proc });
    });
    proc.once('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
}

async function stop(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null) return;
  await new Promise<void>((done) => {
    proc.once('exit', () => done());
    proc.kill('SIGTERM');
  });
}

/** A dataset, on SQLite (`dbPath`) or on PostgreSQL (`databaseUrl`). */
type Store = Dataset & { readonly databaseUrl?: string };

function menteo(ds: Store): Promise<{ url: string; proc: ChildProcess }> {
  const env = { PORT: '0', MENTEO_RATE_LIMIT: 'off', ...(ds.databaseUrl ? { MENTEO_DATABASE_URL: ds.databaseUrl, MENTEO_INTEGRATIONS: 'off' } : { MENTEO_DB: ds.dbPath }) };
  const prof = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${resolve(profileDir)}`] : [];
  if (useDist) return child([...prof, join(menteoRoot, 'packages/server/dist/main.js')], env, menteoRoot);
  return child([...prof, '--conditions=source', '--import', 'tsx', join(menteoRoot, 'packages/server/src/main.ts')], env, menteoRoot);
}

function minimal(ds: Store, eventPosition: boolean): Promise<{ url: string; proc: ChildProcess }> {
  const env = { PORT: '0', MINIMAL_EVENT_POSITION: eventPosition ? '1' : '0' };
  if (ds.databaseUrl) return child([join(root, 'scripts/bench-server-minimal-pg.mjs')], { ...env, MENTEO_DATABASE_URL: ds.databaseUrl });
  return child([join(root, 'scripts/bench-server-minimal.mjs')], { ...env, MENTEO_DB: ds.dbPath });
}

const POSITION = 'menteo-event-position';

interface Run {
  requests: number;
  seconds: number;
  p50: number;
  p99: number;
  errors: number;
  /** The server process's CPU time (user + system) during the run, in µs. */
  cpuMicros: number;
}

/** CPU time used so far by a process (utime + stime of /proc/<pid>/stat), in µs. */
function cpuOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  // After the command's closing parenthesis: utime and stime are the 12th and 13th fields, in ticks of 10 ms.
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

async function run(url: string, headers: Record<string, string>, seconds: number, pid: number): Promise<Run> {
  const before = cpuOf(pid);
  const r = await autocannon({ url, headers, connections: CONNECTIONS, duration: seconds });
  return { requests: r.requests.total, seconds, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx, cpuMicros: cpuOf(pid) - before };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

interface Summary {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  worstP99: number;
  errors: number;
  /** Server CPU per request, µs: steadier than req/s on a shared machine (waiting for a core is not counted). */
  cpu: number;
}

function summary(name: string, runs: Run[]): Summary {
  const requests = runs.reduce((a, r) => a + r.requests, 0);
  const seconds = runs.reduce((a, r) => a + r.seconds, 0);
  return {
    name, rps: requests / seconds, p50: median(runs.map((r) => r.p50)), p99: median(runs.map((r) => r.p99)),
    worstP99: Math.max(...runs.map((r) => r.p99)), errors: runs.reduce((a, r) => a + r.errors, 0),
    cpu: runs.reduce((a, r) => a + r.cpuMicros, 0) / Math.max(1, requests),
  };
}

interface Pair {
  label: string;
  minimal: Summary;
  menteo: Summary;
  /** Menteo / minimal per adjacent pair of rounds. */
  ratios: number[];
}

/** Warm-up, then ROUNDS × (minimal, Menteo). */
async function pair(label: string, minimalUrl: string, menteoUrl: string, headers: Record<string, string>, pids: { minimal: number; menteo: number }): Promise<Pair> {
  process.stdout.write(`${label}: warm-up ${WARMUP} s… `);
  await run(menteoUrl, headers, WARMUP, pids.menteo);
  await run(minimalUrl, headers, Math.min(WARMUP, 5), pids.minimal);
  const a: Run[] = [];
  const b: Run[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    a.push(await run(minimalUrl, headers, DURATION, pids.minimal));
    b.push(await run(menteoUrl, headers, DURATION, pids.menteo));
    process.stdout.write(`${i + 1} `);
  }
  console.log('');
  return { label, minimal: summary(`minimal, ${label}`, a), menteo: summary(`Menteo, ${label}`, b), ratios: a.map((x, i) => b[i]!.requests / x.requests) };
}

/** Menteo alone (page cost at another size), same warm-up and rounds. */
async function alone(label: string, menteoUrl: string, headers: Record<string, string>, pid: number): Promise<Summary> {
  process.stdout.write(`${label}: warm-up ${WARMUP} s… `);
  await run(menteoUrl, headers, WARMUP, pid);
  const runs: Run[] = [];
  for (let i = 0; i < ROUNDS; i++) runs.push(await run(menteoUrl, headers, DURATION, pid));
  console.log('');
  return summary(`Menteo, ${label}`, runs);
}

async function token(url: string, ds: Dataset): Promise<string> {
  const session = await fetch(`${url}/v1/embed-sessions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ds.apiKey}`, 'content-type': 'application/json' },
    // The page needs threads:read; naming it keeps the token valid whatever scopes the key lacks.
    body: JSON.stringify({ personId: ds.personId, scopes: ['threads:read'] }),
  });
  const { clientSecret } = (await session.json()) as { clientSecret: string };
  const exchanged = await fetch(`${url}/v1/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ clientSecret }) });
  return ((await exchanged.json()) as { accessToken: string }).accessToken;
}

/** Both answers must be the same bytes, or the comparison means nothing. */
async function sameBytes(path: string, minimalUrl: string, menteoUrl: string, headers: Record<string, string>): Promise<string> {
  const [a, b] = await Promise.all([fetch(minimalUrl + path, { headers }), fetch(menteoUrl + path, { headers })]);
  const [ta, tb] = [await a.text(), await b.text()];
  if (a.headers.get(POSITION) !== b.headers.get(POSITION)) throw new Error(`event positions differ: minimal ${a.headers.get(POSITION)}, Menteo ${b.headers.get(POSITION)}`);
  if (!a.ok || !b.ok) throw new Error(`feed page answered ${a.status} (minimal) / ${b.status} (Menteo): ${ta.slice(0, 200)} ${tb.slice(0, 200)}`);
  if (ta !== tb) {
    const at = [...ta].findIndex((ch, i) => ch !== tb[i]);
    throw new Error(`the minimal handler's bytes differ from Menteo's at ${at}:\n minimal …${ta.slice(at - 80, at + 80)}\n Menteo  …${tb.slice(at - 80, at + 80)}`);
  }
  return tb;
}

/**
 * The 10k dataset with 50 reactions on every post (20 people × 5 kinds, the viewer's among
 * them), in a file of its own. Counts are rebuilt when the schema keeps them (migration 009);
 * otherwise the server's migration fills them.
 */
function withReactions(base: Dataset, perPost: number): Dataset {
  const dbPath = base.dbPath.replace(/\.db$/, `-r${perPost}-v1.db`);
  const meta = { ...base, dbPath };
  if (!rebuild && existsSync(dbPath)) return meta;
  process.stdout.write(`building dataset: ${perPost} reactions per post… `);
  for (const f of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`]) rmSync(f, { force: true });
  const src = new SqliteDatabase(base.dbPath);
  src.pragma('wal_checkpoint(TRUNCATE)');
  src.close();
  copyFileSync(base.dbPath, dbPath);
  const db = new SqliteDatabase(dbPath);
  db.pragma('journal_mode = WAL');
  const people = (db.prepare('select id from people order by id').all() as { id: string }[]).map((p) => p.id);
  const kinds = ['applause', 'insight', 'support', 'celebrate', 'curious'];
  const combos = people.flatMap((person) => kinds.map((kind) => ({ person, kind })));
  const posts = (db.prepare('select id, created_at from posts').all() as { id: string; created_at: string }[]);
  const insert = db.prepare('insert into reactions (post_id, person_id, kind, created_at) values (?, ?, ?, ?)');
  db.transaction(() => {
    posts.forEach((p, i) => {
      // Distinct (person, kind) pairs, a different set from post to post; every kind is among
      // any five consecutive ones, so 5 and 50 per post give answers of the same shape.
      for (let j = 0; j < perPost; j++) {
        const c = combos[(i + j * 2) % combos.length]!;
        insert.run(p.id, c.person, c.kind, p.created_at);
      }
    });
    if (db.prepare(`select 1 from sqlite_master where type = 'table' and name = 'reaction_counts'`).get()) {
      db.exec('delete from reaction_counts; insert into reaction_counts (post_id, kind, count) select post_id, kind, count(*) from reactions group by post_id, kind');
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.exec('analyze');
  db.close();
  console.log('done');
  return meta;
}

/** Self time of the profiles in `dir` (idle excluded), by function and by module, top `n` of each. */
function topSelfTime(dir: string, n = 15): { functions: string[]; modules: string[] } {
  interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number } }
  const byFunction = new Map<string, number>();
  const byModule = new Map<string, number>();
  let total = 0;
  const add = (map: Map<string, number>, key: string, dt: number) => map.set(key, (map.get(key) ?? 0) + dt);
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.cpuprofile'))) {
    const prof = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
    const byId = new Map(prof.nodes.map((node) => [node.id, node]));
    prof.samples.forEach((id, i) => {
      const frame = byId.get(id)!.callFrame;
      if (frame.functionName === '(idle)') return;
      const module = frame.url.replace(/^file:\/\//, '').replace(/^.*node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?/, '').replace(/^.*\/packages\//, '');
      const where = module ? ` ${module}:${frame.lineNumber + 1}:${frame.columnNumber + 1}` : '';
      const dt = prof.timeDeltas[i] ?? 0;
      add(byFunction, `${frame.functionName || '(anonymous)'}${where}`, dt);
      add(byModule, module.startsWith('kysely/') ? 'kysely (all modules)' : module.startsWith('hono/') || module.startsWith('@hono/') ? 'hono + node-server (all modules)' : module || frame.functionName, dt);
      total += dt;
    });
  }
  const top = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, t]) => `${((100 * t) / total).toFixed(1).padStart(5)}%  ${k}`);
  return { functions: top(byFunction), modules: top(byModule) };
}

const reportOnly = flag('profile-report');
if (reportOnly) {
  // Prints the self time of profiles taken earlier (--cpu-prof=DIR) and stops.
  const top = topSelfTime(reportOnly);
  console.log([...top.functions, 'by module:', ...top.modules].join('\n'));
  process.exit(0);
}
if (profileDir) mkdirSync(profileDir, { recursive: true });
const pairs: Pair[] = [];
const others: Summary[] = [];
let pageBytes = 0;

async function measure(ds: Store, label: string, opts: { withMinimal: boolean; middle: boolean }): Promise<void> {
  const m = await menteo(ds);
  let b: Awaited<ReturnType<typeof minimal>> | null = null;
  try {
    const auth = { authorization: `Bearer ${await token(m.url, ds)}` };
    const first = `/v1/threads/${ds.threadId}/posts?limit=20`;
    // The minimal handler does the same reads: the event position too when Menteo answers with it.
    if (opts.withMinimal) b = await minimal(ds, (await fetch(m.url + first, { headers: auth })).headers.has(POSITION));
    const deep = `${first}&cursor=${encodeURIComponent(encodeCursor([ds.middleId]))}`;
    if (b) {
      pageBytes ||= (await sameBytes(first, b.url, m.url, auth)).length;
      if (opts.middle) await sameBytes(deep, b.url, m.url, auth);
      const pids = { minimal: b.proc.pid!, menteo: m.proc.pid! };
      pairs.push(await pair(`feed page 1, ${label}`, b.url + first, m.url + first, auth, pids));
      if (opts.middle) pairs.push(await pair(`feed page in the middle, ${label}`, b.url + deep, m.url + deep, auth, pids));
    } else {
      others.push(await alone(`feed page 1, ${label}`, m.url + first, auth, m.proc.pid!));
    }
  } finally {
    await stop(m.proc);
    if (b) await stop(b.proc);
  }
}

const loadAt = loadavg().map((x) => x.toFixed(2)).join(' ');
if (postgres) {
  const { pgDataset } = await import('./bench-server-pg.js');
  const pgData = await pgDataset(postgres, SIZES[0]!);
  try {
    console.log(`PostgreSQL: ${pgData.note}; the credential cache is off there (auth/principal-cache.ts)`);
    await measure(pgData.store, `${SIZES[0]!.toLocaleString('en')} posts, PostgreSQL`, { withMinimal: true, middle: true });
  } finally {
    await pgData.drop();
  }
} else {
  const small = await dataset(SIZES[0]!, { rebuild });
  await measure(small, `${SIZES[0]!.toLocaleString('en')} posts`, { withMinimal: true, middle: true });
  if (!onlyFeed) await pageCosts(small);
}

async function pageCosts(small: Dataset): Promise<void> {
  // 5 per post (one of each kind) answers the same shape as 50: what differs is counting them.
  await measure(withReactions(small, 5), `${SIZES[0]!.toLocaleString('en')} posts, 5 reactions each`, { withMinimal: true, middle: false });
  await measure(withReactions(small, REACTIONS_PER_POST), `${SIZES[0]!.toLocaleString('en')} posts, ${REACTIONS_PER_POST} reactions each`, { withMinimal: true, middle: false });
  await measure(await dataset(SIZES[1]!, { rebuild }), `${SIZES[1]!.toLocaleString('en')} posts`, { withMinimal: false, middle: false });
}

const f = (x: number) => x.toFixed(0);
console.log(`\nloopback, ${CONNECTIONS} connections, warm-up ${WARMUP} s, ${ROUNDS} interleaved rounds of ${DURATION} s (minimal, Menteo, …), page = 20 posts (${(pageBytes / 1024).toFixed(1)} KB JSON, byte-identical), person token; load average ${loadAt} at start, ${loadavg().map((x) => x.toFixed(2)).join(' ')} at end\n`);
console.log('target'.padEnd(58) + 'req/s'.padStart(8) + 'p50 ms'.padStart(8) + 'p99 ms'.padStart(8) + ' worst p99'.padStart(10) + ' CPU µs/req'.padStart(11) + '  × minimal: CPU, req/s median (rounds)'.padEnd(52) + 'errors');
const row = (s: Summary, ratio: string) => console.log(
  s.name.padEnd(58) + f(s.rps).padStart(8) + String(s.p50).padStart(8) + String(s.p99).padStart(8) + String(s.worstP99).padStart(10) + f(s.cpu).padStart(11) + `  ${ratio}`.padEnd(52) + s.errors,
);
for (const p of pairs) {
  row(p.minimal, '1.00');
  row(p.menteo, `${(p.minimal.cpu / p.menteo.cpu).toFixed(2)}, ${median(p.ratios).toFixed(2)} (${p.ratios.map((r) => r.toFixed(2)).join(' ')})`);
}
for (const s of others) row(s, '–');

// Two readings of "× minimal": CPU per request (what each would serve on a core of its own; waiting
// for a core is not counted, so it holds on a shared machine) and req/s, the median of each
// round's ratio (two adjacent slices of time; it needs an idle machine to mean much).
const feed = pairs[0]!;
const cpuRatio = feed.minimal.cpu / feed.menteo.cpu;
const rpsRatio = median(feed.ratios);
const met = (ok: boolean) => (ok ? 'met' : 'MISSED');
console.log(`
feed page / minimal handler, CPU per request:  ${cpuRatio.toFixed(2)}   aim ≥ ${AIM.ratio}   ${met(cpuRatio >= AIM.ratio)}
feed page / minimal handler, req/s:            ${rpsRatio.toFixed(2)} (median of rounds; totals ${(feed.menteo.rps / feed.minimal.rps).toFixed(2)})   aim ≥ ${AIM.ratio}   ${met(rpsRatio >= AIM.ratio)}
feed p99 at ${CONNECTIONS} connections:                   ${feed.menteo.p99} ms (minimal ${feed.minimal.p99} ms)   aim ≤ ${AIM.p99} ms   ${met(feed.menteo.p99 <= AIM.p99)}`);
const few = pairs.find((p) => p.label.includes(' 5 reactions'));
const many = pairs.find((p) => p.label.includes(`${REACTIONS_PER_POST} reactions`));
if (few && many) {
  // From 0 the answer itself grows (five reaction entries a post): the minimal handler's ratio
  // shows what that costs anyone. From 5 to 50 the answer keeps its shape: only counting differs.
  const cost0 = many.menteo.cpu / feed.menteo.cpu;
  const cost5 = many.menteo.cpu / few.menteo.cpu;
  console.log(`page cost (CPU) ${REACTIONS_PER_POST} / 0 reactions per post:     ${cost0.toFixed(2)}×   (minimal ${(many.minimal.cpu / feed.minimal.cpu).toFixed(2)}×: the answer is bigger)`);
  console.log(`page cost (CPU) ${REACTIONS_PER_POST} / 5 reactions per post:     ${cost5.toFixed(2)}×   (minimal ${(many.minimal.cpu / few.minimal.cpu).toFixed(2)}×)   aim ≤ ${AIM.pageCost}×   ${met(cost5 <= AIM.pageCost)}`);
}
const large = others[0];
if (large) {
  const cost = large.cpu / feed.menteo.cpu;
  console.log(`page cost (CPU) ${SIZES[1]!.toLocaleString('en')} / ${SIZES[0]!.toLocaleString('en')} posts:        ${cost.toFixed(2)}×   aim ≤ ${AIM.pageCost}×   ${met(cost <= AIM.pageCost)}`);
}
if (profileDir) {
  // The server child writes its profile on exit, a moment after SIGTERM's exit event.
  const top = topSelfTime(profileDir);
  console.log(`\nMenteo's top self time, % of busy samples (node --cpu-prof over every Menteo run of this bench, ${profileDir}):`);
  for (const line of top.functions) console.log(`  ${line}`);
  console.log('by module:');
  for (const line of top.modules) console.log(`  ${line}`);
}
if ([...pairs.flatMap((p) => [p.minimal, p.menteo]), ...others].some((s) => s.errors > 0)) {
  console.error('bench:server: some requests failed');
  process.exitCode = 1;
}
