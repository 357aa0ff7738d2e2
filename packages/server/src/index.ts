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
export type { RateLimit } from './http/rate-limit.js';
export { newId, ulid, type IdPrefix } from './storage/ids.js';
export type { Principal, Context, PublicContext } from './context.js';
export type { IntegrationOptions, Integrations, IntegrationsLoader } from './integrations/types.js';
export { LTI_PATH, SCIM_PATH } from './integrations/types.js';
export { scheduleIntegrationMaintenance, type MaintenanceOptions } from './integrations/maintenance.js';
