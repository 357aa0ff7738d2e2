/**
 * `@menteo/lti`: Menteo's LMS plugin (an LTI 1.3 Advantage tool) and SCIM 2.0 provisioning, as
 * Hono sub-apps the server mounts, over ports the server implements.
 * @module
 */
export type { MenteoHost, PeopleDirectory, PersonProfile, PersonRole, RoomRole, EmbedSessionRequest, MintedEmbedSession, Placeable, MilestoneCompletion, LtiLogger, PersonLookup, MembershipOutcome } from './ports.js';
export { AmbiguousPersonError } from './ports.js';
export type { LtiDatabase } from './db/schema.js';
export { ltiMigrations, ltiMigrationProvider, migrateLti } from './db/migrations.js';
export { contextFromRow, createKyselyLtiStore, type LtiStore, type Registration, type PersonMatch, type LoginState, type ToolKey, type LtiContext, type CourseKey, type RoomGrant, type InstallUse, type RegistrationEndpoints } from './store.js';
export { createLtiTool, createLtiApp, type LtiTool } from './lti/tool.js';
export type { LtiToolOptions, WidgetTarget } from './lti/context.js';
export { LtiError } from './lti/errors.js';
export { CLAIM, SCOPE, roomRoleFor, type ValidatedLaunch } from './lti/claims.js';
export type { RosterSyncResult, ScoreRequest, RosterMember } from './lti/services.js';
export type { ManualConfig } from './lti/registration.js';
export { createScimApp, type ScimAppOptions } from './scim/app.js';
export { createScimToken, revokeScimToken, listScimTokens, type ScimTokenInfo } from './scim/tokens.js';
export { ScimError } from './scim/errors.js';
