// Six tabs of the demo in ONE Chromium profile (one browser context), three signed in as Sam and
// three as Priya, over plain HTTP/1.1: Chromium gives a host 6 connections across all tabs of a
// profile, so widgets that each held a stream of their own starved every API call from the third
// tab on. Every tab must load its widgets, stay live (what one tab writes shows in the others, of
// both people) and write; a hidden tab stops receiving and catches up when shown again.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { expectPost, expectReachable, expectShown, publishPost, sendMessage, setHidden, startWorld, watch, type Demo } from './e2e-support.js';

interface Tab {
  page: Page;
  who: 'sam' | 'priya';
  name: string;
}

describe('six tabs of the demo in one browser profile', () => {
  let world: Awaited<ReturnType<typeof startWorld>>;
  let demo: Demo;
  let browser: Browser;
  let context: BrowserContext;
  const tabs: Tab[] = [];
  const open = new Set<Request>();
  let mostOpen = 0;

  before(async () => {
    world = await startWorld();
    ({ demo, browser } = world);
    context = await browser.newContext();
    // Live connections open at once, across every tab of the profile: one per person is the aim.
    context.on('request', (r) => {
      if (r.method() !== 'POST' || new URL(r.url()).pathname !== '/v1/live') return;
      open.add(r);
      mostOpen = Math.max(mostOpen, open.size);
    });
    const done = (r: Request) => open.delete(r);
    context.on('requestfinished', done);
    context.on('requestfailed', done);
  });

  after(async () => {
    await context?.close().catch(() => undefined);
    await world?.close();
  });

  const room = (t: Tab) => t.page.locator('menteo-room');
  const feed = (t: Tab) => t.page.locator('menteo-thread-feed');

  it('loads the room, the roadmap and the feed in every tab', { timeout: 300_000 }, async () => {
    for (let i = 0; i < 6; i++) {
      const who = i % 2 === 0 ? 'sam' : 'priya';
      const name = `tab ${i + 1} (${who})`;
      const page = await context.newPage();
      watch(page, name, world.problems);
      await page.goto(`${demo.intranetUrl}/${who === 'priya' ? '?as=priya' : ''}`);
      tabs.push({ page, who, name });
      await expectShown(page.locator('menteo-room').getByRole('heading', { name: 'Platform engineering: Priya × Sam' }), `${name}: the room`);
      await expectShown(page.locator('menteo-roadmap').getByText('Own the notifications service').first(), `${name}: the roadmap`);
      await expectShown(page.locator('menteo-thread-feed').locator('article').first(), `${name}: the feed`);
      // Headless tabs are all visible; a hidden one would pause its widgets and prove nothing.
      assert.equal(await page.evaluate(() => document.visibilityState), 'visible', `${name} is visible`);
    }
  });

  it('writes from every tab, and every message arrives live in every tab of both people', { timeout: 300_000 }, async () => {
    assert.equal(tabs.length, 6, 'the six tabs are open');
    const stamp = Date.now();
    const texts = tabs.map((t) => `Message from ${t.name} ${stamp}`);
    for (const [i, t] of tabs.entries()) await sendMessage(room(t), texts[i]!, t.name);
    for (const t of tabs) {
      for (const text of texts) {
        await expectShown(room(t).locator('.message', { hasText: text }), `${t.name}: the message "${text}"`);
      }
    }
    for (const t of tabs) await expectReachable(t.page, t.name);
  });

  it('publishes a post from every tab, and each arrives in every feed', { timeout: 300_000 }, async () => {
    const stamp = Date.now();
    const posted: string[] = [];
    for (const t of tabs) {
      const text = `Post from ${t.name} ${stamp}`;
      await publishPost(feed(t), text, t.name);
      posted.push(text);
    }
    for (const t of tabs) {
      for (const text of posted) await expectPost(feed(t), text, t.name);
    }
    for (const t of tabs) await expectReachable(t.page, t.name);
  });

  it('a hidden tab receives nothing until shown, then catches up; the other tabs stay live', { timeout: 300_000 }, async () => {
    // The first Priya tab: the one most likely to hold the shared connection for her tabs.
    const hidden = tabs[1]!;
    const writer = tabs[0]!;
    await setHidden(hidden.page, true);
    const text = `While ${hidden.name} was hidden ${Date.now()}`;
    await sendMessage(room(writer), text, writer.name);
    for (const t of tabs.filter((x) => x !== hidden)) {
      await expectShown(room(t).locator('.message', { hasText: text }), `${t.name} (visible): the message "${text}"`);
    }
    // Every visible tab has it by now, Priya's other two included: the hidden one must not.
    assert.equal(await room(hidden).locator('.message', { hasText: text }).count(), 0, `${hidden.name} received while hidden`);
    await setHidden(hidden.page, false);
    await expectShown(room(hidden).locator('.message', { hasText: text }), `${hidden.name}, shown again: the missed message`);
    // And it is live again afterwards.
    const after = `After ${hidden.name} came back ${Date.now()}`;
    await sendMessage(room(tabs[2]!), after, tabs[2]!.name);
    await expectShown(room(hidden).locator('.message', { hasText: after }), `${hidden.name}: a message written after it came back`);
  });

  it('held at most one live connection per person across the six tabs (the tabs share it)', (t) => {
    t.diagnostic(`live connections open at once, at most: ${mostOpen} (six tabs, two people)`);
    assert.ok(mostOpen >= 1, 'a live connection was opened');
    assert.ok(mostOpen <= 2, `${mostOpen} live connections were open at once for two people`);
  });

  it('when the first two Sam tabs close, the third takes over his connection and stays live', { timeout: 120_000 }, async (t) => {
    // The first tab opened is the one that took the connection; closing it hands it over.
    const [first, , second, , third] = tabs;
    const samPages = new Set([first!.page, second!.page, third!.page]);
    const holder = [...open].map((r) => r.frame().page()).find((p) => samPages.has(p));
    assert.ok(holder, 'one of Sam’s tabs holds his live connection');
    await first!.page.close();
    await second!.page.close();
    const text = `After two of Sam's tabs closed ${Date.now()}`;
    await sendMessage(room(tabs[3]!), text, tabs[3]!.name);
    await expectShown(room(third!).locator('.message', { hasText: text }), `${third!.name}: a message written after the other Sam tabs closed`);
    await sendMessage(room(third!), `${text}, answered`, third!.name);
    await expectShown(room(tabs[5]!).locator('.message', { hasText: `${text}, answered` }), `${tabs[5]!.name}: the answer from ${third!.name}`);
    // Sam's connection is now the third tab's own (taken over, unless it held it all along).
    assert.ok([...open].some((r) => r.frame().page() === third!.page), `${third!.name} holds Sam's live connection`);
    t.diagnostic(`Sam's connection was held by tab ${tabs.findIndex((x) => x.page === holder) + 1} before the close`);
  });

  it('logged no console error, page error or CSP violation in any tab', () => {
    assert.deepEqual(world.problems, []);
  });
});
