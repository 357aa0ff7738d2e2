/**
 * Check-ins, feedback (both directions), the mentors' learning log and program health.
 * @module
 */
import {
  createCheckIn, createFeedback, createLearning, getProgramHealth, listCheckIns, listFeedback, listLearnings, type RoomHealth,
} from '@menteo/api/feedback';
import { readableRoom, requireParticipant, roleIn } from '../auth/access.js';
import { authorOf, isOrgWide } from '../auth/principal.js';
import { forbidden, invalid, notFound } from '../http/errors.js';
import { handle } from '../handler.js';
import { pageOf } from '../storage/cursor.js';
import { newId } from '../storage/ids.js';
import { json } from '../storage/json.js';
import { checkInViews, feedbackViews, learningViews } from '../views/feedback.js';
import { idCursor, pageLimit } from './rooms.js';

/** Feedback handlers. */
export const feedbackHandlers = [
  handle(listCheckIns, async ({ params, query, ctx }) => {
    const { room } = await readableRoom(ctx, params.roomId);
    const limit = pageLimit(query.limit);
    const after = idCursor(query.cursor, 'chk');
    let q = ctx.db.selectFrom('check_ins').selectAll().where('room_id', '=', room.id);
    if (after !== undefined) q = q.where('id', '<', after);
    const rows = await q.orderBy('id', 'desc').limit(limit + 1).execute();
    return pageOf(rows, limit, (r) => [r.id], await checkInViews(ctx.db, rows.slice(0, limit)));
  }),

  handle(createCheckIn, async ({ params, body, ctx }) => {
    const access = await readableRoom(ctx, params.roomId);
    requireParticipant(access);
    const author = authorOf(ctx.principal);
    return ctx.tx(async (trx, emit) => {
      const row = { id: newId('chk'), org_id: ctx.principal.orgId, room_id: access.room.id, author_id: author.id, progress: body.progress, blockers: body.blockers ?? '', confidence: body.confidence, created_at: ctx.now };
      await trx.insertInto('check_ins').values(row).execute();
      const [view] = await checkInViews(trx, [row]);
      if (!view) throw new Error('unreachable');
      await emit({ orgId: row.org_id, event: { type: 'checkin.created', occurredAt: ctx.now, roomId: row.room_id, data: view } });
      return view;
    });
  }),

  handle(listFeedback, async ({ params, query, ctx }) => {
    const { room } = await readableRoom(ctx, params.roomId);
    const limit = pageLimit(query.limit);
    const after = idCursor(query.cursor, 'fbk');
    let q = ctx.db.selectFrom('feedback').selectAll().where('room_id', '=', room.id);
    if (after !== undefined) q = q.where('id', '<', after);
    const rows = await q.orderBy('id', 'desc').limit(limit + 1).execute();
    return pageOf(rows, limit, (r) => [r.id], await feedbackViews(ctx.db, rows.slice(0, limit)));
  }),

  handle(createFeedback, async ({ params, body, ctx }) => {
    const access = await readableRoom(ctx, params.roomId);
    requireParticipant(access);
    const author = authorOf(ctx.principal);
    // The direction follows the author's role in the room, so it cannot be misreported.
    const role = access.role !== null && ctx.principal.person?.id === author.id ? access.role : await roleIn(ctx.db, access.room.id, author.id);
    if (role !== 'mentor' && role !== 'mentee') throw forbidden('Only the room\'s mentors and mentees give feedback in it.');
    const direction = role === 'mentor' ? 'mentor_to_mentee' : 'mentee_to_mentor';
    if (body.subject === 'room' && body.subjectId !== undefined) throw invalid('subjectId', 'Feedback on the room as a whole takes no subjectId.');
    if (body.subject !== 'room') {
      if (body.subjectId === undefined) throw invalid('subjectId', `Feedback on a ${body.subject} needs its id.`);
      const table = body.subject === 'session' ? 'notes' : 'roadmaps';
      const prefix = body.subject === 'session' ? 'note_' : 'rmap_';
      if (!body.subjectId.startsWith(prefix)) throw invalid('subjectId', `A ${body.subject} subject is a ${prefix}… id.`);
      const found = await ctx.db.selectFrom(table).select('id').where('id', '=', body.subjectId).where('room_id', '=', access.room.id).executeTakeFirst();
      if (!found) throw notFound(`The ${body.subject}`, 'subjectId');
    }
    return ctx.tx(async (trx, emit) => {
      const row = {
        id: newId('fbk'), org_id: ctx.principal.orgId, room_id: access.room.id, author_id: author.id, direction, subject: body.subject,
        subject_id: body.subjectId ?? null, rating: body.rating, comment: body.comment ?? '', created_at: ctx.now,
      };
      await trx.insertInto('feedback').values(row).execute();
      const [view] = await feedbackViews(trx, [row]);
      if (!view) throw new Error('unreachable');
      await emit({ orgId: row.org_id, event: { type: 'feedback.created', occurredAt: ctx.now, roomId: row.room_id, data: view } });
      return view;
    });
  }),

  handle(listLearnings, async ({ params, query, ctx }) => {
    const { room } = await readableRoom(ctx, params.roomId);
    const limit = pageLimit(query.limit);
    const after = idCursor(query.cursor, 'lrn');
    let q = ctx.db.selectFrom('learnings').selectAll().where('room_id', '=', room.id);
    if (after !== undefined) q = q.where('id', '<', after);
    const rows = await q.orderBy('id', 'desc').limit(limit + 1).execute();
    return pageOf(rows, limit, (r) => [r.id], await learningViews(ctx.db, rows.slice(0, limit)));
  }),

  handle(createLearning, async ({ params, body, ctx }) => {
    const access = await readableRoom(ctx, params.roomId);
    requireParticipant(access);
    const author = authorOf(ctx.principal);
    const role = await roleIn(ctx.db, access.room.id, author.id);
    if (role !== 'mentor') throw forbidden('The learning log is the mentors\' own; only mentors of the room add to it.');
    return ctx.tx(async (trx, emit) => {
      const row = { id: newId('lrn'), org_id: ctx.principal.orgId, room_id: access.room.id, author_id: author.id, body: body.body, skills: json([...new Set(body.skills ?? [])]), created_at: ctx.now };
      await trx.insertInto('learnings').values(row).execute();
      const [view] = await learningViews(trx, [row]);
      if (!view) throw new Error('unreachable');
      await emit({ orgId: row.org_id, event: { type: 'learning.created', occurredAt: ctx.now, roomId: row.room_id, data: view } });
      return view;
    });
  }),

  handle(getProgramHealth, async ({ query, ctx }) => {
    const p = ctx.principal;
    // The scope alone is not enough for a person: program health is for organization admins.
    if (!isOrgWide(p)) throw forbidden('Program health is for organization admins.');
    const limit = pageLimit(query.limit);
    const after = idCursor(query.cursor, 'room');
    let q = ctx.db.selectFrom('rooms').selectAll().where('org_id', '=', p.orgId);
    if (p.roomIds !== null) q = q.where('id', 'in', p.roomIds.length > 0 ? [...p.roomIds] : ['']);
    if (after !== undefined) q = q.where('id', '<', after);
    const rows = await q.orderBy('id', 'desc').limit(limit + 1).execute();
    const rooms = rows.slice(0, limit);
    const ids = rooms.length > 0 ? rooms.map((r) => r.id) : [''];
    const today = ctx.now.slice(0, 10);
    const [members, milestones, activity, confidence, ratings] = await Promise.all([
      ctx.db.selectFrom('room_members').select(['room_id', 'person_id', 'role']).where('room_id', 'in', ids).orderBy('joined_at').orderBy('person_id').execute(),
      ctx.db.selectFrom('milestones').innerJoin('roadmaps', 'roadmaps.id', 'milestones.roadmap_id')
        .select(['roadmaps.room_id as room_id', 'milestones.status as status', 'milestones.due_date as due_date']).where('roadmaps.room_id', 'in', ids).execute(),
      ctx.db.selectFrom('events').select('room_id').select((eb) => eb.fn.max('occurred_at').as('last')).where('room_id', 'in', ids).groupBy('room_id').execute(),
      ctx.db.selectFrom('check_ins').select('room_id').select((eb) => eb.fn.avg<number>('confidence').as('avg')).where('room_id', 'in', ids).groupBy('room_id').execute(),
      ctx.db.selectFrom('feedback').select('room_id').select((eb) => eb.fn.avg<number>('rating').as('avg')).where('room_id', 'in', ids).groupBy('room_id').execute(),
    ]);
    const items: RoomHealth[] = rooms.map((room) => {
      const mine = milestones.filter((m) => m.room_id === room.id);
      const count = (status: string) => mine.filter((m) => m.status === status).length;
      const avgOf = (list: readonly { room_id: string | null; avg: number | string | null }[]) => {
        const v = list.find((x) => x.room_id === room.id)?.avg;
        return v === undefined || v === null ? null : Math.round(Number(v) * 100) / 100;
      };
      return {
        roomId: room.id,
        title: room.title,
        status: room.status,
        mentorIds: members.filter((m) => m.room_id === room.id && m.role === 'mentor').map((m) => m.person_id),
        menteeIds: members.filter((m) => m.room_id === room.id && m.role === 'mentee').map((m) => m.person_id),
        milestones: {
          planned: count('planned'), in_progress: count('in_progress'), done: count('done'), blocked: count('blocked'),
          overdue: mine.filter((m) => m.status !== 'done' && m.due_date < today).length,
        },
        lastActivityAt: activity.find((a) => a.room_id === room.id)?.last ?? null,
        averageConfidence: avgOf(confidence),
        averageRating: avgOf(ratings),
      };
    });
    return pageOf(rows, limit, (r) => [r.id], items);
  }),
];
