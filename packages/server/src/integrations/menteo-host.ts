/**
 * `MenteoHost` over the server's own tables: what an LTI launch needs from Menteo. People are the
 * same rows `/v1/people` shows; embed sessions are minted by the same code as
 * `POST /v1/embed-sessions`; room membership changes emit the same `room.updated` event as the
 * members endpoints, so open widgets see a launched learner join.
 * @module
 */
import { DEFAULT_EMBED_SCOPES } from '@menteo/api/scopes';
import type { MembershipOutcome, MenteoHost, Placeable, RoomRole } from '@menteo/lti';
import type { Kysely } from 'kysely';
import { firstUnknownRoom, insertEmbedSession } from '../auth/embed-session.js';
import type { RunInTransaction } from '../context.js';
import { strings } from '../storage/json.js';
import type { Database } from '../storage/schema.js';
import { roomView } from '../views/rooms.js';
import { upsertPersonByEmail, upsertPersonByExternalId } from './people-directory.js';

/** Most items the deep-linking picker lists, so a huge organization still renders a page. */
const MAX_PLACEABLES = 200;

/** A stored room role (the column is text; the API only ever writes these three). */
function roleOf(value: string): RoomRole {
  return value === 'mentor' || value === 'observer' ? value : 'mentee';
}

/** Builds the host the LTI tool launches into. */
export function createMenteoHost(db: Kysely<Database>, tx: RunInTransaction): MenteoHost {
  return {
    // LTI is not authoritative for `active`: a launch never reactivates someone HR deactivated.
    upsertPerson: (orgId, profile, lookup) =>
      lookup?.by === 'email'
        ? upsertPersonByEmail(db, orgId, profile, lookup.email)
        : upsertPersonByExternalId(db, orgId, profile, { mayChangeActive: false }),

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

    async setRoomMembership(orgId, roomId, personId, role, options) {
      const room = await db.selectFrom('rooms').select(['id', 'status']).where('id', '=', roomId).where('org_id', '=', orgId).executeTakeFirst();
      if (!room) throw new Error(`There is no room ${roomId} in this organization.`);
      const person = await db.selectFrom('people').select('id').where('id', '=', personId).where('org_id', '=', orgId).executeTakeFirst();
      if (!person) throw new Error(`There is no person ${personId} in this organization.`);
      return tx(async (trx, emit): Promise<MembershipOutcome> => {
        const existing = await trx.selectFrom('room_members').select(['role', 'joined_at']).where('room_id', '=', roomId).where('person_id', '=', personId).executeTakeFirst();
        const previous = existing ? roleOf(existing.role) : null;
        // Every launch calls this: write (and notify) only when something changes.
        if (previous === role) return { previous, joinedAt: existing?.joined_at ?? null };
        // A course removes only the membership it created: one re-added since began at another instant.
        if (role === null && options?.onlyIfJoinedAt !== undefined && existing?.joined_at !== options.onlyIfJoinedAt) {
          return { previous, joinedAt: existing?.joined_at ?? null };
        }
        const now = new Date().toISOString();
        let joinedAt: string | null = existing?.joined_at ?? null;
        if (role === null) {
          await trx.deleteFrom('room_members').where('room_id', '=', roomId).where('person_id', '=', personId).execute();
          joinedAt = null;
        } else if (existing) {
          await trx.updateTable('room_members').set({ role }).where('room_id', '=', roomId).where('person_id', '=', personId).execute();
        } else {
          await trx.insertInto('room_members').values({ room_id: roomId, person_id: personId, org_id: orgId, role, joined_at: now }).execute();
          joinedAt = now;
        }
        await trx.updateTable('rooms').set({ updated_at: now }).where('id', '=', roomId).execute();
        const row = await trx.selectFrom('rooms').selectAll().where('id', '=', roomId).executeTakeFirstOrThrow();
        const view = await roomView(trx, row);
        await emit({ orgId, event: { type: 'room.updated', occurredAt: now, roomId, data: view } });
        return { previous, joinedAt };
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
