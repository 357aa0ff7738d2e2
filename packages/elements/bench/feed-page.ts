/**
 * The page of the feed benchmark: a provider and a feed over an in-memory client holding 10,000
 * posts (pages of 100, as the API serves them). Measures in the page and exposes the figures on
 * `window.__bench` for bench/feed.mjs to read.
 */
import '../src/define/provider.js';
import '../src/define/thread-feed.js';
import type { MenteoProvider } from '../src/provider/provider.js';
import type { MenteoThreadFeed } from '../src/thread-feed/thread-feed.js';
import { FakeClient, makePost, person } from '../src/test-support/fake-client.js';

const N = 10_000;
const ROOM = 'room_00000000000000000000000001';
const authors = ['Ada Lovelace', 'Grace Hopper', 'Linus Torvalds', 'Margaret Hamilton', 'Alan Kay'].map((n) => person(n));
const bodies = [
  'Paired on **error handling** today: the retry logic now honours `Retry-After`.',
  'Read about consistent hashing.\n\n- virtual nodes\n- rebalancing cost\n- hot keys',
  'Blocked on the staging database; asked the platform team. See https://example.com/ticket/42',
  '> Make it work, make it right, make it fast.\n\nStill on step two.',
  'Gave my first design review. Nervous, but the feedback was _kind_ and useful.',
];
const posts = Array.from({ length: N }, (_, i) =>
  makePost(authors[i % authors.length]!, `${bodies[i % bodies.length]!} (#${N - i})`, {
    roomId: ROOM,
    createdAt: new Date(Date.now() - i * 3_600_000).toISOString(),
    reactions: i % 3 === 0 ? [{ kind: 'applause', count: 1 + (i % 7), mine: false }] : [],
    commentCount: i % 4,
  }),
);

interface Figures {
  firstPaintMs: number;
  nodesAtStart: number;
  maxNodes: number;
  loaded: number;
  frames: number[];
  done: boolean;
}
const figures: Figures = { firstPaintMs: 0, nodesAtStart: 0, maxNodes: 0, loaded: 0, frames: [], done: false };
(window as unknown as { __bench: Figures }).__bench = figures;

function nodes(feed: MenteoThreadFeed): number {
  return feed.shadowRoot!.querySelectorAll('*').length + 1;
}

const updateTimes: number[] = [];
(window as unknown as { __updates: number[] }).__updates = updateTimes;

async function main(): Promise<void> {
  // With ?debug, time every Lit update of the feed (render + commit) to tell script cost from
  // layout and paint cost.
  if (location.search.includes('debug')) {
    const Ctor = customElements.get('menteo-thread-feed') as unknown as { prototype: { update(c: unknown): void } };
    const original = Ctor.prototype.update;
    Ctor.prototype.update = function (this: unknown, c: unknown) {
      const t = performance.now();
      original.call(this, c);
      updateTimes.push(performance.now() - t);
    };
  }
  const fake = new FakeClient({ posts });
  const provider = document.createElement('menteo-provider') as MenteoProvider;
  const feed = document.createElement('menteo-thread-feed') as MenteoThreadFeed;
  feed.setAttribute('room-id', ROOM);
  feed.setAttribute('page-size', '100');
  provider.append(feed);
  document.body.append(provider);
  // Data to first paint: from handing the client over to the first frame showing posts.
  const t0 = performance.now();
  provider.client = fake.asClient();
  const marks: Record<string, number> = {};
  void provider.updateComplete.then(() => (marks.provider = performance.now() - t0));
  const mo = new MutationObserver(() => {
    if (!marks.article && feed.shadowRoot?.querySelector('article')) marks.article = performance.now() - t0;
  });
  mo.observe(feed.shadowRoot!, { childList: true, subtree: true });
  (window as unknown as { __marks: unknown }).__marks = marks;
  await new Promise<void>((resolve) => {
    const check = () => (feed.shadowRoot?.querySelector('article') ? resolve() : requestAnimationFrame(check));
    check();
  });
  await new Promise((r) => requestAnimationFrame(() => r(undefined)));
  figures.firstPaintMs = performance.now() - t0;
  figures.nodesAtStart = nodes(feed);

  // Scroll to the end in viewport-sized steps, one per frame, recording frame intervals.
  let last = performance.now();
  while (true) {
    await new Promise((r) => requestAnimationFrame(() => r(undefined)));
    const now = performance.now();
    figures.frames.push(now - last);
    last = now;
    figures.maxNodes = Math.max(figures.maxNodes, nodes(feed));
    figures.loaded = feed.loadedPosts.length;
    const atEnd = window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2;
    if (atEnd && feed.loadedPosts.length >= N && feed.shadowRoot?.querySelector('[data-after-feed]')) break;
    window.scrollBy(0, window.innerHeight);
  }
  figures.done = true;
}

void main();
