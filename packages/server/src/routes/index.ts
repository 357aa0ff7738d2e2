/**
 * Every handler, one per operation of the contract.
 * @module
 */
import type { BoundHandler } from '../handler.js';
import { attentionHandlers } from './attention.js';
import { auditHandlers } from './audit.js';
import { authHandlers } from './auth.js';
import { eventHandlers } from './events.js';
import { feedbackHandlers } from './feedback.js';
import { healthHandlers } from './health.js';
import { integrationHandlers } from './integrations.js';
import { embedHandlers } from '../embed/handlers.js';
import { metaHandlers } from './meta.js';
import { peopleHandlers } from './people.js';
import { matchingHandlers } from './matching.js';
import { programHandlers } from './programs.js';
import { roadmapHandlers } from './roadmaps.js';
import { roomHandlers } from './rooms.js';
import { threadHandlers } from './threads.js';

/** All handlers. */
export const HANDLERS: readonly BoundHandler[] = [
  ...metaHandlers, ...authHandlers, ...peopleHandlers, ...roomHandlers, ...roadmapHandlers, ...threadHandlers, ...feedbackHandlers, ...eventHandlers,
  ...integrationHandlers, ...embedHandlers, ...attentionHandlers, ...programHandlers, ...matchingHandlers, ...healthHandlers, ...auditHandlers,
];
