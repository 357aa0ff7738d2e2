/**
 * `@menteo/mock`: msw handlers that run the real Menteo server app in-process, and fault
 * injection. Platform entry points: `@menteo/mock/browser` (service worker, sql.js) and
 * `@menteo/mock/node` (msw's Node interceptor, better-sqlite3).
 * @packageDocumentation
 */
export { menteoHandlers, type FetchApp } from './handlers.js';
export { faultsFor, type Fault, type FaultMatch, type Faults } from './faults.js';
export { sqlJsDatabase, type SqlJsDatabase, type SqlJsStatement } from './sqljs-database.js';
export { DEFAULT_BASE_URL, type MockCore, type MockOptions, type MockOrganization } from './environment.js';
