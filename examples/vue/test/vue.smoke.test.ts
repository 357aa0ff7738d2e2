// The Vue 3 app in Chromium (built by `vite build` before this runs): the elements used as native
// custom elements render against a running Menteo, a message sent elsewhere arrives live, and a
// widget event reaches the `@menteo-message-create` listener.
import { after, before, describe, it } from 'node:test';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CHROMIUM, expectLiveWidgets, expectText, sendMessage, startSmoke, type Smoke } from '../../cdn/test/smoke.js';
import { publicDir } from '../server.mjs';

describe('examples/vue: Vue 3 with the elements as custom elements', { skip: !existsSync(CHROMIUM) && `no Chromium at ${CHROMIUM}`, timeout: 90_000 }, () => {
  let smoke: Smoke | undefined;
  before(async () => {
    if (!existsSync(join(publicDir, 'index.html'))) throw new Error('dist/ is missing: run `vite build` first');
    smoke = await startSmoke(publicDir);
  });
  after(async () => {
    await smoke?.close();
  });

  it('shows the room, roadmap and posts, and a message sent elsewhere arrives live', async () => {
    await expectLiveWidgets(smoke!);
    await smoke!.page.locator('menteo-roadmap li').first().waitFor({ timeout: 15_000 });
  });

  it('passes the widget event to the Vue listener (@menteo-message-create)', async () => {
    await sendMessage(smoke!, 'Sent from Vue');
    await expectText(smoke!, '#events', 'You said: Sent from Vue', 'the Vue state updated by the event listener');
  });
});
