// The LMS example in Chromium: `startLms()` (what `npm start` runs), a learner's launch from the
// emulated course page into the framed tool, the room's data shown by the real widgets (CDN
// build), and a message the mentor sends afterwards arriving live in the frame.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type BrowserServer } from 'playwright-core';
import { COURSE_ROOM_TITLE, LEARNER, startLms, WELCOME, type RunningLms } from '../lms.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];
const WAIT = 15_000;

describe('examples/lms: an LTI 1.3 launch from the emulated course', { skip: !existsSync(CHROMIUM) && `no Chromium at ${CHROMIUM}`, timeout: 90_000 }, () => {
  let lms: RunningLms | undefined;
  let server: BrowserServer | undefined;
  let browser: Browser | undefined;

  before(async () => {
    lms = await startLms();
    server = await chromium.launchServer({ executablePath: CHROMIUM, args: ARGS, headless: true, timeout: 60_000 });
    browser = await chromium.connect(server.wsEndpoint());
  });

  after(async () => {
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
    await lms?.close();
  });

  /** The room widget inside the LMS frame, and a wait that says what the frame showed instead. */
  async function openCourse() {
    assert.ok(browser && lms);
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    await page.goto(lms.courseUrl);
    const room = page.frameLocator('#tool').locator('menteo-room');
    const expectShown = async (text: string, what: string) => {
      try {
        await room.getByText(text).first().waitFor({ timeout: WAIT });
      } catch {
        const shown = await room.evaluate((el) => el.shadowRoot?.textContent?.replace(/\s+/g, ' ').trim() ?? '').catch((e: unknown) => `no widget: ${String(e)}`);
        assert.fail(`${what}: "${text}" not shown within ${WAIT / 1000} s; the frame shows: ${shown.slice(0, 300)}; console: ${problems.join(' | ')}`);
      }
    };
    return { page, expectShown };
  }

  it('launches the learner into the course room and shows its data', async () => {
    const { page, expectShown } = await openCourse();
    try {
      await expectShown(COURSE_ROOM_TITLE, 'the room widget in the LMS frame');
      await expectShown(WELCOME, 'the room\'s conversation');
      await expectShown(LEARNER.name, 'the launched learner, a member now');
    } finally {
      await page.close();
    }
  });

  // In a cross-site frame Chromium denies Web Locks (SecurityError): the client then keeps a
  // connection of its own instead of waiting for a lock it will never get. The message is written
  // as soon as the conversation shows, whether or not the frame's live stream has opened yet: the
  // room subscribes from where its load stands, so it is replayed if it came first.
  it('receives a message the mentor sends afterwards, live', async () => {
    assert.ok(lms);
    const { page, expectShown } = await openCourse();
    try {
      await expectShown(WELCOME, 'the room\'s conversation');
      const text = `Live from the mentor ${Date.now()}`;
      await lms.admin.rooms.messages.create(lms.roomId, { body: text }, { actAs: lms.mentorId });
      await expectShown(text, 'a live message');
    } finally {
      await page.close();
    }
  });
});
