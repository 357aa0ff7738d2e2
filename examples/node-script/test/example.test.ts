// Keeps the example honest: it runs against the real server, over HTTP, on the seeded demo data.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { createClient } from '@menteo/client';
import { createOrganization, migrateToLatest } from '@menteo/server';
import { openSqlite, startNodeServer, type NodeServer } from '@menteo/server/node';
import { seedDemo } from '@menteo/server/seed';
import { run } from '../index.js';

let server: NodeServer;
let apiKey: string;
const dir = mkdtempSync(join(tmpdir(), 'menteo-example-'));

before(async () => {
  const dbPath = join(dir, 'example.db');
  const db = openSqlite(dbPath);
  await migrateToLatest(db);
  const created = await createOrganization(db, { name: 'Example org' });
  apiKey = created.apiKey.secret;
  await db.destroy();
  server = await startNodeServer({ port: 0, dbPath, hostname: '127.0.0.1' });
  await seedDemo({ app: server.app, apiKey });
});

after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

it('lists rooms, walks every post of a thread across pages, and creates a post', async () => {
  const lines: string[] = [];
  const menteo = createClient({ baseUrl: server.url, apiKey });
  const result = await run(menteo, (line) => lines.push(line));
  // The demo has five active rooms: four of its own (one more is archived) and the Q1 cohort's room.
  assert.equal(result.rooms.length, 5);
  // The busiest demo thread has three posts: walked two per page, so across two pages.
  assert.equal(result.postsWalked, 3);
  const all = await menteo.threads.posts.list(result.threadId, { limit: 100 });
  assert.equal(all.items.length, result.postsWalked + 1);
  assert.equal(all.items[0]?.id, result.createdPostId);
  assert.ok(lines.some((l) => l.startsWith('created post')));
});
