/**
 * `npm run bench:live`: live fan-out of one room to 1,000 and 5,000 subscribers while a writer
 * posts messages at 10 events/s, on one Menteo server instance (a child process on its own SQLite
 * file), beside a floor measured in the same run: a plain node:http child holding as many event
 * streams and writing one pre-encoded frame to each per event. Floor and Menteo rounds alternate
 * (A B A B…) because the machine is shared and noisy.
 *
 * Per target and subscriber count: the writer's acknowledgement p50/p99, delivery latency
 * (acknowledged → received by a subscriber) p50/p99/max, events missed and duplicated, server
 * CPU per delivery (utime + stime from /proc over the event phase) and RSS; then the aims of
 * issue 7, each met or not. Exits non-zero only when the harness fails, never for a missed aim.
 *
 *   npm run bench:live                            1,000 and 5,000 subscribers, 100 events, 2 rounds each
 *   npm run bench:live -- --quick                 30 events, 1 round each (40–60 s)
 *   npm run bench:live -- --endpoint=legacy       GET /v1/rooms/{id}/events (default: live if the server answers it)
 *   npm run bench:live -- --subscribers=500,2000 --events=50 --rate=10 --rounds=1 --people=50
 *   npm run bench:live -- --source                run the server from packages/server/src (tsx) instead of dist
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { createOrganization, migrateToLatest } from '@menteo/server';
import { openSqlite } from '@menteo/server/node';
import { cpuMs, rssMb, startChild, stopChild, type Child } from './bench-live/processes.js';
import { openSubscribers, Subscriber, type StreamRequest } from './bench-live/subscribers.js';
import { writeEvents, type WriteTarget } from './bench-live/writer.js';

const root = fileURLToPath(new URL('..', import.meta.url));

// ---- options -------------------------------------------------------------------------------

const flags = new Map(
  process.argv.slice(2).filter((a) => a.startsWith('--')).map((a) => {
    const [k, v] = a.slice(2).split('=', 2);
    return [k!, v ?? 'true'] as const;
  }),
);
const known = ['quick', 'endpoint', 'subscribers', 'events', 'rate', 'rounds', 'people', 'source'];
for (const k of flags.keys()) {
  if (!known.includes(k)) {
    console.error(`bench:live: unknown flag --${k} (known: ${known.map((n) => `--${n}`).join(' ')})`);
    process.exit(2);
  }
}
const quick = flags.has('quick');
const intFlag = (name: string, fallback: number) => {
  const n = Number(flags.get(name) ?? fallback);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`bench:live: --${name} must be a positive integer`);
    process.exit(2);
  }
  return n;
};
const SUBSCRIBERS = (flags.get('subscribers') ?? '1000,5000').split(',').map(Number);
if (SUBSCRIBERS.some((n) => !Number.isInteger(n) || n < 1)) {
  console.error('bench:live: --subscribers must be a comma-separated list of positive integers');
  process.exit(2);
}
const EVENTS = intFlag('events', quick ? 30 : 100);
const RATE = intFlag('rate', 10);
const ROUNDS = intFlag('rounds', quick ? 1 : 2);
const PEOPLE = intFlag('people', 50);
const endpointFlag = flags.get('endpoint');
if (endpointFlag !== undefined && endpointFlag !== 'live' && endpointFlag !== 'legacy') {
  console.error('bench:live: --endpoint must be live or legacy');
  process.exit(2);
}
/** After the last acknowledgement, how long deliveries may still arrive before the rest count as missed. */
const DRAIN_MS = quick ? 15_000 : 30_000;
/** The whole run stops by itself after this long, whatever happens. */
const WATCHDOG_MS = quick ? 5 * 60_000 : 15 * 60_000;
/** Menteo's default heartbeat interval; the floor sends the same comments. */
const HEARTBEAT_MS = 15_000;
const AIM = { ackRatio: 2, cpuRatio: 1.3, deliveryP99Ms: 250 };
const FILLER = 'Sharing where I am on the roadmap: the retry change shipped, the on-call notes are next, and I would love a second pair of eyes on the runbook.';

const MAX_SUBSCRIBERS = Math.max(...SUBSCRIBERS);
const openFiles = Number(execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim());
if (Number.isFinite(openFiles) && openFiles < MAX_SUBSCRIBERS + 500) {
  console.error(`bench:live: ${MAX_SUBSCRIBERS} subscribers need more open files than ulimit -n allows (${openFiles}); raise it (ulimit -n ${MAX_SUBSCRIBERS * 2 + 1000}) and run again`);
  process.exit(2);
}
const serverMain = join(root, 'packages/server/dist/main.js');
const fromSource = flags.has('source');
if (!fromSource && !existsSync(serverMain)) {
  console.error('bench:live: build first (npm run build), or pass --source');
  process.exit(2);
}

const watchdog = setTimeout(() => {
  console.error(`bench:live: still running after ${WATCHDOG_MS / 60_000} min; stopping (harness failure)`);
  process.exit(3);
}, WATCHDOG_MS);
watchdog.unref();
process.once('SIGINT', () => process.exit(130));

// ---- setup: an organization, people who are members of one room, their tokens ---------------

type Endpoint = 'live' | 'legacy';
type Target = 'floor' | 'menteo';

interface World {
  menteo: Child;
  floor: Child;
  apiKey: string;
  roomId: string;
  tokens: string[];
  endpoint: Endpoint;
}

async function api<T>(url: string, path: string, auth: string, body?: unknown, extra: Record<string, string> = {}): Promise<T> {
  const r = await fetch(`${url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${auth}`, 'content-type': 'application/json', ...extra },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  if (!r.ok) throw new Error(`${path} answered ${r.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

/** Makes the organization and its API key in-process, as the seed does; everything else goes over HTTP. */
async function organization(path: string): Promise<string> {
  const db = openSqlite(path);
  try {
    await migrateToLatest(db);
    return (await createOrganization(db, { name: 'Bench live org' })).apiKey.secret;
  } finally {
    await db.destroy();
  }
}

/** Tokens of people who are members of the room, as widgets would hold them (embed session → token). */
async function people(url: string, apiKey: string): Promise<{ roomId: string; tokens: string[] }> {
  const ids: string[] = [];
  for (let i = 0; i < PEOPLE; i++) {
    const p = await api<{ id: string }>(url, '/v1/people', apiKey, { displayName: `Listener ${i}`, email: `listener${i}@bench.example` });
    ids.push(p.id);
  }
  // A room holds at most 50 members at creation; the rest join one by one.
  const room = await api<{ id: string }>(url, '/v1/rooms', apiKey, {
    title: 'Bench live room',
    members: ids.slice(0, 50).map((personId, i) => ({ personId, role: i === 0 ? 'mentor' : 'mentee' })),
  }, { 'menteo-act-as': ids[0]! });
  for (const personId of ids.slice(50)) await api(url, `/v1/rooms/${room.id}/members`, apiKey, { personId, role: 'mentee' });
  const tokens: string[] = [];
  for (const personId of ids) {
    const { clientSecret } = await api<{ clientSecret: string }>(url, '/v1/embed-sessions', apiKey, { personId });
    const r = await fetch(`${url}/v1/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ clientSecret }) });
    if (!r.ok) throw new Error(`/v1/tokens answered ${r.status}`);
    tokens.push(((await r.json()) as { accessToken: string }).accessToken);
  }
  return { roomId: room.id, tokens };
}

function streamRequest(endpoint: Endpoint, port: number, roomId: string, token: string): StreamRequest {
  const authorization = `Bearer ${token}`;
  return endpoint === 'live'
    ? { port, method: 'POST', path: '/v1/live', headers: { authorization }, body: JSON.stringify({ topics: [{ topic: `room:${roomId}` }] }), readyMarker: 'event: live.ready' }
    : { port, method: 'GET', path: `/v1/rooms/${roomId}/events`, headers: { authorization } };
}

function messageBody(tag: string, seq: number): string {
  return JSON.stringify({ body: `bench-live #${tag}.${seq}# ${FILLER}` });
}

/** Whether the server carries `POST /v1/live` (503 until the hub lands). */
async function answersLive(port: number, roomId: string, token: string): Promise<string | true> {
  const probe = new Subscriber(streamRequest('live', port, roomId, token), () => {});
  await probe.open(10_000);
  probe.close();
  return probe.state === 'refused' ? probe.problem : true;
}

/** Captures the JSON of one real `message.created` event, so the floor's frames have the same size. */
async function eventTemplate(world: Omit<World, 'floor'>): Promise<string> {
  const probe = new Subscriber(streamRequest(world.endpoint, world.menteo.port, world.roomId, world.tokens[0]!), () => {}, true);
  await probe.open(10_000);
  if (probe.state !== 'open') throw new Error(`the template stream was refused: ${probe.problem}`);
  await api(world.menteo.url, `/v1/rooms/${world.roomId}/messages`, world.tokens[0]!, JSON.parse(messageBody('template', 0)), { 'idempotency-key': `bench-live-template-${Date.now()}` });
  for (let waited = 0; waited < 10_000; waited += 50) {
    const frame = probe.frames.find((f) => f.includes('event: message.created'));
    const data = frame?.split('\n').find((l) => l.startsWith('data: '));
    if (data) {
      probe.close();
      return data.slice('data: '.length);
    }
    await sleep(50);
  }
  probe.close();
  throw new Error('no message.created event reached the template stream within 10 s');
}

// ---- one round -------------------------------------------------------------------------------

interface Round {
  target: Target;
  subscribers: number;
  refused: number;
  refusals: string[];
  cut: number;
  writesOk: number;
  writeFailures: string[];
  ack: number[];
  fromAck: Float64Array;
  fromSend: Float64Array;
  deliveries: number;
  missed: number;
  duplicated: number;
  cpuMs: number;
  rssMb: number;
  benchCpuMs: number;
  phaseMs: number;
}

let roundNo = 0;

async function round(world: World, target: Target, count: number, rep: number, totalRounds: number): Promise<Round> {
  roundNo++;
  const server = target === 'menteo' ? world.menteo : world.floor;
  const pid = server.proc.pid!;
  const tag = `${rep}${target[0]}${count}`;
  let received = 0;
  const subs = await openSubscribers(
    count,
    (i) => {
      const request = streamRequest(world.endpoint, server.port, world.roomId, world.tokens[i % world.tokens.length]!);
      // The floor sends the same request but no live.ready frame: its stream is open at the first byte.
      return target === 'floor' ? { ...request, readyMarker: undefined } : request;
    },
    (n) => (received += n),
  );
  try {
    const open = subs.filter((s) => s.state === 'open');
    if (count > 0 && open.length === 0) throw new Error(`${target}: every subscriber was refused: ${subs[0]!.problem}`);
    if (count > 0 && subs[0]!.state !== 'open') throw new Error(`${target}: the probe subscriber was refused: ${subs[0]!.problem}`);
    const ready = subs[0]?.frames.find((f) => f.includes('event: live.ready'));
    if (target === 'menteo' && world.endpoint === 'live' && count > 0 && !ready?.includes('"active"')) {
      console.log(`    the room topic is not active on the probe's connection: ${ready ?? 'no live.ready frame'}`);
    }
    // Let the last handshakes' work finish before the CPU window opens.
    await sleep(500);
    received = 0;
    const cpu0 = cpuMs(pid);
    const bench0 = process.cpuUsage();
    const t0 = performance.now();
    const writeTarget: WriteTarget =
      target === 'menteo'
        ? { port: server.port, path: `/v1/rooms/${world.roomId}/messages`, headers: { authorization: `Bearer ${world.tokens[0]}` }, body: (seq) => messageBody(tag, seq) }
        : { port: server.port, path: '/write', headers: {}, body: (seq) => messageBody(tag, seq) };
    const writes = await writeEvents(writeTarget, EVENTS, RATE, `${process.pid}-${tag}`);
    const writesOk = writes.ackAt.filter((t) => !Number.isNaN(t)).length;
    const expected = open.length * writesOk;
    const drainUntil = performance.now() + DRAIN_MS;
    while (received < expected && performance.now() < drainUntil) await sleep(20);
    const cpu1 = cpuMs(pid);
    const bench = process.cpuUsage(bench0);
    const phaseMs = performance.now() - t0;
    const rss = rssMb(pid);

    // The probe (subscriber 0) read whole frames: event id → the writer's sequence number.
    const seqOf = new Map<number, number>();
    const marker = new RegExp(`bench-live #${tag}\\.(\\d+)#`);
    for (const frame of count > 0 ? subs[0]!.frames : []) {
      const id = /^id: (\d+)$/m.exec(frame);
      const m = marker.exec(frame);
      if (id && m) seqOf.set(Number(id[1]), Number(m[1]));
    }
    const fromAck: number[] = [];
    const fromSend: number[] = [];
    let missed = 0;
    let duplicated = 0;
    const seen = new Uint8Array(EVENTS);
    for (const s of open) {
      seen.fill(0);
      for (let i = 0; i < s.count; i++) {
        const seq = seqOf.get(s.ids[i]!);
        if (seq === undefined || Number.isNaN(writes.ackAt[seq]!)) continue;
        if (seen[seq]) {
          duplicated++;
          continue;
        }
        seen[seq] = 1;
        fromAck.push(s.times[i]! - writes.ackAt[seq]!);
        fromSend.push(s.times[i]! - writes.sentAt[seq]!);
      }
      for (let seq = 0; seq < EVENTS; seq++) if (!seen[seq] && !Number.isNaN(writes.ackAt[seq]!)) missed++;
    }
    const ack: number[] = [];
    for (let seq = 0; seq < EVENTS; seq++) if (!Number.isNaN(writes.ackAt[seq]!)) ack.push(writes.ackAt[seq]! - writes.sentAt[seq]!);
    const r: Round = {
      target, subscribers: count, refused: count - open.length, refusals: [...new Set(subs.filter((s) => s.state === 'refused').map((s) => s.problem))],
      cut: subs.filter((s) => s.endedByServer).length, writesOk, writeFailures: writes.failures, ack,
      fromAck: Float64Array.from(fromAck), fromSend: Float64Array.from(fromSend), deliveries: fromAck.length, missed, duplicated,
      cpuMs: cpu1 - cpu0, rssMb: rss, benchCpuMs: (bench.user + bench.system) / 1000, phaseMs,
    };
    const ackSorted = Float64Array.from(ack).sort();
    console.log(
      `round ${String(roundNo).padStart(2)}/${totalRounds} ${target.padEnd(6)} ${count.toLocaleString('en').padStart(6)} subscribers: ` +
        `${writesOk}/${EVENTS} writes${writes.resent ? ` (${writes.resent} resent)` : ''}, ack p50 ${ms(pct(ackSorted, 0.5))}, delivery p99 ${ms(pct(r.fromAck.slice().sort(), 0.99))}, ` +
        `missed ${missed}, dup ${duplicated}, refused ${r.refused}, cut ${r.cut}, server CPU ${(r.cpuMs / 1000).toFixed(2)} s, ` +
        `bench CPU ${((r.benchCpuMs / phaseMs) * 100).toFixed(0)}%, ${(phaseMs / 1000).toFixed(1)} s`,
    );
    for (const f of writes.failures.slice(0, 3)) console.log(`    write failed: ${f}`);
    for (const f of r.refusals.slice(0, 3)) console.log(`    subscriber refused: ${f}`);
    return r;
  } finally {
    for (const s of subs) s.close();
    // Let the server notice the closed streams before the next round's window.
    await sleep(count > 0 ? 1_500 : 200);
  }
}

// ---- figures ---------------------------------------------------------------------------------

function pct(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

function ms(v: number): string {
  if (Number.isNaN(v)) return '–';
  if (Math.abs(v) >= 1000) return `${(v / 1000).toFixed(2)} s`;
  return `${v.toFixed(Math.abs(v) < 10 ? 1 : 0)} ms`;
}

interface Row {
  target: Target;
  subscribers: number;
  rounds: number;
  ack: Float64Array;
  fromAck: Float64Array;
  fromSend: Float64Array;
  deliveries: number;
  writes: number;
  expectedWrites: number;
  missed: number;
  duplicated: number;
  refused: number;
  cut: number;
  cpuMs: number;
  rssMb: number;
}

function concat(parts: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out.sort();
}

function rows(rounds: readonly Round[]): Row[] {
  const out: Row[] = [];
  for (const count of [0, ...SUBSCRIBERS]) {
    for (const target of ['floor', 'menteo'] as const) {
      const rs = rounds.filter((r) => r.target === target && r.subscribers === count);
      if (rs.length === 0) continue;
      out.push({
        target, subscribers: count, rounds: rs.length,
        ack: concat(rs.map((r) => Float64Array.from(r.ack))),
        fromAck: concat(rs.map((r) => r.fromAck)),
        fromSend: concat(rs.map((r) => r.fromSend)),
        deliveries: rs.reduce((n, r) => n + r.deliveries, 0),
        writes: rs.reduce((n, r) => n + r.writesOk, 0),
        expectedWrites: rs.length * EVENTS,
        missed: rs.reduce((n, r) => n + r.missed, 0),
        duplicated: rs.reduce((n, r) => n + r.duplicated, 0),
        refused: rs.reduce((n, r) => n + r.refused, 0),
        cut: rs.reduce((n, r) => n + r.cut, 0),
        cpuMs: rs.reduce((n, r) => n + r.cpuMs, 0),
        // The first round's: rounds run 0 → 1,000 → 5,000, so a later round would show memory the
        // previous, larger round left behind rather than what this many subscribers need.
        rssMb: rs[0]!.rssMb,
      });
    }
  }
  return out;
}

const perDelivery = (r: Row) => (r.deliveries > 0 ? (r.cpuMs * 1000) / r.deliveries : NaN);

function table(all: readonly Row[], endpoint: Endpoint): string {
  const lines = [
    `| target | subscribers | rounds | writes | write-ack p50 | write-ack p99 | delivery p50 | delivery p99 | delivery max | p99 from send | missed | dup | refused / cut | server CPU per event | CPU per delivery | × floor | RSS |`,
    `|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|`,
  ];
  for (const r of all) {
    const floor = all.find((f) => f.target === 'floor' && f.subscribers === r.subscribers);
    const ratio = r.target === 'menteo' && floor ? perDelivery(r) / perDelivery(floor) : NaN;
    const name = r.target === 'floor' ? 'floor (node:http)' : `Menteo (${endpoint === 'live' ? 'POST /v1/live' : 'GET /v1/rooms/{id}/events'})`;
    lines.push(
      `| ${name} | ${r.subscribers.toLocaleString('en')} | ${r.rounds} | ${r.writes}/${r.expectedWrites} | ${ms(pct(r.ack, 0.5))} | ${ms(pct(r.ack, 0.99))} | ` +
        `${ms(pct(r.fromAck, 0.5))} | ${ms(pct(r.fromAck, 0.99))} | ${ms(pct(r.fromAck, 1))} | ${ms(pct(r.fromSend, 0.99))} | ` +
        `${r.subscribers ? r.missed.toLocaleString('en') : '–'} | ${r.subscribers ? r.duplicated : '–'} | ${r.subscribers ? `${r.refused} / ${r.cut}` : '–'} | ` +
        `${ms(r.cpuMs / Math.max(1, r.writes))} | ${Number.isNaN(perDelivery(r)) ? '–' : `${perDelivery(r).toFixed(1)} µs`} | ${Number.isNaN(ratio) ? '–' : `${ratio.toFixed(2)}×`} | ${r.rssMb.toFixed(0)} MB |`,
    );
  }
  return lines.join('\n');
}

function aims(all: readonly Row[]): string {
  const menteo = all.filter((r) => r.target === 'menteo');
  const listening = menteo.filter((r) => r.subscribers > 0);
  const mark = (ok: boolean) => (ok ? 'met' : 'NOT MET');
  const out: string[] = [];
  const missed = listening.reduce((n, r) => n + r.missed, 0);
  const dup = listening.reduce((n, r) => n + r.duplicated, 0);
  const refused = listening.reduce((n, r) => n + r.refused + r.cut, 0);
  const deliveries = listening.reduce((n, r) => n + r.deliveries, 0);
  out.push(`- 0 missed, 0 duplicated: ${missed.toLocaleString('en')} missed, ${dup} duplicated of ${deliveries.toLocaleString('en')} deliveries` +
    `${refused ? `, ${refused} streams refused or cut` : ''}: **${mark(missed === 0 && dup === 0 && refused === 0)}**`);
  const none = menteo.find((r) => r.subscribers === 0);
  const most = menteo.find((r) => r.subscribers === MAX_SUBSCRIBERS);
  if (none && most) {
    const ratio = pct(most.ack, 0.99) / pct(none.ack, 0.99);
    out.push(`- write-ack p99 with ${MAX_SUBSCRIBERS.toLocaleString('en')} subscribers within ${AIM.ackRatio}× that with none: ` +
      `${ms(pct(most.ack, 0.99))} / ${ms(pct(none.ack, 0.99))} = ${ratio.toFixed(2)}×: **${mark(ratio <= AIM.ackRatio)}**`);
    // Context: the floor answers before it fans out too, but on the same event loop; on a loaded
    // machine even it cannot answer fast while writing to thousands of sockets.
    const floorNone = all.find((r) => r.target === 'floor' && r.subscribers === 0);
    const floorMost = all.find((r) => r.target === 'floor' && r.subscribers === MAX_SUBSCRIBERS);
    if (floorNone && floorMost) {
      out.push(`  - the floor, same measure: ${ms(pct(floorMost.ack, 0.99))} / ${ms(pct(floorNone.ack, 0.99))} = ${(pct(floorMost.ack, 0.99) / pct(floorNone.ack, 0.99)).toFixed(2)}×`);
    }
  }
  const ratios = listening.map((r) => {
    const floor = all.find((f) => f.target === 'floor' && f.subscribers === r.subscribers);
    return { n: r.subscribers, ratio: floor ? perDelivery(r) / perDelivery(floor) : NaN };
  });
  out.push(`- CPU per delivery within ${AIM.cpuRatio}× of the floor: ${ratios.map((r) => `${r.ratio.toFixed(2)}× at ${r.n.toLocaleString('en')}`).join(', ')}: ` +
    `**${mark(ratios.every((r) => r.ratio <= AIM.cpuRatio))}**`);
  // Context, not an aim: the same ratio once each side's write path (its CPU per event with no
  // subscribers) is taken out, so what is left is the fan-out alone.
  const fanOut = listening.map((r) => {
    const floor = all.find((f) => f.target === 'floor' && f.subscribers === r.subscribers);
    const write = (t: Target) => {
      const idle = all.find((x) => x.target === t && x.subscribers === 0);
      return idle ? idle.cpuMs / Math.max(1, idle.writes) : 0;
    };
    const alone = (x: Row) => ((x.cpuMs - write(x.target) * x.writes) * 1000) / x.deliveries;
    return floor ? `${alone(r).toFixed(1)} µs vs ${alone(floor).toFixed(1)} µs (${(alone(r) / alone(floor)).toFixed(2)}×) at ${r.subscribers.toLocaleString('en')}` : '';
  });
  out.push(`  - fan-out alone (each side's CPU per write with no subscribers taken out): ${fanOut.filter(Boolean).join(', ')}`);
  if (most) {
    const p99 = pct(most.fromAck, 0.99);
    // Counted from the send as well: a late acknowledgement must not hide a backlog of deliveries.
    const p99Send = pct(most.fromSend, 0.99);
    const complete = most.writes === most.expectedWrites && most.missed === 0 && most.refused + most.cut === 0;
    out.push(`- ${MAX_SUBSCRIBERS.toLocaleString('en')} subscribers at ${RATE} events/s sustained, delivery p99 ≤ ${AIM.deliveryP99Ms} ms: ` +
      `p99 ${ms(p99)} from the acknowledgement, ${ms(p99Send)} from the send, ${most.writes}/${most.expectedWrites} writes acknowledged, ` +
      `${most.missed.toLocaleString('en')} missed: **${mark(complete && p99 <= AIM.deliveryP99Ms && p99Send <= AIM.deliveryP99Ms)}**`);
  }
  return out.join('\n');
}

// ---- main ------------------------------------------------------------------------------------

const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
const loadAtStart = load();
const startedAt = new Date();
const benchDir = join(root, '.menteo/bench');
mkdirSync(benchDir, { recursive: true });
const dbPath = join(benchDir, `live-${process.pid}-${Date.now()}.db`);
const removeDb = () => {
  for (const f of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`]) rmSync(f, { force: true });
};
// Also when the watchdog or Ctrl-C ends the run (process.exit skips the finally below).
process.once('exit', removeDb);
let menteo: Child | undefined;
let floor: Child | undefined;
try {
  const apiKey = await organization(dbPath);
  const serverArgs = fromSource ? ['--conditions=source', '--import', 'tsx', join(root, 'packages/server/src/main.ts')] : [serverMain];
  menteo = await startChild('menteo', serverArgs, { PORT: '0', MENTEO_DB: dbPath, MENTEO_RATE_LIMIT: 'off', MENTEO_INTEGRATIONS: 'off' }, root);
  process.stdout.write(`setting up: ${PEOPLE} people in one room, a token each… `);
  const { roomId, tokens } = await people(menteo.url, apiKey);
  const live = await answersLive(menteo.port, roomId, tokens[0]!);
  let endpoint: Endpoint;
  if (endpointFlag === 'live' && live !== true) throw new Error(`--endpoint=live, but POST /v1/live answered ${live}`);
  else endpoint = (endpointFlag as Endpoint | undefined) ?? (live === true ? 'live' : 'legacy');
  const template = await eventTemplate({ menteo, apiKey, roomId, tokens, endpoint });
  floor = await startChild('floor', [join(root, 'scripts/bench-live/floor.mjs')], { FLOOR_TEMPLATE: template, FLOOR_HEARTBEAT_MS: String(HEARTBEAT_MS) });
  console.log('done');
  const world: World = { menteo, floor, apiKey, roomId, tokens, endpoint };
  console.log(
    `measuring ${endpoint === 'live' ? 'POST /v1/live (one multiplexed connection per subscriber, topic room:<id>)' : `GET /v1/rooms/{id}/events (legacy per-room stream${live === true ? '' : `; POST /v1/live answered ${live.split('\n')[0]!.slice(0, 60)}`})`}` +
      `\n${fromSource ? 'server from packages/server/src (tsx)' : 'server from packages/server/dist'}, subscribers authenticate with person tokens (embed session → token) of ${PEOPLE} room members, spread round-robin;` +
      `\nwriter: person 0's token, POST /v1/rooms/{id}/messages with an Idempotency-Key, ${EVENTS} events at ${RATE}/s (open loop) per round; ${ROUNDS} round(s) per target, floor and Menteo alternating` +
      `\nload average at start: ${loadAtStart}\n`,
  );

  const counts = [0, ...SUBSCRIBERS];
  const total = ROUNDS * counts.length * 2;
  const rounds: Round[] = [];
  for (let rep = 0; rep < ROUNDS; rep++) {
    for (const count of counts) {
      for (const target of ['floor', 'menteo'] as const) rounds.push(await round(world, target, count, rep, total));
    }
  }
  const all = rows(rounds);
  const loadAtEnd = load();
  console.log(`\n${startedAt.toISOString().slice(0, 10)}, ${endpoint === 'live' ? 'POST /v1/live' : 'legacy GET /v1/rooms/{id}/events'}, ${EVENTS} events at ${RATE}/s per round, load average ${loadAtStart} at start, ${loadAtEnd} at end\n`);
  console.log(table(all, endpoint));
  console.log(
    `\nDelivery: write acknowledged → event received by a subscriber (negative: received before the writer's acknowledgement); ` +
      `p99 from send: write sent → received. CPU per event: the server's CPU (utime + stime) over the event phase / events written; ` +
      `per delivery: / events received. RSS: at the end of the first round with that many subscribers, streams still open.\n`,
  );
  console.log(aims(all));
} catch (e) {
  console.error(`\nbench:live: harness failure: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
  process.exitCode = 1;
} finally {
  await stopChild(menteo);
  await stopChild(floor);
  removeDb();
}
