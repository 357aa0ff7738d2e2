#!/usr/bin/env node
// Bundles the React app with esbuild into dist/ (app.js next to index.html). No dev server: the
// host backend (server.mjs) serves dist/ and mints the Menteo session.
import { copyFileSync, mkdirSync } from 'node:fs';
import { build } from 'esbuild';

mkdirSync(new URL('./dist/', import.meta.url), { recursive: true });
await build({
  entryPoints: [new URL('./src/main.tsx', import.meta.url).pathname],
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  jsx: 'automatic',
  define: { 'process.env.NODE_ENV': '"production"' },
  outfile: new URL('./dist/app.js', import.meta.url).pathname,
  logLevel: 'warning',
});
copyFileSync(new URL('./index.html', import.meta.url), new URL('./dist/index.html', import.meta.url));
