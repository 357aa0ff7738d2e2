// Reaction counts kept per (post, kind) (migration 009) stay exact: random sequences of reacts,
// unreacts, toggles, idempotent retries (the same Idempotency-Key sent again, and the same call
// sent twice at once) and post deletions, each followed by a comparison of the kept counts and
// the API's answers with a COUNT(*) over the reaction rows.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Post, Thread } from '@menteo/api';
import SqliteDatabase from 'better-sqlite3';
import fc from 'fast-check';
import { Kysely, SqliteDialect } from 'kysely';
import { Migrator } from 'kysely/migration';
import type { Database } from '../src/storage/schema.js';
import { migrationProvider } from '../src/storage/migrations.js';
import { startServer, type TestServer } from './support/server.js';
import { buildWorld, expectStatus, tokenFor, type World } from './support/world.js';

const KINDS = ['applause', 'insight', 'support', 'celebrate', 'curious'] as const;
const REACTORS = ['mentor', 'mentee', 'mentee2', 'outsider'] as const;
type Reactor = (typeof REACTORS)[number];

let server: TestServer;
let w: World;
const tok = {} as Record<Reactor, string>;
let thread: Thread;

before(async () => {
  server = await startServer();
  w = await buildWorld(server);
  for (const who of REACTORS) tok[who] = await tokenFor(server, w[who].id);
  // Outside any room: everyone of the organization reads the thread and reacts to its org posts.
  const t = await server.call<Thread>('POST', '/v1/threads', { auth: tok.mentee, body: { title: 'Counting' } });
  expectStatus(t, 201);
  thread = t.body;
});
after(async () => server.close());

type Step =
  | { op: 'react' | 'unreact' | 'toggle' | 'retry' | 'twice'; who: Reactor; post: number; kind: (typeof KINDS)[number] }
  | { op: 'delete'; post: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 12, arbitrary: fc.record({ op: fc.constantFrom('react', 'unreact', 'toggle', 'retry', 'twice' as const), who: fc.constantFrom(...REACTORS), post: fc.nat(3), kind: fc.constantFrom(...KINDS) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('delete' as const), post: fc.nat(3) }) },
);

async function newPost(): Promise<Post> {
  const p = await server.call<Post>('POST', `/v1/threads/${thread.id}/posts`, { auth: tok.mentee, body: { body: 'count me', audience: 'org' } });
  expectStatus(p, 201);
  return p.body;
}

/** The kept counts against COUNT(*), and each reactor's view of each live post against the rows. */
async function check(posts: readonly Post[]): Promise<void> {
  const ids = posts.map((p) => p.id);
  const truth = await server.db.selectFrom('reactions').select(['post_id', 'kind']).select((eb) => eb.fn.countAll<number>().as('n'))
    .where('post_id', 'in', ids).groupBy(['post_id', 'kind']).execute();
  const kept = await server.db.selectFrom('reaction_counts').select(['post_id', 'kind', 'count']).where('post_id', 'in', ids).where('count', '>', 0).execute();
  const key = (r: { post_id: string; kind: string }) => `${r.post_id}/${r.kind}`;
  assert.deepEqual(
    new Map(kept.map((r) => [key(r), Number(r.count)])),
    new Map(truth.map((r) => [key(r), Number(r.n)])),
    'reaction_counts equals COUNT(*) of the reaction rows',
  );
  const negative = await server.db.selectFrom('reaction_counts').select('post_id').where('count', '<', 0).execute();
  assert.equal(negative.length, 0, 'no count below zero');
  const rows = await server.db.selectFrom('reactions').select(['post_id', 'kind', 'person_id']).where('post_id', 'in', ids).execute();
  for (const who of REACTORS) {
    const page = await server.call<{ items: Post[] }>('GET', `/v1/threads/${thread.id}/posts?limit=100`, { auth: tok[who] });
    expectStatus(page, 200);
    for (const post of page.body.items.filter((p) => ids.includes(p.id))) {
      const expected = KINDS.flatMap((kind) => {
        const mine = rows.filter((r) => r.post_id === post.id && r.kind === kind);
        return mine.length > 0 ? [{ kind, count: mine.length, mine: mine.some((r) => r.person_id === w[who].id) }] : [];
      });
      assert.deepEqual(post.reactions, expected, `${who}'s view of ${post.id}`);
    }
  }
}

describe('reaction counts kept per post and kind', () => {
  it('match COUNT(*) after any sequence of reacts, unreacts, toggles, retries and deletions', async () => {
    let retryKey = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 5, maxLength: 30 }), async (steps) => {
        const posts: Post[] = [await newPost(), await newPost(), await newPost(), await newPost()];
        const reaction = (who: Reactor, post: Post, kind: string, method: 'PUT' | 'DELETE', headers?: Record<string, string>) =>
          server.call<Post>(method, `/v1/posts/${post.id}/reactions/${kind}`, { auth: tok[who], ...(headers ? { headers } : {}) });
        for (const step of steps) {
          const post = posts[step.post]!;
          if (step.op === 'delete') {
            expectStatus(await server.call('DELETE', `/v1/posts/${post.id}`, { auth: tok.mentee }), 204);
            const left = await server.db.selectFrom('reaction_counts').select('post_id').where('post_id', '=', post.id).execute();
            assert.equal(left.length, 0, 'a deleted post keeps no counts');
            posts[step.post] = await newPost();
            continue;
          }
          const { who, kind } = step;
          if (step.op === 'react') expectStatus(await reaction(who, post, kind, 'PUT'), 200);
          else if (step.op === 'unreact') expectStatus(await reaction(who, post, kind, 'DELETE'), 200);
          else if (step.op === 'toggle') {
            expectStatus(await reaction(who, post, kind, 'PUT'), 200);
            expectStatus(await reaction(who, post, kind, 'DELETE'), 200);
            expectStatus(await reaction(who, post, kind, 'PUT'), 200);
          } else if (step.op === 'retry') {
            // A client retrying after a lost answer: the same key replays, and does nothing twice.
            const headers = { 'Idempotency-Key': `retry-${++retryKey}` };
            const first = await reaction(who, post, kind, 'PUT', headers);
            const again = await reaction(who, post, kind, 'PUT', headers);
            expectStatus(first, 200);
            expectStatus(again, 200);
            assert.equal(again.headers.get('idempotent-replayed'), 'true');
          } else {
            const [a, b] = await Promise.all([reaction(who, post, kind, 'PUT'), reaction(who, post, kind, 'PUT')]);
            expectStatus(a, 200);
            expectStatus(b, 200);
          }
          // The answer to the caller counts as the rows do.
          const rows = await server.db.selectFrom('reactions').select('person_id').where('post_id', '=', post.id).where('kind', '=', kind).execute();
          const answered = (await server.call<Post>('GET', `/v1/posts/${post.id}`, { auth: tok[who] })).body.reactions.find((r) => r.kind === kind);
          assert.deepEqual(answered ?? null, rows.length === 0 ? null : { kind, count: rows.length, mine: rows.some((r) => r.person_id === w[who].id) });
        }
        await check(posts);
      }),
      { seed: 20261129, numRuns: 6 },
    );
  });

  it('migration 009 backfills counts from the rows already there', async () => {
    const sqlite = new SqliteDatabase(':memory:');
    // Rows as a server at 008 left them, without their parents: foreign keys off.
    sqlite.pragma('foreign_keys = OFF');
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
    try {
      const migrator = new Migrator({ db, provider: migrationProvider });
      assert.equal((await migrator.migrateTo('008_admin_privacy')).error, undefined);
      const at = '2026-11-29T00:00:00.000Z';
      for (const id of ['post_a', 'post_b', 'post_c']) {
        await db.insertInto('posts').values({ id, org_id: 'org', thread_id: 'thr', author_id: 'per', body: 'x', audience: 'org', room_id: null, milestone_id: null, comment_count: 0, created_at: at, updated_at: at }).execute();
      }
      const rows = [['post_a', 'applause', 'p1'], ['post_a', 'applause', 'p2'], ['post_a', 'insight', 'p1'], ['post_b', 'curious', 'p3']] as const;
      for (const [post_id, kind, person_id] of rows) await db.insertInto('reactions').values({ post_id, kind, person_id, created_at: at }).execute();
      assert.equal((await migrator.migrateTo('009_reaction_counts')).error, undefined);
      const counts = await db.selectFrom('reaction_counts').selectAll().orderBy('post_id').orderBy('kind').execute();
      assert.deepEqual(counts, [
        { post_id: 'post_a', kind: 'applause', count: 2 },
        { post_id: 'post_a', kind: 'insight', count: 1 },
        { post_id: 'post_b', kind: 'curious', count: 1 },
      ]);
    } finally {
      await db.destroy();
    }
  });
});
