/**
 * Who a launch or a roster entry is, and which room memberships an LMS course created.
 *
 * - **People.** The registration's `personMatch` decides the external id of a person Menteo has
 *   never seen. With `email`, an existing person of the organization with the same email
 *   (compared case-insensitively) is that person whatever their external id: someone an HR
 *   system provisioned through SCIM (`externalId` `hr-alan`) who opens Menteo from a course is
 *   the same person, not a second one with the same email.
 * - **Memberships.** A course may remove from its room only the memberships it created. When a
 *   launch or a roster sync makes someone a member who was not one, the tool records a grant
 *   (course, room, person, and when the membership began). Members added by other means (the
 *   API, an admin, another course) carry no grant of this course and are never removed by it.
 * @module
 */
import { AmbiguousPersonError, type PersonLookup, type PersonProfile, type RoomRole } from '../ports.js';
import type { CourseKey, Registration } from '../store.js';
import type { ToolContext } from './context.js';
import { LtiError } from './errors.js';

/** The message of a launch whose email matches several people. */
const AMBIGUOUS = 'Menteo found more than one account with your email address, so it cannot tell which one is yours. Ask your administrator to merge them.';

/** The lookup for a person with this email under the registration's matching rule. */
export function lookupFor(registration: Registration, email: string | undefined): PersonLookup | undefined {
  return registration.personMatch === 'email' && email ? { by: 'email', email } : undefined;
}

/**
 * Finds or creates the person of a launch. An email that matches several people ends the launch
 * with a plain message (the admin's log says how many) rather than picking one of them.
 */
export async function upsertLaunchedPerson(tool: ToolContext, registration: Registration, profile: PersonProfile, email: string | undefined): Promise<{ personId: string; active: boolean }> {
  try {
    return await tool.host.upsertPerson(registration.orgId, profile, lookupFor(registration, email));
  } catch (error) {
    if (error instanceof AmbiguousPersonError) {
      throw new LtiError('ambiguous_person', AMBIGUOUS, { issuer: registration.issuer, matches: error.matches, match: 'email' }, 409);
    }
    throw error;
  }
}

/**
 * Sets a course member's role in the course's room, and records the grant when this course
 * created the membership (or shares one another course created). A removal forgets the grant.
 */
export async function setCourseMembership(tool: ToolContext, orgId: string, course: CourseKey, roomId: string, personId: string, role: RoomRole | null): Promise<void> {
  const outcome = await tool.host.setRoomMembership(orgId, roomId, personId, role);
  if (role === null || outcome.joinedAt === null) {
    await tool.store.deleteRoomGrant(course, roomId, personId);
    return;
  }
  const grant = { ...course, roomId, personId, joinedAt: outcome.joinedAt };
  if (outcome.previous === null) {
    await tool.store.recordRoomGrant(grant);
    return;
  }
  // Already a member: this course holds the membership too only if a course created this very
  // membership (two sections sharing a room); a member added by other means stays untouched.
  const grants = await tool.store.grantsOfMember(roomId, personId);
  if (grants.some((g) => g.joinedAt === outcome.joinedAt)) await tool.store.recordRoomGrant(grant);
}

/**
 * After a complete roster: ends the memberships this course created for people no longer on
 * it. A membership another course also holds stays (that course's roster decides); one that was
 * re-created since by other means stays (the host compares when it began); one a launch
 * confirmed after the roster read began stays (the person enrolled while the roster was read:
 * a launch is newer evidence than the roster). Returns how many people left the room.
 */
export async function removeAbsentCourseMembers(tool: ToolContext, orgId: string, course: CourseKey, roomId: string, present: ReadonlySet<string>, readStartedAt: string): Promise<number> {
  let removed = 0;
  for (const grant of await tool.store.roomGrantsOf(course, roomId)) {
    if (present.has(grant.personId) || (grant.seenAt !== undefined && grant.seenAt >= readStartedAt)) continue;
    const sharedWith = (await tool.store.grantsOfMember(roomId, grant.personId)).filter(
      (g) => g.joinedAt === grant.joinedAt && !(g.registrationId === course.registrationId && g.deploymentId === course.deploymentId && g.contextId === course.contextId),
    );
    if (sharedWith.length === 0) {
      const outcome = await tool.host.setRoomMembership(orgId, roomId, grant.personId, null, { onlyIfJoinedAt: grant.joinedAt });
      if (outcome.previous !== null && outcome.joinedAt === null) removed += 1;
    }
    await tool.store.deleteRoomGrant(course, roomId, grant.personId);
  }
  return removed;
}
