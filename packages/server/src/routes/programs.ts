/**
 * Programs, cohorts, roadmap templates and enrolment. Management takes `org:admin` and the
 * admin's organization-wide view; a cohort is also readable by the people enrolled in it; a
 * room's roadmap editors decide about newer template versions. The rules and the template
 * update live in `../programs/`.
 * @module
 */
import type { CohortRoom } from '@menteo/api/programs';
import {
  createCohort, createCohortRoom, createEnrolmentImport, createProgram, createRoadmapTemplate, decideRoadmapTemplateUpdate, deleteCohort,
  deleteProgram, deleteRoadmapTemplate, enrol, getCohort, getEnrolmentImport, getProgram, getRoadmapTemplate, getRoadmapTemplateOrigin,
  linkCohortGroup, listCohortGroupLinks, listCohortRooms, listCohorts, listEnrolments, listPrograms, listRoadmapTemplates,
  listRoadmapTemplateVersions, unenrol, unlinkCohortGroup, updateCohort, updateProgram, updateRoadmapTemplate,
} from '@menteo/api/programs';
import { requireActive } from '../auth/access.js';
import type { Context } from '../context.js';
import { ApiError, invalid, notFound } from '../http/errors.js';
import { handle } from '../handler.js';
import { cohortOf, managesPrograms, programOf, requireOpenProgram, requireProgramAdmin, templateOf } from '../programs/access.js';
import { enrolPerson, importRows, isImportRunning, runImport, syncLink } from '../programs/enrolment.js';
import { openCohortRoom } from '../programs/rooms.js';
import { applySteps, normalizeMilestones, originFacts, originView, planUpdate, startRoadmap, versionOf } from '../programs/templates.js';
import {
  cohortView, cohortViews, enrolmentViews, groupLinkViews, importView, programView, templateView, templateViews, versionMilestones, versionView,
} from '../programs/views.js';
import { decodeCursor, pageOf } from '../storage/cursor.js';
import { isId, newId } from '../storage/ids.js';
import { json } from '../storage/json.js';
import type { CohortRoomsTable, CohortsTable } from '../storage/schema.js';
import type { Db } from '../views/people.js';
import { roadmapViews } from '../views/roadmaps.js';
import { roomViews } from '../views/rooms.js';
import { readableRoadmap, requireEditor } from './roadmaps.js';
import { idCursor, pageLimit, requirePeople } from './rooms.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function requireDates(startDate: string, endDate: string): void {
  if (endDate < startDate) throw invalid('endDate', 'The end date must be on or after the start date.');
}

/** A template usable by cohorts of this program, or 404 naming `templateId`. */
async function programTemplate(ctx: Context, programId: string, templateId: string): Promise<void> {
  const template = await templateOf(ctx, templateId, 'templateId');
  if (template.program_id !== programId) throw notFound('The roadmap template', 'templateId');
}

/** Cohort rooms with their rooms and template origins. */
async function cohortRoomViews(db: Db, rows: readonly CohortRoomsTable[]): Promise<CohortRoom[]> {
  if (rows.length === 0) return [];
  const rooms = await roomViews(db, await db.selectFrom('rooms').selectAll().where('id', 'in', rows.map((r) => r.room_id)).execute());
  const out: CohortRoom[] = [];
  for (const row of rows) {
    const room = rooms.find((r) => r.id === row.room_id);
    if (!room) continue;
    const roadmap = row.roadmap_id === null ? undefined : await db.selectFrom('roadmaps').selectAll().where('id', '=', row.roadmap_id).executeTakeFirst();
    const facts = roadmap ? await originFacts(db, roadmap) : null;
    out.push({ cohortId: row.cohort_id, room, template: facts ? await originView(db, facts) : null });
  }
  return out;
}

/** Program handlers. */
export const programHandlers = [
  handle(listPrograms, async ({ query, ctx }) => {
    requireProgramAdmin(ctx);
    const limit = pageLimit(query.limit);
    const after = idCursor(query.cursor, 'prog');
    let q = ctx.db.selectFrom('programs').selectAll().where('org_id', '=', ctx.principal.orgId);
    if (after !== undefined) q = q.where('id', '<', after);
    const rows = await q.orderBy('id', 'desc').limit(limit + 1).execute();
    return pageOf(rows, limit, (r) => [r.id], rows.slice(0, limit).map(programView));
  }),

  handle(createProgram, async ({ body, ctx }) => {
    requireProgramAdmin(ctx);
    const row = {
      id: newId('prog'), org_id: ctx.principal.orgId, name: body.name, description: body.description ?? '', status: 'active',
      created_at: ctx.now, updated_at: ctx.now,
    };
    await ctx.db.insertInto('programs').values(row).execute();
    return programView(row);
  }),

  handle(getProgram, async ({ params, ctx }) => {
    requireProgramAdmin(ctx);
    return programView(await programOf(ctx, params.programId));
  }),

  handle(updateProgram, async ({ params, body, ctx }) => {
    requireProgramAdmin(ctx);
    const row = await programOf(ctx, params.programId);
    const next = { ...row, name: body.name ?? row.name, description: body.description ?? row.description, status: body.status ?? row.status, updated_at: ctx.now };
    await ctx.db.updateTable('programs').set({ name: next.name, description: next.description, status: next.status, updated_at: ctx.now }).where('id', '=', row.id).execute();
    return programView(next);
  }),

  handle(deleteProgram, async ({ params, ctx }) => {
    requireProgramAdmin(ctx);
    const row = await programOf(ctx, params.programId);
    const cohort = await ctx.db.selectFrom('cohorts').select('id').where('program_id', '=', row.id).executeTakeFirst();
    if (cohort) throw new ApiError('conflict', 'The program has cohorts; delete them first, or archive the program (status: archived).');
    await ctx.tx(async (trx) => {
      const templates = trx.selectFrom('roadmap_templates').select('id').where('program_id', '=', row.id);
      await trx.deleteFrom('roadmap_template_versions').where('template_id', 'in', templates).execute();
      await trx.deleteFrom('roadmap_templates').where('program_id', '=', row.id).execute();
      await trx.deleteFrom('programs').where('id', '=', row.id).execute();
    });
  }),

  // ---- Templates ----

  handle(listRoadmapTemplates, async ({ params, query, ctx }) => {
    requireProgramAdmin(ctx);
    const program = await programOf(ctx, params.programId);
    const limit = pageLimit(query.limit);
    const after = idCursor(query.cursor, 'tpl');
    let q = ctx.db.selectFrom('roadmap_templates').selectAll().where('program_id', '=', program.id);
    if (after !== undefined) q = q.where('id', '<', after);
    const rows = await q.orderBy('id', 'desc').limit(limit + 1).execute();
    return pageOf(rows, limit, (r) => [r.id], await templateViews(ctx.db, rows.slice(0, limit)));
  }),

  handle(createRoadmapTemplate, async ({ params, body, ctx }) => {
    requireProgramAdmin(ctx);
    const program = await programOf(ctx, params.programId);
    const horizonDays = body.horizonDays ?? 90;
    const milestones = normalizeMilestones(body.milestones ?? [], [], horizonDays);
    const id = newId('tpl');
    return ctx.tx(async (trx) => {
      const row = { id, org_id: program.org_id, program_id: program.id, name: body.name, version: 1, created_at: ctx.now, updated_at: ctx.now };
      await trx.insertInto('roadmap_templates').values(row).execute();
      await trx.insertInto('roadmap_template_versions').values({
        template_id: id, version: 1, org_id: program.org_id, name: body.name, goal: body.goal ?? '', horizon_days: horizonDays,
        milestones: json(milestones), note: 'Template created', created_at: ctx.now,
      }).execute();
      return templateView(trx, row);
    });
  }),

  handle(getRoadmapTemplate, async ({ params, ctx }) => {
    requireProgramAdmin(ctx);
    return templateView(ctx.db, await templateOf(ctx, params.templateId));
  }),

  handle(updateRoadmapTemplate, async ({ params, body, ctx }) => {
    requireProgramAdmin(ctx);
    const template = await templateOf(ctx, params.templateId);
    const current = await versionOf(ctx.db, template.id, template.version);
    const horizonDays = body.horizonDays ?? current.horizon_days;
    const currentItems = versionMilestones(current);
    const milestones = body.milestones !== undefined
      ? normalizeMilestones(body.milestones, currentItems, horizonDays)
      : currentItems;
    // A shorter horizon must still hold the milestones kept from the current version.
    if (body.milestones === undefined) {
      const i = milestones.findIndex((m) => m.dayOffset > horizonDays);
      if (i >= 0) throw invalid('horizonDays', `The milestone "${milestones[i]?.title ?? ''}" is due on day ${milestones[i]?.dayOffset ?? 0}, beyond the new horizon.`);
    }
    const goal = body.goal ?? current.goal;
    const name = body.name ?? template.name;
    const changed = goal !== current.goal || horizonDays !== current.horizon_days || JSON.stringify(milestones) !== JSON.stringify(currentItems);
    return ctx.tx(async (trx) => {
      const version = changed ? template.version + 1 : template.version;
      if (changed) {
        await trx.insertInto('roadmap_template_versions').values({
          template_id: template.id, version, org_id: template.org_id, name, goal, horizon_days: horizonDays,
          milestones: json(milestones), note: body.note, created_at: ctx.now,
        }).execute();
      }
      await trx.updateTable('roadmap_templates').set({ name, version, updated_at: ctx.now }).where('id', '=', template.id).execute();
      return templateView(trx, { ...template, name, version, updated_at: ctx.now });
    });
  }),

  handle(deleteRoadmapTemplate, async ({ params, ctx }) => {
    requireProgramAdmin(ctx);
    const template = await templateOf(ctx, params.templateId);
    const cohort = await ctx.db.selectFrom('cohorts').select('id').where('template_id', '=', template.id).executeTakeFirst();
    const room = await ctx.db.selectFrom('cohort_rooms').select('room_id').where('template_id', '=', template.id).executeTakeFirst();
    if (cohort || room) throw new ApiError('conflict', 'A cohort or a running roadmap uses this template; it stays so their history keeps its versions.');
    await ctx.tx(async (trx) => {
      await trx.deleteFrom('roadmap_template_versions').where('template_id', '=', template.id).execute();
      await trx.deleteFrom('roadmap_templates').where('id', '=', template.id).execute();
    });
  }),

  handle(listRoadmapTemplateVersions, async ({ params, query, ctx }) => {
    requireProgramAdmin(ctx);
    const template = await templateOf(ctx, params.templateId);
    const limit = pageLimit(query.limit);
    const after = decodeCursor(query.cursor, 1, (p) => /^\d{1,9}$/.test(p))?.[0];
    let q = ctx.db.selectFrom('roadmap_template_versions').selectAll().where('template_id', '=', template.id);
    if (after !== undefined) q = q.where('version', '<', Number(after));
    const rows = await q.orderBy('version', 'desc').limit(limit + 1).execute();
    return pageOf(rows, limit, (r) => [String(r.version)], rows.slice(0, limit).map(versionView));
  }),

  // ---- Cohorts ----

  handle(listCohorts, async ({ params, query, ctx }) => {
    requireProgramAdmin(ctx);
    const program = await programOf(ctx, params.programId);
    const limit = pageLimit(query.limit);
    const after = decodeCursor(query.cursor, 2, (p, i) => (i === 0 ? DATE.test(p) : isId(p, 'coh')));
    let q = ctx.db.selectFrom('cohorts').selectAll().where('program_id', '=', program.id);
    if (after) {
      const [date = '', id = ''] = after;
      q = q.where((eb) => eb.or([eb('start_date', '<', date), eb.and([eb('start_date', '=', date), eb('id', '<', id)])]));
    }
    const rows = await q.orderBy('start_date', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
    return pageOf(rows, limit, (r) => [r.start_date, r.id], await cohortViews(ctx.db, rows.slice(0, limit)));
  }),

  handle(createCohort, async ({ params, body, ctx }) => {
    requireProgramAdmin(ctx);
    const program = await programOf(ctx, params.programId);
    await requireOpenProgram(ctx.db, program.id);
    requireDates(body.startDate, body.endDate);
    if (body.templateId !== undefined) await programTemplate(ctx, program.id, body.templateId);
    const row: CohortsTable = {
      id: newId('coh'), org_id: program.org_id, program_id: program.id, name: body.name, start_date: body.startDate, end_date: body.endDate,
      template_id: body.templateId ?? null, created_at: ctx.now, updated_at: ctx.now,
    };
    await ctx.db.insertInto('cohorts').values(row).execute();
    return cohortView(ctx.db, row);
  }),

  handle(getCohort, async ({ params, ctx }) => {
    const p = ctx.principal;
    const row = await ctx.db.selectFrom('cohorts').selectAll().where('id', '=', params.cohortId).where('org_id', '=', p.orgId).executeTakeFirst();
    if (!row) throw notFound('The cohort');
    if (!managesPrograms(ctx)) {
      // The people enrolled read their own cohort; a token limited to some rooms reads only those rooms.
      const enrolled = p.person !== null && p.roomIds === null
        ? await ctx.db.selectFrom('cohort_enrolments').select('person_id').where('cohort_id', '=', row.id).where('person_id', '=', p.person.id).executeTakeFirst()
        : undefined;
      if (!enrolled) throw notFound('The cohort');
    }
    return cohortView(ctx.db, row);
  }),

  handle(updateCohort, async ({ params, body, ctx }) => {
    requireProgramAdmin(ctx);
    const row = await cohortOf(ctx, params.cohortId);
    await requireOpenProgram(ctx.db, row.program_id);
    const next: CohortsTable = {
      ...row, name: body.name ?? row.name, start_date: body.startDate ?? row.start_date, end_date: body.endDate ?? row.end_date,
      template_id: body.templateId === undefined ? row.template_id : body.templateId, updated_at: ctx.now,
    };
    requireDates(next.start_date, next.end_date);
    if (body.templateId) await programTemplate(ctx, row.program_id, body.templateId);
    await ctx.db.updateTable('cohorts').set({
      name: next.name, start_date: next.start_date, end_date: next.end_date, template_id: next.template_id, updated_at: ctx.now,
    }).where('id', '=', row.id).execute();
    return cohortView(ctx.db, next);
  }),

  handle(deleteCohort, async ({ params, ctx }) => {
    requireProgramAdmin(ctx);
    const row = await cohortOf(ctx, params.cohortId);
    const room = await ctx.db.selectFrom('cohort_rooms').select('room_id').where('cohort_id', '=', row.id).executeTakeFirst();
    if (room) throw new ApiError('conflict', 'The cohort has rooms; it stays so their history keeps its cohort.');
    await ctx.tx(async (trx) => {
      await trx.deleteFrom('cohort_enrolments').where('cohort_id', '=', row.id).execute();
      await trx.deleteFrom('cohort_group_links').where('cohort_id', '=', row.id).execute();
      await trx.deleteFrom('enrolment_imports').where('cohort_id', '=', row.id).execute();
      await trx.deleteFrom('cohorts').where('id', '=', row.id).execute();
    });
  }),

  // ---- Enrolment ----

  handle(listEnrolments, async ({ params, query, ctx }) => {
    requireProgramAdmin(ctx);
    const cohort = await cohortOf(ctx, params.cohortId);
    const limit = pageLimit(query.limit);
    const after = decodeCursor(query.cursor, 2, (p, i) => (i === 0 ? p.length > 0 && p.length < 40 : isId(p, 'per')));
    let q = ctx.db.selectFrom('cohort_enrolments').selectAll().where('cohort_id', '=', cohort.id);
    if (query.role !== undefined) q = q.where('role', '=', query.role);
    if (after) {
      const [at = '', id = ''] = after;
      q = q.where((eb) => eb.or([eb('enrolled_at', '>', at), eb.and([eb('enrolled_at', '=', at), eb('person_id', '>', id)])]));
    }
    const rows = await q.orderBy('enrolled_at').orderBy('person_id').limit(limit + 1).execute();
    return pageOf(rows, limit, (r) => [r.enrolled_at, r.person_id], await enrolmentViews(ctx.db, rows.slice(0, limit)));
  }),

  handle(enrol, async ({ params, body, ctx }) => {
    requireProgramAdmin(ctx);
    const cohort = await cohortOf(ctx, params.cohortId);
    await requireOpenProgram(ctx.db, cohort.program_id);
    await requirePeople(ctx, ctx.db, [params.personId], () => 'personId');
    return ctx.tx(async (trx) => {
      await enrolPerson(trx, { orgId: cohort.org_id, cohortId: cohort.id, personId: params.personId, role: body.role, source: 'api', now: ctx.now });
      const row = await trx.selectFrom('cohort_enrolments').selectAll().where('cohort_id', '=', cohort.id).where('person_id', '=', params.personId).executeTakeFirstOrThrow();
      const [view] = await enrolmentViews(trx, [row]);
      if (!view) throw new Error('unreachable: a view of one enrolment');
      return view;
    });
  }),

  handle(unenrol, async ({ params, ctx }) => {
    requireProgramAdmin(ctx);
    const cohort = await cohortOf(ctx, params.cohortId);
    const person = await ctx.db.selectFrom('people').select('id').where('id', '=', params.personId).where('org_id', '=', ctx.principal.orgId).executeTakeFirst();
    if (!person) throw notFound('The person', 'personId');
    // Idempotent: someone not enrolled is already where the request wants them.
    await ctx.db.deleteFrom('cohort_enrolments').where('cohort_id', '=', cohort.id).where('person_id', '=', person.id).execute();
  }),

  handle(createEnrolmentImport, async ({ params, body, ctx }) => {
    requireProgramAdmin(ctx);
    const cohort = await cohortOf(ctx, params.cohortId);
    await requireOpenProgram(ctx.db, cohort.program_id);
    const rows = await importRows(body);
    const row = {
      id: newId('imp'), org_id: cohort.org_id, cohort_id: cohort.id, dry_run: body.dryRun === true ? 1 : 0, status: 'queued', rows: json(rows),
      total_rows: rows.length, processed_rows: 0, enrolled: 0, role_changed: 0, unchanged: 0, rejected: '[]', error: null,
      created_at: ctx.now, finished_at: null,
    };
    await ctx.db.insertInto('enrolment_imports').values(row).execute();
    // Started once the job is committed; `ctx.db` is the server's database here because this
    // operation's Idempotency-Key is claimed and settled around it (http/idempotency.ts).
    const db = ctx.db;
    ctx.afterCommit(() => runImport(db, row.id));
    return importView(row);
  }),

  handle(getEnrolmentImport, async ({ params, ctx }) => {
    requireProgramAdmin(ctx);
    const row = await ctx.db.selectFrom('enrolment_imports').selectAll().where('id', '=', params.importId).where('org_id', '=', ctx.principal.orgId).executeTakeFirst();
    if (!row) throw notFound('The import');
    // A job left unfinished by a stopped server resumes when someone looks at it.
    if ((row.status === 'queued' || row.status === 'running') && !isImportRunning(row.id)) runImport(ctx.db, row.id);
    return importView(row);
  }),

  // ---- SCIM groups ----

  handle(listCohortGroupLinks, async ({ params, query, ctx }) => {
    requireProgramAdmin(ctx);
    const cohort = await cohortOf(ctx, params.cohortId);
    const limit = pageLimit(query.limit);
    const after = decodeCursor(query.cursor, 1, (p) => p.length > 0 && p.length <= 200)?.[0];
    let q = ctx.db.selectFrom('cohort_group_links').selectAll().where('cohort_id', '=', cohort.id);
    if (after !== undefined) q = q.where('group_id', '>', after);
    const rows = await q.orderBy('group_id').limit(limit + 1).execute();
    return pageOf(rows, limit, (r) => [r.group_id], await groupLinkViews(ctx.db, rows.slice(0, limit)));
  }),

  handle(linkCohortGroup, async ({ params, body, ctx }) => {
    requireProgramAdmin(ctx);
    const cohort = await cohortOf(ctx, params.cohortId);
    await requireOpenProgram(ctx.db, cohort.program_id);
    const group = await ctx.db.selectFrom('people_groups').select('id').where('id', '=', params.groupId).where('org_id', '=', ctx.principal.orgId).executeTakeFirst();
    if (!group) throw notFound('The SCIM group', 'groupId');
    return ctx.tx(async (trx) => {
      const existing = await trx.selectFrom('cohort_group_links').selectAll().where('cohort_id', '=', cohort.id).where('group_id', '=', group.id).executeTakeFirst();
      const link = { cohort_id: cohort.id, group_id: group.id, org_id: cohort.org_id, role: body.role, created_at: existing?.created_at ?? ctx.now };
      if (!existing) await trx.insertInto('cohort_group_links').values(link).execute();
      else if (existing.role !== body.role) {
        // A new role for the group: its members are enrolled again with it.
        await trx.updateTable('cohort_group_links').set({ role: body.role }).where('cohort_id', '=', cohort.id).where('group_id', '=', group.id).execute();
        await trx.updateTable('cohort_enrolments').set({ role: body.role }).where('cohort_id', '=', cohort.id).where('source', '=', 'scim').where('group_id', '=', group.id).execute();
      }
      await syncLink(trx, link, ctx.now);
      const [view] = await groupLinkViews(trx, [link]);
      if (!view) throw new Error('unreachable: a view of one link');
      return view;
    });
  }),

  handle(unlinkCohortGroup, async ({ params, ctx }) => {
    requireProgramAdmin(ctx);
    const cohort = await cohortOf(ctx, params.cohortId);
    const link = await ctx.db.selectFrom('cohort_group_links').select('group_id').where('cohort_id', '=', cohort.id).where('group_id', '=', params.groupId).executeTakeFirst();
    if (!link) throw notFound('The group link', 'groupId');
    await ctx.tx(async (trx) => {
      await trx.deleteFrom('cohort_enrolments').where('cohort_id', '=', cohort.id).where('source', '=', 'scim').where('group_id', '=', link.group_id).execute();
      await trx.deleteFrom('cohort_group_links').where('cohort_id', '=', cohort.id).where('group_id', '=', link.group_id).execute();
    });
  }),

  // ---- Rooms and template updates ----

  handle(listCohortRooms, async ({ params, query, ctx }) => {
    requireProgramAdmin(ctx);
    const cohort = await cohortOf(ctx, params.cohortId);
    const limit = pageLimit(query.limit);
    const after = idCursor(query.cursor, 'room');
    let q = ctx.db.selectFrom('cohort_rooms').selectAll().where('cohort_id', '=', cohort.id);
    if (after !== undefined) q = q.where('room_id', '<', after);
    const rows = await q.orderBy('room_id', 'desc').limit(limit + 1).execute();
    return pageOf(rows, limit, (r) => [r.room_id], await cohortRoomViews(ctx.db, rows.slice(0, limit)));
  }),

  handle(createCohortRoom, async ({ params, body, ctx }) => {
    requireProgramAdmin(ctx);
    const cohort = await cohortOf(ctx, params.cohortId);
    await requireOpenProgram(ctx.db, cohort.program_id);
    if (body.mentorId === body.menteeId) throw invalid('menteeId', 'The mentee must be someone other than the mentor.');
    await requirePeople(ctx, ctx.db, [body.mentorId, body.menteeId], (i) => (i === 0 ? 'mentorId' : 'menteeId'));
    const enrolments = await ctx.db.selectFrom('cohort_enrolments').select(['person_id', 'role']).where('cohort_id', '=', cohort.id)
      .where('person_id', 'in', [body.mentorId, body.menteeId]).execute();
    if (!enrolments.some((e) => e.person_id === body.mentorId && e.role === 'mentor')) throw invalid('mentorId', 'This person is not enrolled in the cohort as a mentor.');
    if (!enrolments.some((e) => e.person_id === body.menteeId && e.role === 'mentee')) throw invalid('menteeId', 'This person is not enrolled in the cohort as a mentee.');
    const existing = await ctx.db.selectFrom('cohort_rooms').select('room_id').where('cohort_id', '=', cohort.id)
      .where('mentor_id', '=', body.mentorId).where('mentee_id', '=', body.menteeId).executeTakeFirst();
    if (existing) throw new ApiError('conflict', `This pair already has a room in the cohort (${existing.room_id}).`, { field: 'menteeId' });
    return ctx.tx(async (trx, emit) => {
      const link = await openCohortRoom(trx, emit, {
        cohort, mentorId: body.mentorId, menteeId: body.menteeId, title: body.title, purpose: body.purpose,
        authorId: ctx.principal.person?.id ?? null, now: ctx.now,
      });
      const [view] = await cohortRoomViews(trx, [link]);
      if (!view) throw new Error('unreachable: a view of one cohort room');
      return view;
    });
  }),

  handle(getRoadmapTemplateOrigin, async ({ params, ctx }) => {
    const { roadmap } = await readableRoadmap(ctx, params.roadmapId);
    const facts = await originFacts(ctx.db, roadmap);
    if (!facts) throw notFound('A template of this roadmap');
    return originView(ctx.db, facts);
  }),

  handle(decideRoadmapTemplateUpdate, async ({ params, body, ctx }) => {
    const target = await readableRoadmap(ctx, params.roadmapId);
    const facts = await originFacts(ctx.db, target.roadmap);
    if (!facts) throw notFound('A template of this roadmap');
    requireActive(target.access);
    requireEditor(target);
    if (facts.latest <= facts.link.template_version) {
      throw new ApiError('conflict', `The roadmap already follows the latest version (${facts.latest}) of its template.`, { field: 'version' });
    }
    if (body.version !== facts.latest) {
      throw new ApiError('conflict', `The template's latest version is ${facts.latest}; decide about that one.`, { field: 'version' });
    }
    const author = ctx.principal.person;
    if (!author) throw invalid('Menteo-Act-As', 'With an API key, a decision needs the Menteo-Act-As header naming who decided.');
    return ctx.tx(async (trx, emit) => {
      const roadmap = await trx.selectFrom('roadmaps').selectAll().where('id', '=', target.roadmap.id).executeTakeFirstOrThrow();
      if (body.baseVersion !== undefined && body.baseVersion !== roadmap.version) {
        throw new ApiError('conflict', `The roadmap changed since version ${body.baseVersion} (now ${roadmap.version}); reload and decide again.`, { field: 'baseVersion' });
      }
      const decision = body.decision === 'adopt' ? 'adopted' : 'declined';
      if (body.decision === 'adopt') {
        const steps = await planUpdate(trx, roadmap, facts.startDate, await versionOf(trx, facts.link.template_id, facts.link.template_version), await versionOf(trx, facts.link.template_id, facts.latest));
        const version = roadmap.version + 1;
        const bumped = await trx.updateTable('roadmaps').set({ version, updated_at: ctx.now }).where('id', '=', roadmap.id).where('version', '=', roadmap.version).executeTakeFirst();
        if (Number(bumped.numUpdatedRows) !== 1) throw new ApiError('conflict', 'The roadmap changed meanwhile; reload and decide again.', { field: 'baseVersion' });
        const changes = await applySteps(trx, roadmap, facts.startDate, steps, ctx.now);
        await trx.insertInto('revisions').values({
          id: newId('rev'), org_id: roadmap.org_id, roadmap_id: roadmap.id, version, kind: 'template_adopted', author_id: author.id,
          reason: body.reason, changes: json([{ milestoneId: null, field: 'templateVersion', from: facts.link.template_version, to: facts.latest }, ...changes]), created_at: ctx.now,
        }).execute();
        await trx.updateTable('cohort_rooms').set({ template_version: facts.latest }).where('room_id', '=', facts.link.room_id).execute();
      }
      await trx.insertInto('template_decisions').values({
        id: newId('tdec'), org_id: roadmap.org_id, roadmap_id: roadmap.id, template_id: facts.link.template_id, version: facts.latest,
        decision, reason: body.reason, author_id: author.id, created_at: ctx.now,
      }).execute();
      if (body.decision === 'adopt') {
        const [view] = await roadmapViews(trx, await trx.selectFrom('roadmaps').selectAll().where('id', '=', roadmap.id).execute());
        if (view) await emit({ orgId: roadmap.org_id, event: { type: 'roadmap.updated', occurredAt: ctx.now, roomId: roadmap.room_id, data: view } });
      }
      const fresh = await trx.selectFrom('roadmaps').selectAll().where('id', '=', roadmap.id).executeTakeFirstOrThrow();
      const after = await originFacts(trx, fresh);
      if (!after) throw new Error('unreachable: the roadmap still has its template');
      return originView(trx, after);
    });
  }),
];
