/**
 * Authorization rules on rooms and posts. A resource the caller may not read answers 404 (never
 * its content, never a hint that it exists); one they may read but not change answers 403.
 * Archived rooms are read-only: writes answer 409 `conflict` (the room's state, not the caller's
 * rights, is what is wrong; reopening it makes the same request succeed).
 * @module
 */
import type { RoomRole } from '@menteo/api/rooms';
import type { Context, Principal } from '../context.js';
import { ApiError, forbidden, notFound } from '../http/errors.js';
import type { RoomsTable } from '../storage/schema.js';
import type { Db } from '../views/people.js';
import { isOrgWide } from './principal.js';

/** A room the caller can read, with the caller's role in it. */
export interface RoomAccess {
  readonly room: RoomsTable;
  /** The caller's (or act-as person's) role; null for API keys and admins who are not members. */
  readonly role: RoomRole | null;
  /** True for API keys and organization admins: they manage every room. */
  readonly orgWide: boolean;
}

/** True when a token's room limit allows this room. */
export function withinRoomLimit(principal: Principal, roomId: string): boolean {
  return principal.roomIds === null || principal.roomIds.includes(roomId);
}

/** The caller's role in a room, or null. */
export async function roleIn(db: Db, roomId: string, personId: string | undefined): Promise<RoomRole | null> {
  if (personId === undefined) return null;
  const row = await db.selectFrom('room_members').select('role').where('room_id', '=', roomId).where('person_id', '=', personId).executeTakeFirst();
  return (row?.role as RoomRole | undefined) ?? null;
}

/** Loads a room the caller may read, or throws 404. */
export async function readableRoom(ctx: Context, roomId: string, field?: string, db: Db = ctx.db): Promise<RoomAccess> {
  const p = ctx.principal;
  const room = await db.selectFrom('rooms').selectAll().where('id', '=', roomId).where('org_id', '=', p.orgId).executeTakeFirst();
  if (!room || !withinRoomLimit(p, roomId)) throw notFound('The room', field);
  const role = await roleIn(db, roomId, p.person?.id);
  const orgWide = isOrgWide(p);
  if (role === null && !orgWide) throw notFound('The room', field);
  return { room, role, orgWide };
}

/** Throws 409 when the room is archived (read-only). */
export function requireActive(access: RoomAccess): void {
  if (access.room.status === 'archived') {
    throw new ApiError('conflict', 'The room is archived and read-only; reopen it (status: active) to change it.');
  }
}

/** Members who take part (mentors and mentees) may contribute; observers only read. */
export function requireParticipant(access: RoomAccess): void {
  requireActive(access);
  if (access.orgWide) return;
  if (access.role === 'mentor' || access.role === 'mentee') return;
  throw forbidden('Observers can read this room but not contribute to it.');
}

/** Mentors, organization admins and API keys manage a room (details, members, roadmaps). */
export function requireManager(access: RoomAccess): void {
  if (access.orgWide || access.role === 'mentor') return;
  throw forbidden('Only the room\'s mentors and organization admins can do this.');
}

/** True when the caller can read a post with this audience and room. */
export async function canReadPost(ctx: Context, post: { audience: string; room_id: string | null; org_id: string; author_id: string }, db: Db = ctx.db): Promise<boolean> {
  const p = ctx.principal;
  if (post.org_id !== p.orgId) return false;
  if (post.audience !== 'room') return true;
  if (post.author_id === p.person?.id && p.roomIds === null) return true;
  if (post.room_id === null) return false;
  if (!withinRoomLimit(p, post.room_id)) return false;
  if (isOrgWide(p)) return true;
  return (await roleIn(db, post.room_id, p.person?.id)) !== null;
}
