/**
 * Rows to contract objects: rooms, messages, session notes, resources.
 * @module
 */
import type { ActionItem, Message, Resource, Room, RoomRole, RoomStatus, SessionNote } from '@menteo/api/rooms';
import type { MessagesTable, NotesTable, ResourcesTable, RoomsTable } from '../storage/schema.js';
import { loadPeople, must, type Db } from './people.js';

/** Rooms with their members, loaded in two queries whatever the page size. */
export async function roomViews(db: Db, rooms: readonly RoomsTable[]): Promise<Room[]> {
  if (rooms.length === 0) return [];
  const members = await db.selectFrom('room_members').selectAll().where('room_id', 'in', rooms.map((r) => r.id)).orderBy('joined_at').orderBy('person_id').execute();
  const people = await loadPeople(db, members.map((m) => m.person_id));
  return rooms.map((room) => ({
    id: room.id,
    title: room.title,
    purpose: room.purpose,
    status: room.status as RoomStatus,
    members: members.filter((m) => m.room_id === room.id).map((m) => ({ person: must(people, m.person_id), role: m.role as RoomRole, joinedAt: m.joined_at })),
    roadmapId: room.roadmap_id,
    createdAt: room.created_at,
    updatedAt: room.updated_at,
  }));
}

/** One room with its members. */
export async function roomView(db: Db, room: RoomsTable): Promise<Room> {
  const [view] = await roomViews(db, [room]);
  if (!view) throw new Error('unreachable: a room view for one room');
  return view;
}

/** Messages with their authors. */
export async function messageViews(db: Db, rows: readonly MessagesTable[]): Promise<Message[]> {
  const people = await loadPeople(db, rows.map((r) => r.author_id));
  return rows.map((r) => ({ id: r.id, roomId: r.room_id, author: must(people, r.author_id), body: r.body, createdAt: r.created_at }));
}

/** Session notes with authors and action items. */
export async function noteViews(db: Db, rows: readonly NotesTable[]): Promise<SessionNote[]> {
  if (rows.length === 0) return [];
  const items = await db.selectFrom('action_items').selectAll().where('note_id', 'in', rows.map((r) => r.id)).orderBy('id').execute();
  const people = await loadPeople(db, rows.map((r) => r.author_id));
  return rows.map((r) => ({
    id: r.id,
    roomId: r.room_id,
    author: must(people, r.author_id),
    sessionDate: r.session_date,
    summary: r.summary,
    actionItems: items.filter((i) => i.note_id === r.id).map((i): ActionItem => ({
      id: i.id, text: i.text, ownerId: i.owner_id, dueDate: i.due_date, done: i.done === 1, doneAt: i.done_at,
    })),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}

/** Resources with who added them. */
export async function resourceViews(db: Db, rows: readonly ResourcesTable[]): Promise<Resource[]> {
  const people = await loadPeople(db, rows.map((r) => r.added_by));
  return rows.map((r) => ({ id: r.id, roomId: r.room_id, title: r.title, url: r.url, note: r.note, addedBy: must(people, r.added_by), createdAt: r.created_at }));
}
