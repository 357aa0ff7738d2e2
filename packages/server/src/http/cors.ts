/**
 * CORS for the embedding origins of organizations. An answer carries CORS headers only for an
 * origin allowed by the organization the answer is about, so other pages' scripts cannot read it:
 *
 * - a token's answers: the token's organization;
 * - answers without a credential that are still about one organization (a public post, a token
 *   exchange, a refused access token): that organization, named with {@link attributeAnswer};
 * - answers about no organization: service documents (health, OpenAPI) get none; error answers
 *   (only a code, the same for everyone) get them for an origin some organization allows, so a
 *   widget can read why it failed;
 * - secret API keys never get CORS: they belong on servers, not in browsers.
 *
 * Preflights carry no credential by design (the browser sends them before the request), so they
 * are answered for any origin some organization allows; they reveal nothing, and the real answer
 * is still checked against its own organization.
 * @module
 */
import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema.js';

const ALLOW_HEADERS = 'Authorization, Content-Type, Idempotency-Key, Last-Event-ID, Prefer';
const EXPOSE_HEADERS = 'X-Request-Id, Retry-After, Idempotent-Replayed, Preference-Applied, Menteo-Event-Position, Menteo-Event-Position-Upper';
const ALLOW_METHODS = 'GET, POST, PUT, PATCH, DELETE';

/** True when the origin is allowed by the given organization. */
export async function orgAllowsOrigin(db: Kysely<Database>, orgId: string, origin: string): Promise<boolean> {
  const row = await db.selectFrom('allowed_origins').select('origin').where('org_id', '=', orgId).where('origin', '=', origin.toLowerCase()).executeTakeFirst();
  return row !== undefined;
}

/** True when some organization allows the origin (preflights and unauthenticated calls carry no organization). */
export async function anyOrgAllowsOrigin(db: Kysely<Database>, origin: string): Promise<boolean> {
  const row = await db.selectFrom('allowed_origins').select('origin').where('origin', '=', origin.toLowerCase()).limit(1).executeTakeFirst();
  return row !== undefined;
}

/** Adds the CORS headers of an allowed origin to a response. */
export function withCors(response: Response, origin: string): Response {
  response.headers.set('Access-Control-Allow-Origin', origin);
  response.headers.set('Access-Control-Expose-Headers', EXPOSE_HEADERS);
  response.headers.append('Vary', 'Origin');
  return response;
}

/** The answer to a preflight from an allowed origin. */
export function preflightResponse(origin: string, requestId: string): Response {
  return new Response(null, {
    status: 204,
    headers: {
      'Access-Control-Allow-Origin': origin,
      'Access-Control-Allow-Methods': ALLOW_METHODS,
      'Access-Control-Allow-Headers': ALLOW_HEADERS,
      'Access-Control-Max-Age': '600',
      Vary: 'Origin',
      'X-Request-Id': requestId,
    },
  });
}

/** The organization an answer is about, when the request carries no credential of it. */
const answerOrgs = new WeakMap<Request, string | null>();

/**
 * Names the organization an answer to `request` is about; `null` for "about an organization,
 * but none that may share it cross-origin" (a secret API key, an unknown public post).
 */
export function attributeAnswer(request: Request, orgId: string | null): void {
  answerOrgs.set(request, orgId);
}

/** The organization named with {@link attributeAnswer}; undefined when none was named. */
export function attributedOrg(request: Request): string | null | undefined {
  return answerOrgs.get(request);
}

/**
 * Names the organization of an answer that needs no credential but is about one organization:
 * a public post belongs to its author's organization (an unknown post to none that may share it).
 */
export async function attributePublicAnswer(db: Kysely<Database>, operationId: string, request: Request, params: unknown): Promise<void> {
  if (operationId !== 'getPublicPost' || typeof params !== 'object' || params === null || !('postId' in params) || typeof params.postId !== 'string') return;
  const row = await db.selectFrom('posts').select('org_id').where('id', '=', params.postId).executeTakeFirst();
  attributeAnswer(request, row?.org_id ?? null);
}
