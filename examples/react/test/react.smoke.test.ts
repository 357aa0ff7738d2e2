// The React 19 app in Chromium (built by `node build.mjs` before this runs): the generated
// wrappers and a plain JSX tag render the widgets against a running Menteo, a message sent
// elsewhere arrives live, and a widget event reaches the React handler.
import { after, before, describe, it } from 'node:test';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CHROMIUM, expectLiveWidgets, expectText, sendMessage, startSmoke, type Smoke } from '../../cdn/test/smoke.js';
import { publicDir } from '../server.mjs';

describe('examples/react: React 19 with the generated wrappers', { skip: !existsSync(CHROMIUM) && `no Chromium at ${CHROMIUM}`, timeout: 90_000 }, () => {
  let smoke: Smoke | undefined;
  before(async () => {
    if (!existsSync(join(publicDir, 'app.js'))) throw new Error('dist/app.js is missing: run `node build.mjs` first');
    smoke = await startSmoke(publicDir);
  });
  after(async () => {
    await smoke?.close();
  });

  it('shows the room, roadmap and posts, and a message sent elsewhere arrives live', async () => {
    await expectLiveWidgets(smoke!);
    // The roadmap is a plain JSX tag: its attribute reached the element.
    await smoke!.page.locator('menteo-roadmap [part~="milestone"], menteo-roadmap li').first().waitFor({ timeout: 15_000 });
  });

  it('passes the widget event to the React handler (onMenteoMessageCreate)', async () => {
    await sendMessage(smoke!, 'Sent from React');
    await expectText(smoke!, '#events', 'You said: Sent from React', 'the React state updated by the wrapper\'s event prop');
  });
});
