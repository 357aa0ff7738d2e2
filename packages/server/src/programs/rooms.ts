/**
 * Opening a pair's room in a cohort: the room, its two members, the roadmap started from the
 * cohort's template (when it has one) and the cohort link, with the `room.updated` event that
 * tells the pair's open streams (and `roadmap.updated`). One function for every path that opens
 * cohort rooms: `createCohortRoom`, a published matching run, an accepted match request.
 * @module
 */
import type { Transaction } from 'kysely';
import type { EventDraft } from '../events/store.js';
import { newId } from '../storage/ids.js';
import type { CohortRoomsTable, CohortsTable, Database } from '../storage/schema.js';
import { roadmapViews } from '../views/roadmaps.js';
import { roomViews } from '../views/rooms.js';
import { startRoadmap, versionOf } from './templates.js';

/** What opening a cohort room needs; the caller has checked enrolment and the pair. */
export interface OpenCohortRoom {
  readonly cohort: CohortsTable;
  readonly mentorId: string;
  readonly menteeId: string;
  /** By default "<mentee> · <cohort>". */
  readonly title?: string | undefined;
  /** By default "<program>: <cohort>". */
  readonly purpose?: string | undefined;
  /** The roadmap revision's author: the caller's person, or the mentor when an API key names no one. */
  readonly authorId: string | null;
  readonly now: string;
  /** What created the room, told to its members in `room.joined` (absent: an admin opened it). */
  readonly origin?: { readonly matchRunId: string } | { readonly matchRequestId: string } | undefined;
}

/** Opens the room inside `trx` and emits its events; answers the cohort link row. */
export async function openCohortRoom(trx: Transaction<Database>, emit: (draft: EventDraft) => Promise<void>, o: OpenCohortRoom): Promise<CohortRoomsTable> {
  const { cohort, now } = o;
  const mentee = await trx.selectFrom('people').select('display_name').where('id', '=', o.menteeId).executeTakeFirstOrThrow();
  const program = await trx.selectFrom('programs').select('name').where('id', '=', cohort.program_id).executeTakeFirstOrThrow();
  const template = cohort.template_id === null ? undefined : await trx.selectFrom('roadmap_templates').selectAll().where('id', '=', cohort.template_id).executeTakeFirst();
  const roomId = newId('room');
  const room = {
    id: roomId, org_id: cohort.org_id, title: o.title ?? `${mentee.display_name} · ${cohort.name}`.slice(0, 120),
    purpose: o.purpose ?? `${program.name}: ${cohort.name}`, status: 'active', roadmap_id: null, created_at: now, updated_at: now,
  };
  await trx.insertInto('rooms').values(room).execute();
  await trx.insertInto('room_members').values([
    { room_id: roomId, person_id: o.mentorId, org_id: cohort.org_id, role: 'mentor', joined_at: now },
    { room_id: roomId, person_id: o.menteeId, org_id: cohort.org_id, role: 'mentee', joined_at: now },
  ]).execute();
  let roadmapId: string | null = null;
  let version: number | null = null;
  if (template) {
    const v = await versionOf(trx, template.id, template.version);
    roadmapId = await startRoadmap(trx, {
      orgId: cohort.org_id, roomId, ownerId: o.menteeId, authorId: o.authorId ?? o.mentorId,
      startDate: cohort.start_date, title: template.name, version: v, now,
    });
    version = template.version;
  }
  const link: CohortRoomsTable = {
    room_id: roomId, cohort_id: cohort.id, org_id: cohort.org_id, mentor_id: o.mentorId, mentee_id: o.menteeId,
    roadmap_id: roadmapId, template_id: template?.id ?? null, template_version: version, created_at: now,
  };
  await trx.insertInto('cohort_rooms').values(link).execute();
  const [view] = await roomViews(trx, await trx.selectFrom('rooms').selectAll().where('id', '=', roomId).execute());
  if (view) await emit({ orgId: cohort.org_id, event: { type: 'room.updated', occurredAt: now, roomId, data: view } });
  if (roadmapId !== null) {
    const [roadmap] = await roadmapViews(trx, await trx.selectFrom('roadmaps').selectAll().where('id', '=', roadmapId).execute());
    if (roadmap) await emit({ orgId: cohort.org_id, event: { type: 'roadmap.updated', occurredAt: now, roomId, data: roadmap } });
  }
  // Each member is told on their own `me` topic: they follow no `room:` topic of a room that did not exist.
  if (view) {
    for (const personId of [o.mentorId, o.menteeId]) {
      await emit({ orgId: cohort.org_id, personId, event: { type: 'room.joined', occurredAt: now, roomId, data: view, ...o.origin } });
    }
  }
  return link;
}
