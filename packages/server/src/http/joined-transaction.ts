/**
 * A request's transaction seen as a whole database: what the handlers of a keyed write receive as
 * `ctx.db`, so their reads, their writes and their own `db.transaction()` blocks all run in the
 * one transaction that also holds the `Idempotency-Key` and the stored answer.
 * @module
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../storage/schema.js';

/**
 * Wraps `trx` so that `transaction().execute(work)` runs `work` in `trx` itself. Kysely refuses
 * nested transactions, and a handler that opened a second one through the outer database would
 * wait forever for the connection this transaction holds (SQLite has one). A failure inside the
 * joined block still fails the request, which rolls back the whole transaction.
 */
export function joinedDatabase(trx: Transaction<Database>): Kysely<Database> {
  const joined = { execute: <T>(work: (inner: Transaction<Database>) => Promise<T>): Promise<T> => work(trx) };
  return new Proxy(trx, {
    get(target, property) {
      if (property === 'transaction') return () => joined;
      const value: unknown = Reflect.get(target, property, target);
      // Kysely's methods read private fields: call them on the transaction, not on the proxy.
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
