import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../define/provider.js';
import '../define/thread-feed.js';
import type { MenteoThreadFeed } from './thread-feed.js';
import { $, $$, cleanupBody, deepActiveElement, expectAccessible, mountInProvider, pressWith, takeWarnings, until } from '../test-support/index.js';
import { FakeClient, liveEvent, makePost, person } from '../test-support/fake-client.js';
import { MenteoPostCreateEvent } from '../events.js';

const ROOM = 'room_00000000000000000000000001';

function feedOf(n: number, author = person('Grace Hopper')) {
  return Array.from({ length: n }, (_, i) =>
    makePost(author, `Post number ${n - i}\n\nWhat I learned today.`, { createdAt: new Date(Date.now() - i * 60_000).toISOString() }),
  );
}

async function mount(fake: FakeClient, attrs: Record<string, string> = { 'room-id': ROOM }) {
  const { el, provider } = await mountInProvider<MenteoThreadFeed>(fake.asClient(), 'menteo-thread-feed', {}, document.body, attrs);
  await until(() => !el.shadowRoot?.querySelector('.state--loading') && (el.shadowRoot?.querySelector('[role=feed], .state') ?? null), 'the feed to load');
  await el.updateComplete;
  return { el, provider };
}

afterEach(cleanupBody);

describe('<menteo-thread-feed> states', () => {
  it('renders posts as a WAI-ARIA feed of articles, newest first, and passes axe', async () => {
    const fake = new FakeClient({ posts: feedOf(3) });
    const { el } = await mount(fake);
    const feed = $(el, '[role=feed]');
    expect(feed.getAttribute('aria-label')).to.equal('Growth posts');
    const articles = $$(el, 'article');
    expect(articles.map((a) => a.getAttribute('aria-posinset'))).to.deep.equal(['1', '2', '3']);
    expect(articles.every((a) => a.getAttribute('aria-setsize') === '3')).to.equal(true);
    expect(articles[0]?.textContent).to.contain('Post number 3');
    expect(articles[0]?.getAttribute('tabindex')).to.equal('0');
    await expectAccessible(el);
  });

  it('shows an empty state that invites the first post', async () => {
    const { el } = await mount(new FakeClient());
    expect($(el, '.state--empty').textContent).to.contain('No posts yet');
    expect(el.matches(':state(empty)')).to.equal(true);
    await expectAccessible(el);
  });

  it('shows what went wrong with a retry that reloads', async () => {
    const fake = new FakeClient({ posts: feedOf(2) });
    fake.fail('posts.list', Object.assign(new Error('down'), { code: 'network_error', status: 0 }));
    const reported: string[] = [];
    document.addEventListener('menteo-error', (e) => reported.push(e.operation));
    const { el } = await mount(fake);
    expect(reported).to.deep.equal(['load']);
    const alert = $(el, '.state--error');
    expect(alert.getAttribute('role')).to.equal('alert');
    expect(alert.textContent).to.contain('could not be reached');
    await expectAccessible(el);
    $(el, '.state--error button').click();
    await until(() => $$(el, 'article').length === 2, 'posts after retry');
  });

  it('renders markup and script in a post as text', async () => {
    const evil = makePost(person('Mallory'), '<img src=x onerror="window.__owned=1"><script>window.__owned=2</script> [x](javascript:alert(1))');
    const { el } = await mount(new FakeClient({ posts: [evil] }));
    const body = $(el, '.post__body');
    expect(body.querySelector('img, script, a')).to.equal(null);
    expect(body.textContent).to.contain('<img src=x onerror="window.__owned=1">');
    expect((window as unknown as { __owned?: number }).__owned).to.equal(undefined);
  });
});

describe('<menteo-thread-feed> composer', () => {
  it('keeps what is typed across a reload, posts it, then clears the draft', async () => {
    const fake = new FakeClient();
    fake.threads.push({ id: 'thr_00000000000000000000000009', author: fake.viewer, title: 'Mine', skills: [], roomId: ROOM, postCount: 0, lastPostAt: null, createdAt: new Date().toISOString() });
    let { el } = await mount(fake);
    const textarea = $<HTMLTextAreaElement>(el, 'textarea');
    textarea.focus();
    await sendKeys({ type: 'Pairing on **ownership** today' });
    expect(localStorage.length).to.equal(1);
    // "Reload": a brand-new element reads the draft back.
    cleanupBodyKeepStorage();
    ({ el } = await mount(fake));
    expect($<HTMLTextAreaElement>(el, 'textarea').value).to.equal('Pairing on **ownership** today');

    let created: MenteoPostCreateEvent | undefined;
    document.addEventListener('menteo-post-create', (e) => (created = e), { once: true });
    $<HTMLButtonElement>(el, 'button[type=submit]').click();
    await until(() => created, 'menteo-post-create');
    expect(created?.composed).to.equal(true);
    expect(created?.post.body).to.equal('Pairing on **ownership** today');
    expect(fake.calledWith('posts.create')[0]?.args[1]).to.deep.include({ audience: 'room', roomId: ROOM });
    await el.updateComplete;
    expect($$(el, 'article')[0]?.querySelector('strong')?.textContent).to.equal('ownership');
    expect($<HTMLTextAreaElement>(el, 'textarea').value).to.equal('');
    expect(localStorage.length).to.equal(0);
    expect($(el, '[data-announcer=polite]').textContent).to.contain('published');
  });

  it('shows the post at once, rolls it back visibly on failure, and retries with the same idempotency key', async () => {
    const fake = new FakeClient({ posts: feedOf(1) });
    const gate = fake.gate('posts.create');
    fake.fail('posts.create', Object.assign(new Error('oops'), { code: 'internal', status: 500 }));
    const { el } = await mount(fake);
    const textarea = $<HTMLTextAreaElement>(el, 'textarea');
    textarea.value = 'A hard lesson';
    textarea.dispatchEvent(new InputEvent('input', { bubbles: true }));
    $<HTMLButtonElement>(el, 'button[type=submit]').click();
    await until(() => $$(el, 'article.post--pending').length === 1, 'the optimistic post');
    expect($$(el, 'article')[0]?.textContent).to.contain('A hard lesson');
    gate.open();
    await until(() => $$(el, 'article.post--pending').length === 0, 'the rollback');
    expect($$(el, 'article').length).to.equal(1);
    expect($<HTMLTextAreaElement>(el, 'textarea').value).to.equal('A hard lesson');
    expect($(el, '.composer .error-text').textContent).to.contain('Not posted');
    expect($(el, '[data-announcer=assertive]').textContent).to.contain('Not posted');
    expect(localStorage.getItem(`menteo:draft:v1:feed:${fake.viewer.id}:${ROOM}:post`)).to.contain('A hard lesson');
    await expectAccessible(el);

    $<HTMLButtonElement>(el, 'button[type=submit]').click();
    await until(() => fake.posts.length === 2, 'the retried post');
    const keys = fake.calledWith('posts.create').map((c) => (c.args[2] as { idempotencyKey: string }).idempotencyKey);
    expect(keys.length).to.equal(2);
    expect(keys[0]).to.equal(keys[1]);
  });

  it("keeps each person's drafts to themselves on a shared computer", async () => {
    const ada = new FakeClient({ viewer: person('Ada') });
    let { el } = await mount(ada);
    const ta = $<HTMLTextAreaElement>(el, 'textarea');
    ta.value = 'private thoughts';
    ta.dispatchEvent(new InputEvent('input'));
    cleanupBodyKeepStorage();
    ({ el } = await mount(new FakeClient({ viewer: person('Bob') })));
    expect($<HTMLTextAreaElement>(el, 'textarea').value).to.equal('');
    cleanupBodyKeepStorage();
    ({ el } = await mount(ada));
    expect($<HTMLTextAreaElement>(el, 'textarea').value).to.equal('private thoughts');
  });

  it('lets the author pick the audience, private to the room by default', async () => {
    const { el } = await mount(new FakeClient());
    const select = $<HTMLSelectElement>(el, '.composer select');
    expect(select.value).to.equal('room');
    expect([...select.options].map((o) => o.value)).to.deep.equal(['room', 'org', 'public']);
  });

  it('hides the composer from readers without the posts:write scope', async () => {
    const { el } = await mount(new FakeClient({ scopes: ['threads:read'], posts: feedOf(1) }));
    expect(el.shadowRoot?.querySelector('.composer')).to.equal(null);
    await expectAccessible(el);
  });
});

describe('<menteo-thread-feed> reactions and comments', () => {
  it('toggles a reaction optimistically and rolls it back when the server refuses', async () => {
    const fake = new FakeClient({ posts: feedOf(1) });
    const { el } = await mount(fake);
    const first = () => $$<HTMLButtonElement>(el, 'button.reaction')[0]!;
    first().click();
    await until(() => first().getAttribute('aria-pressed') === 'true' && fake.calledWith('reactions.add').length === 1, 'reaction saved');
    expect(first().getAttribute('aria-label')).to.equal('Applause: 1');
    fake.fail('reactions.remove');
    first().click();
    await until(() => $(el, '[data-announcer=assertive]').textContent?.includes('not saved'), 'rollback announced');
    expect(first().getAttribute('aria-pressed')).to.equal('true');
  });

  it('opens comments, lists them and sends one', async () => {
    const fake = new FakeClient({ posts: feedOf(1) });
    const { el } = await mount(fake);
    const toggle = $<HTMLButtonElement>(el, 'button[aria-controls]');
    expect(toggle.getAttribute('aria-expanded')).to.equal('false');
    toggle.click();
    await until(() => el.shadowRoot?.querySelector('.comment-form'), 'comment form');
    expect(toggle.getAttribute('aria-expanded')).to.equal('true');
    const input = $<HTMLTextAreaElement>(el, '.comment-form textarea');
    input.value = 'Great point';
    input.dispatchEvent(new InputEvent('input', { bubbles: true }));
    $<HTMLButtonElement>(el, '.comment-form button').click();
    await until(() => $$(el, '.comment').length === 1, 'the comment');
    expect(toggle.textContent?.trim()).to.equal('1 comment');
    await expectAccessible(el);
  });
});

describe('<menteo-thread-feed> live updates', () => {
  it('inserts a post from someone else when the reader is at the top, and announces it', async () => {
    const fake = new FakeClient({ posts: feedOf(2) });
    const { el } = await mount(fake);
    expect(fake.live?.target).to.equal(`room:${ROOM}`);
    fake.live?.emit(liveEvent('post.created', makePost(person('Linus'), 'Fresh!', { roomId: ROOM })));
    await until(() => $$(el, 'article').length === 3, 'the live post');
    expect($$(el, 'article')[0]?.textContent).to.contain('Fresh!');
    expect($(el, '[data-announcer=polite]').textContent).to.contain('New post from Linus');
  });

  it('holds arrivals behind a button while the reader is inside the feed, without moving the view', async () => {
    const fake = new FakeClient({ posts: feedOf(5) });
    const { el } = await mount(fake);
    $$(el, 'article')[1]!.focus();
    const before = $$(el, 'article')[1]!.getBoundingClientRect().top;
    fake.live?.emit(liveEvent('post.created', makePost(person('Linus'), 'Fresh!', { roomId: ROOM })));
    await until(() => el.shadowRoot?.querySelector('[part~=new-posts-button]'), 'new posts button');
    expect($$(el, 'article').length).to.equal(5);
    expect($(el, '[data-announcer=polite]').textContent).to.contain('New post from Linus');
    // The button sits above the feed in a sticky bar; the article the reader is on keeps its place.
    expect(deepActiveElement()).to.equal($$(el, 'article')[1]);
    expect(Math.abs($$(el, 'article')[1]!.getBoundingClientRect().top - before)).to.be.lessThan(60);
    $(el, '[part~=new-posts-button]').click();
    await until(() => $$(el, 'article').length === 6, 'the held post');
    await until(() => deepActiveElement() === $$(el, 'article')[0], 'focus on the newest post');
  });

  it('ignores posts outside its filter and removes deleted ones', async () => {
    const posts = feedOf(2);
    const fake = new FakeClient({ posts });
    const { el } = await mount(fake);
    fake.live?.emit(liveEvent('post.created', makePost(person('X'), 'elsewhere', { roomId: 'room_00000000000000000000000077' })));
    fake.live?.emit(liveEvent('post.deleted', { id: posts[0]!.id, threadId: posts[0]!.threadId }));
    await until(() => $$(el, 'article').length === 1, 'deleted post gone');
    expect(el.shadowRoot?.textContent).not.to.contain('elsewhere');
  });

  it('pauses the stream while the page is hidden and closes it on removal', async () => {
    const fake = new FakeClient({ posts: feedOf(1) });
    const { el, provider } = await mount(fake);
    const sub = fake.live!;
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
    expect(sub.state).to.equal('paused');
    Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
    expect(sub.state).to.equal('open');
    provider.remove();
    expect(sub.state).to.equal('closed');
    expect(el.isConnected).to.equal(false);
  });
});

describe('<menteo-thread-feed> keyboard', () => {
  it('moves between posts with Page Down / Page Up and leaves the feed with Ctrl+End / Ctrl+Home', async () => {
    const { el } = await mount(new FakeClient({ posts: feedOf(4) }));
    $$(el, 'article')[0]!.focus();
    await sendKeys({ press: 'PageDown' });
    await until(() => deepActiveElement()?.getAttribute('aria-posinset') === '2', 'second post focused');
    await sendKeys({ press: 'PageDown' });
    await until(() => deepActiveElement()?.getAttribute('aria-posinset') === '3', 'third post focused');
    await sendKeys({ press: 'PageUp' });
    await until(() => deepActiveElement()?.getAttribute('aria-posinset') === '2', 'back to second');
    await pressWith('End', 'Control');
    await until(() => deepActiveElement()?.hasAttribute('data-after-feed'), 'after the feed');
    $$(el, 'article')[2]!.focus();
    await pressWith('Home', 'Control');
    await until(() => deepActiveElement()?.localName === 'textarea', 'the composer before the feed');
  });

  it('reacts from the keyboard', async () => {
    const fake = new FakeClient({ posts: feedOf(1) });
    const { el } = await mount(fake);
    $$<HTMLButtonElement>(el, 'button.reaction')[1]!.focus();
    await sendKeys({ press: 'Enter' });
    await until(() => fake.calledWith('reactions.add').length === 1, 'reaction');
    expect(fake.calledWith('reactions.add')[0]?.args[1]).to.equal('insight');
  });
});

describe('<menteo-thread-feed> windowing', () => {
  it('keeps the DOM small with hundreds of posts and renders what scrolls into view', async () => {
    const fake = new FakeClient({ posts: feedOf(600) });
    const { el } = await mount(fake, { 'room-id': ROOM, 'page-size': '100' });
    // Load every page by scrolling to the end repeatedly.
    for (let i = 0; i < 12 && el.loadedPosts.length < 600; i += 1) {
      window.scrollTo(0, document.documentElement.scrollHeight);
      await until(() => el.shadowRoot?.querySelector('.state--loading') === null, 'page');
      await new Promise((r) => requestAnimationFrame(r));
    }
    expect(el.loadedPosts.length).to.equal(600);
    await until(() => $$(el, 'article').length > 0 && $$(el, 'article').length < 60, 'a window of posts');
    const nodes = el.shadowRoot!.querySelectorAll('*').length;
    expect(nodes).to.be.lessThan(1500);
    // Jump to the middle: the posts there are rendered with their true positions.
    window.scrollTo(0, document.documentElement.scrollHeight / 2);
    await until(() => {
      const pos = $$(el, 'article').map((a) => Number(a.getAttribute('aria-posinset')));
      return pos.length > 0 && Math.min(...pos) > 100 && Math.max(...pos) < 500;
    }, 'posts in the middle');
    window.scrollTo(0, 0);
  });
});

describe('<menteo-thread-feed> layout and warnings', () => {
  it('mirrors in right-to-left layouts', async () => {
    const wrapper = document.createElement('div');
    wrapper.dir = 'rtl';
    document.body.append(wrapper);
    const { el } = await mountInProvider<MenteoThreadFeed>(new FakeClient({ posts: feedOf(1) }).asClient(), 'menteo-thread-feed', {}, wrapper, { 'room-id': ROOM });
    await until(() => el.shadowRoot?.querySelector('article'), 'a post');
    const avatarBox = $(el, 'article .avatar').getBoundingClientRect();
    const nameBox = $(el, 'article .post__author').getBoundingClientRect();
    expect(avatarBox.left).to.be.greaterThan(nameBox.left);
    await expectAccessible(el);
  });

  it('warns in dev mode when used outside a provider (and the warning guard sees it)', async () => {
    const el = document.createElement('menteo-thread-feed');
    document.body.append(el);
    await el.updateComplete;
    const warnings = takeWarnings();
    expect(warnings.some((w) => w.includes('not inside a <menteo-provider>'))).to.equal(true);
  });
});

function cleanupBodyKeepStorage(): void {
  document.body.replaceChildren();
}
