/**
 * Every operation of the API, in documentation order. Importing this module pulls in every
 * schema: the server and the OpenAPI generator use it; browser code imports the narrow modules.
 * @module
 */
import * as attention from './attention.js';
import * as audit from './audit.js';
import * as auth from './auth.js';
import * as embed from './embed.js';
import * as events from './events.js';
import * as feedback from './feedback.js';
import * as health from './health.js';
import * as integrations from './integrations.js';
import * as matching from './matching.js';
import * as mentoring from './mentoring.js';
import * as meta from './meta.js';
import type { Operation } from './operation.js';
import * as people from './people.js';
import * as programs from './programs.js';
import * as roadmaps from './roadmaps.js';
import * as rooms from './rooms.js';
import * as threads from './threads.js';

function opsOf(mod: Record<string, unknown>): Operation[] {
  return Object.values(mod).filter(isOperation);
}

function isOperation(value: unknown): value is Operation {
  return typeof value === 'object' && value !== null && 'method' in value && 'path' in value && 'id' in value && 'tag' in value;
}

/** All operations. */
export const OPERATIONS: readonly Operation[] = [
  ...opsOf(meta),
  ...opsOf(auth),
  ...opsOf(people),
  ...opsOf(rooms),
  ...opsOf(attention),
  ...opsOf(mentoring),
  ...opsOf(roadmaps),
  ...opsOf(threads),
  ...opsOf(feedback),
  ...opsOf(events),
  ...opsOf(integrations),
  ...opsOf(embed),
  ...opsOf(programs),
  ...opsOf(matching),
  ...opsOf(health),
  ...opsOf(audit),
];
