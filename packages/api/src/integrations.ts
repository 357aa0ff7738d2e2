/**
 * Integrations an organization's admin manages: SCIM provisioning tokens (Okta, Entra ID, HR
 * systems) and LTI 1.3 platform registrations (Moodle, Canvas, Brightspace, Blackboard). The admin
 * console's Integrations screen is built on them. Every one takes `org:admin`, because they hand
 * out credentials that act for the whole organization: a secret API key with it, or the token of
 * a person with the organization role `admin` carrying it (any other token: 403).
 * @module
 */
import * as z from 'zod/mini';
import { Timestamp, page, text } from './common.js';
import { RoomId } from './ids.js';
import { defineOperation } from './operation.js';

/**
 * Identifiers minted by the integrations package (random, not ULIDs: they are never paged by
 * time, and the LTI tables predate the server's id scheme), so they get their own patterns.
 */
export const ScimTokenId = z.string().check(z.regex(/^scimtok_[A-Za-z0-9]{8,64}$/, 'must be a scimtok_… identifier'));
export const LtiPlatformId = z.string().check(z.regex(/^ltireg_[A-Za-z0-9]{8,64}$/, 'must be a ltireg_… identifier'));

/**
 * An http(s) URL of a platform endpoint. Not `HttpUrl`: that one requires a domain name, and
 * self-hosted or test platforms are often reached by IP address or `localhost`.
 */
export const PlatformUrl = z.url({ protocol: /^https?$/ }).check(z.maxLength(2000));

/** A SCIM bearer token's public description; the secret is shown once, at creation. */
export const ScimToken = z.object({
  id: ScimTokenId,
  /** What the token is for, e.g. `Okta production`. */
  label: z.nullable(z.string()),
  createdAt: Timestamp,
  /** Set once revoked: the identity provider's next request is refused. */
  revokedAt: z.nullable(Timestamp),
});
export type ScimToken = z.infer<typeof ScimToken>;

export const CreateScimToken = z.strictObject({
  label: z.optional(text(80)),
});
export type CreateScimToken = z.infer<typeof CreateScimToken>;

/** The answer to token creation: the only time the secret (`mscim_…`) is visible. */
export const CreatedScimToken = z.object({
  token: ScimToken,
  secret: z.string(),
  /** The SCIM base URL to paste next to the token (null when this server has no public URL configured). */
  scimBaseUrl: z.nullable(z.string()),
});
export type CreatedScimToken = z.infer<typeof CreatedScimToken>;

/** Which launch claim identifies a person: the LMS user id, the SIS id (`lis.person_sourcedid`) or the email. */
export const LTI_PERSON_MATCHES = ['sub', 'sourcedid', 'email'] as const;
export const LtiPersonMatch = z.enum(LTI_PERSON_MATCHES);
export type LtiPersonMatch = z.infer<typeof LtiPersonMatch>;

/** A learning platform registered with Menteo (one issuer and client id, several deployments). */
export const LtiPlatform = z.object({
  id: LtiPlatformId,
  /** The platform's issuer (`iss`), e.g. `https://canvas.instructure.com`. */
  issuer: z.string(),
  clientId: z.string(),
  /** Deployment ids accepted in launches (Canvas: one per account or course install). */
  deploymentIds: z.array(z.string()),
  /** The platform's OIDC authorization endpoint. */
  authLoginUrl: z.string(),
  /** The platform's OAuth 2 token endpoint (roster and grade services). */
  authTokenUrl: z.string(),
  /** Audience of Menteo's client assertions when it differs from the token URL (Brightspace). */
  authTokenAudience: z.nullable(z.string()),
  /** The platform's public keys. */
  jwksUrl: z.string(),
  platformName: z.nullable(z.string()),
  personMatch: LtiPersonMatch,
});
export type LtiPlatform = z.infer<typeof LtiPlatform>;

/** Registration by hand, for platforms without LTI Dynamic Registration. */
export const RegisterLtiPlatform = z.strictObject({
  issuer: text(500),
  clientId: text(300),
  deploymentIds: z.array(text(300)).check(z.minLength(1), z.maxLength(100)),
  authLoginUrl: PlatformUrl,
  authTokenUrl: PlatformUrl,
  jwksUrl: PlatformUrl,
  authTokenAudience: z.optional(text(500)),
  platformName: z.optional(text(120)),
  /** `sub` by default; `sourcedid` or `email` when SCIM and the LMS share that id. */
  personMatch: z.optional(LtiPersonMatch),
});
export type RegisterLtiPlatform = z.infer<typeof RegisterLtiPlatform>;

export const CreateLtiInstallUrl = z.strictObject({
  /** How long the link may be used, seconds: 1 hour to 30 days, 7 days by default. */
  ttlSeconds: z.optional(z.number().check(z.int(), z.minimum(3600), z.maximum(30 * 24 * 3600))),
  personMatch: z.optional(LtiPersonMatch),
});
export type CreateLtiInstallUrl = z.infer<typeof CreateLtiInstallUrl>;

/** A dynamic-registration link for the LMS admin to paste ("register tool by URL"). */
export const LtiInstallUrl = z.object({
  url: z.string(),
  expiresAt: Timestamp,
});
export type LtiInstallUrl = z.infer<typeof LtiInstallUrl>;

/** The values an LMS admin types in by hand, and the SCIM base URL. */
export const LtiToolConfig = z.object({
  loginUrl: z.string(),
  launchUrl: z.string(),
  redirectUris: z.array(z.string()),
  jwksUrl: z.string(),
  deepLinkingUrl: z.string(),
  /** Canvas developer-key JSON configuration (Paste JSON or Enter URL). */
  canvasConfigUrl: z.string(),
  scimBaseUrl: z.string(),
});
export type LtiToolConfig = z.infer<typeof LtiToolConfig>;

/** A course seen in a launch, with the services it offered and the room it is bound to. */
export const LtiCourse = z.object({
  platformId: LtiPlatformId,
  deploymentId: z.string(),
  /** The LMS course (context) id. */
  contextId: z.string(),
  title: z.nullable(z.string()),
  roomId: z.nullable(z.string()),
  /** True when the course shares its roster (Names and Role Provisioning). */
  rosterAvailable: z.boolean(),
  /** True when the course accepts grades (Assignment and Grade Services). */
  gradesAvailable: z.boolean(),
});
export type LtiCourse = z.infer<typeof LtiCourse>;

export const SyncLtiRoster = z.strictObject({
  platformId: LtiPlatformId,
  deploymentId: text(300),
  contextId: text(300),
});
export type SyncLtiRoster = z.infer<typeof SyncLtiRoster>;

/** What a roster sync did to the course's room. */
export const LtiRosterSync = z.object({
  roomId: RoomId,
  /** Active course members now in the room. */
  added: z.number(),
  /** Inactive or deleted course members removed from the room. */
  removed: z.number(),
  byRole: z.object({ mentor: z.number(), mentee: z.number(), observer: z.number() }),
});
export type LtiRosterSync = z.infer<typeof LtiRosterSync>;

export const ScimTokenParams = z.strictObject({ tokenId: ScimTokenId });
export const ListLtiCoursesQuery = z.strictObject({ platformId: z.optional(LtiPlatformId) });

const tag = 'Integrations';
const admin = { scopes: ['org:admin'] } as const;

export const listScimTokens = defineOperation({
  id: 'listScimTokens', method: 'GET', path: '/v1/integrations/scim/tokens', tag, ...admin,
  summary: "The organization's SCIM tokens, newest first (never their secrets).", response: page(ScimToken),
  description: "For administrators auditing provisioning access: each SCIM token's label, creation and revocation.",
});
export const createScimToken = defineOperation({
  id: 'createScimToken', method: 'POST', path: '/v1/integrations/scim/tokens', tag, ...admin,
  summary: 'Create a SCIM bearer token for an identity provider; its secret is returned once.',
  description: "For administrators connecting an identity provider (Entra ID, Okta…) to Menteo's SCIM 2.0 endpoint, which creates, updates and deactivates people. Copy the secret into the identity provider at once: it is shown only in this answer.",
  body: CreateScimToken, response: CreatedScimToken,
});
export const revokeScimToken = defineOperation({
  id: 'revokeScimToken', method: 'DELETE', path: '/v1/integrations/scim/tokens/{tokenId}', tag, ...admin,
  summary: 'Revoke a SCIM token at once.', params: ScimTokenParams, status: 200, response: ScimToken,
  description: "Ends a SCIM token's access immediately; the identity provider's next sync is refused until it is given a new token.",
});
export const getLtiToolConfig = defineOperation({
  id: 'getLtiToolConfig', method: 'GET', path: '/v1/integrations/lti/config', tag, ...admin,
  summary: "The tool's URLs for LMS admins who register Menteo by hand, and the SCIM base URL.", response: LtiToolConfig,
  description: 'What an LMS administrator pastes when registering Menteo by hand: login, launch, JWKS and redirect URLs, plus the SCIM base URL. A server started without a public URL has no LTI tool: this, creating install links and roster syncs answer 409 `conflict`.',
});
export const listLtiPlatforms = defineOperation({
  id: 'listLtiPlatforms', method: 'GET', path: '/v1/integrations/lti/platforms', tag, ...admin,
  summary: 'Learning platforms registered with the organization, oldest first.', response: page(LtiPlatform),
  description: 'The learning platforms (Moodle, Canvas, Blackboard…) whose launches Menteo accepts, with their issuer, client id and deployments.',
});
export const registerLtiPlatform = defineOperation({
  id: 'registerLtiPlatform', method: 'POST', path: '/v1/integrations/lti/platforms', tag, ...admin,
  summary: 'Register a learning platform by hand (issuer, client id, deployments, keys and endpoints).',
  description: "For platforms without dynamic registration: records the issuer, client id, deployment ids and the platform's key and OAuth endpoints. Registering the same issuer and client id again updates the registration.",
  body: RegisterLtiPlatform, response: LtiPlatform,
});
export const createLtiInstallUrl = defineOperation({
  id: 'createLtiInstallUrl', method: 'POST', path: '/v1/integrations/lti/install-urls', tag, ...admin,
  summary: 'Create a dynamic-registration link to paste into the learning platform.',
  description: "The link an LMS administrator pastes into the platform's tool registration to install Menteo in one step (LTI dynamic registration). A link is used once.",
  body: CreateLtiInstallUrl, response: LtiInstallUrl,
});
export const listLtiCourses = defineOperation({
  id: 'listLtiCourses', method: 'GET', path: '/v1/integrations/lti/courses', tag, ...admin,
  summary: 'Courses seen in launches, with their room and services.', query: ListLtiCoursesQuery, response: page(LtiCourse),
  description: 'Courses that launched Menteo, each with the room it maps to and the LTI services (roster, grades) the platform granted. Paged with `cursor` and `limit`.',
});
export const syncLtiRoster = defineOperation({
  id: 'syncLtiRoster', method: 'POST', path: '/v1/integrations/lti/roster-syncs', tag, ...admin,
  summary: "Sync a course's roster (Names and Role Provisioning) into its room's membership.",
  description: "Reads the course's roster from the learning platform now, instead of waiting for the next launch's background sync, and adds or removes the room's members accordingly.",
  body: SyncLtiRoster, status: 200, response: LtiRosterSync,
});
