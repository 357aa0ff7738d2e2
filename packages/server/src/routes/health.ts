/**
 * Program health for the people who run a program: the summary of a cohort or the whole
 * organization, and the streamed export. Organization admins and API keys with `org:admin`.
 * @module
 */
import { exportProgram, getProgramHealthSummary } from '@menteo/api/health';
import { isOrgWide } from '../auth/principal.js';
import type { Context } from '../context.js';
import { handle } from '../handler.js';
import { exportResponse } from '../health/export.js';
import { programHealthSummary, scopeOf, type HealthScope } from '../health/program.js';
import { forbidden, notFound } from '../http/errors.js';

function requireProgramAdmin(ctx: Context): void {
  // The scope alone is not enough for a person: program health is for organization admins.
  if (!isOrgWide(ctx.principal)) throw forbidden('Program health is for organization admins.');
}

/** The scope of a health request; a cohort of another organization answers 404 on `cohortId`. */
export async function healthScope(ctx: Context, cohortId: string | undefined): Promise<HealthScope> {
  if (cohortId !== undefined) {
    const found = await ctx.db.selectFrom('cohorts').select('id').where('id', '=', cohortId).where('org_id', '=', ctx.principal.orgId).executeTakeFirst();
    if (!found) throw notFound('The cohort', 'cohortId');
  }
  return scopeOf(ctx.principal, cohortId);
}

/** Program health handlers. */
export const healthHandlers = [
  handle(getProgramHealthSummary, async ({ query, ctx }) => {
    requireProgramAdmin(ctx);
    return programHealthSummary(ctx.db, await healthScope(ctx, query.cohortId), ctx.now);
  }),

  handle(exportProgram, async ({ query, ctx }) => {
    requireProgramAdmin(ctx);
    const scope = await healthScope(ctx, query.cohortId);
    return exportResponse(ctx.db, scope, query.kind, query.format ?? 'csv', ctx.now, ctx.requestId);
  }),
];
