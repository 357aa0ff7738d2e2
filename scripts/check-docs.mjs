#!/usr/bin/env node
// The docs site builds and none of its links is broken: VitePress builds the guides (it fails on a
// link to a page that does not exist), typedoc adds the API reference with 0 warnings, and then
// every internal link and `#anchor` of every page (the guides', the element reference's and
// typedoc's) must name a file and an element id of the built site, and every relative link in
// docs/ must name a file of the repository. External links are counted, not fetched: CI has no
// network to spend on them, and a check that fails when someone else's site is down is noise.
//
// Runs as a node:test file (`node --test scripts/check-docs.mjs`), so `npm test` counts it.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { SITE_DIR, buildSite } from './docs-build.mjs';
import { MANIFEST, OUT_DIR, elementsOf } from './docs-elements.mjs';
import { checkMarkdownLinks, checkSite } from './docs-links.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css', '.json': 'application/json', '.png': 'image/png', '.svg': 'image/svg+xml', '.woff2': 'font/woff2' };

/** The built site over HTTP on 127.0.0.1 (a secure context, as service workers need). */
async function serveStatic(dir) {
  const server = createServer((req, res) => {
    let path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (path.endsWith('/')) path += 'index.html';
    const file = join(dir, path);
    if (!file.startsWith(dir)) return void res.writeHead(403).end();
    try {
      const body = readFileSync(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', () => r(undefined)));
  return server;
}

const root = fileURLToPath(new URL('..', import.meta.url));

/** Markdown files under docs/, the site's own folders (.vitepress, .site) left out. */
function docsMarkdown(dir = join(root, 'docs')) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name.startsWith('.') || e.name === 'api') return [];
    const path = join(dir, e.name);
    return e.isDirectory() ? docsMarkdown(path) : e.name.endsWith('.md') ? [path] : [];
  });
}

describe('the link checker itself', () => {
  it('reports a missing page, a missing anchor and a missing asset, and passes good links', () => {
    const dir = mkdtempSync(join(tmpdir(), 'menteo-site-'));
    try {
      mkdirSync(join(dir, 'guide'));
      writeFileSync(join(dir, 'index.html'), '<a href="/guide/a.html#ok">a</a> <a href="guide/a#missing">b</a> <a href="/nope.html">c</a> <img src="/x.png"> <a href="https://example.com/">d</a> <a href="#top" id="top">e</a>');
      writeFileSync(join(dir, 'guide/a.html'), '<h2 id="ok">ok</h2><a href="../">home</a>');
      const r = checkSite(dir);
      assert.deepEqual(r.broken.sort(), [
        'index.html: /nope.html (no such file)',
        'index.html: /x.png (no such file)',
        'index.html: guide/a#missing (no id "missing" in guide/a.html)',
      ]);
      assert.equal(r.external, 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a relative markdown link to a file that does not exist, not one in code', () => {
    const dir = mkdtempSync(join(tmpdir(), 'menteo-md-'));
    try {
      writeFileSync(join(dir, 'there.md'), '# There\n');
      writeFileSync(join(dir, 'a.md'), '[ok](there.md#x) [gone](gone.md) [web](https://example.com) `[code](nope.md)`\n\n```md\n[fenced](nope.md)\n```\n');
      assert.deepEqual(checkMarkdownLinks([join(dir, 'a.md')], dir).broken, ['a.md: gone.md (no such file)']);
      // A link into a generated folder works on the site only.
      mkdirSync(join(dir, 'gen'));
      writeFileSync(join(dir, 'gen/page.md'), '[back](../there.md)\n');
      writeFileSync(join(dir, 'b.md'), '[generated](gen/page.md)\n');
      const files = [join(dir, 'b.md'), join(dir, 'gen/page.md')];
      assert.deepEqual(checkMarkdownLinks(files, dir, { generated: [join(dir, 'gen')] }).broken, ['b.md: gen/page.md (generated at build time: dead on GitHub)']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the docs site', () => {
  it('builds: element reference, VitePress (no dead page link), live example, typedoc (0 warnings)', async () => {
    await buildSite();
  });

  it('has no broken internal link or anchor on any page; external links are not fetched', () => {
    const r = checkSite(SITE_DIR);
    console.log(`check-docs: ${r.pages} pages, ${r.links} internal links (${r.anchors} with an anchor) checked, ${r.broken.length} broken; ${r.external} external links not fetched`);
    assert.ok(r.pages > 100, `only ${r.pages} pages built`);
    assert.deepEqual(r.broken, []);
  });

  it('every relative link in docs/ names a file of the repository, none a generated page', () => {
    const files = docsMarkdown();
    const r = checkMarkdownLinks(files, root, { generated: [OUT_DIR] });
    console.log(`check-docs: ${files.length} markdown files, ${r.links} relative links, ${r.broken.length} broken`);
    assert.deepEqual(r.broken, []);
  });

  it('the element reference has a page for every element of the manifest, with every section', () => {
    const elements = elementsOf(JSON.parse(readFileSync(MANIFEST, 'utf8')));
    assert.ok(elements.length > 10);
    for (const d of elements) {
      const page = readFileSync(join(OUT_DIR, `${d.tagName}.md`), 'utf8');
      for (const section of ['Attributes', 'Properties', 'Events', 'Slots', 'CSS parts', 'CSS custom properties', 'CSS states']) {
        assert.match(page, new RegExp(`^## ${section}$`, 'm'), `${d.tagName}: no ${section} section`);
      }
      for (const a of d.attributes ?? []) assert.ok(page.includes(`| \`${a.name}\` |`), `${d.tagName}: attribute ${a.name} missing`);
      for (const e of d.events ?? []) assert.ok(page.includes(`| \`${e.name}\` |`), `${d.tagName}: event ${e.name} missing`);
      for (const p of d.cssParts ?? []) assert.ok(page.includes(`| \`${p.name}\` |`), `${d.tagName}: part ${p.name} missing`);
      for (const p of d.cssProperties ?? []) assert.ok(page.includes(`| \`${p.name}\` |`), `${d.tagName}: custom property ${p.name} missing`);
      // And the site rendered it.
      statSync(join(SITE_DIR, 'docs/reference/elements', `${d.tagName}.html`));
    }
  });

  it('the live example runs in Chromium: the widgets show what the in-page server was seeded with', async () => {
    const server = await serveStatic(SITE_DIR);
    const chromiumServer = await chromium.launchServer({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, timeout: 60_000 });
    const browser = await chromium.connect(chromiumServer.wsEndpoint());
    try {
      const page = await browser.newPage();
      const problems = [];
      page.on('pageerror', (e) => problems.push(e.message));
      await page.goto(`http://127.0.0.1:${server.address().port}/live/index.html`);
      await page.locator('body[data-ready="true"]').waitFor({ timeout: 60_000 });
      await page.locator('menteo-roadmap [part~="milestone"]').first().waitFor({ timeout: 30_000 });
      await page.getByText('three queues, two retries').first().waitFor({ timeout: 30_000 });
      assert.deepEqual(problems, []);
    } finally {
      // Chromium is ours: stop it by its pid if closing hangs.
      const pid = chromiumServer.process().pid;
      await browser.close().catch(() => undefined);
      let timer;
      const closed = await Promise.race([chromiumServer.close().then(() => true), new Promise((r) => (timer = setTimeout(() => r(false), 10_000)))]);
      clearTimeout(timer);
      if (!closed && pid !== undefined) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it('the theming page has its screenshots, committed and small (< 240 KB together)', () => {
    const dir = join(root, 'docs/theming');
    const pngs = readdirSync(dir).filter((f) => f.endsWith('.png'));
    const bytes = pngs.reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
    console.log(`check-docs: ${pngs.length} screenshots, ${bytes} bytes`);
    assert.ok(pngs.length >= 3, 'expected default, customized and dark screenshots');
    // 174 KB with the roadmap on two lanes; 201 KB once the lane fix drew it on three (a taller
    // crop). The bound keeps pictures from bloating the repository, not a byte count to chase.
    assert.ok(bytes < 240_000, `${bytes} bytes`);
    const page = readFileSync(join(root, 'docs/theming.md'), 'utf8');
    for (const f of pngs) assert.ok(page.includes(`theming/${f}`), `docs/theming.md does not show ${f}`);
  });
});
