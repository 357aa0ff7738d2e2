// What the examples' Chromium smoke tests share (the React and Vue examples import it too): a
// seeded demo Menteo and the example's host page (server.mjs), Debian's Chromium started by us
// and stopped by its pid if closing hangs, and the checks every example makes: the widgets show
// the room's data, and a message someone else sends arrives live.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserServer, type Page } from 'playwright-core';
import { startWithDemo } from '../server.mjs';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];
/** How long one expected thing may take to show before the test says what is missing. */
export const WAIT = 15_000;

type Running = Awaited<ReturnType<typeof startWithDemo>>;

/** The running world of one smoke test; `close()` stops everything it started, also after a failure. */
export interface Smoke {
  running: Running;
  page: Page;
  /** Console errors and page errors seen so far. */
  problems: string[];
  close(): Promise<void>;
}

/** Starts the demo, the host serving `publicDir` (or the CDN page), and Chromium on the page at `path`. */
export async function startSmoke(publicDir?: string, path = '/'): Promise<Smoke> {
  const dir = mkdtempSync(join(tmpdir(), 'menteo-example-'));
  let running: Running | undefined;
  let server: BrowserServer | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close().catch(() => undefined);
    // Chromium has been seen to hang on close on a loaded machine: stop our own process by its id.
    const pid = server?.process().pid;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const closed = await Promise.race([
      (server?.close() ?? Promise.resolve()).then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), 10_000);
      }),
    ]);
    clearTimeout(timer);
    if (!closed && pid !== undefined) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    await running?.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    running = await startWithDemo({ dir, publicDir, log: () => {} });
    server = await chromium.launchServer({ executablePath: CHROMIUM, args: ARGS, headless: true, timeout: 60_000 });
    browser = await chromium.connect(server.wsEndpoint());
    const page = await (await browser.newContext()).newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${running.hostUrl}${path}`);
    return { running, page, problems, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Text of the page's widgets that say something went wrong, for failure messages. */
async function shownErrors(page: Page): Promise<string> {
  const texts = await page.locator('.state--error, .error-text, [role="alert"]').allInnerTexts().catch(() => []);
  return [...new Set(texts.map((t) => t.trim()).filter(Boolean))].join(' | ');
}

/** Waits until `page` shows `text` inside `selector`, or fails saying what the page showed instead. */
export async function expectText(smoke: Smoke, selector: string, text: string, what: string): Promise<void> {
  try {
    await smoke.page.locator(selector).getByText(text).first().waitFor({ timeout: WAIT });
  } catch {
    assert.fail(`${what}: "${text}" not shown in ${selector} within ${WAIT / 1000} s; widgets say: ${await shownErrors(smoke.page)}; console: ${smoke.problems.join(' | ')}`);
  }
}

/**
 * The checks every example makes: the room widget shows the room's title and conversation, the
 * feed shows posts, and a message another member sends arrives live in the room.
 */
export async function expectLiveWidgets(smoke: Smoke): Promise<void> {
  const { admin } = smoke.running;
  // The room the host page shows (server.mjs: Sam's first active room) and another member of it.
  const sam = (await admin.people.list({ externalId: 'hr-sam', limit: 1 })).items[0];
  assert.ok(sam, 'the demo has Sam');
  const listed = (await admin.rooms.list({ memberId: sam.id, status: 'active', limit: 1 })).items[0];
  assert.ok(listed, 'Sam has an active room');
  const room = await admin.rooms.get(listed.id);
  const other = room.members.find((m) => m.person.id !== sam.id)?.person;
  assert.ok(other, 'Sam\'s room has another member');

  await expectText(smoke, 'menteo-room', room.title, 'the room widget');
  const feed = smoke.page.locator('menteo-thread-feed');
  await feed.locator('article').first().waitFor({ timeout: WAIT }).catch(async () => {
    assert.fail(`the feed shows no post within ${WAIT / 1000} s; widgets say: ${await shownErrors(smoke.page)}`);
  });

  // Live: the message is sent through the API, not the page; only the live stream can bring it.
  const text = `Live from ${other.displayName} ${Date.now()}`;
  await admin.rooms.messages.create(room.id, { body: text }, { actAs: other.id });
  await expectText(smoke, 'menteo-room', text, 'a live message');
}

/** Sends a message from the page's room composer, as the person would. */
export async function sendMessage(smoke: Smoke, text: string): Promise<void> {
  const room = smoke.page.locator('menteo-room');
  await room.locator('textarea').first().fill(text);
  await room.getByRole('button', { name: 'Send' }).click();
}
