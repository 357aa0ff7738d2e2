/**
 * Rows to contract objects: roadmaps with milestones, and revisions.
 * @module
 */
import type { FieldChange, Milestone, MilestoneStatus, Revision, Roadmap } from '@menteo/api/roadmaps';
import { strings } from '../storage/json.js';
import type { MilestonesTable, RevisionsTable, RoadmapsTable } from '../storage/schema.js';
import { loadPeople, must, type Db } from './people.js';

/**
 * A milestone row as the contract's `Milestone`, with its evidence: the ids of the posts whose
 * `milestone_id` names it (the one stored link), oldest first.
 */
export function milestoneView(r: MilestonesTable, evidence: readonly string[]): Milestone {
  return {
    id: r.id,
    roadmapId: r.roadmap_id,
    title: r.title,
    description: r.description,
    dueDate: r.due_date,
    requiredSkills: strings(r.required_skills),
    expectedOutcome: r.expected_outcome,
    status: r.status as MilestoneStatus,
    evidencePostIds: [...evidence],
    evidenceCount: evidence.length,
    statusChangedAt: r.status_changed_at,
    completedAt: r.completed_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Evidence post ids per milestone, oldest first, in one query over the posts' own link. */
async function evidenceOf(db: Db, milestoneIds: readonly string[]): Promise<Map<string, string[]>> {
  const byMilestone = new Map<string, string[]>();
  if (milestoneIds.length === 0) return byMilestone;
  const posts = await db.selectFrom('posts').select(['id', 'milestone_id']).where('milestone_id', 'in', [...milestoneIds]).orderBy('id').execute();
  for (const p of posts) {
    if (p.milestone_id === null) continue;
    const list = byMilestone.get(p.milestone_id) ?? [];
    list.push(p.id);
    byMilestone.set(p.milestone_id, list);
  }
  return byMilestone;
}

/** Roadmaps with owners and milestones (by due date) and their evidence, in four queries. */
export async function roadmapViews(db: Db, rows: readonly RoadmapsTable[]): Promise<Roadmap[]> {
  if (rows.length === 0) return [];
  const milestones = await db.selectFrom('milestones').selectAll().where('roadmap_id', 'in', rows.map((r) => r.id)).orderBy('due_date').orderBy('id').execute();
  // One after the other: inside a transaction `db` is a single connection.
  const people = await loadPeople(db, rows.map((r) => r.owner_id));
  const evidence = await evidenceOf(db, milestones.map((m) => m.id));
  return rows.map((r) => ({
    id: r.id,
    roomId: r.room_id,
    owner: must(people, r.owner_id),
    title: r.title,
    goal: r.goal,
    startDate: r.start_date,
    horizonDays: r.horizon_days,
    milestones: milestones.filter((m) => m.roadmap_id === r.id).map((m) => milestoneView(m, evidence.get(m.id) ?? [])),
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}

/** Revisions with their authors. */
export async function revisionViews(db: Db, rows: readonly RevisionsTable[]): Promise<Revision[]> {
  const people = await loadPeople(db, rows.map((r) => r.author_id));
  return rows.map((r) => ({
    id: r.id,
    roadmapId: r.roadmap_id,
    version: r.version,
    kind: r.kind as Revision['kind'],
    author: must(people, r.author_id),
    reason: r.reason,
    changes: JSON.parse(r.changes) as FieldChange[],
    createdAt: r.created_at,
  }));
}
