/**
 * Roadmaps: a plan over a horizon (90 days by default) of milestones. Every change is kept as a
 * revision with its author and reason, so adjustments are visible and accountable.
 * @module
 */
import * as z from 'zod/mini';
import { DateOnly, Skills, Timestamp, longText, page, pageQuery, text } from './common.js';
import { MilestoneId, PostId, RevisionId, RoadmapId, RoomId } from './ids.js';
import { defineOperation } from './operation.js';
import { Person, PersonId } from './people.js';

export const MILESTONE_STATUSES = ['planned', 'in_progress', 'done', 'blocked'] as const;
export const MilestoneStatus = z.enum(MILESTONE_STATUSES);
export type MilestoneStatus = z.infer<typeof MilestoneStatus>;

export const Milestone = z.object({
  id: MilestoneId,
  roadmapId: RoadmapId,
  title: z.string(),
  description: z.string(),
  dueDate: DateOnly,
  requiredSkills: z.array(z.string()),
  expectedOutcome: z.string(),
  status: MilestoneStatus,
  /**
   * Posts that are evidence for this milestone, oldest first. Derived from each post's
   * `milestoneId` (the one stored link): a post created with `milestoneId` appears here, a deleted
   * post disappears. Ids only: a post's content stays behind its own audience.
   */
  evidencePostIds: z.array(PostId),
  /** `evidencePostIds.length`, for "Evidence: N posts". */
  evidenceCount: z.int(),
  /** When the status last changed: a milestone in progress for long without change is stalled. */
  statusChangedAt: Timestamp,
  completedAt: z.nullable(Timestamp),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Milestone = z.infer<typeof Milestone>;

export const Roadmap = z.object({
  id: RoadmapId,
  roomId: RoomId,
  /** The mentee whose plan it is. */
  owner: Person,
  title: z.string(),
  goal: z.string(),
  startDate: DateOnly,
  horizonDays: z.int(),
  /** Milestones by due date. */
  milestones: z.array(Milestone),
  /** Incremented by every change; send it back as `baseVersion` to detect concurrent edits. */
  version: z.int(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Roadmap = z.infer<typeof Roadmap>;

/** Why a change was made: required for every change after creation. */
export const Reason = text(500);

/** Concurrency guard: the `version` the change was based on; a stale one answers 409 `conflict`. */
const baseVersion = z.optional(z.int().check(z.minimum(1)));

export const NewMilestone = z.strictObject({
  title: text(200),
  description: z.optional(longText(4000)),
  dueDate: DateOnly,
  requiredSkills: z.optional(Skills),
  expectedOutcome: z.optional(longText(2000)),
  status: z.optional(MilestoneStatus),
});
export type NewMilestone = z.infer<typeof NewMilestone>;

export const CreateRoadmap = z.strictObject({
  roomId: RoomId,
  /** A mentee of the room; by default the room's first mentee. */
  ownerId: z.optional(PersonId),
  title: text(200),
  goal: z.optional(longText(2000)),
  startDate: DateOnly,
  /** 7–365 days, 90 by default. */
  horizonDays: z.optional(z.int().check(z.minimum(7), z.maximum(365))),
  milestones: z.optional(z.array(NewMilestone).check(z.maxLength(50))),
});
export type CreateRoadmap = z.infer<typeof CreateRoadmap>;

export const UpdateRoadmap = z.strictObject({
  reason: Reason,
  baseVersion,
  title: z.optional(text(200)),
  goal: z.optional(longText(2000)),
  startDate: z.optional(DateOnly),
  horizonDays: z.optional(z.int().check(z.minimum(7), z.maximum(365))),
});
export type UpdateRoadmap = z.infer<typeof UpdateRoadmap>;

export const AddMilestone = z.strictObject({ reason: Reason, baseVersion, milestone: NewMilestone });
export type AddMilestone = z.infer<typeof AddMilestone>;

export const UpdateMilestone = z.strictObject({
  reason: Reason,
  baseVersion,
  title: z.optional(text(200)),
  description: z.optional(longText(4000)),
  dueDate: z.optional(DateOnly),
  requiredSkills: z.optional(Skills),
  expectedOutcome: z.optional(longText(2000)),
  status: z.optional(MilestoneStatus),
  /**
   * The posts that are evidence for this milestone, replacing the current set: each listed post
   * gets this `milestoneId`, and posts no longer listed lose it (their authors' posts stay).
   * The post must be readable by the editor.
   */
  evidencePostIds: z.optional(z.array(PostId).check(z.maxLength(50))),
});
export type UpdateMilestone = z.infer<typeof UpdateMilestone>;

/**
 * Dropping a milestone: the reason is kept in a `milestone_removed` revision with the milestone's
 * title, due date and evidence before removal; its evidence posts stay and lose the link.
 */
export const RemoveMilestone = z.strictObject({ reason: Reason, baseVersion });
export type RemoveMilestone = z.infer<typeof RemoveMilestone>;

/** A value before or after a change. */
export const ChangeValue = z.nullable(z.union([z.string(), z.number(), z.array(z.string())]));

export const FieldChange = z.object({
  /** The milestone changed, or `null` for the roadmap itself. */
  milestoneId: z.nullable(MilestoneId),
  field: z.string(),
  from: ChangeValue,
  to: ChangeValue,
});
export type FieldChange = z.infer<typeof FieldChange>;

/** `template_adopted`: the room adopted a newer version of its cohort's roadmap template (see `@menteo/api/programs`). */
export const REVISION_KINDS = ['created', 'roadmap_updated', 'milestone_added', 'milestone_updated', 'milestone_removed', 'template_adopted'] as const;

export const Revision = z.object({
  id: RevisionId,
  roadmapId: RoadmapId,
  /** The roadmap version this revision produced. */
  version: z.int(),
  kind: z.enum(REVISION_KINDS),
  author: Person,
  reason: z.string(),
  changes: z.array(FieldChange),
  createdAt: Timestamp,
});
export type Revision = z.infer<typeof Revision>;

export const RoadmapParams = z.strictObject({ roadmapId: RoadmapId });
export const MilestoneParams = z.strictObject({ roadmapId: RoadmapId, milestoneId: MilestoneId });
export const ListRoadmapsQuery = pageQuery({ roomId: z.optional(RoomId), ownerId: z.optional(PersonId) });

const tag = 'Roadmaps';

export const listRoadmaps = defineOperation({
  id: 'listRoadmaps', method: 'GET', path: '/v1/roadmaps', tag,
  summary: 'Roadmaps the caller can see, newest first.', scopes: ['roadmaps:read'],
  description: 'Roadmaps of the rooms the caller can see. Filter by room or owner; paged with `cursor` and `limit`.',
  query: ListRoadmapsQuery, response: page(Roadmap),
});
export const createRoadmap = defineOperation({
  id: 'createRoadmap', method: 'POST', path: '/v1/roadmaps', tag,
  summary: "Start a room's roadmap (mentors and the mentee).", scopes: ['roadmaps:write'],
  description: "Starts a mentee's roadmap in a room: a title, an optional goal, a start date and a horizon (7 to 365 days, 90 by default), to which milestones are added. Mentors and the mentee may start it.",
  body: CreateRoadmap, response: Roadmap,
});
export const getRoadmap = defineOperation({
  id: 'getRoadmap', method: 'GET', path: '/v1/roadmaps/{roadmapId}', tag,
  summary: 'One roadmap with its milestones.', scopes: ['roadmaps:read'], params: RoadmapParams, response: Roadmap,
  description: 'A roadmap with its milestones by due date; each milestone lists the posts that are evidence for it. Its `version` is sent back as `baseVersion` with changes.',
});
export const updateRoadmap = defineOperation({
  id: 'updateRoadmap', method: 'PATCH', path: '/v1/roadmaps/{roadmapId}', tag,
  summary: 'Change the title, goal, start or horizon, with a reason.', scopes: ['roadmaps:write'],
  description: "Changes the roadmap's title, goal, start date or horizon. The reason is kept in a revision; a stale `baseVersion` answers 409 `conflict`. Members receive a `roadmap.updated` live event.",
  params: RoadmapParams, body: UpdateRoadmap, response: Roadmap,
});
export const addMilestone = defineOperation({
  id: 'addMilestone', method: 'POST', path: '/v1/roadmaps/{roadmapId}/milestones', tag,
  summary: 'Add a milestone, with a reason.', scopes: ['roadmaps:write'],
  description: 'Adds a milestone (title, due date, required skills) with the reason for adding it, kept in a revision. A stale `baseVersion` answers 409 `conflict`.',
  params: RoadmapParams, body: AddMilestone, response: Roadmap,
});
export const updateMilestone = defineOperation({
  id: 'updateMilestone', method: 'PATCH', path: '/v1/roadmaps/{roadmapId}/milestones/{milestoneId}', tag,
  summary: 'Change a milestone (status, due date, …), with a reason.', scopes: ['roadmaps:write'],
  description: "Moves, re-scopes or changes the status of a milestone, with the reason kept in a revision. When the roadmap's room is linked to an LMS course, completion is posted as a grade after the change is saved.",
  params: MilestoneParams, body: UpdateMilestone, response: Roadmap,
});
export const removeMilestone = defineOperation({
  id: 'removeMilestone', method: 'POST', path: '/v1/roadmaps/{roadmapId}/milestones/{milestoneId}/remove', tag,
  summary: 'Remove a milestone, with a reason (kept in the revision history).', scopes: ['roadmaps:write'],
  description: 'Drops a milestone with a reason. Its title, due date and evidence stay in the revision; posts that were its evidence stay and lose the link.',
  params: MilestoneParams, body: RemoveMilestone, status: 200, response: Roadmap,
});
export const listRevisions = defineOperation({
  id: 'listRevisions', method: 'GET', path: '/v1/roadmaps/{roadmapId}/revisions', tag,
  summary: 'Every change of the roadmap with its reason, newest first.', scopes: ['roadmaps:read'],
  description: "The roadmap's history: each change with its author, reason and the fields it changed, newest first, so adjustments are visible and accountable. Paged with `cursor` and `limit`.",
  params: RoadmapParams, query: pageQuery({}), response: page(Revision),
});
