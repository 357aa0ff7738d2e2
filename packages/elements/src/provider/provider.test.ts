import { expect } from '@open-wc/testing';
import '../define/thread-feed.js';
import type { MenteoProvider } from './provider.js';
import type { MenteoThreadFeed } from '../thread-feed/thread-feed.js';
// The feed is made of parts with their own shadow roots: queries go through them.
import { $deep as $, $$deep as $$, expectAccessible, until, queryDeep, deepText } from '../test-support/index.js';
import { recordLive, recordRequests, useWorld, type RoomSet } from '../test-support/real-api.js';

// Against the real server app in the page (`@menteo/mock`); the provider's define module is not
// imported by the world, so the upgrade-order test below still sees it undefined.
const world = useWorld();

/** A fresh room with one post by its mentor. */
async function roomWithPost(body: string): Promise<RoomSet> {
  const set = await world.newRoom();
  await world.postAs(set.mentor, set.room.id, body);
  return set;
}

// The provider's define module is imported inside the first test on purpose: the feed must be
// upgraded and connected before `<menteo-provider>` exists.
describe('<menteo-provider> upgrade order', () => {
  it('reaches consumers that upgraded before it', async () => {
    expect(customElements.get('menteo-provider')).to.equal(undefined);
    const set = await roomWithPost('hello');
    document.body.innerHTML = `<menteo-provider><menteo-thread-feed room-id="${set.room.id}"></menteo-thread-feed></menteo-provider>`;
    const feed = document.querySelector('menteo-thread-feed') as MenteoThreadFeed;
    await feed.updateComplete;
    expect($(feed, '.state--loading')).to.exist;
    const provider = document.querySelector('menteo-provider') as MenteoProvider;
    provider.client = world.clientFor(set.mentee);
    await import('../define/provider.js');
    await until(() => $$(feed, 'article').length === 1, 'the feed to receive the client');
  });
});

describe('<menteo-provider>', () => {
  before(() => import('../define/provider.js'));

  it('serves each element from its nearest provider when several are on a page', async () => {
    // Two people who share no room: each feed shows only what its own provider's person may read.
    const a = await roomWithPost('from A');
    const b = await roomWithPost('from B');
    document.body.innerHTML = `
      <menteo-provider id="a"><menteo-thread-feed></menteo-thread-feed>
        <menteo-provider id="b"><menteo-thread-feed></menteo-thread-feed></menteo-provider>
      </menteo-provider>`;
    (document.getElementById('a') as MenteoProvider).client = world.clientFor(a.mentee);
    (document.getElementById('b') as MenteoProvider).client = world.clientFor(b.mentee);
    const [fa, fb] = [...document.querySelectorAll('menteo-thread-feed')] as MenteoThreadFeed[];
    await until(() => $$(fa!, 'article').length === 1 && $$(fb!, 'article').length === 1, 'both feeds');
    expect($(fa!, 'article').textContent).to.contain('from A');
    expect($(fb!, 'article').textContent).to.contain('from B');
  });

  it('re-supplies a new client to its consumers', async () => {
    const first = await roomWithPost('first person');
    const second = await roomWithPost('second person');
    document.body.innerHTML = `<menteo-provider><menteo-thread-feed></menteo-thread-feed></menteo-provider>`;
    const provider = document.querySelector('menteo-provider') as MenteoProvider;
    const feed = document.querySelector('menteo-thread-feed') as MenteoThreadFeed;
    const a = world.clientFor(first.mentee);
    const b = world.clientFor(second.mentee);
    const aStreams = recordLive(a);
    const bStreams = recordLive(b);
    provider.client = a;
    await until(() => queryDeep(feed, 'article')?.textContent?.includes('first person'), 'first');
    await until(() => aStreams.at(-1)?.state === 'open', "the first client's stream");
    provider.client = b;
    await until(() => queryDeep(feed, 'article')?.textContent?.includes('second person'), 'second');
    expect(deepText(feed)).not.to.contain('first person');
    // The live stream moved to the new client too, and the old one was closed.
    expect(aStreams.every((s) => s.state === 'closed')).to.equal(true);
    await until(() => bStreams.at(-1)?.state === 'open', "the new client's stream");
  });

  it('reports a failed sign-in with a retry', async () => {
    const set = await world.newRoom();
    // Every token is refused on /v1/me, including the one the client fetches after the first 401.
    world.mock.use(world.mock.faults.expireToken({ method: 'GET', path: '/v1/me' }).handler);
    document.body.innerHTML = `<menteo-provider><menteo-thread-feed room-id="${set.room.id}"></menteo-thread-feed></menteo-provider>`;
    const provider = document.querySelector('menteo-provider') as MenteoProvider;
    const errors: string[] = [];
    provider.addEventListener('menteo-error', (e) => errors.push(e.operation));
    provider.client = world.clientFor(set.mentee);
    const feed = document.querySelector('menteo-thread-feed') as MenteoThreadFeed;
    await until(() => queryDeep(feed, '.state--error'), 'error state');
    expect(errors).to.deep.equal(['sign-in']);
    expect($(feed, '.state--error').textContent).to.contain('session has ended');
    await expectAccessible(feed);
    world.mock.resetFaults();
    $(feed, '.state--error button').click();
    await until(() => provider.currentSession.status === 'ready', 'signed in on retry');
    expect(provider.currentSession.me?.person?.id).to.equal(set.mentee.id);
    await until(() => queryDeep(feed, '.state--empty'), 'the feed');
  });

  it('builds a client from base-url and the clientSecret function, never storing the token', async () => {
    let asked = 0;
    const provider = document.createElement('menteo-provider') as MenteoProvider;
    provider.baseUrl = 'http://127.0.0.1:9'; // nothing listens: the exchange fails fast
    provider.clientSecret = async () => {
      asked += 1;
      return 'cs_test_secret';
    };
    document.body.append(provider);
    await until(() => provider.currentSession.client !== undefined, 'a client');
    await until(() => asked > 0, 'the secret to be requested');
    await until(() => provider.currentSession.status === 'error', 'the failed exchange');
    expect(JSON.stringify({ ...localStorage })).not.to.contain('cs_test_secret');
  });

  it('applies the theme to the elements below through --menteo-color-scheme', async () => {
    const set = await roomWithPost('dark');
    document.body.innerHTML = `<menteo-provider theme="dark"><menteo-thread-feed room-id="${set.room.id}"></menteo-thread-feed></menteo-provider>`;
    const provider = document.querySelector('menteo-provider') as MenteoProvider;
    provider.client = world.clientFor(set.mentee);
    const feed = document.querySelector('menteo-thread-feed') as MenteoThreadFeed;
    await until(() => queryDeep(feed, 'article'), 'a post');
    expect(getComputedStyle(feed).colorScheme).to.equal('dark');
    const bg = getComputedStyle($(feed, 'article')).backgroundColor;
    provider.theme = 'light';
    await provider.updateComplete;
    expect(getComputedStyle(feed).colorScheme).to.equal('light');
    expect(getComputedStyle($(feed, 'article')).backgroundColor).not.to.equal(bg);
    await expectAccessible(feed);
  });

  it('takes no space in the layout', async () => {
    document.body.innerHTML = `<menteo-provider></menteo-provider>`;
    const provider = document.querySelector('menteo-provider') as MenteoProvider;
    await provider.updateComplete;
    expect(getComputedStyle(provider).display).to.equal('contents');
  });

  it('without a clientSecret function or session-url, says so in the console and in its widgets, without any request', async () => {
    const set = await world.newRoom();
    const errors: string[] = [];
    const originalError = console.error;
    console.error = (...args: unknown[]) => {
      errors.push(args.map(String).join(' '));
    };
    // What signing in would send first: the token exchange. (Other paths are not watched: a
    // previous test's closing client may still be heard by the shared service worker.)
    const sent = recordRequests(world, 'POST', /^\/v1\/tokens$/);
    try {
      document.body.innerHTML = `<menteo-provider base-url="${world.mock.baseUrl}"><menteo-thread-feed room-id="${set.room.id}"></menteo-thread-feed></menteo-provider>`;
      const provider = document.querySelector('menteo-provider') as MenteoProvider;
      const events: string[] = [];
      provider.addEventListener('menteo-error', (e) => events.push(e.operation));
      const feed = document.querySelector('menteo-thread-feed') as MenteoThreadFeed;
      await until(() => queryDeep(feed, '.state--error'), 'the error state');
      expect(provider.currentSession.status).to.equal('error');
      expect((provider.currentSession.error as { code?: string }).code).to.equal('not_configured');
      expect(events).to.deep.equal(['sign-in']);
      expect(errors.join('\n')).to.contain('session-url').and.to.contain('clientSecret');
      expect($(feed, '.state--error').textContent).to.contain('not set up');
      expect(queryDeep(feed, '.state--loading')).to.equal(null);
      await expectAccessible(feed);
      // Nothing was asked: without a client the provider cannot call Menteo, and no exchange went out.
      expect(provider.currentSession.client).to.equal(undefined);
      expect(sent.length).to.equal(0);
      // Configuring it afterwards recovers without a reload.
      provider.clientSecret = world.clientSecretFor(set.mentee);
      await until(() => provider.currentSession.status === 'ready', 'signed in once configured');
    } finally {
      sent.stop();
      console.error = originalError;
    }
  });

  it('names a missing base-url the same way', async () => {
    const errors: string[] = [];
    const originalError = console.error;
    console.error = (...args: unknown[]) => {
      errors.push(args.map(String).join(' '));
    };
    try {
      document.body.innerHTML = `<menteo-provider session-url="/host/session"><menteo-thread-feed></menteo-thread-feed></menteo-provider>`;
      const provider = document.querySelector('menteo-provider') as MenteoProvider;
      await until(() => provider.currentSession.status === 'error', 'the error state');
      expect(errors.join('\n')).to.contain('base-url');
    } finally {
      console.error = originalError;
    }
  });

  it('with a session-url that refuses, shows the sign-in error; a clientSecret function set later wins', async () => {
    const set = await world.newRoom();
    // The test server has no /host/session: it answers 404, as a host backend refusing would.
    document.body.innerHTML = `<menteo-provider base-url="${world.mock.baseUrl}" session-url="/host/session"><menteo-thread-feed room-id="${set.room.id}"></menteo-thread-feed></menteo-provider>`;
    const provider = document.querySelector('menteo-provider') as MenteoProvider;
    const feed = document.querySelector('menteo-thread-feed') as MenteoThreadFeed;
    await until(() => queryDeep(feed, '.state--error'), 'the error state');
    const error = provider.currentSession.error as { code?: string; cause?: { code?: string; message?: string } };
    expect(error.code).to.equal('sign_in_failed');
    expect(error.cause?.code).to.equal('session_url_failed');
    expect(error.cause?.message).to.contain('answered 404');
    await expectAccessible(feed);
    // The function wins over the attribute once the page sets one.
    provider.clientSecret = world.clientSecretFor(set.mentee);
    await until(() => provider.currentSession.status === 'ready', 'signed in with the function');
  });
});
