/**
 * CORS for the embedding origins of organizations. Only allowed origins get CORS headers, so
 * other pages' scripts cannot read responses. Secret API keys never get CORS: they belong on
 * servers, not in browsers.
 * @module
 */
import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema.js';

const ALLOW_HEADERS = 'Authorization, Content-Type, Idempotency-Key, Last-Event-ID';
const EXPOSE_HEADERS = 'X-Request-Id, Retry-After, Idempotent-Replayed';
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
