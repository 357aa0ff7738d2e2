/**
 * OIDC third-party login initiation (LTI 1.3 security framework 5.1.1): the platform sends the
 * browser here first; we remember a state and a nonce and send the browser to the platform's
 * authorization endpoint, which answers with a `form_post` of the id_token to `/launch`.
 * @module
 */
import type { Context } from 'hono';
import type { ToolContext } from './context.js';
import { LtiError, MESSAGES } from './errors.js';
import { newNonce, originOf, renderPage } from './html.js';
import { putStateScript } from './platform-storage.js';

/** Cookie name that binds a login to the browser that started it. */
export function stateCookieName(state: string): string {
  return `menteo_lti_${state}`;
}

function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return btoa(String.fromCharCode(...bytes)).replaceAll('+', '-').replaceAll('/', '_').replaceAll('=', '');
}

async function readParams(c: Context): Promise<Record<string, string>> {
  const params: Record<string, string> = {};
  for (const [key, value] of new URL(c.req.url).searchParams) params[key] = value;
  if (c.req.method === 'POST') {
    const type = c.req.header('content-type') ?? '';
    if (type.includes('application/x-www-form-urlencoded') || type.includes('multipart/form-data')) {
      const form = await c.req.formData().catch(() => undefined);
      form?.forEach((value, key) => {
        if (typeof value === 'string') params[key] = value;
      });
    }
  }
  return params;
}

/** Handles GET and POST `/login`. */
export async function handleLogin(tool: ToolContext, c: Context): Promise<Response> {
  const params = await readParams(c);
  const issuer = params['iss'];
  const loginHint = params['login_hint'];
  const targetLinkUri = params['target_link_uri'];
  if (!issuer || !loginHint || !targetLinkUri) {
    throw new LtiError('bad_login_request', MESSAGES.invalidLaunch, { missing: ['iss', 'login_hint', 'target_link_uri'].filter((k) => !params[k]) });
  }
  const clientId = params['client_id'] || undefined;
  const registration = await tool.store.findRegistration(issuer, clientId, params['lti_deployment_id'] || undefined);
  if (!registration) {
    // Tell the admin whether the platform is unknown or only ambiguous (several clients of one
    // issuer, and a login that names neither the client nor a deployment of only one of them).
    const known = clientId === undefined ? await tool.store.registrationsOfIssuer(issuer) : [];
    if (known.length > 1) {
      throw new LtiError('ambiguous_platform', MESSAGES.unknownPlatform, { issuer, deploymentId: params['lti_deployment_id'], clientIds: known.map((r) => r.clientId) }, 403);
    }
    throw new LtiError('unknown_platform', MESSAGES.unknownPlatform, { issuer, clientId }, 403);
  }
  // Only ever send the browser back to ourselves: target_link_uri is attacker-controlled input.
  const ownOrigin = originOf(tool.options.baseUrl);
  if (originOf(targetLinkUri) !== ownOrigin) {
    throw new LtiError('bad_target_link_uri', MESSAGES.invalidLaunch, { targetLinkUri, ownOrigin });
  }
  const deploymentHint = params['lti_deployment_id'];
  if (deploymentHint && !(await tool.store.hasDeployment(registration.id, deploymentHint))) {
    throw new LtiError('unknown_deployment', MESSAGES.unknownDeployment, { issuer, deploymentId: deploymentHint }, 403);
  }

  const state = randomToken();
  const nonce = randomToken();
  const ttl = tool.options.loginTtlSeconds ?? 600;
  const storageTarget = params['lti_storage_target'] || null;
  await tool.store.saveLoginState({
    state,
    nonce,
    registrationId: registration.id,
    targetLinkUri,
    storageTarget,
    expiresAt: new Date(tool.now().getTime() + ttl * 1000).toISOString(),
    consumedAt: null,
  });

  const auth = new URL(registration.authLoginUrl);
  const query: Record<string, string> = {
    scope: 'openid',
    response_type: 'id_token',
    response_mode: 'form_post',
    prompt: 'none',
    client_id: registration.clientId,
    redirect_uri: `${tool.options.baseUrl}/launch`,
    login_hint: loginHint,
    state,
    nonce,
  };
  if (params['lti_message_hint']) query['lti_message_hint'] = params['lti_message_hint'];
  for (const [key, value] of Object.entries(query)) auth.searchParams.set(key, value);

  // SameSite=None and Partitioned: the launch is a cross-site POST inside the LMS iframe.
  const path = new URL(tool.options.baseUrl).pathname || '/';
  const cookie = `${stateCookieName(state)}=1; Path=${path}; Max-Age=${ttl}; HttpOnly; Secure; SameSite=None; Partitioned`;
  tool.log({ level: 'info', message: 'LTI login initiated', detail: { issuer, clientId: registration.clientId, storageTarget } });

  const platformOrigin = originOf(registration.authLoginUrl);
  if (storageTarget && platformOrigin) {
    const nonceAttr = newNonce();
    const response = renderPage({
      title: 'Opening Menteo…',
      nonce: nonceAttr,
      frameAncestors: [platformOrigin, ...(originOf(registration.issuer) ? [originOf(registration.issuer) as string] : [])],
      body: `<p>Opening Menteo…</p><script nonce="${nonceAttr}">${putStateScript({ target: storageTarget, platformOrigin, state, nonce, next: auth.toString() })}</script>`,
    });
    response.headers.append('set-cookie', cookie);
    return response;
  }
  return new Response(null, { status: 302, headers: { location: auth.toString(), 'set-cookie': cookie, 'cache-control': 'no-store' } });
}
