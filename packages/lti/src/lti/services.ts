/**
 * LTI Advantage services the tool calls on the platform: an OAuth 2 access token through client
 * credentials with a `private_key_jwt` assertion, Names and Role Provisioning (roster into room
 * membership) and Assignment and Grade Services (milestone completion as a score).
 * @module
 */
import { SignJWT } from 'jose';
import type { RoomRole } from '../ports.js';
import type { LtiContext, Registration } from '../store.js';
import { SCOPE, roomRoleFor } from './claims.js';
import type { ToolContext } from './context.js';
import { LtiError, MESSAGES } from './errors.js';
import { removeAbsentCourseMembers, setCourseMembership, upsertLaunchedPerson } from './people.js';

/** Cached access tokens, per registration and scope set. */
const tokenCaches = new WeakMap<ToolContext, Map<string, { token: string; expiresAt: number }>>();

async function call(tool: ToolContext, url: string, init: RequestInit, what: string): Promise<Response> {
  let response: Response;
  try {
    response = await tool.fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
  } catch (error) {
    throw new LtiError('platform_unreachable', MESSAGES.platformUnreachable, { url, what, error: String(error) }, 502);
  }
  if (!response.ok) {
    const body = await response.text().catch(() => '');
    throw new LtiError('platform_refused', MESSAGES.platformUnreachable, { url, what, status: response.status, body: body.slice(0, 500) }, 502);
  }
  return response;
}

/** An access token for the given scopes, from cache when still valid for a minute. */
export async function serviceToken(tool: ToolContext, registration: Registration, scopes: readonly string[]): Promise<string> {
  const cache = tokenCaches.get(tool) ?? new Map<string, { token: string; expiresAt: number }>();
  tokenCaches.set(tool, cache);
  const cacheKey = `${registration.id} ${[...scopes].sort().join(' ')}`;
  const hit = cache.get(cacheKey);
  if (hit && hit.expiresAt - 60_000 > tool.now().getTime()) return hit.token;

  const { kid, key } = await tool.keyring.signingKey();
  const now = Math.floor(tool.now().getTime() / 1000);
  const assertion = await new SignJWT({})
    .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
    .setIssuer(registration.clientId)
    .setSubject(registration.clientId)
    .setAudience(registration.authTokenAudience ?? registration.authTokenUrl)
    .setIssuedAt(now)
    .setExpirationTime(now + 300)
    .setJti(crypto.randomUUID())
    .sign(key);
  const response = await call(
    tool,
    registration.authTokenUrl,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertion,
        scope: scopes.join(' '),
      }),
    },
    'access token',
  );
  const body = (await response.json().catch(() => ({}))) as { access_token?: unknown; expires_in?: unknown };
  if (typeof body.access_token !== 'string') throw new LtiError('bad_token_response', MESSAGES.platformUnreachable, { url: registration.authTokenUrl }, 502);
  const lifetime = typeof body.expires_in === 'number' ? body.expires_in : 3600;
  cache.set(cacheKey, { token: body.access_token, expiresAt: tool.now().getTime() + lifetime * 1000 });
  return body.access_token;
}

/** One member of a course roster (NRPS). */
export interface RosterMember {
  userId: string;
  status: 'Active' | 'Inactive' | 'Deleted';
  roles: string[];
  name: string | undefined;
  email: string | undefined;
  sourcedId: string | undefined;
}

function nextLink(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(',')) {
    const match = /<([^>]+)>\s*;(.*)/.exec(part.trim());
    if (match?.[1] && /rel="?next"?/.test(match[2] ?? '')) return match[1];
  }
  return undefined;
}

/** A roster as read: `complete` is false when the page limit stopped the read before the last page. */
export interface Roster {
  members: RosterMember[];
  complete: boolean;
}

/**
 * Reads the whole roster, following `Link: <…>; rel="next"` (at most `maxPages` pages). A page
 * that fails fails the read: a partial roster must never be taken for the whole course.
 */
export async function fetchRoster(tool: ToolContext, registration: Registration, membershipsUrl: string, maxPages = 200): Promise<Roster> {
  const token = await serviceToken(tool, registration, [SCOPE.nrps]);
  const members: RosterMember[] = [];
  let url: string | undefined = membershipsUrl;
  for (let page = 0; url && page < maxPages; page += 1) {
    const response = await call(tool, url, { headers: { authorization: `Bearer ${token}`, accept: 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json' } }, 'roster');
    const body = (await response.json().catch(() => ({}))) as { members?: unknown };
    for (const raw of Array.isArray(body.members) ? body.members : []) {
      if (typeof raw !== 'object' || raw === null) continue;
      const m = raw as Record<string, unknown>;
      if (typeof m['user_id'] !== 'string') continue;
      const status = m['status'] === 'Inactive' || m['status'] === 'Deleted' ? m['status'] : 'Active';
      members.push({
        userId: m['user_id'],
        status,
        roles: Array.isArray(m['roles']) ? m['roles'].filter((r): r is string => typeof r === 'string') : [],
        name: typeof m['name'] === 'string' ? m['name'] : undefined,
        email: typeof m['email'] === 'string' ? m['email'] : undefined,
        sourcedId: typeof m['lis_person_sourcedid'] === 'string' ? m['lis_person_sourcedid'] : undefined,
      });
    }
    url = nextLink(response.headers.get('link'));
  }
  return { members, complete: url === undefined };
}

/** What a roster sync did. */
export interface RosterSyncResult {
  added: number;
  removed: number;
  byRole: Record<RoomRole, number>;
}

/**
 * Syncs a course roster into the membership of the course's room: active members get the role
 * their LMS roles map to; inactive and deleted members are removed from the room; and, once the
 * whole roster was read, members this course added to the room who are no longer on it leave
 * (platforms need not list people who left). Members added by other means are never removed by
 * absence: see `./people.ts` for how the tool knows who came from the course.
 */
export async function syncRoster(tool: ToolContext, context: LtiContext): Promise<RosterSyncResult> {
  const registration = await tool.store.getRegistration(context.registrationId);
  if (!registration) throw new LtiError('unknown_platform', MESSAGES.unknownPlatform, {}, 404);
  if (!context.membershipsUrl) throw new LtiError('no_nrps', 'This course does not share its roster with Menteo.', { contextId: context.contextId }, 409);
  if (!context.roomId) throw new LtiError('no_room', 'This course is not linked to a Menteo room yet.', { contextId: context.contextId }, 409);
  const readStartedAt = tool.now().toISOString();
  const roster = await fetchRoster(tool, registration, context.membershipsUrl);
  const course = { registrationId: registration.id, deploymentId: context.deploymentId, contextId: context.contextId };
  const result: RosterSyncResult = { added: 0, removed: 0, byRole: { mentor: 0, mentee: 0, observer: 0 } };
  const present = new Set<string>();
  let unresolved = 0;
  for (const member of roster.members) {
    const externalId =
      registration.personMatch === 'sourcedid' && member.sourcedId
        ? member.sourcedId
        : registration.personMatch === 'email' && member.email
          ? member.email.toLowerCase()
          : `lti|${registration.issuer}|${member.userId}`;
    let person: { personId: string; active: boolean };
    try {
      person = await upsertLaunchedPerson(tool, registration, { externalId, displayName: member.name, email: member.email }, member.email);
    } catch (error) {
      if (!(error instanceof LtiError)) throw error;
      unresolved += 1;
      tool.log({ level: 'warn', message: 'Roster member skipped', detail: { contextId: context.contextId, userId: member.userId, code: error.code, ...error.detail } });
      continue;
    }
    present.add(person.personId);
    await tool.store.linkUser(registration.id, member.userId, person.personId);
    if (member.status === 'Active' && person.active) {
      const role = roomRoleFor(member.roles);
      await setCourseMembership(tool, registration.orgId, course, context.roomId, person.personId, role);
      result.added += 1;
      result.byRole[role] += 1;
    } else {
      await setCourseMembership(tool, registration.orgId, course, context.roomId, person.personId, null);
      result.removed += 1;
    }
  }
  if (roster.complete && unresolved === 0) {
    result.removed += await removeAbsentCourseMembers(tool, registration.orgId, course, context.roomId, present, readStartedAt);
  } else {
    // Someone absent from a partial roster may simply be on a page not read: remove nobody.
    tool.log({ level: 'warn', message: 'Roster incomplete; nobody was removed for being absent', detail: { contextId: context.contextId, complete: roster.complete, unresolved } });
  }
  tool.log({ level: 'info', message: 'Roster synced', detail: { contextId: context.contextId, ...result } });
  return result;
}

/** Finds the line item of a roadmap in a course, creating it when missing. */
async function lineItemFor(tool: ToolContext, registration: Registration, context: LtiContext, roadmapId: string, label: string, token: string): Promise<string> {
  if (!context.lineitemsUrl) {
    if (context.lineitemUrl) return context.lineitemUrl;
    throw new LtiError('no_ags', 'This course does not accept grades from Menteo.', { contextId: context.contextId }, 409);
  }
  const listUrl = new URL(context.lineitemsUrl);
  listUrl.searchParams.set('resource_id', roadmapId);
  const headers = { authorization: `Bearer ${token}` };
  const list = await call(tool, listUrl.toString(), { headers: { ...headers, accept: 'application/vnd.ims.lis.v2.lineitemcontainer+json' } }, 'line items');
  const items = (await list.json().catch(() => [])) as unknown;
  if (Array.isArray(items)) {
    const found = items.find((i: unknown) => typeof i === 'object' && i !== null && (i as Record<string, unknown>)['resourceId'] === roadmapId);
    if (found && typeof (found as Record<string, unknown>)['id'] === 'string') return (found as Record<string, string>)['id'] as string;
  }
  const created = await call(
    tool,
    context.lineitemsUrl,
    {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/vnd.ims.lis.v2.lineitem+json', accept: 'application/vnd.ims.lis.v2.lineitem+json' },
      body: JSON.stringify({ scoreMaximum: 100, label, resourceId: roadmapId, tag: 'menteo-milestones' }),
    },
    'create line item',
  );
  const item = (await created.json().catch(() => ({}))) as { id?: unknown };
  if (typeof item.id !== 'string') throw new LtiError('bad_line_item', MESSAGES.platformUnreachable, { url: context.lineitemsUrl }, 502);
  return item.id;
}

/** What `postMilestoneScore` needs. */
export interface ScoreRequest {
  context: LtiContext;
  personId: string;
  roadmapId: string;
  /** Label of the line item if it must be created. */
  label?: string;
}

/**
 * Posts a person's milestone completion on a roadmap as a score (0–100) to the course
 * gradebook. Returns false when there is nothing to post (unknown roadmap or LMS user).
 */
export async function postMilestoneScore(tool: ToolContext, request: ScoreRequest): Promise<boolean> {
  const registration = await tool.store.getRegistration(request.context.registrationId);
  if (!registration) throw new LtiError('unknown_platform', MESSAGES.unknownPlatform, {}, 404);
  const userId = await tool.store.findUserSub(registration.id, request.personId);
  const completion = await tool.host.getMilestoneCompletion(registration.orgId, request.roadmapId, request.personId);
  if (!userId || !completion || completion.total === 0) return false;
  const token = await serviceToken(tool, registration, [SCOPE.agsLineItem, SCOPE.agsScore]);
  const lineItem = await lineItemFor(tool, registration, request.context, request.roadmapId, request.label ?? 'Menteo milestones', token);
  const done = completion.completed >= completion.total;
  const scoresUrl = new URL(lineItem);
  scoresUrl.pathname = `${scoresUrl.pathname.replace(/\/$/, '')}/scores`;
  await call(
    tool,
    scoresUrl.toString(),
    {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/vnd.ims.lis.v1.score+json' },
      body: JSON.stringify({
        userId,
        scoreGiven: Math.round((completion.completed / completion.total) * 10000) / 100,
        scoreMaximum: 100,
        comment: `${completion.completed} of ${completion.total} milestones done`,
        timestamp: completion.updatedAt,
        activityProgress: done ? 'Completed' : 'InProgress',
        gradingProgress: done ? 'FullyGraded' : 'Pending',
      }),
    },
    'score',
  );
  return true;
}
