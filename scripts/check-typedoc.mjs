#!/usr/bin/env node
// The API reference builds with 0 typedoc warnings: a warning is a broken `{@link}`, a tag typedoc
// does not know, or a type the reference names but does not document. Converts and validates
// without rendering (`--emit none`), so it costs seconds, not the full site build.
//
// Runs as a node:test file (`node --test scripts/check-typedoc.mjs`), so `npm test` counts it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

it('typedoc: 0 errors and 0 warnings', () => {
  const r = spawnSync(join(root, 'node_modules/.bin/typedoc'), ['--emit', 'none', '--treatWarningsAsErrors'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  if (r.error) throw r.error;
  // eslint-disable-next-line no-control-regex
  const lines = `${r.stdout}\n${r.stderr}`.replace(/\u001b\[[0-9;]*m/g, '').split('\n');
  const warnings = lines.filter((l) => l.startsWith('[warning]'));
  const errors = lines.filter((l) => l.startsWith('[error]'));
  console.log(`typedoc: ${errors.length} errors, ${warnings.length} warnings`);
  for (const l of [...errors, ...warnings]) console.log(`  ${l}`);
  assert.deepEqual(warnings, []);
  assert.equal(r.status, 0, errors.join('\n'));
});
