// What the multiplicity suites share: the demo started as `npm run demo` starts it (real server
// over plain HTTP/1.1, real CDN build), Debian's Chromium, and small page helpers that wait on
// behaviour (something shown) with bounded waits and say what did not happen.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type ConsoleMessage, type Locator, type Page } from 'playwright-core';
import { startDemo } from '../demo-lib.mjs';

export const CHROMIUM_ARGS = ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/** How long one expected thing may take to show before the test says what is missing. */
export const WAIT = 20_000;

export type Demo = Awaited<ReturnType<typeof startDemo>>;

/** A fresh seeded demo and a browser; `close()` stops both (call it from `after`, also on failure). */
export async function startWorld(): Promise<{ demo: Demo; browser: Browser; problems: string[]; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'menteo-e2e-'));
  let demo: Demo | undefined;
  let browser: Browser | undefined;
  try {
    demo = await startDemo({ dir, port: 0, intranetPort: 0, fresh: true, log: () => {} });
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  } catch (error) {
    await demo?.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const started = { demo, browser };
  return {
    ...started,
    problems: [],
    async close() {
      // A Chromium stuck on close must not hold the suite forever.
      await Promise.race([started.browser.close(), new Promise((r) => setTimeout(r, 15_000).unref())]);
      await started.demo.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Records console errors, page errors and CSP violations of `page` into `problems`. */
export function watch(page: Page, who: string, problems: string[]): void {
  page.on('console', (m: ConsoleMessage) => {
    if (m.type() === 'error') problems.push(`${who}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`${who}: ${e.message}`));
}

/** Waits for `locator`, failing with `what` (and the page's widget errors) instead of a bare timeout. */
export async function expectShown(locator: Locator, what: string, timeout = WAIT): Promise<void> {
  try {
    await locator.waitFor({ timeout });
  } catch {
    const errors = await widgetErrors(locator.page());
    assert.fail(`${what}: not shown within ${timeout / 1000} s${errors.length ? `; the page shows: ${errors.join(' | ')}` : ''}`);
  }
}

/** The error messages the widgets on `page` show (error states and composer errors). */
export async function widgetErrors(page: Page): Promise<string[]> {
  const texts = await page.locator('.state--error, .error-text').allInnerTexts();
  return [...new Set(texts.map((t) => t.trim()).filter(Boolean))];
}

/** Fails when any widget on `page` says Menteo could not be reached (the symptom of starved connections). */
export async function expectReachable(page: Page, who: string): Promise<void> {
  const unreachable = (await widgetErrors(page)).filter((t) => /could not be reached/i.test(t));
  assert.deepEqual(unreachable, [], `${who}: a widget says Menteo could not be reached`);
}

/**
 * Waits until a post with `text` is in `feed`. A live arrival may wait behind the "new posts"
 * button (the reader's position is kept); the button is pressed when it shows up. The feed keeps
 * only the posts near the viewport in the DOM, so what it holds is read from its public
 * `loadedPosts` rather than from the rendered articles.
 */
export async function expectPost(feed: Locator, text: string, what: string): Promise<void> {
  const newPosts = feed.locator('[part~="new-posts-button"]');
  const holds = () => feed.evaluate((el, t) => (el as HTMLElement & { loadedPosts: { body: string }[] }).loadedPosts.some((p) => p.body === t), text);
  const deadline = Date.now() + WAIT;
  while (!(await holds())) {
    if (await newPosts.isVisible()) await newPosts.click();
    else if (Date.now() > deadline) assert.fail(`${what}: the post "${text}" did not arrive within ${WAIT / 1000} s`);
    else await new Promise((r) => setTimeout(r, 100));
  }
}

/** Sends a message with the room widget's composer and waits until the server acknowledged it. */
export async function sendMessage(room: Locator, text: string, who: string): Promise<void> {
  const textarea = room.locator('textarea').first();
  await expectShown(textarea, `${who}: the room's composer`);
  await textarea.fill(text);
  await room.getByRole('button', { name: 'Send' }).click();
  // Acknowledged: the message is no longer the optimistic "Sending…" copy.
  const acknowledged = room.locator('.message:not(.message--pending)', { hasText: text });
  try {
    await acknowledged.waitFor({ timeout: WAIT });
  } catch {
    const errors = await room.locator('.error-text').allInnerTexts();
    assert.fail(`${who}: the message "${text}" was not acknowledged within ${WAIT / 1000} s${errors.join('').trim() ? `; the composer says: ${errors.join(' ').trim()}` : ''}`);
  }
}

/** Publishes a post with the feed's composer and waits until the server acknowledged it. */
export async function publishPost(feed: Locator, text: string, who: string): Promise<void> {
  const textarea = feed.locator('textarea[part~="composer-input"]');
  await expectShown(textarea, `${who}: the feed's composer`);
  await textarea.fill(text);
  await feed.locator('[part~="post-button"]').click();
  const acknowledged = feed.locator('article[aria-busy="false"]', { hasText: text });
  try {
    await acknowledged.waitFor({ timeout: WAIT });
  } catch {
    const errors = await feed.locator('.error-text').allInnerTexts();
    assert.fail(`${who}: the post "${text}" was not acknowledged within ${WAIT / 1000} s${errors.join('').trim() ? `; the composer says: ${errors.join(' ').trim()}` : ''}`);
  }
}

/**
 * Emulates the tab being hidden or shown again. Headless Chromium reports every tab as visible
 * (there is no window to switch away from), so the page's `visibilityState` is overridden and
 * `visibilitychange` dispatched, exactly what the browser does on a tab switch.
 */
export async function setHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate((h) => {
    Object.defineProperty(document, 'visibilityState', { value: h ? 'hidden' : 'visible', configurable: true });
    Object.defineProperty(document, 'hidden', { value: h, configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}
