#!/usr/bin/env node
// Runs every test suite of the workspace, one package after the other, then the bundle-size
// budget, and closes with one summary line `tests: N passed, N failed` that CI reads (each
// runner prints its own counts in its own format; this sums them).
//
// Usage: node scripts/test.mjs [package-dir-name …]   (all packages by default)
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNPM_VERSION } from './pnpm.mjs';
import { startTestPostgres } from './postgres.mjs';
import { failuresSection } from './test-failures.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const only = process.argv.slice(2);

// One PostgreSQL server for every suite that runs on both stores (scripts/postgres.mjs): the one
// MENTEO_TEST_DATABASE_URL names, else a throwaway cluster (Debian's PostgreSQL is installed when
// missing, as Chromium is). Each test server gets a database of its own on it.
const postgres = only.every((d) => ['checks', 'openapi', 'packages', 'typedoc', 'size'].includes(d)) && only.length > 0 ? undefined : await startTestPostgres();
if (postgres) process.env.MENTEO_TEST_DATABASE_URL = postgres.url;
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => void postgres?.stop().then(() => process.exit(1)));

/** Packages in dependency order, so a broken contract fails first and fast. */
const ORDER = ['api', 'server', 'client', 'mock', 'elements', 'lti'];

const dirs = [
  ...readdirSync(join(root, 'packages')).sort((a, b) => rank(a) - rank(b)).map((d) => ['packages', d]),
  // Examples are tested too, so the code people copy keeps working.
  ...readdirSync(join(root, 'examples')).sort().map((d) => ['examples', d]),
].filter(([group, d]) => existsSync(join(root, group, d, 'package.json')));

function rank(d) {
  const i = ORDER.indexOf(d);
  return i === -1 ? ORDER.length : i;
}

/** Reads the counts a runner printed: node's `# pass N`/`# fail N`, or wtr's `N passed, N failed`. */
export function countsOf(output) {
  // eslint-disable-next-line no-control-regex
  const text = output.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');
  let passed = 0;
  let failed = 0;
  let found = false;
  for (const m of text.matchAll(/^# pass (\d+)$/gm)) { passed += Number(m[1]); found = true; }
  for (const m of text.matchAll(/^# fail (\d+)$/gm)) { failed += Number(m[1]); found = true; }
  if (!found) {
    const wtr = [...text.matchAll(/(\d+) passed, (\d+) failed/g)].at(-1);
    if (wtr) { passed = Number(wtr[1]); failed = Number(wtr[2]); found = true; }
  }
  return { passed, failed, found };
}

/** A suite still running after this long is stuck (a browser that stopped answering): it fails. */
// The server suite runs twice (SQLite, then PostgreSQL): about 6 minutes on an idle 2-core
// machine, over 10 on a loaded one, where a 10-minute limit cut it short without a word.
const SUITE_LIMIT_MS = 20 * 60_000;

function runSuite(cwd, [command, args] = ['npx', ['-y', `pnpm@${PNPM_VERSION}`, 'run', 'test']]) {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FORCE_COLOR: '0' },
      // Its own process group, so a stuck suite is stopped with everything it started.
      detached: true,
    });
    const timer = setTimeout(() => {
      const note = `\ntest.mjs: suite stopped after ${SUITE_LIMIT_MS / 60_000} minutes\n`;
      out += note;
      // Said where CI shows it too: a suite cut short otherwise just ends mid-output.
      process.stdout.write(note);
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, SUITE_LIMIT_MS);
    child.on('close', () => clearTimeout(timer));
    let out = '';
    child.stdout.on('data', (d) => { out += d; process.stdout.write(d); });
    child.stderr.on('data', (d) => { out += d; process.stderr.write(d); });
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

const results = [];
for (const [group, dir] of dirs) {
  if (only.length && !only.includes(dir)) continue;
  const cwd = join(root, group, dir);
  const pkg = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8'));
  if (!pkg.scripts?.test) continue;
  console.log(`\n=== ${pkg.name} ===`);
  const started = Date.now();
  const { code, out } = await runSuite(cwd);
  const c = countsOf(out);
  // A runner that exits non-zero without reporting a failure (a crash, a compile error) still fails.
  const failed = c.failed + (code !== 0 && c.failed === 0 ? 1 : 0);
  results.push({ name: pkg.name, passed: c.passed, failed, seconds: (Date.now() - started) / 1000, found: c.found, out });
}

/**
 * Checks of what users receive rather than of one package's code (scripts/check-*.mjs, node:test
 * files): `openapi` lints the served OpenAPI document (~15 s), `packages` packs every package in a
 * release dry run and runs publint and arethetypeswrong on the tarballs (~20 s), `typedoc` builds
 * the API reference with 0 warnings (~20 s), `docs` builds the docs site and checks every internal
 * link and anchor (~30 s), `scripts` runs the repository tooling's own tests (scripts/*.test.mjs).
 * Select them with `checks` or their names.
 */
const CHECKS = ['openapi', 'packages', 'typedoc', 'docs', 'scripts'];
const checkFiles = (check) =>
  check === 'scripts'
    ? readdirSync(join(root, 'scripts')).filter((f) => f.endsWith('.test.mjs')).sort().map((f) => join(root, 'scripts', f))
    : [join(root, `scripts/check-${check}.mjs`)];
for (const check of CHECKS) {
  if (only.length && !only.includes('checks') && !only.includes(check)) continue;
  console.log(`\n=== check: ${check} ===`);
  const started = Date.now();
  const { code, out } = await runSuite(root, [process.execPath, ['--test', '--test-reporter=tap', ...checkFiles(check)]]);
  const c = countsOf(out);
  const failed = c.failed + (code !== 0 && c.failed === 0 ? 1 : 0);
  results.push({ name: `check: ${check}`, passed: c.passed, failed, seconds: (Date.now() - started) / 1000, found: c.found, out });
}

let budgetOk = true;
if (!only.length || only.includes('size')) {
  console.log('\n=== bundle size budget ===');
  const r = await new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'scripts/bench-size.mjs'), '--check'], { cwd: root, stdio: 'inherit' });
    child.on('close', (code) => resolve(code ?? 1));
  });
  budgetOk = r === 0;
}

// The CI log shows the tail of the run: name the failing tests here, above the summary.
for (const line of failuresSection(results, { root })) console.log(line);

console.log('\nSuite summary:');
for (const r of results) {
  console.log(`  ${r.name.padEnd(32)} ${String(r.passed).padStart(4)} passed ${String(r.failed).padStart(3)} failed  ${r.seconds.toFixed(1)} s${r.found ? '' : '  (no counts printed)'}`);
}
if (!budgetOk) console.log('  bundle size budget               BROKEN');
const passed = results.reduce((s, r) => s + r.passed, 0);
const failed = results.reduce((s, r) => s + r.failed, 0) + (budgetOk ? 0 : 1);
console.log(`tests: ${passed} passed, ${failed} failed`);
await postgres?.stop();
process.exit(failed === 0 && passed > 0 ? 0 : 1);
