// The store a test server runs on. `MENTEO_TEST_STORE=postgres` (set by scripts/postgres.mjs
// for the second pass of `npm test`) gives every test server a database of its own on the
// PostgreSQL server `MENTEO_TEST_DATABASE_URL` names, dropped when the server closes, so suites
// and the servers within a suite never see each other's rows. Otherwise, an SQLite file in a
// temporary directory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { StoreConfig } from '../../src/storage/store.js';

/** Which store this test process runs its servers on. */
export const TEST_STORE: 'sqlite' | 'postgres' = process.env.MENTEO_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';

/** A store created for one test server, and how to remove it. */
export interface TestStore {
  readonly store: StoreConfig;
  /** Deletes the file or drops the database. */
  remove(): Promise<void>;
}

/** The administrative URL of the test PostgreSQL server; throws with how to get one. */
export function testPostgresUrl(): string {
  const url = process.env.MENTEO_TEST_DATABASE_URL;
  if (!url) {
    throw new Error('MENTEO_TEST_STORE=postgres needs MENTEO_TEST_DATABASE_URL: run the suite through `node ../../scripts/postgres.mjs run -- …`, which starts a throwaway cluster');
  }
  return url;
}

let created = 0;

/** A fresh, empty PostgreSQL database on the test server; its URL and how to drop it. */
export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = testPostgresUrl();
  const name = `menteo_t_${process.pid}_${++created}_${Math.random().toString(36).slice(2, 8)}`;
  await adminQuery(admin, `create database ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    // `with (force)` ends connections a failed test left open (PostgreSQL 13+).
    drop: () => adminQuery(admin, `drop database if exists ${name} with (force)`),
  };
}

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** A new store of the kind this process tests: an SQLite file, or a PostgreSQL database. */
export async function createTestStore(prefix = 'menteo-server-'): Promise<TestStore> {
  if (TEST_STORE === 'postgres') {
    const database = await createPostgresDatabase();
    return { store: { kind: 'postgres', url: database.url }, remove: database.drop };
  }
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { store: { kind: 'sqlite', path: join(dir, 'menteo.db') }, remove: async () => rmSync(dir, { recursive: true, force: true }) };
}
