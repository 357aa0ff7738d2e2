/**
 * Liveness and readiness for load balancers and orchestrators, outside the versioned API:
 *
 * - `GET /healthz`: the process answers (200). Restart it when this fails.
 * - `GET /readyz`: this instance can serve: the database answers a query, and its live events
 *   arrive (on PostgreSQL, its LISTEN connection is up), and it is not shutting down. 503 with
 *   the failing check otherwise: send it no traffic, but do not restart it.
 *
 * Both answer JSON, never cached, and need no credential (they reveal nothing but up or down).
 * @module
 */
import { sql, type Kysely } from 'kysely';
import type { Hono } from 'hono';
import type { EventBus } from '../events/bus.js';
import type { Database } from '../storage/schema.js';

/** How long the readiness query may take before the database counts as down. */
export const DATABASE_CHECK_MS = 2_000;

/** The readiness answer's checks. */
export interface ReadinessChecks {
  readonly database: 'ok' | 'failed';
  readonly liveEvents: 'ready' | 'connecting' | 'closed';
}

/** Runs the readiness checks. */
export async function readiness(db: Kysely<Database>, bus: EventBus): Promise<ReadinessChecks> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'failed'>((resolve) => {
    // After a stalled event loop (a loaded host, a long GC) the timer and the query's answer are
    // both due at once, and timers run before sockets are read: give the answer that turn (a
    // timer set now runs after the sockets are read) rather than call a healthy database failed.
    timer = setTimeout(() => {
      timer = setTimeout(() => resolve('failed'), 0);
    }, DATABASE_CHECK_MS);
  });
  const query = sql`select 1 as one`.execute(db).then(() => 'ok' as const, () => 'failed' as const);
  const database = await Promise.race([query, timeout]);
  clearTimeout(timer);
  return { database, liveEvents: bus.transport.status };
}

const HEADERS = { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' };

/** Mounts `/healthz` and `/readyz`. */
export function mountProbes(hono: Hono, db: Kysely<Database>, bus: EventBus): void {
  hono.get('/healthz', () => new Response(JSON.stringify({ status: 'ok' }), { status: 200, headers: HEADERS }));
  hono.get('/readyz', async () => {
    const checks = await readiness(db, bus);
    const ready = checks.database === 'ok' && checks.liveEvents === 'ready';
    return new Response(JSON.stringify({ status: ready ? 'ready' : 'unready', checks }), { status: ready ? 200 : 503, headers: HEADERS });
  });
}
