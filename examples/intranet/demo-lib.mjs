// The demo as a function, so `npm run demo` and the end-to-end test start exactly the same
// thing: the reference server on its SQLite file, seeded, and the intranet host page.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createClient } from '@menteo/client';
import { createApp, createOrganization, migrateToLatest } from '@menteo/server';
import { openSqlite, startNodeServer } from '@menteo/server/node';
import { PEOPLE, ROOMS, seedDemo } from '@menteo/server/seed';
import { startIntranet } from './host-backend.mjs';

function bar(done, total) {
  const width = 24;
  const filled = Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(done).padStart(2)}/${total}`;
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

  const server = await startNodeServer({ port, dbPath, hostname: '127.0.0.1' });
  const menteoUrl = `http://localhost:${server.port}`;
  const intranet = await startIntranet({ port: intranetPort, menteoUrl, demo });
  const actualIntranetPort = intranet.address().port;
  // The intranet's origins may embed the widgets: kept in step with the ports actually used.
  const admin = createClient({ baseUrl: server.url, apiKey: demo.apiKey });
  await admin.organization.update({ allowedOrigins: [`http://localhost:${actualIntranetPort}`, `http://127.0.0.1:${actualIntranetPort}`] });

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
