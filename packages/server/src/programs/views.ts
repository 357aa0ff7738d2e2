/**
 * Rows to contract objects: programs, templates and their versions, cohorts with their counts,
 * enrolments, imports and SCIM group links.
 * @module
 */
import type {
  Cohort, CohortGroupLink, CohortRole, Enrolment, EnrolmentImport, Program, RejectedRow, RoadmapTemplate,
  RoadmapTemplateVersion, TemplateMilestone,
} from '@menteo/api/programs';
import type {
  CohortEnrolmentsTable, CohortGroupLinksTable, CohortsTable, EnrolmentImportsTable, ProgramsTable, RoadmapTemplatesTable,
  RoadmapTemplateVersionsTable,
} from '../storage/schema.js';
import { loadPeople, must, type Db } from '../views/people.js';

/** A program row as the contract's `Program`. */
export function programView(row: ProgramsTable): Program {
  return {
    id: row.id, name: row.name, description: row.description, status: row.status === 'archived' ? 'archived' : 'active',
    createdAt: row.created_at, updatedAt: row.updated_at,
  };
}

/** The milestones stored in a version row; a corrupt value reads as none rather than failing a request. */
export function versionMilestones(row: Pick<RoadmapTemplateVersionsTable, 'milestones'>): TemplateMilestone[] {
  try {
    const parsed: unknown = JSON.parse(row.milestones);
    return Array.isArray(parsed) ? (parsed as TemplateMilestone[]) : [];
  } catch {
    return [];
  }
}

/** A version row as the contract's `RoadmapTemplateVersion`. */
export function versionView(row: RoadmapTemplateVersionsTable): RoadmapTemplateVersion {
  return {
    templateId: row.template_id, version: row.version, name: row.name, goal: row.goal, horizonDays: row.horizon_days,
    milestones: versionMilestones(row), note: row.note, createdAt: row.created_at,
  };
}

/** Templates at their latest versions, in one query for the versions. */
export async function templateViews(db: Db, rows: readonly RoadmapTemplatesTable[]): Promise<RoadmapTemplate[]> {
  if (rows.length === 0) return [];
  const versions = await db.selectFrom('roadmap_template_versions').selectAll()
    .where((eb) => eb.or(rows.map((r) => eb.and([eb('template_id', '=', r.id), eb('version', '=', r.version)])))).execute();
  return rows.map((r) => {
    const v = versions.find((x) => x.template_id === r.id);
    return {
      id: r.id, programId: r.program_id, name: r.name, goal: v?.goal ?? '', horizonDays: v?.horizon_days ?? 90, version: r.version,
      milestones: v ? versionMilestones(v) : [], createdAt: r.created_at, updatedAt: r.updated_at,
    };
  });
}

/** One template at its latest version. */
export async function templateView(db: Db, row: RoadmapTemplatesTable): Promise<RoadmapTemplate> {
  const [view] = await templateViews(db, [row]);
  if (!view) throw new Error('unreachable: a view of one template');
  return view;
}

/** Cohorts with their mentor, mentee and room counts, in two queries. */
export async function cohortViews(db: Db, rows: readonly CohortsTable[]): Promise<Cohort[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const roles = await db.selectFrom('cohort_enrolments').select(['cohort_id', 'role', (eb) => eb.fn.countAll<number>().as('n')])
    .where('cohort_id', 'in', ids).groupBy(['cohort_id', 'role']).execute();
  const rooms = await db.selectFrom('cohort_rooms').select(['cohort_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('cohort_id', 'in', ids).groupBy('cohort_id').execute();
  const count = (id: string, role: CohortRole) => Number(roles.find((r) => r.cohort_id === id && r.role === role)?.n ?? 0);
  return rows.map((r) => ({
    id: r.id, programId: r.program_id, name: r.name, startDate: r.start_date, endDate: r.end_date, templateId: r.template_id,
    mentorCount: count(r.id, 'mentor'), menteeCount: count(r.id, 'mentee'),
    roomCount: Number(rooms.find((x) => x.cohort_id === r.id)?.n ?? 0),
    createdAt: r.created_at, updatedAt: r.updated_at,
  }));
}

/** One cohort with its counts. */
export async function cohortView(db: Db, row: CohortsTable): Promise<Cohort> {
  const [view] = await cohortViews(db, [row]);
  if (!view) throw new Error('unreachable: a view of one cohort');
  return view;
}

/** Enrolments with their people, in one query for the people. */
export async function enrolmentViews(db: Db, rows: readonly CohortEnrolmentsTable[]): Promise<Enrolment[]> {
  const people = await loadPeople(db, rows.map((r) => r.person_id));
  return rows.map((r) => ({
    cohortId: r.cohort_id, person: must(people, r.person_id), role: r.role === 'mentor' ? 'mentor' : 'mentee',
    source: r.source === 'scim' ? 'scim' : r.source === 'import' ? 'import' : 'api', enrolledAt: r.enrolled_at,
  }));
}

function rejectedRows(value: string): RejectedRow[] {
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? (parsed as RejectedRow[]) : [];
  } catch {
    return [];
  }
}

const IMPORT_STATUS = { queued: 'queued', running: 'running', completed: 'completed', failed: 'failed' } as const;

/** An import job row as the contract's `EnrolmentImport`. */
export function importView(row: EnrolmentImportsTable): EnrolmentImport {
  return {
    id: row.id, cohortId: row.cohort_id, dryRun: row.dry_run === 1,
    status: IMPORT_STATUS[row.status as keyof typeof IMPORT_STATUS] ?? 'failed',
    totalRows: row.total_rows, processedRows: row.processed_rows, enrolled: row.enrolled, roleChanged: row.role_changed,
    unchanged: row.unchanged, rejected: rejectedRows(row.rejected), error: row.error, createdAt: row.created_at, finishedAt: row.finished_at,
  };
}

/** Group links with the group's name and how many people each enrolled. */
export async function groupLinkViews(db: Db, rows: readonly CohortGroupLinksTable[]): Promise<CohortGroupLink[]> {
  if (rows.length === 0) return [];
  const groups = await db.selectFrom('people_groups').select(['id', 'display_name']).where('id', 'in', rows.map((r) => r.group_id)).execute();
  const counts = await db.selectFrom('cohort_enrolments').select(['cohort_id', 'group_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('cohort_id', 'in', rows.map((r) => r.cohort_id)).where('source', '=', 'scim').groupBy(['cohort_id', 'group_id']).execute();
  return rows.map((r) => ({
    cohortId: r.cohort_id, groupId: r.group_id, groupName: groups.find((g) => g.id === r.group_id)?.display_name ?? '',
    role: r.role === 'mentor' ? 'mentor' : 'mentee',
    memberCount: Number(counts.find((c) => c.cohort_id === r.cohort_id && c.group_id === r.group_id)?.n ?? 0),
    createdAt: r.created_at,
  }));
}
