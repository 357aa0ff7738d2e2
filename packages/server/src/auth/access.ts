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
import { strings } from '../storage/json.js';
import type { Db } from '../views/people.js';
import { isOrgWide, readsEveryRoomContent } from './principal.js';
import type { Operation } from '@menteo/api/operation';
import { newId } from '../storage/ids.js';

/** The person a request acts as: a token's person, or the person an API key names with `Menteo-Act-As`. */
export interface Actor {
  readonly id: string;
  /** An organization admin, who may contribute to any room. */
  readonly admin: boolean;
}

/** A room the caller can read, with the caller's role in it. */
export interface RoomAccess {
  readonly room: RoomsTable;
  /** The actor's role; null for API keys without `Menteo-Act-As`, and for admins who are not members. */
  readonly role: RoomRole | null;
  /** True for API keys and organization admins: they read and manage every room. */
  readonly orgWide: boolean;
  /** Who writes here are authored by; null for an API key without `Menteo-Act-As`. */
  readonly actor: Actor | null;
}

/** The actor of a request, or null for an API key that names no one. */
export function actorOf(principal: Principal): Actor | null {
  const person = principal.person;
  return person ? { id: person.id, admin: strings(person.roles).includes('admin') } : null;
}

/**
 * True when the request may contribute to a room on the organization's authority rather than a
 * role in it: an admin who is not the room's observer (acting as themselves or named by
 * `Menteo-Act-As`), or an API key naming no one (whose authored writes then ask for `Menteo-Act-As`, see `authorOf`). A key acting as
 * someone has exactly that person's rights: the key cannot make them an author where they could
 * not write themselves.
 */
export function contributesAsOrganization(access: Pick<RoomAccess, 'orgWide' | 'actor' | 'role'>): boolean {
  // An explicit observer role wins: an admin who joined a room to observe it reads only there.
  if (access.role === 'observer') return false;
  return access.actor === null ? access.orgWide : access.actor.admin;
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
  return { room, role, orgWide, actor: actorOf(p) };
}

/** A kind of room content: what people wrote there (the audit log's `resource`). */
export type RoomContent = 'messages' | 'notes' | 'resources' | 'check-ins' | 'feedback' | 'feedback-requests' | 'learnings';

/**
 * Loads a room whose CONTENT the caller reads: the one rule of privacy by design for admins.
 * The room's members read it, and API keys (integrations acting for the organization); an
 * organization admin who is not in the room reads it only while the organization's
 * `adminContentAccess` is on, and then each read is recorded in the audit log (who, which room,
 * what, through which endpoint, when). Otherwise 403: the admin may know the room, not what was
 * said in it.
 */
export async function readableContent(ctx: Context, roomId: string, content: RoomContent, endpoint: Pick<Operation, 'method' | 'path'>): Promise<RoomAccess> {
  const access = await readableRoom(ctx, roomId);
  const p = ctx.principal;
  if (access.role !== null || readsEveryRoomContent(p)) return access;
  const org = await ctx.db.selectFrom('organizations').select('admin_content_access').where('id', '=', p.orgId).executeTakeFirstOrThrow();
  if (org.admin_content_access !== 1) {
    throw forbidden('Organization admins see program metrics and at-risk reasons, not what people wrote in rooms they are not in. The organization can allow it (adminContentAccess), and every read is then audited.');
  }
  await ctx.db.insertInto('audit_log').values({
    id: newId('aud'), org_id: p.orgId, at: ctx.now, action: 'content.read', actor_kind: p.kind === 'key' ? 'key' : 'person',
    actor_person_id: p.person?.id ?? null, actor_key_id: p.kind === 'key' ? p.credentialId : null, room_id: access.room.id,
    resource: content, endpoint: `${endpoint.method} ${endpoint.path}`, request_id: ctx.requestId, change: null,
  }).execute();
  return access;
}

function archivedConflict(): ApiError {
  return new ApiError('conflict', 'The room is archived and read-only; reopen it (status: active) to change it.');
}

/** Throws 409 when the room is archived (read-only). */
export function requireActive(access: Pick<RoomAccess, 'room'>): void {
  if (access.room.status === 'archived') throw archivedConflict();
}

function notContributor(role: RoomRole | null): ApiError {
  return role === 'observer'
    ? forbidden('Observers can read this room but not contribute to it.')
    : forbidden('Only the room\'s mentors and mentees (and organization admins) contribute to it; the acting person is not a member.');
}

/**
 * Contributions (messages, notes, resources, check-ins, threads, posts) come from the room's
 * mentors and mentees, or from organization admins; observers only read. The rule is about the
 * actor, so it binds an API key's `Menteo-Act-As` person exactly as that person's own token.
 */
export function requireParticipant(access: RoomAccess): void {
  requireActive(access);
  if (access.role === 'mentor' || access.role === 'mentee') return;
  if (contributesAsOrganization(access)) return;
  throw notContributor(access.role);
}

/** Throws 409 when a post belongs to an archived room: its comments, reactions and deletion are frozen with the room. */
export async function requirePostRoomActive(post: { room_id: string | null }, db: Db): Promise<void> {
  if (post.room_id === null) return;
  const room = await db.selectFrom('rooms').select('status').where('id', '=', post.room_id).executeTakeFirst();
  if (room?.status === 'archived') throw archivedConflict();
}

/**
 * Responses to a post the caller can read (comments, reactions). The post's room decides, as for
 * any contribution: its archived state (409), and its roles, so an observer only reads, even a
 * post addressed to the whole organization. On a `room` post the actor must also be able to
 * contribute to the room; `org` and `public` posts take responses from anyone else in the
 * organization. Call it after `authorOf`, which asks an API key for `Menteo-Act-As`.
 */
export async function requireResponder(ctx: Context, post: { audience: string; room_id: string | null }, db: Db = ctx.db): Promise<void> {
  await requirePostRoomActive(post, db);
  if (post.room_id === null) return;
  const actor = actorOf(ctx.principal);
  if (actor === null) return;
  const role = await roleIn(db, post.room_id, actor.id);
  if (role === 'observer') throw notContributor(role);
  if (post.audience === 'room' && role === null && !actor.admin) throw notContributor(role);
  // (An admin who observes the room is refused above, like any observer.)
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
  if (readsEveryRoomContent(p)) return true;
  return (await roleIn(db, post.room_id, p.person?.id)) !== null;
}
