/**
 * The adjust loop's findings for rooms, loaded in a fixed number of queries however many rooms:
 * milestones, mentees and each mentee's last three check-ins, then the rules of `rules.ts`.
 * Reused by `GET /v1/rooms/{roomId}/attention`, the mentor's overview, and admin views.
 * @module
 */
import type { AttentionFinding } from '@menteo/api/attention';
import { sql } from 'kysely';
import type { Db } from '../views/people.js';
import { evaluateRoom, type CheckInFacts, type MenteeFacts, type MilestoneFacts, type RoomFacts } from './rules.js';

/** A room to evaluate. */
export interface RoomRef {
  readonly id: string;
  readonly status: string;
}

/**
 * How much to load: `full` for findings to show; `counting` leaves out milestone titles and ids and
 * mentees' names, which the rules only quote and never test, so program health can count the
 * findings of thousands of rooms without reading their text.
 */
export type FactsDetail = 'full' | 'counting';

/** The facts of one room as they are gathered, before they are handed out read-only. */
interface Gathering {
  readonly roomId: string;
  readonly status: string;
  readonly milestones: MilestoneFacts[];
  readonly mentees: MenteeFacts[];
  readonly checkIns: CheckInFacts[];
}

/**
 * Loads the facts of these rooms: three queries in all. Each row becomes its fact once, straight
 * into its room's lists (program health loads tens of thousands of rows: no intermediate objects).
 */
export async function loadRoomFacts(db: Db, rooms: readonly RoomRef[], detail: FactsDetail = 'full'): Promise<RoomFacts[]> {
  if (rooms.length === 0) return [];
  const ids = rooms.map((r) => r.id);
  const byRoom = new Map<string, Gathering>();
  const facts: Gathering[] = rooms.map((room) => {
    const gathering = { roomId: room.id, status: room.status, milestones: [], mentees: [], checkIns: [] };
    byRoom.set(room.id, gathering);
    return gathering;
  });
  if (detail === 'full') {
    const milestones = await db.selectFrom('milestones').innerJoin('roadmaps', 'roadmaps.id', 'milestones.roadmap_id')
      .select(['roadmaps.room_id as room_id', 'milestones.id as id', 'milestones.title as title', 'milestones.due_date as due_date',
        'milestones.status as status', 'milestones.status_changed_at as status_changed_at'])
      .where('roadmaps.room_id', 'in', ids).execute();
    for (const m of milestones) byRoom.get(m.room_id)?.milestones.push({ id: m.id, title: m.title, dueDate: m.due_date, status: m.status, statusChangedAt: m.status_changed_at });
    const mentees = await db.selectFrom('room_members').innerJoin('people', 'people.id', 'room_members.person_id')
      .select(['room_members.room_id as room_id', 'room_members.person_id as person_id', 'room_members.joined_at as joined_at', 'people.display_name as display_name'])
      .where('room_members.room_id', 'in', ids).where('room_members.role', '=', 'mentee').execute();
    for (const m of mentees) byRoom.get(m.room_id)?.mentees.push({ personId: m.person_id, displayName: m.display_name, joinedAt: m.joined_at });
  } else {
    const milestones = await db.selectFrom('milestones').innerJoin('roadmaps', 'roadmaps.id', 'milestones.roadmap_id')
      .select(['roadmaps.room_id as room_id', 'milestones.due_date as due_date', 'milestones.status as status', 'milestones.status_changed_at as status_changed_at'])
      .where('roadmaps.room_id', 'in', ids).execute();
    for (const m of milestones) byRoom.get(m.room_id)?.milestones.push({ id: '', title: '', dueDate: m.due_date, status: m.status, statusChangedAt: m.status_changed_at });
    const mentees = await db.selectFrom('room_members').select(['room_id', 'person_id', 'joined_at'])
      .where('room_id', 'in', ids).where('role', '=', 'mentee').execute();
    for (const m of mentees) byRoom.get(m.room_id)?.mentees.push({ personId: m.person_id, displayName: '', joinedAt: m.joined_at });
  }
  // Only each author's last three check-ins per room: the rules look no further back.
  const checkIns = await sql<{ room_id: string; author_id: string; confidence: number; created_at: string }>`
    select room_id, author_id, confidence, created_at from (
      select room_id, author_id, confidence, created_at,
        row_number() over (partition by room_id, author_id order by id desc) as rn
      from check_ins where room_id in (${sql.join(ids)})
    ) latest where rn <= 3`.execute(db);
  for (const c of checkIns.rows) byRoom.get(c.room_id)?.checkIns.push({ authorId: c.author_id, confidence: Number(c.confidence), createdAt: c.created_at });
  return facts;
}

/** Rows grouped by a key, in their order (one pass; used wherever many rooms' rows are loaded at once). */
export function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = out.get(k);
    if (list) list.push(row);
    else out.set(k, [row]);
  }
  return out;
}

/** The findings of each room at `now`, by room id. */
export async function attentionOf(db: Db, rooms: readonly RoomRef[], now: string): Promise<Map<string, AttentionFinding[]>> {
  const facts = await loadRoomFacts(db, rooms);
  return new Map(facts.map((f) => [f.roomId, evaluateRoom(f, now)]));
}
