/**
 * `client.checkIns`, `client.feedback`, `client.learnings` and `client.program`: the feedback
 * loop of a room, and program health for admins. Imports only `@menteo/api/feedback` and `@menteo/api/health`.
 * @module
 */
import {
  createCheckIn, createFeedback, createFeedbackRequest, createLearning, getCheckInTrends, getProgramHealth, listCheckIns,
  listFeedback, listFeedbackRequests, listLearnings,
  type CreateCheckIn, type CreateFeedback, type CreateFeedbackRequest, type CreateLearning,
} from '@menteo/api/feedback';
import { exportProgram, getProgramHealthSummary, type ExportQuery } from '@menteo/api/health';
import type { Transport } from './transport.js';
import type { CallOptions, ListOptions, ListQuery } from './types.js';

/** Builds the check-ins namespace over a transport. */
export function checkInsApi(t: Transport) {
  return {
    /** A room's check-ins, newest first; filter by `authorId`. */
    list: (roomId: string, query?: ListQuery<typeof listCheckIns>, options?: ListOptions) =>
      t.list(listCheckIns, { ...options, params: { roomId }, query }),
    /** Checks in: progress, blockers, confidence 1–5. */
    create: (roomId: string, body: CreateCheckIn, options?: CallOptions) =>
      t.request(createCheckIn, { ...options, params: { roomId }, body }),
    /** Confidence and milestones done over time, per person who checked in (oldest point first). */
    trends: (roomId: string, options?: CallOptions) => t.request(getCheckInTrends, { ...options, params: { roomId } }),
  };
}

/** Builds the feedback namespace over a transport. */
export function feedbackApi(t: Transport) {
  return {
    /** Feedback given in a room, newest first; filter by `direction` or `authorId`. */
    list: (roomId: string, query?: ListQuery<typeof listFeedback>, options?: ListOptions) =>
      t.list(listFeedback, { ...options, params: { roomId }, query }),
    /** Rates how well guidance works; the direction follows the author's role in the room. */
    create: (roomId: string, body: CreateFeedback, options?: CallOptions) =>
      t.request(createFeedback, { ...options, params: { roomId }, body }),
    /** Asking for feedback; answer one with `create` and its `requestId`. */
    requests: {
      /** Requests of a room, newest first; `state: 'open'` for unanswered ones. */
      list: (roomId: string, query?: ListQuery<typeof listFeedbackRequests>, options?: ListOptions) =>
        t.list(listFeedbackRequests, { ...options, params: { roomId }, query }),
      /** Asks another mentor or mentee of the room for feedback. */
      create: (roomId: string, body: CreateFeedbackRequest, options?: CallOptions) =>
        t.request(createFeedbackRequest, { ...options, params: { roomId }, body }),
    },
  };
}

/** Builds the learning-log namespace over a transport. */
export function learningsApi(t: Transport) {
  return {
    /** The mentors' learning log of a room, newest first; filter by `authorId`. */
    list: (roomId: string, query?: ListQuery<typeof listLearnings>, options?: ListOptions) =>
      t.list(listLearnings, { ...options, params: { roomId }, query }),
    /** Logs what you learned as a mentor. */
    create: (roomId: string, body: CreateLearning, options?: CallOptions) =>
      t.request(createLearning, { ...options, params: { roomId }, body }),
  };
}

/** Builds the program namespace over a transport. */
export function programApi(t: Transport) {
  return {
    /** Health of every room (admins, or an API key with `org:admin`). */
    health: (query?: ListQuery<typeof getProgramHealth>, options?: ListOptions) =>
      t.list(getProgramHealth, { ...options, query }),
    /**
     * Program health in one answer, for a cohort (`cohortId`) or the whole organization: rooms
     * active, stalled and finished, the milestone funnel, cadence, confidence by week, ratings,
     * mentor load and at-risk rooms with their reasons.
     */
    summary: (query: { cohortId?: string } = {}, options?: CallOptions) =>
      t.request(getProgramHealthSummary, { ...options, query }),
    /**
     * Rooms with their health, or people with their enrolments, as CSV or JSON: the answer's body
     * as a stream, to pipe to a file or a download without holding it in memory.
     */
    export: async (query: ExportQuery, options?: CallOptions): Promise<ReadableStream<Uint8Array>> => {
      const response = await t.open(exportProgram, { ...options, query });
      if (!response.body) throw new TypeError('The export answered without a body.');
      return response.body;
    },
  };
}

/** The check-ins namespace (`client.checkIns`). */
export type CheckInsApi = ReturnType<typeof checkInsApi>;
/** The feedback namespace (`client.feedback`). */
export type FeedbackApi = ReturnType<typeof feedbackApi>;
/** The learning-log namespace (`client.learnings`). */
export type LearningsApi = ReturnType<typeof learningsApi>;
/** The program namespace (`client.program`). */
export type ProgramApi = ReturnType<typeof programApi>;
