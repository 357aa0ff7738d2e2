/**
 * Profile imports: reporting lines and profile fields from CSV (an HR export) or parsed rows,
 * matched by email. Runs at once inside the request's transaction; a dry run reports the same
 * and changes nothing. Managers may be named before they appear in the file: every row's person
 * is resolved first, then the managers, then the cycle check runs over the resulting lines.
 * @module
 */
import type { CreateMatchingProfileImport, MatchingProfileImportReport, MatchingProfileRow, UpdateMatchingProfile } from '@menteo/api/matching';
import { Skill } from '@menteo/api/common';
import { LanguageTag, SeniorityLevel } from '@menteo/api/matching';
import { invalid } from '../http/errors.js';
import type { Db } from '../views/people.js';
import { chainAbove } from './constraints.js';
import { loadProfiles, managersOf, saveProfile } from './profiles.js';
import { isTimeZone } from './scoring.js';

type Rejection = MatchingProfileImportReport['rejected'][number];

const COLUMNS: Record<string, keyof MatchingProfileRow> = {
  email: 'email', manager_email: 'managerEmail', department: 'department', seniority: 'seniority', time_zone: 'timeZone',
  languages: 'languages', wants: 'wants', offers: 'offers', capacity: 'capacity',
};

async function rowsOf(body: CreateMatchingProfileImport): Promise<{ rows: MatchingProfileRow[]; firstRow: number }> {
  if (body.rows) return { rows: body.rows, firstRow: 1 };
  const { parse } = typeof (globalThis as { Buffer?: unknown }).Buffer === 'function'
    ? await import('csv-parse/sync')
    : await import('csv-parse/browser/esm/sync');
  let records: string[][];
  try {
    records = parse(body.csv ?? '', { bom: true, skip_empty_lines: true, relax_column_count: true, trim: true }) as string[][];
  } catch (error) {
    throw invalid('csv', `The CSV could not be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  const [header = [], ...data] = records;
  const keys = header.map((h) => COLUMNS[h.trim().toLowerCase().replace(/[\s-]+/g, '_')]);
  if (!keys.includes('email')) throw invalid('csv', 'The first row must be a header naming an "email" column.');
  if (data.length > 5000) throw invalid('csv', 'At most 5,000 rows per import; split the file.');
  return {
    rows: data.map((cells) => {
      const row: Record<string, string> = { email: '' };
      keys.forEach((k, i) => { if (k && cells[i] !== undefined && cells[i] !== '') row[k] = cells[i] as string; });
      return row as MatchingProfileRow;
    }),
    firstRow: 2,
  };
}

const list = (v: string) => v.split(/[;|]/).map((x) => x.trim()).filter((x) => x.length > 0);

/** Parses one row's cells into a profile change, or a rejection naming the column. */
function changeOf(row: MatchingProfileRow): { change: UpdateMatchingProfile } | { field: string; message: string } {
  const change: { -readonly [K in keyof UpdateMatchingProfile]: UpdateMatchingProfile[K] } = {};
  if (row.department !== undefined) change.department = row.department.trim().slice(0, 120) || null;
  if (row.seniority !== undefined) {
    const v = SeniorityLevel.safeParse(Number(row.seniority));
    if (!v.success) return { field: 'seniority', message: 'Seniority must be a whole number from 1 to 10.' };
    change.seniority = v.data;
  }
  if (row.timeZone !== undefined) {
    if (!isTimeZone(row.timeZone)) return { field: 'time_zone', message: `"${row.timeZone}" is not a known time zone.` };
    change.timeZone = row.timeZone;
  }
  if (row.languages !== undefined) {
    const langs = list(row.languages);
    const bad = langs.find((l) => !LanguageTag.safeParse(l).success);
    if (bad !== undefined) return { field: 'languages', message: `"${bad}" is not a language tag such as en or pt-BR.` };
    change.languages = langs.slice(0, 10);
  }
  for (const key of ['wants', 'offers'] as const) {
    const v = row[key];
    if (v === undefined) continue;
    const skills: string[] = [];
    for (const s of list(v)) {
      const parsed = Skill.safeParse(s);
      if (!parsed.success) return { field: key, message: `"${s}" is not a skill slug such as system-design.` };
      skills.push(parsed.data);
    }
    change[key] = [...new Set(skills)].slice(0, 20);
  }
  if (row.capacity !== undefined) {
    const n = Number(row.capacity);
    if (!Number.isInteger(n) || n < 0 || n > 10) return { field: 'capacity', message: 'Capacity must be a whole number from 0 to 10.' };
    change.capacity = n;
  }
  return { change };
}

/** Runs an import; answers its report. */
export async function importProfiles(db: Db, orgId: string, body: CreateMatchingProfileImport, now: string): Promise<MatchingProfileImportReport> {
  const { rows, firstRow } = await rowsOf(body);
  const emails = [...new Set(rows.flatMap((r) => [r.email, r.managerEmail ?? '']).map((e) => e.trim().toLowerCase()).filter((e) => e.length > 0))];
  const byEmail = new Map<string, string>();
  for (let i = 0; i < emails.length; i += 500) {
    const found = await db.selectFrom('people').select(['id', 'email']).where('org_id', '=', orgId).where('active', '=', 1)
      .where((eb) => eb(eb.fn('lower', ['email']), 'in', emails.slice(i, i + 500))).execute();
    for (const p of found) if (p.email) byEmail.set(p.email.toLowerCase(), p.id);
  }
  const rejected: Rejection[] = [];
  const seen = new Set<string>();
  const planned: { row: number; personId: string; change: UpdateMatchingProfile }[] = [];
  rows.forEach((r, index) => {
    const rowNo = index + firstRow;
    const email = r.email.trim().toLowerCase();
    const reject = (code: Rejection['code'], field: string | null, message: string) => rejected.push({ row: rowNo, email: email || null, code, field, message });
    if (!email) return reject('missing_email', 'email', 'The row has no email.');
    const personId = byEmail.get(email);
    if (!personId) return reject('unknown_email', 'email', 'No active person of the organization has this email.');
    if (seen.has(personId)) return reject('duplicate', 'email', 'This person appears on an earlier row.');
    seen.add(personId);
    const parsed = changeOf(r);
    if ('field' in parsed) return reject('bad_value', parsed.field, parsed.message);
    const change: { -readonly [K in keyof UpdateMatchingProfile]: UpdateMatchingProfile[K] } = { ...parsed.change };
    if (r.managerEmail !== undefined) {
      const manager = r.managerEmail.trim().toLowerCase();
      const managerId = manager ? byEmail.get(manager) : null;
      if (managerId === undefined) return reject('unknown_manager', 'manager_email', 'No active person of the organization has the manager\'s email.');
      if (managerId === personId) return reject('manager_cycle', 'manager_email', 'A person cannot be their own manager.');
      change.managerId = managerId;
    }
    planned.push({ row: rowNo, personId, change });
  });
  // The reporting lines as the import leaves them, row by row: a row whose manager already
  // reports to the person (through the data or an earlier row) is rejected, not made a cycle.
  const lines = await managersOf(db, orgId);
  const accepted = planned.filter((p) => {
    const managerId = p.change.managerId;
    if (managerId === undefined) return true;
    if (managerId === null) {
      lines.delete(p.personId);
      return true;
    }
    if (chainAbove(lines, managerId).includes(p.personId)) {
      rejected.push({ row: p.row, email: null, code: 'manager_cycle', field: 'manager_email', message: 'This manager reports to the person: that would make a reporting cycle.' });
      return false;
    }
    lines.set(p.personId, managerId);
    return true;
  });
  const before = await loadProfiles(db, accepted.map((p) => p.personId));
  let updated = 0, unchanged = 0;
  for (const p of accepted) {
    const current = before.get(p.personId);
    const same = current !== undefined && Object.entries(p.change).every(([k, v]) => JSON.stringify(current[k === 'managerId' ? 'managerId' : (k as keyof typeof current)]) === JSON.stringify(v));
    if (same) {
      unchanged++;
      continue;
    }
    updated++;
    if (!body.dryRun) await saveProfile(db, orgId, p.personId, p.change, now, 'import', (name) => name);
  }
  rejected.sort((a, b) => a.row - b.row);
  return { dryRun: body.dryRun === true, totalRows: rows.length, updated, unchanged, rejected };
}
