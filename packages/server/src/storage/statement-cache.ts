/**
 * Prepared-statement reuse for Kysely's SQLite driver. The driver prepares every query anew;
 * with better-sqlite3, preparing costs as much as running a typical indexed read, and the app
 * issues the same few dozen statements over and over. Caching them by SQL text halves the cost
 * of a request.
 * @module
 */
import type { SqliteDatabase, SqliteStatement } from 'kysely';

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
