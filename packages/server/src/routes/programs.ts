/**
 * Programs, cohorts, roadmap templates and enrolment. Handlers live in `../programs/`.
 * @module
 */
import { OPERATIONS } from '@menteo/api/operations';
import type { BoundHandler } from '../handler.js';
import { ApiError } from '../http/errors.js';

/** Program handlers (not yet implemented: the contract comes first). */
export const programHandlers: readonly BoundHandler[] = OPERATIONS.filter((op) => op.tag === 'Programs').map((op) => ({
  op,
  run: async () => { throw new ApiError('unavailable', 'Programs are not available yet.'); },
}));
