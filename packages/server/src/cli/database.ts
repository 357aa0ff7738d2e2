/**
 * The database a command works on, decided like the server's (`storeFromEnv`):
 * `MENTEO_DATABASE_URL=postgres://…` selects PostgreSQL; otherwise the SQLite file `--db <path>`,
 * else `MENTEO_DB`, else `.menteo/menteo.db`, so `menteo-server init` and `menteo-server serve`
 * in one folder (or with one environment) meet on one database.
 * @module
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Kysely } from 'kysely';
import { openStore } from '../node.js';
import { migrateToLatest } from '../storage/migrations.js';
import type { Database } from '../storage/schema.js';
import { describeStore, storeFromEnv, type StoreConfig } from '../storage/store.js';
import { failure, usageError } from './errors.js';
import type { CliIo } from './io.js';

/** The default file, relative to the working directory. */
export const DEFAULT_DB_PATH = '.menteo/menteo.db';

/** The database path of a command: its `--db` option, `MENTEO_DB`, or the default. */
export function databasePath(option: string | undefined, io: CliIo): string {
  return resolve(option ?? (io.env.MENTEO_DB || DEFAULT_DB_PATH));
}

/** The store of a command: PostgreSQL when `MENTEO_DATABASE_URL` is set, else the SQLite file of {@link databasePath}. */
export function databaseOf(option: string | undefined, io: CliIo): StoreConfig {
  let store: StoreConfig;
  try {
    store = storeFromEnv(io.env, option);
  } catch (error) {
    throw usageError(error instanceof Error ? error.message : String(error));
  }
  return store.kind === 'sqlite' ? { kind: 'sqlite', path: databasePath(option, io) } : store;
}

/** How messages name a store: the SQLite file's path, or PostgreSQL's host and database (never its password). */
export function storeName(store: StoreConfig): string {
  return store.kind === 'sqlite' ? store.path : describeStore(store);
}

/**
 * Opens and migrates an existing database (as `serve` does on start). A missing SQLite file is an
 * error rather than a new empty database: a mistyped `--db` must not create one, and only `init`
 * does. A PostgreSQL database is created by its operator (`createdb`), so it always exists here.
 */
export async function openExisting(store: StoreConfig): Promise<Kysely<Database>> {
  if (store.kind === 'sqlite' && !existsSync(store.path)) throw failure(`No database at ${store.path}. Run \`menteo-server init\` first, or point --db (or MENTEO_DB) at it.`);
  return openMigrated(store);
}

/** Opens (creating an SQLite file when needed) and migrates a database. */
export async function openMigrated(store: StoreConfig): Promise<Kysely<Database>> {
  const db = openStore(store);
  try {
    await migrateToLatest(db);
  } catch (error) {
    await db.destroy();
    throw failure(`Could not migrate ${storeName(store)}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return db;
}

/** Runs `work` on the database and always closes it. */
export async function withDatabase<T>(store: StoreConfig, work: (db: Kysely<Database>) => Promise<T>, open: (store: StoreConfig) => Promise<Kysely<Database>> = openExisting): Promise<T> {
  const db = await open(store);
  try {
    return await work(db);
  } finally {
    await db.destroy();
  }
}

/**
 * The organization a command acts on: the one named, or the only one. Several organizations and
 * none named is an error listing them, never a guess.
 */
export async function resolveOrganization(db: Kysely<Database>, named: string | undefined): Promise<{ id: string; name: string }> {
  if (named !== undefined) {
    const org = await db.selectFrom('organizations').select(['id', 'name']).where((eb) => eb.or([eb('id', '=', named), eb('name', '=', named)])).execute();
    if (org.length === 1 && org[0]) return org[0];
    if (org.length > 1) throw failure(`Several organizations are named "${named}"; give its id instead (menteo-server org list).`);
    throw failure(`No organization "${named}" (menteo-server org list shows them).`);
  }
  const all = await db.selectFrom('organizations').select(['id', 'name']).orderBy('created_at').limit(2).execute();
  if (all.length === 1 && all[0]) return all[0];
  if (all.length === 0) throw failure('The database has no organization yet. Run `menteo-server init` first.');
  throw failure('The database has several organizations: name one with --org <id or name> (menteo-server org list shows them).');
}
