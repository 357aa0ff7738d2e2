/**
 * Audit entries for the changes an admin (a console token or an API key) makes to people, API
 * keys, allowed origins, embed keys, SCIM tokens and LTI platforms, so an organization can answer
 * "who gave Sam the admin role, and when". An entry records the actor, an action code, the
 * target's id (in `resource`) and what changed before and after: never a secret (API key, SCIM
 * token or embed secrets are not passed in, only ids, names, labels and scopes).
 * @module
 */
import type { AuditChangeAction, AuditValues } from '@menteo/api/audit';
import { updateOrganization, updatePerson } from '@menteo/api/people';
import type { Kysely, Transaction } from 'kysely';
import type { Context } from '../context.js';
import { newId } from '../storage/ids.js';
import { strings } from '../storage/json.js';
import type { Database, PeopleTable } from '../storage/schema.js';

/** One change to record: what, on which target, through which operation, and its values. */
export interface AdminChange {
  readonly action: AuditChangeAction;
  /** The target's id (`per_…`, `key_…`, an embed key, SCIM token or LTI platform id) or the origin itself. */
  readonly target: string;
  /** The operation called, for the entry's `endpoint`. */
  readonly operation: { readonly method: string; readonly path: string };
  readonly before?: AuditValues | null;
  readonly after?: AuditValues | null;
}

/**
 * Writes one audit entry for `change`. Pass the transaction that makes the change, so the entry
 * exists exactly when the change does (a refused or failed change leaves none).
 */
export async function recordAdminChange(ctx: Context, db: Kysely<Database> | Transaction<Database>, change: AdminChange): Promise<void> {
  const p = ctx.principal;
  await db.insertInto('audit_log').values({
    id: newId('aud'), org_id: p.orgId, at: ctx.now, action: change.action, actor_kind: p.kind === 'key' ? 'key' : 'person',
    actor_person_id: p.person?.id ?? null, actor_key_id: p.kind === 'key' ? p.credentialId : null, room_id: null,
    resource: change.target, endpoint: `${change.operation.method} ${change.operation.path}`, request_id: ctx.requestId,
    change: JSON.stringify({ before: change.before ?? null, after: change.after ?? null }),
  }).execute();
}

/** The audit entries of one person's update: roles changed, deactivated or reactivated. */
export function personChanges(before: { roles: readonly string[]; active: boolean }, after: { roles: readonly string[]; active: boolean }):
  { action: AuditChangeAction; before: AuditValues; after: AuditValues }[] {
  const out: { action: AuditChangeAction; before: AuditValues; after: AuditValues }[] = [];
  const sameRoles = before.roles.length === after.roles.length && before.roles.every((r) => after.roles.includes(r));
  if (!sameRoles) out.push({ action: 'person.roles_changed', before: { roles: [...before.roles] }, after: { roles: [...after.roles] } });
  if (before.active !== after.active) {
    out.push({ action: after.active ? 'person.reactivated' : 'person.deactivated', before: { active: before.active }, after: { active: after.active } });
  }
  return out;
}

/** Records each origin added and removed by replacing the allowed origins (`was` → `now`, both lowercase). */
export async function recordOriginChanges(ctx: Context, trx: Transaction<Database>, was: readonly string[], now: readonly string[]): Promise<void> {
  for (const origin of now.filter((o) => !was.includes(o))) {
    await recordAdminChange(ctx, trx, { action: 'origin.added', target: origin, operation: updateOrganization, after: { origin } });
  }
  for (const origin of was.filter((o) => !now.includes(o))) {
    await recordAdminChange(ctx, trx, { action: 'origin.removed', target: origin, operation: updateOrganization, before: { origin } });
  }
}

/** Records a person's update (roles changed, deactivated, reactivated), from the stored rows before and after. */
export async function recordPersonUpdate(ctx: Context, trx: Transaction<Database>, row: PeopleTable, next: PeopleTable): Promise<void> {
  const changes = personChanges({ roles: strings(row.roles), active: row.active === 1 }, { roles: strings(next.roles), active: next.active === 1 });
  for (const c of changes) await recordAdminChange(ctx, trx, { ...c, target: row.id, operation: updatePerson });
}
