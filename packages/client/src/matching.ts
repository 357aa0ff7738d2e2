/**
 * Matching: one's own matching profile, suggested mentors and match requests (mentees and
 * mentors), and the admins' side (profiles and completeness, program settings, matching runs
 * reviewed and published). Imports only `@menteo/api/matching`.
 *
 * Not part of `createClient`, like the programs namespace, so widget bundles that never match
 * carry none of its schemas; build it over any client or transport:
 * `const matching = matchingApi(client)`.
 * @module
 */
import {
  createMatchingRun, createMatchRequest, discardMatchingRun, excludeFromMatchingRun, getCohortMatchingCompleteness,
  getMatchingProfile, getMatchingRun, getMatchingRunInputs, getMatchingSettings, getMatchRequest, getMyMatchingProfile,
  importMatchingProfiles, includeInMatchingRun, listCohortMatchingProfiles, listMatchingCandidates, listMatchingRuns,
  listMatchSuggestions, listMyMatchRequests, listRematchOffers, lockMatchingPair, publishMatchingRun, rerunMatchingRun,
  respondToMatchRequest, swapMatchingPairs, unlockMatchingPair, updateMatchingProfile, updateMatchingSettings,
  updateMyMatchingProfile, withdrawMatchRequest,
  type CreateMatchingProfileImport, type CreateMatchingRun, type CreateMatchRequest, type RespondToMatchRequest,
  type UpdateMatchingProfile, type UpdateMatchingSettings, type UpdateMyMatchingProfile,
} from '@menteo/api/matching';
import type { Transport } from './transport.js';
import type { CallOptions, ListOptions, ListQuery } from './types.js';

/** Builds the matching namespace over a transport. */
export function matchingApi(t: Transport) {
  return {
    /** The caller's own profile: what they want to learn and offer, capacity, time zone, languages. */
    profile: {
      /** The caller's profile, HR facts included (read only for them). */
      get: (options?: CallOptions) => t.request(getMyMatchingProfile, { ...options }),
      /** Changes the fields sent; HR facts are not the caller's to change. */
      update: (body: UpdateMyMatchingProfile, options?: CallOptions) => t.request(updateMyMatchingProfile, { ...options, body }),
    },
    /** Mentors suggested to the caller (a mentee of `cohortId`), best first, with their reasons. */
    suggestions: (cohortId: string, query?: { limit?: number }, options?: CallOptions) =>
      t.request(listMatchSuggestions, { ...options, query: { cohortId, ...query } }),
    /** Self-serve requests, made (as a mentee) and received (as a mentor). */
    requests: {
      /** The caller's requests, newest first; filter by `role` and `status`. */
      list: (query?: ListQuery<typeof listMyMatchRequests>, options?: ListOptions) => t.list(listMyMatchRequests, { ...options, query }),
      /** One request. */
      get: (requestId: string, options?: CallOptions) => t.request(getMatchRequest, { ...options, params: { requestId } }),
      /** Asks a mentor; `conflict` naming the constraint (`capacity`, …) when refused. */
      create: (body: CreateMatchRequest, options?: CallOptions) => t.request(createMatchRequest, { ...options, body }),
      /** The mentor accepts (the room opens) or declines; `conflict` with `field: 'capacity'` when full. */
      respond: (requestId: string, body: RespondToMatchRequest, options?: CallOptions) =>
        t.request(respondToMatchRequest, { ...options, params: { requestId }, body }),
      /** The mentee withdraws a pending request. */
      withdraw: (requestId: string, options?: CallOptions) => t.request(withdrawMatchRequest, { ...options, params: { requestId } }),
    },
    /** The caller's low-rated pairs offered a re-match, with the reason. */
    rematchOffers: (options?: CallOptions) => t.request(listRematchOffers, { ...options }),
    /** Admins: anyone's profile and HR facts, imports, and a cohort's profiles with completeness. */
    profiles: {
      get: (personId: string, options?: CallOptions) => t.request(getMatchingProfile, { ...options, params: { personId } }),
      update: (personId: string, body: UpdateMatchingProfile, options?: CallOptions) =>
        t.request(updateMatchingProfile, { ...options, params: { personId }, body }),
      /** Sets profiles and reporting lines from CSV or rows (`dryRun` changes nothing). */
      import: (body: CreateMatchingProfileImport, options?: CallOptions) => t.request(importMatchingProfiles, { ...options, body }),
      /** A cohort's enrolled people with their profile's completeness for their role. */
      ofCohort: (cohortId: string, query?: ListQuery<typeof listCohortMatchingProfiles>, options?: ListOptions) =>
        t.list(listCohortMatchingProfiles, { ...options, params: { cohortId }, query }),
      /** How complete a cohort's profiles are, per role, and the mentors' free seats. */
      completeness: (cohortId: string, options?: CallOptions) => t.request(getCohortMatchingCompleteness, { ...options, params: { cohortId } }),
    },
    /** Admins: a program's weights and rules. */
    settings: {
      get: (programId: string, options?: CallOptions) => t.request(getMatchingSettings, { ...options, params: { programId } }),
      update: (programId: string, body: UpdateMatchingSettings, options?: CallOptions) =>
        t.request(updateMatchingSettings, { ...options, params: { programId }, body }),
    },
    /** Admins: matching runs, drafts reviewed (locks, swaps, exclusions, re-runs) and published. */
    runs: {
      /** Solves a cohort: a draft with every pair's reasons. */
      create: (cohortId: string, body: CreateMatchingRun = {}, options?: CallOptions) =>
        t.request(createMatchingRun, { ...options, params: { cohortId }, body }),
      /** A cohort's runs, newest first (figures, not pairs). */
      list: (cohortId: string, query?: ListQuery<typeof listMatchingRuns>, options?: ListOptions) =>
        t.list(listMatchingRuns, { ...options, params: { cohortId }, query }),
      get: (runId: string, options?: CallOptions) => t.request(getMatchingRun, { ...options, params: { runId } }),
      /** Exactly what a run was computed from. */
      inputs: (runId: string, options?: CallOptions) => t.request(getMatchingRunInputs, { ...options, params: { runId } }),
      /** A mentee's mentor candidates in a draft, with reasons and the constraints each breaks. */
      candidates: (runId: string, menteeId: string, query?: { limit?: number }, options?: CallOptions) =>
        t.request(listMatchingCandidates, { ...options, params: { runId, menteeId }, query: query ?? {} }),
      lock: (runId: string, menteeId: string, mentorId: string, options?: CallOptions) =>
        t.request(lockMatchingPair, { ...options, params: { runId, menteeId }, body: { mentorId } }),
      unlock: (runId: string, menteeId: string, options?: CallOptions) => t.request(unlockMatchingPair, { ...options, params: { runId, menteeId } }),
      /** Two mentees exchange mentors; both pairs become locked. */
      swap: (runId: string, menteeIds: [string, string], options?: CallOptions) =>
        t.request(swapMatchingPairs, { ...options, params: { runId }, body: { menteeIds } }),
      exclude: (runId: string, personId: string, options?: CallOptions) => t.request(excludeFromMatchingRun, { ...options, params: { runId, personId } }),
      include: (runId: string, personId: string, options?: CallOptions) => t.request(includeInMatchingRun, { ...options, params: { runId, personId } }),
      /** Solves again around the draft's locks and exclusions: a new draft. */
      rerun: (runId: string, options?: CallOptions) => t.request(rerunMatchingRun, { ...options, params: { runId } }),
      /** Opens one room per pair, from the cohort's template. */
      publish: (runId: string, options?: CallOptions) => t.request(publishMatchingRun, { ...options, params: { runId } }),
      discard: (runId: string, options?: CallOptions) => t.request(discardMatchingRun, { ...options, params: { runId } }),
    },
  };
}

/** The matching namespace (`matchingApi(client)`). */
export type MatchingApi = ReturnType<typeof matchingApi>;
