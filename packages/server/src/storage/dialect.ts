/**
 * Where SQLite and PostgreSQL differ, written once per dialect. Everything else in the server is
 * plain Kysely that compiles to SQL both accept; code that needs one of these differences calls
 * the function here instead of testing the dialect itself.
 *
 * What is the same on both, by design (so rows and API answers are byte-identical):
 * - booleans are `integer` 0/1, timestamps ISO-8601 `text`, arrays and objects JSON `text`;
 * - `INSERT … ON CONFLICT DO NOTHING` / `DO UPDATE` (Kysely's `onConflict`) run on both (SQLite
 *   ≥ 3.24), so there is no `INSERT OR IGNORE` anywhere;
 * - `LIKE … ESCAPE '\'` with a lowercased column and pattern (`search_text`), never relying on
 *   SQLite's case-insensitive LIKE;
 * - text compares and sorts byte-wise: SQLite's BINARY collation, and `collate "C"` on every
 *   PostgreSQL text column ({@link byteOrderedText}), whatever the database's locale.
 * @module
 */
import {
  ColumnDefinitionNode, DataTypeNode, type CreateTableBuilder, type Kysely, type KyselyPlugin, OperationNodeTransformer,
  type PluginTransformQueryArgs, type PluginTransformResultArgs, PostgresAdapter, type QueryResult, RawNode, type RootOperationNode,
  sql, type Transaction, type UnknownRow,
} from 'kysely';

/** The two stores. */
export type StoreKind = 'sqlite' | 'postgres';

/** Which store a Kysely instance (or transaction) speaks to. */
export function storeKindOf<DB>(db: Kysely<DB>): StoreKind {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/** True on PostgreSQL. */
export function isPostgres<DB>(db: Kysely<DB>): boolean {
  return storeKindOf(db) === 'postgres';
}

/**
 * An auto-incrementing `id` primary key whose values are never reused: SQLite needs `INTEGER
 * PRIMARY KEY AUTOINCREMENT`, PostgreSQL an identity column (`bigint`, read back as a number by
 * the pool's type parser, see `openPostgres`).
 */
export function autoIncrementId<T extends string>(db: Kysely<unknown>, table: CreateTableBuilder<T, never>): CreateTableBuilder<T, 'id'> {
  return isPostgres(db)
    ? table.addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

/**
 * `SELECT … FOR UPDATE` on PostgreSQL: the row is locked until the transaction ends, so a
 * read-then-write (a version check, a once-only transition) sees the latest committed row and
 * concurrent ones queue behind it. SQLite has no row locks and needs none: its writers are
 * serialized (one connection, one transaction at a time), so the query is left as it is.
 */
export function forUpdate<Q extends { forUpdate(): unknown }>(db: Pick<Kysely<unknown>, 'getExecutor'>, query: Q): Q {
  return db.getExecutor().adapter instanceof PostgresAdapter ? (query.forUpdate() as Q) : query;
}

/**
 * Makes every transaction that runs `key` wait for the others that run it, until it ends:
 * `pg_advisory_xact_lock` on PostgreSQL; nothing on SQLite, whose writers are serialized anyway.
 * For invariants no row can carry (the first row of something, a check across rows).
 */
export async function lockKey<DB>(db: Kysely<DB>, key: string): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(db);
}

/** True when `error` is a violated unique or primary-key constraint, on either store. */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  // PostgreSQL: SQLSTATE 23505; better-sqlite3: SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY.
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** PostgreSQL's SQLSTATEs after which running the whole transaction again can succeed. */
const RETRYABLE = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '23505', // unique_violation: a concurrent transaction inserted the row this one read as absent
]);

/** How many times {@link runTransaction} runs a transaction at most. */
const ATTEMPTS = 4;

/**
 * Runs `work` in a transaction, and on PostgreSQL runs it again (up to 4 times) when a
 * concurrent transaction got in its way. The request code was written when SQLite ran one
 * transaction at a time: "read whether a row exists, then insert it or update it" inside a
 * transaction was safe. On PostgreSQL (READ COMMITTED) two such transactions can both read
 * "absent" and the second insert violates the unique key; run again, the transaction reads the
 * committed row and takes the "exists" path, exactly as it would have on SQLite. This keeps every
 * such read-then-write of a request correct without SERIALIZABLE's cost on every transaction;
 * hot rows with a version check lock the row instead (`forUpdate`), so they wait rather than
 * fail. A unique violation that is a real duplicate fails the same way each time and is reported
 * as before. `beforeRetry` discards what a failed attempt collected (its events, its after-commit
 * work). SQLite runs `work` once: its failures are not races.
 */
export async function runTransaction<DB, T>(db: Kysely<DB>, work: (trx: Transaction<DB>) => Promise<T>, beforeRetry?: () => void): Promise<T> {
  if (!isPostgres(db)) return db.transaction().execute(work);
  for (let n = 1; ; n++) {
    try {
      return await db.transaction().execute(work);
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      if (n >= ATTEMPTS || typeof code !== 'string' || !RETRYABLE.has(code)) throw error;
      beforeRetry?.();
    }
  }
}

/**
 * Gives every `text` column created through it `collate "C"` on PostgreSQL, so comparisons and
 * `ORDER BY` are byte-wise as on SQLite (its BINARY collation): the same order of names, slugs
 * and ids on both stores, whatever locale the operator's database was created with. Applied to
 * the migrations only (`migrateToLatest`), which create every column.
 */
export function byteOrderedText(db: Kysely<unknown>): Kysely<unknown> {
  return isPostgres(db) ? db.withPlugin(new ByteOrderedTextPlugin()) : db;
}

class ByteOrderedTextTransformer extends OperationNodeTransformer {
  protected override transformColumnDefinition(node: ColumnDefinitionNode): ColumnDefinitionNode {
    const transformed = super.transformColumnDefinition(node);
    const type = transformed.dataType;
    if (DataTypeNode.is(type) && type.dataType === 'text') {
      return ColumnDefinitionNode.cloneWithFrontModifier(transformed, RawNode.createWithSql('collate "C"'));
    }
    return transformed;
  }
}

class ByteOrderedTextPlugin implements KyselyPlugin {
  readonly #transformer = new ByteOrderedTextTransformer();
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.#transformer.transformNode(args.node);
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}
