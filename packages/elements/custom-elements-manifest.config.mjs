// The custom-elements manifest (custom-elements.json) is generated from the elements' JSDoc:
// @summary, @slot, @csspart, @cssprop, @cssstate, @fires and the property comments. Editors,
// framework wrappers and the docs tables read it.
export default {
  globs: ['src/**/*.ts'],
  exclude: ['src/**/*.test.ts', 'src/**/*.csp-test.ts', 'src/test-support/**', 'src/generated/**'],
  outdir: '.',
  litelement: true,
  packagejson: true,
  plugins: [
    {
      // The analyzer also "infers" events from `new SomeEvent('x')` calls, taking the first
      // argument as the name: for MenteoErrorEvent that is the failed operation, not an event.
      // Only documented, prefixed event names are real.
      name: 'menteo-documented-events-only',
      packageLinkPhase({ customElementsManifest }) {
        for (const mod of customElementsManifest.modules) {
          for (const d of mod.declarations ?? []) {
            if (!d.events) continue;
            const seen = new Set();
            d.events = d.events.filter((e) => {
              if (!e.name?.startsWith('menteo-') || seen.has(e.name)) return false;
              seen.add(e.name);
              return true;
            });
          }
        }
      },
    },
  ],
};
