/**
 * `createScimApp`: SCIM 2.0 (RFC 7643/7644) for HR systems and identity providers, as a Hono
 * sub-app the server mounts at `/scim/v2`. Each organization authenticates with its own bearer
 * token (see `createScimToken`).
 * @module
 */
import { Hono, type Context } from 'hono';
import type { Kysely } from 'kysely';
import type { LtiDatabase } from '../db/schema.js';
import type { LtiLogger, PeopleDirectory } from '../ports.js';
import { listResponse, resourceTypes, schemas, serviceProviderConfig } from './discovery.js';
import { ScimError, scimErrorResponse, scimJson } from './errors.js';
import { createGroup, deleteGroup, getGroup, listGroups, patchGroup, replaceGroup, syncGroup } from './groups.js';
import { authenticateScimToken } from './tokens.js';
import { createUser, deleteUser, getUser, listUsers, patchUser, replaceUser, type ScimScope } from './users.js';

/** Options of {@link createScimApp}. */
export interface ScimAppOptions {
  /** The database with the `lti_` tables (`ltiMigrations` applied). */
  db: Kysely<LtiDatabase>;
  /** The server's people, for projecting SCIM users onto Menteo persons. */
  directory: PeopleDirectory;
  /** Public URL where the app is mounted, e.g. `https://menteo.example.com/scim/v2`. */
  baseUrl: string;
  /** Largest request body accepted, bytes; 1 MiB by default. */
  maxBodyBytes?: number;
  /** Receives failures in detail. */
  logger?: LtiLogger;
  /**
   * Called on every request once the bearer token is checked: with the token's id when it is
   * valid, with `null` when it is missing or unknown. Returns the whole seconds the caller must
   * wait, or 0 to go on; a wait answers 429 with `Retry-After` and a SCIM error document. `env`
   * is what the app's `fetch` was given (the server's Node bindings), so the host can limit
   * unauthenticated callers by client IP.
   */
  rateLimit?: (tokenId: string | null, request: Request, env: unknown) => number;
}

const RATE_LIMITED = 'Too many requests with this token; retry after the number of seconds in Retry-After.';

type Env = { Variables: { scope: ScimScope } };

/** Builds the SCIM app. Mount it at the path of `options.baseUrl`. */
export function createScimApp(options: ScimAppOptions): Hono<Env> {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const maxBody = options.maxBodyBytes ?? 1024 * 1024;
  const log = options.logger ?? (() => {});
  const app = new Hono<Env>();

  app.use('*', async (c, next) => {
    const auth = c.req.header('authorization') ?? '';
    const token = /^bearer\s+(.+)$/i.exec(auth)?.[1]?.trim() ?? '';
    const found = token ? await authenticateScimToken(options.db, token) : undefined;
    // Identity providers share egress addresses across all their tenants, so a valid token is
    // limited on its own; guesses and missing tokens are limited per caller (the host decides how).
    const wait = options.rateLimit?.(found?.tokenId ?? null, c.req.raw, c.env) ?? 0;
    if (wait > 0) throw new ScimError(429, found ? RATE_LIMITED : 'Too many requests without a valid token; retry after the number of seconds in Retry-After.', undefined, wait);
    if (!found) throw new ScimError(401, 'A valid bearer token is required. A Menteo admin creates one with POST /v1/integrations/scim/tokens.');
    const orgId = found.orgId;
    c.set('scope', { db: options.db, directory: options.directory, orgId, baseUrl });
    await next();
  });

  async function body(c: Context<Env>): Promise<unknown> {
    const type = (c.req.header('content-type') ?? '').toLowerCase();
    if (!type.includes('application/scim+json') && !type.includes('application/json')) {
      throw new ScimError(415, 'Send the body as application/scim+json.', 'invalidSyntax');
    }
    const text = await c.req.text();
    if (text.length > maxBody) throw new ScimError(413, 'The request body is too large.');
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new ScimError(400, 'The request body is not valid JSON.', 'invalidSyntax');
    }
  }

  app.get('/ServiceProviderConfig', () => scimJson(serviceProviderConfig(baseUrl)));
  app.get('/ResourceTypes', () => {
    const types = resourceTypes(baseUrl);
    return scimJson(listResponse(types, types.length, 1));
  });
  app.get('/ResourceTypes/:id', (c) => {
    const type = resourceTypes(baseUrl).find((t) => t['id'] === c.req.param('id'));
    if (!type) throw new ScimError(404, `Resource type ${c.req.param('id')} not found.`);
    return scimJson(type);
  });
  app.get('/Schemas', () => {
    const all = schemas(baseUrl);
    return scimJson(listResponse(all, all.length, 1));
  });
  app.get('/Schemas/:id', (c) => {
    const schema = schemas(baseUrl).find((s) => s['id'] === c.req.param('id'));
    if (!schema) throw new ScimError(404, `Schema ${c.req.param('id')} not found.`);
    return scimJson(schema);
  });

  app.get('/Users', async (c) => scimJson(await listUsers(c.get('scope'), new URL(c.req.url).searchParams)));
  app.post('/Users', async (c) => {
    const user = await createUser(c.get('scope'), await body(c));
    return scimJson(user, 201, { location: String((user['meta'] as Record<string, unknown>)['location']) });
  });
  app.get('/Users/:id', async (c) => scimJson(await getUser(c.get('scope'), c.req.param('id'))));
  app.put('/Users/:id', async (c) => scimJson(await replaceUser(c.get('scope'), c.req.param('id'), await body(c))));
  app.patch('/Users/:id', async (c) => scimJson(await patchUser(c.get('scope'), c.req.param('id'), await body(c))));
  app.delete('/Users/:id', async (c) => {
    const scope = c.get('scope');
    const groups = await deleteUser(scope, c.req.param('id'));
    for (const groupId of groups) await syncGroup(scope, groupId);
    return c.body(null, 204);
  });

  app.get('/Groups', async (c) => scimJson(await listGroups(c.get('scope'), new URL(c.req.url).searchParams)));
  app.post('/Groups', async (c) => {
    const group = await createGroup(c.get('scope'), await body(c));
    return scimJson(group, 201, { location: String((group['meta'] as Record<string, unknown>)['location']) });
  });
  app.get('/Groups/:id', async (c) => {
    const excluded = (c.req.query('excludedAttributes') ?? '').toLowerCase().includes('members');
    return scimJson(await getGroup(c.get('scope'), c.req.param('id'), !excluded));
  });
  app.put('/Groups/:id', async (c) => scimJson(await replaceGroup(c.get('scope'), c.req.param('id'), await body(c))));
  app.patch('/Groups/:id', async (c) => scimJson(await patchGroup(c.get('scope'), c.req.param('id'), await body(c))));
  app.delete('/Groups/:id', async (c) => {
    await deleteGroup(c.get('scope'), c.req.param('id'));
    return c.body(null, 204);
  });

  app.notFound(() => scimErrorResponse(new ScimError(404, 'There is no such SCIM endpoint.')));
  app.onError((error, c) => {
    if (error instanceof ScimError) {
      // 429s are info: a flood of refused requests must not become a flood of warnings.
      if (error.status >= 400) log({ level: error.status === 429 ? 'info' : 'warn', message: `SCIM ${error.status}`, detail: { path: c.req.path, method: c.req.method, detail: error.message } });
      return scimErrorResponse(error);
    }
    log({ level: 'error', message: 'SCIM internal error', detail: { path: c.req.path, error: String(error), stack: error instanceof Error ? error.stack : undefined } });
    return scimJson({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '500', detail: 'Menteo could not complete the request. Try again later.' }, 500);
  });
  return app;
}
