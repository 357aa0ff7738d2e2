/**
 * Roadmap templates: versions, starting a roadmap from one, and the three-way update a room
 * decides about. Adopting version N applies what changed in the template between the version
 * the roadmap follows and N (added, changed and dropped milestones, goal and horizon) to the
 * roadmap as it is now: the room's own edits to anything the template did not change stay, a
 * milestone the room removed is not brought back, and a dropped milestone that is done or has
 * evidence is kept.
 * @module
 */
import type { NewTemplateMilestone, TemplateMilestone, TemplateOrigin } from '@menteo/api/programs';
import type { FieldChange } from '@menteo/api/roadmaps';
import type { Transaction } from 'kysely';
import { invalid } from '../http/errors.js';
import { newId } from '../storage/ids.js';
import { json, strings } from '../storage/json.js';
import type { CohortRoomsTable, Database, MilestonesTable, RoadmapTemplateVersionsTable, RoadmapsTable } from '../storage/schema.js';
import { loadPeople, must, type Db } from '../views/people.js';
import { versionMilestones } from './views.js';

/** `date` (YYYY-MM-DD) plus `days`, in UTC so no time zone shifts the day. */
export function addDays(date: string, days: number): string {
  const t = Date.parse(`${date}T00:00:00.000Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/**
 * Validates a template's milestones and gives new ones their stable ids. An `id` must name a
 * milestone of the current version (`current`; none on creation); offsets must fit the horizon.
 */
export function normalizeMilestones(input: readonly NewTemplateMilestone[], current: readonly TemplateMilestone[], horizonDays: number): TemplateMilestone[] {
  const seen = new Set<string>();
  const out = input.map((m, i): TemplateMilestone => {
    if (m.id !== undefined) {
      if (!current.some((c) => c.id === m.id)) throw invalid(`milestones.${i}.id`, 'No milestone of the current version has this id; leave it out for a new milestone.');
      if (seen.has(m.id)) throw invalid(`milestones.${i}.id`, 'This milestone is listed twice.');
      seen.add(m.id);
    }
    if (m.dayOffset > horizonDays) throw invalid(`milestones.${i}.dayOffset`, `The offset is beyond the template's horizon (${horizonDays} days).`);
    return {
      id: m.id ?? newId('tms'), title: m.title, description: m.description ?? '', dayOffset: m.dayOffset,
      requiredSkills: [...new Set(m.requiredSkills ?? [])], expectedOutcome: m.expectedOutcome ?? '',
    };
  });
  // Stable sort: the order given breaks ties between milestones of the same day.
  return out.map((m, i) => ({ m, i })).sort((a, b) => a.m.dayOffset - b.m.dayOffset || a.i - b.i).map((x) => x.m);
}

/** The version row of a template, which exists for every version up to the latest. */
export async function versionOf(db: Db, templateId: string, version: number): Promise<RoadmapTemplateVersionsTable> {
  return db.selectFrom('roadmap_template_versions').selectAll().where('template_id', '=', templateId).where('version', '=', version).executeTakeFirstOrThrow();
}

/** What starting a roadmap from a template needs. */
export interface StartFromTemplate {
  readonly orgId: string;
  readonly roomId: string;
  readonly ownerId: string;
  /** The revision's author: the caller's person, or the pair's mentor when an API key names no one. */
  readonly authorId: string;
  readonly startDate: string;
  /** The template's name now (a rename makes no version), the roadmap's title. */
  readonly title: string;
  readonly version: RoadmapTemplateVersionsTable;
  readonly now: string;
}

/** Creates the roadmap (version 1) with one milestone per template milestone, due at start + offset. */
export async function startRoadmap(trx: Transaction<Database>, s: StartFromTemplate): Promise<string> {
  const id = newId('rmap');
  await trx.insertInto('roadmaps').values({
    id, org_id: s.orgId, room_id: s.roomId, owner_id: s.ownerId, title: s.title, goal: s.version.goal,
    start_date: s.startDate, horizon_days: s.version.horizon_days, version: 1, created_at: s.now, updated_at: s.now,
  }).execute();
  const items = versionMilestones(s.version);
  const rows = items.map((tm) => milestoneRow(s.orgId, id, tm, s.startDate, s.now));
  if (rows.length > 0) {
    await trx.insertInto('milestones').values(rows).execute();
    await trx.insertInto('template_milestone_links').values(rows.map((r, i) => ({
      milestone_id: r.id, roadmap_id: id, template_milestone_id: items[i]?.id ?? '', org_id: s.orgId,
    }))).execute();
  }
  await trx.insertInto('revisions').values({
    id: newId('rev'), org_id: s.orgId, roadmap_id: id, version: 1, kind: 'created', author_id: s.authorId,
    reason: `Started from the template "${s.title}", version ${s.version.version}`,
    changes: json(rows.map((m) => ({ milestoneId: m.id, field: 'milestone', from: null, to: m.title }))), created_at: s.now,
  }).execute();
  await trx.updateTable('rooms').set({ roadmap_id: id }).where('id', '=', s.roomId).where('roadmap_id', 'is', null).execute();
  return id;
}

function milestoneRow(orgId: string, roadmapId: string, tm: TemplateMilestone, startDate: string, now: string): MilestonesTable {
  return {
    id: newId('mil'), org_id: orgId, roadmap_id: roadmapId, title: tm.title, description: tm.description,
    due_date: addDays(startDate, tm.dayOffset), required_skills: json(tm.requiredSkills), expected_outcome: tm.expectedOutcome,
    status: 'planned', evidence_post_ids: '[]', status_changed_at: now, completed_at: null, created_at: now, updated_at: now,
  };
}

/** One step of adopting a version. */
type Step =
  | { readonly kind: 'roadmap'; readonly column: 'goal' | 'horizon_days'; readonly value: string | number; readonly change: FieldChange }
  | { readonly kind: 'add'; readonly item: TemplateMilestone; readonly title: string }
  | { readonly kind: 'update'; readonly milestoneId: string; readonly set: Partial<Pick<MilestonesTable, 'title' | 'description' | 'due_date' | 'required_skills' | 'expected_outcome'>>; readonly changes: FieldChange[] }
  | { readonly kind: 'remove'; readonly milestoneId: string; readonly changes: FieldChange[] };

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The steps that bring `roadmap` from the template version it follows (`from`) to `to`, as the
 * roadmap stands now. Only what the template changed between the two versions moves.
 */
export async function planUpdate(db: Db, roadmap: RoadmapsTable, startDate: string, from: RoadmapTemplateVersionsTable, to: RoadmapTemplateVersionsTable): Promise<Step[]> {
  const steps: Step[] = [];
  if (from.goal !== to.goal && roadmap.goal !== to.goal) {
    steps.push({ kind: 'roadmap', column: 'goal', value: to.goal, change: { milestoneId: null, field: 'goal', from: roadmap.goal, to: to.goal } });
  }
  if (from.horizon_days !== to.horizon_days && roadmap.horizon_days !== to.horizon_days) {
    steps.push({ kind: 'roadmap', column: 'horizon_days', value: to.horizon_days, change: { milestoneId: null, field: 'horizonDays', from: roadmap.horizon_days, to: to.horizon_days } });
  }
  const linked = await db.selectFrom('template_milestone_links')
    .innerJoin('milestones', 'milestones.id', 'template_milestone_links.milestone_id')
    .selectAll('milestones').select('template_milestone_links.template_milestone_id')
    .where('template_milestone_links.roadmap_id', '=', roadmap.id).execute();
  const before = versionMilestones(from);
  const after = versionMilestones(to);
  for (const item of after) {
    const old = before.find((b) => b.id === item.id);
    const current = linked.find((l) => l.template_milestone_id === item.id);
    if (!old) {
      // New in the template. Added unless the roadmap already has it (a version adopted twice).
      if (!current) steps.push({ kind: 'add', item, title: item.title });
      continue;
    }
    // A milestone the room removed stays removed.
    if (!current) continue;
    const set: Partial<Pick<MilestonesTable, 'title' | 'description' | 'due_date' | 'required_skills' | 'expected_outcome'>> = {};
    const changes: FieldChange[] = [];
    const field = (name: string, changed: boolean, now: string | string[], next: string | string[], apply: () => void) => {
      if (!changed || same(now, next)) return;
      apply();
      changes.push({ milestoneId: current.id, field: name, from: now, to: next });
    };
    field('title', old.title !== item.title, current.title, item.title, () => { set.title = item.title; });
    field('description', old.description !== item.description, current.description, item.description, () => { set.description = item.description; });
    const due = addDays(startDate, item.dayOffset);
    field('dueDate', old.dayOffset !== item.dayOffset, current.due_date, due, () => { set.due_date = due; });
    field('requiredSkills', !same(old.requiredSkills, item.requiredSkills), strings(current.required_skills), item.requiredSkills, () => { set.required_skills = json(item.requiredSkills); });
    field('expectedOutcome', old.expectedOutcome !== item.expectedOutcome, current.expected_outcome, item.expectedOutcome, () => { set.expected_outcome = item.expectedOutcome; });
    if (changes.length > 0) steps.push({ kind: 'update', milestoneId: current.id, set, changes });
  }
  const dropped = before.filter((b) => !after.some((a) => a.id === b.id));
  const candidates = linked.filter((l) => dropped.some((d) => d.id === l.template_milestone_id));
  const withEvidence = candidates.length > 0
    ? new Set((await db.selectFrom('posts').select('milestone_id').where('milestone_id', 'in', candidates.map((c) => c.id)).execute()).map((p) => p.milestone_id))
    : new Set<string | null>();
  for (const m of candidates) {
    // Work done or shown stays on the roadmap even when the template drops the milestone.
    if (m.status === 'done' || withEvidence.has(m.id)) continue;
    steps.push({ kind: 'remove', milestoneId: m.id, changes: [{ milestoneId: m.id, field: 'milestone', from: m.title, to: null }, { milestoneId: m.id, field: 'dueDate', from: m.due_date, to: null }] });
  }
  return steps;
}

/** The field changes the steps make, as `pendingChanges` shows them (added milestones have no id yet). */
export function changesOf(steps: readonly Step[]): FieldChange[] {
  return steps.flatMap((s): FieldChange[] => {
    switch (s.kind) {
      case 'roadmap': return [s.change];
      case 'add': return [{ milestoneId: null, field: 'milestone', from: null, to: s.title }];
      case 'update': return s.changes;
      case 'remove': return s.changes;
    }
  });
}

/** Applies the steps; answers the changes as recorded (added milestones with their new ids). */
export async function applySteps(trx: Transaction<Database>, roadmap: RoadmapsTable, startDate: string, steps: readonly Step[], now: string): Promise<FieldChange[]> {
  const recorded: FieldChange[] = [];
  for (const s of steps) {
    switch (s.kind) {
      case 'roadmap':
        await trx.updateTable('roadmaps').set(s.column === 'goal' ? { goal: String(s.value) } : { horizon_days: Number(s.value) }).where('id', '=', roadmap.id).execute();
        recorded.push(s.change);
        break;
      case 'add': {
        const row = milestoneRow(roadmap.org_id, roadmap.id, s.item, startDate, now);
        await trx.insertInto('milestones').values(row).execute();
        await trx.insertInto('template_milestone_links').values({ milestone_id: row.id, roadmap_id: roadmap.id, template_milestone_id: s.item.id, org_id: roadmap.org_id }).execute();
        recorded.push({ milestoneId: row.id, field: 'milestone', from: null, to: row.title });
        break;
      }
      case 'update':
        await trx.updateTable('milestones').set({ ...s.set, updated_at: now }).where('id', '=', s.milestoneId).execute();
        recorded.push(...s.changes);
        break;
      case 'remove':
        await trx.deleteFrom('template_milestone_links').where('milestone_id', '=', s.milestoneId).execute();
        await trx.deleteFrom('milestones').where('id', '=', s.milestoneId).execute();
        recorded.push(...s.changes);
        break;
    }
  }
  return recorded;
}

/** Everything known about a cohort room's template: the rows the origin and the decision need. */
export interface OriginFacts {
  readonly link: CohortRoomsTable & { template_id: string; template_version: number; roadmap_id: string };
  readonly roadmap: RoadmapsTable;
  readonly templateName: string;
  readonly latest: number;
  readonly startDate: string;
}

/** The template facts of a roadmap, or null when it did not come from a template. */
export async function originFacts(db: Db, roadmap: RoadmapsTable): Promise<OriginFacts | null> {
  const link = await db.selectFrom('cohort_rooms').selectAll().where('roadmap_id', '=', roadmap.id).executeTakeFirst();
  if (!link || link.template_id === null || link.template_version === null || link.roadmap_id === null) return null;
  const template = await db.selectFrom('roadmap_templates').select(['name', 'version']).where('id', '=', link.template_id).executeTakeFirst();
  const cohort = await db.selectFrom('cohorts').select('start_date').where('id', '=', link.cohort_id).executeTakeFirst();
  if (!template || !cohort) return null;
  return {
    link: { ...link, template_id: link.template_id, template_version: link.template_version, roadmap_id: link.roadmap_id },
    roadmap, templateName: template.name, latest: template.version, startDate: cohort.start_date,
  };
}

/** The contract's `TemplateOrigin` of a roadmap that came from a template. */
export async function originView(db: Db, facts: OriginFacts): Promise<TemplateOrigin> {
  const { link, roadmap, latest } = facts;
  const latestRow = await versionOf(db, link.template_id, latest);
  const decision = await db.selectFrom('template_decisions').selectAll().where('roadmap_id', '=', roadmap.id).orderBy('id', 'desc').executeTakeFirst();
  const declinedLatest = decision?.decision === 'declined' && decision.version === latest;
  const newer = latest > link.template_version;
  const steps = newer ? await planUpdate(db, roadmap, facts.startDate, await versionOf(db, link.template_id, link.template_version), latestRow) : [];
  const people = await loadPeople(db, decision ? [decision.author_id] : []);
  return {
    roadmapId: roadmap.id, cohortId: link.cohort_id, templateId: link.template_id, templateName: facts.templateName,
    version: link.template_version, latestVersion: latest, updateAvailable: newer && !declinedLatest, latestNote: latestRow.note,
    pendingChanges: changesOf(steps),
    lastDecision: decision
      ? { version: decision.version, decision: decision.decision === 'adopted' ? 'adopted' : 'declined', reason: decision.reason, decidedBy: must(people, decision.author_id), decidedAt: decision.created_at }
      : null,
  };
}
