/**
 * SCIM Users: stored as the identity provider sent them (so unmodelled attributes round-trip)
 * in `lti_scim_users`, and projected onto Menteo persons through the {@link PeopleDirectory}.
 * @module
 */
import type { Kysely } from 'kysely';
import { scimPatch, type ScimPatchOperation, type ScimResource } from 'scim-patch';
import type { LtiDatabase } from '../db/schema.js';
import type { PeopleDirectory, PersonProfile, PersonRole } from '../ports.js';
import { randomId } from '../store.js';
import { MAX_PAGE, URN, listResponse } from './discovery.js';
import { ScimError } from './errors.js';
import { equalities, parseFilter, predicate } from './filter.js';
import { normalizeOperations, normalizeUser } from './normalize.js';

type UserRow = LtiDatabase['lti_scim_users'] extends infer R ? { [K in keyof R]: R[K] extends import('kysely').Generated<infer T> ? T : R[K] } : never;

/** What the user and group handlers share. */
export interface ScimScope {
  db: Kysely<LtiDatabase>;
  directory: PeopleDirectory;
  orgId: string;
  baseUrl: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** The full SCIM representation of a stored user. */
export async function userResource(scope: ScimScope, row: UserRow, withGroups = true): Promise<Record<string, unknown>> {
  const doc = JSON.parse(row.doc) as Record<string, unknown>;
  const resource: Record<string, unknown> = {
    ...doc,
    schemas: doc[URN.enterprise] ? [URN.user, URN.enterprise] : [URN.user],
    id: row.id,
    active: row.active === 1,
    meta: { resourceType: 'User', created: row.created_at, lastModified: row.updated_at, location: `${scope.baseUrl}/Users/${row.id}`, version: `W/"${row.version}"` },
  };
  if (withGroups) {
    const groups = await scope.db
      .selectFrom('lti_scim_members')
      .innerJoin('lti_scim_groups', 'lti_scim_groups.id', 'lti_scim_members.group_id')
      .select(['lti_scim_groups.id', 'lti_scim_groups.display_name'])
      .where('lti_scim_members.user_id', '=', row.id)
      .execute();
    if (groups.length) resource['groups'] = groups.map((g) => ({ value: g.id, display: g.display_name, $ref: `${scope.baseUrl}/Groups/${g.id}` }));
  }
  return resource;
}

/** Validates and cleans an incoming User document; throws SCIM errors with plain details. */
function cleanUser(body: unknown): Record<string, unknown> {
  if (!isRecord(body)) throw new ScimError(400, 'The request body must be a JSON object.', 'invalidSyntax');
  const doc = normalizeUser(structuredClone(body));
  // Menteo never uses passwords: do not keep one an identity provider sends anyway.
  for (const key of ['id', 'meta', 'groups', 'schemas', 'password']) delete doc[key];
  if (!str(doc['userName'])) throw new ScimError(400, 'userName is required.', 'invalidValue');
  if ('active' in doc && typeof doc['active'] !== 'boolean') throw new ScimError(400, 'active must be true or false.', 'invalidValue');
  if (doc['externalId'] !== undefined && doc['externalId'] !== null && typeof doc['externalId'] !== 'string') throw new ScimError(400, 'externalId must be a string.', 'invalidValue');
  if (doc['emails'] !== undefined && !Array.isArray(doc['emails'])) throw new ScimError(400, 'emails must be a list.', 'invalidValue');
  return doc;
}

function primaryEmail(doc: Record<string, unknown>): string | null {
  const emails = Array.isArray(doc['emails']) ? doc['emails'].filter(isRecord) : [];
  const chosen = emails.find((e) => e['primary'] === true) ?? emails.find((e) => e['type'] === 'work') ?? emails[0];
  const value = str(chosen?.['value']) ?? (str(doc['userName'])?.includes('@') ? str(doc['userName']) : undefined);
  return value ?? null;
}

/** The Menteo person a User document describes. */
async function profileOf(scope: ScimScope, doc: Record<string, unknown>): Promise<PersonProfile> {
  const name = isRecord(doc['name']) ? doc['name'] : {};
  const enterprise = isRecord(doc[URN.enterprise]) ? doc[URN.enterprise] as Record<string, unknown> : {};
  const userName = str(doc['userName']) as string;
  const displayName =
    str(doc['displayName']) ?? str(name['formatted']) ?? ([str(name['givenName']), str(name['familyName'])].filter(Boolean).join(' ') || userName);
  let managerPersonId: string | null | undefined;
  if ('manager' in enterprise) {
    const managerId = isRecord(enterprise['manager']) ? str(enterprise['manager']['value']) : undefined;
    if (managerId) {
      // Entra sends the manager's SCIM id; Okta its own manager id, which is the manager's
      // externalId as we received it (or their userName when they had none).
      const users = scope.db.selectFrom('lti_scim_users').select('person_id').where('org_id', '=', scope.orgId);
      const manager = await users.where('id', '=', managerId).executeTakeFirst()
        ?? await users.where('external_id', '=', managerId).executeTakeFirst()
        ?? await users.where('user_name', '=', managerId.toLowerCase()).executeTakeFirst();
      managerPersonId = manager?.person_id ?? null;
    } else managerPersonId = null;
  }
  const roleValues = Array.isArray(doc['roles']) ? doc['roles'].map((r) => (isRecord(r) ? str(r['value']) : str(r))).filter((r): r is string => r !== undefined) : undefined;
  const roles = roleValues?.map((r) => r.toLowerCase()).filter((r): r is PersonRole => r === 'member' || r === 'mentor' || r === 'admin');
  return {
    // Okta often sends no externalId; userName is then the stable key the LMS can share.
    externalId: str(doc['externalId']) ?? userName,
    displayName,
    email: primaryEmail(doc),
    title: str(doc['title']) ?? null,
    department: str(enterprise['department']) ?? null,
    employeeNumber: str(enterprise['employeeNumber']) ?? null,
    ...(managerPersonId !== undefined ? { managerPersonId } : {}),
    ...(roles ? { roles: roles.length ? roles : ['member'] } : {}),
    active: doc['active'] !== false,
  };
}

async function assertUniqueUserName(scope: ScimScope, userName: string, exceptId?: string): Promise<void> {
  let query = scope.db.selectFrom('lti_scim_users').select('id').where('org_id', '=', scope.orgId).where('user_name', '=', userName.toLowerCase());
  if (exceptId) query = query.where('id', '!=', exceptId);
  if (await query.executeTakeFirst()) throw new ScimError(409, `A user with userName "${userName}" already exists.`, 'uniqueness');
}

async function getRow(scope: ScimScope, id: string): Promise<UserRow> {
  const row = await scope.db.selectFrom('lti_scim_users').selectAll().where('org_id', '=', scope.orgId).where('id', '=', id).executeTakeFirst();
  if (!row) throw new ScimError(404, `User ${id} not found.`);
  return row;
}

/** POST /Users. */
export async function createUser(scope: ScimScope, body: unknown): Promise<Record<string, unknown>> {
  const doc = cleanUser(body);
  const userName = str(doc['userName']) as string;
  await assertUniqueUserName(scope, userName);
  const profile = await profileOf(scope, doc);
  const { personId } = await scope.directory.upsertPerson(scope.orgId, profile);
  if (profile.active === false) await scope.directory.setPersonActive(scope.orgId, personId, false);
  const now = new Date().toISOString();
  const id = randomId('scimu');
  await scope.db
    .insertInto('lti_scim_users')
    .values({ id, org_id: scope.orgId, person_id: personId, external_id: str(doc['externalId']) ?? null, user_name: userName.toLowerCase(), display_name: str(doc['displayName']) ?? null, active: profile.active === false ? 0 : 1, doc: JSON.stringify(doc), created_at: now, updated_at: now })
    .execute();
  return userResource(scope, await getRow(scope, id));
}

/** GET /Users/:id. */
export async function getUser(scope: ScimScope, id: string): Promise<Record<string, unknown>> {
  return userResource(scope, await getRow(scope, id));
}

/** Writes a changed document and projects it onto the person. */
async function saveUser(scope: ScimScope, row: UserRow, doc: Record<string, unknown>): Promise<Record<string, unknown>> {
  const userName = str(doc['userName']);
  if (!userName) throw new ScimError(400, 'userName is required.', 'invalidValue');
  if (typeof doc['active'] !== 'boolean' && doc['active'] !== undefined) throw new ScimError(400, 'active must be true or false.', 'invalidValue');
  await assertUniqueUserName(scope, userName, row.id);
  const profile = await profileOf(scope, doc);
  await scope.directory.updatePerson(scope.orgId, row.person_id, profile);
  const active = profile.active !== false;
  // Deactivation must revoke access at once, not only flip a flag.
  if (active !== (row.active === 1)) await scope.directory.setPersonActive(scope.orgId, row.person_id, active);
  await scope.db
    .updateTable('lti_scim_users')
    .set((eb) => ({ external_id: str(doc['externalId']) ?? null, user_name: userName.toLowerCase(), display_name: str(doc['displayName']) ?? null, active: active ? 1 : 0, doc: JSON.stringify(doc), updated_at: new Date().toISOString(), version: eb('version', '+', 1) }))
    .where('id', '=', row.id)
    .execute();
  return userResource(scope, await getRow(scope, row.id));
}

/** PUT /Users/:id. */
export async function replaceUser(scope: ScimScope, id: string, body: unknown): Promise<Record<string, unknown>> {
  const row = await getRow(scope, id);
  return saveUser(scope, row, cleanUser(body));
}

/** PATCH /Users/:id. */
export async function patchUser(scope: ScimScope, id: string, body: unknown): Promise<Record<string, unknown>> {
  const row = await getRow(scope, id);
  let operations;
  try {
    operations = normalizeOperations(body);
  } catch (error) {
    throw new ScimError(400, error instanceof Error ? error.message : String(error), 'invalidSyntax');
  }
  const current = { ...(JSON.parse(row.doc) as Record<string, unknown>), schemas: [URN.user], active: row.active === 1, meta: { resourceType: 'User' } } as unknown as ScimResource;
  let patched: Record<string, unknown>;
  try {
    patched = scimPatch(current, operations as ScimPatchOperation[], { mutateDocument: false, treatMissingAsAdd: true }) as unknown as Record<string, unknown>;
  } catch (error) {
    throw new ScimError(400, `The PATCH could not be applied: ${error instanceof Error ? error.message : String(error)}`, 'invalidPath');
  }
  const doc = normalizeUser(patched);
  for (const key of ['id', 'meta', 'groups', 'schemas', 'password']) delete doc[key];
  return saveUser(scope, row, doc);
}

/** DELETE /Users/:id: the SCIM user goes; the Menteo person is deactivated and keeps their history. */
export async function deleteUser(scope: ScimScope, id: string): Promise<string[]> {
  const row = await getRow(scope, id);
  await scope.directory.setPersonActive(scope.orgId, row.person_id, false);
  const groups = await scope.db.selectFrom('lti_scim_members').select('group_id').where('user_id', '=', id).execute();
  await scope.db.deleteFrom('lti_scim_members').where('user_id', '=', id).execute();
  await scope.db.deleteFrom('lti_scim_users').where('id', '=', id).execute();
  return groups.map((g) => g.group_id);
}

/** Reads `startIndex` and `count` (RFC 7644 3.4.2.4): 1-based, clamped, never an error. */
export function paging(query: URLSearchParams): { startIndex: number; count: number } {
  const start = Number.parseInt(query.get('startIndex') ?? '1', 10);
  const count = Number.parseInt(query.get('count') ?? String(MAX_PAGE), 10);
  return { startIndex: Number.isFinite(start) && start >= 1 ? start : 1, count: Number.isFinite(count) ? Math.min(Math.max(count, 0), MAX_PAGE) : MAX_PAGE };
}

/** GET /Users with optional filter and paging. */
export async function listUsers(scope: ScimScope, query: URLSearchParams): Promise<Record<string, unknown>> {
  const { startIndex, count } = paging(query);
  const filterText = query.get('filter');
  let base = scope.db.selectFrom('lti_scim_users').selectAll().where('org_id', '=', scope.orgId);
  if (filterText) {
    const f = parseFilter(filterText);
    const eqs = equalities(f, { username: 'user_name', externalid: 'external_id', displayname: 'display_name', id: 'id' } as const);
    if (eqs) {
      for (const { column, value } of eqs) base = base.where(column, '=', column === 'user_name' ? value.toLowerCase() : value);
    } else {
      // Rare filters: evaluate on the organization's documents.
      const rows = await base.orderBy('created_at').orderBy('id').execute();
      const test = predicate(f);
      const matched: Record<string, unknown>[] = [];
      for (const row of rows) {
        const resource = await userResource(scope, row, false);
        if (test(resource)) matched.push(resource);
      }
      return listResponse(matched.slice(startIndex - 1, startIndex - 1 + count), matched.length, startIndex);
    }
  }
  const total = await base.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = count === 0 ? [] : await base.orderBy('created_at').orderBy('id').limit(count).offset(startIndex - 1).execute();
  const resources = [];
  for (const row of rows) resources.push(await userResource(scope, row, false));
  return listResponse(resources, Number(total.n), startIndex);
}
