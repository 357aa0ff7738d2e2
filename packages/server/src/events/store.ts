/**
 * Writing live events: inside the writer's transaction, so an event exists exactly when its
 * change committed.
 * @module
 */
import type { LiveEvent } from '@menteo/api/events';
import type { Transaction } from 'kysely';
import type { Database } from '../storage/schema.js';
import type { StoredEvent } from './bus.js';

/** A distributive Omit, so each event type keeps its own data type. */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

/** An event before it has an id, with its filtering facts. */
export interface EventDraft {
  readonly orgId: string;
  readonly threadId?: string | null;
  readonly audience?: string | null;
  readonly event: WithoutId<LiveEvent>;
}

/** Inserts the event and returns it as stored (with its id). */
export async function insertEvent(trx: Transaction<Database>, draft: EventDraft): Promise<StoredEvent> {
  const row = await trx
    .insertInto('events')
    .values({
      org_id: draft.orgId,
      room_id: draft.event.roomId,
      thread_id: draft.threadId ?? null,
      audience: draft.audience ?? null,
      type: draft.event.type,
      data: JSON.stringify(draft.event),
      occurred_at: draft.event.occurredAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const id = Number(row.id);
  return {
    id,
    orgId: draft.orgId,
    roomId: draft.event.roomId,
    threadId: draft.threadId ?? null,
    audience: draft.audience ?? null,
    type: draft.event.type,
    json: JSON.stringify({ id: String(id), ...draft.event }),
  };
}

/** Rebuilds a stored event read back from the table (for `Last-Event-ID` resume). */
export function storedFromRow(row: { id: number; org_id: string; room_id: string | null; thread_id: string | null; audience: string | null; type: string; data: string }): StoredEvent {
  const data = JSON.parse(row.data) as Record<string, unknown>;
  return {
    id: Number(row.id),
    orgId: row.org_id,
    roomId: row.room_id,
    threadId: row.thread_id,
    audience: row.audience,
    type: row.type,
    json: JSON.stringify({ id: String(row.id), ...data }),
  };
}
