/**
 * Benchmark datasets: an organization with one room and one growth thread of N posts, built
 * once into .menteo/bench/ and reused by bench:server and bench:feed. The organization is made
 * through the API (in-process); the posts are bulk-inserted, since a million HTTP writes would
 * take an hour.
 * @module
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import SqliteDatabase from 'better-sqlite3';
import { createApp, createOrganization, migrateToLatest, ulid } from '@menteo/server';
import { openSqlite } from '@menteo/server/node';
import { createPerson } from '@menteo/api/people';
import { createRoom } from '@menteo/api/rooms';
import { createThread } from '@menteo/api/threads';
import { caller } from '../packages/server/src/seed/call.js';

const benchDir = join(fileURLToPath(new URL('..', import.meta.url)), '.menteo/bench');

/** Post bodies of varied length and markup, so rendering work is realistic. */
const BODIES = [
  'Post #: what I learned today about keyset pagination and why offsets get slow.',
  'Post #: paired with my mentor on the **incident review**. Three takeaways:\n\n- write the timeline first\n- separate causes from triggers\n- _owners_ for every follow-up',
  'Post #: short one. Shipped the `retry` change behind a flag.',
  'Post #: read [the SRE workbook chapter on alerting](https://sre.google/workbook/alerting-on-slos/) and rewrote our two noisiest alerts as burn-rate alerts. The on-call rotation noticed within a week: pages went from fourteen to three, and every one of them was about something users could feel.',
];

/** Where a dataset is and how to act in it. */
export interface Dataset {
  dbPath: string;
  apiKey: string;
  personId: string;
  threadId: string;
  /** The id of the post in the middle of the thread, for a deep page. */
  middleId: string;
}

/** Builds (or reuses) a database with one thread of `size` posts in a realistic organization. */
export async function dataset(size: number, { rebuild = false } = {}): Promise<Dataset> {
  mkdirSync(benchDir, { recursive: true });
  // Bump when the dataset's shape changes, so stale caches are not reused.
  const dbPath = join(benchDir, `posts-${size}-v2.db`);
  const metaPath = `${dbPath}.json`;
  if (!rebuild && existsSync(dbPath) && existsSync(metaPath)) {
    return JSON.parse(readFileSync(metaPath, 'utf8')) as Dataset;
  }
  for (const f of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`, metaPath]) rmSync(f, { force: true });
  process.stdout.write(`building dataset: ${size.toLocaleString('en')} posts… `);
  const started = Date.now();
  const db = openSqlite(dbPath);
  await migrateToLatest(db);
  const { apiKey } = await createOrganization(db, { name: 'Bench org' });
  const app = createApp({ db, rateLimit: false });
  const call = caller(app, 'http://bench.internal', apiKey.secret);
  const people = [];
  for (let i = 0; i < 20; i++) {
    people.push(await call(createPerson, { body: { displayName: `Person ${i}`, email: `p${i}@bench.example` } }));
  }
  const author = people[0]!;
  const room = await call(createRoom, {
    actAs: author.id,
    body: { title: 'Bench room', members: people.map((p, i) => ({ personId: p.id, role: i === 1 ? ('mentor' as const) : ('mentee' as const) })) },
  });
  const thread = await call(createThread, { actAs: author.id, body: { title: 'Bench thread', roomId: room.id } });
  const orgId = (await db.selectFrom('organizations').select('id').executeTakeFirstOrThrow()).id;
  await db.destroy();

  // Bulk insert straight into SQLite: a million posts through HTTP would take an hour.
  const sqlite = new SqliteDatabase(dbPath);
  sqlite.pragma('journal_mode = WAL');
  const insert = sqlite.prepare(
    `insert into posts (id, org_id, thread_id, author_id, body, audience, room_id, milestone_id, comment_count, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, null, 0, ?, ?)`,
  );
  const base = Date.now() - size * 1000;
  let middleId = '';
  const batch = sqlite.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const at = base + i * 1000;
      const id = `post_${ulid(at)}`;
      if (i === Math.floor(size / 2)) middleId = id;
      const when = new Date(at).toISOString();
      const audience = i % 5 === 0 ? 'org' : 'room';
      insert.run(id, orgId, thread.id, author.id, BODIES[i % BODIES.length]!.replace('#', String(i)), audience, room.id, when, when);
    }
  });
  for (let from = 0; from < size; from += 50_000) batch(from, Math.min(size, from + 50_000));
  sqlite.prepare('update threads set post_count = ? where id = ?').run(size, thread.id);
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  sqlite.exec('analyze');
  sqlite.close();
  const meta: Dataset = { dbPath, apiKey: apiKey.secret, personId: author.id, threadId: thread.id, middleId };
  writeFileSync(metaPath, JSON.stringify(meta));
  console.log(`${((Date.now() - started) / 1000).toFixed(1)} s`);
  return meta;
}

