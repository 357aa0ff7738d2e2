/**
 * Adapts a sql.js (SQLite compiled to WebAssembly) database to the synchronous interface that
 * Kysely's `SqliteDialect` expects (the better-sqlite3 shape), so the real server app runs in a
 * browser on a real SQLite engine, with the same migrations and queries as in Node.
 * @module
 */
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** The part of a sql.js `Statement` used here. */
export interface SqlJsStatement {
  bind(values: unknown[]): boolean;
  step(): boolean;
  getAsObject(): Record<string, unknown>;
  getColumnNames(): string[];
  reset(): void;
  free(): boolean;
}

/** The part of a sql.js `Database` used here. */
export interface SqlJsDatabase {
  prepare(sql: string): SqlJsStatement;
  getRowsModified(): number;
  exec(sql: string): { columns: string[]; values: unknown[][] }[];
  close(): void;
}

/** Values sql.js can bind: it has no booleans or bigints, so they are converted as SQLite would store them. */
function bindable(parameters: ReadonlyArray<unknown>): unknown[] {
  return parameters.map((p) => {
    if (typeof p === 'boolean') return p ? 1 : 0;
    if (typeof p === 'bigint') return Number(p);
    if (p === undefined) return null;
    return p;
  });
}

function rowsOf(stmt: SqlJsStatement, parameters: ReadonlyArray<unknown>): Record<string, unknown>[] {
  stmt.reset();
  stmt.bind(bindable(parameters));
  const rows: Record<string, unknown>[] = [];
  while (stmt.step()) rows.push(stmt.getAsObject());
  return rows;
}

/** Wraps a sql.js database for `new SqliteDialect({ database })`. */
export function sqlJsDatabase(db: SqlJsDatabase): SqliteDatabase {
  return {
    close: () => db.close(),
    prepare(sql: string): SqliteStatement {
      const stmt = db.prepare(sql);
      // A statement that yields columns is a reader (select, or a write with RETURNING).
      const reader = stmt.getColumnNames().length > 0;
      return {
        reader,
        all: (parameters) => {
          try {
            return rowsOf(stmt, parameters);
          } finally {
            stmt.free();
          }
        },
        run: (parameters) => {
          try {
            rowsOf(stmt, parameters);
          } finally {
            stmt.free();
          }
          const changes = db.getRowsModified();
          const last = db.exec('select last_insert_rowid()')[0]?.values[0]?.[0];
          return { changes, lastInsertRowid: typeof last === 'number' ? last : 0 };
        },
        *iterate(parameters) {
          try {
            yield* rowsOf(stmt, parameters);
          } finally {
            stmt.free();
          }
        },
      };
    },
  };
}
