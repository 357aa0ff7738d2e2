/**
 * The adjust loop's findings per room, and the mentor's overview.
 * @module
 */
import { getRoomAttention } from '@menteo/api/attention';
import { createFeedbackRequest, getCheckInTrends, listFeedbackRequests } from '@menteo/api/feedback';
import { getMentoringOverview } from '@menteo/api/mentoring';
import { addActionItem } from '@menteo/api/rooms';
import { ApiError } from '../http/errors.js';
import { handle } from '../handler.js';

function pending(): never {
  throw new ApiError('unavailable', 'Not implemented yet.');
}

/** Attention and mentoring handlers. */
export const attentionHandlers = [
  handle(getRoomAttention, async () => pending()),
  handle(getMentoringOverview, async () => pending()),
  handle(getCheckInTrends, async () => pending()),
  handle(listFeedbackRequests, async () => pending()),
  handle(createFeedbackRequest, async () => pending()),
  handle(addActionItem, async () => pending()),
];
