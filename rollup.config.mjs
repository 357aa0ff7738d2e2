// The single-file CDN bundle of the elements (every element defined, client included), for
// hosts without a bundler: `<script type="module" src=".../menteo.js">`. Per-file ESM for
// bundler users is built by `tsc -b`; sizes are measured by scripts/bench-size.mjs.
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

export default {
  input: 'packages/elements/dist/define/all.js',
  output: {
    file: 'packages/elements/dist/cdn/menteo.js',
    format: 'es',
    sourcemap: true,
  },
  plugins: [
    nodeResolve({ browser: true, exportConditions: ['browser', 'module', 'production'] }),
    terser({ ecma: 2022, module: true, format: { comments: false } }),
  ],
};
