/**
 * The organization, its API keys and its people.
 * @module
 */
import {
  createApiKey, createPerson, getOrganization, getPerson, listApiKeys, listPeople, revokeApiKey, updateOrganization, updatePerson,
  type ApiKey,
} from '@menteo/api/people';
import { SCOPES, type Scope } from '@menteo/api/scopes';
import { sql } from 'kysely';
import { insertApiKey, setAllowedOrigins } from '../auth/bootstrap.js';
import { requireOrgAdmin } from '../auth/org-admin.js';
import { afterKeyRevoked, afterPersonChange, revokeKeyCredentials, revokePersonCredentials } from '../auth/revocation.js';
import type { Context } from '../context.js';
import { ApiError, notFound } from '../http/errors.js';
import { handle } from '../handler.js';
import { decodeCursor, pageOf } from '../storage/cursor.js';
import { isId, newId } from '../storage/ids.js';
import { json, strings } from '../storage/json.js';
import type { ApiKeysTable, PeopleTable } from '../storage/schema.js';
import { organizationView, personView } from '../views/people.js';
import { setAdminContentAccess } from './audit.js';
import { recordAdminChange, recordOriginChanges, recordPersonUpdate } from '../admin/audit-changes.js';

function apiKeyView(row: ApiKeysTable): ApiKey {
  return {
    id: row.id, name: row.name, prefix: row.prefix, scopes: strings(row.scopes) as Scope[],
    createdAt: row.created_at, lastUsedAt: row.last_used_at, revokedAt: row.revoked_at,
  };
}

function searchText(displayName: string, email: string | null): string {
  return `${displayName}\n${email ?? ''}`.toLowerCase();
}

function conflictOnExternalId(error: unknown): never {
  if (error instanceof Error && /unique|constraint/i.test(error.message)) {
    throw new ApiError('conflict', 'Another person already has this externalId.', { field: 'externalId' });
  }
  throw error;
}

/**
 * `column LIKE %value%` with wildcards escaped, so a search for "50%" means the text "50%".
 * The explicit ESCAPE clause is needed by SQLite (no default escape) and valid in PostgreSQL.
 */
function contains(column: 'search_text' | 'roles' | 'skills', value: string) {
  const pattern = `%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql<boolean>`${sql.ref(column)} like ${pattern} escape '\\'`;
}

/**
 * What a person's token may not change in the organization, even an admin's (API keys may):
 * opening room content to admins (the privacy switch is the organization's decision, taken with
 * its key, never an admin's about themselves), and removing the origin the console itself runs
 * on, which would refuse its very next request.
 */
function checkTokenOrganizationChange(ctx: Context, body: { allowedOrigins?: string[] | undefined; adminContentAccess?: boolean | undefined }): void {
  if (ctx.principal.kind !== 'token') return;
  if (body.adminContentAccess !== undefined) {
    throw new ApiError('forbidden', 'Admin access to room content is turned on or off with a secret API key (PATCH /v1/organization), not from an admin\'s session.', { field: 'adminContentAccess' });
  }
  const origin = ctx.request.headers.get('origin');
  if (body.allowedOrigins !== undefined && origin !== null && !body.allowedOrigins.some((o) => o.toLowerCase() === origin.toLowerCase())) {
    throw new ApiError('conflict', `This page's origin (${origin}) would no longer be allowed, and this session would be refused at once; keep it in the list, or remove it from another origin or with an API key.`, { field: 'allowedOrigins' });
  }
}

/**
 * 409 when a person's token would leave the organization without an active admin: deactivating
 * or demoting the last one locks everyone out of the console (an API key is not locked out, so
 * a host backend or the operator may still do it, and promote someone).
 */
async function keepAnAdmin(ctx: Context, db: Pick<Context['db'], 'selectFrom'>, row: PeopleTable, next: PeopleTable): Promise<void> {
  if (ctx.principal.kind !== 'token') return;
  const wasAdmin = row.active === 1 && strings(row.roles).includes('admin');
  const staysAdmin = next.active === 1 && strings(next.roles).includes('admin');
  if (!wasAdmin || staysAdmin) return;
  const other = await db.selectFrom('people').select('id').where('org_id', '=', row.org_id).where('active', '=', 1).where('id', '!=', row.id)
    .where(contains('roles', JSON.stringify('admin'))).limit(1).executeTakeFirst();
  if (other) return;
  const field = next.active === 0 ? 'active' : 'roles';
  throw new ApiError('conflict', `${row.display_name} is the organization's last active admin: ${field === 'active' ? 'deactivating them' : 'removing their admin role'} would leave no one to run the admin console. Make someone else an admin first.`, { field, errors: [{ field, message: 'the last active admin' }] });
}

/** Organization, API key and people handlers. */
export const peopleHandlers = [
  handle(getOrganization, async ({ ctx }) => {
    const org = await ctx.db.selectFrom('organizations').selectAll().where('id', '=', ctx.principal.orgId).executeTakeFirstOrThrow();
    return organizationView(ctx.db, org);
  }),

  handle(updateOrganization, async ({ body, ctx }) => {
    requireOrgAdmin(ctx, 'Changing the organization');
    checkTokenOrganizationChange(ctx, body);
    const orgId = ctx.principal.orgId;
    await ctx.db.transaction().execute(async (trx) => {
      if (body.name !== undefined) await trx.updateTable('organizations').set({ name: body.name }).where('id', '=', orgId).execute();
      if (body.allowedOrigins !== undefined) {
        const was = (await trx.selectFrom('allowed_origins').select('origin').where('org_id', '=', orgId).execute()).map((o) => o.origin);
        await recordOriginChanges(ctx, trx, was, await setAllowedOrigins(trx, orgId, body.allowedOrigins));
      }
      if (body.adminContentAccess !== undefined) await setAdminContentAccess(ctx, trx, body.adminContentAccess);
    });
    const org = await ctx.db.selectFrom('organizations').selectAll().where('id', '=', orgId).executeTakeFirstOrThrow();
    return organizationView(ctx.db, org);
  }),

  handle(listApiKeys, async ({ query, ctx }) => {
    requireOrgAdmin(ctx, 'Listing API keys');
    const limit = query.limit ?? 20;
    const after = decodeCursor(query.cursor, 1, (p) => isId(p, 'key'));
    let q = ctx.db.selectFrom('api_keys').selectAll().where('org_id', '=', ctx.principal.orgId);
    if (after) q = q.where('id', '<', after[0] ?? '');
    const rows = await q.orderBy('id', 'desc').limit(limit + 1).execute();
    return pageOf(rows, limit, (r) => [r.id], rows.map(apiKeyView));
  }),

  handle(createApiKey, async ({ body, ctx }) => {
    requireOrgAdmin(ctx, 'Creating an API key');
    // No credential mints a wider one: a key for the console's admin holds at most what the admin holds.
    const own = ctx.principal.scopes;
    const excess = (body.scopes ?? []).filter((s) => !own.has(s));
    if (excess.length > 0) {
      throw new ApiError('forbidden', `A new key cannot have scopes the caller lacks: ${excess.join(', ')}.`, { field: 'scopes', errors: [{ field: 'scopes', message: `not held by the caller: ${excess.join(', ')}` }] });
    }
    return ctx.db.transaction().execute(async (trx) => {
      const created = await insertApiKey(trx, ctx.principal.orgId, body.name, body.scopes ?? SCOPES.filter((s) => own.has(s)), ctx.now);
      await recordAdminChange(ctx, trx, { action: 'api_key.created', target: created.key.id, operation: createApiKey, after: { name: created.key.name, scopes: created.key.scopes } });
      return created;
    });
  }),

  handle(revokeApiKey, async ({ params, ctx }) => {
    requireOrgAdmin(ctx, 'Revoking an API key');
    const row = await ctx.db.selectFrom('api_keys').selectAll().where('id', '=', params.keyId).where('org_id', '=', ctx.principal.orgId).executeTakeFirst();
    if (!row) throw notFound('The API key');
    if (row.revoked_at === null) {
      // With the tokens and unexchanged secrets it minted, in one commit.
      await ctx.tx(async (trx) => {
        await trx.updateTable('api_keys').set({ revoked_at: ctx.now }).where('id', '=', row.id).execute();
        await revokeKeyCredentials(trx, row.id);
        await recordAdminChange(ctx, trx, { action: 'api_key.revoked', target: row.id, operation: revokeApiKey, before: { name: row.name } });
      });
      row.revoked_at = ctx.now;
      afterKeyRevoked(ctx, row.id);
    }
    return apiKeyView(row);
  }),

  handle(listPeople, async ({ query, ctx }) => {
    const limit = query.limit ?? 20;
    const after = decodeCursor(query.cursor, 1, (p) => isId(p, 'per'));
    let q = ctx.db.selectFrom('people').selectAll().where('org_id', '=', ctx.principal.orgId);
    if (after) q = q.where('id', '<', after[0] ?? '');
    if (query.externalId !== undefined) q = q.where('external_id', '=', query.externalId);
    if (query.q) q = q.where(contains('search_text', query.q.toLowerCase()));
    if (query.role !== undefined) q = q.where(contains('roles', JSON.stringify(query.role)));
    if (query.skill !== undefined) q = q.where(contains('skills', JSON.stringify(query.skill.toLowerCase())));
    const rows = await q.orderBy('id', 'desc').limit(limit + 1).execute();
    return pageOf(rows, limit, (r) => [r.id], rows.map(personView));
  }),

  handle(createPerson, async ({ body, ctx }) => {
    requireOrgAdmin(ctx, 'Adding a person');
    const row: PeopleTable = {
      id: newId('per'),
      org_id: ctx.principal.orgId,
      external_id: body.externalId ?? null,
      display_name: body.displayName,
      search_text: searchText(body.displayName, body.email ?? null),
      email: body.email ?? null,
      title: body.title ?? null,
      skills: json([...new Set(body.skills ?? [])]),
      avatar_url: body.avatarUrl ?? null,
      roles: json([...new Set(body.roles ?? ['member'])]),
      active: 1,
      created_at: ctx.now,
      updated_at: ctx.now,
    };
    await ctx.db.transaction().execute(async (trx) => {
      await trx.insertInto('people').values(row).execute().catch(conflictOnExternalId);
      await recordAdminChange(ctx, trx, { action: 'person.created', target: row.id, operation: createPerson, after: { roles: strings(row.roles) } });
    });
    return personView(row);
  }),

  handle(getPerson, async ({ params, ctx }) => {
    const row = await ctx.db.selectFrom('people').selectAll().where('id', '=', params.personId).where('org_id', '=', ctx.principal.orgId).executeTakeFirst();
    if (!row) throw notFound('The person');
    return personView(row);
  }),

  handle(updatePerson, async ({ params, body, ctx }) => {
    requireOrgAdmin(ctx, 'Changing a person');
    const row = await ctx.db.selectFrom('people').selectAll().where('id', '=', params.personId).where('org_id', '=', ctx.principal.orgId).executeTakeFirst();
    if (!row) throw notFound('The person');
    const next: PeopleTable = {
      ...row,
      external_id: body.externalId !== undefined ? body.externalId : row.external_id,
      display_name: body.displayName ?? row.display_name,
      email: body.email !== undefined ? body.email : row.email,
      title: body.title !== undefined ? body.title : row.title,
      skills: body.skills !== undefined ? json([...new Set(body.skills)]) : row.skills,
      avatar_url: body.avatarUrl !== undefined ? body.avatarUrl : row.avatar_url,
      roles: body.roles !== undefined ? json([...new Set(body.roles)]) : row.roles,
      active: body.active !== undefined ? (body.active ? 1 : 0) : row.active,
      updated_at: ctx.now,
    };
    next.search_text = searchText(next.display_name, next.email);
    const { id: _id, org_id: _org, created_at: _created, ...changes } = next;
    await ctx.db.transaction().execute(async (trx) => {
      await keepAnAdmin(ctx, trx, row, next);
      await trx.updateTable('people').set(changes).where('id', '=', row.id).execute().catch(conflictOnExternalId);
      if (row.active === 1 && next.active === 0) await revokePersonCredentials(trx, row.id);
      await recordPersonUpdate(ctx, trx, row, next);
    });
    afterPersonChange(ctx, row, next);
    return personView(next);
  }),
];
