/**
 * Matching mentors and mentees: profiles, explainable scores, hard constraints, the admin's
 * matching runs (draft → review → publish into rooms) and self-serve requests.
 *
 * **Profiles.** Every person has one matching profile: what they want to learn (mentees: skills
 * and goals in their own words), what they offer (mentors: skills, capacity), time zone,
 * languages, and the HR facts: department, seniority level and manager. People edit the first
 * group themselves (`/v1/me/matching-profile`); the HR facts come from SCIM (the enterprise
 * extension's `department` and `manager`), a CSV import or an admin, never from the person, so
 * nobody can step around a reporting-line constraint.
 *
 * **Scores.** A candidate pair's score is the sum of named factors' points (`MATCH_FACTORS`),
 * each worth up to its program weight. Every factor says why with a `code` and `params`; user
 * interfaces phrase the sentence from them in the reader's language (`text` is an English
 * fallback for scripts and logs).
 *
 * **Hard constraints** (`CONSTRAINTS`) are never broken by a run, a lock, a swap or a request:
 * no one in either person's reporting chain (manager, skip-level and up, both directions), mentor
 * capacity (counting the mentor's active rooms), the program's excluded pairs, opt-outs.
 *
 * **Runs.** `createMatchingRun` solves the whole cohort at once: the most mentees matched, then
 * the highest total score, then the highest lowest score (docs/matching.md says why in that
 * order). The run is a draft kept with its inputs; the admin locks, swaps, excludes and re-runs
 * around the locks, then publishes: one room per pair, started from the cohort's template.
 *
 * Admins read profiles, scores and reasons; never room content.
 * @module
 */
import * as z from 'zod/mini';
import { Skills, Timestamp, id, longText, page, pageQuery, text } from './common.js';
import { CohortId, ProgramId, RoomId } from './ids.js';
import { defineOperation } from './operation.js';
import { PersonId, PublicPerson } from './people.js';

/** A matching run: `mrun_…`. */
export const MatchingRunId = id('mrun');
/** A self-serve match request: `mreq_…`. */
export const MatchRequestId = id('mreq');

// ---------------------------------------------------------------------------------------------
// Profiles
// ---------------------------------------------------------------------------------------------

/** An IANA time zone name (`Europe/Paris`, `America/Sao_Paulo`, `UTC`); the server checks it exists. */
export const TimeZone = z.string().check(z.maxLength(64), z.regex(/^(UTC|[A-Za-z]+(\/[A-Za-z0-9_+-]+){1,2})$/, 'must be an IANA time zone such as Europe/Paris'));

/** A BCP 47 language tag (`en`, `fr`, `pt-BR`); two people share a language when the first subtag matches. */
export const LanguageTag = z.string().check(z.regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}$/, 'must be a language tag such as en, fr or pt-BR'));

/** Seniority as a level from 1 (entry) to 10; the organization maps its grades onto it. */
export const SeniorityLevel = z.int().check(z.minimum(1), z.maximum(10));

/** Fields a complete profile has; `completeness.missing` lists those still empty. */
export const PROFILE_FIELDS = ['wants', 'offers', 'goals', 'capacity', 'timeZone', 'languages', 'department', 'seniority', 'manager'] as const;
export const ProfileField = z.enum(PROFILE_FIELDS);
export type ProfileField = z.infer<typeof ProfileField>;

/** Where the reporting line and department came from. */
export const HR_SOURCES = ['scim', 'import', 'admin'] as const;

/** A person's matching profile. A person never edited has an empty profile (`updatedAt` null). */
export const MatchingProfile = z.object({
  personId: PersonId,
  /** Skills the person wants to learn (as a mentee). */
  wants: z.array(z.string()),
  /** Skills the person can help with (as a mentor). */
  offers: z.array(z.string()),
  /** In the person's own words: what they want to achieve (mentee) or how they like to help (mentor). */
  goals: z.string(),
  /** Mentees this person mentors at once, active rooms included; 0 mentors no one. */
  capacity: z.int(),
  timeZone: z.nullable(z.string()),
  languages: z.array(z.string()),
  /** HR fact (SCIM, import or admin). */
  department: z.nullable(z.string()),
  /** HR fact: 1–10. */
  seniority: z.nullable(z.int()),
  /** HR fact: the person's manager, from SCIM's enterprise `manager` or an import. */
  managerId: z.nullable(PersonId),
  /** Where the HR facts came from last; null when none were ever set. */
  hrSource: z.nullable(z.enum(HR_SOURCES)),
  /** The person does not want to be matched now: runs and suggestions leave them out. */
  optedOut: z.boolean(),
  updatedAt: z.nullable(Timestamp),
});
export type MatchingProfile = z.infer<typeof MatchingProfile>;

/** What a person changes in their own profile. HR facts are not theirs to change. */
export const UpdateMyMatchingProfile = z.strictObject({
  wants: z.optional(Skills),
  offers: z.optional(Skills),
  goals: z.optional(longText(1000)),
  /** 0–10 mentees at once. */
  capacity: z.optional(z.int().check(z.minimum(0), z.maximum(10))),
  timeZone: z.optional(z.nullable(TimeZone)),
  languages: z.optional(z.array(LanguageTag).check(z.maxLength(10))),
  optedOut: z.optional(z.boolean()),
});
export type UpdateMyMatchingProfile = z.infer<typeof UpdateMyMatchingProfile>;

/** An admin's change to someone's profile: anything the person edits, and the HR facts. */
export const UpdateMatchingProfile = z.strictObject({
  ...UpdateMyMatchingProfile.shape,
  department: z.optional(z.nullable(text(120))),
  seniority: z.optional(z.nullable(SeniorityLevel)),
  /** A person of the organization; not the person themself, and not someone they manage (a cycle is 400). */
  managerId: z.optional(z.nullable(PersonId)),
});
export type UpdateMatchingProfile = z.infer<typeof UpdateMatchingProfile>;

/** How complete a profile is for the role the person has in the cohort. */
export const ProfileCompleteness = z.object({
  /** 0–100: the share of the role's fields filled in. */
  percent: z.int(),
  /** The role's fields still empty. */
  missing: z.array(ProfileField),
});
export type ProfileCompleteness = z.infer<typeof ProfileCompleteness>;

/** One enrolled person's profile as admins review it before a run. */
export const CohortMatchingProfile = z.object({
  person: PublicPerson,
  role: z.enum(['mentor', 'mentee']),
  profile: MatchingProfile,
  completeness: ProfileCompleteness,
  /** Mentors: mentees they can still take (capacity minus active rooms as mentor). */
  freeCapacity: z.nullable(z.int()),
});
export type CohortMatchingProfile = z.infer<typeof CohortMatchingProfile>;

/** Completeness of a cohort's profiles, per role. */
export const RoleCompleteness = z.object({
  people: z.int(),
  /** People with every field of their role filled in. */
  complete: z.int(),
  optedOut: z.int(),
  /** How many people of the role miss each field. */
  missing: z.object({
    wants: z.int(), offers: z.int(), goals: z.int(), capacity: z.int(), timeZone: z.int(), languages: z.int(), department: z.int(), seniority: z.int(), manager: z.int(),
  }),
});
export const CohortMatchingCompleteness = z.object({
  cohortId: CohortId,
  mentors: RoleCompleteness,
  mentees: RoleCompleteness,
  /** Seats: the sum of enrolled mentors' free capacity. */
  seats: z.int(),
});
export type CohortMatchingCompleteness = z.infer<typeof CohortMatchingCompleteness>;

/** One row of a profile import; empty cells change nothing. Lists are separated by `;` or `|`. */
export const MatchingProfileRow = z.strictObject({
  email: z.string().check(z.maxLength(320)),
  managerEmail: z.optional(z.string().check(z.maxLength(320))),
  department: z.optional(z.string().check(z.maxLength(120))),
  seniority: z.optional(z.string().check(z.maxLength(10))),
  timeZone: z.optional(z.string().check(z.maxLength(64))),
  languages: z.optional(z.string().check(z.maxLength(200))),
  wants: z.optional(z.string().check(z.maxLength(1000))),
  offers: z.optional(z.string().check(z.maxLength(1000))),
  capacity: z.optional(z.string().check(z.maxLength(10))),
});
export type MatchingProfileRow = z.infer<typeof MatchingProfileRow>;

/**
 * A profile import: CSV text (header `email` plus any of `manager_email`, `department`,
 * `seniority`, `time_zone`, `languages`, `wants`, `offers`, `capacity`) or parsed rows, one of the
 * two. Runs at once (up to 5,000 rows); managers are matched by email, in the file or already known.
 */
export const CreateMatchingProfileImport = z.strictObject({
  csv: z.optional(z.string().check(z.minLength(1))),
  rows: z.optional(z.array(MatchingProfileRow).check(z.minLength(1), z.maxLength(5000))),
  /** Report what would change without changing anything. */
  dryRun: z.optional(z.boolean()),
}).check(z.refine((b) => (b.csv === undefined) !== (b.rows === undefined), { message: 'Send either csv or rows (one of them).', path: ['csv'] }));
export type CreateMatchingProfileImport = z.infer<typeof CreateMatchingProfileImport>;

export const PROFILE_IMPORT_REJECTIONS = ['unknown_email', 'unknown_manager', 'manager_cycle', 'bad_value', 'duplicate', 'missing_email'] as const;
export const MatchingProfileImportReport = z.object({
  dryRun: z.boolean(),
  totalRows: z.int(),
  /** Rows that changed a profile (or would, in a dry run). */
  updated: z.int(),
  unchanged: z.int(),
  rejected: z.array(z.object({
    /** Spreadsheet row number (the CSV header is row 1) or 1-based position in `rows`. */
    row: z.int(),
    email: z.nullable(z.string()),
    code: z.enum(PROFILE_IMPORT_REJECTIONS),
    /** The offending column (`manager_email`, `seniority`…), when one. */
    field: z.nullable(z.string()),
    message: z.string(),
  })),
});
export type MatchingProfileImportReport = z.infer<typeof MatchingProfileImportReport>;

// ---------------------------------------------------------------------------------------------
// Scores and constraints
// ---------------------------------------------------------------------------------------------

/** The named factors of a score, in display order. */
export const MATCH_FACTORS = ['skills', 'goals', 'timeZone', 'language', 'department', 'seniority'] as const;
export const MatchFactor = z.enum(MATCH_FACTORS);
export type MatchFactor = z.infer<typeof MatchFactor>;

/** Each factor's weight, 0–100: the points a perfect fit on that factor earns. 0 turns a factor off. */
export const MatchWeights = z.object({
  skills: z.int().check(z.minimum(0), z.maximum(100)),
  goals: z.int().check(z.minimum(0), z.maximum(100)),
  timeZone: z.int().check(z.minimum(0), z.maximum(100)),
  language: z.int().check(z.minimum(0), z.maximum(100)),
  department: z.int().check(z.minimum(0), z.maximum(100)),
  seniority: z.int().check(z.minimum(0), z.maximum(100)),
});
export type MatchWeights = z.infer<typeof MatchWeights>;

/** The weights a program starts with. */
export const DEFAULT_MATCH_WEIGHTS: MatchWeights = { skills: 40, goals: 20, timeZone: 15, language: 10, department: 5, seniority: 10 };

/**
 * Why a factor scored what it did, as a stable code with parameters; the UI phrases it. Codes:
 * `skills.shared` {skills, wanted}, `skills.none` {wanted}, `skills.unknown`;
 * `goals.keywords` {keywords}, `goals.none`, `goals.unknown`;
 * `timeZone.overlap` {hours, menteeTimeZone, mentorTimeZone}, `timeZone.unknown`;
 * `language.shared` {languages}, `language.none`, `language.unknown`;
 * `department.different` {menteeDepartment, mentorDepartment}, `department.same` {department},
 * `department.unknown`, `department.ignored`;
 * `seniority.gap` {gap, idealGap}, `seniority.notSenior` {gap}, `seniority.unknown`.
 */
export const REASON_CODES = [
  'skills.shared', 'skills.none', 'skills.unknown',
  'goals.keywords', 'goals.none', 'goals.unknown',
  'timeZone.overlap', 'timeZone.unknown',
  'language.shared', 'language.none', 'language.unknown',
  'department.different', 'department.same', 'department.unknown', 'department.ignored',
  'seniority.gap', 'seniority.notSenior', 'seniority.unknown',
] as const;
export const ReasonCode = z.enum(REASON_CODES);
export type ReasonCode = z.infer<typeof ReasonCode>;

/** A reason's parameters: numbers, strings and lists of strings (skills, keywords, languages). */
export const ReasonParams = z.record(z.string(), z.union([z.number(), z.string(), z.array(z.string())]));

/** One factor of a pair's score. */
export const FactorScore = z.object({
  factor: MatchFactor,
  /** Points earned: 0 to `weight`. */
  points: z.int(),
  /** The program's weight for this factor: the most it can earn. */
  weight: z.int(),
  code: ReasonCode,
  params: ReasonParams,
  /** English fallback sentence for scripts and logs; UIs phrase `code` and `params` themselves. */
  text: z.string(),
});
export type FactorScore = z.infer<typeof FactorScore>;

/** A pair's score with its factors. */
export const PairScore = z.object({
  /** Sum of the factors' points. */
  score: z.int(),
  /** Sum of the weights: the best score possible under this program's weights. */
  maxScore: z.int(),
  factors: z.array(FactorScore),
});
export type PairScore = z.infer<typeof PairScore>;

/**
 * The hard constraints: `self` (one person), `reporting_line` (one is in the other's chain of
 * managers, any distance), `peers` (same manager, when the program excludes peers), `capacity`
 * (the mentor has no free seat), `excluded_pair` (the program excludes the pair), `opted_out`,
 * `excluded_person` (the admin left the person out of this run), `already_paired` (the pair
 * already has an active room), `not_enrolled` (not enrolled with that role in the cohort).
 */
export const CONSTRAINTS = ['self', 'reporting_line', 'peers', 'capacity', 'excluded_pair', 'opted_out', 'excluded_person', 'already_paired', 'not_enrolled'] as const;
export const Constraint = z.enum(CONSTRAINTS);
export type Constraint = z.infer<typeof Constraint>;

/** A program's excluded pair: never proposed, locked or requested. */
export const ExcludedPair = z.strictObject({
  mentorId: PersonId,
  menteeId: PersonId,
  /** Why, for the admins (e.g. "paired in 2025"). */
  note: z.optional(longText(200)),
});
export type ExcludedPair = z.infer<typeof ExcludedPair>;

/** How a program matches. */
export const MatchingSettings = z.object({
  programId: ProgramId,
  weights: MatchWeights,
  /** `different`: pairs across departments earn the department factor; `same`: within one; `none`: factor off. */
  departmentPreference: z.enum(['different', 'same', 'none']),
  /** The seniority gap (mentor minus mentee, in levels) that earns the full seniority factor. */
  idealSeniorityGap: z.int(),
  /** Also exclude peers (people with the same manager). The reporting chain is always excluded. */
  excludePeers: z.boolean(),
  /** Mentees of this program's cohorts may ask mentors themselves (suggestions and requests). */
  selfServe: z.boolean(),
  /** Rooms whose average effectiveness rating stays at or below this (1–5) are offered a re-match. */
  rematchBelow: z.number(),
  excludedPairs: z.array(ExcludedPair),
  updatedAt: z.nullable(Timestamp),
});
export type MatchingSettings = z.infer<typeof MatchingSettings>;

export const UpdateMatchingSettings = z.strictObject({
  /** Only the factors sent change. */
  weights: z.optional(z.strictObject({
    skills: z.optional(z.int().check(z.minimum(0), z.maximum(100))),
    goals: z.optional(z.int().check(z.minimum(0), z.maximum(100))),
    timeZone: z.optional(z.int().check(z.minimum(0), z.maximum(100))),
    language: z.optional(z.int().check(z.minimum(0), z.maximum(100))),
    department: z.optional(z.int().check(z.minimum(0), z.maximum(100))),
    seniority: z.optional(z.int().check(z.minimum(0), z.maximum(100))),
  })),
  departmentPreference: z.optional(z.enum(['different', 'same', 'none'])),
  idealSeniorityGap: z.optional(z.int().check(z.minimum(0), z.maximum(9))),
  excludePeers: z.optional(z.boolean()),
  selfServe: z.optional(z.boolean()),
  rematchBelow: z.optional(z.number().check(z.minimum(1), z.maximum(5))),
  /** Replaces the whole list. */
  excludedPairs: z.optional(z.array(ExcludedPair).check(z.maxLength(5000))),
});
export type UpdateMatchingSettings = z.infer<typeof UpdateMatchingSettings>;

// ---------------------------------------------------------------------------------------------
// Runs
// ---------------------------------------------------------------------------------------------

/**
 * `draft`: being reviewed; `published`: its rooms exist; `superseded`: a later run of the cohort
 * replaced this draft; `discarded`: the admin dropped it.
 */
export const RUN_STATUSES = ['draft', 'published', 'superseded', 'discarded'] as const;
export const RunStatus = z.enum(RUN_STATUSES);

/** A proposed pair of a run. */
export const MatchPair = z.object({
  mentor: PublicPerson,
  mentee: PublicPerson,
  ...PairScore.shape,
  /** The admin fixed this pair (a lock or a swap); re-runs keep it. */
  locked: z.boolean(),
  /** After publishing: the pair's room. */
  roomId: z.nullable(RoomId),
});
export type MatchPair = z.infer<typeof MatchPair>;

/** Why a mentee has no pair: no mentor passes the hard constraints, or every eligible seat went to others. */
export const UnmatchedMentee = z.object({
  mentee: PublicPerson,
  reason: z.enum(['no_eligible_mentor', 'no_free_seat', 'excluded_person', 'opted_out']),
});
export type UnmatchedMentee = z.infer<typeof UnmatchedMentee>;

/** A run's figures. */
export const RunTotals = z.object({
  mentees: z.int(),
  mentors: z.int(),
  matched: z.int(),
  /** Sum of the pairs' scores. */
  totalScore: z.int(),
  /** The lowest pair score (0 when no pair). */
  minScore: z.int(),
  /** The greedy baseline on the same inputs (each mentee in turn takes their best free mentor), for comparison. */
  greedyTotalScore: z.int(),
  greedyMinScore: z.int(),
  /** Solver time, milliseconds. */
  solveMs: z.int(),
});
export type RunTotals = z.infer<typeof RunTotals>;

/** A matching run of a cohort. */
export const MatchingRun = z.object({
  id: MatchingRunId,
  cohortId: CohortId,
  programId: ProgramId,
  status: RunStatus,
  /** The run this one re-ran (its locks and exclusions carried over), or null. */
  basedOn: z.nullable(MatchingRunId),
  /** Best-first by score within locked, then unlocked pairs. */
  pairs: z.array(MatchPair),
  unmatched: z.array(UnmatchedMentee),
  /** People the admin left out of this run. */
  excludedPersonIds: z.array(PersonId),
  totals: RunTotals,
  createdBy: z.nullable(PublicPerson),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  publishedAt: z.nullable(Timestamp),
});
export type MatchingRun = z.infer<typeof MatchingRun>;

/** A run without its pairs, for lists. */
export const MatchingRunSummary = z.object({
  id: MatchingRunId,
  cohortId: CohortId,
  status: RunStatus,
  basedOn: z.nullable(MatchingRunId),
  totals: RunTotals,
  createdAt: Timestamp,
  publishedAt: z.nullable(Timestamp),
});
export type MatchingRunSummary = z.infer<typeof MatchingRunSummary>;

/** Exactly what a run was computed from, so it can be explained later. */
export const MatchingRunInputs = z.object({
  runId: MatchingRunId,
  /** The profiles of the cohort's mentors and mentees as they were. */
  profiles: z.array(z.object({ role: z.enum(['mentor', 'mentee']), profile: MatchingProfile, activeRooms: z.int() })),
  settings: MatchingSettings,
  locks: z.array(z.object({ mentorId: PersonId, menteeId: PersonId })),
  excludedPersonIds: z.array(PersonId),
  /** Pairs already having an active room (never proposed again). */
  existingPairs: z.array(z.object({ mentorId: PersonId, menteeId: PersonId })),
  /** The reporting lines the constraints followed: every manager along the cohort's people's chains. */
  reportingLines: z.array(z.object({ personId: PersonId, managerId: PersonId })),
});
export type MatchingRunInputs = z.infer<typeof MatchingRunInputs>;

/** Starting a run: optionally from an earlier run (its locks and exclusions), plus more. */
export const CreateMatchingRun = z.strictObject({
  basedOn: z.optional(MatchingRunId),
  locks: z.optional(z.array(z.strictObject({ mentorId: PersonId, menteeId: PersonId })).check(z.maxLength(5000))),
  excludedPersonIds: z.optional(z.array(PersonId).check(z.maxLength(5000))),
});
export type CreateMatchingRun = z.infer<typeof CreateMatchingRun>;

/** A mentor candidate for one mentee of a run, for the review's swap and lock choices. */
export const MatchCandidate = z.object({
  mentor: PublicPerson,
  ...PairScore.shape,
  /** Hard constraints the pair breaks; empty when it may be locked. `capacity` counts the draft's locked pairs. */
  blockedBy: z.array(Constraint),
  /** The mentor's current pair count in the draft and capacity left outside the draft. */
  pairsInRun: z.int(),
  freeCapacity: z.int(),
});
export type MatchCandidate = z.infer<typeof MatchCandidate>;

export const LockPair = z.strictObject({ mentorId: PersonId });
export const SwapPairs = z.strictObject({
  /** Two mentees of the draft who exchange mentors; both pairs become locked. */
  menteeIds: z.array(PersonId).check(z.minLength(2), z.maxLength(2)),
});
export type SwapPairs = z.infer<typeof SwapPairs>;

// ---------------------------------------------------------------------------------------------
// Self-serve
// ---------------------------------------------------------------------------------------------

/** A mentor suggested to a mentee, with the reasons. */
export const MatchSuggestion = z.object({
  mentor: PublicPerson,
  ...PairScore.shape,
  /** Seats the mentor has free now. */
  freeCapacity: z.int(),
  /** The caller already has a pending request to this mentor. */
  requested: z.boolean(),
});
export type MatchSuggestion = z.infer<typeof MatchSuggestion>;

export const MatchSuggestions = z.object({
  cohortId: CohortId,
  /** Best first; mentors breaking a hard constraint or without a free seat are never suggested. */
  items: z.array(MatchSuggestion),
});
export type MatchSuggestions = z.infer<typeof MatchSuggestions>;

export const REQUEST_STATUSES = ['pending', 'accepted', 'declined', 'withdrawn', 'cancelled'] as const;
export const MatchRequestStatus = z.enum(REQUEST_STATUSES);

/** A mentee's request to a mentor. */
export const MatchRequest = z.object({
  id: MatchRequestId,
  cohortId: CohortId,
  mentee: PublicPerson,
  mentor: PublicPerson,
  /**
   * `pending` until the mentor answers; `accepted` opens the room (`roomId`); `declined`;
   * `withdrawn` by the mentee; `cancelled` when the mentee was matched otherwise meanwhile.
   */
  status: MatchRequestStatus,
  /** The mentee's note to the mentor. */
  message: z.string(),
  /** The score and reasons when the request was made. */
  ...PairScore.shape,
  /** The mentor's reason when declining (optional). */
  responseNote: z.nullable(z.string()),
  roomId: z.nullable(RoomId),
  /** A re-match: the room this request replaces (archived when accepted). */
  replacesRoomId: z.nullable(RoomId),
  createdAt: Timestamp,
  respondedAt: z.nullable(Timestamp),
});
export type MatchRequest = z.infer<typeof MatchRequest>;

export const CreateMatchRequest = z.strictObject({
  cohortId: CohortId,
  mentorId: PersonId,
  message: z.optional(longText(1000)),
  /** For a re-match: the caller's room (from `listRematchOffers`) this request replaces. */
  replacesRoomId: z.optional(RoomId),
});
export type CreateMatchRequest = z.infer<typeof CreateMatchRequest>;

export const RespondToMatchRequest = z.strictObject({
  decision: z.enum(['accept', 'decline']),
  note: z.optional(longText(500)),
});
export type RespondToMatchRequest = z.infer<typeof RespondToMatchRequest>;

/** A room whose feedback stays low, offered a re-match. Reason code `ratings.low` {average, ratings, threshold}. */
export const RematchOffer = z.object({
  roomId: RoomId,
  cohortId: CohortId,
  /** The other person of the pair. */
  partner: PublicPerson,
  code: z.enum(['ratings.low']),
  params: ReasonParams,
  text: z.string(),
});
export type RematchOffer = z.infer<typeof RematchOffer>;

export const ListMatchRequestsQuery = pageQuery({
  /** `mentee`: requests the caller made; `mentor`: requests made to the caller. Both by default. */
  role: z.optional(z.enum(['mentee', 'mentor'])),
  status: z.optional(MatchRequestStatus),
});

export const CohortMatchingParams = z.strictObject({ cohortId: CohortId });
export const ProgramMatchingParams = z.strictObject({ programId: ProgramId });
export const PersonMatchingParams = z.strictObject({ personId: PersonId });
export const RunParams = z.strictObject({ runId: MatchingRunId });
export const RunMenteeParams = z.strictObject({ runId: MatchingRunId, menteeId: PersonId });
export const RunPersonParams = z.strictObject({ runId: MatchingRunId, personId: PersonId });
export const RequestParams = z.strictObject({ requestId: MatchRequestId });
export const SuggestionsQuery = z.strictObject({
  cohortId: CohortId,
  /** 1–20, 10 by default. */
  limit: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(20))),
});
export const CandidatesQuery = z.strictObject({
  /** 1–50, 20 by default. */
  limit: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(50))),
});

// ---------------------------------------------------------------------------------------------
// Operations
// ---------------------------------------------------------------------------------------------

const tag = 'Matching';
const admin = { scopes: ['org:admin'] } as const;

export const getMyMatchingProfile = defineOperation({
  id: 'getMyMatchingProfile', method: 'GET', path: '/v1/me/matching-profile', tag, scopes: ['people:read'],
  description: "The caller's own matching profile: what they want to learn and offer, capacity, time zone, languages, and the HR facts (department, seniority, manager) they can read but not change. An API key names the person with Menteo-Act-As.",
  summary: "The caller's matching profile.", response: MatchingProfile,
});
export const updateMyMatchingProfile = defineOperation({
  id: 'updateMyMatchingProfile', method: 'PATCH', path: '/v1/me/matching-profile', tag, scopes: ['matching:write'],
  description: "Changes the caller's own profile: skills wanted and offered, goals in their own words, capacity, time zone, languages, or opting out of matching. HR facts (department, seniority, manager) come from SCIM, an import or an admin.",
  summary: "Edit one's own matching profile.", body: UpdateMyMatchingProfile, response: MatchingProfile,
});
export const getMatchingProfile = defineOperation({
  id: 'getMatchingProfile', method: 'GET', path: '/v1/people/{personId}/matching-profile', tag, ...admin,
  description: "For admins: a person's matching profile, HR facts included.",
  summary: "A person's matching profile (admins).", params: PersonMatchingParams, response: MatchingProfile,
});
export const updateMatchingProfile = defineOperation({
  id: 'updateMatchingProfile', method: 'PATCH', path: '/v1/people/{personId}/matching-profile', tag, ...admin,
  description: "For admins: changes a person's profile, including the HR facts (department, seniority, manager). A manager that would make a reporting cycle is refused (400 on managerId).",
  summary: "Edit a person's matching profile and HR facts (admins).", params: PersonMatchingParams, body: UpdateMatchingProfile, response: MatchingProfile,
});
export const importMatchingProfiles = defineOperation({
  id: 'importMatchingProfiles', method: 'POST', path: '/v1/matching-profile-imports', tag, ...admin,
  description: 'Sets profiles and reporting lines from CSV text or rows matched by email (manager_email names the manager). Runs at once and reports the rows changed, unchanged and rejected with their numbers and reasons; with dryRun nothing changes.',
  summary: 'Import profiles and reporting lines from CSV (admins).', body: CreateMatchingProfileImport, status: 200, response: MatchingProfileImportReport,
});
export const listCohortMatchingProfiles = defineOperation({
  id: 'listCohortMatchingProfiles', method: 'GET', path: '/v1/cohorts/{cohortId}/matching-profiles', tag, ...admin,
  description: "The enrolled people's matching profiles with their completeness for their role and mentors' free capacity, in enrolment order: what an admin checks before a run.",
  summary: "A cohort's matching profiles with completeness.", params: CohortMatchingParams,
  query: pageQuery({ role: z.optional(z.enum(['mentor', 'mentee'])), incomplete: z.optional(z.enum(['true', 'false'])) }), response: page(CohortMatchingProfile),
});
export const getCohortMatchingCompleteness = defineOperation({
  id: 'getCohortMatchingCompleteness', method: 'GET', path: '/v1/cohorts/{cohortId}/matching-completeness', tag, ...admin,
  description: "How complete the cohort's profiles are, per role: people, complete profiles, opt-outs, how many miss each field, and the mentors' free seats.",
  summary: "Profile completeness of a cohort, per role.", params: CohortMatchingParams, response: CohortMatchingCompleteness,
});
export const getMatchingSettings = defineOperation({
  id: 'getMatchingSettings', method: 'GET', path: '/v1/programs/{programId}/matching-settings', tag, ...admin,
  description: "A program's factor weights, department preference, ideal seniority gap, peer exclusion, self-serve switch, re-match threshold and excluded pairs (defaults until first changed).",
  summary: "A program's matching weights and rules.", params: ProgramMatchingParams, response: MatchingSettings,
});
export const updateMatchingSettings = defineOperation({
  id: 'updateMatchingSettings', method: 'PATCH', path: '/v1/programs/{programId}/matching-settings', tag, ...admin,
  description: 'Changes weights (only the factors sent), the preferences, the self-serve switch, the re-match threshold, or replaces the excluded pairs. Runs already made keep the settings they were computed with.',
  summary: "Change a program's matching weights and rules.", params: ProgramMatchingParams, body: UpdateMatchingSettings, response: MatchingSettings,
});
export const createMatchingRun = defineOperation({
  id: 'createMatchingRun', method: 'POST', path: '/v1/cohorts/{cohortId}/matching-runs', tag, ...admin,
  description: "Solves the whole cohort: every enrolled mentee is paired with a mentor so that the most mentees are matched, then the total score is highest, then the lowest score is highest, never breaking a hard constraint. The answer is a draft kept with its inputs; the cohort's earlier draft is superseded. With basedOn, the earlier run's locks and exclusions are kept. A lock that breaks a hard constraint answers 409 naming it.",
  summary: 'Match a cohort: a draft of optimal pairs with their reasons.', params: CohortMatchingParams, body: CreateMatchingRun, response: MatchingRun,
});
export const listMatchingRuns = defineOperation({
  id: 'listMatchingRuns', method: 'GET', path: '/v1/cohorts/{cohortId}/matching-runs', tag, ...admin,
  description: "A cohort's matching runs, newest first, with their status and figures (not their pairs).",
  summary: "A cohort's matching runs, newest first.", params: CohortMatchingParams, query: pageQuery({}), response: page(MatchingRunSummary),
});
export const getMatchingRun = defineOperation({
  id: 'getMatchingRun', method: 'GET', path: '/v1/matching-runs/{runId}', tag, ...admin,
  description: 'One run with every pair, its score and each factor\'s points and reason, the unmatched mentees and why, and its figures against the greedy baseline.',
  summary: 'A run with its pairs and their reasons.', params: RunParams, response: MatchingRun,
});
export const getMatchingRunInputs = defineOperation({
  id: 'getMatchingRunInputs', method: 'GET', path: '/v1/matching-runs/{runId}/inputs', tag, ...admin,
  description: 'Exactly what the run was computed from: the profiles as they were, the settings, locks, exclusions and existing pairs. Explains a run later, after profiles changed.',
  summary: 'What a run was computed from.', params: RunParams, response: MatchingRunInputs,
});
export const listMatchingCandidates = defineOperation({
  id: 'listMatchingCandidates', method: 'GET', path: '/v1/matching-runs/{runId}/mentees/{menteeId}/candidates', tag, ...admin,
  description: "A draft's mentor candidates for one mentee, best score first, each with its reasons and the hard constraints it would break: the choices of a lock or swap.",
  summary: "Mentor candidates for one mentee of a draft, with reasons.", params: RunMenteeParams, query: CandidatesQuery, response: z.object({ items: z.array(MatchCandidate) }),
});
export const lockMatchingPair = defineOperation({
  id: 'lockMatchingPair', method: 'PUT', path: '/v1/matching-runs/{runId}/mentees/{menteeId}/lock', tag, ...admin,
  description: "Fixes a mentee's mentor in a draft (the current one, or another): re-runs keep it. A mentor at capacity loses their lowest unlocked pair to make room; a pair breaking a hard constraint answers 409 naming it. Only drafts change (409 otherwise).",
  summary: "Lock a mentee's pair in a draft.", params: RunMenteeParams, body: LockPair, status: 200, response: MatchingRun,
});
export const unlockMatchingPair = defineOperation({
  id: 'unlockMatchingPair', method: 'DELETE', path: '/v1/matching-runs/{runId}/mentees/{menteeId}/lock', tag, ...admin,
  description: "Releases a mentee's lock in a draft; the pair stays until the next re-run. Idempotent.",
  summary: "Unlock a mentee's pair in a draft.", params: RunMenteeParams, status: 200, response: MatchingRun,
});
export const swapMatchingPairs = defineOperation({
  id: 'swapMatchingPairs', method: 'POST', path: '/v1/matching-runs/{runId}/swaps', tag, ...admin,
  description: 'Two mentees of a draft exchange mentors; both new pairs are locked. A new pair breaking a hard constraint answers 409 naming it, and nothing changes.',
  summary: 'Swap two mentees\' mentors in a draft.', params: RunParams, body: SwapPairs, status: 200, response: MatchingRun,
});
export const excludeFromMatchingRun = defineOperation({
  id: 'excludeFromMatchingRun', method: 'PUT', path: '/v1/matching-runs/{runId}/exclusions/{personId}', tag, ...admin,
  description: 'Leaves a mentor or mentee out of a draft: their pairs are removed now and re-runs leave them out. Idempotent.',
  summary: 'Leave someone out of a draft.', params: RunPersonParams, status: 200, response: MatchingRun,
});
export const includeInMatchingRun = defineOperation({
  id: 'includeInMatchingRun', method: 'DELETE', path: '/v1/matching-runs/{runId}/exclusions/{personId}', tag, ...admin,
  description: 'Takes someone back into a draft; the next re-run considers them. Idempotent.',
  summary: 'Take someone back into a draft.', params: RunPersonParams, status: 200, response: MatchingRun,
});
export const rerunMatchingRun = defineOperation({
  id: 'rerunMatchingRun', method: 'POST', path: '/v1/matching-runs/{runId}/reruns', tag, ...admin,
  description: "Solves the cohort again around the draft's locks and exclusions, with today's profiles and settings: a new draft based on this one, which is superseded.",
  summary: 'Re-run a draft around its locks: a new draft.', params: RunParams, response: MatchingRun,
});
export const publishMatchingRun = defineOperation({
  id: 'publishMatchingRun', method: 'POST', path: '/v1/matching-runs/{runId}/publish', tag, ...admin,
  description: "Opens one room per pair of a draft, each roadmap started from the cohort's template, exactly as createCohortRoom does; each room's people are told through its room.updated event. Hard constraints are checked again against the current state first (409 naming the pair and constraint). Only a draft publishes, once.",
  summary: 'Publish a draft: open the pairs\' rooms.', params: RunParams, status: 200, response: MatchingRun,
});
export const discardMatchingRun = defineOperation({
  id: 'discardMatchingRun', method: 'DELETE', path: '/v1/matching-runs/{runId}', tag, ...admin,
  description: 'Discards a draft; it stays listed (with its inputs) as discarded. A published run cannot be discarded (409).',
  summary: 'Discard a draft.', params: RunParams, status: 204,
});
export const listMatchSuggestions = defineOperation({
  id: 'listMatchSuggestions', method: 'GET', path: '/v1/me/match-suggestions', tag, scopes: ['people:read'],
  description: "For a mentee enrolled in the cohort (whose program allows self-serve): mentors with a free seat and no hard constraint against the pair, best score first, each with the factors and reasons.",
  summary: 'Mentors suggested to the caller, with reasons.', query: SuggestionsQuery, response: MatchSuggestions,
});
export const createMatchRequest = defineOperation({
  id: 'createMatchRequest', method: 'POST', path: '/v1/me/match-requests', tag, scopes: ['matching:write'],
  description: 'A mentee asks a suggested mentor. Refused with 409 naming the constraint when the pair breaks one or the mentor has no free seat, and when the caller already has a pending request or a room in the cohort (unless the request re-matches a room from listRematchOffers).',
  summary: 'Ask a mentor (mentees).', body: CreateMatchRequest, response: MatchRequest,
});
export const listMyMatchRequests = defineOperation({
  id: 'listMyMatchRequests', method: 'GET', path: '/v1/me/match-requests', tag, scopes: ['people:read'],
  description: 'Requests the caller made (as a mentee) and received (as a mentor), newest first; filter by role and status.',
  summary: "The caller's match requests, made and received.", query: ListMatchRequestsQuery, response: page(MatchRequest),
});
export const getMatchRequest = defineOperation({
  id: 'getMatchRequest', method: 'GET', path: '/v1/match-requests/{requestId}', tag, scopes: ['people:read'],
  description: 'One request, for its mentee, its mentor and organization admins.',
  summary: 'One match request.', params: RequestParams, response: MatchRequest,
});
export const respondToMatchRequest = defineOperation({
  id: 'respondToMatchRequest', method: 'POST', path: '/v1/match-requests/{requestId}/response', tag, scopes: ['matching:write'],
  description: "The mentor accepts or declines a pending request. Accepting opens the pair's room from the cohort's template; capacity is checked in the same transaction, so of concurrent accepts beyond the mentor's capacity one wins and the rest answer 409 (capacity). A request already answered answers 409.",
  summary: 'Accept or decline a request (the mentor).', params: RequestParams, body: RespondToMatchRequest, status: 200, response: MatchRequest,
});
export const withdrawMatchRequest = defineOperation({
  id: 'withdrawMatchRequest', method: 'DELETE', path: '/v1/match-requests/{requestId}', tag, scopes: ['matching:write'],
  description: 'The mentee withdraws a pending request; an answered one answers 409.',
  summary: 'Withdraw a pending request (the mentee).', params: RequestParams, status: 204,
});
export const listRematchOffers = defineOperation({
  id: 'listRematchOffers', method: 'GET', path: '/v1/me/rematch-offers', tag, scopes: ['people:read'],
  description: "The caller's cohort rooms (as mentee) whose effectiveness ratings stay at or below the program's threshold, each with the reason; a re-match is a match request carrying replacesRoomId.",
  summary: "Re-match offers for the caller's low-rated pairs, with reasons.", response: z.object({ items: z.array(RematchOffer) }),
});
