// Browser tests in Debian's Chromium (test tools cannot download their own browser here).
import { chromeLauncher } from '@web/test-runner-chrome';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { realServerPlugin } from './scripts/real-server-plugin.mjs';

// msw's service worker must be served from the root so its scope covers the test pages; it and
// sql.js come from @menteo/mock's own dependencies (pnpm keeps them out of ours).
const mockRequire = createRequire(new URL('../mock/package.json', import.meta.url));
const mswWorker = readFileSync(mockRequire.resolve('msw/mockServiceWorker.js'), 'utf8');
const sqlJsInline = mockRequire.resolve('sql.js/dist/sql-wasm-inline.js');

const tsconfig = fileURLToPath(new URL('./tsconfig.test.json', import.meta.url));

// Runs before any test module: records console warnings so the shared `afterEach` in
// test-support can fail a test on any Lit or Menteo dev-mode warning. Lit prints a one-time
// "running in dev mode" notice on load; marking it as issued silences only that notice.
const setup = `
  window.litIssuedWarnings = new Set(['dev-mode']);
  window.__menteoWarnings = [];
  const originalWarn = console.warn.bind(console);
  console.warn = (...args) => { window.__menteoWarnings.push(args.map(String).join(' ')); originalWarn(...args); };
`;

export default {
  files: ['src/**/*.test.ts'],
  rootDir: '../../',
  nodeResolve: { exportConditions: ['source', 'browser', 'development'] },
  // One page at a time. On two cores Chromium's own processes use the second core anyway, and
  // a background tab is "hidden": it gets no animation frames (the feed schedules windowing on
  // them), pauses live streams on visibilitychange, and cannot hold keyboard focus, so parallel
  // pages made keyboard and windowing suites hang rather than run faster.
  concurrency: 1,
  concurrentBrowsers: 1,
  testsFinishTimeout: 180_000,
  browserStartTimeout: 60_000,
  middleware: [
    (ctx, next) => {
      if (ctx.path === '/mockServiceWorker.js') {
        ctx.type = 'application/javascript';
        ctx.body = mswWorker;
        return undefined;
      }
      if (ctx.path === '/__setup.js') {
        ctx.type = 'application/javascript';
        ctx.body = setup;
        return undefined;
      }
      if (ctx.path === '/__sql.js') {
        ctx.type = 'application/javascript';
        ctx.body = readFileSync(sqlJsInline, 'utf8');
        return undefined;
      }
      return next();
    },
  ],
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig }), mediaFeaturesPlugin(), realServerPlugin()],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
        args: [
          '--no-sandbox',
          '--headless=new',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--disable-dev-shm-usage',
        ],
      },
    }),
  ],
  // A test's limit catches a hang, not slowness: long keyboard tests (type, save, axe) on a
  // 2-core CI machine shared with Chromium's own processes took over 10 s (admin-cohorts'
  // template edit, the first file, paying the cold in-page server start), and failed a run.
  testFramework: { config: { timeout: 30_000 } },
  testRunnerHtml: page(''),
  groups: [
    {
      // The elements under a strict Content-Security-Policy: no inline script or style, no eval.
      // (connect-src allows the runner's own websocket and the in-page API's origin; 'wasm-unsafe-eval'
      // lets the in-page server's sql.js compile WebAssembly, which no element uses.) The test fails
      // on any violation report.
      name: 'csp',
      files: ['src/**/*.csp-test.ts'],
      testRunnerHtml: page(
        `<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self' https://api.menteo.test ws: wss:">`,
      ),
    },
  ],
};

// Setup and axe load as external scripts (never inline) so the same page works under the CSP group.
function page(head) {
  return (testFramework) => `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    ${head}
    <script src="/__setup.js"></script>
    <!-- axe-core ships a UMD build only: load it as a classic script, it sets window.axe. -->
    <script src="/packages/elements/node_modules/axe-core/axe.min.js"></script>
  </head>
  <body><script type="module" src="${testFramework}"></script></body>
</html>`;
}

// The runner's own `emulateMedia` drops `forcedColors` on puppeteer (it forwards only colour scheme
// and reduced motion), so forced-colors tests use this command: any media feature puppeteer knows
// (`forced-colors`, `prefers-contrast`, …) through `page.emulateMediaFeatures`, reset with `[]`.
function mediaFeaturesPlugin() {
  return {
    name: 'emulate-media-features',
    async executeCommand({ command, payload, session }) {
      if (command !== 'emulate-media-features') return undefined;
      await session.browser.getPage(session.id).emulateMediaFeatures(payload.features);
      return true;
    },
  };
}
