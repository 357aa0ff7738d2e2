/**
 * Programs, cohorts, roadmap templates and enrolment: how an organization runs mentoring.
 *
 * An organization runs programs. A program has cohorts (a name, start and end dates, the mentors
 * and mentees enrolled) and roadmap templates (milestones placed by day offsets from a cohort's
 * start, with the skills they need and the outcome expected). A room opened in a cohort starts its
 * roadmap from the cohort's template. A template changes by versions: a room whose roadmap came
 * from an older version sees that a newer one exists and decides, with a reason, to adopt it (a
 * roadmap revision) or not. Nothing rewrites a running roadmap silently.
 *
 * Managing all of this takes `org:admin` (an API key, or the access token of a person holding it,
 * which is how the admin console calls). A person enrolled in a cohort may read that cohort
 * (`getCohort`) without `org:admin`; the enrolment list, with emails, stays with admins.
 * @module
 */
import * as z from 'zod/mini';
import { DateOnly, Skills, Timestamp, longText, page, pageQuery, text } from './common.js';
import { CohortId, EnrolmentImportId, ProgramId, RoadmapId, RoadmapTemplateId, TemplateMilestoneId } from './ids.js';
import { defineOperation } from './operation.js';
import { Person, PersonId } from './people.js';
import { FieldChange, Reason } from './roadmaps.js';
import { Room } from './rooms.js';

// The ids live in ids.ts, so modules that only name a cohort (feedback, health) do not pull
// every program schema onto a widget's page (top-level schemas are not tree-shaken).
export { CohortId, EnrolmentImportId, ProgramId, RoadmapTemplateId, TemplateMilestoneId } from './ids.js';
/** A SCIM group as Menteo stores it (the id the identity provider's SCIM client was given). */
export const ScimGroupId = z.string().check(z.minLength(1), z.maxLength(200));

/** A mentorship program: onboarding, leadership, a yearly engineering cohort… */
export const Program = z.object({
  id: ProgramId,
  name: z.string(),
  description: z.string(),
  /** Archived programs stay readable; their cohorts take no new rooms or enrolments. */
  status: z.enum(['active', 'archived']),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Program = z.infer<typeof Program>;

export const CreateProgram = z.strictObject({
  name: text(120),
  description: z.optional(longText(2000)),
});
export type CreateProgram = z.infer<typeof CreateProgram>;

export const UpdateProgram = z.strictObject({
  name: z.optional(text(120)),
  description: z.optional(longText(2000)),
  status: z.optional(z.enum(['active', 'archived'])),
});
export type UpdateProgram = z.infer<typeof UpdateProgram>;

/** One milestone of a template, placed `dayOffset` days after the cohort's start. */
export const TemplateMilestone = z.object({
  /**
   * Stable across versions: a milestone kept from one version to the next keeps its id, so
   * adopting a new version updates the roadmap's matching milestone instead of adding a copy.
   */
  id: TemplateMilestoneId,
  title: z.string(),
  description: z.string(),
  /** Days after the cohort's start date; the room's due date is start + offset. */
  dayOffset: z.int(),
  requiredSkills: z.array(z.string()),
  expectedOutcome: z.string(),
});
export type TemplateMilestone = z.infer<typeof TemplateMilestone>;

/** A template milestone as written; send `id` to keep an existing milestone across versions. */
export const NewTemplateMilestone = z.strictObject({
  id: z.optional(TemplateMilestoneId),
  title: text(200),
  description: z.optional(longText(4000)),
  /** 0–365 days after the cohort's start. */
  dayOffset: z.int().check(z.minimum(0), z.maximum(365)),
  requiredSkills: z.optional(Skills),
  expectedOutcome: z.optional(longText(2000)),
});
export type NewTemplateMilestone = z.infer<typeof NewTemplateMilestone>;

/** A roadmap template at its latest version. */
export const RoadmapTemplate = z.object({
  id: RoadmapTemplateId,
  programId: ProgramId,
  name: z.string(),
  /** The goal every roadmap started from it gets. */
  goal: z.string(),
  horizonDays: z.int(),
  /** Starts at 1; each change to the goal, horizon or milestones makes a new version. */
  version: z.int(),
  /** Milestones by day offset. */
  milestones: z.array(TemplateMilestone),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type RoadmapTemplate = z.infer<typeof RoadmapTemplate>;

/** One version of a template, as it was published, with the note saying why it changed. */
export const RoadmapTemplateVersion = z.object({
  templateId: RoadmapTemplateId,
  version: z.int(),
  name: z.string(),
  goal: z.string(),
  horizonDays: z.int(),
  milestones: z.array(TemplateMilestone),
  /** Why this version was made (`Template created` for version 1). */
  note: z.string(),
  createdAt: Timestamp,
});
export type RoadmapTemplateVersion = z.infer<typeof RoadmapTemplateVersion>;

const Milestones = z.array(NewTemplateMilestone).check(z.maxLength(50));

export const CreateRoadmapTemplate = z.strictObject({
  name: text(120),
  goal: z.optional(longText(2000)),
  /** 7–365 days, 90 by default; every milestone's offset must fall within it. */
  horizonDays: z.optional(z.int().check(z.minimum(7), z.maximum(365))),
  milestones: z.optional(Milestones),
});
export type CreateRoadmapTemplate = z.infer<typeof CreateRoadmapTemplate>;

/**
 * A change to a template. A new `goal`, `horizonDays` or `milestones` (the whole list, replacing
 * the current one) makes a new version with `note` as its reason; a rename alone does not.
 * Running roadmaps are not changed: their rooms are offered the new version.
 */
export const UpdateRoadmapTemplate = z.strictObject({
  /** Why: shown to rooms deciding whether to adopt the new version. */
  note: text(500),
  name: z.optional(text(120)),
  goal: z.optional(longText(2000)),
  horizonDays: z.optional(z.int().check(z.minimum(7), z.maximum(365))),
  milestones: z.optional(Milestones),
});
export type UpdateRoadmapTemplate = z.infer<typeof UpdateRoadmapTemplate>;

/** A cohort: people going through a program together between two dates. */
export const Cohort = z.object({
  id: CohortId,
  programId: ProgramId,
  name: z.string(),
  startDate: DateOnly,
  endDate: DateOnly,
  /** The template rooms opened in this cohort start from; null for none (an empty roadmap is not made). */
  templateId: z.nullable(RoadmapTemplateId),
  mentorCount: z.int(),
  menteeCount: z.int(),
  roomCount: z.int(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Cohort = z.infer<typeof Cohort>;

export const CreateCohort = z.strictObject({
  name: text(120),
  startDate: DateOnly,
  /** On or after `startDate`. */
  endDate: DateOnly,
  templateId: z.optional(RoadmapTemplateId),
});
export type CreateCohort = z.infer<typeof CreateCohort>;

export const UpdateCohort = z.strictObject({
  name: z.optional(text(120)),
  startDate: z.optional(DateOnly),
  endDate: z.optional(DateOnly),
  /** Rooms already opened keep the roadmap they have; only new rooms use the new template. */
  templateId: z.optional(z.nullable(RoadmapTemplateId)),
});
export type UpdateCohort = z.infer<typeof UpdateCohort>;

export const COHORT_ROLES = ['mentor', 'mentee'] as const;
export const CohortRole = z.enum(COHORT_ROLES);
export type CohortRole = z.infer<typeof CohortRole>;

/** How an enrolment came about; a SCIM group's enrolments leave when the person leaves the group. */
export const ENROLMENT_SOURCES = ['api', 'import', 'scim'] as const;
export const EnrolmentSource = z.enum(ENROLMENT_SOURCES);

/** A person enrolled in a cohort with one role. */
export const Enrolment = z.object({
  cohortId: CohortId,
  person: Person,
  role: CohortRole,
  source: EnrolmentSource,
  enrolledAt: Timestamp,
});
export type Enrolment = z.infer<typeof Enrolment>;

/** Enrolling is idempotent: the same role again changes nothing; another role replaces it. */
export const Enrol = z.strictObject({ role: CohortRole });
export type Enrol = z.infer<typeof Enrol>;

/** One row of an enrolment import. */
export const EnrolmentRow = z.strictObject({
  email: z.string().check(z.maxLength(320)),
  role: z.string().check(z.maxLength(40)),
});
export type EnrolmentRow = z.infer<typeof EnrolmentRow>;

/**
 * An enrolment import: CSV text (a header row naming at least `email` and `role`; other columns
 * are ignored) or rows already parsed, one of the two. Rows are matched to people by email,
 * case-insensitively.
 */
export const CreateEnrolmentImport = z.strictObject({
  /** CSV text, up to the server's body limit (256 KiB by default, about 6,000 rows). */
  csv: z.optional(z.string().check(z.minLength(1))),
  /** Rows already parsed, up to 10,000. */
  rows: z.optional(z.array(EnrolmentRow).check(z.minLength(1), z.maxLength(10000))),
  /** Report what would happen without enrolling anyone. */
  dryRun: z.optional(z.boolean()),
}).check(z.refine((b) => (b.csv === undefined) !== (b.rows === undefined), { message: 'Send either csv or rows (one of them).', path: ['csv'] }));
export type CreateEnrolmentImport = z.infer<typeof CreateEnrolmentImport>;

/** Why an import row was not applied. */
export const IMPORT_REJECTIONS = ['unknown_email', 'bad_role', 'duplicate', 'inactive_person', 'missing_email', 'malformed_row'] as const;
export const ImportRejection = z.enum(IMPORT_REJECTIONS);

export const RejectedRow = z.object({
  /**
   * The row's number as a spreadsheet shows it: the CSV header is row 1, so the first person is
   * row 2; for JSON rows, the 1-based position in `rows`.
   */
  row: z.int(),
  email: z.nullable(z.string()),
  code: ImportRejection,
  message: z.string(),
});
export type RejectedRow = z.infer<typeof RejectedRow>;

export const IMPORT_STATUSES = ['queued', 'running', 'completed', 'failed'] as const;

/**
 * An enrolment import job. The import answers at once (202) and runs in batches; poll
 * `getEnrolmentImport` for `processedRows` of `totalRows` to draw progress. A dry run runs the
 * same checks and reports what would happen, enrolling no one.
 */
export const EnrolmentImport = z.object({
  id: EnrolmentImportId,
  cohortId: CohortId,
  dryRun: z.boolean(),
  status: z.enum(IMPORT_STATUSES),
  /** Data rows found (the header is not counted). */
  totalRows: z.int(),
  processedRows: z.int(),
  /** Rows that enrol someone new (or would, in a dry run). */
  enrolled: z.int(),
  /** Rows that change someone's role in the cohort. */
  roleChanged: z.int(),
  /** Rows already true: same person, same role. */
  unchanged: z.int(),
  /** Rejected rows with their row number and why, in row order. */
  rejected: z.array(RejectedRow),
  /** Why the whole import failed (`failed` only), e.g. CSV without an `email` column. */
  error: z.nullable(z.string()),
  createdAt: Timestamp,
  finishedAt: z.nullable(Timestamp),
});
export type EnrolmentImport = z.infer<typeof EnrolmentImport>;

/** A SCIM group mapped to a role in a cohort: its members are enrolled, and unenrolled when they leave. */
export const CohortGroupLink = z.object({
  cohortId: CohortId,
  groupId: ScimGroupId,
  groupName: z.string(),
  role: CohortRole,
  /** Members enrolled through this link now. */
  memberCount: z.int(),
  createdAt: Timestamp,
});
export type CohortGroupLink = z.infer<typeof CohortGroupLink>;

export const LinkCohortGroup = z.strictObject({ role: CohortRole });
export type LinkCohortGroup = z.infer<typeof LinkCohortGroup>;

/** Opening a pair's room in a cohort: both must be enrolled with these roles. */
export const CreateCohortRoom = z.strictObject({
  mentorId: PersonId,
  menteeId: PersonId,
  /** By default "<mentee> · <cohort>". */
  title: z.optional(text(120)),
  purpose: z.optional(longText(2000)),
});
export type CreateCohortRoom = z.infer<typeof CreateCohortRoom>;

/** Where a roadmap came from and whether its template moved on since. */
export const TemplateOrigin = z.object({
  roadmapId: RoadmapId,
  cohortId: CohortId,
  templateId: RoadmapTemplateId,
  templateName: z.string(),
  /** The template version the roadmap follows (the one it started from or last adopted). */
  version: z.int(),
  latestVersion: z.int(),
  /** The latest version is newer and this room has not decided about it yet. */
  updateAvailable: z.boolean(),
  /** Why the latest version was made. */
  latestNote: z.string(),
  /**
   * What adopting the latest version would change in the roadmap: milestones added, changed or
   * removed (a removed milestone that is done or has evidence is kept). Empty when up to date.
   */
  pendingChanges: z.array(FieldChange),
  /** The room's last decision about a newer version, or null. */
  lastDecision: z.nullable(z.object({
    version: z.int(),
    decision: z.enum(['adopted', 'declined']),
    reason: z.string(),
    decidedBy: Person,
    decidedAt: Timestamp,
  })),
});
export type TemplateOrigin = z.infer<typeof TemplateOrigin>;

/** A room in a cohort, with its roadmap's template state. */
export const CohortRoom = z.object({
  cohortId: CohortId,
  room: Room,
  /** Null when the cohort had no template when the room was opened. */
  template: z.nullable(TemplateOrigin),
});
export type CohortRoom = z.infer<typeof CohortRoom>;

/**
 * A room's decision about a newer template version. `adopt` applies the pending changes as one
 * roadmap revision carrying `reason`; `decline` changes nothing and stops offering that version.
 */
export const DecideTemplateUpdate = z.strictObject({
  /** The version decided about (the current `latestVersion`; a stale one answers 409). */
  version: z.int().check(z.minimum(2)),
  decision: z.enum(['adopt', 'decline']),
  reason: Reason,
  /** The roadmap `version` the decision was based on, as for any roadmap change. */
  baseVersion: z.optional(z.int().check(z.minimum(1))),
});
export type DecideTemplateUpdate = z.infer<typeof DecideTemplateUpdate>;

export const ProgramParams = z.strictObject({ programId: ProgramId });
export const CohortParams = z.strictObject({ cohortId: CohortId });
export const TemplateParams = z.strictObject({ templateId: RoadmapTemplateId });
export const EnrolmentParams = z.strictObject({ cohortId: CohortId, personId: PersonId });
export const ImportParams = z.strictObject({ importId: EnrolmentImportId });
export const GroupLinkParams = z.strictObject({ cohortId: CohortId, groupId: ScimGroupId });
export const RoadmapOriginParams = z.strictObject({ roadmapId: RoadmapId });
export const ListEnrolmentsQuery = pageQuery({ role: z.optional(CohortRole) });

const tag = 'Programs';
const admin = { scopes: ['org:admin'] } as const;

export const listPrograms = defineOperation({
  id: 'listPrograms', method: 'GET', path: '/v1/programs', tag, ...admin,
  description: 'Every program of the caller\'s organization, active and archived. Organization admins only: an API key with org:admin, or an admin\'s token carrying it (the admin console).',
  summary: "The organization's programs, newest first.", query: pageQuery({}), response: page(Program),
});
export const createProgram = defineOperation({
  id: 'createProgram', method: 'POST', path: '/v1/programs', tag, ...admin,
  description: 'Creates a program, the frame for cohorts and roadmap templates. It starts active.',
  summary: 'Start a program.', body: CreateProgram, response: Program,
});
export const getProgram = defineOperation({
  id: 'getProgram', method: 'GET', path: '/v1/programs/{programId}', tag, ...admin,
  description: 'One program by id; a program of another organization is not found.',
  summary: 'One program.', params: ProgramParams, response: Program,
});
export const updateProgram = defineOperation({
  id: 'updateProgram', method: 'PATCH', path: '/v1/programs/{programId}', tag, ...admin,
  description: 'Renames or describes a program, or archives it (its cohorts then take no new rooms, enrolments or imports) and reopens it.',
  summary: 'Rename, describe, archive or reopen a program.', params: ProgramParams, body: UpdateProgram, response: Program,
});
export const deleteProgram = defineOperation({
  id: 'deleteProgram', method: 'DELETE', path: '/v1/programs/{programId}', tag, ...admin,
  description: 'Deletes a program and its templates when it has no cohorts; otherwise answers 409, and archiving is the way to retire it.',
  summary: 'Delete a program that has no cohorts (archive it otherwise).', params: ProgramParams, status: 204,
});
export const listRoadmapTemplates = defineOperation({
  id: 'listRoadmapTemplates', method: 'GET', path: '/v1/programs/{programId}/roadmap-templates', tag, ...admin,
  description: 'A program\'s roadmap templates at their latest versions.',
  summary: "A program's roadmap templates, newest first.", params: ProgramParams, query: pageQuery({}), response: page(RoadmapTemplate),
});
export const createRoadmapTemplate = defineOperation({
  id: 'createRoadmapTemplate', method: 'POST', path: '/v1/programs/{programId}/roadmap-templates', tag, ...admin,
  description: 'Writes a template as version 1: a goal, a horizon and milestones placed by day offsets from a cohort\'s start, with required skills and expected outcomes. Each milestone gets a stable id kept across versions.',
  summary: 'Write a roadmap template (version 1).', params: ProgramParams, body: CreateRoadmapTemplate, response: RoadmapTemplate,
});
export const getRoadmapTemplate = defineOperation({
  id: 'getRoadmapTemplate', method: 'GET', path: '/v1/roadmap-templates/{templateId}', tag, ...admin,
  description: 'For administrators: a template at its latest version, with its milestones placed by day offsets from a cohort\'s start.',
  summary: 'One template at its latest version.', params: TemplateParams, response: RoadmapTemplate,
});
export const updateRoadmapTemplate = defineOperation({
  id: 'updateRoadmapTemplate', method: 'PATCH', path: '/v1/roadmap-templates/{templateId}', tag, ...admin,
  description: 'Changes a template with a note saying why. A new goal, horizon or milestone list makes a new version; a rename alone does not. Running roadmaps never change here: their rooms see the new version and decide.',
  summary: 'Change a template: a new version, offered to running rooms, never forced on them.',
  params: TemplateParams, body: UpdateRoadmapTemplate, response: RoadmapTemplate,
});
export const deleteRoadmapTemplate = defineOperation({
  id: 'deleteRoadmapTemplate', method: 'DELETE', path: '/v1/roadmap-templates/{templateId}', tag, ...admin,
  description: 'Deletes a template that no cohort uses and no roadmap came from; otherwise 409, so the history of running roadmaps keeps its versions.',
  summary: 'Delete a template no cohort or roadmap uses.', params: TemplateParams, status: 204,
});
export const listRoadmapTemplateVersions = defineOperation({
  id: 'listRoadmapTemplateVersions', method: 'GET', path: '/v1/roadmap-templates/{templateId}/versions', tag, ...admin,
  description: 'Every published version of a template with its note, newest first: what rooms deciding about an update read.',
  summary: "Every version of a template with its note, newest first.", params: TemplateParams, query: pageQuery({}), response: page(RoadmapTemplateVersion),
});
export const listCohorts = defineOperation({
  id: 'listCohorts', method: 'GET', path: '/v1/programs/{programId}/cohorts', tag, ...admin,
  description: 'A program\'s cohorts with their mentor, mentee and room counts, latest start first.',
  summary: "A program's cohorts, latest start first.", params: ProgramParams, query: pageQuery({}), response: page(Cohort),
});
export const createCohort = defineOperation({
  id: 'createCohort', method: 'POST', path: '/v1/programs/{programId}/cohorts', tag, ...admin,
  description: 'Creates a cohort with its dates and, optionally, the template of the program that rooms opened in it start from.',
  summary: 'Start a cohort, optionally with the roadmap template its rooms start from.', params: ProgramParams, body: CreateCohort, response: Cohort,
});
export const getCohort = defineOperation({
  id: 'getCohort', method: 'GET', path: '/v1/cohorts/{cohortId}', tag,
  description: 'One cohort. Organization admins read any cohort; a person enrolled in it reads it too (not through a token limited to rooms). Anyone else gets 404.',
  summary: 'One cohort (admins, and the people enrolled in it).', params: CohortParams, response: Cohort,
});
export const updateCohort = defineOperation({
  id: 'updateCohort', method: 'PATCH', path: '/v1/cohorts/{cohortId}', tag, ...admin,
  description: 'Changes a cohort\'s name, dates or template. Rooms already opened keep their roadmaps; only rooms opened afterwards use a new template.',
  summary: "Change a cohort's name, dates or template (new rooms only).", params: CohortParams, body: UpdateCohort, response: Cohort,
});
export const deleteCohort = defineOperation({
  id: 'deleteCohort', method: 'DELETE', path: '/v1/cohorts/{cohortId}', tag, ...admin,
  description: 'Deletes a cohort without rooms, with its enrolments, group links and imports; a cohort with rooms answers 409.',
  summary: 'Delete a cohort that has no rooms; its enrolments go with it.', params: CohortParams, status: 204,
});
export const listEnrolments = defineOperation({
  id: 'listEnrolments', method: 'GET', path: '/v1/cohorts/{cohortId}/enrolments', tag, ...admin,
  description: 'The people enrolled in a cohort with their role and how they were enrolled (API, import or SCIM group), in enrolment order.',
  summary: 'People enrolled in a cohort, by enrolment time.', params: CohortParams, query: ListEnrolmentsQuery, response: page(Enrolment),
});
export const enrol = defineOperation({
  id: 'enrol', method: 'PUT', path: '/v1/cohorts/{cohortId}/enrolments/{personId}', tag, ...admin,
  description: 'Enrols a person of the organization as mentor or mentee. Idempotent: the same role again changes nothing; another role replaces the current one.',
  summary: 'Enrol a person as mentor or mentee (idempotent).', params: EnrolmentParams, body: Enrol, status: 200, response: Enrolment,
});
export const unenrol = defineOperation({
  id: 'unenrol', method: 'DELETE', path: '/v1/cohorts/{cohortId}/enrolments/{personId}', tag, ...admin,
  description: 'Unenrols a person. Idempotent: someone not enrolled answers 204 too. Rooms already opened stay.',
  summary: 'Unenrol a person (idempotent); their rooms stay.', params: EnrolmentParams, status: 204,
});
export const createEnrolmentImport = defineOperation({
  id: 'createEnrolmentImport', method: 'POST', path: '/v1/cohorts/{cohortId}/enrolment-imports', tag, ...admin,
  description: 'Enrols people from CSV text (a header naming email and role) or JSON rows, matched by email. Answers 202 with a job at once; poll getEnrolmentImport for progress and for the rejected rows with their numbers and reasons. With dryRun nothing is enrolled: the job reports what would happen.',
  summary: 'Enrol people from CSV text or rows, or dry-run it: a job whose progress you poll.',
  params: CohortParams, body: CreateEnrolmentImport, status: 202, response: EnrolmentImport,
});
export const getEnrolmentImport = defineOperation({
  id: 'getEnrolmentImport', method: 'GET', path: '/v1/enrolment-imports/{importId}', tag, ...admin,
  description: 'An import job: its status, rows processed of the total (for a progress bar), the counts of enrolled, role changes and unchanged rows, and each rejected row with why.',
  summary: "An import's progress and its report of rejected rows.", params: ImportParams, response: EnrolmentImport,
});
export const listCohortGroupLinks = defineOperation({
  id: 'listCohortGroupLinks', method: 'GET', path: '/v1/cohorts/{cohortId}/scim-groups', tag, ...admin,
  description: 'The SCIM groups mapped to roles in a cohort, with how many people each enrolled.',
  summary: 'SCIM groups mapped to roles in a cohort.', params: CohortParams, query: pageQuery({}), response: page(CohortGroupLink),
});
export const linkCohortGroup = defineOperation({
  id: 'linkCohortGroup', method: 'PUT', path: '/v1/cohorts/{cohortId}/scim-groups/{groupId}', tag, ...admin,
  description: 'Maps a SCIM group (pushed by the identity provider) to a cohort role: its members are enrolled now, members who join later are enrolled, and members who leave are unenrolled. People enrolled otherwise are left as they are.',
  summary: "Map a SCIM group to a cohort role: its members are enrolled, and unenrolled when they leave.",
  params: GroupLinkParams, body: LinkCohortGroup, status: 200, response: CohortGroupLink,
});
export const unlinkCohortGroup = defineOperation({
  id: 'unlinkCohortGroup', method: 'DELETE', path: '/v1/cohorts/{cohortId}/scim-groups/{groupId}', tag, ...admin,
  description: 'Stops following a SCIM group; the people it enrolled are unenrolled.',
  summary: "Stop following a SCIM group; the members it enrolled are unenrolled.", params: GroupLinkParams, status: 204,
});
export const listCohortRooms = defineOperation({
  id: 'listCohortRooms', method: 'GET', path: '/v1/cohorts/{cohortId}/rooms', tag, ...admin,
  description: 'A cohort\'s rooms, each with the template version its roadmap follows and whether a newer one is waiting for the room\'s decision.',
  summary: "A cohort's rooms with their roadmaps' template state, newest first.", params: CohortParams, query: pageQuery({}), response: page(CohortRoom),
});
export const createCohortRoom = defineOperation({
  id: 'createCohortRoom', method: 'POST', path: '/v1/cohorts/{cohortId}/rooms', tag, ...admin,
  description: 'Opens a room for a mentor and a mentee enrolled in the cohort with those roles. When the cohort has a template, the mentee\'s roadmap starts from its latest version, due dates being the cohort\'s start plus each offset.',
  summary: "Open an enrolled pair's room; its roadmap starts from the cohort's template.",
  params: CohortParams, body: CreateCohortRoom, response: CohortRoom,
});
export const getRoadmapTemplateOrigin = defineOperation({
  id: 'getRoadmapTemplateOrigin', method: 'GET', path: '/v1/roadmaps/{roadmapId}/template', tag, scopes: ['roadmaps:read'],
  description: 'For a roadmap that came from a cohort\'s template: the version it follows, the latest version and its note, and what adopting it would change. Readable by whoever reads the room.',
  summary: "The template a roadmap came from, and what a newer version would change (the room's members).",
  params: RoadmapOriginParams, response: TemplateOrigin,
});
export const decideRoadmapTemplateUpdate = defineOperation({
  id: 'decideRoadmapTemplateUpdate', method: 'POST', path: '/v1/roadmaps/{roadmapId}/template/decisions', tag, scopes: ['roadmaps:write'],
  description: 'The room\'s decision about the template\'s latest version, with a reason. Adopting applies what the template changed since the followed version as one roadmap revision (kind template_adopted) carrying the reason; the room\'s own edits stay, and milestones done or with evidence are kept. Declining changes nothing and stops offering that version.',
  summary: 'Adopt or decline a newer template version, with a reason (the roadmap\'s editors).',
  params: RoadmapOriginParams, body: DecideTemplateUpdate, status: 200, response: TemplateOrigin,
});
