/**
 * <menteo-thread-feed> against the real server app (in the page through `@menteo/mock`): data is
 * created through the API, failures and timing come from the mock's fault builders.
 */
import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../define/provider.js';
import '../define/thread-feed.js';
import type { MenteoThreadFeed } from './thread-feed.js';
import type { Person } from '@menteo/api/people';
import type { Post } from '@menteo/api/threads';
import type { MenteoClient } from '@menteo/client';
import type { Scope } from '@menteo/api/scopes';
import { deepActiveElement, expectAccessible, pressWith, takeWarnings, until } from '../test-support/index.js';
import { mountAs, recordLive, recordRequests, useWorld, type RoomSet } from '../test-support/real-api.js';
import { applyTextSpacing, clippedText, focusIndicatorProblem, forcedColors, overflowingPage, resetViewport, viewport } from '../test-support/a11y.js';
import type { MenteoErrorEvent, MenteoPostCreateEvent } from '../events.js';

const world = useWorld();

/**
 * Every element matching `selector` in `el`'s shadow tree and the shadow trees of the parts it
 * is made of (`<menteo-composer>`, `<menteo-post-list>`, `<menteo-post>`), in document order.
 */
function $$<E extends Element = HTMLElement>(el: Element, selector: string): E[] {
  const out: E[] = [];
  const walk = (root: ShadowRoot | null | undefined): void => {
    if (!root) return;
    for (const node of root.querySelectorAll('*')) {
      if (node.matches(selector)) out.push(node as E);
      if (node.shadowRoot) walk(node.shadowRoot);
    }
  };
  walk(el.shadowRoot);
  return out;
}

/** The first match in the feed's own shadow root, else in its parts' (see `$$`), or a failing test. */
function $<E extends Element = HTMLElement>(el: Element, selector: string): E {
  const found = el.shadowRoot?.querySelector<E>(selector) ?? $$<E>(el, selector)[0];
  if (!found) throw new Error(`no ${selector} in <${el.localName}>`);
  return found;
}

/** One of the parts the feed is made of. */
function part<E extends Element = HTMLElement>(el: Element, tag: string, index = 0): E {
  const found = $$<E>(el, tag)[index];
  if (!found) throw new Error(`no <${tag}> in <${el.localName}>`);
  return found;
}

/** `n` posts by `author`, oldest first on the server, so the feed shows "Post number n" on top. */
async function feedOf(set: RoomSet, n: number, author: Person = set.mentor): Promise<Post[]> {
  const posts: Post[] = [];
  for (let i = 1; i <= n; i += 1) posts.push(await world.postAs(author, set.room.id, `Post number ${i}\n\nWhat I learned today.`));
  return posts;
}

async function mount(set: RoomSet, viewer: Person = set.mentee, attrs: Record<string, string> = {}, options: { scopes?: Scope[]; client?: MenteoClient } = {}) {
  const { el, provider, client } = await mountAs<MenteoThreadFeed>(world, viewer, 'menteo-thread-feed', { 'room-id': set.room.id, ...attrs }, options);
  await until(() => !($$(el, '.state--loading')[0] ?? null) && (($$(el, '[role=feed], .state')[0] ?? null) ?? null), 'the feed to load');
  await el.updateComplete;
  return { el, provider, client };
}

/** Mounts with the live stream recorded, and waits until the server is streaming to it. */
async function mountLive(set: RoomSet, viewer: Person = set.mentee, attrs: Record<string, string> = {}) {
  const client = world.clientFor(viewer);
  const subs = recordLive(client);
  const mounted = await mount(set, viewer, attrs, { client });
  await until(() => subs.at(-1)?.state === 'open', 'the live stream');
  return { ...mounted, subs };
}

function type(el: MenteoThreadFeed, text: string): void {
  const textarea = $<HTMLTextAreaElement>(el, 'textarea');
  textarea.value = text;
  textarea.dispatchEvent(new InputEvent('input', { bubbles: true }));
}

function articlesWith(el: MenteoThreadFeed, text: string): HTMLElement[] {
  return $$(el, 'article').filter((a) => a.textContent?.includes(text));
}

async function serverPosts(roomId: string): Promise<Post[]> {
  return (await world.admin.posts.list({ roomId, limit: 100 })).items;
}

describe('<menteo-thread-feed> states', () => {
  it('renders posts as a WAI-ARIA feed of articles, newest first, and passes axe', async () => {
    const set = await world.newRoom();
    await feedOf(set, 3);
    const { el } = await mount(set);
    const feed = $(el, '[role=feed]');
    expect(feed.getAttribute('aria-label')).to.equal('Growth posts');
    const articles = $$(el, 'article');
    expect(articles.map((a) => a.getAttribute('aria-posinset'))).to.deep.equal(['1', '2', '3']);
    expect(articles.every((a) => a.getAttribute('aria-setsize') === '3')).to.equal(true);
    expect(articles[0]?.textContent).to.contain('Post number 3');
    expect(articles[2]?.textContent).to.contain('Post number 1');
    expect(articles[0]?.getAttribute('tabindex')).to.equal('0');
    await expectAccessible(el);
  });

  it('shows an empty state that invites the first post', async () => {
    const { el } = await mount(await world.newRoom());
    expect($(el, '.state--empty').textContent).to.contain('No posts yet');
    expect(el.matches(':state(empty)')).to.equal(true);
    await expectAccessible(el);
  });

  it('shows what went wrong with a retry that reloads', async () => {
    const set = await world.newRoom();
    await feedOf(set, 2);
    world.mock.use(world.mock.faults.drop({ method: 'GET', path: '/v1/posts' }).handler);
    const reported: string[] = [];
    const onError = (e: MenteoErrorEvent) => reported.push(e.operation);
    document.addEventListener('menteo-error', onError);
    try {
      const { el } = await mount(set);
      expect(reported).to.deep.equal(['load']);
      const alert = $(el, '.state--error');
      expect(alert.getAttribute('role')).to.equal('alert');
      expect(alert.textContent).to.contain('could not be reached');
      expect(el.matches(':state(error)')).to.equal(true);
      await expectAccessible(el);
      world.mock.resetFaults();
      $(el, '.state--error button').click();
      await until(() => $$(el, 'article').length === 2, 'posts after retry');
    } finally {
      document.removeEventListener('menteo-error', onError);
    }
  });

  it('renders markup and script in a post as text', async () => {
    const set = await world.newRoom();
    await world.postAs(set.mentor, set.room.id, '<img src=x onerror="window.__owned=1"><script>window.__owned=2</script> [x](javascript:alert(1))');
    const { el } = await mount(set);
    const body = $(el, '.post__body');
    expect(body.querySelector('img, script, a')).to.equal(null);
    expect(body.textContent).to.contain('<img src=x onerror="window.__owned=1">');
    expect((window as unknown as { __owned?: number }).__owned).to.equal(undefined);
  });
});

describe('<menteo-thread-feed> composer', () => {
  it('keeps what is typed across a reload, posts it, then clears the draft', async () => {
    const set = await world.newRoom();
    let { el } = await mount(set);
    const textarea = $<HTMLTextAreaElement>(el, 'textarea');
    textarea.focus();
    await sendKeys({ type: 'Pairing on **ownership** today' });
    expect(localStorage.length).to.equal(1);
    // "Reload": a brand-new element and client read the draft back; only localStorage survives.
    document.body.replaceChildren();
    ({ el } = await mount(set));
    expect($<HTMLTextAreaElement>(el, 'textarea').value).to.equal('Pairing on **ownership** today');

    let created: MenteoPostCreateEvent | undefined;
    document.addEventListener('menteo-post-create', (e) => (created = e), { once: true });
    $<HTMLButtonElement>(el, 'button[type=submit]').click();
    await until(() => created, 'menteo-post-create');
    expect(created?.composed).to.equal(true);
    expect(created?.post.body).to.equal('Pairing on **ownership** today');
    // What the server stored: the reader's post, private to the room.
    const stored = await serverPosts(set.room.id);
    expect(stored.map((p) => ({ body: p.body, audience: p.audience, roomId: p.roomId, author: p.author.id }))).to.deep.equal([
      { body: 'Pairing on **ownership** today', audience: 'room', roomId: set.room.id, author: set.mentee.id },
    ]);
    await el.updateComplete;
    expect(articlesWith(el, 'Pairing on ownership')[0]?.querySelector('strong')?.textContent).to.equal('ownership');
    expect($$(el, 'article').length).to.equal(1);
    expect($<HTMLTextAreaElement>(el, 'textarea').value).to.equal('');
    expect(localStorage.length).to.equal(0);
    expect($(part(el, 'menteo-composer'), '[data-announcer=polite]').textContent).to.contain('published');
  });

  it('shows the post at once, rolls it back visibly on failure, and retries with the same idempotency key', async () => {
    const set = await world.newRoom();
    await feedOf(set, 1);
    const { el } = await mount(set);
    const sent = recordRequests(world, 'POST', /\/posts$/);
    // Every attempt (the client retries three times) fails; the first is held in flight first.
    world.mock.use(world.mock.faults.status(500, { method: 'POST', path: /\/posts$/, times: 4 }).handler);
    const held = world.mock.faults.hold({ method: 'POST', path: /\/posts$/, times: 1 });
    world.mock.use(held.handler);
    type(el, 'A hard lesson');
    $<HTMLButtonElement>(el, 'button[type=submit]').click();
    await until(() => $$(el, 'article.post--pending').length === 1 && held.hits === 1, 'the optimistic post');
    expect($$(el, 'article')[0]?.textContent).to.contain('A hard lesson');
    expect($$(el, 'article')[0]?.getAttribute('aria-busy')).to.equal('true');
    expect($<HTMLButtonElement>(el, 'button[type=submit]').disabled).to.equal(true);
    await expectAccessible(el);
    held.release();
    await until(() => $$(el, 'article.post--pending').length === 0, 'the rollback');
    expect($$(el, 'article').length).to.equal(1);
    expect($<HTMLTextAreaElement>(el, 'textarea').value).to.equal('A hard lesson');
    expect($(el, '.composer .error-text').textContent).to.contain('Not posted');
    expect($(part(el, 'menteo-composer'), '[data-announcer=assertive]').textContent).to.contain('Not posted');
    expect(localStorage.getItem(`menteo:draft:v1:feed:${set.mentee.id}:${set.room.id}:post`)).to.contain('A hard lesson');
    await expectAccessible(el);

    $<HTMLButtonElement>(el, 'button[type=submit]').click();
    await until(() => articlesWith(el, 'A hard lesson').length === 1 && !($$(el, 'article.post--pending')[0] ?? null), 'the retried post');
    sent.stop();
    // Four failed attempts and the successful retry all carried one key; the server has one post.
    expect(sent.length).to.equal(5);
    expect(new Set(sent.map((r) => r.idempotencyKey)).size).to.equal(1);
    expect(sent[0]?.idempotencyKey).to.be.a('string');
    expect((await serverPosts(set.room.id)).filter((p) => p.body === 'A hard lesson').length).to.equal(1);
  });

  it('shows exactly one post when its live event arrives while the POST that created it is still in flight', async () => {
    const set = await world.newRoom();
    await feedOf(set, 1);
    const { el } = await mountLive(set);
    const sent = recordRequests(world, 'POST', /\/posts$/);
    const held = world.mock.faults.hold({ method: 'POST', path: /\/posts$/, times: 1 });
    world.mock.use(held.handler);
    let created: MenteoPostCreateEvent | undefined;
    el.addEventListener('menteo-post-create', (e) => (created = e), { once: true });
    type(el, 'Raced the stream');
    $<HTMLButtonElement>(el, 'button[type=submit]').click();
    await until(() => held.hits === 1 && sent.length === 1, 'the POST held in flight');
    expect(articlesWith(el, 'Raced the stream').length).to.equal(1);
    // The server handles that very request (same credential, same idempotency key) and emits
    // `post.created` while the page's own request is still held: the stream wins the race.
    const stored = await world.mock.app.fetch(sent[0]!.request);
    expect(stored.status).to.equal(201);
    await until(() => articlesWith(el, 'Raced the stream').some((a) => !a.classList.contains('post--pending')), 'the live copy');
    expect(articlesWith(el, 'Raced the stream').length).to.equal(1);
    // Released, the request is answered from the idempotency record: the same post again.
    held.release();
    await until(() => created, 'menteo-post-create');
    await el.updateComplete;
    sent.stop();
    expect(articlesWith(el, 'Raced the stream').length).to.equal(1);
    expect($$(el, 'article').length).to.equal(2);
    expect($$(el, 'article.post--pending').length).to.equal(0);
    expect((await serverPosts(set.room.id)).filter((p) => p.body === 'Raced the stream').length).to.equal(1);
  });

  it("keeps each person's drafts to themselves on a shared computer", async () => {
    const set = await world.newRoom();
    let { el } = await mount(set, set.mentee);
    type(el, 'private thoughts');
    document.body.replaceChildren();
    ({ el } = await mount(set, set.mentor));
    expect($<HTMLTextAreaElement>(el, 'textarea').value).to.equal('');
    document.body.replaceChildren();
    ({ el } = await mount(set, set.mentee));
    expect($<HTMLTextAreaElement>(el, 'textarea').value).to.equal('private thoughts');
  });

  it('lets the author pick the audience, private to the room by default', async () => {
    const set = await world.newRoom();
    const { el } = await mount(set);
    const select = $<HTMLSelectElement>(el, '.composer select');
    expect(select.value).to.equal('room');
    expect([...select.options].map((o) => o.value)).to.deep.equal(['room', 'org', 'public']);
    select.value = 'org';
    select.dispatchEvent(new Event('change'));
    type(el, 'For everyone');
    $<HTMLButtonElement>(el, 'button[type=submit]').click();
    await until(() => articlesWith(el, 'For everyone').some((a) => !a.classList.contains('post--pending')), 'posted');
    const stored = (await world.admin.posts.list({ authorId: set.mentee.id, limit: 10 })).items;
    expect(stored.map((p) => p.audience)).to.deep.equal(['org']);
  });

  it('hides the composer from readers without the posts:write scope', async () => {
    const set = await world.newRoom();
    await feedOf(set, 1);
    const { el } = await mount(set, set.mentee, {}, { scopes: ['threads:read', 'rooms:read'] });
    expect($$(el, 'article').length).to.equal(1);
    expect(($$(el, '.composer')[0] ?? null)).to.equal(null);
    await expectAccessible(el);
  });
});

describe('<menteo-thread-feed> reactions and comments', () => {
  it('toggles a reaction optimistically and rolls it back when the server refuses', async () => {
    const set = await world.newRoom();
    const [post] = await feedOf(set, 1);
    const { el } = await mount(set);
    const first = () => $$<HTMLButtonElement>(el, 'button.reaction')[0]!;
    const held = world.mock.faults.hold({ method: 'PUT', path: /\/reactions\/applause$/, times: 1 });
    world.mock.use(held.handler);
    first().click();
    // Pressed at once, while the server has not answered (and no second click can race it).
    await until(() => first().getAttribute('aria-pressed') === 'true' && held.hits === 1, 'optimistic reaction');
    expect(first().disabled).to.equal(true);
    held.release();
    await until(() => !first().disabled, 'reaction saved');
    expect(first().getAttribute('aria-label')).to.equal('Applause: 1');
    expect((await world.admin.posts.get(post!.id)).reactions).to.deep.include({ kind: 'applause', count: 1, mine: false });
    world.mock.use(world.mock.faults.status(500, { method: 'DELETE', path: /\/reactions\// }).handler);
    first().click();
    await until(() => $(part(el, 'menteo-post-list'), '[data-announcer=assertive]').textContent?.includes('not saved'), 'rollback announced');
    expect(first().getAttribute('aria-pressed')).to.equal('true');
    expect(first().getAttribute('aria-label')).to.equal('Applause: 1');
    await expectAccessible(el);
  });

  it('opens comments, lists them and sends one', async () => {
    const set = await world.newRoom();
    const [post] = await feedOf(set, 1);
    await world.as(set.mentor).posts.comments.create(post!.id, { body: 'First thoughts from **Max**' });
    const { el } = await mount(set);
    const toggle = $<HTMLButtonElement>(el, 'button[aria-controls]');
    expect(toggle.textContent?.trim()).to.equal('1 comment');
    expect(toggle.getAttribute('aria-expanded')).to.equal('false');
    toggle.click();
    await until(() => ($$(el, '.comment-form')[0] ?? null) && $$(el, '.comment').length === 1, 'comments');
    expect(toggle.getAttribute('aria-expanded')).to.equal('true');
    expect($(el, '.comment').textContent).to.contain('First thoughts from Max');
    const input = $<HTMLTextAreaElement>(el, '.comment-form textarea');
    input.value = 'Great point';
    input.dispatchEvent(new InputEvent('input', { bubbles: true }));
    $<HTMLButtonElement>(el, '.comment-form button').click();
    await until(() => $$(el, '.comment').length === 2, 'the comment');
    await until(() => toggle.textContent?.trim() === '2 comments', 'the count');
    const stored = await world.admin.posts.comments.list(post!.id).toArray(10);
    expect(stored.map((c) => c.body)).to.deep.equal(['First thoughts from **Max**', 'Great point']);
    await expectAccessible(el);
  });
});

describe('<menteo-thread-feed> live updates', () => {
  it('inserts a post from someone else when the reader is at the top, and announces it', async () => {
    const set = await world.newRoom();
    await feedOf(set, 2);
    const { el } = await mountLive(set);
    await world.postAs(set.mentor, set.room.id, 'Fresh!');
    await until(() => $$(el, 'article').length === 3, 'the live post');
    expect($$(el, 'article')[0]?.textContent).to.contain('Fresh!');
    expect($(el, '[data-announcer=polite]').textContent).to.contain('New post from Max Mentor');
  });

  it('holds arrivals behind a button while the reader is inside the feed, without moving the view', async () => {
    const set = await world.newRoom();
    await feedOf(set, 5);
    const { el } = await mountLive(set);
    $$(el, 'article')[1]!.focus();
    const before = $$(el, 'article')[1]!.getBoundingClientRect().top;
    await world.postAs(set.mentor, set.room.id, 'Fresh!');
    await until(() => ($$(el, '[part~=new-posts-button]')[0] ?? null), 'new posts button');
    expect($$(el, 'article').length).to.equal(5);
    expect($(el, '[data-announcer=polite]').textContent).to.contain('New post from Max Mentor');
    // The button sits above the feed in a sticky bar; the article the reader is on keeps its place.
    expect(deepActiveElement()).to.equal($$(el, 'article')[1]);
    expect(Math.abs($$(el, 'article')[1]!.getBoundingClientRect().top - before)).to.be.lessThan(60);
    $(el, '[part~=new-posts-button]').click();
    await until(() => $$(el, 'article').length === 6, 'the held post');
    await until(() => deepActiveElement() === $$(el, 'article')[0], 'focus on the newest post');
    expect($$(el, 'article')[0]?.textContent).to.contain('Fresh!');
  });

  it('ignores live posts outside its filter and removes deleted ones', async () => {
    const set = await world.newRoom();
    const posts = await feedOf(set, 2);
    // Only the mentor's posts of the room: the room's stream also carries the mentee's.
    const { el } = await mountLive(set, set.mentee, { 'author-id': set.mentor.id });
    expect($$(el, 'article').length).to.equal(2);
    await world.postAs(set.mentee, set.room.id, 'elsewhere');
    await world.as(set.mentor).posts.delete(posts[1]!.id);
    // Events arrive in order: once the deletion shows, the filtered post was seen and ignored.
    await until(() => $$(el, 'article').length === 1, 'deleted post gone');
    expect($(el, 'article').textContent).to.contain('Post number 1');
    expect($$(el, 'article').map((a) => a.textContent).join(' ')).not.to.contain('elsewhere');
  });

  it('gives each composer its own name when several labelled feeds share a page (axe landmark-unique)', async () => {
    const [a, b] = [await world.newRoom(), await world.newRoom()];
    const shared = await world.person('Sasha Shared');
    for (const set of [a, b]) await world.admin.rooms.members.add(set.room.id, { personId: shared.id, role: 'mentee' });
    const container = document.createElement('div');
    document.body.append(container);
    const { provider } = await mountAs<MenteoThreadFeed>(world, shared, 'menteo-thread-feed', { 'room-id': a.room.id, label: 'Posts in room A' }, { container });
    const second = document.createElement('menteo-thread-feed') as MenteoThreadFeed;
    second.setAttribute('room-id', b.room.id);
    second.setAttribute('label', 'Posts in room B');
    provider.append(second);
    const feeds = [...container.querySelectorAll<MenteoThreadFeed>('menteo-thread-feed')];
    await until(() => feeds.every((f) => ($$(f, 'form[part~="composer"]')[0] ?? null) && !($$(f, '.state--loading')[0] ?? null)), 'both composers');
    await expectAccessible(container);
  });

  it('shows a post whose thread title is withheld (null) from a reader outside its room', async () => {
    const set = await world.newRoom();
    const outsider = await world.person('Olga Outsider');
    await world.postAs(set.mentor, set.room.id, 'An org-wide insight', { audience: 'org' });
    const { el } = await mountAs<MenteoThreadFeed>(world, outsider, 'menteo-thread-feed', { 'author-id': set.mentor.id });
    await until(() => articlesWith(el, 'An org-wide insight').length === 1, 'the org-wide post');
    const [post] = el.loadedPosts;
    // The thread belongs to a room the reader is not in: the server may leave its title out.
    if (post?.threadTitle === null) expect(articlesWith(el, 'An org-wide insight')[0]!.querySelector('.post__thread')).to.equal(null);
    expect(articlesWith(el, 'An org-wide insight')[0]!.textContent).not.to.match(/\bnull\b|undefined/);
    await expectAccessible(el);
  });

  it('pauses the stream while the page is hidden, catches up on return, and closes it on removal', async () => {
    const set = await world.newRoom();
    await feedOf(set, 1);
    const { el, provider, subs } = await mountLive(set);
    const sub = subs.at(-1)!;
    await world.postAs(set.mentor, set.room.id, 'Before hiding');
    await until(() => articlesWith(el, 'Before hiding').length === 1, 'a live post');
    try {
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
      expect(sub.state).to.equal('paused');
      await world.postAs(set.mentor, set.room.id, 'While hidden');
    } finally {
      Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
    }
    // Nothing arrives while paused (a frame or two is enough for a delivered event to render).
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    expect(articlesWith(el, 'While hidden').length).to.equal(0);
    document.dispatchEvent(new Event('visibilitychange'));
    expect(sub.state).not.to.equal('paused');
    // Resuming sends Last-Event-ID: what happened meanwhile is delivered.
    await until(() => articlesWith(el, 'While hidden').length === 1, 'the missed post');
    provider.remove();
    expect(sub.state).to.equal('closed');
    expect(el.isConnected).to.equal(false);
  });
});

describe('<menteo-thread-feed> keyboard', () => {
  it('moves between posts with Page Down / Page Up and leaves the feed with Ctrl+End / Ctrl+Home', async () => {
    const set = await world.newRoom();
    await feedOf(set, 4);
    const { el } = await mount(set);
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
    const set = await world.newRoom();
    const [post] = await feedOf(set, 1);
    const { el } = await mount(set);
    const insight = $$<HTMLButtonElement>(el, 'button.reaction')[1]!;
    insight.focus();
    await sendKeys({ press: 'Enter' });
    await until(() => insight.getAttribute('aria-pressed') === 'true' && !insight.disabled, 'reaction');
    expect((await world.admin.posts.get(post!.id)).reactions.map((r) => r.kind)).to.deep.equal(['insight']);
  });
});

describe('<menteo-thread-feed> windowing', () => {
  it('keeps the DOM small with hundreds of posts and renders what scrolls into view', async () => {
    const set = await world.newRoom();
    const total = 400;
    const as = world.as(set.mentor);
    const thread = await as.threads.create({ title: 'Long thread', roomId: set.room.id });
    for (let i = 1; i <= total; i += 1) await as.threads.posts.create(thread.id, { body: `Post number ${i}`, audience: 'room', roomId: set.room.id });
    const { el } = await mount(set, set.mentee, { 'page-size': '100' });
    // Load every page by scrolling to the end repeatedly.
    for (let i = 0; i < 12 && el.loadedPosts.length < total; i += 1) {
      window.scrollTo(0, document.documentElement.scrollHeight);
      await until(() => ($$(el, '.state--loading')[0] ?? null) === null, 'page');
      await new Promise((r) => requestAnimationFrame(r));
    }
    expect(el.loadedPosts.length).to.equal(total);
    await until(() => $$(el, 'article').length > 0 && $$(el, 'article').length < 60, 'a window of posts');
    const nodes = $$(el, '*').length;
    expect(nodes).to.be.lessThan(1500);
    // Jump to the middle: the posts there are rendered with their true positions.
    window.scrollTo(0, document.documentElement.scrollHeight / 2);
    await until(() => {
      const pos = $$(el, 'article').map((a) => Number(a.getAttribute('aria-posinset')));
      return pos.length > 0 && Math.min(...pos) > 100 && Math.max(...pos) < 300;
    }, 'posts in the middle');
    window.scrollTo(0, 0);
  });
});

describe('<menteo-thread-feed> layout and warnings', () => {
  it('mirrors in right-to-left layouts', async () => {
    const set = await world.newRoom();
    await feedOf(set, 1);
    const wrapper = document.createElement('div');
    wrapper.dir = 'rtl';
    document.body.append(wrapper);
    const { el } = await mountAs<MenteoThreadFeed>(world, set.mentee, 'menteo-thread-feed', { 'room-id': set.room.id }, { container: wrapper });
    await until(() => ($$(el, 'article')[0] ?? null), 'a post');
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

/** Every element with a shadow root in the feed's tree: the feed and the parts it is made of. */
function shadowHosts(el: Element): Element[] {
  return [el, ...$$(el, '*').filter((n) => n.shadowRoot !== null)];
}

/** The accessible name an article gets from aria-label or aria-labelledby (resolved in its own root). */
function articleName(article: Element): string {
  const label = article.getAttribute('aria-label');
  if (label) return label;
  const root = article.getRootNode() as ShadowRoot;
  return (article.getAttribute('aria-labelledby') ?? '')
    .split(/\s+/)
    .map((id) => root.getElementById(id)?.textContent?.trim() ?? '')
    .join(' ');
}

function today(offset = 0): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + offset);
  return d.toISOString().slice(0, 10);
}

describe('<menteo-thread-feed> evidence, permissions and deleting (issue 9)', () => {
  it('offers the room roadmap milestones as evidence once the person is known, and the post names its milestone', async () => {
    const set = await world.newRoom();
    const roadmap = await world.roadmap(set.mentor, set.room.id, today(-10), [
      { title: 'Read the style guide', dueDate: today(-2), status: 'done' },
      { title: 'First reviewed PR', dueDate: today(20), status: 'in_progress' },
    ]);
    const { el } = await mount(set);
    const field = await until(() => $$(el, 'label').find((l) => l.textContent?.includes('Evidence for')), 'the "Evidence for" field');
    const select = field.querySelector('select')!;
    // A done milestone needs no more evidence: only the open one is offered.
    expect([...select.options].map((o) => o.textContent?.trim())).to.deep.equal(['No milestone', 'First reviewed PR']);
    await expectAccessible(el);
    select.value = roadmap.milestones[1]!.id;
    select.dispatchEvent(new Event('change'));
    type(el, 'Reviewed my first PR');
    $<HTMLButtonElement>(el, 'button[type=submit]').click();
    await until(() => articlesWith(el, 'Reviewed my first PR').some((a) => !a.classList.contains('post--pending')), 'posted');
    const [stored] = (await world.admin.posts.list({ roomId: set.room.id, limit: 10 })).items;
    expect(stored?.milestoneId).to.equal(roadmap.milestones[1]!.id);
    // The post says which milestone it is evidence for, by title, from its one stored link.
    await until(() => articlesWith(el, 'Reviewed my first PR')[0]?.textContent?.includes('Evidence for: First reviewed PR'), 'the milestone named on the post');
    await expectAccessible(el);
    // The host can make it a link to the milestone on its own page.
    el.milestoneHref = (m) => `/roadmap#${m.id}`;
    const link = await until(() => articlesWith(el, 'Reviewed my first PR')[0]?.querySelector<HTMLAnchorElement>('a[part~=milestone-link]'), 'the milestone link');
    expect(link.getAttribute('href')).to.equal(`/roadmap#${roadmap.milestones[1]!.id}`);
    expect(link.textContent?.trim()).to.equal('Evidence for: First reviewed PR');
    await expectAccessible(el);
  });

  it('shows the composer only where the person may post: not to a mentor reading a mentee thread', async () => {
    const set = await world.newRoom();
    const [post] = await feedOf(set, 1, set.mentee);
    const threadId = post!.threadId;
    let { el } = await mount(set, set.mentor, { 'thread-id': threadId });
    expect($$(el, 'article').length).to.equal(1);
    // Give the composer every chance to appear (it checks the thread's author asynchronously).
    for (let i = 0; i < 10; i += 1) await new Promise((r) => requestAnimationFrame(r));
    expect($$(el, 'form[part~=composer]').length, 'a composer that can only fail with 403').to.equal(0);
    await expectAccessible(el);
    document.body.replaceChildren();
    ({ el } = await mount(set, set.mentee, { 'thread-id': threadId }));
    await until(() => $$(el, 'form[part~=composer]').length === 1, "the author's composer");
  });

  it('always shows who can read a post, also in a narrow container', async () => {
    const set = await world.newRoom();
    await world.postAs(set.mentor, set.room.id, 'For the whole organization', { audience: 'org' });
    const narrow = document.createElement('div');
    narrow.style.inlineSize = '300px';
    document.body.append(narrow);
    const { el } = await mountAs<MenteoThreadFeed>(world, set.mentee, 'menteo-thread-feed', { 'room-id': set.room.id }, { container: narrow });
    const badge = await until(() => $$(el, '.post__header .badge')[0], 'the audience badge');
    await until(() => badge.getBoundingClientRect().width > 0, 'the badge laid out');
    expect(getComputedStyle(badge).display).not.to.equal('none');
    expect(badge.textContent).to.contain('Everyone in the organization');
    await expectAccessible(el);
  });

  it('gives each article of a one-author feed its own accessible name', async () => {
    const set = await world.newRoom();
    await world.postAs(set.mentor, set.room.id, 'Pairing on **ownership** today');
    await world.postAs(set.mentor, set.room.id, 'Read about code review etiquette');
    await world.postAs(set.mentor, set.room.id, 'Shipped the migration');
    const { el } = await mount(set);
    const names = $$(el, 'article').map(articleName);
    expect(names.length).to.equal(3);
    expect(new Set(names).size, names.join(' | ')).to.equal(3);
    expect(names[0]).to.contain('Max Mentor');
    expect(names[0]).to.contain('Shipped the migration');
    expect(names[2]).to.contain('Pairing on ownership today');
  });

  it('lets the author delete a post from the keyboard, only after confirming, then focuses the next post', async function () {
    // Many keyboard steps, each a round trip to the browser driver.
    this.timeout(30_000);
    const set = await world.newRoom();
    const posts = await feedOf(set, 3, set.mentee);
    await world.postAs(set.mentor, set.room.id, "The mentor's post");
    const { el } = await mount(set);
    // Only the author's posts offer "Delete".
    const authored = $$(el, 'article').filter((a) => a.querySelector('[part~=delete-button]'));
    expect(authored.length).to.equal(3);
    expect(articlesWith(el, "The mentor's post")[0]!.querySelector('[part~=delete-button]')).to.equal(null);
    const second = articlesWith(el, 'Post number 2')[0]!;
    const del = () => second.querySelector<HTMLButtonElement>('[part~=delete-button]')!;
    del().focus();
    await sendKeys({ press: 'Enter' });
    // The confirmation opens on "Keep it": a second Enter keeps the post.
    await until(() => deepActiveElement()?.textContent?.trim() === 'Keep it', 'focus on Keep it');
    expect(second.querySelector('[part~=delete-confirm]')?.getAttribute('role')).to.equal('group');
    await expectAccessible(el);
    await sendKeys({ press: 'Enter' });
    await until(() => deepActiveElement() === del(), 'focus back on Delete');
    expect((await serverPosts(set.room.id)).length).to.equal(4);
    // Escape also backs out.
    await sendKeys({ press: 'Enter' });
    await until(() => deepActiveElement()?.textContent?.trim() === 'Keep it', 'confirmation again');
    await sendKeys({ press: 'Escape' });
    await until(() => deepActiveElement() === del(), 'Escape keeps it');
    // Deliberately: open, Tab to "Delete post", Enter.
    let deleted: Post | undefined;
    el.addEventListener('menteo-post-delete', (e) => (deleted = e.post), { once: true });
    await sendKeys({ press: 'Enter' });
    await until(() => deepActiveElement()?.textContent?.trim() === 'Keep it', 'confirmation a third time');
    await sendKeys({ press: 'Tab' });
    expect(deepActiveElement()?.textContent?.trim()).to.equal('Delete post');
    await sendKeys({ press: 'Enter' });
    await until(() => deleted, 'menteo-post-delete');
    expect(deleted?.id).to.equal(posts[1]!.id);
    await until(() => articlesWith(el, 'Post number 2').length === 0, 'the post gone');
    expect((await serverPosts(set.room.id)).map((p) => p.id)).not.to.include(posts[1]!.id);
    // Focus moves to the post that took its place, not to the page.
    await until(() => deepActiveElement()?.localName === 'article' && deepActiveElement()?.textContent?.includes('Post number 1'), 'focus on the next post');
    expect($(part(el, 'menteo-post-list'), '[data-announcer=polite]').textContent).to.contain('deleted');
    await expectAccessible(el);
  });
});

describe('<menteo-thread-feed> focus after each action (issue 9)', () => {
  it('puts focus back in the composer after posting with the keyboard', async () => {
    const set = await world.newRoom();
    const { el } = await mount(set);
    const textarea = $<HTMLTextAreaElement>(el, 'textarea');
    textarea.focus();
    await sendKeys({ type: 'Learned about flame graphs' });
    $<HTMLButtonElement>(el, 'button[type=submit]').focus();
    await sendKeys({ press: 'Enter' });
    await until(() => articlesWith(el, 'Learned about flame graphs').some((a) => !a.classList.contains('post--pending')), 'posted');
    await until(() => deepActiveElement() === $(el, 'textarea'), 'focus in the composer');
  });

  it('keeps focus on a reaction button after reacting, and on the comment box after commenting', async () => {
    const set = await world.newRoom();
    await feedOf(set, 1);
    const { el } = await mount(set);
    const applause = $<HTMLButtonElement>(el, 'button.reaction');
    applause.focus();
    await sendKeys({ press: 'Enter' });
    await until(() => applause.getAttribute('aria-pressed') === 'true' && !applause.disabled, 'reaction saved');
    await until(() => deepActiveElement() === applause, 'focus on the reaction button');
    $<HTMLButtonElement>(el, 'button[aria-controls]').click();
    const input = await until(() => $$<HTMLTextAreaElement>(el, '.comment-form textarea')[0], 'the comment box');
    input.focus();
    await sendKeys({ type: 'Nice one' });
    await sendKeys({ press: 'Tab' });
    expect(deepActiveElement()?.textContent?.trim()).to.equal('Comment');
    await sendKeys({ press: 'Enter' });
    await until(() => $$(el, '.comment').length === 1, 'the comment');
    await until(() => deepActiveElement() === $(el, '.comment-form textarea'), 'focus in the comment box');
    // The live copy of the comment can arrive before the POST's answer; the typed text is kept
    // until the server acknowledged it, then cleared.
    await until(() => $<HTMLTextAreaElement>(el, '.comment-form textarea').value === '', 'the comment box cleared once acknowledged');
  });
});

describe('<menteo-thread-feed> reactions of two people (issue 9)', () => {
  it("keeps the reader's reaction pressed when someone else reacts, and a second press takes it back", async () => {
    const set = await world.newRoom();
    const [post] = await feedOf(set, 1);
    const { el } = await mountLive(set);
    const applause = () => $$<HTMLButtonElement>(el, 'button.reaction')[0]!;
    applause().focus();
    await sendKeys({ press: 'Enter' });
    await until(() => applause().getAttribute('aria-pressed') === 'true' && !applause().disabled, 'reaction saved');
    // The mentor reacts: the post.updated event says mine: false for every reaction.
    await world.as(set.mentor).posts.reactions.add(post!.id, 'applause');
    await until(() => applause().getAttribute('aria-label') === 'Applause: 2', "the mentor's reaction counted");
    expect(applause().getAttribute('aria-pressed')).to.equal('true');
    await world.as(set.mentor).posts.reactions.add(post!.id, 'insight');
    await until(() => $$<HTMLButtonElement>(el, 'button.reaction')[1]!.getAttribute('aria-label') === 'Insightful: 1', 'another kind');
    expect(applause().getAttribute('aria-pressed')).to.equal('true');
    // Pressed again, it is taken back (not added a second time).
    applause().click();
    await until(() => applause().getAttribute('aria-pressed') === 'false' && !applause().disabled, 'taken back');
    const stored = (await world.admin.posts.get(post!.id)).reactions.find((r) => r.kind === 'applause');
    expect(stored?.count).to.equal(1);
    await expectAccessible(el);
  });
});

describe('<menteo-thread-feed> reflow, text spacing and forced colors (issue 9)', () => {
  afterEach(async () => {
    await forcedColors(false);
    await resetViewport();
  });

  it('clips no text under the WCAG 1.4.12 text-spacing override at 320 px, and does not scroll sideways', async () => {
    await viewport(320);
    const set = await world.newRoom();
    const thread = await world.as(set.mentor).threads.create({ title: 'Becoming a confident reviewer of distributed systems designs', roomId: set.room.id });
    await world.as(set.mentor).threads.posts.create(thread.id, { body: 'A long week of reviews', audience: 'org' });
    const { el } = await mount(set);
    await until(() => $$(el, 'article').length === 1, 'the post');
    const removers = shadowHosts(el).map((h) => applyTextSpacing(h));
    try {
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      const clipped = shadowHosts(el).flatMap((h) => clippedText(h));
      expect(clipped, clipped.join('\n')).to.deep.equal([]);
      const wide = shadowHosts(el).flatMap((h) => overflowingPage(h));
      expect(wide, wide.join('\n')).to.deep.equal([]);
      expect($(el, '.post__meta').textContent).to.contain('Becoming a confident reviewer');
    } finally {
      for (const remove of removers) remove();
    }
    await expectAccessible(el);
  });

  it('draws a focus indicator in forced-colors mode on posts, reactions, comments, delete and the composer', async () => {
    const set = await world.newRoom();
    await feedOf(set, 1, set.mentee);
    const { el } = await mount(set);
    await forcedColors(true);
    const targets = [
      $(el, 'article'),
      $(el, 'button.reaction'),
      $(el, 'button[aria-controls]'),
      $(el, '[part~=delete-button]'),
      $(el, 'textarea'),
      $(el, 'button[type=submit]'),
    ];
    const problems: string[] = [];
    for (const t of targets) {
      const problem = await focusIndicatorProblem(t);
      if (problem) problems.push(problem);
    }
    expect(problems, problems.join('\n')).to.deep.equal([]);
  });
});
