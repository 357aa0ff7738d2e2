/**
 * `MenteoHost` over the server's own tables: what an LTI launch needs from Menteo. People are the
 * same rows `/v1/people` shows; embed sessions are minted by the same code as
 * `POST /v1/embed-sessions`; room membership changes emit the same `room.updated` event as the
 * members endpoints, so open widgets see a launched learner join.
 * @module
 */
import { DEFAULT_EMBED_SCOPES } from '@menteo/api/scopes';
import type { MenteoHost, Placeable } from '@menteo/lti';
import type { Kysely } from 'kysely';
import { firstUnknownRoom, insertEmbedSession } from '../auth/embed-session.js';
import type { RunInTransaction } from '../context.js';
import { strings } from '../storage/json.js';
import type { Database } from '../storage/schema.js';
import { roomView } from '../views/rooms.js';
import { upsertPersonByExternalId } from './people-directory.js';

/** Most items the deep-linking picker lists, so a huge organization still renders a page. */
const MAX_PLACEABLES = 200;

/** Builds the host the LTI tool launches into. */
export function createMenteoHost(db: Kysely<Database>, tx: RunInTransaction): MenteoHost {
  return {
    // LTI is not authoritative for `active`: a launch never reactivates someone HR deactivated.
    upsertPerson: (orgId, profile) => upsertPersonByExternalId(db, orgId, profile, { mayChangeActive: false }),

    async mintEmbedSession(orgId, request) {
      const person = await db.selectFrom('people').select(['id', 'active']).where('id', '=', request.personId).where('org_id', '=', orgId).executeTakeFirst();
      if (!person || person.active !== 1) return null;
      // A launch acts for a member, never for the organization: it cannot grant more than what a
      // host backend grants by default (no rooms:write, people:write or org:admin).
      const scopes = (request.scopes ?? DEFAULT_EMBED_SCOPES).filter((s) => DEFAULT_EMBED_SCOPES.includes(s));
      if (request.roomIds) {
        const index = await firstUnknownRoom(db, orgId, request.roomIds);
        if (index >= 0) throw new Error(`There is no room ${request.roomIds[index]} in this organization.`);
      }
      return insertEmbedSession(db, {
        orgId, personId: person.id, scopes, roomIds: request.roomIds, components: request.components, ttlSeconds: request.ttlSeconds,
      }, new Date().toISOString());
    },

    async setRoomMembership(orgId, roomId, personId, role) {
      const room = await db.selectFrom('rooms').select(['id', 'status']).where('id', '=', roomId).where('org_id', '=', orgId).executeTakeFirst();
      if (!room) throw new Error(`There is no room ${roomId} in this organization.`);
      const person = await db.selectFrom('people').select('id').where('id', '=', personId).where('org_id', '=', orgId).executeTakeFirst();
      if (!person) throw new Error(`There is no person ${personId} in this organization.`);
      await tx(async (trx, emit) => {
        const existing = await trx.selectFrom('room_members').select('role').where('room_id', '=', roomId).where('person_id', '=', personId).executeTakeFirst();
        // Every launch calls this: write (and notify) only when something changes.
        if ((existing?.role ?? null) === role) return;
        const now = new Date().toISOString();
        if (role === null) {
          await trx.deleteFrom('room_members').where('room_id', '=', roomId).where('person_id', '=', personId).execute();
        } else if (existing) {
          await trx.updateTable('room_members').set({ role }).where('room_id', '=', roomId).where('person_id', '=', personId).execute();
        } else {
          await trx.insertInto('room_members').values({ room_id: roomId, person_id: personId, org_id: orgId, role, joined_at: now }).execute();
        }
        await trx.updateTable('rooms').set({ updated_at: now }).where('id', '=', roomId).execute();
        const row = await trx.selectFrom('rooms').selectAll().where('id', '=', roomId).executeTakeFirstOrThrow();
        const view = await roomView(trx, row);
        await emit({ orgId, event: { type: 'room.updated', occurredAt: now, roomId, data: view } });
      });
    },

    async getMilestoneCompletion(orgId, roadmapId, personId) {
      const roadmap = await db.selectFrom('roadmaps').select(['id', 'room_id', 'owner_id', 'updated_at']).where('id', '=', roadmapId).where('org_id', '=', orgId).executeTakeFirst();
      if (!roadmap) return null;
      // Completion is the roadmap's owner's progress; other members of the room get no score.
      if (roadmap.owner_id !== personId) return null;
      const rows = await db.selectFrom('milestones').select(['status', 'updated_at']).where('roadmap_id', '=', roadmapId).execute();
      const updatedAt = rows.reduce((latest, r) => (r.updated_at > latest ? r.updated_at : latest), roadmap.updated_at);
      return { completed: rows.filter((r) => r.status === 'done').length, total: rows.length, updatedAt };
    },

    async listPlaceables(orgId, personId) {
      const person = await db.selectFrom('people').select(['id', 'roles', 'active']).where('id', '=', personId).where('org_id', '=', orgId).executeTakeFirst();
      if (!person || person.active !== 1) return [];
      const isAdmin = strings(person.roles).includes('admin');
      // Instructors place what they run: rooms they mentor (admins: every active room).
      let rooms = db.selectFrom('rooms').select(['id', 'title']).where('org_id', '=', orgId).where('status', '=', 'active');
      if (!isAdmin) {
        rooms = rooms.where('id', 'in', db.selectFrom('room_members').select('room_id').where('person_id', '=', personId).where('role', '=', 'mentor'));
      }
      const roomRows = await rooms.orderBy('id', 'desc').limit(MAX_PLACEABLES).execute();
      const out: Placeable[] = roomRows.map((r) => ({ kind: 'room', id: r.id, title: r.title }));
      if (roomRows.length === 0) return out;
      const roomIds = roomRows.map((r) => r.id);
      const roadmaps = await db.selectFrom('roadmaps').select(['id', 'title']).where('org_id', '=', orgId).where('room_id', 'in', roomIds).orderBy('id', 'desc').limit(MAX_PLACEABLES).execute();
      out.push(...roadmaps.map((r): Placeable => ({ kind: 'roadmap', id: r.id, title: r.title })));
      const threads = await db.selectFrom('threads').select(['id', 'title']).where('org_id', '=', orgId).where('room_id', 'in', roomIds).orderBy('id', 'desc').limit(MAX_PLACEABLES).execute();
      out.push(...threads.map((t): Placeable => ({ kind: 'feed', id: t.id, title: t.title })));
      return out.slice(0, MAX_PLACEABLES);
    },
  };
}
