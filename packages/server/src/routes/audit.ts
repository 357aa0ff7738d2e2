/**
 * The audit log of privacy by design for admins: the organization's `adminContentAccess`
 * setting, changed with its API key and recorded, and the list admins read in the console.
 * The reads themselves are recorded by `readableContent` (auth/access.ts); admin changes of
 * people, keys, origins and integrations by `recordAdminChange` (admin/audit-changes.ts).
 * @module
 */
import { AUDIT_ACTIONS, listAuditLog, type AuditEntry } from '@menteo/api/audit';
import { updateOrganization } from '@menteo/api/people';
import type { Transaction } from 'kysely';
import { isOrgWide } from '../auth/principal.js';
import type { Context } from '../context.js';
import { forbidden } from '../http/errors.js';
import { handle } from '../handler.js';
import { decodeCursor, pageOf } from '../storage/cursor.js';
import { isId, newId } from '../storage/ids.js';
import type { AuditLogTable, Database } from '../storage/schema.js';

/** Sets the organization's `adminContentAccess` inside the update's transaction; a change is recorded. */
export async function setAdminContentAccess(ctx: Context, trx: Transaction<Database>, on: boolean): Promise<void> {
  const p = ctx.principal;
  const org = await trx.selectFrom('organizations').select('admin_content_access').where('id', '=', p.orgId).executeTakeFirstOrThrow();
  const was = org.admin_content_access === 1;
  if (was === on) return;
  await trx.updateTable('organizations').set({ admin_content_access: on ? 1 : 0 }).where('id', '=', p.orgId).execute();
  await trx.insertInto('audit_log').values({
    id: newId('aud'), org_id: p.orgId, at: ctx.now, action: 'setting.changed', actor_kind: p.kind === 'key' ? 'key' : 'person',
    actor_person_id: p.person?.id ?? null, actor_key_id: p.kind === 'key' ? p.credentialId : null, room_id: null,
    resource: 'adminContentAccess', endpoint: `${updateOrganization.method} ${updateOrganization.path}`, request_id: ctx.requestId,
    change: JSON.stringify({ setting: 'adminContentAccess', from: was, to: on }),
  }).execute();
}

function entryView(row: AuditLogTable): AuditEntry {
  // `change` holds the setting change for `setting.changed`, and the before/after values of an admin change otherwise.
  const stored: unknown = row.change === null ? null : JSON.parse(row.change);
  const isValues = row.action !== 'setting.changed' && row.action !== 'content.read';
  return {
    id: row.id, at: row.at, action: row.action as AuditEntry['action'],
    actor: { kind: row.actor_kind === 'key' ? 'key' : 'person', personId: row.actor_person_id, keyId: row.actor_key_id },
    roomId: row.room_id, resource: row.resource, endpoint: row.endpoint, requestId: row.request_id,
    change: isValues ? null : (stored as AuditEntry['change']),
    values: isValues ? (stored as AuditEntry['values']) : null,
  };
}

/** Audit log handlers. */
export const auditHandlers = [
  handle(listAuditLog, async ({ query, ctx }) => {
    // The scope alone is not enough for a person: the audit log is for organization admins.
    if (!isOrgWide(ctx.principal)) throw forbidden('The audit log is for organization admins.');
    const limit = query.limit ?? 20;
    const after = decodeCursor(query.cursor, 1, (c) => isId(c, 'aud'))?.[0];
    let q = ctx.db.selectFrom('audit_log').selectAll().where('org_id', '=', ctx.principal.orgId);
    if (query.action !== undefined) q = q.where('action', '=', query.action);
    const kind = query.kind;
    // The kind's codes are known: an IN list is portable (no LIKE, where `_` in `api_key` is a wildcard).
    if (kind !== undefined) q = q.where('action', 'in', AUDIT_ACTIONS.filter((a) => a.startsWith(`${kind}.`)));
    if (after !== undefined) q = q.where('id', '<', after);
    const rows = await q.orderBy('id', 'desc').limit(limit + 1).execute();
    return pageOf(rows, limit, (r) => [r.id], rows.slice(0, limit).map(entryView));
  }),
];
