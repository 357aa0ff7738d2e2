// The server app also runs in browsers (@menteo/mock runs it over sql.js behind msw), where there
// is no `Buffer`. The CSV parser of enrolment imports needs Node's Buffer at load time, so it is
// loaded only when an import is made: importing the app must not touch it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { it } from 'node:test';

it('imports the app where there is no Buffer (browsers), the CSV parser being loaded on first use', () => {
  const app = fileURLToPath(new URL('../src/app.ts', import.meta.url));
  const code = `delete globalThis.Buffer; await import(${JSON.stringify(app)}); console.log('imported');`;
  const run = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8', cwd: fileURLToPath(new URL('..', import.meta.url)) });
  assert.equal(run.status, 0, run.stderr.split('\n').find((l) => /Error/.test(l)) ?? run.stderr.slice(0, 500));
  assert.match(run.stdout, /imported/);
});
