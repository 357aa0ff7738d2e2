// The store a test server runs on. `MENTEO_TEST_STORE=postgres` (set by scripts/postgres.mjs
// for the second pass of `npm test`) gives every test server a database of its own on the
// PostgreSQL server `MENTEO_TEST_DATABASE_URL` names, dropped when the server closes, so suites
// and the servers within a suite never see each other's rows. Otherwise, an SQLite file in a
// temporary directory.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CompiledQuery, type Kysely, sql } from 'kysely';
import pg from 'pg';
import { isPostgres } from '../../src/storage/dialect.js';
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

// What tests inspect directly in the database, written once per store (tests otherwise go
// through the API): the tables, their rows in a stable order, the stored bytes, a failing write.

/** The app's tables, by name. */
export async function tableNames<DB>(db: Kysely<DB>): Promise<string[]> {
  const rows = isPostgres(db)
    ? (await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(db)).rows
    : (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`.execute(db)).rows;
  return rows.map((r) => r.name);
}

/** The tables that have a column named `column`. */
export async function tablesWithColumn<DB>(db: Kysely<DB>, column: string): Promise<string[]> {
  const rows = isPostgres(db)
    ? (await sql<{ name: string }>`select table_name as name from information_schema.columns where table_schema = current_schema() and column_name = ${column} order by table_name`.execute(db)).rows
    : (await sql<{ name: string }>`select m.name from sqlite_master m where m.type = 'table' and exists (select 1 from pragma_table_info(m.name) p where p.name = ${column}) order by m.name`.execute(db)).rows;
  return rows.map((r) => r.name);
}

/**
 * Every row of a table in an order that does not change while the rows do not: insertion order
 * (rowid) on SQLite; on PostgreSQL, which has no stable row order (an update moves a row, even
 * one that changes nothing), the rows sorted by their JSON.
 */
export async function rowsOf<DB>(db: Kysely<DB>, table: string): Promise<Array<Record<string, unknown>>> {
  if (!isPostgres(db)) return (await sql<Record<string, unknown>>`select * from ${sql.table(table)} order by rowid`.execute(db)).rows;
  const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db)).rows;
  return rows.map((row) => ({ row, key: JSON.stringify(row) })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((r) => r.row);
}

/**
 * What the store holds, as bytes to search for secrets: the SQLite file and its WAL (freed pages
 * included); on PostgreSQL, whose files belong to the server, every row of every table.
 */
export async function storedBytes<DB>(db: Kysely<DB>): Promise<Buffer> {
  if (!isPostgres(db)) {
    const file = (await sql<{ file: string }>`select file from pragma_database_list where name = 'main'`.execute(db)).rows[0]?.file ?? '';
    return Buffer.concat([file, `${file}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f)));
  }
  const parts: string[] = [];
  for (const table of await tableNames(db)) parts.push(JSON.stringify(await rowsOf(db, table)));
  return Buffer.from(parts.join('\n'));
}

/**
 * Makes every insert or update of `table` whose new row matches `condition` (SQL over `new`) fail,
 * as a process dying at that statement would; returns how to undo it. A trigger on both stores.
 */
export async function failWritesWhere<DB>(db: Kysely<DB>, table: string, condition: string): Promise<() => Promise<void>> {
  const name = `fail_${table}`;
  if (isPostgres(db)) {
    await sql.raw(`create function ${name}() returns trigger language plpgsql as $$ begin if ${condition} then raise exception 'simulated crash'; end if; return new; end $$`).execute(db);
    await sql.raw(`create trigger ${name} before insert or update on ${table} for each row execute function ${name}()`).execute(db);
    return async () => {
      await sql.raw(`drop trigger ${name} on ${table}`).execute(db);
      await sql.raw(`drop function ${name}()`).execute(db);
    };
  }
  for (const event of ['update', 'insert']) {
    await sql.raw(`create trigger ${name}_${event} before ${event} on ${table} when ${condition} begin select raise(abort, 'simulated crash'); end`).execute(db);
  }
  return async () => {
    for (const event of ['update', 'insert']) await sql.raw(`drop trigger ${name}_${event}`).execute(db);
  };
}

/**
 * A hash of every row of every table, leaving out the columns named in `ignore` (by table): equal
 * hashes mean no stored data changed. On PostgreSQL the rows are hashed by the server in one
 * query (one round trip instead of one per table, which made the fuzz suite 10× slower there).
 */
export async function contentHash<DB>(db: Kysely<DB>, ignore: Readonly<Record<string, readonly string[]>> = {}): Promise<string> {
  const hash = createHash('sha256');
  const tables = await tableNames(db);
  if (!isPostgres(db)) {
    for (const name of tables) {
      for (const row of await rowsOf(db, name)) {
        for (const column of ignore[name] ?? []) delete row[column];
        hash.update(`${name}:${JSON.stringify(row)}\n`);
      }
    }
    return hash.digest('hex');
  }
  const parts = tables.map((name) => {
    const row = (ignore[name] ?? []).reduce((expr, column) => sql`${expr} - ${column}::text`, sql`to_jsonb(t)`);
    return sql`select ${name}::text as name, md5(coalesce(string_agg(x, E'\\n' order by x), '')) as h from (select (${row})::text as x from ${sql.table(name)} t) s`;
  });
  const rows = (await sql<{ name: string; h: string }>`${sql.join(parts, sql` union all `)}`.execute(db)).rows;
  for (const { name, h } of rows.sort((a, b) => (a.name < b.name ? -1 : 1))) hash.update(`${name}:${h}\n`);
  return hash.digest('hex');
}

/**
 * The plan of a compiled query, as text: `EXPLAIN QUERY PLAN` on SQLite; on PostgreSQL `EXPLAIN`
 * with sequential scans turned off for the statement's transaction, because a test table is
 * small enough that PostgreSQL would read it whole whatever its indexes: with the scan forbidden,
 * the plan shows whether an index can answer the query. Parameters are inlined as literals.
 */
export async function queryPlan<DB>(db: Kysely<DB>, query: CompiledQuery): Promise<string> {
  const literal = (value: unknown) => (typeof value === 'number' ? String(value) : `'${String(value).replace(/'/g, "''")}'`);
  if (!isPostgres(db)) {
    let i = 0;
    const text = query.sql.replace(/\?/g, () => literal(query.parameters[i++]));
    return (await sql<{ detail: string }>`explain query plan ${sql.raw(text)}`.execute(db)).rows.map((r) => r.detail).join('\n');
  }
  const text = query.sql.replace(/\$(\d+)/g, (_, n: string) => literal(query.parameters[Number(n) - 1]));
  return db.transaction().execute(async (trx) => {
    await sql`set local enable_seqscan = off`.execute(trx);
    return (await sql<{ 'QUERY PLAN': string }>`explain ${sql.raw(text)}`.execute(trx)).rows.map((r) => r['QUERY PLAN']).join('\n');
  });
}
