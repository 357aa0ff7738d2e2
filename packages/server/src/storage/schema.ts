/**
 * The typed shape of the database, for Kysely. Column names are snake_case; arrays are stored as
 * JSON text and booleans as 0/1 integers, so the same rows fit SQLite and PostgreSQL without
 * dialect-specific types.
 * @module
 */
import type { Generated } from 'kysely';

/** An organization (tenant). */
export interface OrganizationsTable {
  id: string;
  name: string;
  created_at: string;
  /** 1 when admins may read room content (each read audited); 0 by default. */
  admin_content_access: Generated<number>;
}

/** `audit_log`: admin reads of room content and changes of the privacy setting. */
export interface AuditLogTable {
  id: string;
  org_id: string;
  at: string;
  /** `content.read` or `setting.changed`. */
  action: string;
  /** `person` (a token's person) or `key` (an API key). */
  actor_kind: string;
  actor_person_id: string | null;
  actor_key_id: string | null;
  room_id: string | null;
  /** What was read (`messages`, `notes`…) or changed (`adminContentAccess`). */
  resource: string;
  /** `METHOD /path/{template}`. */
  endpoint: string;
  request_id: string;
  /** JSON `{ setting, from, to }` for a setting change. */
  change: string | null;
}

/** One allowed embedding origin of an organization; a table (not JSON) so preflights can look origins up by index. */
export interface AllowedOriginsTable {
  org_id: string;
  origin: string;
  position: number;
}

/** A person of an organization. */
export interface PeopleTable {
  id: string;
  org_id: string;
  external_id: string | null;
  display_name: string;
  /** Lowercased display name and email, for case-insensitive search that works the same on every dialect. */
  search_text: string;
  email: string | null;
  title: string | null;
  /** JSON array of skill slugs. */
  skills: string;
  avatar_url: string | null;
  /** JSON array of organization roles. */
  roles: string;
  active: number;
  created_at: string;
  updated_at: string;
}

/** A secret API key, stored as a SHA-256 hash of its secret. */
export interface ApiKeysTable {
  id: string;
  org_id: string;
  name: string;
  prefix: string;
  secret_hash: string;
  /** JSON array of scopes. */
  scopes: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** A single-use embed-session client secret, stored hashed. */
export interface EmbedSessionsTable {
  secret_hash: string;
  org_id: string;
  person_id: string;
  scopes: string;
  /** JSON array of room ids, or null when the session is not limited to rooms. */
  room_ids: string | null;
  components: string;
  expires_at: string;
  used_at: string | null;
  created_at: string;
  /** The API key that minted it (revoked with it); null when minted without one, or before this was recorded. */
  api_key_id: string | null;
}

/** A short-lived access token, stored hashed. */
export interface AccessTokensTable {
  token_hash: string;
  /** A public id for rate limiting and idempotency scoping (never the secret). */
  id: string;
  org_id: string;
  person_id: string;
  scopes: string;
  room_ids: string | null;
  components: string;
  expires_at: string;
  created_at: string;
  /** The API key whose client secret it was exchanged for (revoked with it); null when unknown. */
  api_key_id: string | null;
}

/** A mentorship room. */
export interface RoomsTable {
  id: string;
  org_id: string;
  title: string;
  purpose: string;
  status: string;
  roadmap_id: string | null;
  created_at: string;
  updated_at: string;
}

/** A room membership with its role. */
export interface RoomMembersTable {
  room_id: string;
  person_id: string;
  org_id: string;
  role: string;
  joined_at: string;
}

/** A message of a room's conversation. */
export interface MessagesTable {
  id: string;
  org_id: string;
  room_id: string;
  author_id: string;
  body: string;
  created_at: string;
}

/** A session note. */
export interface NotesTable {
  id: string;
  org_id: string;
  room_id: string;
  author_id: string;
  session_date: string;
  summary: string;
  created_at: string;
  updated_at: string;
}

/** An action item of a session note. */
export interface ActionItemsTable {
  id: string;
  org_id: string;
  note_id: string;
  text: string;
  owner_id: string | null;
  due_date: string | null;
  done: number;
  done_at: string | null;
}

/** A resource shared in a room. */
export interface ResourcesTable {
  id: string;
  org_id: string;
  room_id: string;
  title: string;
  url: string;
  note: string;
  added_by: string;
  created_at: string;
}

/** A roadmap. */
export interface RoadmapsTable {
  id: string;
  org_id: string;
  room_id: string;
  owner_id: string;
  title: string;
  goal: string;
  start_date: string;
  horizon_days: number;
  version: number;
  created_at: string;
  updated_at: string;
}

/** A milestone of a roadmap. */
export interface MilestonesTable {
  id: string;
  org_id: string;
  roadmap_id: string;
  title: string;
  description: string;
  due_date: string;
  required_skills: string;
  expected_outcome: string;
  status: string;
  /**
   * Unread since migration 005: evidence is each post's `milestone_id`. Kept (written as `[]`
   * for new milestones) so that the links stored before then are not lost.
   */
  evidence_post_ids: string;
  status_changed_at: string;
  completed_at: string | null;
  created_at: string;
  updated_at: string;
}

/** A roadmap revision. */
export interface RevisionsTable {
  id: string;
  org_id: string;
  roadmap_id: string;
  version: number;
  kind: string;
  author_id: string;
  reason: string;
  /** JSON array of field changes. */
  changes: string;
  created_at: string;
}

/** A growth thread. */
export interface ThreadsTable {
  id: string;
  org_id: string;
  author_id: string;
  title: string;
  skills: string;
  room_id: string | null;
  post_count: number;
  last_post_at: string | null;
  created_at: string;
}

/** One skill of a thread, so feeds filter by skill through an index rather than JSON scans. */
export interface ThreadSkillsTable {
  org_id: string;
  skill: string;
  thread_id: string;
}

/** A post of a growth thread. */
export interface PostsTable {
  id: string;
  org_id: string;
  thread_id: string;
  author_id: string;
  body: string;
  audience: string;
  room_id: string | null;
  milestone_id: string | null;
  comment_count: number;
  created_at: string;
  updated_at: string;
}

/** A comment on a post. */
export interface CommentsTable {
  id: string;
  org_id: string;
  post_id: string;
  author_id: string;
  body: string;
  created_at: string;
}

/** A reaction: at most one per post, person and kind. */
export interface ReactionsTable {
  post_id: string;
  person_id: string;
  kind: string;
  created_at: string;
}

/** Reactions per post and kind (migration 009), kept with each reaction's insert and delete. */
export interface ReactionCountsTable {
  post_id: string;
  kind: string;
  count: number;
}

/** A check-in. */
export interface CheckInsTable {
  id: string;
  org_id: string;
  room_id: string;
  author_id: string;
  progress: string;
  blockers: string;
  confidence: number;
  created_at: string;
}

/** Feedback on guidance. */
export interface FeedbackTable {
  id: string;
  org_id: string;
  room_id: string;
  author_id: string;
  direction: string;
  subject: string;
  subject_id: string | null;
  rating: number;
  comment: string;
  created_at: string;
}

/** A request for feedback from one member of a room to another. */
export interface FeedbackRequestsTable {
  id: string;
  org_id: string;
  room_id: string;
  requester_id: string;
  recipient_id: string;
  subject: string;
  subject_id: string | null;
  message: string;
  /** The feedback that answered it. */
  answered_by: string | null;
  answered_at: string | null;
  created_at: string;
}

/** A mentor's learning. */
export interface LearningsTable {
  id: string;
  org_id: string;
  room_id: string;
  author_id: string;
  body: string;
  skills: string;
  created_at: string;
}

/** A live event; the increasing integer id is the SSE event id. */
export interface EventsTable {
  id: Generated<number>;
  org_id: string;
  room_id: string | null;
  thread_id: string | null;
  /** For post and comment events: the post's audience, so streams filter without joins. */
  audience: string | null;
  /** The one person an event is addressed to (`me` topic), else null. */
  person_id: string | null;
  type: string;
  /** The JSON `LiveEvent` without its id. */
  data: string;
  occurred_at: string;
}

/** A stored idempotent response. */
export interface IdempotencyTable {
  principal: string;
  key: string;
  request_hash: string;
  /** Null while the first request is still running. */
  status: number | null;
  /** The stored answer; always null when `withheld` is 1. */
  body: string | null;
  /**
   * 1 when the answer carried a secret (API key, client secret, access token, SCIM token,
   * install link): its body is never stored, and a repeat of the request answers 409.
   */
  withheld: number;
  created_at: string;
}

/**
 * HR attributes of a person that the contract's `Person` does not carry (SCIM's enterprise
 * extension). A side table rather than columns on `people`, so the row every request reads to
 * authenticate stays as it is, and people without HR data cost nothing.
 */
export interface PersonEnterpriseTable {
  person_id: string;
  org_id: string;
  department: string | null;
  employee_number: string | null;
  /** The manager's person id (a person of the same organization). */
  manager_person_id: string | null;
  updated_at: string;
}

/**
 * A group an identity provider pushed (SCIM `Groups`). Provisioning data only: the contract has
 * no group concept, so groups grant nothing; they are kept so admins and later features (room
 * templates per team, reporting by department) can use them.
 */
export interface PeopleGroupsTable {
  /** The SCIM group id (`scimg_…`), so updates find the same row. */
  id: string;
  org_id: string;
  external_id: string | null;
  display_name: string;
  /** Who maintains the group: `scim`. */
  source: string;
  created_at: string;
  updated_at: string;
}

/** Membership of a person in a provisioned group. */
export interface PeopleGroupMembersTable {
  group_id: string;
  person_id: string;
  org_id: string;
}

/** When a course roster was last synced automatically (one row per course context). */
export interface IntegrationRosterSyncsTable {
  registration_id: string;
  deployment_id: string;
  context_id: string;
  org_id: string;
  room_id: string;
  /** When the last automatic sync started; the window is measured from it. */
  started_at: string;
  finished_at: string | null;
  /** `ok` or `failed`; null while running. */
  outcome: 'ok' | 'failed' | null;
  /** JSON: the sync's counts, or the failure for the admin. */
  detail: string | null;
}

/** The last score posted to a course's gradebook for one mentee's roadmap. */
export interface IntegrationScorePostsTable {
  registration_id: string;
  deployment_id: string;
  context_id: string;
  roadmap_id: string;
  person_id: string;
  org_id: string;
  /** `posted`: the gradebook has `posted_*`; `failed`: the last attempt failed (retried later); `not_posted`: the mentee has no account in this LMS yet. */
  status: 'posted' | 'failed' | 'not_posted';
  /** Milestones done / all at the last successful post; null before the first. */
  posted_completed: number | null;
  posted_total: number | null;
  posted_at: string | null;
  /** Failed attempts since the last success. */
  attempts: number;
  /** JSON: what failed, for the admin. */
  last_error: string | null;
  updated_at: string;
}

/** A mentorship program. */
export interface ProgramsTable {
  id: string;
  org_id: string;
  name: string;
  description: string;
  /** `active` or `archived`. */
  status: string;
  created_at: string;
  updated_at: string;
}

/** A roadmap template; its content is in `roadmap_template_versions`. */
export interface RoadmapTemplatesTable {
  id: string;
  org_id: string;
  program_id: string;
  name: string;
  /** The latest version. */
  version: number;
  created_at: string;
  updated_at: string;
}

/** One published version of a template; never changed once written. */
export interface RoadmapTemplateVersionsTable {
  template_id: string;
  version: number;
  org_id: string;
  name: string;
  goal: string;
  horizon_days: number;
  /** JSON array of the contract's `TemplateMilestone`. */
  milestones: string;
  note: string;
  created_at: string;
}

/** A cohort of a program. */
export interface CohortsTable {
  id: string;
  org_id: string;
  program_id: string;
  name: string;
  start_date: string;
  end_date: string;
  template_id: string | null;
  created_at: string;
  updated_at: string;
}

/** A person enrolled in a cohort with one role. */
export interface CohortEnrolmentsTable {
  cohort_id: string;
  person_id: string;
  org_id: string;
  /** `mentor` or `mentee`. */
  role: string;
  /** `api`, `import` or `scim`. */
  source: string;
  /** The SCIM group that enrolled the person (`scim` only): leaving it unenrols them. */
  group_id: string | null;
  enrolled_at: string;
}

/** A SCIM group mapped to a role in a cohort. */
export interface CohortGroupLinksTable {
  cohort_id: string;
  group_id: string;
  org_id: string;
  role: string;
  created_at: string;
}

/** An enrolment import job. */
export interface EnrolmentImportsTable {
  id: string;
  org_id: string;
  cohort_id: string;
  dry_run: number;
  /** `queued`, `running`, `completed` or `failed`. */
  status: string;
  /** JSON array of `{ row, email, role }` to process; emptied (`[]`) once finished. */
  rows: string;
  total_rows: number;
  processed_rows: number;
  enrolled: number;
  role_changed: number;
  unchanged: number;
  /** JSON array of the contract's `RejectedRow`. */
  rejected: string;
  error: string | null;
  created_at: string;
  finished_at: string | null;
}

/** A room opened in a cohort, and the template version its roadmap follows. */
export interface CohortRoomsTable {
  room_id: string;
  cohort_id: string;
  org_id: string;
  mentor_id: string;
  mentee_id: string;
  roadmap_id: string | null;
  template_id: string | null;
  /** The version the roadmap started from or last adopted. */
  template_version: number | null;
  created_at: string;
}

/** Which template milestone a roadmap milestone came from, so adopting a version updates it in place. */
export interface TemplateMilestoneLinksTable {
  milestone_id: string;
  roadmap_id: string;
  template_milestone_id: string;
  org_id: string;
}

/** A room's decision about a newer template version. */
export interface TemplateDecisionsTable {
  id: string;
  org_id: string;
  roadmap_id: string;
  template_id: string;
  version: number;
  /** `adopted` or `declined`. */
  decision: string;
  reason: string;
  author_id: string;
  created_at: string;
}

/** Every table of the server. Other packages extend it with their own tables. */
export interface Database {
  organizations: OrganizationsTable;
  audit_log: AuditLogTable;
  allowed_origins: AllowedOriginsTable;
  people: PeopleTable;
  api_keys: ApiKeysTable;
  embed_sessions: EmbedSessionsTable;
  access_tokens: AccessTokensTable;
  rooms: RoomsTable;
  room_members: RoomMembersTable;
  messages: MessagesTable;
  notes: NotesTable;
  action_items: ActionItemsTable;
  resources: ResourcesTable;
  roadmaps: RoadmapsTable;
  milestones: MilestonesTable;
  revisions: RevisionsTable;
  threads: ThreadsTable;
  thread_skills: ThreadSkillsTable;
  posts: PostsTable;
  comments: CommentsTable;
  reactions: ReactionsTable;
  reaction_counts: ReactionCountsTable;
  check_ins: CheckInsTable;
  feedback: FeedbackTable;
  feedback_requests: FeedbackRequestsTable;
  learnings: LearningsTable;
  events: EventsTable;
  idempotency: IdempotencyTable;
  person_enterprise: PersonEnterpriseTable;
  people_groups: PeopleGroupsTable;
  people_group_members: PeopleGroupMembersTable;
  integration_roster_syncs: IntegrationRosterSyncsTable;
  integration_score_posts: IntegrationScorePostsTable;
  programs: ProgramsTable;
  roadmap_templates: RoadmapTemplatesTable;
  roadmap_template_versions: RoadmapTemplateVersionsTable;
  cohorts: CohortsTable;
  cohort_enrolments: CohortEnrolmentsTable;
  cohort_group_links: CohortGroupLinksTable;
  enrolment_imports: EnrolmentImportsTable;
  cohort_rooms: CohortRoomsTable;
  template_milestone_links: TemplateMilestoneLinksTable;
  template_decisions: TemplateDecisionsTable;
}
