/**
 * Deep Linking 2.0: an instructor picks a Menteo room, roadmap or feed to place in a course; we
 * answer the platform with a signed `LtiDeepLinkingResponse` carrying `ltiResourceLink` items
 * whose custom parameters name the Menteo object (and a gradebook line item for roadmaps).
 * @module
 */
import type { Context } from 'hono';
import { SignJWT } from 'jose';
import type { Placeable } from '../ports.js';
import type { Registration } from '../store.js';
import { CLAIM, roomRoleFor, type ValidatedLaunch } from './claims.js';
import type { ToolContext } from './context.js';
import { LtiError, MESSAGES } from './errors.js';
import { autoPostForm, escapeHtml, newNonce, originOf, renderPage } from './html.js';
import { signToolToken, verifyToolToken } from './tokens.js';

/** What the picker form carries back, signed so the browser cannot change it. */
interface PickContext {
  registrationId: string;
  deploymentId: string;
  orgId: string;
  personId: string;
  returnUrl: string;
  data: string | undefined;
  acceptMultiple: boolean;
  acceptLineItem: boolean;
  frameAncestors: string[];
}

const KIND_LABEL: Record<Placeable['kind'], string> = { room: 'Room', roadmap: 'Roadmap', feed: 'Growth feed' };

/** Renders the picker shown for an `LtiDeepLinkingRequest`. */
export async function renderDeepLinkPicker(
  tool: ToolContext,
  registration: Registration,
  launch: ValidatedLaunch,
  personId: string,
  frameAncestors: string[],
): Promise<Response> {
  const settings = launch.deepLinking;
  if (!settings) throw new LtiError('missing_deep_linking_settings', MESSAGES.invalidLaunch);
  if (roomRoleFor(launch.roles) !== 'mentor') throw new LtiError('deep_link_forbidden', MESSAGES.notAllowed, { roles: launch.roles }, 403);
  if (settings.acceptTypes.length > 0 && !settings.acceptTypes.includes('ltiResourceLink')) {
    throw new LtiError('deep_link_types', 'This place in the course cannot hold a Menteo link. Try adding it as an external tool activity.', { acceptTypes: settings.acceptTypes });
  }
  const pick: PickContext = {
    registrationId: registration.id,
    deploymentId: launch.deploymentId,
    orgId: registration.orgId,
    personId,
    returnUrl: settings.returnUrl,
    data: settings.data,
    acceptMultiple: settings.acceptMultiple,
    acceptLineItem: launch.ags !== undefined,
    frameAncestors,
  };
  const token = await signToolToken(tool, 'deep-link-pick', { pick }, 30 * 60);
  const items = await tool.host.listPlaceables(registration.orgId, personId);
  const inputType = settings.acceptMultiple ? 'checkbox' : 'radio';
  const list = items.length
    ? items
        .map(
          (item, i) =>
            `<li><label><input type="${inputType}" name="item" value="${escapeHtml(`${item.kind}:${item.id}`)}"${i === 0 && inputType === 'radio' ? ' checked' : ''}> ${escapeHtml(KIND_LABEL[item.kind])}: ${escapeHtml(item.title)}</label></li>`,
        )
        .join('')
    : '<li>No rooms, roadmaps or feeds yet. Create one in Menteo first.</li>';
  return renderPage({
    title: 'Add Menteo to your course',
    nonce: newNonce(),
    frameAncestors,
    body: `<main><h1>Add Menteo to your course</h1>
<form method="post" action="${escapeHtml(`${tool.options.baseUrl}/deep-link/respond`)}">
<input type="hidden" name="pick" value="${escapeHtml(token)}">
<ul>${list}</ul>
<button type="submit" name="action" value="add">Add to course</button>
<button type="submit" name="action" value="cancel">Cancel</button>
</form></main>`,
  });
}

/** Handles POST `/deep-link/respond`: signs the response and posts it to the platform. */
export async function handleDeepLinkRespond(tool: ToolContext, c: Context): Promise<Response> {
  const form = await c.req.formData().catch(() => undefined);
  const pickToken = form?.get('pick');
  const payload = typeof pickToken === 'string' ? await verifyToolToken(tool, 'deep-link-pick', pickToken) : undefined;
  const pick = payload?.['pick'] as PickContext | undefined;
  if (!form || !pick) throw new LtiError('bad_pick', MESSAGES.stale, {}, 400);
  const registration = await tool.store.getRegistration(pick.registrationId);
  if (!registration) throw new LtiError('unknown_platform', MESSAGES.unknownPlatform, {}, 403);

  const chosen = form.getAll('item').filter((v): v is string => typeof v === 'string');
  const cancelled = form.get('action') === 'cancel';
  // Re-read what the person may place: the form is input, never trusted for authorization.
  const allowed = await tool.host.listPlaceables(pick.orgId, pick.personId);
  const picked = cancelled
    ? []
    : chosen
        .map((value) => allowed.find((item) => `${item.kind}:${item.id}` === value))
        .filter((item): item is Placeable => item !== undefined)
        .slice(0, pick.acceptMultiple ? 20 : 1);
  if (!cancelled && chosen.length > 0 && picked.length !== Math.min(chosen.length, pick.acceptMultiple ? 20 : 1)) {
    throw new LtiError('bad_pick_item', 'You cannot add that item to this course.', { chosen }, 403);
  }

  const contentItems = picked.map((item) => ({
    type: 'ltiResourceLink',
    title: item.title,
    text: `${KIND_LABEL[item.kind]} in Menteo`,
    url: `${tool.options.baseUrl}/launch`,
    custom: { menteo_kind: item.kind, menteo_id: item.id },
    ...(item.kind === 'roadmap' && pick.acceptLineItem
      ? { lineItem: { scoreMaximum: 100, label: `${item.title} (milestones)`, resourceId: item.id, tag: 'menteo-milestones' } }
      : {}),
  }));
  const { kid, key } = await tool.keyring.signingKey();
  const now = Math.floor(tool.now().getTime() / 1000);
  const claims: Record<string, unknown> = {
    nonce: crypto.randomUUID(),
    [CLAIM.messageType]: 'LtiDeepLinkingResponse',
    [CLAIM.version]: '1.3.0',
    [CLAIM.deploymentId]: pick.deploymentId,
    [CLAIM.deepLinkingContentItems]: contentItems,
  };
  if (pick.data !== undefined) claims[CLAIM.deepLinkingData] = pick.data;
  if (cancelled) claims[CLAIM.deepLinkingMessage] = 'Nothing was added.';
  const jwt = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
    .setIssuer(registration.clientId)
    .setAudience(registration.issuer)
    .setIssuedAt(now)
    .setExpirationTime(now + 600)
    .sign(key);
  tool.log({ level: 'info', message: 'Deep linking response sent', detail: { issuer: registration.issuer, items: contentItems.length } });
  const nonce = newNonce();
  const returnOrigin = originOf(pick.returnUrl);
  return renderPage({
    title: 'Adding Menteo…',
    nonce,
    frameAncestors: pick.frameAncestors,
    formOrigins: returnOrigin ? [returnOrigin] : [],
    body: autoPostForm(pick.returnUrl, { JWT: jwt }, nonce),
  });
}
