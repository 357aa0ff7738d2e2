// Issue 9 on the demo, end to end in Debian's Chromium against the real server and the CDN build:
// Sam's page (mentee) and Priya's page (mentor) show every practice, nothing twice, and reflow
// at 320 and 390 CSS pixels without scrolling sideways. Screenshots go to $MENTEO_SCREENSHOTS
// when it is set (the note describes them).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { expectShown, startWorld, watch, type Demo } from './e2e-support.ts';

const require = createRequire(import.meta.url);
const shots = process.env.MENTEO_SCREENSHOTS;

async function shot(page: Page, name: string): Promise<void> {
  if (shots) await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

/** Elements wider than the page, and the page's own sideways scroll (WCAG 1.4.10). */
async function sideways(page: Page): Promise<{ scroll: number; width: number }> {
  return page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: document.documentElement.clientWidth }));
}

async function axe(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  return page.evaluate(async () => {
    const run = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> } }).axe;
    const result = await run.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target))}`);
  });
}

describe('the demo: every practice for Sam and Priya', () => {
  let world: Awaited<ReturnType<typeof startWorld>>;
  let demo: Demo;
  let browser: Browser;

  before(async () => {
    world = await startWorld();
    ({ demo, browser } = world);
  });
  after(async () => {
    await world?.close();
  });

  it("Sam's page: the room has no Roadmap tab beside the roadmap column; check-ins with their trend, feedback and the learning log are a tab away", async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    watch(page, 'sam', world.problems);
    await page.goto(`${demo.intranetUrl}/`);
    const room = page.locator('menteo-room');
    await expectShown(room.getByRole('heading', { name: 'Platform engineering: Priya × Sam' }), "Sam's room");
    assert.deepEqual(await room.getByRole('tab').allTextContents().then((t) => t.map((s) => s.trim())), ['Conversation', 'Session notes', 'Resources', 'Check-ins', 'Feedback', 'Learning log']);
    assert.equal(await page.locator('menteo-mentor-overview').count(), 0, 'a mentee sees no mentor overview');
    await shot(page, 'sam-page');

    await room.getByRole('tab', { name: 'Check-ins' }).click();
    const history = room.locator('menteo-check-in-history');
    await expectShown(history.getByRole('img'), 'the confidence chart');
    assert.match((await history.locator('figcaption').textContent()) ?? '', /Sam Whitfield: confidence/);
    await expectShown(history.getByText('EU broker not provisioned yet.'), 'a past check-in with its blocker');
    // Sending a check-in from the keyboard leaves focus on the send button, and it joins the history.
    const form = room.locator('menteo-check-in');
    await form.getByLabel('What moved forward since last time?').fill('Queue migration unblocked');
    await form.getByRole('radio').nth(3).check();
    await form.getByRole('button', { name: 'Send check-in' }).focus();
    await page.keyboard.press('Enter');
    await expectShown(history.getByText('Queue migration unblocked'), 'the new check-in in the history');
    assert.equal(await page.evaluate(() => {
      let a: Element | null = document.activeElement;
      while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
      return a?.textContent?.trim();
    }), 'Send check-in');
    await shot(page, 'sam-check-ins');

    await room.getByRole('tab', { name: 'Feedback' }).click();
    await expectShown(room.locator('menteo-feedback-exchange').getByRole('heading', { name: 'What your mentor said' }), 'feedback from the mentor');
    await expectShown(room.locator('menteo-feedback-exchange').getByText('Sam comes prepared'), "Priya's feedback");
    await shot(page, 'sam-feedback');

    await room.getByRole('tab', { name: 'Learning log' }).click();
    await expectShown(room.locator('menteo-learning-log').getByText('Explaining error budgets'), "Priya's learning");
    assert.equal(await room.locator('menteo-learning-log').locator('form').count(), 0, 'a mentee does not write in the mentor’s log');

    await room.getByRole('tab', { name: 'Resources' }).click();
    await expectShown(room.getByText('Share a resource'), 'the share form');
    assert.deepEqual(world.problems, [], 'no console error, page error or CSP violation');
    await context.close();
  });

  it("Priya's page starts with her mentees: each room's state, what needs attention and why", async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    watch(page, 'priya', world.problems);
    await page.goto(`${demo.intranetUrl}/?as=priya`);
    const overview = page.locator('menteo-mentor-overview');
    await expectShown(overview.getByRole('heading', { name: 'Your mentees' }), 'the mentor overview');
    const cards = overview.locator('[part=room]');
    await expectShown(cards.first(), 'a room card');
    const titles = await cards.locator('h3').allTextContents();
    assert.ok(titles.length >= 3, `several rooms: ${titles.join(', ')}`);
    assert.ok(titles.some((t) => t.includes('Priya × Sam')) && titles.some((t) => t.includes('Priya × Zoë')), titles.join(', '));
    assert.equal(titles[0]?.trim(), 'Data platform: Priya × Fatima', 'the room needing most attention first');
    const first = (await cards.first().textContent())?.replace(/\s+/g, ' ') ?? '';
    assert.match(first, /Needs attention/);
    assert.match(first, /How do you decide whether a failed nightly job can wait/);
    assert.match(first, /Draft the runbook for the orders export/);
    assert.match(first, /confidence is falling/);
    await shot(page, 'priya-page');

    const room = page.locator('menteo-room');
    await room.getByRole('tab', { name: 'Feedback' }).click();
    const exchange = room.locator('menteo-feedback-exchange');
    await expectShown(exchange.getByRole('heading', { name: 'What your mentees said about your guidance' }), "the mentor's feedback list");
    await expectShown(exchange.getByText('Tracing a real alert back to user impact'), "Sam's feedback on Priya's guidance");
    await room.getByRole('tab', { name: 'Learning log' }).click();
    await expectShown(room.locator('menteo-learning-log').getByRole('button', { name: 'Add learning' }), 'the learning form for the mentor');
    await room.getByRole('tab', { name: 'Session notes' }).click();
    await expectShown(room.getByText('Write a session note'), 'the note form for the mentor');
    await room.getByRole('tab', { name: 'Check-ins' }).click();
    await expectShown(room.locator('menteo-check-in-history').getByRole('img'), "the mentee's check-in trend");
    await shot(page, 'priya-check-ins');
    assert.deepEqual(world.problems, [], 'no console error, page error or CSP violation');
    await context.close();
  });

  for (const width of [320, 390]) {
    it(`reflows at ${width} px for Sam and Priya: no sideways scrolling`, async () => {
      for (const who of ['sam', 'priya']) {
        const context = await browser.newContext({ viewport: { width, height: 800 } });
        const page = await context.newPage();
        await page.goto(`${demo.intranetUrl}/?as=${who}`);
        await expectShown(page.locator('menteo-room').getByRole('tab').first(), `${who}'s room`);
        if (who === 'priya') await expectShown(page.locator('menteo-mentor-overview').locator('[part=room]').first(), 'the overview');
        const { scroll, width: w } = await sideways(page);
        assert.ok(scroll <= w, `${who} at ${width} px: the page is ${scroll} px wide in a ${w} px viewport`);
        if (width === 320) await shot(page, `${who}-320`);
        await context.close();
      }
    });
  }

  it("passes axe on Priya's page with the overview and the room's practice tabs", async () => {
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    await page.goto(`${demo.intranetUrl}/?as=priya`);
    await expectShown(page.locator('menteo-mentor-overview').locator('[part=room]').first(), 'the overview');
    const room = page.locator('menteo-room');
    await room.getByRole('tab', { name: 'Check-ins' }).click();
    await expectShown(room.locator('menteo-check-in-history').getByRole('img'), 'the chart');
    assert.deepEqual(await axe(page), []);
    await room.getByRole('tab', { name: 'Feedback' }).click();
    await expectShown(room.locator('menteo-feedback-exchange').getByRole('heading', { name: 'Ask for feedback' }), 'the exchange');
    assert.deepEqual(await axe(page), []);
    await context.close();
  });
});
