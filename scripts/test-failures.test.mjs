// The "Failures" section of scripts/test.mjs names every failing test once, from node's TAP output
// (produced here by running a real failing test file) and from @web/test-runner's report.
// Runs in `npm test` as the `scripts` check (every scripts/*.test.mjs).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MAX_PER_SUITE, failuresOf, failuresSection } from './test-failures.mjs';

/** The child runs as a top-level test run (inside `node --test`, it would report to its parent instead). */
const { NODE_TEST_CONTEXT: _, ...childEnv } = process.env;
const runNodeTests = (dir, files) =>
  spawnSync(process.execPath, ['--test', '--test-reporter=tap', ...files], { cwd: dir, encoding: 'utf8', env: childEnv });

describe("node's test runner (TAP, as printed into a pipe)", () => {
  let dir;
  let output;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'menteo-failures-'));
    writeFileSync(
      join(dir, 'rooms.test.mjs'),
      `import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
describe('rooms', () => {
  it('lists rooms', () => {});
  it('rejects a foreign room', () => { assert.equal(404, 200); });
  describe('archived', () => { it('is read-only', () => { throw new Error('answered 200, not 409'); }); });
});
it('top level # with a hash', () => { assert.ok(false); });
it('not done yet', { todo: true }, () => { throw new Error('todo'); });
it('skipped', { skip: true }, () => {});
describe('with a hook', () => { before(() => { throw new Error('no database'); }); it('never runs', () => {}); });
`,
    );
    writeFileSync(join(dir, 'broken.test.mjs'), 'throw new Error("cannot load");\n');
    writeFileSync(join(dir, 'green.test.mjs'), "import { it } from 'node:test'; it('passes', () => {});\n");
    const r = runNodeTests(dir, ['rooms.test.mjs', 'broken.test.mjs', 'green.test.mjs']);
    output = `${r.stdout}\n${r.stderr}`;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('names each failing test once, with its file, parents and reason; not todos, skips, passes or echoing parents', () => {
    // Files run in parallel: their order in the output varies.
    const failures = failuresOf(output, { root: dir }).sort();
    assert.deepEqual(failures, [
      'rooms.test.mjs › rooms › rejects a foreign room: Expected values to be strictly equal:',
      'rooms.test.mjs › rooms › archived › is read-only: answered 200, not 409',
      'rooms.test.mjs › top level # with a hash: The expression evaluated to a falsy value:',
      'rooms.test.mjs › with a hook: no database',
      'broken.test.mjs: test failed',
    ].sort());
  });

  it('finds nothing in a green run', () => {
    const r = runNodeTests(dir, ['green.test.mjs']);
    assert.deepEqual(failuresOf(r.stdout, { root: dir }), []);
  });
});

describe('@web/test-runner', () => {
  // Its default reporter's lines for a failed file (reportTestFileResults, reportTestsErrors):
  // the path relative to the working directory, then ❌ and the test's suites joined with " > ",
  // the error indented below; colours are stripped.
  const output = [
    'Chrome: |██████████████████████████████| 2/3 test files | 40 passed, 2 failed',
    '',
    '\u001b[1m\u001b[36msrc/thread-feed/thread-feed.test.ts\u001b[39m\u001b[22m:',
    '',
    ' ❌ menteo-thread-feed > shows the first page',
    '      AssertionError: expected 0 to equal 3',
    '        at n.<anonymous> (src/thread-feed/thread-feed.test.ts:40:10)',
    '',
    ' ❌ menteo-thread-feed > live > a post arrives',
    '      Error: timed out',
    '',
    'src/room/room.test.ts:',
    '',
    ' ❌ SyntaxError: The requested module does not provide an export named x ',
    '',
    'Finished running tests in 12.3s, 40 passed, 2 failed.',
  ].join('\n');

  it('names each failing test with its file, and errors of a whole file', () => {
    assert.deepEqual(failuresOf(output), [
      'src/thread-feed/thread-feed.test.ts › menteo-thread-feed > shows the first page',
      'src/thread-feed/thread-feed.test.ts › menteo-thread-feed > live > a post arrives',
      'src/room/room.test.ts › SyntaxError: The requested module does not provide an export named x',
    ]);
  });
});

describe('the Failures section', () => {
  it('lists failed suites only, at most MAX_PER_SUITE names each, and says when a failed suite named none', () => {
    const many = Array.from({ length: MAX_PER_SUITE + 5 }, (_, i) => `not ok ${i + 1} - case ${i + 1}`).join('\n');
    const lines = failuresSection([
      { name: '@menteo/api', failed: 0, out: 'not ok 1 - ignored: the suite passed' },
      { name: '@menteo/server', failed: 35, out: many },
      { name: '@menteo/react-example', failed: 1, out: 'error TS2339: Property x does not exist' },
    ]);
    assert.equal(lines[1], 'Failures:');
    assert.equal(lines[2], '  @menteo/server');
    assert.equal(lines.filter((l) => l.startsWith('    ✗ case')).length, MAX_PER_SUITE);
    assert.ok(lines.includes('    … and 5 more'));
    assert.ok(!lines.some((l) => l.includes('@menteo/api')));
    assert.deepEqual(lines.slice(-2), ['  @menteo/react-example', '    (no failing test named: the suite exited non-zero; see its output above)']);
  });

  it('is empty when nothing failed', () => {
    assert.deepEqual(failuresSection([{ name: 'x', failed: 0, out: '' }]), []);
  });
});
