/**
 * Installing the tool into a platform: LTI Dynamic Registration (the admin pastes one URL), a
 * Canvas developer-key JSON, and the manual values for platforms without either.
 * @module
 */
import type { Context } from 'hono';
import type { PersonMatch, Registration } from '../store.js';
import { SCOPE } from './claims.js';
import type { ToolContext } from './context.js';
import { LtiError } from './errors.js';
import { escapeHtml, newNonce, originOf, renderPage } from './html.js';
import { signToolToken, verifyToolToken } from './tokens.js';

const PLATFORM_CONFIG = 'https://purl.imsglobal.org/spec/lti-platform-configuration';
const TOOL_CONFIG = 'https://purl.imsglobal.org/spec/lti-tool-configuration';

/** The URLs an LMS admin types in by hand. */
export interface ManualConfig {
  loginUrl: string;
  launchUrl: string;
  redirectUris: string[];
  jwksUrl: string;
  deepLinkingUrl: string;
  dynamicRegistrationUrl?: string;
}

/** The tool's URLs for manual installs. */
export function manualConfig(tool: ToolContext): ManualConfig {
  const base = tool.options.baseUrl;
  return { loginUrl: `${base}/login`, launchUrl: `${base}/launch`, redirectUris: [`${base}/launch`], jwksUrl: `${base}/.well-known/jwks.json`, deepLinkingUrl: `${base}/launch` };
}

/**
 * A URL an organization's admin pastes into the LMS's dynamic registration field. It carries a
 * signed, expiring install token naming the organization, so a registration lands in the right
 * organization and nobody can register a platform into someone else's.
 */
export async function createInstallUrl(tool: ToolContext, orgId: string, options: { ttlSeconds?: number; personMatch?: PersonMatch } = {}): Promise<string> {
  // The jti makes each link single-use (see handleDynamicRegistration).
  const token = await signToolToken(tool, 'install', { org: orgId, match: options.personMatch ?? 'sub', jti: crypto.randomUUID() }, options.ttlSeconds ?? 7 * 24 * 60 * 60);
  return `${tool.options.baseUrl}/register?install=${encodeURIComponent(token)}`;
}

/** A Canvas developer key JSON configuration (Canvas: Developer Keys → LTI Key → Paste JSON). */
export function canvasConfig(tool: ToolContext): Record<string, unknown> {
  const base = tool.options.baseUrl;
  const host = new URL(base).hostname;
  return {
    title: tool.toolName,
    description: 'Mentorship rooms, roadmaps and growth threads inside your courses.',
    oidc_initiation_url: `${base}/login`,
    target_link_uri: `${base}/launch`,
    public_jwk_url: `${base}/.well-known/jwks.json`,
    scopes: [SCOPE.nrps, SCOPE.agsLineItem, SCOPE.agsResult, SCOPE.agsScore],
    extensions: [
      {
        domain: host,
        tool_id: 'menteo',
        platform: 'canvas.instructure.com',
        privacy_level: 'public',
        settings: {
          text: tool.toolName,
          placements: [
            { placement: 'course_navigation', message_type: 'LtiResourceLinkRequest', target_link_uri: `${base}/launch`, text: tool.toolName },
            { placement: 'link_selection', message_type: 'LtiDeepLinkingRequest', target_link_uri: `${base}/launch` },
            { placement: 'assignment_selection', message_type: 'LtiDeepLinkingRequest', target_link_uri: `${base}/launch` },
          ],
        },
      },
    ],
    custom_fields: { menteo_person_sourcedid: '$Person.sourcedId' },
  };
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** What one use of an install link is known by: its jti, or (links made before jti) a hash of the whole token. */
async function installUseKey(grant: Record<string, unknown>, token: string): Promise<string> {
  const jti = str(grant['jti']);
  if (jti) return jti;
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token));
  return `sha256:${Buffer.from(digest).toString('hex')}`;
}

const FAILED = 'Menteo could not register itself with your learning platform. Check that the registration link is complete and not expired, then try again.';

async function fetchJson(tool: ToolContext, url: string, init: RequestInit, what: string): Promise<Record<string, unknown>> {
  let response: Response;
  try {
    response = await tool.fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
  } catch (error) {
    throw new LtiError('registration_unreachable', FAILED, { url, what, error: String(error) }, 502);
  }
  const text = await response.text().catch(() => '');
  if (!response.ok) throw new LtiError('registration_refused', FAILED, { url, what, status: response.status, body: text.slice(0, 500) }, 502);
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // Fall through to the plain error below.
  }
  throw new LtiError('registration_bad_json', FAILED, { url, what }, 502);
}

/** Handles GET `/register`: LTI Dynamic Registration, started by the platform in a window or frame. */
export async function handleDynamicRegistration(tool: ToolContext, c: Context): Promise<Response> {
  const url = new URL(c.req.url);
  const install = url.searchParams.get('install') ?? '';
  const configUrl = url.searchParams.get('openid_configuration');
  const registrationToken = url.searchParams.get('registration_token');
  const grant = install ? await verifyToolToken(tool, 'install', install) : undefined;
  const orgId = str(grant?.['org']);
  if (!orgId) throw new LtiError('bad_install_token', 'This registration link is not valid or has expired. Ask your Menteo administrator for a new one.', {}, 403);
  if (!configUrl) throw new LtiError('missing_openid_configuration', 'Paste this link into your learning platform’s “dynamic registration” or “register tool by URL” field; it cannot be opened directly.', {}, 400);

  // An install link is single-use: a second use would make the platform create a second client
  // for the same issuer (a second tool entry in the LMS), and leave logins without client_id
  // ambiguous. The use is claimed before the platform is contacted, and given back if the
  // registration fails, so a link that did not work can be tried again.
  const useKey = await installUseKey(grant ?? {}, install);
  const expiresAt = new Date((typeof grant?.exp === 'number' ? grant.exp : Math.floor(tool.now().getTime() / 1000) + 3600) * 1000).toISOString();
  const use = await tool.store.claimInstallUse(useKey, orgId, expiresAt, tool.now());
  if (use.status === 'used') {
    throw new LtiError(
      'install_link_used',
      'This registration link was already used, so Menteo is already installed in your learning platform and keeps working. To install it again, ask your Menteo administrator for a new link.',
      { orgId, registrationId: use.registrationId, usedAt: use.usedAt },
      409,
    );
  }
  if (use.status === 'in_progress') {
    throw new LtiError('install_link_in_use', 'This registration link is being used right now. Wait a few minutes, then check whether Menteo is installed before trying again.', { orgId, claimedAt: use.claimedAt }, 409);
  }
  try {
    const registration = await registerWithPlatform(tool, orgId, grant ?? {}, configUrl, registrationToken);
    await tool.store.completeInstallUse(useKey, registration.id, tool.now());
    const nonce = newNonce();
    return renderPage({
      title: 'Menteo is installed',
      nonce,
      frameAncestors: [...new Set([originOf(registration.issuer), originOf(configUrl)].filter((o): o is string => o !== undefined))],
      body: `<main><h1>Menteo is installed</h1><p>${escapeHtml(tool.toolName)} is now registered with your learning platform. You can close this window.</p></main>
<script nonce="${nonce}">(window.opener || window.parent).postMessage({ subject: 'org.imsglobal.lti.close' }, '*');</script>`,
    });
  } catch (error) {
    await tool.store.releaseInstallUse(useKey);
    throw error;
  }
}

/** The registration itself: read the platform's configuration, register, store the client. */
async function registerWithPlatform(
  tool: ToolContext,
  orgId: string,
  grant: Record<string, unknown>,
  configUrl: string,
  registrationToken: string | null,
): Promise<Registration> {
  const config = await fetchJson(tool, configUrl, { headers: { accept: 'application/json' } }, 'openid configuration');
  const issuer = str(config['issuer']);
  const registrationEndpoint = str(config['registration_endpoint']);
  const authorizationEndpoint = str(config['authorization_endpoint']);
  const tokenEndpoint = str(config['token_endpoint']);
  const jwksUri = str(config['jwks_uri']);
  if (!issuer || !registrationEndpoint || !authorizationEndpoint || !tokenEndpoint || !jwksUri) {
    throw new LtiError('registration_incomplete_config', FAILED, { configUrl, keys: Object.keys(config) }, 502);
  }
  // The spec requires the configuration to live under the issuer: anyone else's document is a forgery.
  if (!configUrl.startsWith(issuer)) throw new LtiError('registration_issuer_mismatch', FAILED, { configUrl, issuer }, 400);
  const platform = (config[PLATFORM_CONFIG] ?? {}) as Record<string, unknown>;
  const supportedScopes = Array.isArray(config['scopes_supported']) ? (config['scopes_supported'] as unknown[]).filter((s): s is string => typeof s === 'string') : [];
  const wanted = [SCOPE.nrps, SCOPE.agsLineItem, SCOPE.agsResult, SCOPE.agsScore];
  const scopes = supportedScopes.length ? wanted.filter((s) => supportedScopes.includes(s)) : wanted;
  const base = tool.options.baseUrl;

  const body = {
    application_type: 'web',
    response_types: ['id_token'],
    grant_types: ['implicit', 'client_credentials'],
    initiate_login_uri: `${base}/login`,
    redirect_uris: [`${base}/launch`],
    client_name: tool.toolName,
    jwks_uri: `${base}/.well-known/jwks.json`,
    token_endpoint_auth_method: 'private_key_jwt',
    scope: scopes.join(' '),
    [TOOL_CONFIG]: {
      domain: new URL(base).host,
      target_link_uri: `${base}/launch`,
      description: 'Mentorship rooms, roadmaps and growth threads inside your courses.',
      claims: ['iss', 'sub', 'name', 'given_name', 'family_name', 'email'],
      messages: [
        { type: 'LtiResourceLinkRequest', target_link_uri: `${base}/launch`, label: tool.toolName },
        { type: 'LtiDeepLinkingRequest', target_link_uri: `${base}/launch`, label: `Add ${tool.toolName}`, placements: ['ContentArea'], supported_types: ['ltiResourceLink'] },
      ],
    },
  };
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (registrationToken) headers['authorization'] = `Bearer ${registrationToken}`;
  const answer = await fetchJson(tool, registrationEndpoint, { method: 'POST', headers, body: JSON.stringify(body) }, 'registration');
  const clientId = str(answer['client_id']);
  const toolConfig = (answer[TOOL_CONFIG] ?? {}) as Record<string, unknown>;
  const deploymentId = str(toolConfig['deployment_id']);
  if (!clientId) throw new LtiError('registration_no_client_id', FAILED, { registrationEndpoint }, 502);

  const existing = await tool.store.findRegistration(issuer, clientId);
  if (existing && existing.orgId !== orgId) {
    throw new LtiError('registration_other_org', 'This learning platform is already connected to another Menteo organization.', { issuer, clientId }, 409);
  }
  const endpoints = {
    authLoginUrl: authorizationEndpoint,
    authTokenUrl: tokenEndpoint,
    authTokenAudience: str(config['authorization_server']) ?? null,
    jwksUrl: jwksUri,
    platformName: str(platform['product_family_code']) ?? null,
  };
  // The same issuer and client id registering again is the same registration: keep it (and its
  // courses and people), with the platform's current endpoints.
  const registration = existing
    ? ((await tool.store.updateRegistrationEndpoints(existing.id, endpoints)) ?? existing)
    : await tool.store.createRegistration({
      orgId,
      issuer,
      clientId,
      ...endpoints,
      personMatch: grant['match'] === 'sourcedid' || grant['match'] === 'email' ? grant['match'] : 'sub',
    });
  if (deploymentId) await tool.store.addDeployment(registration.id, deploymentId);
  tool.log({ level: 'info', message: existing ? 'Platform registered again' : 'Platform registered', detail: { orgId, issuer, clientId, deploymentId } });
  return registration;
}
