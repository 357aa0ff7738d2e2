/**
 * Organizations, people and API keys.
 * @module
 */
import * as z from 'zod/mini';
import { Skills, Timestamp, id, longText, pageQuery, page, text } from './common.js';
import { defineOperation } from './operation.js';
import { SCOPES } from './scopes.js';

export const OrganizationId = id('org');
export const PersonId = id('per');
export const ApiKeyId = id('key');

/** An origin such as `https://intranet.example.com` (scheme, host, optional port; no path). */
export const Origin = z.string().check(
  z.regex(/^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i, 'must be an origin like https://intranet.example.com'),
);

/**
 * An avatar image address: `https` only, with a host name. Every viewer's browser loads it, so
 * plain `http` (mixed content, readable and changeable on the way) and other schemes (`data:`,
 * `javascript:`) are refused; hosts that want to restrict image origins further set a CSP
 * `img-src` (see the server's README).
 */
export const AvatarUrl = z.url({ protocol: /^https$/, hostname: z.regexes.domain, error: 'must be an https URL (https://…)' }).check(z.maxLength(2048));

/** A company using Menteo. */
export const Organization = z.object({
  id: OrganizationId,
  name: z.string(),
  /** Origins allowed to embed the widgets (CORS and embed sessions). */
  allowedOrigins: z.array(Origin),
  /**
   * When true, organization admins may read the content of rooms they are not in (messages,
   * notes, resources, check-ins, feedback, learnings), and every such read is recorded in the
   * audit log. False by default: admins see program metrics and at-risk reasons only.
   */
  adminContentAccess: z.boolean(),
  createdAt: Timestamp,
});
export type Organization = z.infer<typeof Organization>;

export const UpdateOrganization = z.strictObject({
  name: z.optional(text(120)),
  allowedOrigins: z.optional(z.array(Origin).check(z.maxLength(50))),
  /** Lets admins read room content, audited; each change is itself recorded in the audit log. */
  adminContentAccess: z.optional(z.boolean()),
});
export type UpdateOrganization = z.infer<typeof UpdateOrganization>;

/** Organization-wide roles. Room roles (mentor, mentee, observer) are set per room. */
export const PERSON_ROLES = ['member', 'mentor', 'admin'] as const;
export const PersonRole = z.enum(PERSON_ROLES);
export type PersonRole = z.infer<typeof PersonRole>;

/** Someone in the organization. */
export const Person = z.object({
  id: PersonId,
  /** The person's id in the HR system or LMS that provisions them. */
  externalId: z.nullable(z.string()),
  displayName: z.string(),
  email: z.nullable(z.string()),
  title: z.nullable(z.string()),
  skills: z.array(z.string()),
  /** An https image URL, or null. */
  avatarUrl: z.nullable(z.string()),
  roles: z.array(PersonRole),
  /** Deactivated people keep their history but can no longer sign in. */
  active: z.boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Person = z.infer<typeof Person>;

/**
 * The public profile of a person: what anyone who reads their growth threads, posts and comments
 * sees, including anonymous readers of public posts and people outside their rooms. Those
 * surfaces reach beyond a room, so they never carry the email, the external id or the roles;
 * `GET /v1/people/{personId}` (scope `people:read`, same organization) gives the full `Person`.
 */
export const PublicPerson = z.object({
  id: PersonId,
  displayName: z.string(),
  /** An https image URL, or null. */
  avatarUrl: z.nullable(z.string()),
});
export type PublicPerson = z.infer<typeof PublicPerson>;

export const CreatePerson = z.strictObject({
  externalId: z.optional(text(200)),
  displayName: text(120),
  email: z.optional(z.email()),
  title: z.optional(text(120)),
  skills: z.optional(Skills),
  avatarUrl: z.optional(AvatarUrl),
  roles: z.optional(z.array(PersonRole).check(z.maxLength(3))),
});
export type CreatePerson = z.infer<typeof CreatePerson>;

export const UpdatePerson = z.strictObject({
  externalId: z.optional(z.nullable(text(200))),
  displayName: z.optional(text(120)),
  email: z.optional(z.nullable(z.email())),
  title: z.optional(z.nullable(text(120))),
  skills: z.optional(Skills),
  avatarUrl: z.optional(z.nullable(AvatarUrl)),
  roles: z.optional(z.array(PersonRole).check(z.maxLength(3))),
  active: z.optional(z.boolean()),
});
export type UpdatePerson = z.infer<typeof UpdatePerson>;

/** A secret API key's public description; the secret itself is shown once, at creation. */
export const ApiKey = z.object({
  id: ApiKeyId,
  name: z.string(),
  /** The first characters of the secret, to recognise it (`mk_live_ab12…`). */
  prefix: z.string(),
  scopes: z.array(z.enum(SCOPES)),
  createdAt: Timestamp,
  lastUsedAt: z.nullable(Timestamp),
  revokedAt: z.nullable(Timestamp),
});
export type ApiKey = z.infer<typeof ApiKey>;

export const CreateApiKey = z.strictObject({
  name: text(80),
  /**
   * At most the caller's own scopes (a key or an admin's token cannot mint a wider key: 403,
   * field `scopes`); defaults to exactly the caller's scopes.
   */
  scopes: z.optional(z.array(z.enum(SCOPES)).check(z.minLength(1))),
});
export type CreateApiKey = z.infer<typeof CreateApiKey>;

/** The answer to key creation: the only time the secret is visible. */
export const CreatedApiKey = z.object({ key: ApiKey, secret: z.string() });
export type CreatedApiKey = z.infer<typeof CreatedApiKey>;

export const PersonParams = z.strictObject({ personId: PersonId });
export const ApiKeyParams = z.strictObject({ keyId: ApiKeyId });

export const ListPeopleQuery = pageQuery({
  externalId: z.optional(z.string()),
  /** Case-insensitive search in display name and email. */
  q: z.optional(longText(100)),
  role: z.optional(PersonRole),
  skill: z.optional(z.string()),
});

const tag = 'People';

export const getOrganization = defineOperation({
  id: 'getOrganization', method: 'GET', path: '/v1/organization', tag: 'Organization',
  summary: "The caller's organization.", response: Organization,
  description: 'The organization the credential belongs to, with its name and the origins allowed to embed the widgets.',
});
export const updateOrganization = defineOperation({
  id: 'updateOrganization', method: 'PATCH', path: '/v1/organization', tag: 'Organization',
  summary: 'Rename the organization, change its allowed embedding origins, or let admins read room content (audited).',
  description: "For administrators: an API key with `org:admin`, or an organization admin's token carrying it (the admin console). `allowedOrigins` lists the host pages' origins whose widgets may exchange client secrets and call the API from a browser; other origins are refused, and a console cannot remove the origin it runs on (409). `adminContentAccess` takes an API key: an admin does not open room content to themselves (403).",
  scopes: ['org:admin'], body: UpdateOrganization, response: Organization,
});
export const listApiKeys = defineOperation({
  id: 'listApiKeys', method: 'GET', path: '/v1/api-keys', tag: 'Organization',
  summary: "The organization's API keys (never their secrets).",
  description: "For administrators auditing access (an API key with `org:admin`, or an admin's token carrying it): each key's name, scopes, creation and last use. Secrets are never shown again after creation.",
  scopes: ['org:admin'], query: pageQuery({}), response: page(ApiKey),
});
export const createApiKey = defineOperation({
  id: 'createApiKey', method: 'POST', path: '/v1/api-keys', tag: 'Organization',
  summary: 'Create an API key; its secret is returned once.',
  description: "For administrators setting up a host backend or a script (an API key with `org:admin`, or an admin's token carrying it). The key gets at most the caller's own scopes. Store the secret (`mk_…`) in the backend's secret store at once: it is shown only in this answer, and repeating the request with the same `Idempotency-Key` does not show it again.",
  scopes: ['org:admin'], body: CreateApiKey, response: CreatedApiKey,
});
export const revokeApiKey = defineOperation({
  id: 'revokeApiKey', method: 'DELETE', path: '/v1/api-keys/{keyId}', tag: 'Organization',
  summary: 'Revoke an API key at once.', scopes: ['org:admin'],
  description: "Ends an API key's access immediately, including live streams it opened; the key stays listed as revoked for auditing. For an API key with `org:admin`, or an admin's token carrying it.",
  params: ApiKeyParams, status: 200, response: ApiKey,
});
export const listPeople = defineOperation({
  id: 'listPeople', method: 'GET', path: '/v1/people', tag,
  summary: 'People of the organization, newest first.', scopes: ['people:read'],
  description: 'For host backends and admin tools matching their users to Menteo people: filter by external id, role or skill, or search names and emails with `q`. Paged with `cursor` and `limit`.',
  query: ListPeopleQuery, response: page(Person),
});
export const createPerson = defineOperation({
  id: 'createPerson', method: 'POST', path: '/v1/people', tag,
  summary: 'Add a person (HR systems may use SCIM instead).', scopes: ['people:write'],
  description: "Called by a host backend that provisions people itself, or by an organization admin's token carrying `org:admin` too (the admin console). The `externalId` is the person's id in the host's HR system, so embed sessions can name people by it.",
  body: CreatePerson, response: Person,
});
export const getPerson = defineOperation({
  id: 'getPerson', method: 'GET', path: '/v1/people/{personId}', tag,
  summary: 'One person.', scopes: ['people:read'], params: PersonParams, response: Person,
  description: "The full person (email, external id, roles), as only their organization's credentials may see it; threads and posts show a smaller public view.",
});
export const updatePerson = defineOperation({
  id: 'updatePerson', method: 'PATCH', path: '/v1/people/{personId}', tag,
  summary: 'Change a person; `active: false` revokes their access at once and keeps their history.',
  description: "Changes a person's name, email, avatar or roles, with an API key or an organization admin's token carrying `org:admin` too (the admin console). Deactivating (`active: false`) revokes their tokens and ends their live streams at once; their posts and history stay. The organization keeps at least one active admin: deactivating or demoting the last one is 409 `conflict`.",
  scopes: ['people:write'], params: PersonParams, body: UpdatePerson, response: Person,
});
