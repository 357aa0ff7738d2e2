#!/usr/bin/env node
// Bundle size of every element entry, of all elements with the client, and of a Lit floor
// (Lit 3 with one trivial element) built in the same run as the baseline. Method identical to
// the peer measurements in our toolchain notes: esbuild --bundle --minify --format=esm
// --platform=browser --conditions=module,browser,production, NODE_ENV=production, gzip -9.
//
// `--check` exits 1 when a budget is broken. Two sets of numbers:
// - BUDGET, enforced: what we ship today plus a little headroom, so any regression fails the
//   build. Lower it whenever a change makes the bundles smaller.
// - AIM, reported: the targets we set ourselves (one widget ≤ 18 KB, everything ≤ 30 KB). Not met
//   yet: ky (~9 KB) + zod/mini's core (~9 KB) + Lit (~6 KB) already weigh ~24 KB before any widget
//   code; see docs/benchmarks.md. The embeddable peers weigh 142–630 KB measured the same way.
import { build } from 'esbuild';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const elementsDir = join(root, 'packages/elements');
const check = process.argv.includes('--check');

// Raised on 2026-11-29, each for a reason written in docs/benchmarks.md: the provider carries the
// one-connection live client (multiplexing, reconnects, watchdog; tab sharing is a lazy chunk)
// and the grown contract (46 → 54 KB); `all` counts 13 more elements (76 → 122 KB); admin
// screens, which only program admins load and the console loads lazily, get their own budget.
// `all` again 122 → 156 KB the same day: four more elements (the console's integrations screen,
// self-serve matching for mentees and mentors, the admin's matching review).
export const BUDGET = { widget: 28 * 1024, admin: 40 * 1024, provider: 54 * 1024, all: 156 * 1024 };
export const AIM = { widget: 18 * 1024, all: 30 * 1024 };

/**
 * Measures what a page loads first: the entry chunk and every chunk it imports statically.
 * Lazily imported parts (translations) are split off, as the CDN build does, and reported
 * apart: a page that never switches to French never loads them. Without splitting, esbuild
 * would inline every dynamic import and count code no first render fetches.
 */
async function measure(contents, resolveDir) {
  const result = await build({
    stdin: { contents, resolveDir, loader: 'js', sourcefile: 'entry.js' },
    bundle: true,
    minify: true,
    format: 'esm',
    splitting: true,
    outdir: join(root, '.menteo/size'),
    platform: 'browser',
    conditions: ['module', 'browser', 'production'],
    define: { 'process.env.NODE_ENV': '"production"' },
    write: false,
    metafile: true,
    logLevel: 'error',
  });
  const byPath = new Map(result.outputFiles.map((f) => [relative(root, f.path), f.contents]));
  const outputs = result.metafile.outputs;
  // Dynamically imported modules are entry points too: the page's own is the stdin module.
  const entry = Object.keys(outputs).find((k) => outputs[k].entryPoint?.endsWith('entry.js'));
  const initial = new Set();
  const visit = (k) => {
    if (initial.has(k)) return;
    initial.add(k);
    for (const i of outputs[k].imports) if (i.kind === 'import-statement') visit(i.path);
  };
  visit(entry);
  // One gzip stream over the initial chunks, as if concatenated: close to what HTTP/2 transfers.
  const code = Buffer.concat([...initial].map((k) => byPath.get(k)));
  const lazy = Buffer.concat(Object.keys(outputs).filter((k) => !initial.has(k) && k.endsWith('.js')).map((k) => byPath.get(k)));
  return {
    min: code.byteLength,
    gzip: gzipSync(code, { level: 9 }).byteLength,
    lazyGzip: lazy.byteLength === 0 ? 0 : gzipSync(lazy, { level: 9 }).byteLength,
  };
}

/** The element entry points: one define module per element (`@menteo/elements/define/<tag>`). */
function elementEntries() {
  const dir = join(elementsDir, 'dist/define');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.js') && f !== 'all.js')
    .map((f) => {
      const name = f.replace(/\.js$/, '');
      return { name, specifier: `@menteo/elements/define/${name}`, file: `dist/define/${f}` };
    });
}

const rows = [];
const floor = await measure(
  `import { LitElement, html } from 'lit';
   class MenteoFloor extends LitElement { render() { return html\`<p>hi</p>\`; } }
   customElements.define('menteo-floor', MenteoFloor);`,
  elementsDir,
);
rows.push({ name: 'baseline: Lit 3 + one element', ...floor, budget: null, aim: null });

const entries = elementEntries().filter((e) => existsSync(join(elementsDir, e.file)));
for (const e of entries) {
  const m = await measure(`import '${e.specifier}';`, elementsDir);
  const provider = /provider/.test(e.name);
  const admin = e.name.startsWith('admin-');
  rows.push({
    name: e.name, ...m,
    budget: provider ? BUDGET.provider : admin ? BUDGET.admin : BUDGET.widget,
    aim: provider || admin ? null : AIM.widget,
  });
}
if (entries.length) {
  const all = await measure(
    entries.map((e) => `import '${e.specifier}';`).join('\n') + `\nexport * from '@menteo/client';`,
    elementsDir,
  );
  rows.push({ name: 'all elements + client', ...all, budget: BUDGET.all, aim: AIM.all });
}

const kb = (n) => (n / 1024).toFixed(1).padStart(6) + ' KB';
console.log('entry (initial JS)'.padEnd(34) + 'minified'.padStart(10) + 'gzip -9'.padStart(10) + '  budget     aim       × Lit floor  lazy (gzip)');
let broken = 0;
for (const r of rows) {
  const over = r.budget !== null && r.gzip > r.budget;
  if (over) broken++;
  console.log(
    r.name.padEnd(34) + kb(r.min).padStart(10) + kb(r.gzip).padStart(10) + '  ' +
      (r.budget === null ? '     -   ' : kb(r.budget)) + ' ' + (r.aim === null ? '     -   ' : kb(r.aim)) +
      `  ${(r.gzip / floor.gzip).toFixed(2)}×`.padEnd(12) + (r.lazyGzip ? kb(r.lazyGzip) : '     -   ') +
      (over ? '  OVER BUDGET' : r.aim !== null && r.gzip > r.aim ? '  (over aim)' : ''),
  );
}
if (!entries.length) console.log('(no built element entries found: run the build first)');
if (check && (broken > 0 || entries.length === 0)) {
  console.error(broken ? `bench:size: ${broken} budget(s) broken` : 'bench:size: nothing measured');
  process.exit(1);
}
