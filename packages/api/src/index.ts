/**
 * `@menteo/api`: Menteo's API contract. zod (mini) schemas, the types inferred from them, the
 * operations (method, path, schemas, scopes) and the stable error codes.
 *
 * Browser code should import the narrow subpaths (`@menteo/api/threads`, …) so that a widget
 * only carries the schemas it uses; this index re-exports everything for convenience.
 * @packageDocumentation
 */
export * from './errors.js';
export * from './scopes.js';
export * from './operation.js';
export * from './common.js';
export * from './problem.js';
export * from './ids.js';
export * from './people.js';
export * from './auth.js';
export * from './rooms.js';
export * from './roadmaps.js';
export * from './threads.js';
export * from './feedback.js';
export * from './health.js';
export * from './audit.js';
export * from './attention.js';
export * from './mentoring.js';
export * from './events.js';
export * from './meta.js';
export * from './integrations.js';
export * from './embed.js';
export * from './programs.js';
export * from './matching.js';
export { OPERATIONS } from './operations.js';
