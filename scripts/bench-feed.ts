/**
 * `npm run bench:feed`: `<menteo-thread-feed>` over a thread of 10,000 posts, in Debian's
 * Chromium, against the real server, loaded from the CDN bundle as a host page would. Prints
 * the time from data to first paint, the DOM nodes alive once every post is loaded, and frame
 * times while scrolling to the end; and the same page with a plain list rendering every post
 * (no windowing) measured in the same run, as the baseline.
 *
 *   npm run bench:feed                10,000 posts
 *   npm run bench:feed -- --posts 2000
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { dataset, type Dataset } from './bench-dataset.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const arg = (name: string) => process.argv[process.argv.indexOf(name) + 1];
const POSTS = process.argv.includes('--posts') ? Number(arg('--posts')) : 10_000;
const PAGE_SIZE = 100;
const AIM = { firstPaintMs: 50, nodes: 1500, p95FrameMs: 16.7 };
const bundle = join(root, 'packages/elements/dist/cdn/menteo.js');
const serverMain = join(root, 'packages/server/dist/main.js');
if (!existsSync(bundle) || !existsSync(serverMain)) {
  console.error('bench:feed: build first (npm run build)');
  process.exit(1);
}

function startServer(ds: Dataset): Promise<{ url: string; proc: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [serverMain], { env: { ...process.env, PORT: '0', MENTEO_DB: ds.dbPath, MENTEO_RATE_LIMIT: 'off' }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/[\d.]+:\d+)/.exec(out);
      if (m) resolve({ url: m[1]!, proc });
    });
    proc.once('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
}

/** The measuring script, run in the page: rAF timestamps, resource timing, DOM counts. */
const PROBE = `
window.__bench = { frames: [], firstPaint: null, dataAt: null };
const feed = document.querySelector('[data-bench]');
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) if (e.name.includes('/posts') && window.__bench.dataAt === null) window.__bench.dataAt = e.responseEnd;
}).observe({ type: 'resource', buffered: true });
let last = 0;
function frame(ts) {
  if (last) window.__bench.frames.push(ts - last);
  last = ts;
  if (window.__bench.firstPaint === null && window.__deepQuery('article')) {
    // The frame in which the first post exists; the next frame starts once it was painted.
    requestAnimationFrame((painted) => { window.__bench.firstPaint = painted; });
    window.__bench.firstPaint = -1;
  }
  requestAnimationFrame(frame);
}
requestAnimationFrame(frame);
// The feed's posts sit in the shadow roots of its parts (<menteo-post-list>, <menteo-post>).
window.__deepQuery = (selector) => {
  const visit = (root) => {
    const hit = root.querySelector(selector);
    if (hit) return hit;
    for (const el of root.querySelectorAll('*')) if (el.shadowRoot) { const found = visit(el.shadowRoot); if (found) return found; }
    return null;
  };
  return visit(feed.shadowRoot ?? feed);
};
window.__countNodes = () => {
  let n = 0;
  const walk = (node) => { for (const el of node.querySelectorAll('*')) { n++; if (el.shadowRoot) walk(el.shadowRoot); } };
  walk(feed.shadowRoot ?? feed);
  return n + 1;
};
`;


function page(apiUrl: string, threadId: string, mode: 'menteo' | 'naive'): string {
  const feed =
    mode === 'menteo'
      ? `<menteo-provider id="p" base-url="${apiUrl}"><menteo-thread-feed data-bench thread-id="${threadId}" page-size="${PAGE_SIZE}" no-composer label="Benchmark feed"></menteo-thread-feed></menteo-provider>`
      : `<ol data-bench aria-label="Naive feed"></ol>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bench:feed</title>
<script type="module" src="/menteo.js"></script><script type="module" src="/setup.js"></script></head>
<body><main style="max-width:42rem;margin:0 auto">${feed}</main></body></html>`;
}

async function main() {
  const ds = await dataset(POSTS);
  const api = await startServer(ds);
  let host: Server | undefined;
  try {
    let mode: 'menteo' | 'naive' = 'menteo';
    host = createServer(async (req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/') return void res.writeHead(200, { 'content-type': 'text/html' }).end(page(api.url, ds.threadId, mode));
      if (url.pathname === '/menteo.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(bundle));
      if (url.pathname === '/setup.js') {
        const setup =
          mode === 'menteo'
            ? `document.getElementById('p').clientSecret = () => fetch('/secret', { method: 'POST' }).then((r) => r.json()).then((j) => j.clientSecret);\n${PROBE}`
            : `${PROBE}
               const ol = document.querySelector('[data-bench]');
               const secret = await fetch('/secret', { method: 'POST' }).then((r) => r.json());
               const token = await fetch('${api.url}/v1/tokens', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ clientSecret: secret.clientSecret }) }).then((r) => r.json());
               let cursor = null;
               do {
                 const q = new URLSearchParams({ limit: '${PAGE_SIZE}' }); if (cursor) q.set('cursor', cursor);
                 const page = await fetch('${api.url}/v1/threads/${ds.threadId}/posts?' + q, { headers: { authorization: 'Bearer ' + token.accessToken } }).then((r) => r.json());
                 for (const p of page.items) { const li = document.createElement('li'); const a = document.createElement('article'); a.setAttribute('aria-setsize', '-1'); const h = document.createElement('h3'); h.textContent = p.author.displayName; const b = document.createElement('p'); b.textContent = p.body; a.append(h, b); li.append(a); ol.append(li); }
                 cursor = page.nextCursor;
               } while (cursor);
               ol.lastElementChild.firstElementChild.setAttribute('aria-setsize', String(ol.children.length));`;
        return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(setup);
      }
      if (url.pathname === '/secret' && req.method === 'POST') {
        const r = await fetch(`${api.url}/v1/embed-sessions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${ds.apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ personId: ds.personId }),
        });
        return void res.writeHead(r.status, { 'content-type': 'application/json' }).end(await r.text());
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => host!.listen(0, '127.0.0.1', () => r()));
    const origin = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
    await fetch(`${api.url}/v1/organization`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${ds.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ allowedOrigins: [origin] }),
    });

    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
    const results: { name: string; firstPaint: number; nodes: number; p50: number; p95: number; max: number; seconds: number }[] = [];
    try {
      for (const m of ['menteo', 'naive'] as const) {
        mode = m;
        const tab = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        await tab.goto(origin);
        await tab.waitForFunction(() => (window as unknown as { __bench: { firstPaint: number | null } }).__bench.firstPaint! > 0, null, { timeout: 60_000 });
        const { firstPaint, dataAt } = await tab.evaluate(() => (window as unknown as { __bench: { firstPaint: number; dataAt: number } }).__bench);
        await tab.evaluate(() => { (window as unknown as { __bench: { frames: number[] } }).__bench.frames = []; });
        const started = Date.now();
        // Scroll as a reader would, with the wheel, until the last post is loaded and shown.
        const done = () =>
          tab.evaluate((total) => {
            const deepQuery = (window as unknown as { __deepQuery: (selector: string) => Element | null }).__deepQuery;
            return !!deepQuery(`article[aria-setsize="${total}"]`) && window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 2;
          }, POSTS);
        while (!(await done())) {
          await tab.mouse.move(640, 450);
          await tab.mouse.wheel(0, 2400);
          await tab.waitForTimeout(16);
          if (Date.now() - started > 600_000) throw new Error('scrolling to the end took over 10 minutes');
        }
        const seconds = (Date.now() - started) / 1000;
        const frames = await tab.evaluate(() => (window as unknown as { __bench: { frames: number[] } }).__bench.frames);
        const nodes = await tab.evaluate(() => (window as unknown as { __countNodes: () => number }).__countNodes());
        const sorted = [...frames].sort((a, b) => a - b);
        const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
        results.push({ name: m === 'menteo' ? '<menteo-thread-feed> (windowed)' : 'baseline: plain list of every post', firstPaint: firstPaint - dataAt, nodes, p50: q(0.5), p95: q(0.95), max: sorted.at(-1) ?? 0, seconds });
        await tab.close();
      }
    } finally {
      await browser.close();
    }
    console.log(`\n${POSTS.toLocaleString('en')} posts, pages of ${PAGE_SIZE}, Chromium headless 1280×900, real server on loopback\n`);
    console.log('page'.padEnd(38) + 'data→paint'.padStart(12) + 'DOM nodes'.padStart(11) + 'frame p50'.padStart(11) + 'frame p95'.padStart(11) + 'frame max'.padStart(11) + '  scroll to end');
    for (const r of results) {
      console.log(r.name.padEnd(38) + `${r.firstPaint.toFixed(1)} ms`.padStart(12) + String(r.nodes).padStart(11) + `${r.p50.toFixed(1)} ms`.padStart(11) + `${r.p95.toFixed(1)} ms`.padStart(11) + `${r.max.toFixed(1)} ms`.padStart(11) + `  ${r.seconds.toFixed(1)} s`);
    }
    const feed = results[0]!;
    console.log(`
data → first paint   ${feed.firstPaint.toFixed(1)} ms   aim ≤ ${AIM.firstPaintMs} ms   ${feed.firstPaint <= AIM.firstPaintMs ? 'met' : 'MISSED'}
DOM nodes alive      ${feed.nodes}   aim ≤ ${AIM.nodes}   ${feed.nodes <= AIM.nodes ? 'met' : 'MISSED'}
frame p95 scrolling  ${feed.p95.toFixed(1)} ms   aim ≤ ${AIM.p95FrameMs} ms   ${feed.p95 <= AIM.p95FrameMs ? 'met' : 'MISSED'}`);
  } finally {
    host?.close();
    api.proc.kill('SIGTERM');
  }
}

await main();
