/**
 * An LTI 1.3 platform emulator: just enough of an LMS (OIDC authorization endpoint, JWKS with
 * key rotation, OAuth client credentials, Names and Roles, Assignment and Grade Services,
 * Deep Linking return, Dynamic Registration, platform storage) to drive the tool end to end
 * over real HTTP in tests, demos and the browser test. State is in memory: it emulates an
 * external system, it is not part of Menteo's storage.
 * @module
 */
import { Hono } from 'hono';
import { SignJWT, calculateJwkThumbprint, createRemoteJWKSet, exportJWK, generateKeyPair, jwtVerify, type JWK, type JWTPayload } from 'jose';

const LTI = 'https://purl.imsglobal.org/spec/lti/claim/';

/** A tool registered with the emulated platform. */
export interface EmulatedTool {
  clientId: string;
  deploymentId: string;
  loginUrl: string;
  launchUrl: string;
  jwksUrl: string;
}

/** A user of the emulated LMS. */
export interface EmulatedUser {
  sub: string;
  name?: string;
  email?: string;
  roles: string[];
  sourcedId?: string;
  status?: 'Active' | 'Inactive' | 'Deleted';
}

/** One launch prepared by a test: who, where, and what kind of message. */
export interface EmulatedLaunch {
  user: EmulatedUser;
  messageType?: 'LtiResourceLinkRequest' | 'LtiDeepLinkingRequest';
  contextId?: string;
  resourceLinkId?: string;
  custom?: Record<string, string>;
  /** Extra or overriding claims (negative tests). `undefined` values delete a claim. */
  claims?: Record<string, unknown>;
  /** Offer NRPS and AGS endpoints for the context. */
  services?: boolean;
}

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

/** A lineitem and the scores posted to it. */
export interface EmulatedLineItem {
  id: string;
  contextId: string;
  label: string;
  scoreMaximum: number;
  resourceId?: string;
  scores: Record<string, unknown>[];
}

/** The emulator's handle. */
export interface PlatformEmulator {
  /** The platform's routes; serve it and call {@link PlatformEmulator.setBaseUrl}. */
  app: Hono;
  /** Sets the URL the app is served at (also the issuer). */
  setBaseUrl(url: string): void;
  readonly issuer: string;
  /** URLs a tool registration needs. */
  readonly urls: { auth: string; token: string; jwks: string; openidConfiguration: string };
  /** Registers a tool (manual install). */
  addTool(tool: EmulatedTool): void;
  /** Prepares a launch and returns the URL that starts it (the tool's login with the OIDC params). */
  startLaunch(launch: EmulatedLaunch, options?: { clientId?: string; storageTarget?: string; method?: 'GET'; omitClientId?: boolean }): string;
  /** Builds and signs an id_token for the launch (for tests that forge or alter tokens). */
  signIdToken(launch: EmulatedLaunch, options: { nonce: string; clientId?: string; kid?: string; key?: CryptoKey; alg?: string; iat?: number; exp?: number }): Promise<string>;
  /** Generates a new signing key; the old one stays published unless `dropOld`. */
  rotateKeys(options?: { dropOld?: boolean }): Promise<string>;
  /** A key the platform does not publish (forged signatures). */
  foreignKey(): Promise<CryptoKey>;
  /** Course rosters for NRPS, by context id. */
  rosters: Map<string, EmulatedUser[]>;
  /** Line items created or seeded, by id. */
  lineItems: Map<string, EmulatedLineItem>;
  /** Deep-linking responses received (verified payloads). */
  deepLinkResponses: JWTPayload[];
  /** Tools registered through dynamic registration. */
  dynamicRegistrations: Record<string, unknown>[];
  /** Platform storage (`lti.put_data`), as the browser page would keep it. */
  storage: Map<string, string>;
  /** Access tokens issued, with their scopes. */
  accessTokens: Map<string, string[]>;
  /** Page size of NRPS responses. */
  nrpsPageSize: number;
  /** Token the dynamic registration endpoint requires. */
  registrationToken: string;
}

async function newSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  return { kid, privateKey, publicJwk: { ...publicJwk, kid, alg: 'RS256', use: 'sig' } };
}

function html(body: string): Response {
  return new Response(`<!doctype html><html><head><meta charset="utf-8"><title>Emulated LMS</title></head><body>${body}</body></html>`, {
    headers: { 'content-type': 'text/html; charset=utf-8' },
  });
}

function esc(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Creates an emulator with one signing key. */
export async function createPlatformEmulator(): Promise<PlatformEmulator> {
  let baseUrl = 'http://platform.invalid';
  const keys: SigningKey[] = [await newSigningKey()];
  const tools = new Map<string, EmulatedTool>();
  const launches = new Map<string, EmulatedLaunch>();
  const toolJwks = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

  const app = new Hono();

  const emulator: PlatformEmulator = {
    app,
    setBaseUrl(url) {
      baseUrl = url.replace(/\/+$/, '');
    },
    get issuer() {
      return baseUrl;
    },
    get urls() {
      return { auth: `${baseUrl}/auth`, token: `${baseUrl}/token`, jwks: `${baseUrl}/jwks`, openidConfiguration: `${baseUrl}/.well-known/openid-configuration` };
    },
    addTool(tool) {
      tools.set(tool.clientId, tool);
    },
    startLaunch(launch, options = {}) {
      const tool = options.clientId ? tools.get(options.clientId) : [...tools.values()][0];
      if (!tool) throw new Error('No tool registered with the emulator.');
      const hint = crypto.randomUUID();
      launches.set(hint, launch);
      const url = new URL(tool.loginUrl);
      url.searchParams.set('iss', baseUrl);
      url.searchParams.set('login_hint', launch.user.sub);
      url.searchParams.set('lti_message_hint', hint);
      url.searchParams.set('target_link_uri', tool.launchUrl);
      // client_id is optional in login initiation (LTI 1.3 security framework 5.1.1.1): some LMSs leave it out.
      if (!options.omitClientId) url.searchParams.set('client_id', tool.clientId);
      url.searchParams.set('lti_deployment_id', tool.deploymentId);
      if (options.storageTarget) url.searchParams.set('lti_storage_target', options.storageTarget);
      return url.toString();
    },
    async signIdToken(launch, options) {
      const tool = options.clientId ? tools.get(options.clientId) : [...tools.values()][0];
      if (!tool) throw new Error('No tool registered with the emulator.');
      const active = keys[keys.length - 1] as SigningKey;
      const contextId = launch.contextId ?? 'course-1';
      const messageType = launch.messageType ?? 'LtiResourceLinkRequest';
      const now = Math.floor(Date.now() / 1000);
      const claims: Record<string, unknown> = {
        iss: baseUrl,
        aud: tool.clientId,
        sub: launch.user.sub,
        nonce: options.nonce,
        iat: options.iat ?? now,
        exp: options.exp ?? now + 300,
        name: launch.user.name,
        email: launch.user.email,
        [`${LTI}message_type`]: messageType,
        [`${LTI}version`]: '1.3.0',
        [`${LTI}deployment_id`]: tool.deploymentId,
        [`${LTI}target_link_uri`]: tool.launchUrl,
        [`${LTI}roles`]: launch.user.roles,
        [`${LTI}context`]: { id: contextId, title: `Course ${contextId}`, type: ['http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering'] },
        [`${LTI}tool_platform`]: { guid: 'emulator', name: 'Emulated LMS', product_family_code: 'emulator' },
        [`${LTI}launch_presentation`]: { document_target: 'iframe', return_url: `${baseUrl}/course/${contextId}` },
      };
      if (launch.user.sourcedId) claims[`${LTI}lis`] = { person_sourcedid: launch.user.sourcedId };
      if (launch.custom) claims[`${LTI}custom`] = launch.custom;
      if (messageType === 'LtiResourceLinkRequest') claims[`${LTI}resource_link`] = { id: launch.resourceLinkId ?? 'link-1', title: 'Menteo' };
      if (messageType === 'LtiDeepLinkingRequest') {
        claims['https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings'] = {
          deep_link_return_url: `${baseUrl}/deep-link-return`,
          accept_types: ['ltiResourceLink'],
          accept_presentation_document_targets: ['iframe', 'window'],
          accept_multiple: true,
          data: 'opaque-platform-data',
        };
      }
      if (launch.services) {
        claims['https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice'] = {
          context_memberships_url: `${baseUrl}/nrps/${contextId}`,
          service_versions: ['2.0'],
        };
        claims['https://purl.imsglobal.org/spec/lti-ags/claim/endpoint'] = {
          scope: ['https://purl.imsglobal.org/spec/lti-ags/scope/lineitem', 'https://purl.imsglobal.org/spec/lti-ags/scope/score'],
          lineitems: `${baseUrl}/ags/${contextId}/lineitems`,
        };
      }
      for (const [key, value] of Object.entries(launch.claims ?? {})) {
        if (value === undefined) delete claims[key];
        else claims[key] = value;
      }
      for (const key of Object.keys(claims)) if (claims[key] === undefined) delete claims[key];
      const header: Record<string, unknown> = { alg: options.alg ?? 'RS256', typ: 'JWT' };
      const kid = options.kid === undefined ? active.kid : options.kid;
      if (kid !== '') header['kid'] = kid;
      return new SignJWT(claims).setProtectedHeader(header as { alg: string }).sign(options.key ?? active.privateKey);
    },
    async rotateKeys(options = {}) {
      const key = await newSigningKey();
      if (options.dropOld) keys.splice(0, keys.length);
      keys.push(key);
      return key.kid;
    },
    async foreignKey() {
      return (await newSigningKey()).privateKey;
    },
    rosters: new Map(),
    lineItems: new Map(),
    deepLinkResponses: [],
    dynamicRegistrations: [],
    storage: new Map(),
    accessTokens: new Map(),
    nrpsPageSize: 2,
    registrationToken: 'reg-token-123',
  };

  app.get('/jwks', (c) => c.json({ keys: keys.map((k) => k.publicJwk) }));

  app.get('/auth', async (c) => {
    const q = new URL(c.req.url).searchParams;
    const tool = tools.get(q.get('client_id') ?? '');
    const launch = launches.get(q.get('lti_message_hint') ?? '');
    const problems: string[] = [];
    if (!tool) problems.push('unknown client_id');
    if (q.get('scope') !== 'openid') problems.push('scope');
    if (q.get('response_type') !== 'id_token') problems.push('response_type');
    if (q.get('response_mode') !== 'form_post') problems.push('response_mode');
    if (q.get('prompt') !== 'none') problems.push('prompt');
    if (!q.get('nonce') || !q.get('state')) problems.push('nonce/state');
    if (tool && q.get('redirect_uri') !== tool.launchUrl) problems.push('redirect_uri');
    if (!launch || q.get('login_hint') !== launch.user.sub) problems.push('login_hint');
    if (problems.length || !tool || !launch) return c.text(`Bad authentication request: ${problems.join(', ')}`, 400);
    const idToken = await emulator.signIdToken(launch, { nonce: q.get('nonce') as string, clientId: tool.clientId });
    return html(
      `<form id="f" method="post" action="${esc(tool.launchUrl)}"><input type="hidden" name="id_token" value="${esc(idToken)}"><input type="hidden" name="state" value="${esc(q.get('state') as string)}"></form><script>document.getElementById('f').submit()</script>`,
    );
  });

  async function verifyToolJwt(jwksUrl: string, token: string, audience: string): Promise<JWTPayload> {
    let set = toolJwks.get(jwksUrl);
    if (!set) {
      set = createRemoteJWKSet(new URL(jwksUrl));
      toolJwks.set(jwksUrl, set);
    }
    const { payload } = await jwtVerify(token, set, { algorithms: ['RS256'], audience });
    return payload;
  }

  app.post('/token', async (c) => {
    const form = await c.req.formData();
    const assertion = String(form.get('client_assertion') ?? '');
    if (form.get('grant_type') !== 'client_credentials' || form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') {
      return c.json({ error: 'unsupported_grant_type' }, 400);
    }
    let clientId: string;
    try {
      const unverified = JSON.parse(Buffer.from(assertion.split('.')[1] ?? '', 'base64url').toString()) as { iss?: string };
      const tool = tools.get(unverified.iss ?? '');
      if (!tool) return c.json({ error: 'invalid_client' }, 401);
      const payload = await verifyToolJwt(tool.jwksUrl, assertion, `${baseUrl}/token`);
      if (payload.iss !== tool.clientId || payload.sub !== tool.clientId || !payload.jti) return c.json({ error: 'invalid_client' }, 401);
      clientId = tool.clientId;
    } catch {
      return c.json({ error: 'invalid_client' }, 401);
    }
    const token = `at-${crypto.randomUUID()}`;
    const scopes = String(form.get('scope') ?? '').split(' ').filter(Boolean);
    emulator.accessTokens.set(token, scopes);
    return c.json({ access_token: token, token_type: 'Bearer', expires_in: 3600, scope: scopes.join(' '), client_id: clientId });
  });

  function authorized(header: string | undefined, scope: string): boolean {
    const token = header?.startsWith('Bearer ') ? header.slice(7) : '';
    return emulator.accessTokens.get(token)?.includes(scope) ?? false;
  }

  app.get('/nrps/:context', (c) => {
    if (!authorized(c.req.header('authorization'), 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly')) return c.json({ error: 'unauthorized' }, 401);
    const roster = emulator.rosters.get(c.req.param('context')) ?? [];
    const page = Number(new URL(c.req.url).searchParams.get('page') ?? '0');
    const size = emulator.nrpsPageSize;
    const slice = roster.slice(page * size, page * size + size);
    const headers: Record<string, string> = { 'content-type': 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json' };
    if ((page + 1) * size < roster.length) headers['link'] = `<${baseUrl}/nrps/${c.req.param('context')}?page=${page + 1}>; rel="next"`;
    const body = {
      id: `${baseUrl}/nrps/${c.req.param('context')}`,
      context: { id: c.req.param('context') },
      members: slice.map((u) => ({ user_id: u.sub, status: u.status ?? 'Active', roles: u.roles, name: u.name, email: u.email, lis_person_sourcedid: u.sourcedId })),
    };
    return new Response(JSON.stringify(body), { headers });
  });

  app.get('/ags/:context/lineitems', (c) => {
    if (!authorized(c.req.header('authorization'), 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem')) return c.json({ error: 'unauthorized' }, 401);
    const resourceId = new URL(c.req.url).searchParams.get('resource_id');
    const items = [...emulator.lineItems.values()].filter((i) => i.contextId === c.req.param('context') && (!resourceId || i.resourceId === resourceId));
    return c.json(items.map(({ scores: _scores, contextId: _contextId, ...rest }) => rest));
  });
  app.post('/ags/:context/lineitems', async (c) => {
    if (!authorized(c.req.header('authorization'), 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem')) return c.json({ error: 'unauthorized' }, 401);
    if (!(c.req.header('content-type') ?? '').startsWith('application/vnd.ims.lis.v2.lineitem+json')) return c.json({ error: 'bad media type' }, 415);
    const body = (await c.req.json()) as { label: string; scoreMaximum: number; resourceId?: string };
    const id = `${baseUrl}/ags/${c.req.param('context')}/lineitems/${emulator.lineItems.size + 1}`;
    const item: EmulatedLineItem = { id, contextId: c.req.param('context'), label: body.label, scoreMaximum: body.scoreMaximum, scores: [], ...(body.resourceId ? { resourceId: body.resourceId } : {}) };
    emulator.lineItems.set(id, item);
    return c.json({ id, label: item.label, scoreMaximum: item.scoreMaximum, resourceId: item.resourceId }, 201);
  });
  app.post('/ags/:context/lineitems/:n/scores', async (c) => {
    if (!authorized(c.req.header('authorization'), 'https://purl.imsglobal.org/spec/lti-ags/scope/score')) return c.json({ error: 'unauthorized' }, 401);
    if (c.req.header('content-type') !== 'application/vnd.ims.lis.v1.score+json') return c.json({ error: 'bad media type' }, 415);
    const item = emulator.lineItems.get(`${baseUrl}/ags/${c.req.param('context')}/lineitems/${c.req.param('n')}`);
    if (!item) return c.json({ error: 'not found' }, 404);
    item.scores.push((await c.req.json()) as Record<string, unknown>);
    return c.body(null, 204);
  });

  app.post('/deep-link-return', async (c) => {
    const form = await c.req.formData();
    const jwt = String(form.get('JWT') ?? '');
    try {
      const unverified = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as { iss?: string };
      const tool = tools.get(unverified.iss ?? '');
      if (!tool) return c.text('unknown tool', 400);
      emulator.deepLinkResponses.push(await verifyToolJwt(tool.jwksUrl, jwt, baseUrl));
      return html('<p>Content added to the course.</p>');
    } catch (error) {
      return c.text(`invalid deep linking response: ${String(error)}`, 400);
    }
  });

  app.get('/.well-known/openid-configuration', (c) =>
    c.json({
      issuer: baseUrl,
      authorization_endpoint: `${baseUrl}/auth`,
      registration_endpoint: `${baseUrl}/register`,
      token_endpoint: `${baseUrl}/token`,
      jwks_uri: `${baseUrl}/jwks`,
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
      token_endpoint_auth_signing_alg_values_supported: ['RS256'],
      scopes_supported: [
        'openid',
        'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly',
        'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
        'https://purl.imsglobal.org/spec/lti-ags/scope/score',
      ],
      response_types_supported: ['id_token'],
      id_token_signing_alg_values_supported: ['RS256'],
      claims_supported: ['sub', 'iss', 'name', 'email'],
      'https://purl.imsglobal.org/spec/lti-platform-configuration': {
        product_family_code: 'emulator',
        version: '1.0',
        messages_supported: [{ type: 'LtiResourceLinkRequest' }, { type: 'LtiDeepLinkingRequest' }],
      },
    }),
  );
  app.post('/register', async (c) => {
    if (c.req.header('authorization') !== `Bearer ${emulator.registrationToken}`) return c.json({ error: 'invalid_token' }, 401);
    const body = (await c.req.json()) as Record<string, unknown>;
    emulator.dynamicRegistrations.push(body);
    const clientId = `dyn-${emulator.dynamicRegistrations.length}`;
    const deploymentId = `dep-dyn-${emulator.dynamicRegistrations.length}`;
    const redirect = Array.isArray(body['redirect_uris']) ? String(body['redirect_uris'][0]) : '';
    emulator.addTool({ clientId, deploymentId, loginUrl: String(body['initiate_login_uri']), launchUrl: redirect, jwksUrl: String(body['jwks_uri']) });
    return c.json({ ...body, client_id: clientId, 'https://purl.imsglobal.org/spec/lti-tool-configuration': { ...(body['https://purl.imsglobal.org/spec/lti-tool-configuration'] as object), deployment_id: deploymentId } });
  });

  // A course page that frames the tool from another site and answers the platform storage
  // messages (lti.put_data / lti.get_data), as an LMS does for cookie-less browsers.
  app.get('/course/:hint', (c) => {
    const launchUrl = decodeURIComponent(c.req.param('hint'));
    return html(`<h1>Emulated course</h1>
<iframe id="tool" title="Menteo" width="900" height="600" src="${esc(launchUrl)}"></iframe>
<script>
const store = {};
window.addEventListener('message', function (event) {
  const data = event.data || {};
  if (data.subject === 'lti.put_data') {
    store[data.key] = data.value;
    event.source.postMessage({ subject: 'lti.put_data.response', message_id: data.message_id, key: data.key, value: data.value }, event.origin);
  } else if (data.subject === 'lti.get_data') {
    event.source.postMessage({ subject: 'lti.get_data.response', message_id: data.message_id, key: data.key, value: store[data.key] }, event.origin);
  }
});
</script>`);
  });

  return emulator;
}
