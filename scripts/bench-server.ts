/**
 * `npm run bench:server`: feed-page reads on loopback, beside a bare JSON endpoint of the same
 * framework (Hono on @hono/node-server) serving the same bytes, measured in the same run; and
 * the page cost at 10k and at 1M posts.
 *
 * Each server runs in its own child process (one core), autocannon in this one (the other core).
 * Datasets are built once into .menteo/bench/ (1M posts take about a minute) and reused.
 *
 *   npm run bench:server                 10k and 1M posts
 *   npm run bench:server -- --quick      10k and 100k posts, shorter runs
 *   npm run bench:server -- --rebuild    rebuild the datasets
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { encodeCursor } from '../packages/server/src/storage/cursor.js';
import { dataset, type Dataset } from './bench-dataset.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const quick = process.argv.includes('--quick');
const rebuild = process.argv.includes('--rebuild');
const SIZES = quick ? [10_000, 100_000] : [10_000, 1_000_000];
const DURATION = quick ? 4 : 8;
const CONNECTIONS = 16;
const AIM = { ratio: 0.5, p99: 25, pageCost: 1.2 };

/** Starts a child process that prints its URL on its first output line. */
function child(args: string[], env: NodeJS.ProcessEnv): Promise<{ url: string; proc: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/[\d.]+:\d+)/.exec(out);
      if (m) resolve({ url: m[1]!, proc });
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

interface Result {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  mean: number;
  errors: number;
}

async function load(name: string, url: string, headers: Record<string, string> = {}): Promise<Result> {
  // A short warm-up, so JIT and SQLite's page cache are in the same state for every target.
  await autocannon({ url, headers, connections: CONNECTIONS, duration: 1 });
  const r = await autocannon({ url, headers, connections: CONNECTIONS, duration: DURATION });
  return { name, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, mean: r.latency.average, errors: r.errors + r.non2xx };
}

async function token(url: string, ds: Dataset): Promise<string> {
  const session = await fetch(`${url}/v1/embed-sessions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ds.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ personId: ds.personId }),
  });
  const { clientSecret } = (await session.json()) as { clientSecret: string };
  const exchanged = await fetch(`${url}/v1/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ clientSecret }) });
  return ((await exchanged.json()) as { accessToken: string }).accessToken;
}

const serverMain = join(root, 'packages/server/dist/main.js');
if (!existsSync(serverMain)) {
  console.error('bench:server: build first (npm run build)');
  process.exit(1);
}

const results: Result[] = [];
let pageBody = '';
for (const size of SIZES) {
  const ds = await dataset(size, { rebuild });
  const { url, proc } = await child([serverMain], { PORT: '0', MENTEO_DB: ds.dbPath, MENTEO_RATE_LIMIT: 'off' });
  try {
    const auth = { authorization: `Bearer ${await token(url, ds)}` };
    const first = `${url}/v1/threads/${ds.threadId}/posts?limit=20`;
    const check = await fetch(first, { headers: auth });
    if (!check.ok) throw new Error(`feed page answered ${check.status}: ${await check.text()}`);
    pageBody ||= await check.text();
    results.push(await load(`feed page 1, ${size.toLocaleString('en')} posts`, first, auth));
    const deep = `${first}&cursor=${encodeURIComponent(encodeCursor([ds.middleId]))}`;
    results.push(await load(`feed page in the middle, ${size.toLocaleString('en')} posts`, deep, auth));
  } finally {
    await stop(proc);
  }
}

// The framework's ceiling: the same bytes from a bare Hono route on the same Node adapter.
const bare = await child(
  [
    '--input-type=module',
    '-e',
    `import { Hono } from 'hono'; import { serve } from '@hono/node-server';
     const body = ${JSON.stringify(pageBody)};
     const app = new Hono(); app.get('/bare', (c) => c.body(body, 200, { 'content-type': 'application/json' }));
     serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (i) => console.log('http://127.0.0.1:' + i.port));`,
  ],
  {},
);
try {
  results.unshift(await load('bare Hono JSON, same body', `${bare.url}/bare`));
} finally {
  await stop(bare.proc);
}

const [bareResult] = results;
console.log(`\nloopback, ${CONNECTIONS} connections, ${DURATION} s per target, page = 20 posts (${(pageBody.length / 1024).toFixed(1)} KB JSON), person token (audience rules applied)\n`);
console.log('target'.padEnd(40) + 'req/s'.padStart(9) + 'p50 ms'.padStart(9) + 'p99 ms'.padStart(9) + 'mean ms'.padStart(9) + '  × bare' + '  errors');
for (const r of results) {
  console.log(
    r.name.padEnd(40) + r.rps.toFixed(0).padStart(9) + String(r.p50).padStart(9) + String(r.p99).padStart(9) + r.mean.toFixed(2).padStart(9) +
      `  ${(r.rps / bareResult!.rps).toFixed(2).padStart(5)}` + String(r.errors).padStart(8),
  );
}
const small = results.find((r) => r.name.startsWith(`feed page 1, ${SIZES[0]!.toLocaleString('en')}`))!;
const large = results.find((r) => r.name.startsWith(`feed page 1, ${SIZES[1]!.toLocaleString('en')}`))!;
const largeDeep = results.find((r) => r.name.startsWith(`feed page in the middle, ${SIZES[1]!.toLocaleString('en')}`))!;
const ratio = small.rps / bareResult!.rps;
const cost = large.mean / small.mean;
const deepCost = largeDeep.mean / small.mean;
console.log(`
feed / bare framework (req/s):              ${ratio.toFixed(2)}   aim ≥ ${AIM.ratio}   ${ratio >= AIM.ratio ? 'met' : 'MISSED'}
feed p99 at ${SIZES[0]!.toLocaleString('en')} posts:                  ${small.p99} ms   aim ≤ ${AIM.p99} ms   ${small.p99 <= AIM.p99 ? 'met' : 'MISSED'}
page cost ${SIZES[1]!.toLocaleString('en')} / ${SIZES[0]!.toLocaleString('en')} (mean latency):  ${cost.toFixed(2)}×   aim ≤ ${AIM.pageCost}×   ${cost <= AIM.pageCost ? 'met' : 'MISSED'}
middle page at ${SIZES[1]!.toLocaleString('en')} / first at ${SIZES[0]!.toLocaleString('en')}:    ${deepCost.toFixed(2)}×`);
if (results.some((r) => r.errors > 0)) {
  console.error('bench:server: some requests failed');
  process.exitCode = 1;
}
