/**
 * `client.mentoring`: the mentor's overview of their rooms. Imports only `@menteo/api/mentoring`.
 * @module
 */
import { getMentoringOverview } from '@menteo/api/mentoring';
import type { Transport } from './transport.js';
import type { CallOptions } from './types.js';

/** Builds the mentoring namespace over a transport. */
export function mentoringApi(t: Transport) {
  return {
    /**
     * Every active room where the caller is a mentor: its mentees, what needs attention,
     * unanswered posts and questions, the last check-in and overdue action items.
     */
    overview: (options?: CallOptions) => t.request(getMentoringOverview, { ...options }),
  };
}

/** The mentoring namespace (`client.mentoring`). */
export type MentoringApi = ReturnType<typeof mentoringApi>;
