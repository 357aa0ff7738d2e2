/**
 * Enrolment: one person by API, many from an import job, and SCIM groups mapped to cohort roles.
 * @module
 */
import type { CohortRole, CreateEnrolmentImport, RejectedRow } from '@menteo/api/programs';
import { sql, type Kysely } from 'kysely';
import { invalid } from '../http/errors.js';
import { json } from '../storage/json.js';
import type { Database } from '../storage/schema.js';
import type { Db } from '../views/people.js';

/** What enrolling did: the person was new to the cohort, changed role, or already had it. */
export type EnrolOutcome = 'enrolled' | 'role_changed' | 'unchanged';

/**
 * Enrols a person with a role. The same role again changes nothing (not even the source); another
 * role replaces it, and the enrolment becomes this source's.
 */
export async function enrolPerson(
  db: Db, e: { orgId: string; cohortId: string; personId: string; role: CohortRole; source: 'api' | 'import' | 'scim'; groupId?: string | null; now: string },
): Promise<EnrolOutcome> {
  const existing = await db.selectFrom('cohort_enrolments').select('role').where('cohort_id', '=', e.cohortId).where('person_id', '=', e.personId).executeTakeFirst();
  if (existing?.role === e.role) return 'unchanged';
  if (existing) {
    await db.updateTable('cohort_enrolments').set({ role: e.role, source: e.source, group_id: e.groupId ?? null })
      .where('cohort_id', '=', e.cohortId).where('person_id', '=', e.personId).execute();
    return 'role_changed';
  }
  await db.insertInto('cohort_enrolments').values({
    cohort_id: e.cohortId, person_id: e.personId, org_id: e.orgId, role: e.role, source: e.source, group_id: e.groupId ?? null, enrolled_at: e.now,
  }).execute();
  return 'enrolled';
}

// ---- Imports ----

/** One row to import as stored in the job: its number in the file, and what it said. */
export interface ImportRow {
  readonly row: number;
  readonly email: string;
  readonly role: string;
}

/** Rows of an import by the spreadsheet's numbering: the CSV header is row 1. */
export async function importRows(body: CreateEnrolmentImport): Promise<ImportRow[]> {
  if (body.rows !== undefined) return body.rows.map((r, i) => ({ row: i + 1, email: r.email.trim(), role: r.role.trim() }));
  const csv = body.csv ?? '';
  // Loaded on first use: csv-parse's Node build needs Node's Buffer when it loads, and the app
  // also runs in browsers (@menteo/mock), where importing it eagerly would break every page.
  // There the package's own browser build (the same parser, bundled) reads the CSV instead.
  const { parse } = typeof (globalThis as { Buffer?: unknown }).Buffer === 'function'
    ? await import('csv-parse/sync')
    : await import('csv-parse/browser/esm/sync');
  let records: string[][];
  try {
    // A real parser, not line splitting: quoted fields hold commas and line breaks, exports from
    // spreadsheets start with a byte-order mark, and a stray quote must be an error with a line
    // number rather than a silently shifted column.
    records = parse(csv, { bom: true, skip_empty_lines: true, relax_column_count: true, trim: true }) as string[][];
  } catch (error) {
    throw invalid('csv', `The CSV could not be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  const [header, ...data] = records;
  const columns = (header ?? []).map((h) => h.trim().toLowerCase());
  const email = columns.indexOf('email');
  const role = columns.indexOf('role');
  if (email < 0 || role < 0) throw invalid('csv', 'The first row must be a header naming an "email" and a "role" column.');
  if (data.length === 0) throw invalid('csv', 'The CSV has a header but no rows.');
  if (data.length > 10_000) throw invalid('csv', 'At most 10,000 rows per import; split the file.');
  return data.map((fields, i) => ({ row: i + 2, email: (fields[email] ?? '').trim(), role: (fields[role] ?? '').trim() }));
}

const BATCH = 200;
/** Imports running in this process, so a poll does not start a second runner. */
const running = new Set<string>();

interface Tally {
  enrolled: number;
  role_changed: number;
  unchanged: number;
  rejected: RejectedRow[];
}

function isRole(value: string): value is CohortRole {
  return value === 'mentor' || value === 'mentee';
}

/**
 * Runs (or resumes) an import in batches: each batch's enrolments and the job's progress commit
 * together, so a crash resumes after the last whole batch (the next poll restarts the runner) and
 * no row is counted twice. Between batches the event loop serves other requests, status polls
 * among them.
 */
export function runImport(db: Kysely<Database>, importId: string): void {
  if (running.has(importId)) return;
  running.add(importId);
  void (async () => {
    try {
      const job = await db.selectFrom('enrolment_imports').selectAll().where('id', '=', importId).executeTakeFirst();
      if (!job || (job.status !== 'queued' && job.status !== 'running')) return;
      const rows = JSON.parse(job.rows) as ImportRow[];
      // Emails of rows already processed, so a resumed run still sees duplicates across batches.
      const seen = new Map<string, number>();
      for (const r of rows.slice(0, job.processed_rows)) if (r.email !== '' && !seen.has(r.email.toLowerCase())) seen.set(r.email.toLowerCase(), r.row);
      await db.updateTable('enrolment_imports').set({ status: 'running' }).where('id', '=', importId).execute();
      for (let start = job.processed_rows; start < rows.length; start += BATCH) {
        const batch = rows.slice(start, start + BATCH);
        await db.transaction().execute(async (trx) => {
          const current = await trx.selectFrom('enrolment_imports').selectAll().where('id', '=', importId).executeTakeFirstOrThrow();
          const tally: Tally = { enrolled: current.enrolled, role_changed: current.role_changed, unchanged: current.unchanged, rejected: JSON.parse(current.rejected) as RejectedRow[] };
          await importBatch(trx, { orgId: current.org_id, cohortId: current.cohort_id, dryRun: current.dry_run === 1, now: current.created_at }, batch, seen, tally);
          await trx.updateTable('enrolment_imports').set({
            processed_rows: start + batch.length, enrolled: tally.enrolled, role_changed: tally.role_changed, unchanged: tally.unchanged, rejected: json(tally.rejected),
          }).where('id', '=', importId).execute();
        });
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
      await db.updateTable('enrolment_imports').set({ status: 'completed', rows: '[]', finished_at: new Date().toISOString() }).where('id', '=', importId).execute();
    } catch (error) {
      // Recorded for the admin. When even this fails (the database is closing with the server),
      // the job stays `running` and the next poll after a restart resumes it.
      try {
        await db.updateTable('enrolment_imports').set({ status: 'failed', error: error instanceof Error ? error.message : String(error), finished_at: new Date().toISOString() })
          .where('id', '=', importId).where('status', 'in', ['queued', 'running']).execute();
      } catch {
        // See above: left to be resumed.
      }
    } finally {
      running.delete(importId);
    }
  })();
}

/** True when this process is running the import (a job left `running` by a stopped process is not). */
export function isImportRunning(importId: string): boolean {
  return running.has(importId);
}

async function importBatch(db: Db, job: { orgId: string; cohortId: string; dryRun: boolean; now: string }, batch: readonly ImportRow[], seen: Map<string, number>, tally: Tally): Promise<void> {
  const emails = [...new Set(batch.map((r) => r.email.toLowerCase()).filter((e) => e !== ''))];
  const people = emails.length > 0
    ? await db.selectFrom('people').select(['id', 'email', 'active']).where('org_id', '=', job.orgId).where(sql<string>`lower(email)`, 'in', emails).execute()
    : [];
  const reject = (r: ImportRow, code: RejectedRow['code'], message: string) => tally.rejected.push({ row: r.row, email: r.email === '' ? null : r.email, code, message });
  for (const r of batch) {
    const email = r.email.toLowerCase();
    if (email === '') { reject(r, 'missing_email', 'The row has no email.'); continue; }
    const role = r.role.toLowerCase();
    if (!isRole(role)) { reject(r, 'bad_role', `The role must be "mentor" or "mentee", not "${r.role}".`); continue; }
    const first = seen.get(email);
    if (first !== undefined) { reject(r, 'duplicate', `The same email as row ${first}; only the first is used.`); continue; }
    seen.set(email, r.row);
    // Two people with one email (case aside) cannot be told apart: refuse rather than guess.
    const matches = people.filter((p) => p.email?.toLowerCase() === email);
    const person = matches[0];
    if (!person || matches.length > 1) { reject(r, 'unknown_email', matches.length > 1 ? 'More than one person has this email.' : 'No person of the organization has this email.'); continue; }
    if (person.active !== 1) { reject(r, 'inactive_person', 'This person is deactivated.'); continue; }
    const outcome = job.dryRun
      ? await wouldEnrol(db, job.cohortId, person.id, role)
      : await enrolPerson(db, { orgId: job.orgId, cohortId: job.cohortId, personId: person.id, role, source: 'import', now: job.now });
    tally[outcome] += 1;
  }
}

async function wouldEnrol(db: Db, cohortId: string, personId: string, role: CohortRole): Promise<EnrolOutcome> {
  const existing = await db.selectFrom('cohort_enrolments').select('role').where('cohort_id', '=', cohortId).where('person_id', '=', personId).executeTakeFirst();
  return !existing ? 'enrolled' : existing.role === role ? 'unchanged' : 'role_changed';
}

// ---- SCIM groups ----

/**
 * Brings a cohort's enrolments in line with one linked group: members not enrolled are enrolled
 * with the link's role (source `scim`); people this group enrolled who left it are unenrolled.
 * People enrolled otherwise (by API or import) are left as they are.
 */
export async function syncLink(db: Db, link: { cohort_id: string; group_id: string; org_id: string; role: string }, now: string): Promise<void> {
  const members = (await db.selectFrom('people_group_members').innerJoin('people', 'people.id', 'people_group_members.person_id')
    .select('people_group_members.person_id').where('people_group_members.group_id', '=', link.group_id).where('people.active', '=', 1).execute()).map((m) => m.person_id);
  const enrolled = await db.selectFrom('cohort_enrolments').select(['person_id', 'source', 'group_id']).where('cohort_id', '=', link.cohort_id).execute();
  const role: CohortRole = link.role === 'mentor' ? 'mentor' : 'mentee';
  const fresh = members.filter((id) => !enrolled.some((e) => e.person_id === id));
  if (fresh.length > 0) {
    await db.insertInto('cohort_enrolments').values(fresh.map((person_id) => ({
      cohort_id: link.cohort_id, person_id, org_id: link.org_id, role, source: 'scim', group_id: link.group_id, enrolled_at: now,
    }))).execute();
  }
  const left = enrolled.filter((e) => e.source === 'scim' && e.group_id === link.group_id && !members.includes(e.person_id)).map((e) => e.person_id);
  if (left.length > 0) await db.deleteFrom('cohort_enrolments').where('cohort_id', '=', link.cohort_id).where('person_id', 'in', left).execute();
}

/** After a SCIM group's members changed: every cohort linked to it follows. */
export async function syncGroupEnrolments(db: Db, orgId: string, groupId: string, now: string): Promise<void> {
  const links = await db.selectFrom('cohort_group_links').selectAll().where('org_id', '=', orgId).where('group_id', '=', groupId).execute();
  for (const link of links) await syncLink(db, link, now);
}

/** A SCIM group is deleted: the people it enrolled are unenrolled and its links go. */
export async function forgetGroup(db: Db, orgId: string, groupId: string): Promise<void> {
  await db.deleteFrom('cohort_enrolments').where('org_id', '=', orgId).where('source', '=', 'scim').where('group_id', '=', groupId).execute();
  await db.deleteFrom('cohort_group_links').where('org_id', '=', orgId).where('group_id', '=', groupId).execute();
}
