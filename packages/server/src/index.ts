/**
 * `@menteo/server`: the reference API server as a web-standard fetch handler. This entry point
 * imports nothing Node-specific (no `node:*`, no native SQLite), so `@menteo/mock` can run the same
 * app in a browser over its own Kysely dialect. The Node listener and SQLite helper live in
 * `@menteo/server/node`.
 * @packageDocumentation
 */
export { createApp, honoPath, type AppOptions, type MenteoApp } from './app.js';
export { createOrganization, type CreatedOrganization, type NewOrganization } from './auth/bootstrap.js';
export { migrations, migrationProvider, migrateToLatest, MIGRATION_TABLE } from './storage/migrations.js';
export type * from './storage/schema.js';
export { EventBus, type StoredEvent } from './events/bus.js';
/**
 * For code that changes access outside the API's handlers (a script or an admin tool writing to
 * the same database in the same process): call {@link notifyAccessChange} with the database and
 * the change after its commit, and open live streams honour it at once, as they do for the API's
 * own deactivations, role changes and revocations. Membership changes reach streams through
 * the `room.updated` events the API's writes emit, not through this call.
 */
export { notifyAccessChange } from './events/bus.js';
export type { AccessChange } from './events/hub.js';
export type { RateLimit } from './http/rate-limit.js';
export { newId, ulid, type IdPrefix } from './storage/ids.js';
export type { Principal, Context, PublicContext } from './context.js';
export type { IntegrationOptions, Integrations, IntegrationsLoader } from './integrations/types.js';
export { LTI_PATH, SCIM_PATH } from './integrations/types.js';
/** Signed embed URLs for hosts that cannot run script: see docs/embedding.md. */
export { signEmbedUrl, signEmbedToken, type EmbedUrlClaims } from './embed/sign.js';
export { EMBED_PATH } from './embed/mount.js';
export { EMBED_ERRORS, type EmbedErrorCode } from './embed/errors.js';
export { scheduleIntegrationMaintenance, type MaintenanceOptions } from './integrations/maintenance.js';
export {
  purgeExpired, scheduleRetention, DEFAULT_LIVE_EVENT_RETENTION_MS, MIN_LIVE_EVENT_RETENTION_MS, DEFAULT_EXPIRED_CREDENTIAL_GRACE_MS,
  type RetentionOptions, type RetentionScheduleOptions, type PurgeResult,
} from './storage/retention.js';
