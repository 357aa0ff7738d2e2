// Starts the real Menteo server (its Node listener over a temporary SQLite file, or under
// MENTEO_TEST_STORE=postgres a PostgreSQL database of its own, as the server's own suites do) for a
// test file, with an organization and an API key bootstrapped through the server's own function.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
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

/** The part of node-postgres used here: one administrative statement. */
interface PgModule {
  Client: new (config: { connectionString: string }) => { connect(): Promise<unknown>; query(text: string): Promise<unknown>; end(): Promise<void> };
}

async function adminQuery(text: string): Promise<void> {
  const admin = process.env.MENTEO_TEST_DATABASE_URL;
  if (!admin) throw new Error('MENTEO_TEST_STORE=postgres needs MENTEO_TEST_DATABASE_URL (scripts/postgres.mjs sets it)');
  // The server's own driver, resolved from the server package: the client does not depend on one.
  const pg = createRequire(import.meta.resolve('@menteo/server/node'))('pg') as PgModule;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

let databases = 0;

/** A fresh store: an SQLite file, or a PostgreSQL database under MENTEO_TEST_STORE=postgres. */
async function freshStore(): Promise<{ store: { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string }; remove(): Promise<void> }> {
  if (process.env.MENTEO_TEST_STORE === 'postgres') {
    const name = `menteo_c_${process.pid}_${++databases}_${Math.random().toString(36).slice(2, 8)}`;
    await adminQuery(`create database ${name}`);
    const url = new URL(process.env.MENTEO_TEST_DATABASE_URL ?? '');
    url.pathname = `/${name}`;
    return { store: { kind: 'postgres', url: url.toString() }, remove: () => adminQuery(`drop database if exists ${name} with (force)`) };
  }
  const dir = mkdtempSync(join(tmpdir(), 'menteo-client-'));
  return { store: { kind: 'sqlite', path: join(dir, 'menteo.db') }, remove: async () => rmSync(dir, { recursive: true, force: true }) };
}

/** Starts a server on 127.0.0.1, port 0, over a fresh store. */
export async function startServer(options: Partial<Omit<AppOptions, 'db' | 'clientIp'>> = {}): Promise<TestServer> {
  const fresh = await freshStore();
  const { startNodeServer } = await nodeAdapters();
  const running = await startNodeServer({
    port: 0,
    hostname: '127.0.0.1',
    store: fresh.store,
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
      await fresh.remove();
    },
  };
}
