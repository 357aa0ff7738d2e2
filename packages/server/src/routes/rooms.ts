/**
 * Rooms, members, messages, session notes with action items, and resources.
 * @module
 */
import type { NewMember, RoomRole } from '@menteo/api/rooms';
import {
  addActionItem, addRoomMember, createMessage, createResource, createRoom, createSessionNote, deleteResource, getRoom, listMessages,
  listResources, listRooms, listSessionNotes, removeRoomMember, updateActionItem, updateRoom, updateRoomMember,
} from '@menteo/api/rooms';
import { readableContent, readableRoom, requireActive, requireManager, requireParticipant } from '../auth/access.js';
import { authorOf, isOrgWide } from '../auth/principal.js';
import type { Context } from '../context.js';
import { ApiError, forbidden, invalid, notFound } from '../http/errors.js';
import { handle } from '../handler.js';
import { decodeCursor, pageOf } from '../storage/cursor.js';
import { isId, newId } from '../storage/ids.js';
import { strings } from '../storage/json.js';
import type { RoomsTable } from '../storage/schema.js';
import type { Db } from '../views/people.js';
import { messageViews, noteViews, resourceViews, roomView, roomViews } from '../views/rooms.js';

/** Checks that people exist, are active and belong to the caller's organization; `field(i)` names the offender. */
export async function requirePeople(ctx: Context, db: Db, ids: readonly string[], field: (index: number) => string): Promise<void> {
  if (ids.length === 0) return;
  const rows = await db.selectFrom('people').select(['id', 'active']).where('org_id', '=', ctx.principal.orgId).where('id', 'in', [...new Set(ids)]).execute();
  const active = new Set(rows.filter((r) => r.active === 1).map((r) => r.id));
  const index = ids.findIndex((id) => !active.has(id));
  if (index >= 0) throw notFound('The person (or they are deactivated)', field(index));
}

/** Limits for a page: the `limit` query with its default. */
export function pageLimit(limit: number | undefined): number {
  return limit ?? 20;
}

/** Decodes an id cursor of the given prefix. */
export function idCursor(cursor: string | undefined, prefix: string): string | undefined {
  return decodeCursor(cursor, 1, (p) => isId(p, prefix))?.[0];
}

async function refreshedRoom(ctx: Context, db: Db, roomId: string) {
  const row = await db.selectFrom('rooms').selectAll().where('id', '=', roomId).executeTakeFirstOrThrow();
  return roomView(db, row);
}

/** Room handlers. */
export const roomHandlers = [
  handle(listRooms, async ({ query, ctx }) => {
    const p = ctx.principal;
    const limit = pageLimit(query.limit);
    const after = idCursor(query.cursor, 'room');
    let q = ctx.db.selectFrom('rooms').selectAll().where('org_id', '=', p.orgId);
    if (!isOrgWide(p)) {
      q = q.where('id', 'in', ctx.db.selectFrom('room_members').select('room_id').where('person_id', '=', p.person?.id ?? ''));
    }
    if (p.roomIds !== null) q = q.where('id', 'in', p.roomIds.length > 0 ? [...p.roomIds] : ['']);
    if (query.memberId !== undefined) {
      q = q.where('id', 'in', ctx.db.selectFrom('room_members').select('room_id').where('person_id', '=', query.memberId));
    }
    if (query.status !== undefined) q = q.where('status', '=', query.status);
    if (after !== undefined) q = q.where('id', '<', after);
    const rows = await q.orderBy('id', 'desc').limit(limit + 1).execute();
    return pageOf(rows, limit, (r) => [r.id], await roomViews(ctx.db, rows.slice(0, limit)));
  }),

  handle(createRoom, async ({ body, ctx }) => {
    const p = ctx.principal;
    const creator = p.person;
    if (p.kind === 'token' && !isOrgWide(p) && !strings(creator?.roles ?? '[]').includes('mentor')) {
      throw forbidden('Only mentors and organization admins can open rooms.');
    }
    const members: NewMember[] = [...(body.members ?? [])];
    const seen = new Set<string>();
    members.forEach((m, i) => {
      if (seen.has(m.personId)) throw invalid(`members.${i}.personId`, 'This person is listed twice.');
      seen.add(m.personId);
    });
    // The person opening the room through a widget joins it as its mentor, or they could not see it.
    if (p.kind === 'token' && creator && !seen.has(creator.id)) members.unshift({ personId: creator.id, role: 'mentor' });
    await requirePeople(ctx, ctx.db, body.members?.map((m) => m.personId) ?? [], (i) => `members.${i}.personId`);
    const id = newId('room');
    return ctx.tx(async (trx, emit) => {
      const row: RoomsTable = { id, org_id: p.orgId, title: body.title, purpose: body.purpose ?? '', status: 'active', roadmap_id: null, created_at: ctx.now, updated_at: ctx.now };
      await trx.insertInto('rooms').values(row).execute();
      if (members.length > 0) {
        await trx.insertInto('room_members').values(members.map((m) => ({ room_id: id, person_id: m.personId, org_id: p.orgId, role: m.role, joined_at: ctx.now }))).execute();
      }
      const room = await roomView(trx, row);
      await emit({ orgId: p.orgId, event: { type: 'room.updated', occurredAt: ctx.now, roomId: id, data: room } });
      // Each member hears of the new room on their `me` (the creator too: another tab of theirs may not know it).
      for (const m of members) await emit({ orgId: p.orgId, personId: m.personId, event: { type: 'room.joined', occurredAt: ctx.now, roomId: id, data: room } });
      return room;
    });
  }),

  handle(getRoom, async ({ params, ctx }) => roomView(ctx.db, (await readableRoom(ctx, params.roomId)).room)),

  handle(updateRoom, async ({ params, body, ctx }) => {
    const access = await readableRoom(ctx, params.roomId);
    requireManager(access);
    // Archived rooms are read-only; the one change allowed is reopening.
    if (access.room.status === 'archived' && body.status !== 'active') requireActive(access);
    return ctx.tx(async (trx, emit) => {
      await trx.updateTable('rooms').set({
        title: body.title ?? access.room.title,
        purpose: body.purpose ?? access.room.purpose,
        status: body.status ?? access.room.status,
        updated_at: ctx.now,
      }).where('id', '=', access.room.id).execute();
      const room = await refreshedRoom(ctx, trx, access.room.id);
      await emit({ orgId: ctx.principal.orgId, event: { type: 'room.updated', occurredAt: ctx.now, roomId: room.id, data: room } });
      return room;
    });
  }),

  handle(addRoomMember, async ({ params, body, ctx }) => {
    const access = await readableRoom(ctx, params.roomId);
    requireManager(access);
    requireActive(access);
    await requirePeople(ctx, ctx.db, [body.personId], () => 'personId');
    return ctx.tx(async (trx, emit) => {
      const existing = await trx.selectFrom('room_members').select('role').where('room_id', '=', access.room.id).where('person_id', '=', body.personId).executeTakeFirst();
      if (existing) throw new ApiError('conflict', 'This person is already a member; change their role instead.', { field: 'personId' });
      await trx.insertInto('room_members').values({ room_id: access.room.id, person_id: body.personId, org_id: ctx.principal.orgId, role: body.role, joined_at: ctx.now }).execute();
      await trx.updateTable('rooms').set({ updated_at: ctx.now }).where('id', '=', access.room.id).execute();
      const room = await refreshedRoom(ctx, trx, access.room.id);
      await emit({ orgId: ctx.principal.orgId, event: { type: 'room.updated', occurredAt: ctx.now, roomId: room.id, data: room } });
      // The new member follows no `room:` topic of this room yet: they hear of it on their `me`.
      await emit({ orgId: ctx.principal.orgId, personId: body.personId, event: { type: 'room.joined', occurredAt: ctx.now, roomId: room.id, data: room } });
      return room;
    });
  }),

  handle(updateRoomMember, async ({ params, body, ctx }) => changeMember(ctx, params.roomId, params.personId, body.role)),
  handle(removeRoomMember, async ({ params, ctx }) => changeMember(ctx, params.roomId, params.personId, null)),

  handle(listMessages, async ({ params, query, ctx }) => {
    const access = await readableContent(ctx, params.roomId, 'messages', listMessages);
    const limit = pageLimit(query.limit);
    const after = idCursor(query.cursor, 'msg');
    let q = ctx.db.selectFrom('messages').selectAll().where('room_id', '=', access.room.id);
    if (after !== undefined) q = q.where('id', '<', after);
    const rows = await q.orderBy('id', 'desc').limit(limit + 1).execute();
    return pageOf(rows, limit, (r) => [r.id], await messageViews(ctx.db, rows.slice(0, limit)));
  }),

  handle(createMessage, async ({ params, body, ctx }) => {
    const access = await readableRoom(ctx, params.roomId);
    requireParticipant(access);
    const author = authorOf(ctx.principal);
    return ctx.tx(async (trx, emit) => {
      const row = { id: newId('msg'), org_id: ctx.principal.orgId, room_id: access.room.id, author_id: author.id, body: body.body, created_at: ctx.now };
      await trx.insertInto('messages').values(row).execute();
      const [message] = await messageViews(trx, [row]);
      if (!message) throw new Error('unreachable');
      await emit({ orgId: row.org_id, event: { type: 'message.created', occurredAt: ctx.now, roomId: row.room_id, data: message } });
      return message;
    });
  }),

  handle(listSessionNotes, async ({ params, query, ctx }) => {
    const access = await readableContent(ctx, params.roomId, 'notes', listSessionNotes);
    const limit = pageLimit(query.limit);
    // Newest session first: the key is (sessionDate, id), both descending.
    const after = decodeCursor(query.cursor, 2, (p, i) => (i === 0 ? /^\d{4}-\d{2}-\d{2}$/.test(p) : isId(p, 'note')));
    let q = ctx.db.selectFrom('notes').selectAll().where('room_id', '=', access.room.id);
    if (after) {
      const [date = '', id = ''] = after;
      q = q.where((eb) => eb.or([eb('session_date', '<', date), eb.and([eb('session_date', '=', date), eb('id', '<', id)])]));
    }
    const rows = await q.orderBy('session_date', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
    return pageOf(rows, limit, (r) => [r.session_date, r.id], await noteViews(ctx.db, rows.slice(0, limit)));
  }),

  handle(createSessionNote, async ({ params, body, ctx }) => {
    const access = await readableRoom(ctx, params.roomId);
    requireParticipant(access);
    const author = authorOf(ctx.principal);
    const items = body.actionItems ?? [];
    await requirePeople(ctx, ctx.db, items.flatMap((i) => (i.ownerId ? [i.ownerId] : [])), (n) => {
      let seen = -1;
      const index = items.findIndex((i) => i.ownerId !== undefined && ++seen === n);
      return `actionItems.${index}.ownerId`;
    });
    return ctx.tx(async (trx, emit) => {
      const row = { id: newId('note'), org_id: ctx.principal.orgId, room_id: access.room.id, author_id: author.id, session_date: body.sessionDate, summary: body.summary, created_at: ctx.now, updated_at: ctx.now };
      await trx.insertInto('notes').values(row).execute();
      if (items.length > 0) {
        await trx.insertInto('action_items').values(items.map((i) => ({
          id: newId('act'), org_id: row.org_id, note_id: row.id, text: i.text, owner_id: i.ownerId ?? null, due_date: i.dueDate ?? null, done: 0, done_at: null,
        }))).execute();
      }
      const [note] = await noteViews(trx, [row]);
      if (!note) throw new Error('unreachable');
      await emit({ orgId: row.org_id, event: { type: 'note.created', occurredAt: ctx.now, roomId: row.room_id, data: note } });
      return note;
    });
  }),

  handle(addActionItem, async ({ params, body, ctx }) => {
    // The answer is the whole session note: its content rule applies, as to reading it.
    const access = await readableContent(ctx, params.roomId, 'notes', addActionItem);
    const note = await ctx.db.selectFrom('notes').selectAll().where('id', '=', params.noteId).where('room_id', '=', access.room.id).executeTakeFirst();
    if (!note) throw notFound('The session note');
    requireParticipant(access);
    if (body.ownerId) await requirePeople(ctx, ctx.db, [body.ownerId], () => 'ownerId');
    const count = await ctx.db.selectFrom('action_items').select((eb) => eb.fn.countAll<number>().as('n')).where('note_id', '=', note.id).executeTakeFirstOrThrow();
    if (Number(count.n) >= 30) throw new ApiError('conflict', 'A session note holds at most 30 action items; record a new session instead.');
    return ctx.tx(async (trx, emit) => {
      await trx.insertInto('action_items').values({
        id: newId('act'), org_id: note.org_id, note_id: note.id, text: body.text, owner_id: body.ownerId ?? null, due_date: body.dueDate ?? null, done: 0, done_at: null,
      }).execute();
      await trx.updateTable('notes').set({ updated_at: ctx.now }).where('id', '=', note.id).execute();
      const [view] = await noteViews(trx, [{ ...note, updated_at: ctx.now }]);
      if (!view) throw new Error('unreachable');
      await emit({ orgId: note.org_id, event: { type: 'note.updated', occurredAt: ctx.now, roomId: note.room_id, data: view } });
      return view;
    });
  }),

  handle(updateActionItem, async ({ params, body, ctx }) => {
    // The answer is the whole session note: its content rule applies, as to reading it.
    const access = await readableContent(ctx, params.roomId, 'notes', updateActionItem);
    const note = await ctx.db.selectFrom('notes').selectAll().where('id', '=', params.noteId).where('room_id', '=', access.room.id).executeTakeFirst();
    if (!note) throw notFound('The session note');
    const item = await ctx.db.selectFrom('action_items').selectAll().where('id', '=', params.itemId).where('note_id', '=', note.id).executeTakeFirst();
    if (!item) throw notFound('The action item');
    requireParticipant(access);
    if (body.ownerId) await requirePeople(ctx, ctx.db, [body.ownerId], () => 'ownerId');
    return ctx.tx(async (trx, emit) => {
      const done = body.done ?? item.done === 1;
      await trx.updateTable('action_items').set({
        text: body.text ?? item.text,
        owner_id: body.ownerId !== undefined ? body.ownerId : item.owner_id,
        due_date: body.dueDate !== undefined ? body.dueDate : item.due_date,
        done: done ? 1 : 0,
        done_at: done ? (item.done === 1 ? item.done_at : ctx.now) : null,
      }).where('id', '=', item.id).execute();
      await trx.updateTable('notes').set({ updated_at: ctx.now }).where('id', '=', note.id).execute();
      const [view] = await noteViews(trx, [{ ...note, updated_at: ctx.now }]);
      if (!view) throw new Error('unreachable');
      await emit({ orgId: note.org_id, event: { type: 'note.updated', occurredAt: ctx.now, roomId: note.room_id, data: view } });
      return view;
    });
  }),

  handle(listResources, async ({ params, query, ctx }) => {
    const access = await readableContent(ctx, params.roomId, 'resources', listResources);
    const limit = pageLimit(query.limit);
    const after = idCursor(query.cursor, 'res');
    let q = ctx.db.selectFrom('resources').selectAll().where('room_id', '=', access.room.id);
    if (after !== undefined) q = q.where('id', '<', after);
    const rows = await q.orderBy('id', 'desc').limit(limit + 1).execute();
    return pageOf(rows, limit, (r) => [r.id], await resourceViews(ctx.db, rows.slice(0, limit)));
  }),

  handle(createResource, async ({ params, body, ctx }) => {
    const access = await readableRoom(ctx, params.roomId);
    requireParticipant(access);
    const author = authorOf(ctx.principal);
    return ctx.tx(async (trx, emit) => {
      const row = { id: newId('res'), org_id: ctx.principal.orgId, room_id: access.room.id, title: body.title, url: body.url, note: body.note ?? '', added_by: author.id, created_at: ctx.now };
      await trx.insertInto('resources').values(row).execute();
      const [resource] = await resourceViews(trx, [row]);
      if (!resource) throw new Error('unreachable');
      await emit({ orgId: row.org_id, event: { type: 'resource.created', occurredAt: ctx.now, roomId: row.room_id, data: resource } });
      return resource;
    });
  }),

  handle(deleteResource, async ({ params, ctx }) => {
    const access = await readableRoom(ctx, params.roomId);
    const row = await ctx.db.selectFrom('resources').selectAll().where('id', '=', params.resourceId).where('room_id', '=', access.room.id).executeTakeFirst();
    if (!row) throw notFound('The resource');
    requireParticipant(access);
    const mine = ctx.principal.person?.id === row.added_by;
    if (!mine && !access.orgWide && access.role !== 'mentor') throw forbidden('Only whoever added a resource, or a mentor, can remove it.');
    await ctx.tx(async (trx, emit) => {
      await trx.deleteFrom('resources').where('id', '=', row.id).execute();
      await emit({ orgId: row.org_id, event: { type: 'resource.deleted', occurredAt: ctx.now, roomId: row.room_id, data: { id: row.id } } });
    });
  }),
];

async function changeMember(ctx: Context, roomId: string, personId: string, role: RoomRole | null) {
  const access = await readableRoom(ctx, roomId);
  requireManager(access);
  requireActive(access);
  return ctx.tx(async (trx, emit) => {
    const existing = await trx.selectFrom('room_members').select('role').where('room_id', '=', roomId).where('person_id', '=', personId).executeTakeFirst();
    if (!existing) throw notFound('The member');
    if (role === null) await trx.deleteFrom('room_members').where('room_id', '=', roomId).where('person_id', '=', personId).execute();
    else await trx.updateTable('room_members').set({ role }).where('room_id', '=', roomId).where('person_id', '=', personId).execute();
    await trx.updateTable('rooms').set({ updated_at: ctx.now }).where('id', '=', roomId).execute();
    const room = await refreshedRoom(ctx, trx, roomId);
    await emit({ orgId: ctx.principal.orgId, event: { type: 'room.updated', occurredAt: ctx.now, roomId, data: room } });
    return room;
  });
}
