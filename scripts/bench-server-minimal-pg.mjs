/**
 * bench-server-minimal.mjs on PostgreSQL (node-postgres, a pool of 10 like Menteo's, named
 * prepared statements, $n parameters); the same reads and bytes. Run:
 * `MENTEO_DATABASE_URL=postgres://… node scripts/bench-server-minimal-pg.mjs`. What follows is
 * the SQLite version's description.
 *
 * The honest ceiling of `bench:server`: the feed page (`GET /v1/threads/{id}/posts`) written by
 * hand on Hono + better-sqlite3, the way a small service would be: node:crypto for the token's
 * hash, prepared statements, the same SQL as Menteo (token and person in one lookup, the thread
 * and the page with the audience rules, authors, reaction counts), and the same JSON bytes, which
 * bench-server.ts checks before measuring. It serves only what the benchmark asks (an access token
 * without room limits, no Origin); anything else answers 400, so a mismatch cannot go unnoticed.
 *
 * It reads the organization's event position too when Menteo does (MINIMAL_EVENT_POSITION=1).
 * Reaction counts follow the schema: from `reaction_counts` when the table exists (migration
 * 009), else aggregated from the rows, as Menteo did before it. Run: `MENTEO_DB=… node
 * scripts/bench-server-minimal.mjs`; prints its URL.
 */
import { createHash } from 'node:crypto';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createRequire } from 'node:module';
// pg is the server's dependency, not the workspace root's.
const pg = createRequire(new URL('../packages/server/package.json', import.meta.url))('pg');

const pool = new pg.Pool({ connectionString: process.env.MENTEO_DATABASE_URL, max: 10 });
/** A statement prepared once per connection (by name), run with new values. */
const statement = (name, text) => ({ all: async (...values) => (await pool.query({ name, text, values })).rows, get: async (...values) => (await pool.query({ name, text, values })).rows[0] });
const $ = (from, n) => Array.from({ length: n }, (_, i) => `$${from + i}`).join(', ');

const KINDS = ['applause', 'insight', 'support', 'celebrate', 'curious'];
const hasCounts = (await pool.query(`select 1 from information_schema.tables where table_name = 'reaction_counts'`)).rows.length > 0;

const tokenSql = statement('token', `select p.*, t.id as token_id, t.org_id as token_org_id, t.expires_at as token_expires_at, t.scopes as token_scopes,
  t.room_ids as token_room_ids from access_tokens t join people p on p.id = t.person_id where t.token_hash = $1`);
const visibleThread = `(threads.room_id is null or threads.room_id in (select room_id from room_members where person_id = $3) or threads.author_id = $4)`;
const threadSql = statement('thread', `select * from threads where id = $1 and org_id = $2 and ${visibleThread}`);
const visiblePost = `(posts.audience != 'room' or posts.room_id in (select room_id from room_members where person_id = $2) or posts.author_id = $3)`;
const pageSql = statement('page', `select * from posts where thread_id = $1 and ${visiblePost} order by id desc limit $4`);
const pageAfterSql = statement('page_after', `select * from posts where thread_id = $1 and ${visiblePost} and id < $4 order by id desc limit $5`);
const peopleSql = (n) => statement(`people${n}`, `select id, display_name, avatar_url from people where id in (${$(1, n)})`);
const reactionsSql = (n) => hasCounts
  ? statement(`counts${n}`, `select rc.post_id, rc.kind, rc.count as n, exists (select 1 from reactions r where r.post_id = rc.post_id and r.kind = rc.kind and r.person_id = $1) as mine
      from reaction_counts rc where rc.post_id in (${$(2, n)}) and rc.count > 0`)
  : statement(`reactions${n}`, `select post_id, kind, count(*)::int as n, sum(case when person_id = $1 then 1 else 0 end)::int as mine
      from reactions where post_id in (${$(2, n)}) group by post_id, kind`);
// Menteo's authenticated GETs carry the organization's event position (read before and after
// the handler, http/event-position.ts): the bench passes MINIMAL_EVENT_POSITION=1 when they do.
const eventPosition = process.env.MINIMAL_EVENT_POSITION === '1';
const lastEventSql = statement('last_event', 'select max(id) as id from events where org_id = $1');
const lastEvent = async (orgId) => Number((await lastEventSql.get(orgId))?.id ?? 0);
const statements = new Map();
const cached = (make, n) => {
  const key = `${make === peopleSql ? 'p' : 'r'}${n}`;
  let s = statements.get(key);
  if (!s) statements.set(key, (s = make(n)));
  return s;
};

const avatar = (url) => (url !== null && /^https:\/\//i.test(url) ? url : null);
const cursorOf = (id) => Buffer.from(JSON.stringify({ v: 1, k: [id] })).toString('base64url');
function afterOf(cursor) {
  if (cursor === undefined) return undefined;
  const { v, k } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (v !== 1 || !Array.isArray(k) || k.length !== 1 || !/^post_[0-9A-HJKMNP-TV-Z]{26}$/.test(k[0])) throw new Error('bad cursor');
  return k[0];
}

const app = new Hono();
app.get('/v1/threads/:threadId/posts', async (c) => {
  const m = /^Bearer +([\x21-\x7e]{1,512})$/i.exec(c.req.header('authorization') ?? '');
  if (!m || !m[1].startsWith('mat_')) return c.json({ code: 'unauthenticated' }, 401);
  const now = new Date().toISOString();
  const row = await tokenSql.get(createHash('sha256').update(m[1]).digest('hex'));
  if (!row || row.token_expires_at <= now || row.active !== 1 || row.org_id !== row.token_org_id) return c.json({ code: 'unauthenticated' }, 401);
  if (!JSON.parse(row.token_scopes).includes('threads:read')) return c.json({ code: 'forbidden' }, 403);
  if (row.token_room_ids !== null || c.req.header('origin') !== undefined) return c.json({ code: 'not_measured' }, 400);
  const me = row.id;
  const position = eventPosition ? await lastEvent(row.token_org_id) : null;
  const thread = await threadSql.get(c.req.param('threadId'), row.token_org_id, me, me);
  if (!thread) return c.json({ code: 'not_found' }, 404);
  const limitText = c.req.query('limit');
  const limit = limitText === undefined ? 20 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) return c.json({ code: 'invalid_request' }, 400);
  const after = afterOf(c.req.query('cursor'));
  const rows = after === undefined ? await pageSql.all(thread.id, me, me, limit + 1) : await pageAfterSql.all(thread.id, me, me, after, limit + 1);
  const page = rows.slice(0, limit);
  const people = new Map([[me, { id: me, displayName: row.display_name, avatarUrl: avatar(row.avatar_url) }]]);
  const missing = [...new Set(page.map((r) => r.author_id))].filter((id) => !people.has(id));
  if (missing.length > 0) {
    for (const p of await cached(peopleSql, missing.length).all(...missing)) people.set(p.id, { id: p.id, displayName: p.display_name, avatarUrl: avatar(p.avatar_url) });
  }
  const byPost = new Map();
  if (page.length > 0) {
    for (const r of await cached(reactionsSql, page.length).all(me, ...page.map((p) => p.id))) {
      let kinds = byPost.get(r.post_id);
      if (!kinds) byPost.set(r.post_id, (kinds = new Map()));
      kinds.set(r.kind, r);
    }
  }
  const skills = JSON.parse(thread.skills);
  const items = page.map((r) => {
    const kinds = byPost.get(r.id);
    const reactions = [];
    if (kinds) {
      for (const kind of KINDS) {
        const k = kinds.get(kind);
        if (k && k.n > 0) reactions.push({ kind, count: k.n, mine: k.mine > 0 });
      }
    }
    return {
      id: r.id, threadId: r.thread_id, threadTitle: thread.title, author: people.get(r.author_id), body: r.body, audience: r.audience,
      roomId: r.room_id, milestoneId: r.milestone_id, skills, reactions, commentCount: r.comment_count, createdAt: r.created_at, updatedAt: r.updated_at,
    };
  });
  const nextCursor = rows.length > limit ? cursorOf(page[limit - 1].id) : null;
  const headers = { 'content-type': 'application/json; charset=utf-8', 'x-request-id': crypto.randomUUID() };
  if (position !== null) {
    headers['menteo-event-position'] = String(position);
    const upper = await lastEvent(row.token_org_id);
    if (upper > position) headers['menteo-event-position-upper'] = String(upper);
  }
  return c.body(JSON.stringify({ items, nextCursor }), 200, headers);
});

serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 0), hostname: '127.0.0.1' }, (info) => console.log(`http://127.0.0.1:${info.port}`));
process.on('SIGTERM', () => {
  void pool.end().finally(() => process.exit(0));
});
