/**
 * `createLtiTool`: the LTI 1.3 Advantage tool as a Hono sub-app plus the operations the server
 * schedules or exposes to admins (roster sync, scores, key rotation, install links).
 * @module
 */
import { Hono, type Context } from 'hono';
import type { LtiContext, PersonMatch, Registration } from '../store.js';
import type { LtiToolOptions, ToolContext } from './context.js';
import { handleDeepLinkRespond } from './deep-linking.js';
import { LtiError, MESSAGES } from './errors.js';
import { handleConfirm, handleLaunch } from './launch.js';
import { handleLogin } from './login.js';
import { createPlatformKeyResolver } from './platform-keys.js';
import { canvasConfig, createInstallUrl, handleDynamicRegistration, manualConfig, type ManualConfig } from './registration.js';
import { postMilestoneScore, syncRoster, type RosterSyncResult, type ScoreRequest } from './services.js';
import { handleSessionSecret } from './session.js';
import { createToolKeyring } from './tool-keys.js';
import { renderError } from './html.js';

/** The tool: its HTTP app and the operations around it. */
export interface LtiTool {
  /**
   * Routes, relative to where the app is mounted (`options.baseUrl` must point there):
   * `GET|POST /login`, `POST /launch`, `POST /launch/confirm`, `POST /session/secret`,
   * `POST /deep-link/respond`, `GET /register`, `GET /.well-known/jwks.json`,
   * `GET /config.json`, `GET /canvas.json`.
   */
  app: Hono;
  /** Registers a platform by hand (LMSs without dynamic registration). */
  registerPlatform(input: {
    orgId: string;
    issuer: string;
    clientId: string;
    authLoginUrl: string;
    authTokenUrl: string;
    jwksUrl: string;
    deploymentIds: readonly string[];
    authTokenAudience?: string | null;
    platformName?: string | null;
    personMatch?: PersonMatch;
  }): Promise<Registration>;
  /** A dynamic-registration URL for an organization's admin to paste into the LMS. */
  createInstallUrl(orgId: string, options?: { ttlSeconds?: number; personMatch?: PersonMatch }): Promise<string>;
  /** The values an admin types in by hand. */
  manualConfig(): ManualConfig;
  /** Syncs a course roster into its room (NRPS). */
  syncRoster(context: LtiContext): Promise<RosterSyncResult>;
  /** Posts a person's milestone completion to the course gradebook (AGS). */
  postMilestoneScore(request: ScoreRequest): Promise<boolean>;
  /** Rotates the tool's signing key; returns the new active key id. */
  rotateKeys(): Promise<string>;
  /** Deletes expired login states and nonces; call it periodically. */
  purgeExpired(): Promise<void>;
}

/** Endpoints that answer JSON, so their errors are JSON too (the others are pages in a browser). */
const JSON_PATHS = ['/session/secret', '/.well-known/jwks.json', '/config.json', '/canvas.json'];

/** Builds the tool. Mount `tool.app` at the path of `options.baseUrl`. */
export function createLtiTool(options: LtiToolOptions): LtiTool {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const resolvedOptions = { ...options, baseUrl };
  const keyring = createToolKeyring(options.store);
  const tool: ToolContext = {
    options: resolvedOptions,
    store: options.store,
    host: options.host,
    keyring,
    resolveKey: createPlatformKeyResolver(options.store, {
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.jwksRefetchCooldownMs !== undefined ? { refetchCooldownMs: options.jwksRefetchCooldownMs } : {}),
    }),
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
    log: options.logger ?? (() => {}),
    toolName: options.toolName ?? 'Menteo',
    now: () => new Date(),
  };

  const app = new Hono();
  if (options.rateLimit) {
    const limit = options.rateLimit;
    app.use('*', async (c, next) => {
      const wait = limit(c.req.raw, c.env);
      if (wait > 0) throw new LtiError('rate_limited', MESSAGES.rateLimited, { retryAfter: wait }, 429);
      await next();
    });
  }
  const wrap = (handler: (tool: ToolContext, c: Context) => Promise<Response>) => (c: Context) => handler(tool, c);
  app.get('/login', wrap(handleLogin));
  app.post('/login', wrap(handleLogin));
  app.post('/launch', wrap(handleLaunch));
  app.post('/launch/confirm', wrap(handleConfirm));
  app.post('/session/secret', wrap(handleSessionSecret));
  app.post('/deep-link/respond', wrap(handleDeepLinkRespond));
  app.get('/register', wrap(handleDynamicRegistration));
  app.get('/.well-known/jwks.json', async (c) => c.json(await keyring.jwks(), 200, { 'cache-control': 'public, max-age=300' }));
  app.get('/config.json', (c) => c.json(manualConfig(tool)));
  app.get('/canvas.json', (c) => c.json(canvasConfig(tool)));

  app.onError((error, c) => {
    const wantsJson = (c.req.header('accept') ?? '').includes('application/json') || JSON_PATHS.some((p) => c.req.path.endsWith(p));
    if (error instanceof LtiError) {
      // A flood of refused requests must not become a flood of warnings: 429s are info (dropped by default).
      const level = error.status >= 500 ? 'error' : error.status === 429 ? 'info' : 'warn';
      tool.log({ level, message: `LTI ${error.code}`, detail: { path: c.req.path, ...error.detail } });
      const response = wantsJson ? c.json({ code: error.code, message: error.userMessage }, error.status) : renderError(error.userMessage, error.status);
      const retryAfter = error.detail['retryAfter'];
      if (typeof retryAfter === 'number') response.headers.set('retry-after', String(retryAfter));
      return response;
    }
    tool.log({ level: 'error', message: 'LTI internal error', detail: { path: c.req.path, error: String(error), stack: error instanceof Error ? error.stack : undefined } });
    const message = 'Something went wrong inside Menteo. Please try again; if it keeps happening, tell your administrator.';
    if (wantsJson) return c.json({ code: 'internal', message }, 500);
    return renderError(message, 500);
  });
  app.notFound((c) => renderError('This Menteo page does not exist.', 404));

  return {
    app,
    async registerPlatform(input) {
      const registration = await options.store.createRegistration({
        orgId: input.orgId,
        issuer: input.issuer,
        clientId: input.clientId,
        authLoginUrl: input.authLoginUrl,
        authTokenUrl: input.authTokenUrl,
        authTokenAudience: input.authTokenAudience ?? null,
        jwksUrl: input.jwksUrl,
        platformName: input.platformName ?? null,
        personMatch: input.personMatch ?? 'sub',
      });
      for (const deploymentId of input.deploymentIds) await options.store.addDeployment(registration.id, deploymentId);
      return registration;
    },
    createInstallUrl: (orgId, installOptions) => createInstallUrl(tool, orgId, installOptions),
    manualConfig: () => manualConfig(tool),
    syncRoster: (context) => syncRoster(tool, context),
    postMilestoneScore: (request) => postMilestoneScore(tool, request),
    rotateKeys: () => keyring.rotate(),
    purgeExpired: () => options.store.purgeExpired(new Date()),
  };
}

/** Shorthand for `createLtiTool(options).app`. */
export function createLtiApp(options: LtiToolOptions): Hono {
  return createLtiTool(options).app;
}

