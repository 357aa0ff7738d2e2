// The no-build page in Chromium: index.html loads the CDN build and nothing else, renders the
// widgets against a running Menteo, receives a live message, and hears a widget event.
import { after, before, describe, it } from 'node:test';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CHROMIUM, expectLiveWidgets, expectText, sendMessage, startSmoke, type Smoke } from './smoke.js';

const bundle = fileURLToPath(new URL('../../../packages/elements/dist/cdn/menteo.js', import.meta.url));

describe('examples/cdn: one HTML file, the CDN build, no build step', { skip: !existsSync(CHROMIUM) && `no Chromium at ${CHROMIUM}`, timeout: 90_000 }, () => {
  let smoke: Smoke | undefined;
  before(async () => {
    if (!existsSync(bundle)) throw new Error(`the CDN build is missing at ${bundle}: run \`npm run build\` at the root first`);
    smoke = await startSmoke();
  });
  after(async () => {
    await smoke?.close();
  });

  it('shows the room and posts, and a message sent elsewhere arrives live', async () => {
    await expectLiveWidgets(smoke!);
  });

  it('hears the widget event on the page', async () => {
    await sendMessage(smoke!, 'Sent from the CDN page');
    await expectText(smoke!, '#events', 'You said: Sent from the CDN page', 'the page\'s menteo-message-create listener');
  });
});
