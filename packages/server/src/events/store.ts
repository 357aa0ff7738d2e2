/**
 * Writing live events: inside the writer's transaction, so an event exists exactly when its
 * change committed.
 * @module
 */
import type { LiveEvent } from '@menteo/api/events';
import { PostgresAdapter, sql, type Transaction } from 'kysely';
import type { Database } from '../storage/schema.js';
import type { StoredEvent } from './bus.js';

/** The PostgreSQL channel that announces committed events (payload: the event id). */
export const EVENTS_CHANNEL = 'menteo_events';

/**
 * The transaction-scoped advisory lock every event writer takes on PostgreSQL before its event
 * gets an id (two int4 keys: "ment", 1). It makes ids commit in id order, as SQLite's single
 * writer does: a stream resumed after id N reads every event committed later (none can commit with
 * a smaller id afterwards), and an instance reading events by id range misses none.
 */
const EVENT_ORDER_LOCK = sql`select pg_advisory_xact_lock(1835363956, 1)`;

/** A distributive Omit, so each event type keeps its own data type. */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

/** An event before it has an id, with its filtering facts. */
export interface EventDraft {
  readonly orgId: string;
  readonly threadId?: string | null;
  readonly audience?: string | null;
  /** The one person the event is addressed to (`me` topic); absent for room, thread and feed events. */
  readonly personId?: string | null;
  readonly event: WithoutId<LiveEvent>;
}

/** Inserts the event and returns it as stored (with its id). */
export async function insertEvent(trx: Transaction<Database>, draft: EventDraft): Promise<StoredEvent> {
  const postgres = trx.getExecutor().adapter instanceof PostgresAdapter;
  // Held until the commit: see EVENT_ORDER_LOCK. Taken again for a second event of the same
  // transaction, which costs a round trip and nothing else.
  if (postgres) await EVENT_ORDER_LOCK.execute(trx);
  const row = await trx
    .insertInto('events')
    .values({
      org_id: draft.orgId,
      room_id: draft.event.roomId,
      thread_id: draft.threadId ?? null,
      audience: draft.audience ?? null,
      person_id: draft.personId ?? null,
      type: draft.event.type,
      data: JSON.stringify(draft.event),
      occurred_at: draft.event.occurredAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const id = Number(row.id);
  // Delivered to listeners on commit, and never if the transaction rolls back.
  if (postgres) await sql`select pg_notify(${EVENTS_CHANNEL}, ${String(id)})`.execute(trx);
  return {
    id,
    orgId: draft.orgId,
    roomId: draft.event.roomId,
    threadId: draft.threadId ?? null,
    audience: draft.audience ?? null,
    personId: draft.personId ?? null,
    type: draft.event.type,
    json: envelopeJson(id, draft.event, draft.threadId ?? null),
  };
}

/**
 * The `LiveEvent` JSON: the stored event with its id and, for post and comment events, its
 * `threadId` (clients route them to `thread:` topics without looking inside `data`).
 */
function envelopeJson(id: number, event: Record<string, unknown>, threadId: string | null): string {
  const { type, occurredAt, roomId, ...rest } = event;
  return JSON.stringify(threadId === null ? { id: String(id), type, occurredAt, roomId, ...rest } : { id: String(id), type, occurredAt, roomId, threadId, ...rest });
}

/** Rebuilds a stored event read back from the table (for `Last-Event-ID` resume). */
export function storedFromRow(row: { id: number; org_id: string; room_id: string | null; thread_id: string | null; audience: string | null; person_id?: string | null; type: string; data: string }): StoredEvent {
  const event = JSON.parse(row.data) as Record<string, unknown>;
  return {
    id: Number(row.id),
    orgId: row.org_id,
    roomId: row.room_id,
    threadId: row.thread_id,
    audience: row.audience,
    personId: row.person_id ?? null,
    type: row.type,
    json: envelopeJson(Number(row.id), event, row.thread_id),
  };
}
