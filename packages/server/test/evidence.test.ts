// Evidence has one stored link: the post's milestoneId. The milestone's evidencePostIds and
// evidenceCount are derived from it in every view and in roadmap.updated events; the roadmap's
// edit of evidencePostIds moves the posts' links; deleting a post or dropping a milestone keeps
// both sides consistent. The migration carries links stored only on milestones over to posts.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { Migrator } from 'kysely/migration';
import type { LiveEvent, Post, Revision, Page, Roadmap, Thread } from '@menteo/api';
import { migrateToLatest, migrations } from '../src/storage/migrations.js';
import type { Database as Schema } from '../src/storage/schema.js';
import { startServer, type TestServer } from './support/server.js';
import { buildWorld, expectStatus, tokenFor, type World } from './support/world.js';

let server: TestServer;
let w: World;
const tok = {} as Record<'admin' | 'mentor' | 'mentee' | 'mentee2' | 'observer' | 'outsider', string>;
let roadmap: Roadmap;
let thread: Thread;

async function milestoneOf(roadmapId: string, milestoneId: string, auth = tok.mentee) {
  const r = await server.call<Roadmap>('GET', `/v1/roadmaps/${roadmapId}`, { auth });
  expectStatus(r, 200);
  const m = r.body.milestones.find((x) => x.id === milestoneId);
  assert.ok(m, 'milestone present');
  return m;
}

/** roadmap.updated events stored after `afterId`, newest last. */
async function roadmapEventsAfter(afterId: number): Promise<{ id: number; data: Roadmap }[]> {
  const rows = await server.db.selectFrom('events').select(['id', 'data']).where('type', '=', 'roadmap.updated').where('id', '>', afterId).orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, data: (JSON.parse(r.data) as Extract<LiveEvent, { type: 'roadmap.updated' }>).data }));
}

async function lastEventId(): Promise<number> {
  const row = await server.db.selectFrom('events').select((eb) => eb.fn.max('id').as('max')).executeTakeFirst();
  return Number(row?.max ?? 0);
}

async function post(body: string, milestoneId?: string): Promise<Post> {
  const r = await server.call<Post>('POST', `/v1/threads/${thread.id}/posts`, { auth: tok.mentee, body: { body, ...(milestoneId ? { milestoneId } : {}) } });
  expectStatus(r, 201);
  return r.body;
}

before(async () => {
  server = await startServer();
  w = await buildWorld(server);
  for (const key of ['admin', 'mentor', 'mentee', 'mentee2', 'observer'] as const) tok[key] = await tokenFor(server, w[key].id);
  const r = await server.call<Roadmap>('POST', '/v1/roadmaps', {
    auth: tok.mentor,
    body: { roomId: w.room.id, title: 'Plan', startDate: '2026-01-01', milestones: [{ title: 'Audit', dueDate: '2026-02-01' }, { title: 'Talk', dueDate: '2026-03-01' }] },
  });
  expectStatus(r, 201);
  roadmap = r.body;
  const t = await server.call<Thread>('POST', '/v1/threads', { auth: tok.mentee, body: { title: 'Growing', roomId: w.room.id } });
  expectStatus(t, 201);
  thread = t.body;
});
after(async () => server.close());

describe('evidence from one stored link', () => {
  it('lists posts created with milestoneId as the milestone\'s evidence, in the roadmap and its event', async () => {
    const [audit] = roadmap.milestones;
    assert.ok(audit);
    const before = await lastEventId();
    const p1 = await post('Audit, part one', audit.id);
    const p2 = await post('Audit, part two', audit.id);
    await post('Unrelated');
    const m = await milestoneOf(roadmap.id, audit.id);
    assert.deepEqual(m.evidencePostIds, [p1.id, p2.id], 'oldest first');
    assert.equal(m.evidenceCount, 2);
    const feed = await server.call<Page<Post>>('GET', `/v1/posts?milestoneId=${audit.id}`, { auth: tok.mentee });
    assert.deepEqual(feed.body.items.map((x) => x.id).sort(), [p1.id, p2.id].sort(), 'both directions agree');
    const events = await roadmapEventsAfter(before);
    assert.equal(events.length, 2, 'one roadmap.updated per linked post, so an open roadmap updates');
    assert.deepEqual(events.at(-1)?.data.milestones.find((x) => x.id === audit.id)?.evidencePostIds, [p1.id, p2.id]);
    const list = await server.call<Page<Roadmap>>('GET', `/v1/roadmaps?roomId=${w.room.id}`, { auth: tok.observer });
    assert.equal(list.body.items[0]?.milestones.find((x) => x.id === audit.id)?.evidenceCount, 2, 'list views derive it too');
  });

  it('drops a deleted post from the evidence and says so live', async () => {
    const [audit] = roadmap.milestones;
    assert.ok(audit);
    const [first] = (await milestoneOf(roadmap.id, audit.id)).evidencePostIds;
    assert.ok(first);
    const before = await lastEventId();
    expectStatus(await server.call('DELETE', `/v1/posts/${first}`, { auth: tok.mentee }), 204);
    const m = await milestoneOf(roadmap.id, audit.id);
    assert.ok(!m.evidencePostIds.includes(first));
    assert.equal(m.evidenceCount, 1);
    const events = await roadmapEventsAfter(before);
    assert.equal(events.length, 1);
    assert.equal(events[0]?.data.milestones.find((x) => x.id === audit.id)?.evidenceCount, 1);
  });

  it('moves the posts\' links when the roadmap edits evidencePostIds', async () => {
    const [audit, talk] = roadmap.milestones;
    assert.ok(audit && talk);
    const loose = await post('Slides draft');
    const [kept] = (await milestoneOf(roadmap.id, audit.id)).evidencePostIds;
    assert.ok(kept);
    const r = await server.call<Roadmap>('PATCH', `/v1/roadmaps/${roadmap.id}/milestones/${talk.id}`, { auth: tok.mentor, body: { reason: 'These are the talk\'s', evidencePostIds: [loose.id, kept] } });
    expectStatus(r, 200);
    assert.deepEqual(r.body.milestones.find((x) => x.id === talk.id)?.evidencePostIds.sort(), [loose.id, kept].sort());
    assert.deepEqual(r.body.milestones.find((x) => x.id === audit.id)?.evidencePostIds, [], 'a post is evidence for one milestone');
    const p = await server.call<Post>('GET', `/v1/posts/${loose.id}`, { auth: tok.mentee });
    assert.equal(p.body.milestoneId, talk.id, 'the post links its milestone');
    const unlink = await server.call<Roadmap>('PATCH', `/v1/roadmaps/${roadmap.id}/milestones/${talk.id}`, { auth: tok.mentor, body: { reason: 'Not evidence', evidencePostIds: [kept] } });
    expectStatus(unlink, 200);
    assert.equal((await server.call<Post>('GET', `/v1/posts/${loose.id}`, { auth: tok.mentee })).body.milestoneId, null);
    const revs = await server.call<Page<Revision>>('GET', `/v1/roadmaps/${roadmap.id}/revisions`, { auth: tok.mentee });
    const change = revs.body.items[0]?.changes.find((c) => c.field === 'evidencePostIds');
    assert.deepEqual(change?.to, [kept], 'the edit is kept in the history');
  });

  it('removes a milestone with its reason in the history; its posts stay and lose the link', async () => {
    const talk = roadmap.milestones[1];
    assert.ok(talk);
    const [evidence] = (await milestoneOf(roadmap.id, talk.id)).evidencePostIds;
    assert.ok(evidence);
    expectStatus(await server.call('POST', `/v1/roadmaps/${roadmap.id}/milestones/${talk.id}/remove`, { auth: tok.observer, body: { reason: 'x' } }), 403, 'forbidden');
    const r = await server.call<Roadmap>('POST', `/v1/roadmaps/${roadmap.id}/milestones/${talk.id}/remove`, { auth: tok.mentee, body: { reason: 'No conference this year' } });
    expectStatus(r, 200);
    assert.ok(!r.body.milestones.some((m) => m.id === talk.id));
    const p = await server.call<Post>('GET', `/v1/posts/${evidence}`, { auth: tok.mentee });
    expectStatus(p, 200);
    assert.equal(p.body.milestoneId, null);
    const revs = await server.call<Page<Revision>>('GET', `/v1/roadmaps/${roadmap.id}/revisions`, { auth: tok.mentor });
    const removed = revs.body.items[0];
    assert.equal(removed?.kind, 'milestone_removed');
    assert.equal(removed?.reason, 'No conference this year');
    assert.deepEqual(removed?.changes.find((c) => c.field === 'evidencePostIds')?.from, [evidence], 'the evidence it had is kept in the history');
  });
});

describe('migration 005', () => {
  it('moves links stored only on milestones to their posts, keeping a post\'s own link', async () => {
    const sqlite = new Database(':memory:');
    // Rows of an old database without their rooms and threads: only the evidence columns matter here.
    sqlite.pragma('foreign_keys = OFF');
    const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: sqlite }) });
    try {
      const upTo004 = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '005'));
      const migrator = new Migrator({ db, provider: { getMigrations: async () => upTo004 }, migrationTableName: 'menteo_migrations', migrationLockTableName: 'menteo_migrations_lock' });
      const { error } = await migrator.migrateToLatest();
      assert.equal(error, undefined);
      const now = '2026-01-01T00:00:00.000Z';
      await db.insertInto('milestones').values([
        { id: 'mil_a', org_id: 'org', roadmap_id: 'rmap', title: 'A', description: '', due_date: '2026-02-01', required_skills: '[]', expected_outcome: '', status: 'planned', evidence_post_ids: '["post_1","post_2","post_gone"]', status_changed_at: now, completed_at: null, created_at: now, updated_at: now },
        { id: 'mil_b', org_id: 'org', roadmap_id: 'rmap', title: 'B', description: '', due_date: '2026-02-01', required_skills: '[]', expected_outcome: '', status: 'planned', evidence_post_ids: '[]', status_changed_at: now, completed_at: null, created_at: now, updated_at: now },
      ]).execute();
      const postRow = (id: string, milestone: string | null) => ({ id, org_id: 'org', thread_id: 'thr', author_id: 'p', body: id, audience: 'room', room_id: null, milestone_id: milestone, comment_count: 0, created_at: now, updated_at: now });
      await db.insertInto('posts').values([postRow('post_1', null), postRow('post_2', 'mil_b'), postRow('post_3', 'mil_a')]).execute();
      await migrateToLatest(db);
      const posts = await db.selectFrom('posts').select(['id', 'milestone_id']).orderBy('id').execute();
      assert.deepEqual(posts, [{ id: 'post_1', milestone_id: 'mil_a' }, { id: 'post_2', milestone_id: 'mil_b' }, { id: 'post_3', milestone_id: 'mil_a' }]);
      const archived = await db.selectFrom('milestones').select('evidence_post_ids').where('id', '=', 'mil_a').executeTakeFirstOrThrow();
      assert.equal(archived.evidence_post_ids, '["post_1","post_2","post_gone"]', 'the old column is kept as it was (append-only)');
    } finally {
      await db.destroy();
    }
  });
});
