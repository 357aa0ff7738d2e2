/**
 * The Menteo app: a web-standard fetch handler built on Hono, driven by the contract. Every
 * operation of `OPERATIONS` is registered with its path; its params, query and body are validated
 * with its schemas; authentication, origin, rate limit, scopes and idempotency are applied in
 * that order; then its handler runs. This module imports nothing Node-specific, so the same app
 * runs in Node, in a browser under msw, and in tests.
 * @module
 */
import type { Operation } from '@menteo/api/operation';
import { OPERATIONS } from '@menteo/api/operations';
import { Hono, type Context as HonoContext } from 'hono';
import type { Kysely, Transaction } from 'kysely';
import { mountAdminPage, type AdminPageOptions } from './admin/page.js';
import { mountProbes } from './cluster/probes.js';
import { authenticate } from './auth/principal.js';
import type { Context, Principal, PublicContext, ResolvedAppInfo, RunInTransaction } from './context.js';
import { EventBus, type StoredEvent } from './events/bus.js';
import { insertEvent, type EventDraft } from './events/store.js';
import type { BoundHandler } from './handler.js';
import { readJsonBody } from './http/body.js';
import { anyOrgAllowsOrigin, attributedOrg, attributePublicAnswer, orgAllowsOrigin, preflightResponse, withCors } from './http/cors.js';
import { ApiError } from './http/errors.js';
import { withEventPosition } from './http/event-position.js';
import {
  claim, claimInTransaction, idempotencyKeyOf, idempotencyModeOf, purgeExpiredNowAndThen, requestHash, settle, storedAnswer, storeInTransaction, type Claim,
} from './http/idempotency.js';
import { joinedDatabase } from './http/joined-transaction.js';
import { runTransaction } from './storage/dialect.js';
import { jsonResponse, problemResponse } from './http/problem.js';
import { rateLimiterFor, type Limiter, type RateLimit } from './http/rate-limit.js';
import { validate } from './http/validate.js';
import { integrationsLoader, mountIntegrations, subscribeGradebookSync } from './integrations/loader.js';
import { withoutOwnOrigin } from './integrations/own-origin.js';
import { mountEmbed } from './embed/mount.js';
import type { IntegrationOptions, IntegrationsLoader } from './integrations/types.js';
import { HANDLERS } from './routes/index.js';
import type { Database } from './storage/schema.js';

/** Options of {@link createApp}. */
export interface AppOptions {
  /** The database, already migrated (see `migrateToLatest`). */
  readonly db: Kysely<Database>;
  /** Storage name reported by `/v1/health`; `sqlite` by default. */
  readonly storage?: string;
  /** Version reported by `/v1/health` and the OpenAPI document. */
  readonly version?: string;
  /** Largest accepted request body in bytes; 256 KiB by default. */
  readonly bodyLimit?: number;
  /** Token bucket per credential; `false` disables it. Default: 300 burst, 50 per second. */
  readonly rateLimit?: RateLimit | false;
  /** Token bucket per client IP for calls without a valid credential. Default: 120 burst, 20 per second. */
  readonly ipRateLimit?: RateLimit | false;
  /**
   * Keep rate-limit buckets in the database, shared by every instance on it (one row per key),
   * instead of in memory. Default: shared on PostgreSQL, in memory on SQLite.
   */
  readonly sharedRateLimits?: boolean;
  /** The client's IP address; the Node listener supplies it. Without it, all anonymous callers share one bucket. */
  readonly clientIp?: (request: Request, env: unknown) => string | undefined;
  /** Lifetime of access tokens; 900 s by default. */
  readonly accessTokenTtlSeconds?: number;
  /** Interval of SSE heartbeat comments; 15 s by default. */
  readonly heartbeatMs?: number;
  /** Shared event bus (defaults to a new one). */
  readonly bus?: EventBus;
  /** Called with unexpected errors (answered as 500 `internal`); `console.error` by default. */
  readonly onError?: (error: unknown, requestId: string) => void;
  /**
   * Serve the LTI 1.3 tool at `/lti` and SCIM 2.0 at `/scim/v2`. Without it nothing is mounted,
   * though the admin API still manages SCIM tokens and platform registrations.
   */
  readonly integrations?: IntegrationOptions;
  /** Serve the standalone admin console page at `/admin` (src/admin/page.ts) with these assets. */
  readonly adminPage?: AdminPageOptions;
}

/** The app: a web-standard fetch handler plus the pieces tests and adapters need. */
export interface MenteoApp {
  /** Handles one request. `env` is passed through to Hono (the Node listener passes its bindings). */
  readonly fetch: (request: Request, env?: unknown) => Promise<Response>;
  /** The underlying Hono app. */
  readonly hono: Hono;
  /** Live event publisher (its `size` is the number of open streams' subscriptions). */
  readonly bus: EventBus;
  /** The LTI tool and SCIM, loaded on first use; the Node entry schedules their maintenance. */
  readonly integrations: IntegrationsLoader;
}

const DEFAULT_BODY_LIMIT = 256 * 1024;

/** Converts an OpenAPI path template (`{roomId}`) to Hono's syntax (`:roomId`). */
export function honoPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ':$1');
}

/** Builds the app over a migrated database. Throws if an operation of the contract has no handler. */
export function createApp(options: AppOptions): MenteoApp {
  const db = options.db;
  const bus = options.bus ?? new EventBus();
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const credentialLimiter = options.rateLimit === false ? null : rateLimiterFor(db, options.rateLimit ?? { capacity: 300, refillPerSecond: 50 }, options.sharedRateLimits);
  const ipLimiter = options.ipRateLimit === false ? null : rateLimiterFor(db, options.ipRateLimit ?? { capacity: 120, refillPerSecond: 20 }, options.sharedRateLimits);
  const onError = options.onError ?? ((error: unknown, requestId: string) => console.error(`[menteo] ${requestId}`, error));
  const info: ResolvedAppInfo = {
    version: options.version ?? '0.1.0',
    storage: options.storage ?? 'sqlite',
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 900,
    heartbeatMs: options.heartbeatMs ?? 15_000,
  };

  const tx: RunInTransaction = async <T>(work: (trx: Transaction<Database>, emit: (draft: EventDraft) => Promise<void>) => Promise<T>): Promise<T> => {
    const committed: StoredEvent[] = [];
    // Run again from scratch when PostgreSQL reports a concurrent conflict (storage/dialect.ts).
    const result = await runTransaction(db, async (trx) => work(trx, async (draft) => {
      committed.push(await insertEvent(trx, draft));
    }), () => (committed.length = 0));
    // Publish after commit only: a subscriber must never see an event whose change rolled back.
    for (const event of committed) bus.publish(event);
    return result;
  };

  const integrations = integrationsLoader({ db, tx, options: options.integrations, clientIp: options.clientIp });

  const byId = new Map<string, BoundHandler>(HANDLERS.map((h) => [h.op.id, h]));
  const missing = OPERATIONS.filter((op) => !byId.has(op.id)).map((op) => op.id);
  if (missing.length > 0) throw new Error(`no handler for operations: ${missing.join(', ')}`);

  const hono = new Hono();
  const routes = OPERATIONS.map((op) => ({ op, pattern: new RegExp(`^${op.path.replace(/\{\w+\}/g, '[^/]+')}$`) }));

  const ipOf = (c: HonoContext) => options.clientIp?.(c.req.raw, c.env) ?? 'unknown';

  /** Takes a token from a bucket or throws 429. */
  const limit = async (limiter: Limiter | null, key: string) => {
    if (!limiter) return;
    const wait = await limiter.take(key);
    if (wait > 0) {
      throw new ApiError('rate_limited', `Too many requests; retry in ${wait} s.`, { retryAfter: wait, headers: { 'Retry-After': String(wait) } });
    }
  };

  async function dispatch(op: Operation, handler: BoundHandler, c: HonoContext): Promise<Response> {
    // Menteo's own pages (the LTI launch page) are not an embedding site: see integrations/own-origin.ts.
    const request = withoutOwnOrigin(c.req.raw, options.integrations);
    const requestId = crypto.randomUUID();
    const origin = request.headers.get('origin');
    let principal: Principal | null = null;
    let claimed: Extract<Claim, { kind: 'claimed' }> | null = null;
    let response: Response;
    try {
      const now = new Date().toISOString();
      if (op.auth === 'any' || op.auth === 'key') {
        try {
          principal = await authenticate(db, request, now);
        } catch (error) {
          // Failed credentials are limited per IP, which slows down guessing.
          await limit(ipLimiter, `ip:${ipOf(c)}`);
          throw error;
        }
        await limit(credentialLimiter, `cred:${principal.credentialId}`);
        if (op.auth === 'key' && principal.kind !== 'key') {
          throw new ApiError('forbidden', 'This endpoint needs a secret API key; access tokens cannot call it.');
        }
        if (principal.kind === 'token' && origin !== null && !(await orgAllowsOrigin(db, principal.orgId, origin))) {
          throw new ApiError('forbidden', 'This origin is not allowed to embed Menteo for this organization.', { field: 'Origin' });
        }
        const lacking = op.scopes.filter((s) => !principal?.scopes.has(s));
        if (lacking.length > 0) throw new ApiError('forbidden', `The credential lacks the scope ${lacking.join(', ')}.`);
      } else {
        await limit(ipLimiter, `ip:${ipOf(c)}`);
      }

      const params = validate(op.params, c.req.param(), 'params');
      if (principal === null && origin !== null) await attributePublicAnswer(db, op.id, request, params);
      const query = validate(op.query, queryObject(new URL(request.url)), 'query');
      let body: unknown = undefined;
      if (op.body) body = validate(op.body, await readJsonBody(request, bodyLimit), 'body');
      const args = { params, query, body };

      const mode = idempotencyModeOf(op);
      const key = mode === 'none' ? undefined : idempotencyKeyOf(request);
      const base: PublicContext = { db, request, requestId, now, tx, options: info, bus, integrations, afterCommit: (fn) => fn(), env: c.env };
      const ctx: Context | PublicContext = principal ? { ...base, principal } : base;
      if (key !== undefined) {
        const hash = await requestHash(request, body);
        const owner = principal ? `cred:${principal.credentialId}` : `anon:${hash}`;
        await purgeExpiredNowAndThen(db);
        if (mode === 'transaction') return await finish(await runKeyed(op, handler, args, ctx, { owner, key, hash }, requestId), request, principal, origin);
        const result = await claim(db, owner, key, hash);
        if (result.kind === 'replay') return await finish(replayResponse(result, requestId), request, principal, origin);
        claimed = result;
      }
      response = await withEventPosition(db, op, principal?.orgId, request, () => respond(op, handler, args, ctx, requestId));
    } catch (error) {
      response = errorResponse(error, requestId);
    }
    if (claimed) {
      try {
        const text = response.body === null || response.status === 204 ? null : await response.clone().text();
        await settle(db, claimed, storedAnswer(op, response.status, text));
      } catch (error) {
        onError(error, requestId);
      }
    }
    return finish(response, request, principal, origin);
  }

  /** Runs the handler and turns its result into the operation's success answer. */
  async function respond(op: Operation, handler: BoundHandler, args: { params: unknown; query: unknown; body: unknown }, ctx: Context | PublicContext, requestId: string): Promise<Response> {
    const result = await handler.run({ ...args, ctx });
    if (result instanceof Response) {
      result.headers.set('X-Request-Id', requestId);
      return result;
    }
    if (op.status === 204 || result === undefined) return new Response(null, { status: op.status, headers: { 'X-Request-Id': requestId } });
    return jsonResponse(op.status, result, requestId);
  }

  /**
   * A keyed write: the claim of the key, the handler's reads and writes (its `db`, its `tx` and
   * the events it emits) and the stored answer commit in one transaction. A crash anywhere leaves
   * all or nothing, so a retry either replays the committed answer or does the work once; a
   * concurrent duplicate waits for this transaction and replays. Events are published after the
   * commit, as with `tx`. Handlers must reach the database through `ctx` only: the outer `db`
   * (and so the integrations' store) would wait for this transaction's connection.
   */
  async function runKeyed(
    op: Operation, handler: BoundHandler, args: { params: unknown; query: unknown; body: unknown }, ctx: Context | PublicContext,
    keyed: { owner: string; key: string; hash: string }, requestId: string,
  ): Promise<Response> {
    const committed: StoredEvent[] = [];
    const afterCommit: Array<() => void> = [];
    // Run again from scratch when PostgreSQL reports a concurrent conflict (storage/dialect.ts).
    const answer = await runTransaction(db, async (trx) => {
      const claimedKey = await claimInTransaction(trx, keyed.owner, keyed.key, keyed.hash);
      if (claimedKey.kind === 'replay') return replayResponse(claimedKey, requestId);
      const emit = async (draft: EventDraft) => {
        committed.push(await insertEvent(trx, draft));
      };
      const inTransaction: RunInTransaction = (work) => work(trx, emit);
      // The integrations write through the outer database, which would wait forever for this
      // transaction's connection: fail loudly instead (their operations are claim-settle).
      const noIntegrations = () => Promise.reject(new Error(`${op.id} runs in its request's transaction and cannot use the integrations; make it claim-settle (http/idempotency.ts)`));
      const response = await respond(op, handler, args, { ...ctx, db: joinedDatabase(trx), tx: inTransaction, integrations: noIntegrations, afterCommit: (fn) => afterCommit.push(fn) }, requestId);
      if (response.status >= 200 && response.status < 300) {
        const text = response.body === null || response.status === 204 ? null : await response.clone().text();
        await storeInTransaction(trx, claimedKey, storedAnswer(op, response.status, text));
      } else {
        await trx.deleteFrom('idempotency').where('principal', '=', keyed.owner).where('key', '=', keyed.key).execute();
      }
      // A refused request keeps nothing, so it announces nothing either.
      if (response.status >= 400) afterCommit.length = 0;
      return response;
    }, () => {
      committed.length = 0;
      afterCommit.length = 0;
    });
    for (const event of committed) bus.publish(event);
    for (const fn of afterCommit) {
      try {
        fn();
      } catch (error) {
        onError(error, requestId);
      }
    }
    return answer;
  }

  function replayResponse(stored: { status: number; body: string | null }, requestId: string): Response {
    const replay = new Response(stored.body, { status: stored.status, headers: { 'X-Request-Id': requestId, 'Idempotent-Replayed': 'true' } });
    if (stored.body !== null) replay.headers.set('Content-Type', 'application/json; charset=utf-8');
    return replay;
  }

  function errorResponse(error: unknown, requestId: string): Response {
    if (error instanceof ApiError) return problemResponse(error, requestId);
    onError(error, requestId);
    return problemResponse(new ApiError('internal', 'Something went wrong on our side; quote the request id to support.'), requestId);
  }

  /** Adds CORS headers when the organization the answer is about allows the origin (see http/cors.ts). */
  async function finish(response: Response, request: Request, principal: Principal | null, origin: string | null): Promise<Response> {
    if (origin === null) return response;
    const org = principal ? (principal.kind === 'key' ? null : principal.orgId) : attributedOrg(request);
    try {
      let allowed: boolean;
      if (org === null) allowed = false;
      else if (org !== undefined) allowed = await orgAllowsOrigin(db, org, origin);
      // About no organization: an error carries only its code, so a widget may read it.
      else allowed = response.status >= 400 && (await anyOrgAllowsOrigin(db, origin));
      return allowed ? withCors(response, origin) : response;
    } catch {
      return response;
    }
  }

  // Preflights carry no credentials: answer for any origin some organization allows.
  hono.options('*', async (c) => {
    const requestId = crypto.randomUUID();
    const origin = c.req.header('origin');
    if (origin !== undefined && c.req.header('access-control-request-method') !== undefined && (await anyOrgAllowsOrigin(db, origin))) {
      return preflightResponse(origin, requestId);
    }
    return notFoundOrMethod(c.req.raw, requestId);
  });

  for (const op of OPERATIONS) {
    const handler = byId.get(op.id) as BoundHandler;
    hono.on(op.method, honoPath(op.path), (c) => dispatch(op, handler, c));
  }

  // Liveness and readiness for load balancers (outside /v1: operations, not the API).
  mountProbes(hono, db, bus);
  if (options.adminPage) mountAdminPage(hono, options.adminPage);

  if (options.integrations) {
    mountIntegrations(hono, integrations);
    mountEmbed(hono, { db, integrations: options.integrations, clientIp: options.clientIp });
    subscribeGradebookSync(bus, integrations, (error) => onError(error, 'gradebook-sync'));
  }

  function notFoundOrMethod(request: Request, requestId: string): Response {
    const path = new URL(request.url).pathname;
    const methods = routes.filter((r) => r.pattern.test(path)).map((r) => r.op.method);
    if (methods.length > 0) {
      const allow = [...new Set(methods.includes('GET') ? [...methods, 'HEAD'] : methods)].join(', ');
      return problemResponse(new ApiError('method_not_allowed', `${request.method} is not allowed here; use ${allow}.`, { headers: { Allow: allow } }), requestId);
    }
    return problemResponse(new ApiError('not_found', `No endpoint at ${path}.`), requestId);
  }

  hono.notFound((c) => notFoundOrMethod(c.req.raw, crypto.randomUUID()));
  hono.onError((error) => errorResponse(error, crypto.randomUUID()));

  return {
    hono,
    bus,
    integrations,
    fetch: async (request, env) => {
      try {
        return await hono.fetch(request, env);
      } catch (error) {
        return errorResponse(error, crypto.randomUUID());
      }
    },
  };
}

/** The query string as an object; repeated parameters become arrays (which single-value schemas reject). */
function queryObject(url: URL): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of url.searchParams) {
    const existing = out[name];
    out[name] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return out;
}
