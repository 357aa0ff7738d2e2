/**
 * `@menteo/mock/browser`: the real server app behind msw's service worker, over an in-memory
 * SQLite compiled to WebAssembly (sql.js). For widget tests and offline demos: the widgets talk
 * HTTP to the same app, same validation, same authorization, same events as production.
 *
 * sql.js ships as a UMD script; load `sql.js/dist/sql-wasm-inline.js` (or any sql.js build) with
 * a classic `<script>` so that it defines `window.initSqlJs`, or pass `initSqlJs` explicitly.
 * msw's worker must be served at `/mockServiceWorker.js` (see msw's docs) unless `serviceWorkerUrl` says otherwise.
 * @module
 */
import type { HttpHandler } from 'msw';
import { setupWorker, type SetupWorker } from 'msw/browser';
import { createCore, type MockCore, type MockOptions } from './environment.js';
import { menteoHandlers } from './handlers.js';
import { sqlJsDatabase, type SqlJsDatabase } from './sqljs-database.js';

/** sql.js's initializer (its default export). */
export type InitSqlJs = (config?: { locateFile?: (file: string) => string }) => Promise<{ Database: new () => SqlJsDatabase }>;

/** Options of {@link startBrowserMock}. */
export interface BrowserMockOptions extends MockOptions {
  /** sql.js's initializer; `window.initSqlJs` by default. */
  initSqlJs?: InitSqlJs;
  /** Where msw's worker script is served; `/mockServiceWorker.js` by default. */
  serviceWorkerUrl?: string;
}

/** A running browser mock. */
export interface BrowserMock extends MockCore {
  readonly worker: SetupWorker;
  /** Puts handlers (faults) in front of the app until `resetFaults`. */
  use(...handlers: HttpHandler[]): void;
  /** Removes every fault. */
  resetFaults(): void;
  /** Stops the worker and closes the store. */
  stop(): Promise<void>;
}

function globalInit(): InitSqlJs | undefined {
  return (globalThis as { initSqlJs?: InitSqlJs }).initSqlJs;
}

/** Starts the worker and answers requests to `baseUrl` with the real app. */
export async function startBrowserMock(options: BrowserMockOptions = {}): Promise<BrowserMock> {
  const init = options.initSqlJs ?? globalInit();
  if (!init) {
    throw new Error('@menteo/mock/browser needs sql.js: load sql.js/dist/sql-wasm-inline.js with a <script> tag, or pass initSqlJs.');
  }
  const SQL = await init();
  const core = await createCore(sqlJsDatabase(new SQL.Database()), {
    ...options,
    allowedOrigins: [...(options.allowedOrigins ?? []), location.origin],
  });
  const worker = setupWorker(...menteoHandlers(core.app, core.baseUrl));
  await worker.start({
    serviceWorker: { url: options.serviceWorkerUrl ?? '/mockServiceWorker.js' },
    // Only the mocked API is ours to answer; the test runner's own requests pass through quietly.
    onUnhandledRequest: 'bypass',
    quiet: true,
  });
  return {
    ...core,
    worker,
    use: (...handlers) => worker.use(...handlers),
    resetFaults: () => worker.resetHandlers(),
    stop: async () => {
      // Open event streams end first, so none touches the store after it is closed.
      core.app.bus.close();
      worker.stop();
      await core.db.destroy();
    },
  };
}
