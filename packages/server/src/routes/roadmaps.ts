/**
 * Roadmaps, milestones and revisions. Every change after creation carries a reason, is recorded
 * as a revision listing each field's before and after, and bumps `version`; a stale
 * `baseVersion` answers 409 so concurrent editors do not overwrite each other silently.
 * @module
 */
import type { FieldChange, NewMilestone, Roadmap } from '@menteo/api/roadmaps';
import {
  addMilestone, createRoadmap, getRoadmap, listRevisions, listRoadmaps, removeMilestone, updateMilestone, updateRoadmap,
} from '@menteo/api/roadmaps';
import type { Transaction } from 'kysely';
import { contributesAsOrganization, readableRoom, requireActive, type RoomAccess } from '../auth/access.js';
import { authorOf, isOrgWide } from '../auth/principal.js';
import type { Context } from '../context.js';
import type { EventDraft } from '../events/store.js';
import { ApiError, forbidden, invalid, notFound } from '../http/errors.js';
import { handle } from '../handler.js';
import { pageOf } from '../storage/cursor.js';
import { forUpdate } from '../storage/dialect.js';
import { newId } from '../storage/ids.js';
import { json, strings } from '../storage/json.js';
import type { Database, MilestonesTable, RoadmapsTable } from '../storage/schema.js';
import type { Db } from '../views/people.js';
import { revisionViews, roadmapViews } from '../views/roadmaps.js';
import { postViews } from '../views/threads.js';
import { idCursor, pageLimit } from './rooms.js';
import { readablePost } from './threads.js';

/** A roadmap the caller can read, with access to its room. */
export interface RoadmapAccess {
  readonly roadmap: RoadmapsTable;
  readonly access: RoomAccess;
}

/** Loads a roadmap whose room the caller can read, or 404. */
export async function readableRoadmap(ctx: Context, roadmapId: string, field?: string, db: Db = ctx.db): Promise<RoadmapAccess> {
  const roadmap = await db.selectFrom('roadmaps').selectAll().where('id', '=', roadmapId).where('org_id', '=', ctx.principal.orgId).executeTakeFirst();
  if (!roadmap) throw notFound('The roadmap', field);
  try {
    return { roadmap, access: await readableRoom(ctx, roadmap.room_id, field, db) };
  } catch {
    throw notFound('The roadmap', field);
  }
}

/** Loads a milestone whose roadmap the caller can read, or 404 naming `field`. */
export async function readableMilestone(ctx: Context, milestoneId: string, field?: string): Promise<MilestonesTable> {
  const row = await ctx.db.selectFrom('milestones').selectAll().where('id', '=', milestoneId).where('org_id', '=', ctx.principal.orgId).executeTakeFirst();
  if (!row) throw notFound('The milestone', field);
  try {
    await readableRoadmap(ctx, row.roadmap_id, field);
  } catch {
    throw notFound('The milestone', field);
  }
  return row;
}

/**
 * Mentors and admins edit any roadmap of the room; a mentee edits their own; observers none. The
 * rule is about the actor, who is recorded as the revision's author: an API key's
 * `Menteo-Act-As` person must be an editor themselves.
 */
export function requireEditor({ roadmap, access }: RoadmapAccess): void {
  requireActive(access);
  if (access.role === 'mentor' || contributesAsOrganization(access)) return;
  if (access.actor?.id === roadmap.owner_id && access.role === 'mentee') return;
  throw forbidden('Only the room\'s mentors and the roadmap\'s owner can change it.');
}

async function roadmapOf(db: Db, id: string): Promise<Roadmap> {
  const row = await db.selectFrom('roadmaps').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const [view] = await roadmapViews(db, [row]);
  if (!view) throw new Error('unreachable');
  return view;
}

/**
 * Emits `roadmap.updated` for the roadmaps of these milestones: a post linking or unlinking
 * evidence changes the milestone's derived evidence without a revision (the post is the record),
 * so the roadmap's `version` stays and the event carries the same version with new evidence.
 */
export async function emitEvidenceChanged(trx: Db, emit: (d: EventDraft) => Promise<void>, milestoneIds: readonly (string | null)[], now: string): Promise<void> {
  const ids = [...new Set(milestoneIds.filter((id): id is string => id !== null))];
  if (ids.length === 0) return;
  const rows = await trx.selectFrom('roadmaps').selectAll()
    .where('id', 'in', trx.selectFrom('milestones').select('roadmap_id').where('id', 'in', ids)).orderBy('id').execute();
  for (const roadmap of await roadmapViews(trx, rows)) {
    const row = rows.find((r) => r.id === roadmap.id);
    if (row) await emit({ orgId: row.org_id, event: { type: 'roadmap.updated', occurredAt: now, roomId: row.room_id, data: roadmap } });
  }
}

/** Emits `post.updated` for posts whose evidence link changed, as every subscriber may see them. */
async function emitPostsRelinked(trx: Db, emit: (d: EventDraft) => Promise<void>, postIds: readonly string[], now: string): Promise<void> {
  if (postIds.length === 0) return;
  const rows = await trx.selectFrom('posts').selectAll().where('id', 'in', [...postIds]).orderBy('id').execute();
  const views = await postViews(trx, rows, { kind: 'event' });
  for (const [i, row] of rows.entries()) {
    const data = views[i];
    if (data) await emit({ orgId: row.org_id, threadId: row.thread_id, audience: row.audience, event: { type: 'post.updated', occurredAt: now, roomId: row.room_id, data } });
  }
}

function milestoneRow(roadmap: { id: string; org_id: string }, m: NewMilestone, now: string): MilestonesTable {
  const status = m.status ?? 'planned';
  return {
    id: newId('mil'), org_id: roadmap.org_id, roadmap_id: roadmap.id, title: m.title, description: m.description ?? '',
    due_date: m.dueDate, required_skills: json([...new Set(m.requiredSkills ?? [])]), expected_outcome: m.expectedOutcome ?? '',
    status, evidence_post_ids: '[]', status_changed_at: now, completed_at: status === 'done' ? now : null, created_at: now, updated_at: now,
  };
}

/**
 * Locks the roadmap's row for the rest of the transaction and reads its version. Every revision
 * takes it first, before reading what it compares with (the roadmap's fields, a milestone, its
 * evidence), so concurrent edits of one roadmap apply one after the other, each on the state the
 * previous one committed: on PostgreSQL a `SELECT … FOR UPDATE` (transactions run side by side,
 * and without it a blind edit lost the race to the version check with a 409, or wrote from a stale
 * read); on SQLite the transaction already runs alone. Row locks rather than SERIALIZABLE: the
 * conflict is always on this one row, and waiting costs less than failing and retrying.
 */
async function lockRoadmap(trx: Transaction<Database>, roadmapId: string): Promise<{ version: number }> {
  return forUpdate(trx, trx.selectFrom('roadmaps').select('version').where('id', '=', roadmapId)).executeTakeFirstOrThrow();
}

/**
 * Applies one revision: bumps the version only if it still equals `expected` (so two concurrent
 * edits from the same base cannot both win), records the revision and emits the new roadmap.
 */
async function revise(
  ctx: Context, trx: Transaction<Database>, emit: (d: EventDraft) => Promise<void>,
  target: RoadmapAccess, input: { baseVersion?: number | undefined; reason: string; kind: 'roadmap_updated' | 'milestone_added' | 'milestone_updated' | 'milestone_removed' },
  changes: FieldChange[], apply: (trx: Transaction<Database>) => Promise<void>,
): Promise<Roadmap> {
  const current = await lockRoadmap(trx, target.roadmap.id);
  if (input.baseVersion !== undefined && input.baseVersion !== current.version) {
    throw new ApiError('conflict', `The roadmap changed since version ${input.baseVersion} (now ${current.version}); reload and apply your change again.`, { field: 'baseVersion' });
  }
  if (changes.length === 0) return roadmapOf(trx, target.roadmap.id);
  const author = authorOf(ctx.principal);
  const version = current.version + 1;
  const updated = await trx.updateTable('roadmaps').set({ version, updated_at: ctx.now })
    .where('id', '=', target.roadmap.id).where('version', '=', current.version).executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) throw new ApiError('conflict', 'The roadmap changed meanwhile; reload and try again.', { field: 'baseVersion' });
  await apply(trx);
  await trx.insertInto('revisions').values({
    id: newId('rev'), org_id: target.roadmap.org_id, roadmap_id: target.roadmap.id, version, kind: input.kind,
    author_id: author.id, reason: input.reason, changes: json(changes), created_at: ctx.now,
  }).execute();
  const roadmap = await roadmapOf(trx, target.roadmap.id);
  await emit({ orgId: target.roadmap.org_id, event: { type: 'roadmap.updated', occurredAt: ctx.now, roomId: target.roadmap.room_id, data: roadmap } });
  return roadmap;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

function change(milestoneId: string | null, field: string, from: string | number | string[] | null, to: string | number | string[] | null): FieldChange[] {
  return JSON.stringify(from) === JSON.stringify(to) ? [] : [{ milestoneId, field, from, to }];
}

/** Roadmap handlers. */
export const roadmapHandlers = [
  handle(listRoadmaps, async ({ query, ctx }) => {
    const p = ctx.principal;
    const limit = pageLimit(query.limit);
    const after = idCursor(query.cursor, 'rmap');
    let q = ctx.db.selectFrom('roadmaps').selectAll().where('org_id', '=', p.orgId);
    if (!isOrgWide(p)) q = q.where('room_id', 'in', ctx.db.selectFrom('room_members').select('room_id').where('person_id', '=', p.person?.id ?? ''));
    if (p.roomIds !== null) q = q.where('room_id', 'in', p.roomIds.length > 0 ? [...p.roomIds] : ['']);
    if (query.roomId !== undefined) q = q.where('room_id', '=', query.roomId);
    if (query.ownerId !== undefined) q = q.where('owner_id', '=', query.ownerId);
    if (after !== undefined) q = q.where('id', '<', after);
    const rows = await q.orderBy('id', 'desc').limit(limit + 1).execute();
    return pageOf(rows, limit, (r) => [r.id], await roadmapViews(ctx.db, rows.slice(0, limit)));
  }),

  handle(createRoadmap, async ({ body, ctx }) => {
    const access = await readableRoom(ctx, body.roomId, 'roomId');
    requireActive(access);
    const author = authorOf(ctx.principal);
    const mentees = await ctx.db.selectFrom('room_members').select('person_id').where('room_id', '=', access.room.id).where('role', '=', 'mentee')
      .orderBy('joined_at').orderBy('person_id').execute();
    const ownerId = body.ownerId ?? mentees[0]?.person_id;
    if (ownerId === undefined) throw invalid('ownerId', 'The room has no mentee; add one or name the owner.');
    if (!mentees.some((m) => m.person_id === ownerId)) throw invalid('ownerId', 'The owner must be a mentee of the room.');
    if (access.role !== 'mentor' && !contributesAsOrganization(access) && !(access.role === 'mentee' && author.id === ownerId)) {
      throw forbidden('Only the room\'s mentors and the mentee themselves start a roadmap.');
    }
    const existing = await ctx.db.selectFrom('roadmaps').select('id').where('room_id', '=', access.room.id).where('owner_id', '=', ownerId).executeTakeFirst();
    if (existing) throw new ApiError('conflict', `This mentee already has a roadmap in the room (${existing.id}).`, { field: 'ownerId' });
    const id = newId('rmap');
    return ctx.tx(async (trx, emit) => {
      const row: RoadmapsTable = {
        id, org_id: ctx.principal.orgId, room_id: access.room.id, owner_id: ownerId, title: body.title, goal: body.goal ?? '',
        start_date: body.startDate, horizon_days: body.horizonDays ?? 90, version: 1, created_at: ctx.now, updated_at: ctx.now,
      };
      await trx.insertInto('roadmaps').values(row).execute();
      const milestones = (body.milestones ?? []).map((m) => milestoneRow(row, m, ctx.now));
      if (milestones.length > 0) await trx.insertInto('milestones').values(milestones).execute();
      await trx.insertInto('revisions').values({
        id: newId('rev'), org_id: row.org_id, roadmap_id: id, version: 1, kind: 'created', author_id: author.id, reason: 'Roadmap created',
        changes: json(milestones.map((m) => ({ milestoneId: m.id, field: 'milestone', from: null, to: m.title }))), created_at: ctx.now,
      }).execute();
      await trx.updateTable('rooms').set({ roadmap_id: id }).where('id', '=', access.room.id).where('roadmap_id', 'is', null).execute();
      const roadmap = await roadmapOf(trx, id);
      await emit({ orgId: row.org_id, event: { type: 'roadmap.updated', occurredAt: ctx.now, roomId: row.room_id, data: roadmap } });
      return roadmap;
    });
  }),

  handle(getRoadmap, async ({ params, ctx }) => roadmapOf(ctx.db, (await readableRoadmap(ctx, params.roadmapId)).roadmap.id)),

  handle(updateRoadmap, async ({ params, body, ctx }) => {
    const target = await readableRoadmap(ctx, params.roadmapId);
    requireEditor(target);
    return ctx.tx(async (trx, emit) => {
      // Compared with the roadmap as it is once locked, not as it was read before the transaction.
      await lockRoadmap(trx, target.roadmap.id);
      const r = await trx.selectFrom('roadmaps').selectAll().where('id', '=', target.roadmap.id).executeTakeFirstOrThrow();
      const changes = [
        ...(body.title !== undefined ? change(null, 'title', r.title, body.title) : []),
        ...(body.goal !== undefined ? change(null, 'goal', r.goal, body.goal) : []),
        ...(body.startDate !== undefined ? change(null, 'startDate', r.start_date, body.startDate) : []),
        ...(body.horizonDays !== undefined ? change(null, 'horizonDays', r.horizon_days, body.horizonDays) : []),
      ];
      return revise(ctx, trx, emit, target, { ...body, kind: 'roadmap_updated' }, changes, async (t) => {
        await t.updateTable('roadmaps').set({
          title: body.title ?? r.title, goal: body.goal ?? r.goal, start_date: body.startDate ?? r.start_date, horizon_days: body.horizonDays ?? r.horizon_days,
        }).where('id', '=', r.id).execute();
      });
    });
  }),

  handle(addMilestone, async ({ params, body, ctx }) => {
    const target = await readableRoadmap(ctx, params.roadmapId);
    requireEditor(target);
    const row = milestoneRow(target.roadmap, body.milestone, ctx.now);
    return ctx.tx((trx, emit) => revise(ctx, trx, emit, target, { ...body, kind: 'milestone_added' }, change(row.id, 'milestone', null, row.title), async (t) => {
      await t.insertInto('milestones').values(row).execute();
    }));
  }),

  handle(updateMilestone, async ({ params, body, ctx }) => {
    const target = await readableRoadmap(ctx, params.roadmapId);
    const found = await ctx.db.selectFrom('milestones').select('id').where('id', '=', params.milestoneId).where('roadmap_id', '=', target.roadmap.id).executeTakeFirst();
    if (!found) throw notFound('The milestone');
    requireEditor(target);
    const evidence = body.evidencePostIds !== undefined ? [...new Set(body.evidencePostIds)] : undefined;
    for (const [i, postId] of (evidence ?? []).entries()) {
      try {
        await readablePost(ctx, postId);
      } catch {
        throw notFound('The post', `evidencePostIds.${body.evidencePostIds?.indexOf(postId) ?? i}`);
      }
    }
    const skills = body.requiredSkills !== undefined ? [...new Set(body.requiredSkills)] : undefined;
    return ctx.tx(async (trx, emit) => {
      // Read once the roadmap is locked, so the revision's "from" values are the committed ones.
      await lockRoadmap(trx, target.roadmap.id);
      const m = await trx.selectFrom('milestones').selectAll().where('id', '=', params.milestoneId).where('roadmap_id', '=', target.roadmap.id).executeTakeFirst();
      if (!m) throw notFound('The milestone');
      // The current evidence is derived from the posts' links, like every view of it.
      const current = evidence !== undefined
        ? (await trx.selectFrom('posts').select('id').where('milestone_id', '=', m.id).orderBy('id').execute()).map((p) => p.id)
        : [];
      const changes = [
        ...(body.title !== undefined ? change(m.id, 'title', m.title, body.title) : []),
        ...(body.description !== undefined ? change(m.id, 'description', m.description, body.description) : []),
        ...(body.dueDate !== undefined ? change(m.id, 'dueDate', m.due_date, body.dueDate) : []),
        ...(skills !== undefined ? change(m.id, 'requiredSkills', strings(m.required_skills), skills) : []),
        ...(body.expectedOutcome !== undefined ? change(m.id, 'expectedOutcome', m.expected_outcome, body.expectedOutcome) : []),
        ...(body.status !== undefined ? change(m.id, 'status', m.status, body.status) : []),
        ...(evidence !== undefined && !sameSet(current, evidence) ? change(m.id, 'evidencePostIds', current, evidence) : []),
      ];
      const statusChanged = body.status !== undefined && body.status !== m.status;
      return revise(ctx, trx, emit, target, { ...body, kind: 'milestone_updated' }, changes, async (t) => {
        await t.updateTable('milestones').set({
          title: body.title ?? m.title,
          description: body.description ?? m.description,
          due_date: body.dueDate ?? m.due_date,
          required_skills: skills !== undefined ? json(skills) : m.required_skills,
          expected_outcome: body.expectedOutcome ?? m.expected_outcome,
          status: body.status ?? m.status,
          status_changed_at: statusChanged ? ctx.now : m.status_changed_at,
          completed_at: statusChanged ? (body.status === 'done' ? ctx.now : null) : m.completed_at,
          updated_at: ctx.now,
        }).where('id', '=', m.id).execute();
        if (evidence === undefined || sameSet(current, evidence)) return;
        // A post is evidence for one milestone: listing it here moves its link from any other.
        const added = evidence.filter((id) => !current.includes(id));
        const dropped = current.filter((id) => !evidence.includes(id));
        const others = added.length > 0
          ? (await t.selectFrom('posts').select('milestone_id').where('id', 'in', added).where('milestone_id', 'is not', null).where('milestone_id', '<>', m.id).execute()).map((p) => p.milestone_id)
          : [];
        if (added.length > 0) await t.updateTable('posts').set({ milestone_id: m.id }).where('id', 'in', added).execute();
        if (dropped.length > 0) await t.updateTable('posts').set({ milestone_id: null }).where('id', 'in', dropped).execute();
        await emitPostsRelinked(t, emit, [...added, ...dropped], ctx.now);
        // Milestones of other roadmaps that lost a post; this roadmap's event follows the revision.
        const foreign = others.length > 0
          ? (await t.selectFrom('milestones').select('id').where('id', 'in', others.filter((x): x is string => x !== null)).where('roadmap_id', '<>', target.roadmap.id).execute()).map((x) => x.id)
          : [];
        await emitEvidenceChanged(t, emit, foreign, ctx.now);
      });
    });
  }),

  handle(removeMilestone, async ({ params, body, ctx }) => {
    const target = await readableRoadmap(ctx, params.roadmapId);
    const found = await ctx.db.selectFrom('milestones').select('id').where('id', '=', params.milestoneId).where('roadmap_id', '=', target.roadmap.id).executeTakeFirst();
    if (!found) throw notFound('The milestone');
    requireEditor(target);
    return ctx.tx(async (trx, emit) => {
      await lockRoadmap(trx, target.roadmap.id);
      const m = await trx.selectFrom('milestones').selectAll().where('id', '=', params.milestoneId).where('roadmap_id', '=', target.roadmap.id).executeTakeFirst();
      if (!m) throw notFound('The milestone');
      const evidence = (await trx.selectFrom('posts').select('id').where('milestone_id', '=', m.id).orderBy('id').execute()).map((p) => p.id);
      // The history keeps what was dropped: its title, its due date and the evidence it had.
      const changes = [
        ...change(m.id, 'milestone', m.title, null),
        ...change(m.id, 'dueDate', m.due_date, null),
        ...(evidence.length > 0 ? change(m.id, 'evidencePostIds', evidence, null) : []),
      ];
      return revise(ctx, trx, emit, target, { ...body, kind: 'milestone_removed' }, changes, async (t) => {
        // The posts stay (they are their authors'); only the link goes.
        await t.updateTable('posts').set({ milestone_id: null }).where('milestone_id', '=', m.id).execute();
        await t.deleteFrom('milestones').where('id', '=', m.id).execute();
        await emitPostsRelinked(t, emit, evidence, ctx.now);
      });
    });
  }),

  handle(listRevisions, async ({ params, query, ctx }) => {
    const { roadmap } = await readableRoadmap(ctx, params.roadmapId);
    const limit = pageLimit(query.limit);
    const after = idCursor(query.cursor, 'rev');
    let q = ctx.db.selectFrom('revisions').selectAll().where('roadmap_id', '=', roadmap.id);
    if (after !== undefined) q = q.where('id', '<', after);
    const rows = await q.orderBy('id', 'desc').limit(limit + 1).execute();
    return pageOf(rows, limit, (r) => [r.id], await revisionViews(ctx.db, rows.slice(0, limit)));
  }),
];
