/**
 * `npm run bench:scale`: one instance against two on one PostgreSQL database (issue 11).
 *
 * For each setup (1 instance, then 2), `menteo-server serve` runs in child processes on the same
 * database, and this process measures:
 *
 * - **reads**: `GET /v1/rooms/{id}/messages` (a page of 20), autocannon, 16 connections split
 *   evenly over the instances;
 * - **writes**: `POST /v1/rooms/{id}/messages` likewise;
 * - **live delivery**: subscribers on the last instance (`POST /v1/live`, the room's topic) while a
 *   writer posts through the first one at a steady rate; a message's delivery time runs from just
 *   before its POST to its arrival on a subscriber, so with two instances every delivery crosses
 *   them (commit, NOTIFY, the other instance's read by id, its fan-out).
 *
 * Everything shares this machine's cores: PostgreSQL, the instances, autocannon and the
 * subscribers. The figures say what the software does on one machine, not what two machines give.
 *
 *   npm run bench:scale                              a throwaway PostgreSQL cluster (durability off)
 *   MENTEO_BENCH_DATABASE_URL=postgres://… npm run bench:scale   a server you run (a database is created and dropped)
 *   npm run bench:scale -- --rounds=2 --duration=5 --subscribers=100 --rate=50 --messages=300
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import { createOrganization } from '../packages/server/src/auth/bootstrap.js';
import { openPostgres } from '../packages/server/src/node.js';
import { migrateToLatest } from '../packages/server/src/storage/migrations.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const flag = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const DURATION = Number(flag('duration') ?? 5);
const SUBSCRIBERS = Number(flag('subscribers') ?? 100);
const RATE = Number(flag('rate') ?? 50);
const MESSAGES = Number(flag('messages') ?? 300);
const ROUNDS = Number(flag('rounds') ?? 2);
const CONNECTIONS = 16;

interface PostgresServer {
  url: string;
  stop(): Promise<void>;
}

async function postgresServer(): Promise<PostgresServer & { note: string }> {
  const given = process.env.MENTEO_BENCH_DATABASE_URL;
  if (given) return { url: given, stop: async () => undefined, note: 'the server MENTEO_BENCH_DATABASE_URL names' };
  const { startTestPostgres } = (await import('./postgres.mjs')) as { startTestPostgres: () => Promise<PostgresServer> };
  return { ...(await startTestPostgres()), note: 'a throwaway cluster (fsync and synchronous_commit off)' };
}

async function admin(url: string, text: string): Promise<void> {
  const db = openPostgres(url);
  try {
    await sql.raw(text).execute(db);
  } finally {
    await db.destroy();
  }
}

/** One `menteo-server serve` child on the database; resolves once /readyz answers 200. */
async function instance(databaseUrl: string): Promise<{ url: string; proc: ChildProcess }> {
  const proc = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'src/main.ts', 'serve'], {
    cwd: join(root, 'packages/server'),
    env: { ...process.env, PORT: '0', MENTEO_DATABASE_URL: databaseUrl, MENTEO_RATE_LIMIT: 'off', MENTEO_INTEGRATIONS: 'off' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Menteo server on (http:\/\/[\d.]+:\d+)/.exec(out);
      if (m) resolve(m[1]!.replace('0.0.0.0', '127.0.0.1'));
    });
    proc.once('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
  for (let i = 0; ; i++) {
    const r = await fetch(`${url}/readyz`).catch(() => null);
    if (r?.status === 200) break;
    if (i > 400) throw new Error(`${url} never became ready`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return { url, proc };
}

async function stop(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null) return;
  await new Promise<void>((done) => {
    proc.once('exit', () => done());
    proc.kill('SIGTERM');
  });
}

async function call<T>(url: string, method: string, path: string, auth: string, body?: unknown): Promise<T> {
  const r = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${auth}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
  return (await r.json()) as T;
}

interface Load {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

/** autocannon against every instance at once, connections split evenly; requests summed. */
async function load(urls: string[], path: string, token: string, method: 'GET' | 'POST'): Promise<Load> {
  const per = Math.max(1, Math.floor(CONNECTIONS / urls.length));
  const results = await Promise.all(urls.map((url) => autocannon({
    url: `${url}${path}`, method, connections: per, duration: DURATION,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(method === 'POST' ? { body: JSON.stringify({ body: 'bench write' }) } : {}),
  })));
  const requests = results.reduce((n, r) => n + r.requests.total, 0);
  return {
    rps: requests / DURATION,
    // The slower instance's figures: what a client behind a balancer sees at worst.
    p50: Math.max(...results.map((r) => r.latency.p50)),
    p99: Math.max(...results.map((r) => r.latency.p99)),
    errors: results.reduce((n, r) => n + r.errors + r.non2xx, 0),
  };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

interface Delivery {
  p50: number;
  p99: number;
  max: number;
  delivered: number;
  expected: number;
}

/**
 * SUBSCRIBERS streams on `subscribeTo`, a writer posting MESSAGES through `writeTo` at RATE per
 * second; each delivery's time from just before its POST to its arrival.
 */
async function delivery(writeTo: string, subscribeTo: string, roomId: string, writerToken: string, readerTokens: string[]): Promise<Delivery> {
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const controllers: AbortController[] = [];
  let ready = 0;
  const readers = readerTokens.map(async (token) => {
    const controller = new AbortController();
    controllers.push(controller);
    const r = await fetch(`${subscribeTo}/v1/live`, {
      method: 'POST', signal: controller.signal,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ topics: [{ topic: `room:${roomId}` }] }),
    });
    const reader = r.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buffer += value;
        let cut;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          if (block.includes('event: live.ready')) ready++;
          const tag = /"body":"bench-live (\d+)"/.exec(block)?.[1];
          const sent = tag === undefined ? undefined : sentAt.get(tag);
          if (sent !== undefined) latencies.push(performance.now() - sent);
        }
      }
    } catch {
      // Stopped at the end.
    }
  });
  while (ready < readerTokens.length) await new Promise((resolve) => setTimeout(resolve, 10));
  const interval = 1000 / RATE;
  const start = performance.now();
  const writes: Promise<unknown>[] = [];
  for (let i = 0; i < MESSAGES; i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    sentAt.set(String(i), performance.now());
    writes.push(call(writeTo, 'POST', `/v1/rooms/${roomId}/messages`, writerToken, { body: `bench-live ${i}` }));
  }
  await Promise.all(writes);
  const expected = MESSAGES * readerTokens.length;
  for (let waited = 0; latencies.length < expected && waited < 10_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
  for (const c of controllers) c.abort();
  await Promise.all(readers);
  const sorted = [...latencies].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? NaN, delivered: latencies.length, expected };
}

const server = await postgresServer();
const name = `menteo_bench_scale_${process.pid}`;
await admin(server.url, `create database ${name}`);
const target = new URL(server.url);
target.pathname = `/${name}`;
const databaseUrl = target.toString();
const db = openPostgres(databaseUrl);
const running: ChildProcess[] = [];
try {
  await migrateToLatest(db);
  const { apiKey } = await createOrganization(db, { name: 'Bench' });
  const key = apiKey.secret;
  const first = await instance(databaseUrl);
  running.push(first.proc);
  const people: { id: string }[] = [];
  for (let i = 0; i < 10; i++) people.push(await call(first.url, 'POST', '/v1/people', key, { displayName: `Person ${i}` }));
  const room = await call<{ id: string }>(first.url, 'POST', '/v1/rooms', key, {
    title: 'Bench room', members: people.map((p, i) => ({ personId: p.id, role: i === 0 ? 'mentor' : 'mentee' })),
  });
  const tokenOf = async (personId: string) => {
    const session = await call<{ clientSecret: string }>(first.url, 'POST', '/v1/embed-sessions', key, { personId });
    return (await call<{ accessToken: string }>(first.url, 'POST', '/v1/tokens', '', { clientSecret: session.clientSecret })).accessToken;
  };
  const writer = await tokenOf(people[0]!.id);
  const readerTokens: string[] = [];
  for (let i = 0; i < SUBSCRIBERS; i++) readerTokens.push(await tokenOf(people[1 + (i % 9)]!.id));
  // A page to read.
  for (let i = 0; i < 40; i++) await call(first.url, 'POST', `/v1/rooms/${room.id}/messages`, writer, { body: `seed ${i}` });
  await stop(first.proc);
  running.length = 0;

  // Rounds interleave the setups (1, 2, 1, 2…) so a change in the machine's load hits both alike.
  const runs: { count: number; reads: Load; writes: Load; live: Delivery }[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const count of [1, 2]) {
      const started = await Promise.all(Array.from({ length: count }, () => instance(databaseUrl)));
      running.push(...started.map((s) => s.proc));
      const urls = started.map((s) => s.url);
      // Warm-up: connection pools, statement caches, JIT.
      await load(urls, `/v1/rooms/${room.id}/messages?limit=20`, writer, 'GET');
      const reads = await load(urls, `/v1/rooms/${room.id}/messages?limit=20`, writer, 'GET');
      const writes = await load(urls, `/v1/rooms/${room.id}/messages`, writer, 'POST');
      const live = await delivery(urls[0]!, urls.at(-1)!, room.id, writer, readerTokens);
      runs.push({ count, reads, writes, live });
      await Promise.all(started.map((s) => stop(s.proc)));
      running.length = 0;
    }
  }
  const median = (xs: number[]) => {
    const v = [...xs].sort((a, b) => a - b);
    return v.length % 2 ? v[(v.length - 1) / 2]! : (v[v.length / 2 - 1]! + v[v.length / 2]!) / 2;
  };
  const rows = [1, 2].map((count) => {
    const mine = runs.filter((r) => r.count === count);
    const m = (pick: (r: (typeof runs)[number]) => number) => median(mine.map(pick));
    return {
      setup: count === 1 ? '1 instance' : '2 instances',
      reads: { rps: m((r) => r.reads.rps), p99: m((r) => r.reads.p99), errors: mine.reduce((n, r) => n + r.reads.errors, 0) },
      writes: { rps: m((r) => r.writes.rps), p99: m((r) => r.writes.p99), errors: mine.reduce((n, r) => n + r.writes.errors, 0) },
      live: { p50: m((r) => r.live.p50), p99: m((r) => r.live.p99), max: Math.max(...mine.map((r) => r.live.max)), delivered: mine.reduce((n, r) => n + r.live.delivered, 0), expected: mine.reduce((n, r) => n + r.live.expected, 0) },
    };
  });

  const f = (n: number) => (Number.isFinite(n) ? n.toFixed(n >= 100 ? 0 : 1) : 'n/a');
  console.log(`\nbench:scale on PostgreSQL (${server.note}); ${ROUNDS} interleaved rounds (medians); ${CONNECTIONS} connections for ${DURATION} s per load; ${SUBSCRIBERS} subscribers, ${MESSAGES} messages at ${RATE}/s`);
  console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' / ')} at the end (other work on the machine shares the cores)`);
  console.log('| setup | reads/s | read p99 ms | writes/s | write p99 ms | live p50 ms | live p99 ms | live max ms | delivered |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(`| ${r.setup} | ${f(r.reads.rps)} | ${f(r.reads.p99)} | ${f(r.writes.rps)} | ${f(r.writes.p99)} | ${f(r.live.p50)} | ${f(r.live.p99)} | ${f(r.live.max)} | ${r.live.delivered}/${r.live.expected} |`);
  }
  const errors = rows.reduce((n, r) => n + r.reads.errors + r.writes.errors, 0);
  if (errors > 0) console.log(`errors (non-2xx or failed requests): ${errors}`);
  console.log('With 2 instances every live delivery crosses instances: the writer is on the first, the subscribers on the second.');
} finally {
  await Promise.all(running.map(stop));
  await db.destroy();
  await admin(server.url, `drop database if exists ${name} with (force)`).catch(() => undefined);
  await server.stop();
}
