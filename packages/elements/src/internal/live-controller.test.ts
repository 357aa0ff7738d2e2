/**
 * Live widgets over the client's one connection, against the real app (`@menteo/mock`): several
 * widgets of one room each get their events, a removed widget unsubscribes without disturbing the
 * others, and a subscription the server closes because access was lost is shown accessibly, with
 * nothing left to write with. Faults come only from the mock's fault builders.
 */
import { expect } from '@open-wc/testing';
import '../define/provider.js';
import '../define/room.js';
import '../define/roadmap.js';
import '../define/thread-feed.js';
import type { LiveSubscription, MenteoClient } from '@menteo/client';
import type { MenteoProvider } from '../provider/provider.js';
import type { LiveController } from './live-controller.js';
// The feed is made of parts with their own shadow roots: queries go through them.
import { $deep as $, $$deep as $$, expectAccessible, until, queryDeep, deepText } from '../test-support/index.js';
import { mountAs, recordRequests, useWorld, type RoomSet } from '../test-support/real-api.js';

const world = useWorld();

/** The live controller every live widget holds (a private field, read here to see its subscription). */
function liveOf(el: Element): LiveController {
  return (el as unknown as { live: LiveController }).live;
}

function subscriptionOf(el: Element): LiveSubscription {
  const sub = liveOf(el).subscription;
  if (!sub) throw new Error(`<${el.localName}> has no live subscription`);
  return sub;
}

function textOf(el: Element): string {
  return deepText(el);
}

/** A room with a roadmap and a post, so each of the three widgets has something to show. */
async function roomWithEverything(): Promise<RoomSet & { roadmapId: string }> {
  const set = await world.newRoom('Shared room');
  const roadmap = await world.roadmap(set.mentor, set.room.id, '2026-11-01', [{ title: 'First milestone', dueDate: '2026-12-15' }]);
  await world.postAs(set.mentor, set.room.id, 'A first post');
  return { ...set, roadmapId: roadmap.id };
}

/** One provider, signed in as `set.mentee`, with a room, its roadmap and its feed. */
async function mountThree(set: RoomSet, client: MenteoClient = world.clientFor(set.mentee)) {
  const provider = document.createElement('menteo-provider') as MenteoProvider;
  provider.client = client;
  const room = document.createElement('menteo-room');
  room.setAttribute('room-id', set.room.id);
  const roadmap = document.createElement('menteo-roadmap');
  roadmap.setAttribute('room-id', set.room.id);
  const feed = document.createElement('menteo-thread-feed');
  feed.setAttribute('room-id', set.room.id);
  provider.append(room, roadmap, feed);
  document.body.append(provider);
  await until(() => provider.currentSession.status === 'ready', 'sign-in');
  await until(() => textOf(room).includes('Shared room'), 'the room');
  await until(() => textOf(roadmap).includes('First milestone'), 'the roadmap');
  await until(() => textOf(feed).includes('A first post'), 'the feed');
  for (const el of [room, roadmap, feed]) await until(() => liveOf(el).subscription?.state === 'open', `<${el.localName}>'s subscription`);
  return { provider, room, roadmap, feed };
}

describe('live widgets over one connection', () => {
  it('gives each of three widgets of one room its events, over one live connection', async () => {
    const set = await roomWithEverything();
    const live = recordRequests(world, 'POST', /^\/v1\/live$/);
    const legacy = recordRequests(world, 'GET', /\/events$/);
    const { room, roadmap, feed } = await mountThree(set);
    const mentor = world.as(set.mentor);
    await mentor.rooms.messages.create(set.room.id, { body: 'Hello from the mentor' });
    await world.postAs(set.mentor, set.room.id, 'A live post');
    await mentor.roadmaps.milestones.add(set.roadmapId, { reason: 'Next step', milestone: { title: 'A live milestone', dueDate: '2027-01-15' } });
    await until(() => textOf(room).includes('Hello from the mentor'), 'the message in the room');
    await until(() => textOf(feed).includes('A live post'), 'the post in the feed');
    await until(() => textOf(roadmap).includes('A live milestone'), 'the milestone in the roadmap');
    live.stop();
    legacy.stop();
    // Widgets never open connections: the client carries all three subscriptions on one.
    expect(legacy.length, 'per-widget event streams').to.equal(0);
    expect(live.length, 'live connections opened').to.equal(1);
  });

  it('unsubscribes a removed widget; the others of the same room keep receiving', async () => {
    const set = await roomWithEverything();
    const { room, feed } = await mountThree(set);
    const roomSub = subscriptionOf(room);
    const feedSub = subscriptionOf(feed);
    room.remove();
    expect(roomSub.state).to.equal('closed');
    expect(feedSub.state).to.equal('open');
    await world.postAs(set.mentor, set.room.id, 'After the room widget left');
    await until(() => textOf(feed).includes('After the room widget left'), 'the post in the feed');
  });
});

describe('live widgets when access is lost', () => {
  /**
   * Removes the mentee from the room. The server closes their topics on open connections; the
   * live streams are also ended (a restart or a proxy would), so a server that only checks on
   * reconnect is covered too.
   */
  async function loseAccess(set: RoomSet, cut: () => number): Promise<void> {
    await world.admin.rooms.members.remove(set.room.id, set.mentee.id);
    cut();
  }

  it('room: says the reader no longer has access, offers no composer, and passes axe', async () => {
    const set = await roomWithEverything();
    const streams = world.mock.faults.streams(world.mock.app);
    world.mock.use(streams.handler);
    const { el } = await mountAs(world, set.mentee, 'menteo-room', { 'room-id': set.room.id });
    await until(() => textOf(el).includes('Shared room') && liveOf(el).subscription?.state === 'open', 'the room, live');
    expect($$(el, 'textarea').length).to.equal(1);
    await loseAccess(set, () => streams.cut());
    const notice = await until(() => queryDeep(el, '[part~="state-access-lost"]'), 'the access-lost notice');
    expect(notice.getAttribute('role')).to.equal('alert');
    expect(notice.textContent).to.contain('You no longer have access to this room.');
    expect(liveOf(el).lost).to.be.oneOf(['forbidden', 'not_found']);
    expect($$(el, 'textarea, button[type=submit]').length, 'nothing to write with').to.equal(0);
    await expectAccessible(el);
  });

  it('feed: says the reader no longer has access, hides the composer, and passes axe', async () => {
    const set = await roomWithEverything();
    const streams = world.mock.faults.streams(world.mock.app);
    world.mock.use(streams.handler);
    const { el } = await mountAs(world, set.mentee, 'menteo-thread-feed', { 'room-id': set.room.id });
    await until(() => textOf(el).includes('A first post') && liveOf(el).subscription?.state === 'open', 'the feed, live');
    expect($$(el, '[part~="composer"]').length).to.equal(1);
    await loseAccess(set, () => streams.cut());
    const notice = await until(() => queryDeep(el, '[part~="state-access-lost"]'), 'the access-lost notice');
    expect(notice.textContent).to.contain('You no longer have access to these posts.');
    expect($$(el, '[part~="composer"], textarea').length, 'nothing to write with').to.equal(0);
    await expectAccessible(el);
  });

  it('roadmap: says the reader no longer has access, offers no edit, and passes axe', async () => {
    const set = await roomWithEverything();
    const streams = world.mock.faults.streams(world.mock.app);
    world.mock.use(streams.handler);
    const { el } = await mountAs(world, set.mentee, 'menteo-roadmap', { 'room-id': set.room.id });
    await until(() => textOf(el).includes('First milestone') && liveOf(el).subscription?.state === 'open', 'the roadmap, live');
    await loseAccess(set, () => streams.cut());
    const notice = await until(() => queryDeep(el, '[part~="state-access-lost"]'), 'the access-lost notice');
    expect(notice.textContent).to.contain('You no longer have access to this roadmap.');
    expect($$(el, '[part~="add-button"], [part~="milestone"]').length, 'nothing to edit').to.equal(0);
    await expectAccessible(el);
  });

  it('session ended: says to reload and sign in again, and passes axe', async () => {
    const set = await roomWithEverything();
    const streams = world.mock.faults.streams(world.mock.app);
    world.mock.use(streams.handler);
    const { el } = await mountAs(world, set.mentee, 'menteo-room', { 'room-id': set.room.id });
    await until(() => textOf(el).includes('Shared room') && liveOf(el).subscription?.state === 'open', 'the room, live');
    // The access token and every new one are refused from now on, as when the person is signed out.
    world.mock.use(world.mock.faults.expireToken({ path: /^\/v1\/(live|tokens|rooms\/[^/]+\/events)/ }).handler);
    streams.cut();
    const notice = await until(() => queryDeep(el, '[part~="state-access-lost"]'), 'the session-ended notice');
    expect(notice.textContent).to.contain('Your session has ended. Reload the page to sign in again.');
    expect(liveOf(el).lost).to.equal('unauthenticated');
    expect($$(el, 'textarea').length, 'nothing to write with').to.equal(0);
    expect($(el, '[part~="state-access-lost"]').getAttribute('role')).to.equal('alert');
    await expectAccessible(el);
  });
});
