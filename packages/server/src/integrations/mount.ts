/**
 * Builds the integrations over the server's database: the LTI tool (`/lti`) and SCIM
 * (`/scim/v2`) from `@menteo/lti`, wired to this server's people, rooms and embed sessions
 * through {@link createMenteoHost} and {@link createPeopleDirectory}. The app imports this module
 * lazily (see `./types.ts` for why).
 * @module
 */
import {
  createKyselyLtiStore, createLtiTool, createScimApp, createScimToken, listScimTokens, revokeScimToken,
  type LtiDatabase, type LtiLogger,
} from '@menteo/lti';
import type { Kysely } from 'kysely';
import type { RunInTransaction } from '../context.js';
import { RateLimiter, type RateLimit } from '../http/rate-limit.js';
import type { Database } from '../storage/schema.js';
import { createLtiAutomation, withCourseHook } from './automation.js';
import { createMenteoHost } from './menteo-host.js';
import { createPeopleDirectory } from './people-directory.js';
import { DEFAULT_LTI_RATE_LIMIT, DEFAULT_SCIM_RATE_LIMIT, LTI_PATH, SCIM_PATH, type IntegrationCourse, type IntegrationOptions, type Integrations, type LtiAutomation } from './types.js';

/** What {@link createIntegrations} needs from the app. */
export interface IntegrationDeps {
  readonly db: Kysely<Database>;
  /** The app's transaction runner, so membership changes publish live events after commit. */
  readonly tx: RunInTransaction;
  /** Absent: the data side only (tokens, registrations); nothing is served. */
  readonly options: IntegrationOptions | undefined;
  /** The client's IP (the app's `clientIp` option); without it all callers share one bucket. */
  readonly clientIp?: ((request: Request, env: unknown) => string | undefined) | undefined;
}

/** A limiter for one app, or undefined when turned off. */
function limiterOf(limit: RateLimit | false | undefined, fallback: RateLimit): RateLimiter | undefined {
  return limit === false ? undefined : new RateLimiter(limit ?? fallback);
}

/** Admin-facing detail goes to the console unless the app is given a logger; info is dropped. */
const consoleLogger: LtiLogger = (event) => {
  if (event.level === 'info') return;
  console.warn(`[menteo] ${event.message}`, event.detail ?? '');
};

/** Builds the integrations. Pure construction: no timers (the Node entry schedules maintenance). */
export function createIntegrations(deps: IntegrationDeps): Integrations {
  // The lti_ tables live in the same database (migrated by `migrateToLatest`); this view of the
  // connection only changes the table types Kysely checks against.
  const ltiDb = deps.db as unknown as Kysely<LtiDatabase>;
  const store = createKyselyLtiStore(ltiDb);
  const options = deps.options;
  const publicUrl = options?.publicUrl.replace(/\/+$/, '');
  const logger = options?.logger ?? consoleLogger;

  const host = createMenteoHost(deps.db, deps.tx);
  const ipOf = (request: Request, env: unknown) => deps.clientIp?.(request, env) ?? 'unknown';
  const ltiLimiter = limiterOf(options?.rateLimit?.lti, DEFAULT_LTI_RATE_LIMIT);
  const scimLimiter = limiterOf(options?.rateLimit?.scim, DEFAULT_SCIM_RATE_LIMIT);
  // The automation needs the tool and the tool's store calls the automation: bound once both exist.
  let automation: LtiAutomation | null = null;
  const tool = options && publicUrl
    ? createLtiTool({
      store: withCourseHook(store, (context) => automation?.courseSeen(context) ?? Promise.resolve()),
      host,
      baseUrl: `${publicUrl}${LTI_PATH}`,
      apiBaseUrl: publicUrl,
      widgetsScriptUrl: options.widgetsScriptUrl,
      logger,
      ...(ltiLimiter ? { rateLimit: (request: Request, env: unknown) => ltiLimiter.take(`ip:${ipOf(request, env)}`) } : {}),
      ...(options.toolName ? { toolName: options.toolName } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.jwksRefetchCooldownMs !== undefined ? { jwksRefetchCooldownMs: options.jwksRefetchCooldownMs } : {}),
    })
    : null;
  automation = tool
    ? createLtiAutomation({ db: deps.db, ltiDb, store, tool, host, logger, rosterSyncEveryMinutes: options?.rosterSyncEveryMinutes })
    : null;
  const scimBaseUrl = publicUrl ? `${publicUrl}${SCIM_PATH}` : null;
  const scimApp = scimBaseUrl
    ? createScimApp({
      db: ltiDb, directory: createPeopleDirectory(deps.db), baseUrl: scimBaseUrl, logger,
      ...(scimLimiter ? { rateLimit: (tokenId: string | null, request: Request, env: unknown) => scimLimiter.take(tokenId ? `token:${tokenId}` : `ip:${ipOf(request, env)}`) } : {}),
    })
    : null;

  return {
    store,
    tool,
    automation,
    // Hono<Env> with SCIM's variables is a Hono; widen it for callers that only call `fetch`.
    scimApp: scimApp as Integrations['scimApp'],
    scimBaseUrl,
    scimTokens: {
      create: (orgId, label) => createScimToken(ltiDb, orgId, label),
      list: (orgId) => listScimTokens(ltiDb, orgId),
      async get(orgId, id) {
        return (await listScimTokens(ltiDb, orgId)).find((t) => t.id === id);
      },
      revoke: (orgId, id) => revokeScimToken(ltiDb, orgId, id),
    },
    async deployments(registrationId) {
      const rows = await ltiDb.selectFrom('lti_deployments').select('deployment_id').where('registration_id', '=', registrationId).orderBy('created_at').orderBy('deployment_id').execute();
      return rows.map((r) => r.deployment_id);
    },
    async courses(orgId, registrationId): Promise<IntegrationCourse[]> {
      let q = ltiDb
        .selectFrom('lti_contexts')
        .innerJoin('lti_registrations', 'lti_registrations.id', 'lti_contexts.registration_id')
        .selectAll('lti_contexts')
        .where('lti_registrations.org_id', '=', orgId);
      if (registrationId !== undefined) q = q.where('lti_contexts.registration_id', '=', registrationId);
      const rows = await q.orderBy('lti_contexts.updated_at', 'desc').limit(500).execute();
      return rows.map((r) => ({
        registrationId: r.registration_id,
        deploymentId: r.deployment_id,
        contextId: r.context_id,
        title: r.title,
        roomId: r.room_id,
        membershipsUrl: r.memberships_url,
        lineitemsUrl: r.lineitems_url,
        lineitemUrl: r.lineitem_url,
      }));
    },
  };
}
