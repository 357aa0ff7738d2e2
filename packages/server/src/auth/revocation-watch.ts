/**
 * API keys revoked by another process on the same database (`menteo-server keys revoke` while
 * `menteo-server serve` runs). Requests with such a key are refused at once, because
 * authentication reads the key's row; but the serving process's live hub only hears of access
 * changes in-process, so the key's open streams would go on. {@link watchRevokedKeys} polls for
 * recent revocations and passes each to the hub, so those streams end within about a second.
 * @module
 */
import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema.js';

/** Options of {@link watchRevokedKeys}. */
export interface RevokedKeyWatchOptions {
  /** How often to look, in ms (500, so a revocation reaches open streams within about 1 s). */
  readonly everyMs?: number;
  /** Where a failed look is reported; the next tick tries again. */
  readonly onError?: (error: unknown) => void;
}

/**
 * Calls `onRevoked(keyId)` for every API key revoked since the watch started (and once more for a
 * few ticks after, which the hub ignores: ending a credential's connections is idempotent).
 * Returns a function that stops the watch. Start it in the long-running process only, never in
 * `createApp` (browsers and tests, where timers would leak).
 */
export function watchRevokedKeys(db: Kysely<Database>, onRevoked: (keyId: string) => void, options: RevokedKeyWatchOptions = {}): () => void {
  const { everyMs = 500, onError = (error: unknown) => console.error('[menteo] revoked-key watch failed', error) } = options;
  // Look back a little past the previous look: another process's clock on this machine and a
  // commit that lands while a look runs must not slip between two looks.
  const overlapMs = Math.max(2_000, 2 * everyMs);
  let since = new Date(Date.now() - overlapMs).toISOString();
  let running = false;
  const look = () => {
    if (running) return;
    running = true;
    const started = Date.now();
    db.selectFrom('api_keys').select('id').where('revoked_at', '>=', since).execute()
      .then((rows) => {
        since = new Date(started - overlapMs).toISOString();
        for (const row of rows) onRevoked(row.id);
      })
      .catch(onError)
      .finally(() => {
        running = false;
      });
  };
  const timer = setInterval(look, everyMs);
  (timer as { unref?: () => void }).unref?.();
  return () => clearInterval(timer);
}
