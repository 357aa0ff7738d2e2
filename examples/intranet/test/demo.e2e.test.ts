// The demo, end to end, in Debian's Chromium: the intranet page under its strict CSP, two
// people in two tabs, a post written from the keyboard arriving live in the other tab, and no
// accessibility violation reported by axe on the whole page.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';
import { startDemo } from '../demo-lib.mjs';

const require = createRequire(import.meta.url);
const CHROMIUM_ARGS = ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

describe('the demo intranet', () => {
  const dir = mkdtempSync(join(tmpdir(), 'menteo-demo-'));
  let demo: Awaited<ReturnType<typeof startDemo>>;
  let browser: Browser;
  const problems: string[] = [];

  const watch = (page: Page, who: string) => {
    page.on('console', (m: ConsoleMessage) => {
      if (m.type() === 'error') problems.push(`${who}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`${who}: ${e.message}`));
  };

  before(async () => {
    demo = await startDemo({ dir, port: 0, intranetPort: 0, fresh: true, log: () => {} });
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });

  after(async () => {
    await browser?.close();
    await demo?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the three widgets with seeded data, and a post typed by Sam arrives live in Priya’s tab', async () => {
    const sam = await (await browser.newContext()).newPage();
    const priya = await (await browser.newContext()).newPage();
    watch(sam, 'sam');
    watch(priya, 'priya');
    await sam.goto(`${demo.intranetUrl}/`);
    await priya.goto(`${demo.intranetUrl}/?as=priya`);

    for (const page of [sam, priya]) {
      await page.locator('menteo-room').getByRole('heading', { name: 'Platform engineering: Priya × Sam' }).waitFor();
      await page.locator('menteo-roadmap').getByText('Own the notifications service').first().waitFor();
      await page.locator('menteo-thread-feed').locator('article').first().waitFor();
    }

    const text = `Live from the e2e test ${Date.now()}: <script>alert(1)</script> stays text`;
    const composer = sam.locator('menteo-thread-feed').locator('textarea').first();
    await composer.click();
    await sam.keyboard.type(text);
    await sam.keyboard.press('Control+Enter');
    await sam.locator('menteo-thread-feed').locator('article', { hasText: text }).waitFor();

    // The reader's position is kept: a new post may wait behind a "new posts" button.
    const feed = priya.locator('menteo-thread-feed');
    const arrived = feed.locator('article', { hasText: text });
    const newPosts = feed.locator('[part~="new-posts-button"]');
    await Promise.race([arrived.waitFor({ timeout: 15_000 }), newPosts.waitFor({ timeout: 15_000 })]);
    if (!(await arrived.count())) await newPosts.click();
    await arrived.waitFor();
    // Markup in a post is shown as text, never run.
    assert.equal(await feed.locator('article script').count(), 0);

    assert.deepEqual(problems, [], 'no console error, page error or CSP violation');
  });

  it('passes axe on the whole page with every widget rendered', async () => {
    // axe is injected as a script, which the page's own CSP forbids; this context bypasses CSP
    // for the audit only (the first test keeps CSP on and checks it is never violated).
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${demo.intranetUrl}/`);
    await page.locator('menteo-thread-feed').locator('article').first().waitFor();
    await page.locator('menteo-roadmap').getByText('Own the notifications service').first().waitFor();
    await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> } }).axe;
      const result = await axe.run(document, { resultTypes: ['violations'] });
      return result.violations.map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target))}`);
    });
    assert.deepEqual(violations, []);
    await context.close();
  });

  it('opens the program console for the admin from the intranet: signed in, secret gone from the URL, no token stored, health shown', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    watch(page, 'console');
    const missing: string[] = [];
    page.on('response', (r) => {
      if (r.status() >= 400) missing.push(`${r.status()} ${r.url()}`);
    });
    await page.goto(`${demo.intranetUrl}/console`);
    await page.getByText('Signed in as Amara Okafor').waitFor();
    assert.equal(new URL(page.url()).pathname, '/admin');
    assert.equal(new URL(page.url()).hash, '', 'the single-use secret is removed from the address bar');
    const console = page.locator('menteo-admin-console');
    await console.getByRole('navigation', { name: 'Admin sections' }).waitFor();
    // The seeded program's health, numbers and reasons only.
    const health = console.locator('menteo-admin-health');
    await health.getByRole('heading', { name: 'Milestone funnel' }).waitFor();
    await health.getByText('Numbers and reasons only').waitFor();
    const storage = await page.evaluate(() => [localStorage.length, sessionStorage.length, document.cookie]);
    assert.deepEqual(storage, [0, 0, ''], 'no token in storage');
    await context.close();
    assert.deepEqual(missing, []);
    assert.deepEqual(problems.filter((p) => p.startsWith('console:')), []);
  });
});
