/**
 * The audit log: every read of room content by an organization admin who is not in the room
 * (allowed only while the organization's `adminContentAccess` is on), and every change of that
 * setting. Admins list it; nobody edits it.
 * @module
 */
import * as z from 'zod/mini';
import { Timestamp, id, page, pageQuery } from './common.js';
import { RoomId } from './ids.js';
import { defineOperation } from './operation.js';
import { ApiKeyId, PersonId } from './people.js';

export const AuditEntryId = id('aud');

export const AUDIT_ACTIONS = ['content.read', 'setting.changed'] as const;
export const AuditAction = z.enum(AUDIT_ACTIONS);
export type AuditAction = z.infer<typeof AuditAction>;

/** One recorded access or change. */
export const AuditEntry = z.object({
  id: AuditEntryId,
  at: Timestamp,
  action: AuditAction,
  /** Who: a person (through their access token) or an API key. */
  actor: z.object({ kind: z.enum(['person', 'key']), personId: z.nullable(PersonId), keyId: z.nullable(ApiKeyId) }),
  /** The room whose content was read; `null` for a setting change. */
  roomId: z.nullable(RoomId),
  /** What was read (`messages`, `notes`, `resources`, `check-ins`, `feedback`, `feedback-requests`, `learnings`) or changed (`adminContentAccess`). */
  resource: z.string(),
  /** Why: the endpoint called, as `METHOD /v1/path/{template}`. */
  endpoint: z.string(),
  /** The request's `X-Request-Id`, to match server logs. */
  requestId: z.string(),
  /** For `setting.changed`: the setting and its values before and after. */
  change: z.nullable(z.object({ setting: z.string(), from: z.boolean(), to: z.boolean() })),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const ListAuditLogQuery = pageQuery({ action: z.optional(AuditAction) });

export const listAuditLog = defineOperation({
  id: 'listAuditLog', method: 'GET', path: '/v1/audit-log', tag: 'Organization',
  summary: 'Admin reads of room content and changes of the privacy setting, newest first (admins and API keys with org:admin).',
  description: 'Recorded while `adminContentAccess` is on: who read which room\'s content, through which endpoint, when. Turning the setting on or off is recorded too.',
  scopes: ['org:admin'], query: ListAuditLogQuery, response: page(AuditEntry),
});
