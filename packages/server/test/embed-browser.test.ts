// A signed embed URL in real Chromium with the REAL widgets (the CDN build of @menteo/elements,
// served from a CDN-like origin of its own) and the REAL server: a host page on another loopback
// origin frames the URL its backend signed, and the widget shows the room with live data. A page
// on an origin the organization does not allow is refused by frame-ancestors.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { serve } from '@hono/node-server';
import type { CreatedEmbedKey, Person, Room } from '@menteo/api';
import { chromium, type Browser, type BrowserServer } from 'playwright-core';
import { signEmbedUrl } from '../src/index.js';
import { freePort } from './support/lti.js';
import { startServer, type TestServer } from './support/server.js';
import { expectStatus, person } from './support/world.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];
const CDN_DIR = fileURLToPath(new URL('../../elements/dist/cdn/', import.meta.url));
const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.map': 'application/json' };

interface Served { url: string; close(): Promise<void> }

/** Serves `fetch` on a loopback port of `host`. */
async function serveOn(host: string, fetch: (request: Request) => Response | Promise<Response>): Promise<Served> {
  const port = await freePort();
  const server = serve({ port, hostname: '127.0.0.1', fetch });
  return {
    url: `http://${host}:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
    }),
  };
}

/** The CDN build, as a CDN serves it: any origin may load the modules. */
function cdnFetch(request: Request): Response {
  const path = normalize(join(CDN_DIR, decodeURIComponent(new URL(request.url).pathname)));
  if (!path.startsWith(CDN_DIR.endsWith(sep) ? CDN_DIR : CDN_DIR + sep) || !existsSync(path)) return new Response('not found', { status: 404 });
  return new Response(readFileSync(path), { headers: { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream', 'access-control-allow-origin': '*' } });
}

/** A host page whose backend signs a fresh embed URL on every view, as docs/embedding.md shows. */
function hostPage(sign: () => Promise<string>): (request: Request) => Promise<Response> {
  return async () => {
    const url = await sign();
    const escaped = url.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
    return new Response(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Intranet</title></head>
<body><h1>Our intranet</h1><iframe id="menteo" title="Mentoring" src="${escaped}" width="800" height="600"></iframe></body></html>`, { headers: { 'content-type': 'text/html; charset=utf-8' } });
  };
}

describe('signed embed URL in a cross-origin frame, in Chromium', { skip: !existsSync(CHROMIUM) && 'no Chromium at /usr/bin/chromium', timeout: 120_000 }, () => {
  let server: TestServer;
  let cdn: Served;
  let allowedHost: Served;
  let foreignHost: Served;
  let browserServer: BrowserServer | undefined;
  let browser: Browser | undefined;
  let room: Room;
  let mentor: Person;

  before(async () => {
    assert.ok(existsSync(join(CDN_DIR, 'menteo.js')), `the CDN build is missing at ${CDN_DIR}menteo.js: run \`npm run build\` (tsc -b, then rollup -c rollup.config.mjs) first`);
    cdn = await serveOn('127.0.0.1', cdnFetch);
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    server = await startServer({ port, integrations: { publicUrl, widgetsScriptUrl: `${cdn.url}/menteo.js` } });
    const key = await server.call<CreatedEmbedKey>('POST', '/v1/embed/keys', { body: { label: 'intranet' } });
    expectStatus(key, 201);
    mentor = await person(server, 'Mia Mentor', ['mentor']);
    const m = await server.call<Person>('POST', '/v1/people', { body: { displayName: 'Tom Mentee', externalId: 'hr-tom' } });
    expectStatus(m, 201);
    const r = await server.call<Room>('POST', '/v1/rooms', { body: { title: 'Framed circle', purpose: 'Mentoring inside the intranet', members: [{ personId: mentor.id, role: 'mentor' }, { personId: m.body.id, role: 'mentee' }] } });
    expectStatus(r, 201);
    room = r.body;
    expectStatus(await server.call('POST', `/v1/rooms/${room.id}/messages`, { actAs: mentor.id, body: { body: 'Welcome to the framed circle.' } }), 201);

    const sign = () => signEmbedUrl({ secret: key.body.secret, baseUrl: publicUrl, component: 'room', person: 'hr-tom', roomIds: [room.id] });
    // Two other sites than Menteo's: localhost (allowed) and 127.0.0.1 on another port (not allowed).
    allowedHost = await serveOn('localhost', hostPage(sign));
    foreignHost = await serveOn('127.0.0.1', hostPage(sign));
    expectStatus(await server.call('PATCH', '/v1/organization', { body: { allowedOrigins: ['https://intranet.acme.test', allowedHost.url] } }), 200);

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
    await allowedHost?.close();
    await foreignHost?.close();
    await server?.close();
    await cdn?.close();
  });

  it('renders the room with live data in a frame on an allowed origin, with nothing stored', async () => {
    assert.ok(browser);
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const consoleErrors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') consoleErrors.push(m.text());
      });
      await page.goto(`${allowedHost.url}/`);
      const frame = page.frameLocator('#menteo');
      const title = frame.locator('menteo-room h2');
      await Promise.race([title.waitFor({ timeout: 30_000 }), frame.locator('menteo-room [role="alert"]').first().waitFor({ timeout: 30_000 })]).catch(() => undefined);
      const shown = await frame.locator('menteo-room').evaluate((el) => el.shadowRoot?.textContent?.replace(/\s+/g, ' ').trim() ?? '').catch((e: unknown) => `no widget: ${String(e)}`);
      assert.equal(await title.textContent({ timeout: 5_000 }), 'Framed circle', `${shown} | console: ${consoleErrors.join(' | ')}`);
      await frame.locator('menteo-room').getByText('Welcome to the framed circle.').waitFor({ timeout: 15_000 });
      // Live: a message sent through the API reaches the framed widget.
      const live = `Live into the frame ${Date.now()}`;
      expectStatus(await server.call('POST', `/v1/rooms/${room.id}/messages`, { actAs: mentor.id, body: { body: live } }), 201);
      await frame.locator('menteo-room').getByText(live).waitFor({ timeout: 15_000 });
      // The session stayed in memory: nothing in the frame's storage, no token in its URL.
      const menteoFrame = page.frames().find((f) => f.url().includes('/embed/room'));
      assert.ok(menteoFrame);
      // A third-party frame may be denied storage altogether (then nothing can be in it either).
      const stored = await menteoFrame.evaluate(() => {
        let text = document.cookie + location.hash;
        for (const name of ['localStorage', 'sessionStorage'] as const) {
          try {
            text += JSON.stringify({ ...window[name] });
          } catch {
            // Denied: nothing there either.
          }
        }
        return text;
      });
      assert.doesNotMatch(stored, /mcs_|mat_|mep_/);
      assert.ok(menteoFrame.url().includes('token='), 'the frame was opened by the signed URL (spent: it cannot open again)');
    } finally {
      await context.close();
    }
  });

  it('is refused by frame-ancestors on an origin the organization does not allow', async () => {
    assert.ok(browser);
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const messages: string[] = [];
      page.on('console', (m) => messages.push(m.text()));
      const embedAnswer = page.waitForResponse((r) => r.url().includes('/embed/room'), { timeout: 30_000 });
      await page.goto(`${foreignHost.url}/`);
      // The server answered the page (with its CSP); the browser refused to show it.
      const answer = await embedAnswer;
      assert.equal(answer.status(), 200);
      assert.match((await answer.allHeaders())['content-security-policy'] ?? '', new RegExp(`frame-ancestors https://intranet\\.acme\\.test ${allowedHost.url.replace(/[.:/]/g, '\\$&')}(;|$)`));
      const deadline = Date.now() + 15_000;
      while (!messages.some((m) => m.includes('frame-ancestors')) && Date.now() < deadline) await page.waitForTimeout(100);
      assert.ok(messages.some((m) => m.includes('frame-ancestors')), `Chromium did not report the frame-ancestors refusal: ${messages.join(' | ')}`);
      assert.equal(await page.frameLocator('#menteo').locator('menteo-room').count(), 0, 'no widget rendered in the foreign frame');
    } finally {
      await context.close();
    }
  });
});
