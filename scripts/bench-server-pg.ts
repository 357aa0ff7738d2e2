/**
 * bench:server on PostgreSQL: a database of its own on the given server (or on a throwaway
 * cluster, as the tests start), holding the same dataset as bench-dataset.ts builds on SQLite:
 * an organization made through the API, one room, one thread of `size` posts bulk-inserted.
 * Created for the run and dropped after it.
 * @module
 */
import { sql } from 'kysely';
import { createApp, createOrganization, migrateToLatest, ulid } from '@menteo/server';
import { createPerson } from '@menteo/api/people';
import { createRoom } from '@menteo/api/rooms';
import { createThread } from '@menteo/api/threads';
import { openPostgres } from '../packages/server/src/node.js';
import { caller } from '../packages/server/src/seed/call.js';
import type { Dataset } from './bench-dataset.js';

/** The same bodies as the SQLite dataset's, so the pages weigh the same. */
const BODIES = [
  'Post #: what I learned today about keyset pagination and why offsets get slow.',
  'Post #: paired with my mentor on the **incident review**. Three takeaways:\n\n- write the timeline first\n- separate causes from triggers\n- _owners_ for every follow-up',
  'Post #: short one. Shipped the `retry` change behind a flag.',
  'Post #: read [the SRE workbook chapter on alerting](https://sre.google/workbook/alerting-on-slos/) and rewrote our two noisiest alerts as burn-rate alerts. The on-call rotation noticed within a week: pages went from fourteen to three, and every one of them was about something users could feel.',
];

async function admin(url: string, text: string): Promise<void> {
  const db = openPostgres(url);
  try {
    await sql.raw(text).execute(db);
  } finally {
    await db.destroy();
  }
}

/** Builds the dataset in a new database; `server` is an administrative URL or 'throwaway'. */
export async function pgDataset(server: string, size: number): Promise<{ store: Dataset & { databaseUrl: string }; note: string; drop(): Promise<void> }> {
  let stopCluster = async () => {};
  let adminUrl = server;
  let note = 'the given server';
  if (server === 'throwaway') {
    const { startTestPostgres } = (await import('./postgres.mjs')) as { startTestPostgres: () => Promise<{ url: string; stop(): Promise<void> }> };
    const cluster = await startTestPostgres();
    adminUrl = cluster.url;
    stopCluster = () => cluster.stop();
    note = 'a throwaway cluster, fsync off';
  }
  const name = `menteo_bench_server_${process.pid}`;
  await admin(adminUrl, `create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const drop = async () => {
    await admin(adminUrl, `drop database if exists ${name} with (force)`).catch(() => undefined);
    await stopCluster();
  };
  try {
    process.stdout.write(`building dataset on PostgreSQL: ${size.toLocaleString('en')} posts… `);
    const db = openPostgres(databaseUrl);
    try {
      await migrateToLatest(db);
      const { apiKey } = await createOrganization(db, { name: 'Bench org' });
      const app = createApp({ db, rateLimit: false, storage: 'postgres' });
      const call = caller(app, 'http://bench.internal', apiKey.secret);
      const people = [];
      for (let i = 0; i < 20; i++) people.push(await call(createPerson, { body: { displayName: `Person ${i}`, email: `p${i}@bench.example` } }));
      const author = people[0]!;
      const room = await call(createRoom, {
        actAs: author.id,
        body: { title: 'Bench room', members: people.map((p, i) => ({ personId: p.id, role: i === 1 ? ('mentor' as const) : ('mentee' as const) })) },
      });
      const thread = await call(createThread, { actAs: author.id, body: { title: 'Bench thread', roomId: room.id } });
      const orgId = (await db.selectFrom('organizations').select('id').executeTakeFirstOrThrow()).id;
      const base = Date.now() - size * 1000;
      let middleId = '';
      for (let from = 0; from < size; from += 1000) {
        const rows = [];
        for (let i = from; i < Math.min(size, from + 1000); i++) {
          const at = base + i * 1000;
          const id = `post_${ulid(at)}`;
          if (i === Math.floor(size / 2)) middleId = id;
          const when = new Date(at).toISOString();
          rows.push({
            id, org_id: orgId, thread_id: thread.id, author_id: author.id, body: BODIES[i % BODIES.length]!.replace('#', String(i)),
            audience: i % 5 === 0 ? 'org' : 'room', room_id: room.id, milestone_id: null, comment_count: 0, created_at: when, updated_at: when,
          });
        }
        await db.insertInto('posts').values(rows).execute();
      }
      await db.updateTable('threads').set({ post_count: size }).where('id', '=', thread.id).execute();
      await sql`analyze`.execute(db);
      console.log('done');
      return { store: { dbPath: '', databaseUrl, apiKey: apiKey.secret, personId: author.id, threadId: thread.id, middleId }, note, drop };
    } finally {
      await db.destroy();
    }
  } catch (error) {
    await drop();
    throw error;
  }
}
