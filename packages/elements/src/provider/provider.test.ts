import { expect } from '@open-wc/testing';
import '../define/thread-feed.js';
import type { MenteoProvider } from './provider.js';
import type { MenteoThreadFeed } from '../thread-feed/thread-feed.js';
import { $, $$, cleanupBody, expectAccessible, until } from '../test-support/index.js';
import { FakeClient, makePost, person } from '../test-support/fake-client.js';

const ROOM = 'room_00000000000000000000000001';

afterEach(cleanupBody);

// The provider's define module is imported inside the first test on purpose: the feed must be
// upgraded and connected before `<menteo-provider>` exists.
describe('<menteo-provider> upgrade order', () => {
  it('reaches consumers that upgraded before it', async () => {
    expect(customElements.get('menteo-provider')).to.equal(undefined);
    document.body.innerHTML = `<menteo-provider><menteo-thread-feed room-id="${ROOM}"></menteo-thread-feed></menteo-provider>`;
    const feed = document.querySelector('menteo-thread-feed') as MenteoThreadFeed;
    await feed.updateComplete;
    expect($(feed, '.state--loading')).to.exist;
    const fake = new FakeClient({ posts: [makePost(person('Grace'), 'hello', { roomId: ROOM })] });
    const provider = document.querySelector('menteo-provider') as MenteoProvider;
    provider.client = fake.asClient();
    await import('../define/provider.js');
    await until(() => $$(feed, 'article').length === 1, 'the feed to receive the client');
  });
});

describe('<menteo-provider>', () => {
  before(() => import('../define/provider.js'));

  it('serves each element from its nearest provider when several are on a page', async () => {
    const a = new FakeClient({ viewer: person('Ada'), posts: [makePost(person('X'), 'from A', { roomId: ROOM })] });
    const b = new FakeClient({ viewer: person('Bo'), posts: [makePost(person('Y'), 'from B', { roomId: ROOM })] });
    document.body.innerHTML = `
      <menteo-provider id="a"><menteo-thread-feed room-id="${ROOM}"></menteo-thread-feed>
        <menteo-provider id="b"><menteo-thread-feed room-id="${ROOM}"></menteo-thread-feed></menteo-provider>
      </menteo-provider>`;
    (document.getElementById('a') as MenteoProvider).client = a.asClient();
    (document.getElementById('b') as MenteoProvider).client = b.asClient();
    const [fa, fb] = [...document.querySelectorAll('menteo-thread-feed')] as MenteoThreadFeed[];
    await until(() => $$(fa!, 'article').length === 1 && $$(fb!, 'article').length === 1, 'both feeds');
    expect($(fa!, 'article').textContent).to.contain('from A');
    expect($(fb!, 'article').textContent).to.contain('from B');
  });

  it('re-supplies a new client to its consumers', async () => {
    const a = new FakeClient({ posts: [makePost(person('X'), 'first server', { roomId: ROOM })] });
    const b = new FakeClient({ posts: [makePost(person('Y'), 'second server', { roomId: ROOM })] });
    document.body.innerHTML = `<menteo-provider><menteo-thread-feed room-id="${ROOM}"></menteo-thread-feed></menteo-provider>`;
    const provider = document.querySelector('menteo-provider') as MenteoProvider;
    const feed = document.querySelector('menteo-thread-feed') as MenteoThreadFeed;
    provider.client = a.asClient();
    await until(() => feed.shadowRoot?.querySelector('article')?.textContent?.includes('first server'), 'first');
    provider.client = b.asClient();
    await until(() => feed.shadowRoot?.querySelector('article')?.textContent?.includes('second server'), 'second');
    // The live stream moved to the new client too, and the old one was closed.
    expect(a.subscriptions.every((s) => s.state === 'closed')).to.equal(true);
    await until(() => b.live?.state === 'open', "the new client's stream");
  });

  it('reports a failed sign-in with a retry', async () => {
    const fake = new FakeClient();
    fake.fail('me.get', Object.assign(new Error('no'), { code: 'unauthenticated', status: 401 }));
    document.body.innerHTML = `<menteo-provider><menteo-thread-feed room-id="${ROOM}"></menteo-thread-feed></menteo-provider>`;
    const provider = document.querySelector('menteo-provider') as MenteoProvider;
    const errors: string[] = [];
    provider.addEventListener('menteo-error', (e) => errors.push(e.operation));
    provider.client = fake.asClient();
    const feed = document.querySelector('menteo-thread-feed') as MenteoThreadFeed;
    await until(() => feed.shadowRoot?.querySelector('.state--error'), 'error state');
    expect(errors).to.deep.equal(['sign-in']);
    expect($(feed, '.state--error').textContent).to.contain('session has ended');
    await expectAccessible(feed);
    $(feed, '.state--error button').click();
    await until(() => provider.currentSession.status === 'ready', 'signed in on retry');
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
    document.body.innerHTML = `<menteo-provider theme="dark"><menteo-thread-feed room-id="${ROOM}"></menteo-thread-feed></menteo-provider>`;
    const provider = document.querySelector('menteo-provider') as MenteoProvider;
    provider.client = new FakeClient({ posts: [makePost(person('X'), 'dark', { roomId: ROOM })] }).asClient();
    const feed = document.querySelector('menteo-thread-feed') as MenteoThreadFeed;
    await until(() => feed.shadowRoot?.querySelector('article'), 'a post');
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
});
