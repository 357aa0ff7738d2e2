#!/usr/bin/env node
// `npm run demo`: the reference server on its embedded SQLite store, seeded with a demo
// organization, and this intranet page with live widgets.
//
//   --fresh        delete the demo database and seed again
//   PORT           Menteo API port (8787)
//   INTRANET_PORT  intranet port (8080)
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createOrganization } from '@menteo/server';
import { openSqlite, startNodeServer } from '@menteo/server/node';
import { migrateToLatest } from '@menteo/server';
import { seedDemo, PEOPLE, ROOMS } from '@menteo/server/seed';
import { startIntranet } from './host-backend.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = join(root, '.menteo');
const dbPath = join(dir, 'demo.db');
const statePath = join(dir, 'demo.json');
const port = Number(process.env.PORT ?? 8787);
const intranetPort = Number(process.env.INTRANET_PORT ?? 8080);
const menteoUrl = `http://localhost:${port}`;
const intranetOrigins = [`http://localhost:${intranetPort}`, `http://127.0.0.1:${intranetPort}`];

function bar(done, total) {
  const width = 24;
  const filled = Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(done).padStart(2)}/${total}`;
}

async function seed() {
  rmSync(dbPath, { force: true });
  rmSync(`${dbPath}-wal`, { force: true });
  rmSync(`${dbPath}-shm`, { force: true });
  mkdirSync(dir, { recursive: true });
  const db = openSqlite(dbPath);
  await migrateToLatest(db);
  const { organization, apiKey } = await createOrganization(db, { name: 'Northwind Labs', allowedOrigins: intranetOrigins, keyName: 'intranet backend' });
  const { createApp } = await import('@menteo/server');
  const app = createApp({ db, rateLimit: false });
  console.log(`Seeding the demo organization "${organization.name}" into ${dbPath}`);
  const started = Date.now();
  const result = await seedDemo({
    app,
    apiKey: apiKey.secret,
    onProgress: (step, done, total) => {
      const line = `  ${bar(done, total)} ${step}`;
      if (process.stdout.isTTY) process.stdout.write(`\r\x1b[2K${line.slice(0, process.stdout.columns - 1)}`);
      else console.log(line);
    },
  });
  if (process.stdout.isTTY) process.stdout.write('\n');
  console.log(`  done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await db.destroy();

  // Who can sign in to the intranet, with the room, roadmap and thread their page shows.
  const people = [];
  for (const p of PEOPLE) {
    const index = ROOMS.findIndex((r) => r.mentor === p.key || r.mentees.includes(p.key));
    const room = ROOMS[index];
    const roomId = index >= 0 ? result.rooms[index] : undefined;
    const roadmapIndex = ROOMS.slice(0, index + 1).filter((r) => r.roadmap).length - 1;
    people.push({
      key: p.key,
      displayName: p.displayName,
      externalId: `hr-${p.key}`,
      role: room ? (room.mentor === p.key ? 'mentor' : 'mentee') : 'member',
      roomId,
      roadmapId: room?.roadmap ? result.roadmaps[roadmapIndex] : undefined,
      threadId: result.threadsByRoom[index],
    });
  }
  const state = { organizationId: organization.id, apiKey: apiKey.secret, defaultPerson: 'sam', people };
  // The API key is a secret of the intranet backend: it stays in the git-ignored .menteo folder.
  writeFileSync(statePath, JSON.stringify(state, null, 2), { mode: 0o600 });
  return state;
}

const fresh = process.argv.includes('--fresh') || !existsSync(dbPath) || !existsSync(statePath);
const demo = fresh ? await seed() : JSON.parse(readFileSync(statePath, 'utf8'));

const server = await startNodeServer({ port, dbPath, hostname: '127.0.0.1' });
const intranet = await startIntranet({ port: intranetPort, menteoUrl, demo });

console.log(`
Menteo API      ${menteoUrl}/v1/health   (OpenAPI: ${menteoUrl}/v1/openapi.json)
Intranet demo   http://localhost:${intranetPort}/            signed in as Sam (mentee)
Second person   http://localhost:${intranetPort}/?as=priya   Priya (mentor): open it in another browser or a private window
Press Ctrl+C to stop.`);

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    intranet.close();
    await server.close();
    process.exit(0);
  });
}
