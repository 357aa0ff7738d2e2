// The demo as a function, so `npm run demo` and the end-to-end test start exactly the same
// thing: the reference server on its SQLite file, seeded, and the intranet host page.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createClient } from '@menteo/client';
import { createApp, createOrganization, migrateToLatest } from '@menteo/server';
import { nodeAdminAssets, openSqlite, startNodeServer } from '@menteo/server/node';
import { PEOPLE, ROOMS, seedDemo } from '@menteo/server/seed';
import { startIntranet } from './host-backend.mjs';

function bar(done, total) {
  const width = 24;
  const filled = Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(done).padStart(2)}/${total}`;
}

function isoDay(offset) {
  return new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Two more rooms where Priya mentors, so her page shows a mentor with several mentees and what
 * each room needs: Fatima asked a question nobody answered, an action item is overdue and her
 * confidence fell across three check-ins; Zoë's room is calm. Added here (not in the shared seed)
 * because only the demo's mentor page needs them.
 */
async function seedMentorRooms(app, apiKey, people) {
  const fetch = (input, init) => Promise.resolve(app.fetch(new Request(input, init)));
  const as = (key) => createClient({ baseUrl: 'http://menteo.seed', apiKey, actAs: people[key], fetch });
  const admin = createClient({ baseUrl: 'http://menteo.seed', apiKey, fetch });
  const priya = as('priya');
  const busy = await admin.rooms.create({
    title: 'Data platform: Priya × Fatima',
    purpose: 'Take over the nightly pipelines and their on-call.',
    members: [{ personId: people.priya, role: 'mentor' }, { personId: people.fatima, role: 'mentee' }],
  });
  const fatima = as('fatima');
  await priya.roadmaps.create({
    roomId: busy.id,
    title: 'Own the nightly pipelines',
    startDate: isoDay(-40),
    milestones: [
      { title: 'Map every nightly job and its owner', dueDate: isoDay(-12) },
      { title: 'Lead the backfill of the events table', dueDate: isoDay(30) },
    ],
  });
  await priya.rooms.notes.create(busy.id, {
    sessionDate: isoDay(-16),
    summary: 'Walked through the pipeline graph; agreed Fatima writes the first runbook.',
    actionItems: [
      { text: 'Draft the runbook for the orders export', ownerId: people.fatima, dueDate: isoDay(-4) },
      { text: 'Share the lineage dashboard', ownerId: people.priya, dueDate: isoDay(2) },
    ],
  });
  for (const [progress, confidence] of [['Mapped half the jobs.', 4], ['Backfill plan drafted, still unsure about retries.', 3], ['Two jobs failed overnight; not sure how to debug them.', 2]]) {
    await fatima.checkIns.create(busy.id, { progress, confidence, blockers: confidence === 2 ? 'No access to the scheduler logs.' : undefined });
  }
  const thread = await fatima.threads.create({ title: 'Learning the data platform', roomId: busy.id });
  await fatima.threads.posts.create(thread.id, {
    body: 'How do you decide whether a failed nightly job can wait until morning?',
    audience: 'room',
    roomId: busy.id,
  });
  const calm = await admin.rooms.create({
    title: 'Go services: Priya × Zoë',
    purpose: 'Write and operate a first Go service.',
    members: [{ personId: people.priya, role: 'mentor' }, { personId: people.zoe, role: 'mentee' }],
  });
  await as('zoe').checkIns.create(calm.id, { progress: 'First handler merged with tests.', confidence: 4 });
}

async function seed(dir, dbPath, statePath, log) {
  for (const f of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`, statePath]) rmSync(f, { force: true });
  mkdirSync(dir, { recursive: true });
  const db = openSqlite(dbPath);
  await migrateToLatest(db);
  const { organization, apiKey } = await createOrganization(db, { name: 'Northwind Labs', keyName: 'intranet backend' });
  const app = createApp({ db, rateLimit: false });
  log(`Seeding the demo organization "${organization.name}" into ${dbPath}`);
  const started = Date.now();
  const tty = process.stdout.isTTY && log === console.log;
  const result = await seedDemo({
    app,
    apiKey: apiKey.secret,
    onProgress: (step, done, total) => {
      const line = `  ${bar(done, total)} ${step}`;
      if (tty) process.stdout.write(`\r\x1b[2K${line.slice(0, process.stdout.columns - 1)}`);
      else log(line);
    },
  });
  if (tty) process.stdout.write('\n');
  await seedMentorRooms(app, apiKey.secret, result.people);
  log(`  done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await db.destroy();

  // Who can sign in to the intranet, with the room, roadmap and thread their page shows.
  const people = PEOPLE.map((p) => {
    const index = ROOMS.findIndex((r) => !r.archived && (r.mentor === p.key || r.mentees.includes(p.key)));
    const room = ROOMS[index];
    const roadmapIndex = ROOMS.slice(0, index + 1).filter((r) => r.roadmap).length - 1;
    return {
      key: p.key,
      displayName: p.displayName,
      externalId: `hr-${p.key}`,
      role: room ? (room.mentor === p.key ? 'mentor' : 'mentee') : 'member',
      roomId: index >= 0 ? result.rooms[index] : undefined,
      roadmapId: room?.roadmap ? result.roadmaps[roadmapIndex] : undefined,
      threadId: index >= 0 ? result.threadsByRoom[index] : undefined,
    };
  });
  const state = { organizationId: organization.id, apiKey: apiKey.secret, defaultPerson: 'sam', people };
  // The API key is a secret of the intranet backend: it stays in the git-ignored .menteo folder.
  writeFileSync(statePath, JSON.stringify(state, null, 2), { mode: 0o600 });
  return state;
}

/**
 * Starts the demo. `port`/`intranetPort` 0 pick free ports. Seeds `dir` when it holds no demo
 * yet or `fresh` is set. Returns the addresses and a `close()`.
 */
export async function startDemo({ dir, port = 8787, intranetPort = 8080, fresh = false, log = console.log }) {
  const dbPath = join(dir, 'demo.db');
  const statePath = join(dir, 'demo.json');
  const needsSeed = fresh || !existsSync(dbPath) || !existsSync(statePath);
  const demo = needsSeed ? await seed(dir, dbPath, statePath, log) : JSON.parse(readFileSync(statePath, 'utf8'));

  // The server also serves the admin console page at /admin, with the elements' CDN build.
  const server = await startNodeServer({ port, dbPath, hostname: '127.0.0.1', adminPage: nodeAdminAssets() });
  const menteoUrl = `http://localhost:${server.port}`;
  const intranet = await startIntranet({ port: intranetPort, menteoUrl, demo });
  const actualIntranetPort = intranet.address().port;
  // The intranet's origins may embed the widgets: kept in step with the ports actually used.
  const admin = createClient({ baseUrl: server.url, apiKey: demo.apiKey });
  // Menteo's own origin too: its /admin page signs in from there (the demo runs no LTI tool, whose
  // public URL would otherwise count as Menteo's own origin).
  await admin.organization.update({
    allowedOrigins: [`http://localhost:${actualIntranetPort}`, `http://127.0.0.1:${actualIntranetPort}`, menteoUrl, `http://127.0.0.1:${server.port}`],
  });

  return {
    demo,
    menteoUrl,
    intranetUrl: `http://localhost:${actualIntranetPort}`,
    async close() {
      intranet.closeAllConnections?.();
      await new Promise((done) => intranet.close(() => done()));
      await server.close();
    },
  };
}
