/**
 * The program export, streamed: a `ReadableStream` that reads one keyset page of rows each time
 * the consumer asks for more (`pull`), so memory holds one batch whatever the organization's size
 * and a slow reader slows the queries down instead of queueing the whole export.
 * Rooms carry their health (numbers and the adjust loop's reasons); people their enrolments.
 * Nothing here reads messages, notes, check-in text or feedback comments.
 * @module
 */
import { PEOPLE_EXPORT_COLUMNS, ROOM_EXPORT_COLUMNS } from '@menteo/api/health';
import type { RoomHealth } from '@menteo/api/feedback';
import { strings } from '../storage/json.js';
import type { Db } from '../views/people.js';
import { roomHealthRows, roomsIn, type HealthScope } from './program.js';

/** Rows per query. */
export const EXPORT_BATCH = 500;

/** A cell of a row: text, a number, a list (joined with `;`), or empty. */
type Cell = string | number | boolean | null | readonly string[];

/** One CSV field, quoted when it holds a comma, a quote, a line break, or leading/trailing spaces (RFC 4180). */
export function csvField(value: Cell): string {
  if (value === null) return '';
  const text = Array.isArray(value) ? value.join(';') : String(value);
  // A leading =, +, - or @ would be a formula to a spreadsheet: prefix a quote so it reads as text.
  const safe = /^[=+\-@\t\r]/.test(text) && typeof value === 'string' ? `'${text}` : text;
  return /[",\r\n]|^\s|\s$/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** One CSV record with its CRLF. */
export function csvRecord(cells: readonly Cell[]): string {
  return `${cells.map(csvField).join(',')}\r\n`;
}

/** Export rows of one kind: the header, and batches read after a keyset cursor. */
interface Source<Row> {
  readonly columns: readonly string[];
  /** The batch after `after` (an id), or empty at the end. */
  next(after: string | null): Promise<{ rows: Row[]; last: string | null }>;
  cells(row: Row): Cell[];
}

function roomSource(db: Db, scope: HealthScope, now: string): Source<RoomHealth & { cohortIds: string[] }> {
  return {
    columns: ROOM_EXPORT_COLUMNS,
    async next(after) {
      let q = roomsIn(db, scope).selectAll('rooms');
      if (after !== null) q = q.where('rooms.id', '>', after);
      const rooms = await q.orderBy('rooms.id').limit(EXPORT_BATCH).execute();
      if (rooms.length === 0) return { rows: [], last: null };
      const ids = rooms.map((r) => r.id);
      const [health, cohorts] = await Promise.all([
        roomHealthRows(db, rooms, now),
        db.selectFrom('cohort_rooms').select(['room_id', 'cohort_id']).where('room_id', 'in', ids).orderBy('cohort_id').execute(),
      ]);
      const rows = health.map((h) => ({ ...h, cohortIds: cohorts.filter((c) => c.room_id === h.roomId).map((c) => c.cohort_id) }));
      return { rows, last: rooms.at(-1)?.id ?? null };
    },
    cells: (r) => [
      r.roomId, r.title, r.status, r.cohortIds, r.mentorIds, r.menteeIds, r.milestones.planned, r.milestones.in_progress, r.milestones.done,
      r.milestones.blocked, r.milestones.overdue, r.lastActivityAt, r.averageConfidence, r.averageRating, r.findings.map((f) => f.code),
    ],
  };
}

interface PersonRow {
  personId: string;
  externalId: string | null;
  displayName: string;
  email: string | null;
  roles: string[];
  active: boolean;
  enrolments: { cohortId: string; role: string }[];
}

function peopleSource(db: Db, scope: HealthScope): Source<PersonRow> {
  return {
    columns: PEOPLE_EXPORT_COLUMNS,
    async next(after) {
      let q = db.selectFrom('people').select(['id', 'external_id', 'display_name', 'email', 'roles', 'active']).where('org_id', '=', scope.orgId);
      if (scope.cohortId !== null) {
        const cohortId = scope.cohortId;
        q = q.where('id', 'in', (eb) => eb.selectFrom('cohort_enrolments').select('person_id').where('cohort_id', '=', cohortId));
      }
      if (after !== null) q = q.where('id', '>', after);
      const people = await q.orderBy('id').limit(EXPORT_BATCH).execute();
      if (people.length === 0) return { rows: [], last: null };
      const enrolments = await db.selectFrom('cohort_enrolments').select(['person_id', 'cohort_id', 'role'])
        .where('person_id', 'in', people.map((p) => p.id)).orderBy('cohort_id').execute();
      const rows = people.map((p) => ({
        personId: p.id, externalId: p.external_id, displayName: p.display_name, email: p.email, roles: strings(p.roles), active: p.active === 1,
        enrolments: enrolments.filter((e) => e.person_id === p.id).map((e) => ({ cohortId: e.cohort_id, role: e.role })),
      }));
      return { rows, last: people.at(-1)?.id ?? null };
    },
    cells: (r) => [r.personId, r.externalId, r.displayName, r.email, r.roles, r.active, r.enrolments.map((e) => `${e.cohortId}:${e.role}`)],
  };
}

/** The export as a byte stream, one batch per `pull`. */
function streamOf<Row>(source: Source<Row>, format: 'csv' | 'json'): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let after: string | null = null;
  let first = true;
  let done = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(format === 'csv' ? csvRecord(source.columns) : '['));
    },
    async pull(controller) {
      if (done) return;
      const { rows, last } = await source.next(after);
      if (rows.length === 0 || last === null) {
        done = true;
        if (format === 'json') controller.enqueue(encoder.encode(first ? ']\n' : '\n]\n'));
        controller.close();
        return;
      }
      after = last;
      let chunk = '';
      for (const row of rows) {
        if (format === 'csv') chunk += csvRecord(source.cells(row));
        else {
          chunk += `${first ? '\n' : ',\n'}${JSON.stringify(row)}`;
          first = false;
        }
      }
      controller.enqueue(encoder.encode(chunk));
    },
  }, { highWaterMark: 1 });
}

/** The export of `kind` in `format` for a scope, as a streamed `Response`. */
export function exportResponse(db: Db, scope: HealthScope, kind: 'rooms' | 'people', format: 'csv' | 'json', now: string, requestId: string): Response {
  const body = kind === 'rooms' ? streamOf(roomSource(db, scope, now), format) : streamOf(peopleSource(db, scope), format);
  const type = format === 'csv' ? 'text/csv; charset=utf-8; header=present' : 'application/json; charset=utf-8';
  const name = `menteo-${kind}-${now.slice(0, 10)}.${format}`;
  return new Response(body, {
    status: 200,
    headers: {
      'Content-Type': type,
      'Content-Disposition': `attachment; filename="${name}"`,
      'Cache-Control': 'no-store',
      'X-Request-Id': requestId,
    },
  });
}
