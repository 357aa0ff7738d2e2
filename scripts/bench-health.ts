/**
 * `npm run bench:health`: program health for an organization of 10,000 people and 5,000 rooms on
 * SQLite (milestones, check-ins, feedback and events for every room; a cohort of 1,000 rooms),
 * over HTTP on loopback against the real server, sequential requests; beside a baseline that
 * computes the same summary by the simplest means (room by room: the room's facts, the adjust
 * loop's rules, its counts), interleaved in the same run. Then the streamed exports, with the
 * process's peak RSS growth. Prints a table; the aim is p50 and p99 ≤ 200 ms for the summary.
 *
 * The dataset is bulk-inserted into .menteo/bench/ once (a few seconds) and reused.
 *
 *   npm run bench:health                 20 rounds
 *   npm run bench:health -- --rounds 50 --rebuild
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import SqliteDatabase from 'better-sqlite3';
import { createOrganization, migrateToLatest, ulid } from '@menteo/server';
import { openSqlite, startNodeServer } from '@menteo/server/node';
import { loadRoomFacts } from '../packages/server/src/health/attention.js';
import { evaluateRoom } from '../packages/server/src/health/rules.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const arg = (name: string) => process.argv[process.argv.indexOf(name) + 1];
const ROUNDS = process.argv.includes('--rounds') ? Number(arg('--rounds')) : 20;
const rebuild = process.argv.includes('--rebuild');
const PEOPLE = 10_000;
const MENTORS = 2_500;
const ROOMS = 5_000;
const COHORT_ROOMS = 1_000;
const AIM_MS = 200;
const DAY = 86_400_000;

interface Dataset { dbPath: string; apiKey: string; cohortId: string; orgId: string }

/** A deterministic pseudo-random sequence, so every build is the same organization. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
}

async function dataset(): Promise<Dataset> {
  const dir = join(root, '.menteo/bench');
  mkdirSync(dir, { recursive: true });
  const dbPath = join(dir, 'health-10k-v1.db');
  const metaPath = `${dbPath}.json`;
  if (!rebuild && existsSync(dbPath) && existsSync(metaPath)) return JSON.parse(readFileSync(metaPath, 'utf8')) as Dataset;
  for (const f of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`, metaPath]) rmSync(f, { force: true });
  process.stdout.write(`building: ${PEOPLE.toLocaleString('en')} people, ${ROOMS.toLocaleString('en')} rooms… `);
  const started = Date.now();
  const db = openSqlite(dbPath);
  await migrateToLatest(db);
  const { organization, apiKey } = await createOrganization(db, { name: 'Bench org' });
  await db.destroy();
  const orgId = organization.id;

  const sqlite = new SqliteDatabase(dbPath);
  sqlite.pragma('journal_mode = WAL');
  const rnd = random(42);
  const now = Date.now();
  const iso = (t: number) => new Date(t).toISOString();
  const date = (t: number) => iso(t).slice(0, 10);
  const insert = (table: string, columns: string[]) =>
    sqlite.prepare(`insert into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`);
  const person = insert('people', ['id', 'org_id', 'display_name', 'search_text', 'email', 'skills', 'roles', 'active', 'created_at', 'updated_at']);
  const room = insert('rooms', ['id', 'org_id', 'title', 'purpose', 'status', 'roadmap_id', 'created_at', 'updated_at']);
  const member = insert('room_members', ['room_id', 'person_id', 'org_id', 'role', 'joined_at']);
  const roadmap = insert('roadmaps', ['id', 'org_id', 'room_id', 'owner_id', 'title', 'goal', 'start_date', 'horizon_days', 'version', 'created_at', 'updated_at']);
  const milestone = insert('milestones', ['id', 'org_id', 'roadmap_id', 'title', 'description', 'due_date', 'required_skills', 'expected_outcome', 'status', 'evidence_post_ids', 'status_changed_at', 'completed_at', 'created_at', 'updated_at']);
  const checkIn = insert('check_ins', ['id', 'org_id', 'room_id', 'author_id', 'progress', 'blockers', 'confidence', 'created_at']);
  const feedback = insert('feedback', ['id', 'org_id', 'room_id', 'author_id', 'direction', 'subject', 'subject_id', 'rating', 'comment', 'created_at']);
  const event = insert('events', ['org_id', 'room_id', 'audience', 'type', 'data', 'occurred_at']);
  const program = insert('programs', ['id', 'org_id', 'name', 'description', 'status', 'created_at', 'updated_at']);
  const cohort = insert('cohorts', ['id', 'org_id', 'program_id', 'name', 'start_date', 'end_date', 'template_id', 'created_at', 'updated_at']);
  const cohortRoom = insert('cohort_rooms', ['room_id', 'cohort_id', 'org_id', 'mentor_id', 'mentee_id', 'roadmap_id', 'template_id', 'template_version', 'created_at']);
  const enrolment = insert('cohort_enrolments', ['cohort_id', 'person_id', 'org_id', 'role', 'source', 'group_id', 'enrolled_at']);
  const STATUSES = ['planned', 'planned', 'in_progress', 'done', 'done', 'blocked'];
  const programId = `prog_${ulid()}`;
  const cohortId = `coh_${ulid()}`;

  sqlite.transaction(() => {
    const people: string[] = [];
    for (let i = 0; i < PEOPLE; i++) {
      const id = `per_${ulid(now - (PEOPLE - i) * 1000)}`;
      people.push(id);
      const name = `${i < MENTORS ? 'Mentor' : 'Mentee'} ${i}`;
      person.run(id, orgId, name, name.toLowerCase(), `p${i}@bench.example`, '[]', i < MENTORS ? '["mentor"]' : '[]', 1, iso(now - 200 * DAY), iso(now - 200 * DAY));
    }
    program.run(programId, orgId, 'Engineering', '', 'active', iso(now), iso(now));
    cohort.run(cohortId, orgId, programId, 'Q1', date(now - 60 * DAY), date(now + 30 * DAY), null, iso(now), iso(now));
    for (let r = 0; r < ROOMS; r++) {
      const created = now - Math.floor(rnd() * 120 + 1) * DAY;
      const roomId = `room_${ulid(created)}`;
      const mapId = `rmap_${ulid(created)}`;
      const mentor = people[r % MENTORS]!;
      const mentees = [people[MENTORS + (r % (PEOPLE - MENTORS))]!];
      if (r % 5 === 0) mentees.push(people[MENTORS + ((r * 7 + 3) % (PEOPLE - MENTORS))]!);
      const status = r % 10 === 0 ? 'archived' : 'active';
      room.run(roomId, orgId, `Room ${r}`, 'Grow', status, mapId, iso(created), iso(created));
      member.run(roomId, mentor, orgId, 'mentor', iso(created));
      for (const m of mentees) member.run(roomId, m, orgId, 'mentee', iso(created));
      roadmap.run(mapId, orgId, roomId, mentees[0], 'Plan', '', date(created), 90, 1, iso(created), iso(created));
      for (let k = 0; k < 5; k++) {
        const s = STATUSES[Math.floor(rnd() * STATUSES.length)]!;
        const changed = now - Math.floor(rnd() * 30) * DAY;
        milestone.run(`mil_${ulid(created)}`, orgId, mapId, `Milestone ${k}`, '', date(created + (k + 1) * 18 * DAY), '[]', '', s, '[]', iso(changed), s === 'done' ? iso(changed) : null, iso(created), iso(created));
      }
      // Quiet rooms: their last activity is older than the stalled threshold.
      const quiet = r % 7 === 0;
      for (const m of mentees) {
        const n = Math.floor(rnd() * 7);
        for (let k = n; k > 0; k--) {
          const at = now - (quiet ? 20 + k * 5 : k * 5) * DAY;
          checkIn.run(`chk_${ulid(at)}`, orgId, roomId, m, 'Progress', '', 1 + Math.floor(rnd() * 5), iso(at));
        }
      }
      feedback.run(`fbk_${ulid(created)}`, orgId, roomId, mentees[0], 'mentee_to_mentor', 'room', null, 1 + Math.floor(rnd() * 5), 'Comment', iso(created + DAY));
      feedback.run(`fbk_${ulid(created)}`, orgId, roomId, mentor, 'mentor_to_mentee', 'room', null, 1 + Math.floor(rnd() * 5), 'Comment', iso(created + DAY));
      for (let k = 4; k > 0; k--) event.run(orgId, roomId, 'room', 'message.created', '{}', iso(now - (quiet ? 20 + k : k) * DAY));
      if (r < COHORT_ROOMS) {
        cohortRoom.run(roomId, cohortId, orgId, mentor, mentees[0], mapId, null, null, iso(created));
        enrolment.run(cohortId, mentor, orgId, 'mentor', 'api', null, iso(created));
        enrolment.run(cohortId, mentees[0], orgId, 'mentee', 'api', null, iso(created));
      }
    }
  })();
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  sqlite.exec('analyze');
  sqlite.close();
  const meta: Dataset = { dbPath, apiKey: apiKey.secret, cohortId, orgId };
  writeFileSync(metaPath, JSON.stringify(meta));
  console.log(`${((Date.now() - started) / 1000).toFixed(1)} s`);
  return meta;
}

/**
 * The baseline: the summary's room counts, funnel and at-risk list by the simplest means, room by
 * room (what a console calling each room's attention would cost), on its own connection.
 */
async function baseline(dbPath: string, orgId: string): Promise<number> {
  const db = openSqlite(dbPath);
  try {
    const rooms = await db.selectFrom('rooms').select(['id', 'status', 'created_at']).where('org_id', '=', orgId).execute();
    let atRisk = 0;
    const funnel: Record<string, number> = {};
    const now = new Date().toISOString();
    for (const room of rooms) {
      const [facts] = await loadRoomFacts(db, [room]);
      if (facts && evaluateRoom(facts, now).length > 0) atRisk++;
      for (const m of facts?.milestones ?? []) funnel[m.status] = (funnel[m.status] ?? 0) + 1;
      await db.selectFrom('events').select('occurred_at').where('room_id', '=', room.id).orderBy('id', 'desc').limit(1).executeTakeFirst();
      await db.selectFrom('feedback').select(['direction', 'rating']).where('room_id', '=', room.id).execute();
    }
    return atRisk;
  } finally {
    await db.destroy();
  }
}

/** One measurement: wall time and CPU time (user + system), in ms. */
interface Sample { wall: number; cpu: number }

function sample(started: number, cpu: NodeJS.CpuUsage): Sample {
  const used = process.cpuUsage(cpu);
  return { wall: performance.now() - started, cpu: (used.user + used.system) / 1000 };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function main(): Promise<void> {
  const ds = await dataset();
  const server = await startNodeServer({ port: 0, hostname: '127.0.0.1', dbPath: ds.dbPath, rateLimit: false, ipRateLimit: false });
  const headers = { authorization: `Bearer ${ds.apiKey}` };
  try {
    /** Wall time, and the process's CPU time (server and client share it): the work itself, on a busy machine. */
    const get = async (path: string, retried = false): Promise<Sample> => {
      const started = performance.now();
      const cpu = process.cpuUsage();
      let response: Response;
      try {
        response = await fetch(`${server.url}${path}`, { headers });
      } catch (error) {
        // A kept-alive connection the server closed as it was reused: measure a fresh request.
        if (retried) throw error;
        return get(path, true);
      }
      if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
      await response.arrayBuffer();
      return sample(started, cpu);
    };
    const cases: { name: string; run: () => Promise<Sample> }[] = [
      { name: 'summary, organization (HTTP)', run: () => get('/v1/program/health/summary') },
      { name: `summary, cohort of ${COHORT_ROOMS.toLocaleString('en')} rooms (HTTP)`, run: () => get(`/v1/program/health/summary?cohortId=${ds.cohortId}`) },
      { name: 'room health, a page of 100 (HTTP)', run: () => get('/v1/program/health?limit=100') },
      {
        name: 'baseline: room by room, in process', run: async () => {
          const started = performance.now();
          const cpu = process.cpuUsage();
          await baseline(ds.dbPath, ds.orgId);
          return sample(started, cpu);
        },
      },
    ];
    // Warm up (statement cache, page cache), then interleave: every round runs every case once.
    for (const c of cases) await c.run();
    const times = new Map<string, Sample[]>(cases.map((c) => [c.name, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const c of round % 2 === 0 ? cases : [...cases].reverse()) times.get(c.name)!.push(await c.run());
    }
    const summary = await (await fetch(`${server.url}/v1/program/health/summary`, { headers })).json() as { rooms: unknown; atRiskCount: number };

    // Exports: whole downloads, with the growth of the process's peak RSS (server and client share it).
    const exports: { name: string; ms: number; bytes: number; rssMb: number }[] = [];
    for (const [kind, format] of [['people', 'csv'], ['rooms', 'csv'], ['rooms', 'json']] as const) {
      const before = process.resourceUsage().maxRSS;
      const started = performance.now();
      const response = await fetch(`${server.url}/v1/program/export?kind=${kind}&format=${format}`, { headers });
      let bytes = 0;
      for await (const chunk of response.body!) bytes += (chunk as Uint8Array).byteLength;
      exports.push({ name: `export ${kind} ${format}`, ms: performance.now() - started, bytes, rssMb: (process.resourceUsage().maxRSS - before) / 1024 });
    }

    console.log(`\nprogram health: ${PEOPLE.toLocaleString('en')} people, ${ROOMS.toLocaleString('en')} rooms, SQLite, ${ROUNDS} interleaved rounds (Node ${process.version})`);
    console.log(`rooms ${JSON.stringify(summary.rooms)}, at risk ${summary.atRiskCount}\n`);
    console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${availableParallelism()} cores\n`);
    console.log('| case | p50 ms | p99 ms | max ms | CPU p50 ms | CPU p99 ms | aim (p99 ≤ 200 ms) |');
    console.log('|---|---:|---:|---:|---:|---:|---|');
    for (const [name, list] of times) {
      const wall = list.map((x) => x.wall).sort((a, b) => a - b);
      const cpu = list.map((x) => x.cpu).sort((a, b) => a - b);
      const aim = name.startsWith('summary') ? `wall ${percentile(wall, 99) <= AIM_MS ? 'met' : 'missed'}, CPU ${percentile(cpu, 99) <= AIM_MS ? 'met' : 'missed'}` : '';
      const f = (v: number) => v.toFixed(1);
      console.log(`| ${name} | ${f(percentile(wall, 50))} | ${f(percentile(wall, 99))} | ${f(wall.at(-1) ?? NaN)} | ${f(percentile(cpu, 50))} | ${f(percentile(cpu, 99))} | ${aim} |`);
    }
    console.log('\n| export (streamed, HTTP) | ms | size | peak RSS growth |');
    console.log('|---|---:|---:|---:|');
    for (const e of exports) console.log(`| ${e.name} | ${e.ms.toFixed(0)} | ${(e.bytes / 1024).toFixed(0)} KiB | ${e.rssMb.toFixed(1)} MiB |`);
  } finally {
    await server.close();
  }
}

await main();
