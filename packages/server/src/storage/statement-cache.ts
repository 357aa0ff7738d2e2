/**
 * Doing the hot queries' fixed work once: prepared-statement reuse for Kysely's SQLite driver
 * ({@link withStatementCache}) and queries built and compiled once ({@link compiledOnce}). The
 * driver prepares every query anew; with better-sqlite3, preparing costs as much as running a
 * typical indexed read, and the app issues the same few dozen statements over and over. Caching
 * them by SQL text halves the cost of a request.
 * @module
 */
import type { Compilable, CompiledQuery, Kysely, SqliteDatabase, SqliteStatement } from 'kysely';
import type { Database } from './schema.js';

/**
 * Statements that may change who a credential is (keys, tokens, people): any statement other
 * than a plain read that names one of their tables. Over-matching only costs cache hits.
 */
const ACCESS_TABLES = /\b(api_keys|access_tokens|people)\b/i;
const PLAIN_READ = /^\s*select\b/i;

/** Per SQLite connection: how many statements that may change access ran on it. */
const accessWrites = new WeakMap<object, { n: number }>();

/** Wraps a database so `prepare` reuses statements (up to `capacity`, least recently used out). */
export function withStatementCache(database: SqliteDatabase, capacity = 256): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  const writes = { n: 0 };
  accessWrites.set(database, writes);
  return {
    close: () => {
      cache.clear();
      database.close();
    },
    prepare(sql: string): SqliteStatement {
      const hit = cache.get(sql);
      if (hit) {
        // Re-insert to mark as most recently used (Map keeps insertion order).
        cache.delete(sql);
        cache.set(sql, hit);
        return hit;
      }
      const statement = shareable(database.prepare(sql), database, sql, !PLAIN_READ.test(sql) && ACCESS_TABLES.test(sql) ? writes : null);
      cache.set(sql, statement);
      if (cache.size > capacity) cache.delete(cache.keys().next().value as string);
      return statement;
    },
  };
}

/**
 * A cached statement can be reused for `all` and `run`, which finish before returning. An
 * iteration keeps its statement busy until it ends, so streams get a statement of their own.
 * A statement that may change access counts its runs (see {@link sqliteDataVersion}).
 */
function shareable(statement: SqliteStatement, database: SqliteDatabase, sql: string, writes: { n: number } | null): SqliteStatement {
  if (writes === null) {
    return {
      reader: statement.reader,
      all: (parameters) => statement.all(parameters),
      run: (parameters) => statement.run(parameters),
      iterate: (parameters) => database.prepare(sql).iterate(parameters),
    };
  }
  return {
    reader: statement.reader,
    all: (parameters) => {
      writes.n++;
      return statement.all(parameters);
    },
    run: (parameters) => {
      writes.n++;
      return statement.run(parameters);
    },
    iterate: (parameters) => {
      writes.n++;
      return database.prepare(sql).iterate(parameters);
    },
  };
}

/** Values a {@link compiledOnce} query takes: each becomes a bound parameter (a list, one per item). */
export type QueryParams = Readonly<Record<string, string | number | readonly string[] | null | undefined>>;

/** Marks a value while a query is compiled, so its parameter slot can be found in the output. */
const MARK = '\u0000menteo-param\u0000';

type Slot = { readonly value: unknown } | { readonly name: string; readonly index: number | null };

interface Compiled<R> {
  readonly query: CompiledQuery<R>;
  readonly slots: readonly Slot[];
}

/**
 * A query that Kysely builds and compiles once per database and shape, then runs with new values:
 * building and compiling the feed's queries on every request cost 16.8% of its CPU (bench:server
 * profile), more than SQLite spent running them.
 *
 * `build` receives the database and the values, each replaced by a marker (a list by a list of as
 * many markers), and must pass them to the builder untouched (no arithmetic, no branching on
 * them): every marker must come out as a bound parameter, which is checked. The shape (which
 * values are null or undefined, each list's length) picks the compiled variant; what else `build`
 * branches on it takes from its third argument, the string `variant` made of the values (never
 * from a value itself, which is only a marker there). Another database (a transaction) compiles its own copy, so any
 * database or transaction may run it.
 */
export function compiledOnce<P extends QueryParams, R>(
  build: (db: Kysely<Database>, params: P, variant: string) => Compilable<R>,
  variant: (params: P) => string = () => '',
): (db: Kysely<Database>, params: P) => Promise<R[]> {
  const byDb = new WeakMap<object, Map<string, Compiled<R>>>();
  return async (db, params) => {
    const chosen = variant(params);
    let shape = chosen;
    for (const name in params) {
      const v = params[name];
      shape += `|${v === undefined ? 'u' : v === null ? 'n' : Array.isArray(v) ? `[${v.length}]` : 'v'}`;
    }
    let compiled = byDb.get(db);
    if (!compiled) byDb.set(db, (compiled = new Map()));
    let entry = compiled.get(shape);
    if (!entry) compiled.set(shape, (entry = compile(db, params, chosen, build)));
    const parameters = entry.slots.map((slot) => {
      if ('value' in slot) return slot.value;
      const v = params[slot.name];
      return slot.index === null ? v : (v as readonly string[])[slot.index];
    });
    const result = await db.executeQuery<R>({ ...entry.query, parameters });
    return result.rows as R[];
  };
}

function compile<P extends QueryParams, R>(db: Kysely<Database>, params: P, variant: string, build: (db: Kysely<Database>, params: P, variant: string) => Compilable<R>): Compiled<R> {
  const marked: Record<string, unknown> = {};
  for (const name in params) {
    const v = params[name];
    marked[name] = v === undefined || v === null ? v : Array.isArray(v) ? v.map((_, i) => `${MARK}${name}\u0000${i}`) : `${MARK}${name}`;
  }
  const query = build(db, marked as P, variant).compile();
  if (query.sql.includes(MARK)) throw new Error(`compiledOnce: a value was written into the SQL instead of bound: ${query.sql}`);
  const slots = query.parameters.map((p): Slot => {
    if (typeof p !== 'string' || !p.startsWith(MARK)) return { value: p };
    const [name, index] = p.slice(MARK.length).split('\u0000') as [string, string | undefined];
    return { name, index: index === undefined ? null : Number(index) };
  });
  return { query, slots };
}

/** The part of better-sqlite3's connection {@link sqliteDataVersion} uses. */
interface VersionSource {
  prepare(sql: string): { get(): unknown };
}

/** Per Kysely instance: its connection's prepared `PRAGMA data_version` and its access-write count. */
const connections = new WeakMap<object, { readonly version: { get(): unknown }; readonly writes: { n: number } | undefined }>();

/**
 * Remembers the SQLite connection behind a Kysely instance (the Node store does it when it opens
 * the file), so {@link sqliteDataVersion} can ask it directly. Returns the instance.
 */
export function rememberConnection<K extends object>(db: K, connection: VersionSource): K {
  // Prepared once: better-sqlite3's pragma() prepares its statement on every call (3% of a feed
  // page's CPU in the profile).
  connections.set(db, { version: connection.prepare('pragma data_version'), writes: accessWrites.get(connection) });
  return db;
}

/**
 * A version of what credentials resolve to on the SQLite connection behind `db`: SQLite's
 * `PRAGMA data_version`, which changes whenever another connection (another process, another
 * instance) commits to the file, and a count of this connection's own statements that may change
 * keys, tokens or people (a test or a job writing rows without an access notice). Asked of the
 * connection directly, synchronously (about a microsecond): through Kysely's executor the question
 * cost as much as the credential lookup a cache uses it to skip. Undefined for a database not
 * opened by the Node store (PostgreSQL, a transaction, the browser's build).
 */
export function sqliteDataVersion(db: object): string | undefined {
  const connection = connections.get(db);
  if (!connection?.writes) return undefined;
  const row = connection.version.get() as { data_version?: unknown } | undefined;
  return typeof row?.data_version === 'number' ? `${row.data_version}:${connection.writes.n}` : undefined;
}
