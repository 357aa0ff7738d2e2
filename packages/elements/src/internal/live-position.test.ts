/**
 * List, then watch, without a gap (issue 7's follow-up): a widget loads over HTTP, then opens its
 * live subscription. Something written by another person after the load read its data and before
 * the subscription's topic reached the server must still show, without a reload, exactly once.
 * Against the real server app in the page; msw only holds the subscription's `POST /v1/live`
 * (the window made wide, deterministically) or stands in for a read that ran concurrently with a
 * write (fault injection: every byte still comes from the app).
 */
import { expect } from '@open-wc/testing';
import { createClient } from '@menteo/client';
import '../define/provider.js';
import '../define/room.js';
import '../define/roadmap.js';
import '../define/thread-feed.js';
import '../define/check-in-history.js';
import '../define/feedback-exchange.js';
import '../define/learning-log.js';
import type { MenteoRoom } from '../room/room.js';
import type { MenteoRoadmap } from '../roadmap/roadmap.js';
import type { MenteoThreadFeed } from '../thread-feed/thread-feed.js';
import { $, $$, until } from '../test-support/index.js';
import { mountAs, useWorld } from '../test-support/real-api.js';
import { addDays, todayDateOnly } from './format.js';

const world = useWorld();

/** Holds the next subscription's `POST /v1/live` before it reaches the server, until released. */
function holdLiveOpen() {
  const held = world.mock.faults.hold({ method: 'POST', path: '/v1/live', times: 1 });
  world.mock.use(held.handler);
  return held;
}

const texts = (el: Element, selector: string) => $$(el, selector).map((e) => e.textContent ?? '');
const count = (el: Element, selector: string, text: string) => texts(el, selector).filter((t) => t.includes(text)).length;

describe('live widgets start where their load stands', () => {
  it('<menteo-room>: a message written between the load and the subscription shows, once', async () => {
    const set = await world.newRoom();
    const mentor = world.as(set.mentor);
    await mentor.rooms.messages.create(set.room.id, { body: 'Loaded with the room' });
    const held = holdLiveOpen();
    const { el } = await mountAs<MenteoRoom>(world, set.mentee, 'menteo-room', { 'room-id': set.room.id });
    await until(() => count(el, '.message', 'Loaded with the room') === 1, 'the loaded conversation');
    await until(() => held.hits === 1, 'the subscription on its way');
    await mentor.rooms.messages.create(set.room.id, { body: 'Written in the window' });
    held.release();
    await until(() => count(el, '.message', 'Written in the window') === 1, 'the message written in the window, without a reload');
    await mentor.rooms.messages.create(set.room.id, { body: 'Written once live' });
    await until(() => count(el, '.message', 'Written once live') === 1, 'a later message');
    expect(count(el, '.message', 'Written in the window')).to.equal(1);
    expect(count(el, '.message', 'Loaded with the room')).to.equal(1);
    expect($$(el, '.message').length).to.equal(3);
  });

  it('<menteo-roadmap>: a milestone added between the load and the subscription shows, once', async () => {
    const set = await world.newRoom();
    const today = todayDateOnly();
    const r = await world.roadmap(set.mentor, set.room.id, addDays(today, -10), [{ title: 'Read the style guide', dueDate: addDays(today, 20) }]);
    const held = holdLiveOpen();
    const { el } = await mountAs<MenteoRoadmap>(world, set.mentee, 'menteo-roadmap', { 'roadmap-id': r.id });
    await until(() => el.currentRoadmap?.version === r.version && $$(el, '[data-milestone]').length === 1, 'the loaded roadmap');
    await until(() => held.hits === 1, 'the subscription on its way');
    await world.as(set.mentor).roadmaps.milestones.add(r.id, {
      reason: 'One more step',
      baseVersion: r.version,
      milestone: { title: 'Review a PR a week', dueDate: addDays(today, 40) },
    });
    held.release();
    await until(() => el.currentRoadmap?.version === r.version + 1, 'the milestone added in the window, without a reload');
    await until(() => $$(el, '[data-milestone]').length === 2, 'two milestones shown');
    expect(el.currentRoadmap?.milestones.map((m) => m.title)).to.deep.equal(['Read the style guide', 'Review a PR a week']);
  });

  it('<menteo-thread-feed>: a post and a comment written between the load and the subscription show, once', async () => {
    const set = await world.newRoom();
    const loaded = await world.postAs(set.mentor, set.room.id, 'Loaded with the feed');
    const held = holdLiveOpen();
    const { el } = await mountAs<MenteoThreadFeed>(world, set.mentee, 'menteo-thread-feed', { 'room-id': set.room.id });
    await until(() => el.loadedPosts.length === 1, 'the loaded feed');
    await until(() => held.hits === 1, 'the subscription on its way');
    await world.postAs(set.mentor, set.room.id, 'Posted in the window');
    await world.as(set.mentor).posts.comments.create(loaded.id, { body: 'Commented in the window' });
    held.release();
    await until(() => el.loadedPosts.some((p) => p.body === 'Posted in the window'), 'the post written in the window, without a reload');
    await until(() => el.loadedPosts.find((p) => p.id === loaded.id)?.commentCount === 1, 'the comment counted');
    await world.postAs(set.mentor, set.room.id, 'Posted once live');
    await until(() => el.loadedPosts.some((p) => p.body === 'Posted once live'), 'a later post');
    expect(el.loadedPosts.map((p) => p.body)).to.deep.equal(['Posted once live', 'Posted in the window', 'Loaded with the feed']);
    expect(el.loadedPosts.find((p) => p.id === loaded.id)?.commentCount).to.equal(1);
    await until(() => $(el, 'menteo-post-list'), 'the list');
  });

  it('<menteo-thread-feed>: a comment the load already counted is not counted again when its event replays', async () => {
    const set = await world.newRoom();
    const loaded = await world.postAs(set.mentor, set.room.id, 'Counted once');
    // The feed's first read runs while the comment is written: its answer counts the comment, and
    // its position says the comment's event may or may not be in it (a read is not one snapshot).
    // The widget's own fetch stands in for that race; both answers come from the app.
    let raced = false;
    const racing = async (input: Request, init?: RequestInit): Promise<Response> => {
      const request = new Request(input, init);
      if (raced || request.method !== 'GET' || new URL(request.url).pathname !== '/v1/posts') return fetch(request);
      raced = true;
      const before = await fetch(request.clone());
      await before.text();
      await world.as(set.mentor).posts.comments.create(loaded.id, { body: 'Written during the read' });
      const after = await fetch(request);
      const headers = new Headers(after.headers);
      headers.set('Menteo-Event-Position', before.headers.get('Menteo-Event-Position') ?? '');
      headers.set('Menteo-Event-Position-Upper', after.headers.get('Menteo-Event-Position') ?? '');
      return new Response(after.body, { status: after.status, headers });
    };
    const client = createClient({ baseUrl: world.mock.baseUrl, clientSecret: world.clientSecretFor(set.mentee), fetch: racing });
    const { el } = await mountAs<MenteoThreadFeed>(world, set.mentee, 'menteo-thread-feed', { 'room-id': set.room.id }, { client });
    await until(() => el.loadedPosts.length === 1, 'the loaded feed');
    expect(raced).to.equal(true);
    expect(el.loadedPosts[0]?.commentCount).to.equal(1);
    // The stream is live once a later post arrives; the replayed comment came before it.
    await world.postAs(set.mentor, set.room.id, 'Later');
    await until(() => el.loadedPosts.some((p) => p.body === 'Later'), 'a later post');
    await until(() => el.loadedPosts.find((p) => p.id === loaded.id)?.commentCount === 1, 'the count settled');
    expect(el.loadedPosts.find((p) => p.id === loaded.id)?.commentCount).to.equal(1);
  });
  // The room's other live widgets load, then subscribe, the same way: each must start where its
  // load stands too (they subscribed from "now" before).
  const roomWidgets: ReadonlyArray<{
    tag: string;
    entry: string;
    write(set: Awaited<ReturnType<typeof world.newRoom>>, text: string): Promise<unknown>;
  }> = [
    {
      tag: 'menteo-check-in-history',
      entry: '[part=entry]',
      write: (set, text) => world.as(set.mentee).checkIns.create(set.room.id, { progress: text, confidence: 3 }),
    },
    {
      tag: 'menteo-feedback-exchange',
      entry: 'li',
      write: (set, text) => world.as(set.mentee).feedback.create(set.room.id, { subject: 'room', rating: 4, comment: text }),
    },
    {
      tag: 'menteo-learning-log',
      entry: '[part=entry]',
      write: (set, text) => world.as(set.mentor).learnings.create(set.room.id, { body: text }),
    },
  ];
  for (const w of roomWidgets) {
    it(`<${w.tag}>: what is written between the load and the subscription shows, once`, async () => {
      const set = await world.newRoom();
      await w.write(set, 'Loaded first');
      const held = holdLiveOpen();
      const { el } = await mountAs<HTMLElement>(world, set.mentor, w.tag, { 'room-id': set.room.id });
      await until(() => el.shadowRoot?.textContent?.includes('Loaded first'), 'the loaded list');
      await until(() => held.hits === 1, 'the subscription on its way');
      await w.write(set, 'Written in the window');
      held.release();
      await until(() => el.shadowRoot?.textContent?.includes('Written in the window'), 'what was written in the window, without a reload');
      await w.write(set, 'Written once live');
      await until(() => el.shadowRoot?.textContent?.includes('Written once live'), 'a later entry');
      expect(count(el, w.entry, 'Written in the window')).to.equal(1);
    });
  }
});
