/**
 * Who manages programs: an organization admin (an API key, or a person with the admin role)
 * whose credential carries `org:admin` (the operation's gate checks the scope). Resources of
 * another organization answer 404, never a hint that they exist.
 * @module
 */
import type { Context } from '../context.js';
import { ApiError, forbidden, notFound } from '../http/errors.js';
import { isOrgWide } from '../auth/principal.js';
import type { CohortsTable, ProgramsTable, RoadmapTemplatesTable } from '../storage/schema.js';
import type { Db } from '../views/people.js';

/** True when the caller manages programs. */
export function managesPrograms(ctx: Context): boolean {
  return isOrgWide(ctx.principal) && ctx.principal.scopes.has('org:admin');
}

/** Throws 403 unless the caller manages programs (a person's token with the scope but not the admin role). */
export function requireProgramAdmin(ctx: Context): void {
  if (!managesPrograms(ctx)) throw forbidden('Programs are managed by organization admins.');
}

/** The caller's organization's program, or 404 naming `field`. */
export async function programOf(ctx: Context, id: string, field?: string, db: Db = ctx.db): Promise<ProgramsTable> {
  const row = await db.selectFrom('programs').selectAll().where('id', '=', id).where('org_id', '=', ctx.principal.orgId).executeTakeFirst();
  if (!row) throw notFound('The program', field);
  return row;
}

/** The caller's organization's cohort, or 404 naming `field`. */
export async function cohortOf(ctx: Context, id: string, field?: string, db: Db = ctx.db): Promise<CohortsTable> {
  const row = await db.selectFrom('cohorts').selectAll().where('id', '=', id).where('org_id', '=', ctx.principal.orgId).executeTakeFirst();
  if (!row) throw notFound('The cohort', field);
  return row;
}

/** The caller's organization's template, or 404 naming `field`. */
export async function templateOf(ctx: Context, id: string, field?: string, db: Db = ctx.db): Promise<RoadmapTemplatesTable> {
  const row = await db.selectFrom('roadmap_templates').selectAll().where('id', '=', id).where('org_id', '=', ctx.principal.orgId).executeTakeFirst();
  if (!row) throw notFound('The roadmap template', field);
  return row;
}

/** Throws 409 when the cohort's program is archived: archived programs take no new rooms or enrolments. */
export async function requireOpenProgram(db: Db, programId: string): Promise<void> {
  const program = await db.selectFrom('programs').select('status').where('id', '=', programId).executeTakeFirst();
  if (program?.status === 'archived') {
    throw new ApiError('conflict', 'The program is archived; reopen it (status: active) to change its cohorts.');
  }
}
