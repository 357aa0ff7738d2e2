/**
 * The widgets against the real API (the server app in the page through `@menteo/mock`), with
 * the browser sign-in flow a customer uses: a client-secret function, exchanged for a token.
 */
import { expect } from '@open-wc/testing';
import '../define/all.js';
import type { MenteoProvider } from '../provider/provider.js';
import type { MenteoThreadFeed } from '../thread-feed/thread-feed.js';
// The feed is made of parts with their own shadow roots: queries go through them.
import { $deep as $, $$deep as $$, until, queryDeep } from '../test-support/index.js';
import { useWorld } from '../test-support/real-api.js';
import type { Person } from '@menteo/api/people';

const world = useWorld();

function provider(person: Person, inner: string): MenteoProvider {
  const p = document.createElement('menteo-provider');
  p.baseUrl = world.mock.baseUrl;
  p.clientSecret = world.clientSecretFor(person);
  p.innerHTML = inner;
  document.body.append(p);
  return p;
}

async function feedFor(person: Person): Promise<MenteoThreadFeed> {
  const p = provider(person, `<menteo-thread-feed room-id="${world.room.id}"></menteo-thread-feed>`);
  const feed = p.querySelector('menteo-thread-feed')!;
  await until(() => p.currentSession.status === 'ready' || p.currentSession.status === 'error', 'sign-in');
  expect(p.currentSession.status).to.equal('ready');
  await until(() => queryDeep(feed, 'textarea') && !queryDeep(feed, '.state--loading'), 'the feed');
  return feed;
}

async function post(feed: MenteoThreadFeed, text: string): Promise<void> {
  const ta = $<HTMLTextAreaElement>(feed, 'textarea');
  ta.value = text;
  ta.dispatchEvent(new InputEvent('input'));
  $<HTMLButtonElement>(feed, 'button[type=submit]').click();
}

describe('widgets against the real API', () => {
  it('signs in with a client secret and knows who the viewer is', async () => {
    const p = provider(world.mentee, '');
    await until(() => p.currentSession.status === 'ready', 'ready');
    expect(p.currentSession.me?.person?.id).to.equal(world.mentee.id);
    // The token lives in memory only.
    expect(JSON.stringify({ ...localStorage })).not.to.match(/Bearer|accessToken/);
  });

  it('posts to the room and a second person sees it arrive live', async () => {
    const mine = await feedFor(world.mentee);
    const theirs = await feedFor(world.mentor);
    await post(mine, 'Reviewed my **first** PR today');
    await until(() => $$(mine, 'article:not(.post--pending)').some((a) => a.textContent?.includes('Reviewed my first PR')), 'own post');
    await until(() => $$(theirs, 'article').some((a) => a.textContent?.includes('Reviewed my first PR')) || queryDeep(theirs, '[part~=new-posts-button]'), 'live arrival');
    expect($(theirs, '[data-announcer=polite]').textContent).to.contain('New post from Mia Mentee');
  });

  it('never posts twice when the connection drops after the server stored the post', async () => {
    const feed = await feedFor(world.mentee);
    const before = (await world.admin.posts.list({ roomId: world.room.id, limit: 100 })).items.length;
    world.mock.use(world.mock.faults.dropAfterApp(world.mock.app, { method: 'POST', path: /\/posts$/, times: 4 }).handler);
    await post(feed, 'Written once, sent twice');
    await until(() => queryDeep(feed, '.composer .error-text')?.textContent?.includes('Not posted'), 'the failure');
    world.mock.resetFaults();
    $<HTMLButtonElement>(feed, 'button[type=submit]').click();
    await until(() => $$(feed, 'article:not(.post--pending)').some((a) => a.textContent?.includes('Written once')) && !queryDeep(feed, '.composer .error-text')?.textContent, 'posted');
    const after = (await world.admin.posts.list({ roomId: world.room.id, limit: 100 })).items;
    expect(after.length).to.equal(before + 1);
    expect(after.filter((p) => p.body === 'Written once, sent twice').length).to.equal(1);
  });

  it('keeps a draft across a reload while offline, and clears it once the server has the post', async () => {
    let feed = await feedFor(world.mentee);
    world.mock.use(world.mock.faults.drop({ method: 'POST' }).handler);
    await post(feed, 'Typed while the network was down');
    await until(() => queryDeep(feed, '.composer .error-text')?.textContent?.includes('could not be reached'), 'offline failure');
    // Reload: everything is rebuilt from scratch; only localStorage survives.
    document.body.replaceChildren();
    world.mock.resetFaults();
    feed = await feedFor(world.mentee);
    expect($<HTMLTextAreaElement>(feed, 'textarea').value).to.equal('Typed while the network was down');
    $<HTMLButtonElement>(feed, 'button[type=submit]').click();
    await until(() => $$(feed, 'article:not(.post--pending)').some((a) => a.textContent?.includes('Typed while the network was down')), 'posted');
    await until(() => localStorage.length === 0, 'draft cleared');
  });

  it('shows a server failure with a retry, then recovers', async () => {
    world.mock.use(world.mock.faults.status(500, { method: 'GET', path: '/v1/posts' }).handler);
    const p = provider(world.mentee, `<menteo-thread-feed room-id="${world.room.id}"></menteo-thread-feed>`);
    const feed = p.querySelector('menteo-thread-feed')!;
    await until(() => queryDeep(feed, '.state--error'), 'error state');
    expect($(feed, '.state--error').textContent).to.contain('Something went wrong');
    world.mock.resetFaults();
    $(feed, '.state--error button').click();
    await until(() => !queryDeep(feed, '.state--error') && !queryDeep(feed, '.state--loading'), 'recovered');
  });

  it('gets a new token transparently when the current one has expired', async () => {
    const feed = await feedFor(world.mentee);
    const p = feed.closest('menteo-provider')!;
    let secrets = 0;
    const mint = world.clientSecretFor(world.mentee);
    // A new function rebuilds the client and signs in again (one secret)…
    p.clientSecret = () => {
      secrets += 1;
      return mint();
    };
    await until(() => secrets === 1 && p.currentSession.status === 'ready', 'signed in again');
    await until(() => queryDeep(feed, 'textarea') && !queryDeep(feed, '.state--loading'), 'the feed');
    // …and a 401 on the next write makes the client fetch exactly one more, then succeed.
    const fault = world.mock.faults.expireToken({ method: 'POST', path: /\/posts$/, times: 1 });
    world.mock.use(fault.handler);
    await post(feed, 'Still signed in');
    await until(() => $$(feed, 'article:not(.post--pending)').some((a) => a.textContent?.includes('Still signed in')), 'posted after refresh');
    expect(fault.hits).to.equal(1);
    expect(secrets).to.equal(2);
  });

  it('shows the loading state while the server is slow, then the posts', async () => {
    world.mock.use(world.mock.faults.latency(400, { method: 'GET', path: '/v1/posts', times: 1 }).handler);
    const p = provider(world.mentee, `<menteo-thread-feed room-id="${world.room.id}"></menteo-thread-feed>`);
    const feed = p.querySelector('menteo-thread-feed')!;
    await until(() => queryDeep(feed, '.state--loading'), 'loading state');
    await until(() => queryDeep(feed, '[role=feed], .state--empty'), 'loaded');
  });

  it('shows the room with its members from the real API', async () => {
    const p = provider(world.mentee, `<menteo-room room-id="${world.room.id}"></menteo-room>`);
    const room = p.querySelector('menteo-room')!;
    await until(() => queryDeep(room, 'h2'), 'room');
    expect($(room, 'h2').textContent).to.equal('Frontend craft');
    expect($(room, '.members').textContent).to.contain('Max Mentor');
  });
});
