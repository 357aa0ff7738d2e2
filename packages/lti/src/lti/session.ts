/**
 * The end of a launch: the page inside the LMS iframe that loads the widgets with an embed
 * session, and the endpoint that page calls for a fresh single-use client secret whenever the
 * widgets need one (no cookie involved, so it works with third-party cookies blocked).
 * @module
 */
import type { Context } from 'hono';
import type { Component, Scope } from '@menteo/api';
import type { EmbedSessionRequest } from '../ports.js';
import type { ToolContext, WidgetTarget } from './context.js';
import { LtiError, MESSAGES } from './errors.js';
import { escapeHtml, newNonce, originOf, renderPage, scriptJson } from './html.js';
import { signToolToken, verifyToolToken } from './tokens.js';

/** Scopes of an observer (LIS Mentor, guests): reading only. */
const OBSERVER_SCOPES: readonly Scope[] = ['rooms:read', 'roadmaps:read', 'threads:read', 'people:read'];

/** What one launched page may mint embed secrets for. */
export interface LaunchGrant {
  orgId: string;
  personId: string;
  roomIds: string[] | undefined;
  scopes: Scope[] | undefined;
  components: Component[] | undefined;
}

/** The embed session request of a launch, by role and target. */
export function grantFor(orgId: string, personId: string, target: WidgetTarget): LaunchGrant {
  return {
    orgId,
    personId,
    roomIds: target.kind === 'room' && target.id ? [target.id] : undefined,
    scopes: target.role === 'observer' ? [...OBSERVER_SCOPES] : undefined,
    components: undefined,
  };
}

function request(grant: LaunchGrant): EmbedSessionRequest {
  return { personId: grant.personId, roomIds: grant.roomIds, scopes: grant.scopes, components: grant.components };
}

/** Default widgets markup: the provider around the widget the link points to. */
export function defaultWidgets(target: WidgetTarget): string {
  const id = target.id ? escapeHtml(target.id) : '';
  switch (target.kind) {
    case 'room':
      return `<menteo-room room-id="${id}"></menteo-room>`;
    case 'roadmap':
      return `<menteo-roadmap roadmap-id="${id}"></menteo-roadmap>`;
    case 'feed':
      return `<menteo-thread-feed thread-id="${id}"></menteo-thread-feed>`;
    default:
      return `<menteo-thread-feed></menteo-thread-feed>`;
  }
}

/** Renders the launch page for a person and target. */
export async function renderLaunchPage(tool: ToolContext, grant: LaunchGrant, target: WidgetTarget, frameAncestors: string[]): Promise<Response> {
  const first = await tool.host.mintEmbedSession(grant.orgId, request(grant));
  if (!first) throw new LtiError('deactivated', MESSAGES.deactivated, { personId: grant.personId }, 403);
  const ttl = tool.options.sessionTtlSeconds ?? 8 * 60 * 60;
  const sessionToken = await signToolToken(tool, 'launch-session', { grant }, ttl);
  const nonce = newNonce();
  const widgets = (tool.options.renderWidgets ?? defaultWidgets)(target);
  const apiOrigin = originOf(tool.options.apiBaseUrl);
  const scriptOrigin = originOf(tool.options.widgetsScriptUrl);
  // The provider receives a function, never a long-lived credential: the first secret is
  // single-use and expires in minutes; later ones come from /session/secret with the page token.
  const boot = `const launch = ${scriptJson({ secret: first.clientSecret, token: sessionToken, refresh: `${tool.options.baseUrl}/session/secret` })};
let first = launch.secret;
async function fetchClientSecret() {
  if (first) { const s = first; first = undefined; return s; }
  const response = await fetch(launch.refresh, { method: 'POST', headers: { authorization: 'Bearer ' + launch.token } });
  if (!response.ok) throw new Error('Menteo session ended');
  return (await response.json()).clientSecret;
}
// <menteo-provider> takes the function as its clientSecret property (a property, never an attribute).
const provider = document.getElementById('menteo');
provider.clientSecret = fetchClientSecret;
window.menteoLaunch = { fetchClientSecret: fetchClientSecret, target: ${scriptJson(target)} };
window.dispatchEvent(new Event('menteo-lti-ready'));`;
  return renderPage({
    title: tool.toolName,
    nonce,
    frameAncestors,
    scriptOrigins: scriptOrigin ? [scriptOrigin] : [],
    connectOrigins: apiOrigin ? [apiOrigin] : [],
    body: `<menteo-provider id="menteo" base-url="${escapeHtml(tool.options.apiBaseUrl)}">${widgets}</menteo-provider>
<script nonce="${nonce}">${boot}</script>
<script type="module" nonce="${nonce}" src="${escapeHtml(tool.options.widgetsScriptUrl)}"></script>`,
  });
}

/** Handles POST `/session/secret`: a fresh single-use client secret for an open launch page. */
export async function handleSessionSecret(tool: ToolContext, c: Context): Promise<Response> {
  const auth = c.req.header('authorization') ?? '';
  const token = auth.startsWith('Bearer ') ? auth.slice(7) : '';
  const payload = token ? await verifyToolToken(tool, 'launch-session', token) : undefined;
  const grant = payload?.['grant'] as LaunchGrant | undefined;
  if (!grant || typeof grant.orgId !== 'string' || typeof grant.personId !== 'string') {
    throw new LtiError('bad_session_token', MESSAGES.sessionEnded, {}, 401);
  }
  // The host refuses deactivated people, so deactivation ends open pages at their next refresh.
  const minted = await tool.host.mintEmbedSession(grant.orgId, request(grant));
  if (!minted) throw new LtiError('deactivated', MESSAGES.deactivated, { personId: grant.personId }, 403);
  return c.json({ clientSecret: minted.clientSecret, expiresAt: minted.expiresAt }, 200, { 'cache-control': 'no-store' });
}
