/**
 * Where a read stands in the event log, so a widget can list, then watch, without a gap
 * (Kubernetes' `resourceVersion`, for a log without snapshot reads). An answer to an
 * authenticated `GET` that asks for it (`Prefer: event-position`, RFC 7240; the client sends it
 * for reads given a `position`) carries `Preference-Applied: event-position` and:
 *
 * - `Menteo-Event-Position`: the organization's last event id committed before the handler
 *   read anything. Every event up to it is reflected in the answer, so a live subscription that
 *   resumes after it (`since`, `lastEventId`) misses nothing;
 * - `Menteo-Event-Position-Upper`, only when events of the organization were committed while
 *   the handler ran: the last of them. Events after the position and up to this id may or may
 *   not be reflected: a subscriber receives them again, and applies them idempotently (upsert by
 *   id or version; a counter re-reads its resource instead of incrementing).
 *
 * The handlers' reads are separate statements, not one snapshot, hence the pair instead of one
 * exact id. Event ids commit in id order (SQLite has one writer; on PostgreSQL event writers
 * hold an advisory lock until commit, events/store.ts), so "committed before" is exactly "id up
 * to". Scoped to the organization: it reveals nothing about others,
 * and their writes never widen the window. Asked for, because it costs two indexed queries (about
 * 76 µs per GET through Kysely on SQLite): reads that start no subscription (older pages, scripts)
 * skip them.
 * @module
 */
import type { Operation } from '@menteo/api/operation';
import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema.js';
import { compiledOnce } from '../storage/statement-cache.js';

/** Every event up to this id is reflected in the answer. */
export const EVENT_POSITION_HEADER = 'Menteo-Event-Position';
/** Events after the position and up to this id were committed while the answer was read. */
export const EVENT_POSITION_UPPER_HEADER = 'Menteo-Event-Position-Upper';

// Compiled once: it runs twice on every authenticated GET (bench:server, docs/benchmarks.md).
const lastEventIdQuery = compiledOnce((db, p: { orgId: string }) => db.selectFrom('events').select((eb) => eb.fn.max('id').as('id')).where('org_id', '=', p.orgId));

async function lastEventId(db: Kysely<Database>, orgId: string): Promise<number> {
  const [row] = await lastEventIdQuery(db, { orgId });
  return row?.id == null ? 0 : Number(row.id);
}

/** The `Prefer` token that asks for the position. */
export const EVENT_POSITION_PREFERENCE = 'event-position';

/** True when the request's `Prefer` header holds the `event-position` token. */
function asksForPosition(request: Request): boolean {
  const prefer = request.headers.get('prefer');
  return prefer !== null && prefer.split(',').some((p) => p.split(';')[0]?.trim().toLowerCase() === EVENT_POSITION_PREFERENCE);
}

/**
 * Runs `read` (a handler answering `op`) and, when `request` asks for it, adds the event position
 * headers to a successful answer of an organization's `GET`. Other answers pass through unchanged.
 */
export async function withEventPosition(
  db: Kysely<Database>,
  op: Operation,
  orgId: string | undefined,
  request: Request,
  read: () => Promise<Response>,
): Promise<Response> {
  if (op.method !== 'GET' || op.stream || orgId === undefined || !asksForPosition(request)) return read();
  const before = await lastEventId(db, orgId);
  const response = await read();
  if (response.status < 200 || response.status >= 300) return response;
  const after = await lastEventId(db, orgId);
  response.headers.set('Preference-Applied', EVENT_POSITION_PREFERENCE);
  response.headers.append('Vary', 'Prefer');
  response.headers.set(EVENT_POSITION_HEADER, String(before));
  if (after > before) response.headers.set(EVENT_POSITION_UPPER_HEADER, String(after));
  return response;
}
