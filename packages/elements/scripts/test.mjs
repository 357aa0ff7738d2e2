#!/usr/bin/env node
// The package's whole test run: the Node suite (importing every module without a DOM, as SSR
// frameworks do) and the browser suites in Chromium. Each runner prints counts its own way; this
// prints one sum at the end, in node's `# pass N` / `# fail N` form that the workspace's test
// script reads, plus the `tests: N passed, N failed` line CI reads.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cwd = fileURLToPath(new URL('..', import.meta.url));

function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
    let out = '';
    child.stdout.on('data', (d) => { out += d; process.stdout.write(d); });
    child.stderr.on('data', (d) => { out += d; process.stderr.write(d); });
    child.on('close', (code) => resolve({ code: code ?? 1, out: out.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '') }));
  });
}

const nodeFiles = readdirSync(new URL('../test', import.meta.url)).filter((f) => f.endsWith('.test.ts')).map((f) => `test/${f}`);
// The spec reporter prints "ℹ pass N", so the only "# pass" lines are the sum printed below.
const node = await run(process.execPath, ['--conditions=source', '--import', 'tsx', '--test', '--test-reporter=spec', ...nodeFiles]);
const nodePass = Number(/ℹ pass (\d+)/.exec(node.out)?.[1] ?? 0);
const nodeFail = Number(/ℹ fail (\d+)/.exec(node.out)?.[1] ?? 0) + (node.code !== 0 && !/ℹ fail [1-9]/.test(node.out) ? 1 : 0);

// The package's own bin (pnpm links it into node_modules/.bin).
const wtrBin = fileURLToPath(new URL('../node_modules/@web/test-runner/dist/bin.js', import.meta.url));
const wtr = await run(process.execPath, [wtrBin, '--config', 'web-test-runner.config.mjs', ...process.argv.slice(2)]);
const last = [...wtr.out.matchAll(/(\d+) passed, (\d+) failed/g)].at(-1);
const wtrPass = Number(last?.[1] ?? 0);
const wtrFail = Number(last?.[2] ?? 0) + (wtr.code !== 0 && Number(last?.[2] ?? 0) === 0 ? 1 : 0);

const passed = nodePass + wtrPass;
const failed = nodeFail + wtrFail;
console.log(`\n@menteo/elements: node ${nodePass} passed, ${nodeFail} failed; browser ${wtrPass} passed, ${wtrFail} failed`);
console.log(`# pass ${passed}`);
console.log(`# fail ${failed}`);
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
