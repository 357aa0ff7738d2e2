#!/usr/bin/env node
// Takes the theming guide's pictures (docs/theming/*.png) in real Chromium: the roadmap widget of
// the seeded demo, rendered by the CDN build against the real server, with the default tokens,
// with customized tokens and parts, and in dark mode. The PNGs are committed (together about
// 200 KB; cut at 560 px, which keeps the timeline's lanes), so building the site needs neither a
// server nor a browser; run this again when the widgets' look changes, after `npm run build`.
//
// Usage: node scripts/docs-screenshots.mjs
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startWithDemo } from '../examples/cdn/server.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(root, 'docs/theming');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/**
 * The CSS of each picture, exactly as docs/theming.md shows it. `default` sets nothing; `custom`
 * sets tokens on an ancestor and restyles parts; `dark` forces the dark scheme with the provider's
 * `theme` attribute (set by the page from `?theme=`).
 */
export const VARIANTS = {
  default: { theme: 'light', css: '' },
  custom: {
    theme: 'light',
    css: `.brand {
  --menteo-color-accent: #b4235a;
  --menteo-color-surface: #fff8f0;
  --menteo-radius: 2px;
  --menteo-font-family: Georgia, 'DejaVu Serif', serif;
}
.brand menteo-roadmap::part(header) {
  border-bottom: 3px double #b4235a;
}
.brand menteo-roadmap::part(milestone) {
  border-left: 4px solid #b4235a;
  box-shadow: none;
}`,
  },
  dark: { theme: 'dark', css: '' },
};

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Theming</title>
    <script type="module" src="/cdn/menteo.js"></script>
    <script type="module">
      const params = new URLSearchParams(location.search);
      const provider = document.querySelector('menteo-provider');
      provider.theme = params.get('theme') ?? 'light';
      const style = document.createElement('style');
      style.textContent = params.get('css') ?? '';
      document.head.append(style);
      provider.clientSecret = async () => (await (await fetch('/api/menteo/client-secret', { method: 'POST' })).json()).clientSecret;
    </script>
    <style>
      body { margin: 0; padding: 16px; font-family: system-ui, sans-serif; }
      body.dark { background: #111; }
    </style>
  </head>
  <body>
    <div class="brand">
      <menteo-provider base-url="{{MENTEO_URL}}">
        <menteo-roadmap roadmap-id="{{ROADMAP_ID}}" readonly></menteo-roadmap>
      </menteo-provider>
    </div>
  </body>
</html>
`;

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'menteo-shots-'));
  const publicDir = join(dir, 'public');
  mkdirSync(publicDir);
  writeFileSync(join(publicDir, 'index.html'), PAGE);
  mkdirSync(OUT, { recursive: true });
  let running;
  let server;
  try {
    running = await startWithDemo({ dir, publicDir, log: () => {} });
    server = await chromium.launchServer({ executablePath: CHROMIUM, args: ARGS, headless: true, timeout: 60_000 });
    const browser = await chromium.connect(server.wsEndpoint());
    for (const [name, { theme, css }] of Object.entries(VARIANTS)) {
      const context = await browser.newContext({ viewport: { width: 720, height: 900 }, colorScheme: theme === 'dark' ? 'dark' : 'light' });
      const page = await context.newPage();
      await page.goto(`${running.hostUrl}/?${new URLSearchParams({ theme, css })}`);
      if (theme === 'dark') await page.evaluate(() => document.body.classList.add('dark'));
      const roadmap = page.locator('menteo-roadmap');
      await roadmap.locator('[part~="milestone"]').first().waitFor({ timeout: 20_000 });
      // Fonts and the progress bar's transition settle.
      await page.waitForTimeout(500);
      const box = await roadmap.boundingBox();
      if (!box) throw new Error('the roadmap has no box');
      const file = join(OUT, `roadmap-${name}.png`);
      await page.screenshot({ path: file, clip: { x: box.x, y: box.y, width: box.width, height: Math.min(box.height, 560) } });
      console.log(`docs-screenshots: ${file.slice(root.length)} ${statSync(file).size} bytes`);
      await context.close();
    }
    await browser.close();
  } finally {
    // Stop our own Chromium by its pid if closing hangs, then the demo servers.
    const pid = server?.process().pid;
    let timer;
    await Promise.race([server?.close(), new Promise((r) => (timer = setTimeout(r, 10_000)))]);
    clearTimeout(timer);
    if (pid) {
      try {
        process.kill(pid, 0);
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    await running?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
