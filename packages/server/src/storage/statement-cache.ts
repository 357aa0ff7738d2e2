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

/** Wraps a database so `prepare` reuses statements (up to `capacity`, least recently used out). */
export function withStatementCache(database: SqliteDatabase, capacity = 256): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
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
        return shareable(hit, database, sql);
      }
      const statement = database.prepare(sql);
      cache.set(sql, statement);
      if (cache.size > capacity) cache.delete(cache.keys().next().value as string);
      return shareable(statement, database, sql);
    },
  };
}

/**
 * A cached statement can be reused for `all` and `run`, which finish before returning. An
 * iteration keeps its statement busy until it ends, so streams get a statement of their own.
 */
function shareable(statement: SqliteStatement, database: SqliteDatabase, sql: string): SqliteStatement {
  return {
    reader: statement.reader,
    all: (parameters) => statement.all(parameters),
    run: (parameters) => statement.run(parameters),
    iterate: (parameters) => database.prepare(sql).iterate(parameters),
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
 * values are null or undefined, each list's length) picks the compiled variant; `variant` adds what
 * else `build` branches on. Another database (a transaction) compiles its own copy, so any
 * database or transaction may run it.
 */
export function compiledOnce<P extends QueryParams, R>(
  build: (db: Kysely<Database>, params: P) => Compilable<R>,
  variant: (params: P) => string = () => '',
): (db: Kysely<Database>, params: P) => Promise<R[]> {
  const byDb = new WeakMap<object, Map<string, Compiled<R>>>();
  return async (db, params) => {
    let shape = variant(params);
    for (const name in params) {
      const v = params[name];
      shape += `|${v === undefined ? 'u' : v === null ? 'n' : Array.isArray(v) ? `[${v.length}]` : 'v'}`;
    }
    let compiled = byDb.get(db);
    if (!compiled) byDb.set(db, (compiled = new Map()));
    let entry = compiled.get(shape);
    if (!entry) compiled.set(shape, (entry = compile(db, params, build)));
    const parameters = entry.slots.map((slot) => {
      if ('value' in slot) return slot.value;
      const v = params[slot.name];
      return slot.index === null ? v : (v as readonly string[])[slot.index];
    });
    const result = await db.executeQuery<R>({ ...entry.query, parameters });
    return result.rows as R[];
  };
}

function compile<P extends QueryParams, R>(db: Kysely<Database>, params: P, build: (db: Kysely<Database>, params: P) => Compilable<R>): Compiled<R> {
  const marked: Record<string, unknown> = {};
  for (const name in params) {
    const v = params[name];
    marked[name] = v === undefined || v === null ? v : Array.isArray(v) ? v.map((_, i) => `${MARK}${name}\u0000${i}`) : `${MARK}${name}`;
  }
  const query = build(db, marked as P).compile();
  if (query.sql.includes(MARK)) throw new Error(`compiledOnce: a value was written into the SQL instead of bound: ${query.sql}`);
  const slots = query.parameters.map((p): Slot => {
    if (typeof p !== 'string' || !p.startsWith(MARK)) return { value: p };
    const [name, index] = p.slice(MARK.length).split('\u0000') as [string, string | undefined];
    return { name, index: index === undefined ? null : Number(index) };
  });
  return { query, slots };
}
