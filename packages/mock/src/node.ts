/**
 * `@menteo/mock/node`: the real server app behind msw's Node interceptor, over an in-memory
 * better-sqlite3 database. For Node tests of code that calls the Menteo API.
 * @module
 */
import SqliteDatabase from 'better-sqlite3';
import type { HttpHandler } from 'msw';
import { setupServer, type SetupServer } from 'msw/node';
import { createCore, type MockCore, type MockOptions } from './environment.js';
import { menteoHandlers } from './handlers.js';

/** A running Node mock. */
export interface NodeMock extends MockCore {
  readonly server: SetupServer;
  /** Puts handlers (faults) in front of the app until `resetFaults`. */
  use(...handlers: HttpHandler[]): void;
  /** Removes every fault: the app answers everything again. */
  resetFaults(): void;
  /** Stops intercepting and closes the store. */
  stop(): Promise<void>;
}

/** Starts intercepting requests to `baseUrl` and answering them with the real app. */
export async function startNodeMock(options: MockOptions = {}): Promise<NodeMock> {
  const sqlite = new SqliteDatabase(':memory:');
  sqlite.pragma('foreign_keys = ON');
  const core = await createCore(sqlite, options);
  const server = setupServer(...menteoHandlers(core.app, core.baseUrl));
  // Anything not addressed to the mocked API is a mistake in a test: say so.
  server.listen({ onUnhandledRequest: 'error' });
  return {
    ...core,
    server,
    use: (...handlers) => server.use(...handlers),
    resetFaults: () => server.resetHandlers(),
    stop: async () => {
      core.app.bus.close();
      server.close();
      await core.db.destroy();
    },
  };
}
