#!/usr/bin/env node
// bench:feed — the thread feed with 10,000 posts in Debian's Chromium: time from data to first
// paint, DOM nodes alive, and frame times while scrolling to the end (one viewport per frame,
// older pages loading on the way). Prints figures; asserts nothing (aims: ≤ 50 ms, ≤ 1,500
// nodes, p95 frame ≤ 16.7 ms).
import { build } from 'esbuild';
import { createServer } from 'node:http';
import { chromium } from 'playwright-core';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const bundle = await build({
  entryPoints: [`${here}feed-page.ts`],
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  conditions: ['source', 'browser', 'production'],
  define: { 'process.env.NODE_ENV': '"production"' },
  tsconfig: `${here}../tsconfig.test.json`,
  write: false,
  logLevel: 'error',
});
const js = bundle.outputFiles[0].text;
const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<style>body{margin:0 auto;max-width:44rem;padding:1rem;font-family:system-ui}</style></head>
<body><script type="module" src="/feed.js"></script></body></html>`;

const server = createServer((req, res) => {
  if (req.url === '/feed.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
  else res.writeHead(200, { 'content-type': 'text/html' }).end(html);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const { port } = server.address();

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1024, height: 800 } });
  await page.goto(`http://127.0.0.1:${port}/${process.env.BENCH_DEBUG ? '?debug' : ''}`);
  try {
    await page.waitForFunction(() => window.__bench?.done === true, null, { timeout: Number(process.env.BENCH_TIMEOUT ?? 300_000), polling: 500 });
  } catch (error) {
    console.error('bench:feed did not finish; state:', await page.evaluate(() => ({ ...window.__bench, frames: window.__bench.frames.length, y: scrollY, h: document.documentElement.scrollHeight, feed: document.querySelector('menteo-thread-feed')?.shadowRoot?.querySelector('[data-after-feed], .state')?.outerHTML.slice(0, 200) })));
    throw error;
  }
  const f = await page.evaluate(() => window.__bench);
  if (process.env.BENCH_DEBUG) {
    console.log(await page.evaluate(() => window.__marks));
    const raw = await page.evaluate(() => window.__updates);
    console.log('first updates', raw.slice(0, 8).map((x) => x.toFixed(1)).join(' '));
    const u = [...raw].sort((a, b) => a - b);
    console.log('updates', u.length, 'p50', u[u.length >> 1]?.toFixed(2), 'p95', u[Math.floor(u.length * 0.95)]?.toFixed(2), 'total', u.reduce((a, b) => a + b, 0).toFixed(0));
  }
  const frames = f.frames.slice(1).sort((a, b) => a - b);
  const pct = (p) => frames[Math.min(frames.length - 1, Math.floor((p / 100) * frames.length))] ?? 0;
  console.log('bench:feed (10,000 posts, pages of 100, Chromium headless)');
  console.log(`  data to first paint      ${f.firstPaintMs.toFixed(1)} ms   (aim ≤ 50 ms)`);
  console.log(`  DOM nodes at start       ${f.nodesAtStart}`);
  console.log(`  DOM nodes, max scrolling ${f.maxNodes}   (aim ≤ 1,500)`);
  console.log(`  posts loaded at the end  ${f.loaded}`);
  console.log(`  frames while scrolling   ${frames.length}: p50 ${pct(50).toFixed(1)} ms, p95 ${pct(95).toFixed(1)} ms, max ${frames.at(-1)?.toFixed(1)} ms   (aim p95 ≤ 16.7 ms)`);
} finally {
  await browser.close();
  server.close();
}
