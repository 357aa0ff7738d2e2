// Starts the real Menteo server (its Node listener over a temporary SQLite file) for a test
// file, with an organization and an API key bootstrapped through the server's own function.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppOptions } from '@menteo/server';
import { createOrganization } from '@menteo/server';

type NodeModule = typeof import('@menteo/server/node');
const nodeAdapters = (): Promise<NodeModule> => import('@menteo/server/node');

/** A running server with one bootstrapped organization. */
export interface TestServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** A secret API key of the organization, with every scope. */
  readonly apiKey: string;
  readonly orgId: string;
  /** The server's database, for tests that set up states the API cannot reach (an in-flight key). */
  readonly db: Awaited<ReturnType<NodeModule['startNodeServer']>>['db'];
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1, port 0, over a fresh SQLite file. */
export async function startServer(options: Partial<Omit<AppOptions, 'db' | 'clientIp'>> = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'menteo-client-'));
  const { startNodeServer } = await nodeAdapters();
  const running = await startNodeServer({
    port: 0,
    hostname: '127.0.0.1',
    dbPath: join(dir, 'menteo.db'),
    onError: () => undefined,
    ...options,
  } as Parameters<NodeModule['startNodeServer']>[0]);
  const created = await createOrganization(running.db, { name: 'Client tests', allowedOrigins: ['https://intranet.example.com'] });
  return {
    url: running.url,
    apiKey: created.apiKey.secret,
    orgId: created.organization.id,
    db: running.db,
    async close() {
      await running.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
