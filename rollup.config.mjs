// The CDN build of the elements (every element defined, client included), for hosts without a
// bundler: `<script type="module" src=".../menteo.js">`. Lazily loaded parts (translations)
// become chunks beside it. Per-file ESM for bundler users is built by `tsc -b`; sizes are
// measured by scripts/bench-size.mjs.
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

/** Warnings that say nothing about our code: zod's comments placed where rollup cannot read
 * them, and tsc's module-level decorator helper guarding `this &&` (undefined in ESM, as intended). */
const IGNORED = new Set(['INVALID_ANNOTATION', 'THIS_IS_UNDEFINED']);

export default {
  input: 'packages/elements/dist/define/all.js',
  output: {
    dir: 'packages/elements/dist/cdn',
    entryFileNames: 'menteo.js',
    chunkFileNames: 'chunks/[name]-[hash].js',
    format: 'es',
    sourcemap: true,
  },
  onwarn(warning, warn) {
    if (!IGNORED.has(warning.code ?? '')) warn(warning);
  },
  plugins: [
    nodeResolve({ browser: true, exportConditions: ['browser', 'module', 'production'] }),
    terser({ ecma: 2022, module: true, format: { comments: false } }),
  ],
};
