/**
 * SCIM Groups in `lti_scim_groups` and `lti_scim_members`; every change is mirrored to the
 * {@link PeopleDirectory} as the group's full member list (by Menteo person id).
 * @module
 */
import { scimPatch, type ScimPatchOperation, type ScimResource } from 'scim-patch';
import { randomId } from '../store.js';
import { URN, listResponse } from './discovery.js';
import { ScimError } from './errors.js';
import { equalities, parseFilter, predicate } from './filter.js';
import { normalizeOperations } from './normalize.js';
import { paging, type ScimScope } from './users.js';

interface GroupRow {
  id: string;
  org_id: string;
  external_id: string | null;
  display_name: string;
  version: number;
  created_at: string;
  updated_at: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function getRow(scope: ScimScope, id: string): Promise<GroupRow> {
  const row = await scope.db.selectFrom('lti_scim_groups').selectAll().where('org_id', '=', scope.orgId).where('id', '=', id).executeTakeFirst();
  if (!row) throw new ScimError(404, `Group ${id} not found.`);
  return row;
}

async function members(scope: ScimScope, groupId: string): Promise<{ value: string; display: string | null; personId: string }[]> {
  const rows = await scope.db
    .selectFrom('lti_scim_members')
    .innerJoin('lti_scim_users', 'lti_scim_users.id', 'lti_scim_members.user_id')
    .select(['lti_scim_users.id', 'lti_scim_users.display_name', 'lti_scim_users.user_name', 'lti_scim_users.person_id'])
    .where('lti_scim_members.group_id', '=', groupId)
    .orderBy('lti_scim_users.id')
    .execute();
  return rows.map((r) => ({ value: r.id, display: r.display_name ?? r.user_name, personId: r.person_id }));
}

/** The SCIM representation of a group; `withMembers: false` for `excludedAttributes=members`. */
async function groupResource(scope: ScimScope, row: GroupRow, withMembers = true): Promise<Record<string, unknown>> {
  const resource: Record<string, unknown> = {
    schemas: [URN.group],
    id: row.id,
    displayName: row.display_name,
    ...(row.external_id ? { externalId: row.external_id } : {}),
    meta: { resourceType: 'Group', created: row.created_at, lastModified: row.updated_at, location: `${scope.baseUrl}/Groups/${row.id}`, version: `W/"${row.version}"` },
  };
  if (withMembers) resource['members'] = (await members(scope, row.id)).map((m) => ({ value: m.value, display: m.display, $ref: `${scope.baseUrl}/Users/${m.value}` }));
  return resource;
}

/** Member user ids of a document, checked to be users of this organization. */
async function memberIds(scope: ScimScope, value: unknown): Promise<string[]> {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new ScimError(400, 'members must be a list.', 'invalidValue');
  if (!value.every((m) => isRecord(m) && typeof m['value'] === 'string')) {
    throw new ScimError(400, 'Every member needs a value (a user id).', 'invalidValue');
  }
  const ids = [...new Set(value.map((m) => (m as Record<string, string>)['value'] as string))];
  if (ids.length === 0) return [];
  const known = await scope.db.selectFrom('lti_scim_users').select('id').where('org_id', '=', scope.orgId).where('id', 'in', ids).execute();
  if (known.length !== ids.length) {
    const missing = ids.filter((id) => !known.some((k) => k.id === id));
    throw new ScimError(400, `These members are not users of this organization: ${missing.join(', ')}.`, 'invalidValue');
  }
  return ids;
}

async function assertUniqueName(scope: ScimScope, displayName: string, exceptId?: string): Promise<void> {
  let query = scope.db.selectFrom('lti_scim_groups').select('id').where('org_id', '=', scope.orgId).where('display_name', '=', displayName);
  if (exceptId) query = query.where('id', '!=', exceptId);
  if (await query.executeTakeFirst()) throw new ScimError(409, `A group named "${displayName}" already exists.`, 'uniqueness');
}

/** Mirrors a group to the directory. */
export async function syncGroup(scope: ScimScope, groupId: string): Promise<void> {
  const row = await getRow(scope, groupId);
  const list = await members(scope, groupId);
  await scope.directory.syncGroup(scope.orgId, { groupId, displayName: row.display_name, externalId: row.external_id, memberPersonIds: list.map((m) => m.personId) });
}

async function write(scope: ScimScope, id: string, displayName: string, externalId: string | null, ids: string[], create: boolean): Promise<void> {
  const now = new Date().toISOString();
  await scope.db.transaction().execute(async (trx) => {
    if (create) {
      await trx.insertInto('lti_scim_groups').values({ id, org_id: scope.orgId, external_id: externalId, display_name: displayName, created_at: now, updated_at: now }).execute();
    } else {
      await trx.updateTable('lti_scim_groups').set((eb) => ({ display_name: displayName, external_id: externalId, updated_at: now, version: eb('version', '+', 1) })).where('id', '=', id).execute();
      await trx.deleteFrom('lti_scim_members').where('group_id', '=', id).execute();
    }
    if (ids.length) await trx.insertInto('lti_scim_members').values(ids.map((userId) => ({ group_id: id, user_id: userId }))).execute();
  });
  await syncGroup(scope, id);
}

function displayNameOf(doc: Record<string, unknown>): string {
  const name = typeof doc['displayName'] === 'string' ? doc['displayName'].trim() : '';
  if (!name) throw new ScimError(400, 'displayName is required.', 'invalidValue');
  return name;
}

/** POST /Groups. */
export async function createGroup(scope: ScimScope, body: unknown): Promise<Record<string, unknown>> {
  if (!isRecord(body)) throw new ScimError(400, 'The request body must be a JSON object.', 'invalidSyntax');
  const displayName = displayNameOf(body);
  await assertUniqueName(scope, displayName);
  const ids = await memberIds(scope, body['members']);
  const id = randomId('scimg');
  await write(scope, id, displayName, typeof body['externalId'] === 'string' ? body['externalId'] : null, ids, true);
  return groupResource(scope, await getRow(scope, id));
}

/** GET /Groups/:id. */
export async function getGroup(scope: ScimScope, id: string, withMembers: boolean): Promise<Record<string, unknown>> {
  return groupResource(scope, await getRow(scope, id), withMembers);
}

/** PUT /Groups/:id. */
export async function replaceGroup(scope: ScimScope, id: string, body: unknown): Promise<Record<string, unknown>> {
  await getRow(scope, id);
  if (!isRecord(body)) throw new ScimError(400, 'The request body must be a JSON object.', 'invalidSyntax');
  const displayName = displayNameOf(body);
  await assertUniqueName(scope, displayName, id);
  await write(scope, id, displayName, typeof body['externalId'] === 'string' ? body['externalId'] : null, await memberIds(scope, body['members']), false);
  return groupResource(scope, await getRow(scope, id));
}

/** PATCH /Groups/:id (Entra and Okta send member changes this way). */
export async function patchGroup(scope: ScimScope, id: string, body: unknown): Promise<Record<string, unknown>> {
  const row = await getRow(scope, id);
  let operations;
  try {
    operations = normalizeOperations(body);
  } catch (error) {
    throw new ScimError(400, error instanceof Error ? error.message : String(error), 'invalidSyntax');
  }
  const current = {
    schemas: [URN.group],
    displayName: row.display_name,
    ...(row.external_id ? { externalId: row.external_id } : {}),
    members: (await members(scope, id)).map((m) => ({ value: m.value })),
    meta: { resourceType: 'Group' },
  } as unknown as ScimResource;
  let patched: Record<string, unknown>;
  try {
    // One operation at a time, so that removing a member who is not (or no longer) there is a
    // no-op, as identity providers expect, instead of a scim-patch "no target" error.
    let doc = current;
    for (const operation of operations) {
      const removed = operation.op === 'remove' ? /^members\[value eq "(.*)"\]$/i.exec(operation.path ?? '')?.[1] : undefined;
      const present = ((doc as unknown as { members?: { value: string }[] }).members ?? []).some((m) => m.value === removed);
      if (removed !== undefined && !present) continue;
      doc = scimPatch(doc, [operation as ScimPatchOperation], { mutateDocument: false, treatMissingAsAdd: true });
    }
    patched = doc as unknown as Record<string, unknown>;
  } catch (error) {
    throw new ScimError(400, `The PATCH could not be applied: ${error instanceof Error ? error.message : String(error)}`, 'invalidPath');
  }
  const displayName = displayNameOf(patched);
  await assertUniqueName(scope, displayName, id);
  await write(scope, id, displayName, typeof patched['externalId'] === 'string' ? patched['externalId'] : null, await memberIds(scope, patched['members']), false);
  return groupResource(scope, await getRow(scope, id));
}

/** DELETE /Groups/:id. */
export async function deleteGroup(scope: ScimScope, id: string): Promise<void> {
  await getRow(scope, id);
  await scope.db.deleteFrom('lti_scim_groups').where('id', '=', id).execute();
  await scope.directory.removeGroup(scope.orgId, id);
}

/** GET /Groups. */
export async function listGroups(scope: ScimScope, query: URLSearchParams): Promise<Record<string, unknown>> {
  const { startIndex, count } = paging(query);
  const withMembers = !(query.get('excludedAttributes') ?? '').toLowerCase().split(',').map((s) => s.trim()).includes('members');
  let base = scope.db.selectFrom('lti_scim_groups').selectAll().where('org_id', '=', scope.orgId);
  const filterText = query.get('filter');
  if (filterText) {
    const f = parseFilter(filterText);
    const eqs = equalities(f, { displayname: 'display_name', externalid: 'external_id', id: 'id' } as const);
    if (eqs) {
      for (const { column, value } of eqs) base = base.where(column, '=', value);
    } else {
      const rows = await base.orderBy('created_at').orderBy('id').execute();
      const test = predicate(f);
      const matched: Record<string, unknown>[] = [];
      for (const row of rows) {
        const resource = await groupResource(scope, row, true);
        if (test(resource)) matched.push(withMembers ? resource : { ...resource, members: undefined });
      }
      return listResponse(matched.slice(startIndex - 1, startIndex - 1 + count), matched.length, startIndex);
    }
  }
  const total = await base.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = count === 0 ? [] : await base.orderBy('created_at').orderBy('id').limit(count).offset(startIndex - 1).execute();
  const resources = [];
  for (const row of rows) resources.push(await groupResource(scope, row, withMembers));
  return listResponse(resources, Number(total.n), startIndex);
}
