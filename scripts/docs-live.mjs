#!/usr/bin/env node
// Builds the docs site's live example into <site>/live/ (run by scripts/docs-build.mjs after
// VitePress): docs/.vitepress/live/live-demo.ts bundled with esbuild from the packages' sources
// (the widgets, the client, and @menteo/mock running the real server app in the page), sql.js's
// inline WebAssembly build, the example page, and msw's service worker at the site's root, where
// its scope covers /live/. Needs no `npm run build` and no server: the site stays static.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const liveSrc = join(root, 'docs/.vitepress/live');
/** Our packages resolve from the elements package, which depends on all three (pnpm is strict). */
const elementsDir = join(root, 'packages/elements');
const mockRequire = createRequire(join(root, 'packages/mock/package.json'));

/** Writes the live example into `siteDir`; returns the bundle's size in bytes. */
export async function buildLiveExample(siteDir) {
  const out = join(siteDir, 'live');
  mkdirSync(out, { recursive: true });
  const result = await build({
    entryPoints: [join(liveSrc, 'live-demo.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    // The packages' TypeScript sources (their `source` export condition): no build step needed.
    conditions: ['source', 'browser', 'module'],
    outfile: join(out, 'live-demo.js'),
    metafile: true,
    logLevel: 'warning',
    // The matching solver (HiGHS, WebAssembly) is imported only when a matching run is made, which
    // the live example never does; its Node build imports node:module, which no browser bundle has.
    external: ['highs'],
    plugins: [
      {
        name: 'menteo-packages',
        setup(b) {
          b.onResolve({ filter: /^@menteo\// }, (args) =>
            args.resolveDir.startsWith(liveSrc) ? b.resolve(args.path, { resolveDir: elementsDir, kind: args.kind }) : undefined,
          );
        },
      },
    ],
  });
  copyFileSync(mockRequire.resolve('sql.js/dist/sql-wasm-inline.js'), join(out, 'sql-wasm-inline.js'));
  copyFileSync(mockRequire.resolve('msw/mockServiceWorker.js'), join(siteDir, 'mockServiceWorker.js'));
  writeFileSync(join(out, 'index.html'), readFileSync(join(liveSrc, 'index.html'), 'utf8'));
  return Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const bytes = await buildLiveExample(join(root, 'docs/.site'));
  console.log(`docs-live: live example written to docs/.site/live (${bytes} bytes of script)`);
}
