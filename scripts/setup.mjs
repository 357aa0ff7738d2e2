#!/usr/bin/env node
// Installs everything the repository needs on a fresh machine that has only Node 20 and npm:
// the workspace's packages through the pinned pnpm and, with --browser, Debian's Chromium for
// browser tests (test tools cannot download their own browser on our machines).
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { pnpm } from './pnpm.mjs';

const wantBrowser = process.argv.includes('--browser');

function run(cmd, args) {
  // Non-interactive: CI has no terminal to answer a package's configuration questions.
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return r.status === 0;
}

const frozen = process.env.CI ? ['--frozen-lockfile'] : [];
if (pnpm(['install', ...frozen]) !== 0) {
  console.error('setup: pnpm install failed');
  process.exit(1);
}

if (wantBrowser) {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(chromium)) {
    console.log('setup: installing Debian Chromium for browser tests (about a minute)…');
    const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    const sudo = isRoot ? [] : ['sudo'];
    const apt = (args) => (sudo.length ? run('sudo', ['apt-get', ...args]) : run('apt-get', args));
    const ok = apt(['update', '-qq']) && apt(['install', '-y', '-qq', 'chromium']);
    if (!ok || !existsSync(chromium)) {
      console.error(`setup: could not install Chromium at ${chromium}; set CHROMIUM_PATH to an existing Chromium`);
      process.exit(1);
    }
  }
}
