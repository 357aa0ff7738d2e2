#!/usr/bin/env node
// Runs the pinned pnpm through npx, so a fresh machine with only Node 20 and npm needs nothing
// installed globally (corepack fails on our machines; see docs/contributing.md).
import { spawnSync } from 'node:child_process';

export const PNPM_VERSION = '12.4.2';

/** Runs `pnpm <args>` with the pinned version; returns the exit status. */
export function pnpm(args, options = {}) {
  const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
  const result = spawnSync(npx, ['-y', `pnpm@${PNPM_VERSION}`, ...args], { stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exit(pnpm(process.argv.slice(2)));
}
