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

/** Changes an admin (console token or API key) makes; the part before the dot is the action's kind. */
export const AUDIT_CHANGE_ACTIONS = [
  'person.created', 'person.roles_changed', 'person.deactivated', 'person.reactivated',
  'api_key.created', 'api_key.revoked', 'origin.added', 'origin.removed',
  'embed_key.created', 'embed_key.revoked', 'scim_token.created', 'scim_token.revoked', 'lti_platform.registered',
] as const;
export type AuditChangeAction = (typeof AUDIT_CHANGE_ACTIONS)[number];

export const AUDIT_ACTIONS = ['content.read', 'setting.changed', ...AUDIT_CHANGE_ACTIONS] as const;
export const AuditAction = z.enum(AUDIT_ACTIONS);
export type AuditAction = z.infer<typeof AuditAction>;

/** The kinds of actions (an action's code before the dot), to filter the log by. */
export const AUDIT_KINDS = ['content', 'setting', 'person', 'api_key', 'origin', 'embed_key', 'scim_token', 'lti_platform'] as const;
export const AuditKind = z.enum(AUDIT_KINDS);
export type AuditKind = z.infer<typeof AuditKind>;

/** Values of a target before or after a change: roles, active, name, label, scopes, origin. Never a secret. */
export const AuditValues = z.record(z.string(), z.union([z.string(), z.boolean(), z.array(z.string())]));
export type AuditValues = z.infer<typeof AuditValues>;

/** One recorded access or change. */
export const AuditEntry = z.object({
  id: AuditEntryId,
  at: Timestamp,
  action: AuditAction,
  /** Who: a person (through their access token) or an API key. */
  actor: z.object({ kind: z.enum(['person', 'key']), personId: z.nullable(PersonId), keyId: z.nullable(ApiKeyId) }),
  /** The room whose content was read; `null` for a setting change. */
  roomId: z.nullable(RoomId),
  /** What was read (`messages`, `notes`, `resources`, `check-ins`, `feedback`, `feedback-requests`, `learnings`) or changed (`adminContentAccess`, or the target's id for an admin change: person, API key, embed key, SCIM token, LTI platform, or the origin itself). */
  resource: z.string(),
  /** Why: the endpoint called, as `METHOD /v1/path/{template}`. */
  endpoint: z.string(),
  /** The request's `X-Request-Id`, to match server logs. */
  requestId: z.string(),
  /** For `setting.changed`: the setting and its values before and after. */
  change: z.nullable(z.object({ setting: z.string(), from: z.boolean(), to: z.boolean() })),
  /** For an admin change (every action but `content.read` and `setting.changed`): the target's values before and after (`null` when created or removed). */
  values: z.nullable(z.object({ before: z.nullable(AuditValues), after: z.nullable(AuditValues) })),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const ListAuditLogQuery = pageQuery({
  action: z.optional(AuditAction),
  /** Only actions of this kind (the code before the dot), e.g. `person` for every change of people. */
  kind: z.optional(AuditKind),
});

export const listAuditLog = defineOperation({
  id: 'listAuditLog', method: 'GET', path: '/v1/audit-log', tag: 'Organization',
  summary: 'Admin reads of room content, and admin changes of settings, people, keys, origins and integrations, newest first (admins and API keys with org:admin).',
  description: 'Recorded while `adminContentAccess` is on: who read which room\'s content, through which endpoint, when. Turning the setting on or off is recorded too, and so is every change an admin console token or API key makes to people (created, roles, deactivated, reactivated), API keys, allowed origins, embed keys, SCIM tokens and LTI platforms, with its values before and after and never a secret. Filter with `action` (one code) or `kind` (the code before the dot).',
  scopes: ['org:admin'], query: ListAuditLogQuery, response: page(AuditEntry),
});
