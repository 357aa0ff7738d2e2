// Growth threads, posts and their audiences, the feed with filters, keyset pagination, public
// posts, comments and reactions.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Comment, Page, Post, Roadmap, Room, Thread } from '@menteo/api';
import { replayStream } from './support/matrix-sse.js';
import { startServer, type TestServer } from './support/server.js';
import { buildWorld, expectStatus, tokenFor, type World } from './support/world.js';

let server: TestServer;
let w: World;
const tok: Record<string, string> = {};
let thread: Thread;
const posts: Record<'room' | 'org' | 'public', Post> = {} as Record<'room' | 'org' | 'public', Post>;

before(async () => {
  server = await startServer();
  w = await buildWorld(server);
  for (const key of ['admin', 'mentor', 'mentee', 'mentee2', 'observer', 'outsider'] as const) tok[key] = await tokenFor(server, w[key].id);
});
after(async () => server.close());

describe('threads and posts', () => {
  it('creates a thread in a room and posts with each audience', async () => {
    const t = await server.call<Thread>('POST', '/v1/threads', { auth: tok.mentee, body: { title: 'Learning Lit', skills: ['Web-Components', 'typescript'], roomId: w.room.id } });
    expectStatus(t, 201);
    thread = t.body;
    assert.deepEqual(thread.skills, ['web-components', 'typescript']);
    for (const audience of ['room', 'org', 'public'] as const) {
      const p = await server.call<Post>('POST', `/v1/threads/${thread.id}/posts`, { auth: tok.mentee, body: { body: `A ${audience} post`, audience } });
      expectStatus(p, 201);
      assert.equal(p.body.audience, audience);
      assert.equal(p.body.roomId, w.room.id);
      assert.equal(p.body.threadTitle, 'Learning Lit');
      posts[audience] = p.body;
    }
    const got = await server.call<Thread>('GET', `/v1/threads/${thread.id}`, { auth: tok.mentor });
    assert.equal(got.body.postCount, 3);
    assert.ok(got.body.lastPostAt);
  });

  it('only lets the author post to a thread, and room posts need a room', async () => {
    expectStatus(await server.call('POST', `/v1/threads/${thread.id}/posts`, { auth: tok.mentor, body: { body: 'not mine' } }), 403, 'forbidden');
    const free = await server.call<Thread>('POST', '/v1/threads', { auth: tok.outsider, body: { title: 'Roomless' } });
    expectStatus(free, 201);
    const r = await server.call('POST', `/v1/threads/${free.body.id}/posts`, { auth: tok.outsider, body: { body: 'x' } });
    expectStatus(r, 400, 'invalid_request');
    assert.equal((r.body as { field?: string }).field, 'roomId');
    expectStatus(await server.call('POST', `/v1/threads/${free.body.id}/posts`, { auth: tok.outsider, body: { body: 'x', roomId: w.room.id } }), 404, 'not_found');
    expectStatus(await server.call('POST', `/v1/threads/${free.body.id}/posts`, { auth: tok.outsider, body: { body: 'Org-wide thought', audience: 'org' } }), 201);
    expectStatus(await server.call('POST', '/v1/threads', { auth: tok.observer, body: { title: 'x', roomId: w.room.id } }), 403, 'forbidden');
    expectStatus(await server.call('POST', '/v1/threads', { auth: tok.outsider, body: { title: 'x', roomId: w.other.roomId } }), 404, 'not_found');
  });

  it('applies audiences: room posts to room members, org posts to the organization, public posts to anyone', async () => {
    const ids = (p: Page<Post>) => p.items.map((x) => x.id);
    const member = await server.call<Page<Post>>('GET', `/v1/threads/${thread.id}/posts`, { auth: tok.observer });
    assert.deepEqual(ids(member.body), [posts.public.id, posts.org.id, posts.room.id]);
    // The outsider cannot see the room's thread at all, but sees its org and public posts in the feed.
    expectStatus(await server.call('GET', `/v1/threads/${thread.id}`, { auth: tok.outsider }), 404, 'not_found');
    const feed = await server.call<Page<Post>>('GET', `/v1/posts?threadId=${thread.id}`, { auth: tok.outsider });
    assert.deepEqual(ids(feed.body), [posts.public.id, posts.org.id]);
    expectStatus(await server.call('GET', `/v1/posts/${posts.room.id}`, { auth: tok.outsider }), 404, 'not_found');
    expectStatus(await server.call('GET', `/v1/posts/${posts.org.id}`, { auth: tok.outsider }), 200);
    expectStatus(await server.call('GET', `/v1/posts/${posts.room.id}`, { auth: w.other.apiKey }), 404, 'not_found');
    expectStatus(await server.call('GET', `/v1/posts/${posts.public.id}`, { auth: w.other.apiKey }), 404, 'not_found');
    const pub = await server.call<Post>('GET', `/v1/public/posts/${posts.public.id}`, { auth: null });
    expectStatus(pub, 200);
    assert.equal(pub.body.body, 'A public post');
    expectStatus(await server.call('GET', `/v1/public/posts/${posts.org.id}`, { auth: null }), 404, 'not_found');
    expectStatus(await server.call('GET', `/v1/public/posts/${posts.room.id}`, { auth: null }), 404, 'not_found');
    // A token limited to other rooms does not read room posts of this room.
    const limited = await tokenFor(server, w.mentee.id, { roomIds: [] });
    expectStatus(await server.call('GET', `/v1/posts/${posts.room.id}`, { auth: limited }), 404, 'not_found');
    expectStatus(await server.call('GET', `/v1/posts/${posts.org.id}`, { auth: limited }), 200);
  });

  it('filters the feed by room, author, thread, skill and milestone', async () => {
    const rm = await server.call<Roadmap>('POST', '/v1/roadmaps', { auth: tok.mentee, body: { roomId: w.room.id, title: 'Plan', startDate: '2026-01-01', milestones: [{ title: 'Ship a component', dueDate: '2026-03-01' }] } });
    expectStatus(rm, 201);
    const milestoneId = rm.body.milestones[0]?.id;
    const evidence = await server.call<Post>('POST', `/v1/threads/${thread.id}/posts`, { auth: tok.mentee, body: { body: 'Shipped it', milestoneId } });
    expectStatus(evidence, 201);
    expectStatus(await server.call('POST', `/v1/threads/${thread.id}/posts`, { auth: tok.mentee, body: { body: 'x', milestoneId: 'mil_01ARZ3NDEKTSV4RRFFQ69G5FAV' } }), 404, 'not_found');
    const q = async (query: string) => (await server.call<Page<Post>>('GET', `/v1/posts?${query}`, { auth: tok.mentor })).body.items.map((p) => p.id);
    assert.deepEqual(await q(`milestoneId=${milestoneId}`), [evidence.body.id]);
    assert.deepEqual(await q('skill=typescript'), [evidence.body.id, posts.public.id, posts.org.id, posts.room.id]);
    assert.deepEqual(await q('skill=cobol'), []);
    assert.equal((await q(`authorId=${w.mentee.id}`)).length, 4);
    assert.equal((await q(`roomId=${w.room.id}`)).length, 4);
    assert.deepEqual(await q(`roomId=${w.other.roomId}`), []);
    const threads = await server.call<Page<Thread>>('GET', '/v1/threads?skill=typescript', { auth: tok.mentor });
    assert.deepEqual(threads.body.items.map((t) => t.id), [thread.id]);
    const byAuthor = await server.call<Page<Thread>>('GET', `/v1/threads?authorId=${w.mentee.id}&roomId=${w.room.id}`, { auth: tok.mentor });
    assert.deepEqual(byAuthor.body.items.map((t) => t.id), [thread.id]);
    const outsiderThreads = await server.call<Page<Thread>>('GET', '/v1/threads', { auth: tok.outsider });
    assert.ok(!outsiderThreads.body.items.some((t) => t.id === thread.id), 'room threads stay in the room');
  });

  it('pages with stable keyset cursors across inserts, and rejects bad cursors', async () => {
    const t = await server.call<Thread>('POST', '/v1/threads', { auth: tok.mentee2, body: { title: 'Paging', roomId: w.room.id } });
    const created: string[] = [];
    for (let i = 0; i < 7; i++) {
      const p = await server.call<Post>('POST', `/v1/threads/${t.body.id}/posts`, { auth: tok.mentee2, body: { body: `post ${i}` } });
      created.push(p.body.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r: { body: Page<Post> } = await server.call<Page<Post>>('GET', `/v1/threads/${t.body.id}/posts?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { auth: tok.mentor });
      seen.push(...r.body.items.map((p) => p.id));
      cursor = r.body.nextCursor;
      // New posts arriving while paging must not shift or duplicate the rest.
      if (pages === 0) await server.call('POST', `/v1/threads/${t.body.id}/posts`, { auth: tok.mentee2, body: { body: 'late arrival' } });
      pages++;
    } while (cursor);
    assert.deepEqual(seen, [...created].reverse());
    assert.equal(pages, 3);
    for (const bad of ['garbage', 'eyJ2IjoyLCJrIjpbInBvc3RfMDEiXX0', Buffer.from('{"v":1,"k":["room_01ARZ3NDEKTSV4RRFFQ69G5FAV"]}').toString('base64url'), Buffer.from('{"v":1,"k":["x"]}').toString('base64url'), Buffer.from([0xff, 0xfe]).toString('base64url'), 'a'.repeat(201)]) {
      const r = await server.call('GET', `/v1/threads/${t.body.id}/posts?cursor=${encodeURIComponent(bad)}`, { auth: tok.mentor });
      expectStatus(r, 400, 'invalid_request');
      assert.equal((r.body as { field?: string }).field, 'cursor');
    }
    for (const limit of ['0', '101', 'ten', '2.5']) {
      const r = await server.call('GET', `/v1/posts?limit=${limit}`, { auth: tok.mentor });
      expectStatus(r, 400, 'invalid_request');
      assert.equal((r.body as { field?: string }).field, 'limit');
    }
  });
});

describe('comments and reactions', () => {
  it('comments on readable posts, oldest first', async () => {
    const c1 = await server.call<Comment>('POST', `/v1/posts/${posts.org.id}/comments`, { auth: tok.outsider, body: { body: 'Nice one' } });
    expectStatus(c1, 201);
    const c2 = await server.call<Comment>('POST', `/v1/posts/${posts.org.id}/comments`, { auth: tok.mentor, body: { body: 'Agreed' } });
    const list = await server.call<Page<Comment>>('GET', `/v1/posts/${posts.org.id}/comments?limit=1`, { auth: tok.mentee });
    assert.deepEqual(list.body.items.map((c) => c.id), [c1.body.id]);
    const next = await server.call<Page<Comment>>('GET', `/v1/posts/${posts.org.id}/comments?cursor=${list.body.nextCursor}`, { auth: tok.mentee });
    assert.deepEqual(next.body.items.map((c) => c.id), [c2.body.id]);
    expectStatus(await server.call('POST', `/v1/posts/${posts.room.id}/comments`, { auth: tok.outsider, body: { body: 'x' } }), 404, 'not_found');
    expectStatus(await server.call('GET', `/v1/posts/${posts.room.id}/comments`, { auth: tok.outsider }), 404, 'not_found');
    const post = await server.call<Post>('GET', `/v1/posts/${posts.org.id}`, { auth: tok.mentee });
    assert.equal(post.body.commentCount, 2);
  });

  it('reacts idempotently and reports counts and "mine"', async () => {
    const a = await server.call<Post>('PUT', `/v1/posts/${posts.org.id}/reactions/applause`, { auth: tok.mentor });
    expectStatus(a, 200);
    assert.deepEqual(a.body.reactions, [{ kind: 'applause', count: 1, mine: true }]);
    await server.call('PUT', `/v1/posts/${posts.org.id}/reactions/applause`, { auth: tok.mentor });
    const b = await server.call<Post>('PUT', `/v1/posts/${posts.org.id}/reactions/applause`, { auth: tok.outsider });
    assert.deepEqual(b.body.reactions, [{ kind: 'applause', count: 2, mine: true }]);
    const seen = await server.call<Post>('GET', `/v1/posts/${posts.org.id}`, { auth: tok.mentee });
    assert.deepEqual(seen.body.reactions, [{ kind: 'applause', count: 2, mine: false }]);
    const removed = await server.call<Post>('DELETE', `/v1/posts/${posts.org.id}/reactions/applause`, { auth: tok.outsider });
    assert.deepEqual(removed.body.reactions, [{ kind: 'applause', count: 1, mine: false }]);
    expectStatus(await server.call('DELETE', `/v1/posts/${posts.org.id}/reactions/applause`, { auth: tok.outsider }), 200);
    expectStatus(await server.call('PUT', `/v1/posts/${posts.org.id}/reactions/love`, { auth: tok.outsider }), 400, 'invalid_request');
    expectStatus(await server.call('PUT', `/v1/posts/${posts.room.id}/reactions/insight`, { auth: tok.outsider }), 404, 'not_found');
  });

  it('deletes posts: the author (or an admin) only; comments go with them', async () => {
    expectStatus(await server.call('DELETE', `/v1/posts/${posts.org.id}`, { auth: tok.mentor }), 403, 'forbidden');
    expectStatus(await server.call('DELETE', `/v1/posts/${posts.org.id}`, { auth: tok.mentee }), 204);
    expectStatus(await server.call('GET', `/v1/posts/${posts.org.id}`, { auth: tok.mentee }), 404, 'not_found');
    const left = await server.db.selectFrom('comments').select('id').where('post_id', '=', posts.org.id).execute();
    assert.equal(left.length, 0);
    expectStatus(await server.call('DELETE', `/v1/posts/${posts.public.id}`, { auth: tok.admin }), 204);
  });
});

describe('privacy and room rules on posts', () => {
  /** A fresh room with the world's mentor and mentee (and its observer), so each rule is tested on its own data. */
  async function roomOf(title: string): Promise<Room> {
    const r = await server.call<Room>('POST', '/v1/rooms', {
      body: { title, members: [{ personId: w.mentor.id, role: 'mentor' }, { personId: w.mentee.id, role: 'mentee' }, { personId: w.observer.id, role: 'observer' }] },
    });
    expectStatus(r, 201);
    return r.body;
  }
  async function threadIn(roomId: string | undefined, title: string, auth = tok.mentee): Promise<Thread> {
    const t = await server.call<Thread>('POST', '/v1/threads', { auth, body: { title, ...(roomId ? { roomId } : {}) } });
    expectStatus(t, 201);
    return t.body;
  }
  async function postIn(threadId: string, audience: 'room' | 'org' | 'public', body = `A ${audience} post`, auth = tok.mentee): Promise<Post> {
    const p = await server.call<Post>('POST', `/v1/threads/${threadId}/posts`, { auth, body: { body, audience } });
    expectStatus(p, 201);
    return p.body;
  }

  it('never shows a room thread title to callers who cannot read the thread, in views or in the feed stream', async () => {
    const title = 'Private: my plan to change teams';
    const t = await threadIn(w.room.id, title);
    const org = await postIn(t.id, 'org');
    const pub = await postIn(t.id, 'public');
    const feed = await server.call<Page<Post>>('GET', `/v1/posts?threadId=${t.id}`, { auth: tok.outsider });
    assert.deepEqual(feed.body.items.map((p) => p.id), [pub.id, org.id]);
    assert.deepEqual(feed.body.items.map((p) => p.threadTitle), [null, null]);
    assert.ok(!feed.text.includes(title));
    const one = await server.call<Post>('GET', `/v1/posts/${org.id}`, { auth: tok.outsider });
    assert.equal(one.body.threadTitle, null);
    const anonymous = await server.call<Post>('GET', `/v1/public/posts/${pub.id}`, { auth: null });
    expectStatus(anonymous, 200);
    assert.equal(anonymous.body.threadTitle, null);
    assert.ok(!anonymous.text.includes(title));
    // Members of the room read the thread, so they see its title.
    const member = await server.call<Post>('GET', `/v1/posts/${org.id}`, { auth: tok.observer });
    assert.equal(member.body.threadTitle, title);
    // A live event is encoded once for every subscriber, so an org or public post's event carries no room thread's title.
    const replay = await replayStream(`${server.url}/v1/events`, {
      headers: { authorization: `Bearer ${tok.outsider}`, 'last-event-id': '0' },
      until: (text) => text.includes(pub.id),
    });
    assert.ok(replay.complete, 'the public post arrived on the feed stream');
    assert.ok(!replay.text.includes(title), 'the feed stream carries the room thread title');
  });

  it("does not reveal a room thread's skills through the feed's skill filter either", async () => {
    const t = await server.call<Thread>('POST', '/v1/threads', { auth: tok.mentee, body: { title: 'Skills kept in the room', skills: ['salary-negotiation'], roomId: w.room.id } });
    const org = await postIn(t.body.id, 'org');
    const member = await server.call<Page<Post>>('GET', '/v1/posts?skill=salary-negotiation', { auth: tok.observer });
    assert.deepEqual(member.body.items.map((p) => p.id), [org.id]);
    assert.deepEqual(member.body.items[0]?.skills, ['salary-negotiation']);
    const outsider = await server.call<Page<Post>>('GET', '/v1/posts?skill=salary-negotiation', { auth: tok.outsider });
    assert.deepEqual(outsider.body.items, [], 'the skill filter tells an outsider which skills a room thread has');
    const all = await server.call<Page<Post>>('GET', `/v1/posts?threadId=${t.body.id}`, { auth: tok.outsider });
    assert.deepEqual(all.body.items.map((p) => [p.id, p.skills]), [[org.id, []]]);
  });

  it('shows post and comment authors as a public profile: no email, externalId or roles', async () => {
    expectStatus(await server.call('PATCH', `/v1/people/${w.mentee.id}`, { body: { email: 'tom.private@acme.test', externalId: 'hr-tom-7' } }), 200);
    const t = await threadIn(undefined, 'Notes on public speaking');
    const pub = await postIn(t.id, 'public', 'What I learned giving my first talk');
    expectStatus(await server.call('POST', `/v1/posts/${pub.id}/comments`, { auth: tok.mentee, body: { body: 'Follow-up: slides are online' } }), 201);
    const anonymous = await server.call<Post>('GET', `/v1/public/posts/${pub.id}`, { auth: null });
    expectStatus(anonymous, 200);
    assert.deepEqual(Object.keys(anonymous.body.author).sort(), ['avatarUrl', 'displayName', 'id']);
    for (const secret of ['tom.private@acme.test', 'hr-tom-7', '"roles"']) assert.ok(!anonymous.text.includes(secret), `anonymous callers see ${secret}`);
    const outsider = await server.call('GET', `/v1/posts/${pub.id}`, { auth: tok.outsider });
    const comments = await server.call('GET', `/v1/posts/${pub.id}/comments`, { auth: tok.outsider });
    const thread = await server.call('GET', `/v1/threads/${t.id}`, { auth: tok.outsider });
    for (const reply of [outsider, comments, thread]) assert.ok(!reply.text.includes('tom.private@acme.test'), reply.text);
  });

  it("applies a token's room limit to the threads its person wrote", async () => {
    const elsewhere = await roomOf('Elsewhere');
    const t = await threadIn(w.room.id, 'Limited-token thread');
    const roomPost = await postIn(t.id, 'room');
    const limited = await tokenFor(server, w.mentee.id, { roomIds: [elsewhere.id] });
    expectStatus(await server.call('GET', `/v1/threads/${t.id}`, { auth: limited }), 404, 'not_found');
    expectStatus(await server.call('GET', `/v1/threads/${t.id}/posts`, { auth: limited }), 404, 'not_found');
    expectStatus(await server.call('GET', `/v1/threads/${t.id}/events`, { auth: limited }), 404, 'not_found');
    const list = await server.call<Page<Thread>>('GET', '/v1/threads?limit=100', { auth: limited });
    assert.ok(!list.body.items.some((x) => x.id === t.id), 'the limited token lists the thread');
    expectStatus(await server.call('GET', `/v1/posts/${roomPost.id}`, { auth: limited }), 404, 'not_found');
  });

  it('keeps posts of archived rooms read-only: delete, comment and react answer 409', async () => {
    const room = await roomOf('Archived soon');
    const t = await threadIn(room.id, 'Wrapping up');
    const roomPost = await postIn(t.id, 'room');
    const orgPost = await postIn(t.id, 'org');
    expectStatus(await server.call('PATCH', `/v1/rooms/${room.id}`, { body: { status: 'archived' } }), 200);
    expectStatus(await server.call('DELETE', `/v1/posts/${roomPost.id}`, { auth: tok.mentee }), 409, 'conflict');
    expectStatus(await server.call('POST', `/v1/posts/${roomPost.id}/comments`, { auth: tok.mentor, body: { body: 'late' } }), 409, 'conflict');
    expectStatus(await server.call('PUT', `/v1/posts/${roomPost.id}/reactions/applause`, { auth: tok.mentor }), 409, 'conflict');
    expectStatus(await server.call('DELETE', `/v1/posts/${roomPost.id}/reactions/applause`, { auth: tok.mentor }), 409, 'conflict');
    expectStatus(await server.call('POST', `/v1/posts/${orgPost.id}/comments`, { auth: tok.outsider, body: { body: 'late' } }), 409, 'conflict');
    expectStatus(await server.call('DELETE', `/v1/posts/${orgPost.id}`, { auth: tok.admin }), 409, 'conflict');
    expectStatus(await server.call('GET', `/v1/posts/${roomPost.id}`, { auth: tok.mentee }), 200);
    expectStatus(await server.call('PATCH', `/v1/rooms/${room.id}`, { body: { status: 'active' } }), 200);
    expectStatus(await server.call('POST', `/v1/posts/${roomPost.id}/comments`, { auth: tok.mentor, body: { body: 'reopened' } }), 201);
  });

  it('lets observers read posts of their room but not comment or react', async () => {
    const t = await threadIn(w.room.id, 'Observed thread');
    const roomPost = await postIn(t.id, 'room');
    const orgPost = await postIn(t.id, 'org');
    for (const p of [roomPost, orgPost]) {
      expectStatus(await server.call('GET', `/v1/posts/${p.id}`, { auth: tok.observer }), 200);
      expectStatus(await server.call('POST', `/v1/posts/${p.id}/comments`, { auth: tok.observer, body: { body: 'x' } }), 403, 'forbidden');
      expectStatus(await server.call('PUT', `/v1/posts/${p.id}/reactions/support`, { auth: tok.observer }), 403, 'forbidden');
      expectStatus(await server.call('DELETE', `/v1/posts/${p.id}/reactions/support`, { auth: tok.observer }), 403, 'forbidden');
    }
    const seen = await server.call<Post>('GET', `/v1/posts/${roomPost.id}`, { auth: tok.mentor });
    assert.deepEqual(seen.body.reactions, []);
    assert.equal(seen.body.commentCount, 0);
  });
});
