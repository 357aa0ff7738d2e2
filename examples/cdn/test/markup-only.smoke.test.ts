// Markup only in Chromium: markup-only.html configures the provider with attributes alone
// (base-url, session-url), against a running Menteo and the host backend of server.mjs. It signs
// in through session-url, shows live data, asks session-url again when Menteo refuses a token,
// and a provider with no way to a secret says so (console and widget) without sending anything.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CHROMIUM, expectLiveWidgets, expectText, sendMessage, startSmoke, WAIT, type Smoke } from './smoke.js';

const bundle = fileURLToPath(new URL('../../../packages/elements/dist/cdn/menteo.js', import.meta.url));
const SESSION_PATH = '/api/menteo/client-secret';

/** Counts the page's requests to its session-url from now on. */
function countSessionAsks(smoke: Smoke): { readonly count: number } {
  const counter = { count: 0 };
  smoke.page.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === SESSION_PATH) counter.count += 1;
  });
  return counter;
}

describe('examples/cdn: markup only (session-url), no script of the page', { skip: !existsSync(CHROMIUM) && `no Chromium at ${CHROMIUM}`, timeout: 120_000 }, () => {
  let smoke: Smoke | undefined;
  before(async () => {
    if (!existsSync(bundle)) throw new Error(`the CDN build is missing at ${bundle}: run \`npm run build\` at the root first`);
    smoke = await startSmoke(undefined, '/markup-only.html');
  });
  after(async () => {
    await smoke?.close();
  });

  it('has no script but the bundle', async () => {
    const html = await (await fetch(`${smoke!.running.hostUrl}/markup-only.html`)).text();
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.equal(scripts.length, 1, html);
    assert.match(scripts[0]![1]!, /src="\/cdn\/menteo\.js"/);
    assert.equal(scripts[0]![2]!.trim(), '');
    assert.match(html, /session-url="\/api\/menteo\/client-secret"/);
  });

  it('signs in through session-url and shows live data', async () => {
    await expectLiveWidgets(smoke!);
    // The browser's own record of the page's first requests: the provider asked session-url.
    const asked = await smoke!.page.evaluate((path) => performance.getEntriesByType('resource').some((e) => new URL(e.name).pathname === path), SESSION_PATH);
    assert.ok(asked, 'the provider asked session-url');
  });

  it('asks session-url again when Menteo refuses its token', async () => {
    const { page, running } = smoke!;
    const asks = countSessionAsks(smoke!);
    // Fault injection: Menteo answers the next message post 401, as for an expired or revoked token.
    let refused = 0;
    await page.route(`${running.demo.menteoUrl}/v1/rooms/*/messages`, async (route) => {
      if (route.request().method() !== 'POST' || refused > 0) return route.continue();
      refused += 1;
      await route.fulfill({
        status: 401,
        contentType: 'application/problem+json',
        headers: { 'access-control-allow-origin': running.hostUrl, 'access-control-expose-headers': '*' },
        body: JSON.stringify({ type: 'about:blank', title: 'Unauthenticated', status: 401, code: 'unauthenticated', detail: 'The access token has expired.', requestId: 'fault' }),
      });
    });
    await sendMessage(smoke!, 'Sent after a refused token');
    await expectText(smoke!, 'menteo-room', 'Sent after a refused token', 'the message, sent with a fresh secret');
    assert.equal(refused, 1, 'the fault answered once');
    assert.equal(asks.count, 1, 'one fresh secret came from session-url');
    await page.unroute(`${running.demo.menteoUrl}/v1/rooms/*/messages`);
  });

  it('without a clientSecret function or session-url, says so in the console and the widget, and sends nothing', async () => {
    const { running } = smoke!;
    const menteoUrl = running.demo.menteoUrl;
    // A page of its own, so requests still in flight from the first page cannot be counted here.
    const page = await smoke!.page.context().newPage();
    const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>No secret</title><script type="module" src="/cdn/menteo.js"></script></head>
<body><menteo-provider base-url="${menteoUrl}"><menteo-room room-id="room_01J00000000000000000000000"></menteo-room></menteo-provider></body></html>`;
    await page.route(`${running.hostUrl}/no-secret.html`, (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: html }));
    const requests: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => requests.push(`${r.method()} ${r.url()}`));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(`${running.hostUrl}/no-secret.html`);
    const state = page.locator('menteo-room .state--error');
    await state.waitFor({ timeout: WAIT });
    assert.match(await state.innerText(), /not set up to sign in/);
    assert.equal(await page.locator('menteo-room .state--loading').count(), 0);
    assert.ok(errors.some((e) => e.includes('session-url') && e.includes('clientSecret')), `console: ${errors.join(' | ')}`);
    // Only the page and the bundle's modules: nothing to Menteo, nothing POSTed.
    assert.deepEqual(requests.filter((r) => r.includes(menteoUrl) || r.startsWith('POST')), [], requests.join('\n'));
  });
});
