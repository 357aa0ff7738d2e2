/**
 * Check-ins, feedback (both directions), the mentors' learning log and program health.
 * @module
 */
import {
  createCheckIn, createFeedback, createFeedbackRequest, createLearning, getCheckInTrends, getProgramHealth, listCheckIns, listFeedback,
  listFeedbackRequests, listLearnings, MAX_TREND_POINTS, type CheckInTrend, type FeedbackSubject,
} from '@menteo/api/feedback';
import { sql } from 'kysely';
import { readableContent, readableRoom, requireParticipant, roleIn, type RoomAccess } from '../auth/access.js';
import { authorOf, isOrgWide } from '../auth/principal.js';
import type { Context } from '../context.js';
import { ApiError, forbidden, invalid, notFound } from '../http/errors.js';
import { handle } from '../handler.js';
import { pageOf } from '../storage/cursor.js';
import { newId } from '../storage/ids.js';
import { json } from '../storage/json.js';
import type { CheckInsTable } from '../storage/schema.js';
import { checkInViews, feedbackRequestViews, feedbackViews, learningViews } from '../views/feedback.js';
import { loadPeople, must } from '../views/people.js';
import { idCursor, pageLimit } from './rooms.js';
import { roomHealthRows, roomsIn } from '../health/program.js';
import { healthScope } from './health.js';

/** Validates what feedback (or a request for it) is about: a note or roadmap of this room, or the room itself. */
async function checkSubject(ctx: Context, access: RoomAccess, subject: FeedbackSubject, subjectId: string | undefined): Promise<void> {
  if (subject === 'room') {
    if (subjectId !== undefined) throw invalid('subjectId', 'Feedback on the room as a whole takes no subjectId.');
    return;
  }
  if (subjectId === undefined) throw invalid('subjectId', `Feedback on a ${subject} needs its id.`);
  const table = subject === 'session' ? 'notes' : 'roadmaps';
  const prefix = subject === 'session' ? 'note_' : 'rmap_';
  if (!subjectId.startsWith(prefix)) throw invalid('subjectId', `A ${subject} subject is a ${prefix}… id.`);
  const found = await ctx.db.selectFrom(table).select('id').where('id', '=', subjectId).where('room_id', '=', access.room.id).executeTakeFirst();
  if (!found) throw notFound(`The ${subject}`, 'subjectId');
}

/** Feedback handlers. */
export const feedbackHandlers = [
  handle(listCheckIns, async ({ params, query, ctx }) => {
    const { room } = await readableContent(ctx, params.roomId, 'check-ins', listCheckIns);
    const limit = pageLimit(query.limit);
    const after = idCursor(query.cursor, 'chk');
    let q = ctx.db.selectFrom('check_ins').selectAll().where('room_id', '=', room.id);
    if (query.authorId !== undefined) q = q.where('author_id', '=', query.authorId);
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
    const { room } = await readableContent(ctx, params.roomId, 'feedback', listFeedback);
    const limit = pageLimit(query.limit);
    const after = idCursor(query.cursor, 'fbk');
    let q = ctx.db.selectFrom('feedback').selectAll().where('room_id', '=', room.id);
    if (query.direction !== undefined) q = q.where('direction', '=', query.direction);
    if (query.authorId !== undefined) q = q.where('author_id', '=', query.authorId);
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
    await checkSubject(ctx, access, body.subject, body.subjectId);
    const request = body.requestId !== undefined
      ? await ctx.db.selectFrom('feedback_requests').selectAll().where('id', '=', body.requestId).where('room_id', '=', access.room.id).executeTakeFirst()
      : undefined;
    if (body.requestId !== undefined) {
      if (!request) throw notFound('The feedback request', 'requestId');
      if (request.recipient_id !== author.id) throw forbidden('Only the person asked answers this request.');
      if (request.answered_by !== null) throw new ApiError('conflict', 'This request was already answered.', { field: 'requestId' });
      if (request.subject !== body.subject || request.subject_id !== (body.subjectId ?? null)) {
        throw invalid('subject', `The request asks about its ${request.subject}${request.subject_id ? ` ${request.subject_id}` : ''}; answer with the same subject and subjectId.`);
      }
    }
    return ctx.tx(async (trx, emit) => {
      const row = {
        id: newId('fbk'), org_id: ctx.principal.orgId, room_id: access.room.id, author_id: author.id, direction, subject: body.subject,
        subject_id: body.subjectId ?? null, rating: body.rating, comment: body.comment ?? '', created_at: ctx.now,
      };
      await trx.insertInto('feedback').values(row).execute();
      if (request) {
        // Only an open request is answered: two concurrent answers cannot both win.
        const done = await trx.updateTable('feedback_requests').set({ answered_by: row.id, answered_at: ctx.now })
          .where('id', '=', request.id).where('answered_by', 'is', null).executeTakeFirst();
        if (Number(done.numUpdatedRows) !== 1) throw new ApiError('conflict', 'This request was already answered.', { field: 'requestId' });
      }
      const [view] = await feedbackViews(trx, [row]);
      if (!view) throw new Error('unreachable');
      await emit({ orgId: row.org_id, event: { type: 'feedback.created', occurredAt: ctx.now, roomId: row.room_id, data: view } });
      return view;
    });
  }),

  handle(getCheckInTrends, async ({ params, ctx }) => {
    const { room } = await readableRoom(ctx, params.roomId);
    // Each author's last points only, in one query.
    const rows = await sql<CheckInsTable>`
      select id, org_id, room_id, author_id, progress, blockers, confidence, created_at from (
        select c.*, row_number() over (partition by author_id order by id desc) as rn from check_ins c where room_id = ${room.id}
      ) latest where rn <= ${MAX_TREND_POINTS} order by id`.execute(ctx.db);
    const members = await ctx.db.selectFrom('room_members').select(['person_id', 'role']).where('room_id', '=', room.id).execute();
    const milestones = await ctx.db.selectFrom('milestones').innerJoin('roadmaps', 'roadmaps.id', 'milestones.roadmap_id')
      .select(['roadmaps.owner_id as owner_id', 'milestones.completed_at as completed_at']).where('roadmaps.room_id', '=', room.id).execute();
    const authors = [...new Set(rows.rows.map((r) => r.author_id))];
    const people = await loadPeople(ctx.db, authors);
    const roleOf = (id: string) => members.find((m) => m.person_id === id)?.role ?? null;
    const trends = authors.map((id): CheckInTrend => {
      const own = milestones.filter((m) => m.owner_id === id);
      const points = rows.rows.filter((r) => r.author_id === id).map((r) => ({
        checkInId: r.id, at: r.created_at, confidence: Number(r.confidence),
        milestonesDone: own.filter((m) => m.completed_at !== null && m.completed_at <= r.created_at).length,
        milestonesTotal: own.length,
      }));
      const last = points.at(-1);
      const prev = points.at(-2);
      const direction = last && prev ? (last.confidence > prev.confidence ? 'up' : last.confidence < prev.confidence ? 'down' : 'flat') : null;
      return { person: must(people, id), points, direction };
    });
    trends.sort((a, b) => Number(roleOf(b.person.id) === 'mentee') - Number(roleOf(a.person.id) === 'mentee')
      || a.person.displayName.localeCompare(b.person.displayName) || a.person.id.localeCompare(b.person.id));
    return { roomId: room.id, people: trends };
  }),

  handle(listFeedbackRequests, async ({ params, query, ctx }) => {
    const { room } = await readableContent(ctx, params.roomId, 'feedback-requests', listFeedbackRequests);
    const limit = pageLimit(query.limit);
    const after = idCursor(query.cursor, 'fbr');
    let q = ctx.db.selectFrom('feedback_requests').selectAll().where('room_id', '=', room.id);
    if (query.state === 'open') q = q.where('answered_by', 'is', null);
    if (query.state === 'answered') q = q.where('answered_by', 'is not', null);
    if (query.recipientId !== undefined) q = q.where('recipient_id', '=', query.recipientId);
    if (after !== undefined) q = q.where('id', '<', after);
    const rows = await q.orderBy('id', 'desc').limit(limit + 1).execute();
    return pageOf(rows, limit, (r) => [r.id], await feedbackRequestViews(ctx.db, rows.slice(0, limit)));
  }),

  handle(createFeedbackRequest, async ({ params, body, ctx }) => {
    const access = await readableRoom(ctx, params.roomId);
    requireParticipant(access);
    const requester = authorOf(ctx.principal);
    const role = await roleIn(ctx.db, access.room.id, requester.id);
    if (role !== 'mentor' && role !== 'mentee') throw forbidden('Only the room\'s mentors and mentees ask for feedback in it.');
    if (body.recipientId === requester.id) throw invalid('recipientId', 'Ask someone else for feedback.');
    const recipientRole = await roleIn(ctx.db, access.room.id, body.recipientId);
    if (recipientRole !== 'mentor' && recipientRole !== 'mentee') throw invalid('recipientId', 'The person asked must be a mentor or mentee of the room.');
    await checkSubject(ctx, access, body.subject, body.subjectId);
    return ctx.tx(async (trx, emit) => {
      const row = {
        id: newId('fbr'), org_id: ctx.principal.orgId, room_id: access.room.id, requester_id: requester.id, recipient_id: body.recipientId,
        subject: body.subject, subject_id: body.subjectId ?? null, message: body.message ?? '', answered_by: null, answered_at: null, created_at: ctx.now,
      };
      await trx.insertInto('feedback_requests').values(row).execute();
      const [view] = await feedbackRequestViews(trx, [row]);
      if (!view) throw new Error('unreachable');
      await emit({ orgId: row.org_id, event: { type: 'feedback.requested', occurredAt: ctx.now, roomId: row.room_id, data: view } });
      return view;
    });
  }),

  handle(listLearnings, async ({ params, query, ctx }) => {
    const { room } = await readableContent(ctx, params.roomId, 'learnings', listLearnings);
    const limit = pageLimit(query.limit);
    const after = idCursor(query.cursor, 'lrn');
    let q = ctx.db.selectFrom('learnings').selectAll().where('room_id', '=', room.id);
    if (query.authorId !== undefined) q = q.where('author_id', '=', query.authorId);
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
    const scope = await healthScope(ctx, query.cohortId);
    const limit = pageLimit(query.limit);
    const after = idCursor(query.cursor, 'room');
    let q = roomsIn(ctx.db, scope).selectAll('rooms');
    if (after !== undefined) q = q.where('rooms.id', '<', after);
    const rows = await q.orderBy('rooms.id', 'desc').limit(limit + 1).execute();
    const items = await roomHealthRows(ctx.db, rows.slice(0, limit), ctx.now);
    return pageOf(rows, limit, (r) => [r.id], items);
  }),
];
