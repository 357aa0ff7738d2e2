/**
 * The launch: the platform's `form_post` of the id_token to `/launch`. Validates the token,
 * spends the nonce and the state, checks that this browser started the login (cookie, or the
 * platform storage when cookies are blocked), then hands over to the session page or the
 * deep-linking picker.
 * @module
 */
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Registration } from '../store.js';
import { roomRoleFor, type ValidatedLaunch } from './claims.js';
import type { ToolContext, WidgetTarget } from './context.js';
import { renderDeepLinkPicker } from './deep-linking.js';
import { LtiError, MESSAGES } from './errors.js';
import { validateIdToken } from './id-token.js';
import { escapeHtml, newNonce, originOf, renderPage } from './html.js';
import { stateCookieName } from './login.js';
import { setCourseMembership, upsertLaunchedPerson } from './people.js';
import { getStateScript } from './platform-storage.js';
import { grantFor, renderLaunchPage } from './session.js';

async function readForm(c: Context): Promise<Record<string, string>> {
  const type = c.req.header('content-type') ?? '';
  if (!type.includes('application/x-www-form-urlencoded') && !type.includes('multipart/form-data')) {
    throw new LtiError('bad_content_type', MESSAGES.invalidLaunch, { contentType: type });
  }
  const form = await c.req.formData().catch(() => undefined);
  if (!form) throw new LtiError('bad_form', MESSAGES.invalidLaunch);
  const fields: Record<string, string> = {};
  form.forEach((value, key) => {
    if (typeof value === 'string') fields[key] = value;
  });
  return fields;
}

/** Origins allowed to frame the launch page: the platform's. */
export function platformOrigins(registration: Registration, launch?: ValidatedLaunch): string[] {
  const origins = new Set<string>();
  for (const url of [registration.issuer, registration.authLoginUrl, launch?.returnUrl]) {
    const origin = originOf(url);
    if (origin) origins.add(origin);
  }
  return [...origins];
}

/** The external id of the launched person, by the registration's matching rule. */
export function personExternalId(registration: Registration, launch: ValidatedLaunch): string {
  if (registration.personMatch === 'sourcedid' && launch.sourcedId) return launch.sourcedId;
  if (registration.personMatch === 'email' && launch.email) return launch.email.toLowerCase();
  // The platform's user id is only unique per issuer.
  return `lti|${launch.issuer}|${launch.sub}`;
}

/** Handles POST `/launch`. */
export async function handleLaunch(tool: ToolContext, c: Context): Promise<Response> {
  const form = await readForm(c);
  if (form['error']) {
    throw new LtiError('platform_error', MESSAGES.invalidLaunch, { error: form['error'], description: form['error_description'] });
  }
  const idToken = form['id_token'];
  const state = form['state'];
  if (!idToken || !state) throw new LtiError('missing_id_token', MESSAGES.invalidLaunch, { hasToken: Boolean(idToken), hasState: Boolean(state) });

  const launch = await validateIdToken(idToken, {
    store: tool.store,
    resolveKey: tool.resolveKey,
    leewaySeconds: tool.options.leewaySeconds ?? 60,
    now: tool.now,
  });
  // Spend the nonce first: a replayed token must fail even if it comes with a fresh state.
  const nonceExpiry = new Date(tool.now().getTime() + 2 * 60 * 60 * 1000);
  if (!(await tool.store.useNonce(launch.issuer, launch.nonce, nonceExpiry))) {
    throw new LtiError('replayed_nonce', MESSAGES.replayed, { issuer: launch.issuer, sub: launch.sub });
  }
  const login = await tool.store.consumeLoginState(state, tool.now());
  if (!login) throw new LtiError('unknown_state', MESSAGES.stale, { issuer: launch.issuer });
  if (login.registrationId !== launch.registrationId || login.nonce !== launch.nonce) {
    throw new LtiError('bad_nonce', MESSAGES.invalidLaunch, { issuer: launch.issuer, stateRegistration: login.registrationId });
  }
  const registration = await tool.store.getRegistration(launch.registrationId);
  if (!registration) throw new LtiError('unknown_platform', MESSAGES.unknownPlatform, {}, 403);

  if (getCookie(c, stateCookieName(state)) === '1') return completeLaunch(tool, registration, launch);
  const platformOrigin = originOf(registration.authLoginUrl);
  if (!login.storageTarget || !platformOrigin) {
    throw new LtiError('state_cookie_missing', MESSAGES.cookiesBlocked, { issuer: launch.issuer }, 401);
  }
  // No cookie: park the validated launch and let the page prove, through the platform's storage,
  // that this browser is the one that started the login.
  const ticket = crypto.randomUUID();
  await tool.store.parkLaunch(state, ticket, JSON.stringify(launch));
  tool.log({ level: 'info', message: 'LTI launch waiting for platform storage', detail: { issuer: launch.issuer, storageTarget: login.storageTarget } });
  const nonce = newNonce();
  return renderPage({
    title: 'Opening Menteo…',
    nonce,
    frameAncestors: platformOrigins(registration, launch),
    body: `<form id="confirm" method="post" action="${escapeHtml(`${tool.options.baseUrl}/launch/confirm`)}"><input type="hidden" name="ticket" value="${escapeHtml(ticket)}"><input type="hidden" name="state" value=""></form>
<p id="failed" role="alert" hidden>${escapeHtml(MESSAGES.cookiesBlocked)}</p>
<script nonce="${nonce}">${getStateScript({ target: login.storageTarget, platformOrigin, state, formId: 'confirm', errorId: 'failed' })}</script>`,
  });
}

/** Handles POST `/launch/confirm`: the page read the state back from the platform storage. */
export async function handleConfirm(tool: ToolContext, c: Context): Promise<Response> {
  const form = await readForm(c);
  const ticket = form['ticket'];
  const state = form['state'];
  if (!ticket || !state) throw new LtiError('bad_confirm', MESSAGES.stale);
  const parked = await tool.store.takeParkedLaunch(ticket, tool.now());
  if (!parked || parked.state !== state) throw new LtiError('bad_confirm', MESSAGES.stale, { found: Boolean(parked) });
  const launch = JSON.parse(parked.launch) as ValidatedLaunch;
  const registration = await tool.store.getRegistration(launch.registrationId);
  if (!registration) throw new LtiError('unknown_platform', MESSAGES.unknownPlatform, {}, 403);
  return completeLaunch(tool, registration, launch);
}

/** Which widget the launch shows: the deep-linked item, else the course's room, else home. */
function targetOf(launch: ValidatedLaunch, courseRoomId: string | null): WidgetTarget {
  const role = roomRoleFor(launch.roles);
  const kind = launch.custom['menteo_kind'];
  const id = launch.custom['menteo_id'];
  if ((kind === 'room' || kind === 'roadmap' || kind === 'feed') && id) return { kind, id, role };
  if (launch.custom['menteo_room_id']) return { kind: 'room', id: launch.custom['menteo_room_id'], role };
  if (courseRoomId) return { kind: 'room', id: courseRoomId, role };
  return { kind: 'home', id: undefined, role };
}

/** Everything after the browser check: the person, the course, then the page. */
export async function completeLaunch(tool: ToolContext, registration: Registration, launch: ValidatedLaunch): Promise<Response> {
  const externalId = personExternalId(registration, launch);
  const person = await upsertLaunchedPerson(tool, registration, {
    externalId,
    // Privacy settings may strip name and email: leave what Menteo knows unchanged.
    displayName: launch.name,
    email: launch.email,
  }, launch.email);
  if (!person.active) throw new LtiError('deactivated', MESSAGES.deactivated, { personId: person.personId }, 403);
  await tool.store.linkUser(registration.id, launch.sub, person.personId);

  let courseRoomId: string | null = null;
  const course = launch.context ? { registrationId: registration.id, deploymentId: launch.deploymentId, contextId: launch.context.id } : undefined;
  if (launch.context) {
    const boundRoom = launch.custom['menteo_kind'] === 'room' ? launch.custom['menteo_id'] : launch.custom['menteo_room_id'];
    const context = await tool.store.upsertContext({
      registrationId: registration.id,
      deploymentId: launch.deploymentId,
      contextId: launch.context.id,
      title: launch.context.title ?? null,
      membershipsUrl: launch.nrps?.membershipsUrl ?? null,
      lineitemsUrl: launch.ags?.lineitemsUrl ?? null,
      lineitemUrl: launch.ags?.lineitemUrl ?? null,
      ...(boundRoom ? { roomId: boundRoom } : {}),
    });
    courseRoomId = context.roomId;
  }
  tool.log({ level: 'info', message: 'LTI launch accepted', detail: { issuer: launch.issuer, deploymentId: launch.deploymentId, personId: person.personId, messageType: launch.messageType } });

  const frameAncestors = platformOrigins(registration, launch);
  if (launch.messageType === 'LtiDeepLinkingRequest') {
    return renderDeepLinkPicker(tool, registration, launch, person.personId, frameAncestors);
  }
  const target = targetOf(launch, courseRoomId);
  if (target.kind === 'room' && target.id) {
    // Into the course's own room, the course records that it added the person (its roster may
    // remove them later); any other room is a plain membership.
    if (course && target.id === courseRoomId) await setCourseMembership(tool, registration.orgId, course, target.id, person.personId, target.role);
    else await tool.host.setRoomMembership(registration.orgId, target.id, person.personId, target.role);
  }
  return renderLaunchPage(tool, grantFor(registration.orgId, person.personId, target), target, frameAncestors);
}
