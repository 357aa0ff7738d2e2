#!/usr/bin/env node
// Builds the docs site into docs/.site (`npm run docs:build`): the element reference from the
// custom-elements manifest (scripts/docs-elements.mjs), the guides with VitePress
// (docs/.vitepress/config.mjs), the live example (scripts/docs-live.mjs), then typedoc's API
// reference into docs/.site/api with 0 warnings (VitePress empties its output folder, so the
// others run after it). Needs no `npm run build`: the
// manifest and the theming screenshots are committed, and typedoc reads the packages' sources.
//
// Usage: node scripts/docs-build.mjs        Preview: npx vitepress preview docs
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeElementReference } from './docs-elements.mjs';
import { buildLiveExample } from './docs-live.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
export const SITE_DIR = join(root, 'docs/.site');

function run(bin, args) {
  const r = spawnSync(join(root, 'node_modules/.bin', bin), args, { cwd: root, stdio: 'inherit', env: { ...process.env, NO_COLOR: '1' } });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`docs-build: ${bin} ${args.join(' ')} exited with ${r.status}`);
}

/** Builds the whole site into docs/.site; throws when a step fails (a dead link, a typedoc warning). */
export async function buildSite() {
  const tags = writeElementReference();
  console.log(`docs-build: ${tags.length} element pages from custom-elements.json`);
  run('vitepress', ['build', 'docs']);
  const bytes = await buildLiveExample(SITE_DIR);
  console.log(`docs-build: live example in /live/ (${bytes} bytes of script)`);
  run('typedoc', ['--out', join(SITE_DIR, 'api'), '--treatWarningsAsErrors', '--logLevel', 'Warn']);
  console.log('docs-build: site written to docs/.site (npx vitepress preview docs serves it)');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    await buildSite();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
