/**
 * Matching: profiles, program settings, admin matching runs and self-serve requests (issue 13).
 * The rules live in `../matching/`.
 * @module
 */
import * as ops from '@menteo/api/matching';
import type { Operation } from '@menteo/api/operation';
import { handle, type BoundHandler } from '../handler.js';
import { ApiError } from '../http/errors.js';

function isOperation(value: unknown): value is Operation {
  return typeof value === 'object' && value !== null && 'method' in value && 'path' in value && 'id' in value && 'tag' in value;
}

/** Matching handlers. Until each lands, an operation answers 503 rather than keeping the app from starting. */
export const matchingHandlers: BoundHandler[] = Object.values(ops).filter(isOperation).map((op) =>
  handle(op, async () => {
    throw new ApiError('unavailable', `${op.id} is not served yet.`);
  }));
