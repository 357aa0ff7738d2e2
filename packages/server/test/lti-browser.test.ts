// An LTI launch in real Chromium with the REAL widgets: the CDN build of @menteo/elements
// (`rollup -c rollup.config.mjs`, served from a CDN-like origin of its own), the REAL server with
// integrations, and the emulated LMS framing the tool from another site. The widgets on the
// launch page must sign in (POST /v1/tokens from Menteo's own origin) and show the room's data,
// with no set-up beyond registering the platform: the organization's origin allow-list names
// only its intranet.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { serve } from '@hono/node-server';
import type { LtiPlatform, LtiToolConfig, Room } from '@menteo/api';
import { chromium, type Browser, type BrowserServer } from 'playwright-core';
import { freePort, LEARNER, startLtiWorld, type LtiWorld } from './support/lti.js';
import { expectStatus, person } from './support/world.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];
const CDN_DIR = fileURLToPath(new URL('../../elements/dist/cdn/', import.meta.url));
const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.map': 'application/json' };

/** Serves the CDN build as a CDN does: any origin may load the modules (CORS), nothing else. */
async function serveCdn(): Promise<{ url: string; close(): Promise<void> }> {
  const port = await freePort();
  const server = serve({
    port,
    hostname: '127.0.0.1',
    fetch: (request: Request) => {
      const path = normalize(join(CDN_DIR, decodeURIComponent(new URL(request.url).pathname)));
      if (!path.startsWith(CDN_DIR.endsWith(sep) ? CDN_DIR : CDN_DIR + sep) || !existsSync(path)) return new Response('not found', { status: 404 });
      return new Response(readFileSync(path), { headers: { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream', 'access-control-allow-origin': '*' } });
    },
  });
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
    }),
  };
}

const bundleBuilt = existsSync(join(CDN_DIR, 'menteo.js'));

// A browser that stops answering must fail the suite, not hold CI until its own time limit.
describe('LTI launch page with the real widgets in Chromium', { skip: !existsSync(CHROMIUM) && 'no Chromium at /usr/bin/chromium', timeout: 120_000 }, () => {
  let world: LtiWorld;
  let cdn: { url: string; close(): Promise<void> };
  let browserServer: BrowserServer | undefined;
  let browser: Browser | undefined;
  let room: Room;

  before(async () => {
    assert.ok(bundleBuilt, `the CDN build is missing at ${CDN_DIR}menteo.js: run \`npm run build\` (tsc -b, then rollup -c rollup.config.mjs) first`);
    cdn = await serveCdn();
    // The tool on localhost, the LMS on 127.0.0.1: two sites, as in production.
    world = await startLtiWorld(undefined, { host: 'localhost', integrations: { widgetsScriptUrl: `${cdn.url}/menteo.js` } });
    const { server, platform } = world;
    const registered = await server.call<LtiPlatform>('POST', '/v1/integrations/lti/platforms', {
      body: { issuer: platform.issuer, clientId: 'browser-client', deploymentIds: ['dep-browser'], authLoginUrl: platform.urls.auth, authTokenUrl: platform.urls.token, jwksUrl: platform.urls.jwks },
    });
    expectStatus(registered, 201);
    const config = await server.call<LtiToolConfig>('GET', '/v1/integrations/lti/config');
    // The platform's server fetches the tool's keys over loopback IPv4 (Node may try ::1 for localhost).
    platform.addTool({ clientId: 'browser-client', deploymentId: 'dep-browser', loginUrl: config.body.loginUrl, launchUrl: config.body.launchUrl, jwksUrl: config.body.jwksUrl.replace('localhost', '127.0.0.1') });

    const mentor = await person(server, 'Mia Mentor', ['mentor']);
    const r = await server.call<Room>('POST', '/v1/rooms', { body: { title: 'Course circle in Chromium', purpose: 'Mentoring inside the LMS course', members: [{ personId: mentor.id, role: 'mentor' }] } });
    expectStatus(r, 201);
    room = r.body;
    expectStatus(await server.call('POST', `/v1/rooms/${room.id}/messages`, { actAs: mentor.id, body: { body: 'Welcome to the course circle, everyone.' } }), 201);

    browserServer = await chromium.launchServer({ executablePath: CHROMIUM, args: ARGS, headless: true, timeout: 60_000 });
    browser = await chromium.connect(browserServer.wsEndpoint());
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    // Chromium has been seen to hang on close on a loaded machine: stop our own process by its id.
    const pid = browserServer?.process().pid;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const closed = await Promise.race([
      (browserServer?.close() ?? Promise.resolve()).then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), 15_000);
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
    await world?.close();
    await cdn?.close();
  });

  it('signs the launched learner in and shows the room, with no origin set up for the LMS page', async () => {
    assert.ok(browser);
    const { platform } = world;
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const consoleErrors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') consoleErrors.push(m.text());
      });
      const start = platform.startLaunch({ user: LEARNER, contextId: 'course-browser', custom: { menteo_room_id: room.id } }, { clientId: 'browser-client' });
      await page.goto(`${world.platform.issuer}/course/${encodeURIComponent(start)}`);
      const frame = page.frameLocator('#tool');
      const title = frame.locator('menteo-room h2');
      const problem = frame.locator('menteo-room [role="alert"]');
      // Whichever comes first: the room's title, or the widget's error.
      await Promise.race([title.waitFor({ timeout: 30_000 }), problem.first().waitFor({ timeout: 30_000 })]).catch(() => undefined);
      const shown = await frame.locator('menteo-room').evaluate((el) => el.shadowRoot?.textContent?.replace(/\s+/g, ' ').trim() ?? '').catch((e: unknown) => `no widget: ${String(e)}`);
      assert.doesNotMatch(shown, /permission/i, `the widget could not sign in: ${shown} | console: ${consoleErrors.join(' | ')}`);
      assert.equal(await title.textContent({ timeout: 5_000 }), 'Course circle in Chromium', `${shown} | console: ${consoleErrors.join(' | ')}`);
      // Data behind the sign-in: the conversation and the learner's own membership.
      await frame.locator('menteo-room').getByText('Welcome to the course circle, everyone.').waitFor({ timeout: 15_000 });
      await frame.locator('menteo-room').getByText('Lea Learner').first().waitFor({ timeout: 15_000 });
    } finally {
      await context.close();
    }
  });
});
