/**
 * A brief cache of what a bearer secret resolved to, so repeated requests of one credential (a
 * widget's feed reads) skip the credential lookup: `authenticate` went from 12.5 to 7.2 µs of CPU
 * (about 2% of a feed page, bench figures in docs/benchmarks.md).
 *
 * A revoked key or token, a deactivated person or changed roles must be refused or honoured on
 * the very next request, whatever instance serves it:
 *
 * - **SQLite: the database's version.** Each hit first asks the connection for a version of what
 *   credentials resolve to (`sqliteDataVersion`): SQLite's `PRAGMA data_version`, which changes
 *   when another connection commits to the file (the CLI's `keys revoke`, a second server, a SCIM
 *   job elsewhere), and a count of this connection's own writes to keys, tokens and people. When it
 *   moved, the credential is looked up again.
 * - **Notices.** {@link invalidatePrincipal} forgets everything this process cached. The access
 *   notices call it (auth/revocation.ts: key revocation, deactivation with its token deletion,
 *   any change to a person), before and after their commit; so does the bus's `onAccessChange`,
 *   which over PostgreSQL carries other instances' notices, once {@link followAccessNotices}
 *   connected it. PostgreSQL has no version to ask, so the cache serves it only then; until
 *   then every request there looks up.
 * - **A generation.** A lookup that started before a notice is not cached after it, so a read of
 *   the old row cannot outlive the change.
 *
 * What is cached expires after {@link PRINCIPAL_TTL_MS} anyway. Unknown, revoked or expired
 * credentials are never cached.
 * @module
 */
import type { Kysely } from 'kysely';
import type { AccessChange } from '../events/hub.js';
import { storeKindOf } from '../storage/dialect.js';
import type { Database } from '../storage/schema.js';
import { sqliteDataVersion } from '../storage/statement-cache.js';

/** How long a resolved credential is reused at most. */
export const PRINCIPAL_TTL_MS = 5_000;

/** Cached credentials per database, at most (the oldest go first). */
const CAPACITY = 10_000;

interface Entry<T> {
  readonly value: T;
  readonly at: number;
  readonly generation: number;
  /** SQLite's data_version when the row was read; null on PostgreSQL. */
  readonly version: string | null;
}

/** Bumped by every notice: entries of an older generation are not used. */
let generation = 0;
/** Processes whose notices cross instances (PostgreSQL's bus) have called followAccessNotices. */
let followers = 0;
const caches = new WeakMap<object, Map<string, Entry<unknown>>>();

/**
 * Forgets every credential this process cached, at once: call it for any change of access
 * (revocation, deactivation, roles, a person's profile), in the process that made it and, from
 * the cross-instance bus, in every other. It takes the change for the record; forgetting
 * everything is cheap (the next request of each credential looks it up again) and cannot miss.
 */
export function invalidatePrincipal(change?: AccessChange): void {
  void change;
  generation++;
}

/**
 * Connects a bus's access notices (its own and, over PostgreSQL, other instances') to the cache,
 * and lets the cache serve PostgreSQL, where nothing else would tell it of another instance's
 * revocation. Returns the function that disconnects it.
 */
export function followAccessNotices(bus: { onAccessChange(listener: (change: AccessChange) => void): () => void }): () => void {
  const stop = bus.onAccessChange((change) => invalidatePrincipal(change));
  followers++;
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    followers--;
    stop();
    invalidatePrincipal();
  };
}

/**
 * What tells a cached entry of this database from a stale one: SQLite's data_version (another
 * connection committed), null on PostgreSQL (notices only), undefined when neither applies (a
 * transaction, the browser's build): not cached.
 */
function versionOf(db: Kysely<Database>): string | null | undefined {
  const version = sqliteDataVersion(db);
  if (version !== undefined) return version;
  return storeKindOf(db) === 'postgres' && followers > 0 ? null : undefined;
}

/**
 * The value cached for `hash` when it can still be trusted, else `load`'s answer (cached when
 * `keep` says so). `load` reads the credential; it must not write.
 */
export async function cachedPrincipal<T>(
  db: Kysely<Database>, hash: string, now: number, load: () => Promise<T>, keep: (value: T) => boolean,
): Promise<T> {
  const version = versionOf(db);
  if (version === undefined) return load();
  let cache = caches.get(db) as Map<string, Entry<T>> | undefined;
  if (!cache) caches.set(db, (cache = new Map()));
  const hit = cache.get(hash);
  if (hit) {
    if (hit.generation === generation && hit.version === version && now - hit.at < PRINCIPAL_TTL_MS) return hit.value;
    cache.delete(hash);
  }
  const started = generation;
  const value = await load();
  // A notice that came while the row was read may be about it: keep nothing read before it.
  if (keep(value) && started === generation) {
    if (cache.size >= CAPACITY) cache.delete(cache.keys().next().value as string);
    cache.set(hash, { value, at: now, generation, version });
  }
  return value;
}

/** Forgets one credential (an expired token found in the cache). */
export function forgetPrincipal(db: Kysely<Database>, hash: string): void {
  caches.get(db)?.delete(hash);
}
