/**
 * Mounts the embed pages at `/embed` without importing them up front: `createApp` also runs in
 * browsers (msw), which serve no pages and need not load jose's verifier. Mounted only when the
 * app has `integrations` (a public URL and the widgets' bundle URL), like the LTI tool.
 * @module
 */
import type { Hono } from 'hono';
import type { Kysely } from 'kysely';
import { RateLimiter } from '../http/rate-limit.js';
import { DEFAULT_LTI_RATE_LIMIT, type IntegrationOptions } from '../integrations/types.js';
import type { Database } from '../storage/schema.js';

/** Where the embed pages live. */
export const EMBED_PATH = '/embed';

/** What {@link mountEmbed} needs. */
export interface EmbedMountDeps {
  readonly db: Kysely<Database>;
  readonly integrations: IntegrationOptions;
  readonly clientIp?: ((request: Request, env: unknown) => string | undefined) | undefined;
}

function plainText(status: number, text: string, headers: Record<string, string> = {}): Response {
  return new Response(text, { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...headers } });
}

/**
 * `GET /embed/<component>` and `POST /embed/session`. Limited per client IP like `/lti` (every
 * endpoint is public), with the same default: 600 burst, 30 per second, and the same switch
 * (`integrations.rateLimit.lti`).
 */
export function mountEmbed(hono: Hono, deps: EmbedMountDeps): void {
  const publicUrl = deps.integrations.publicUrl.replace(/\/+$/, '');
  const limit = deps.integrations.rateLimit?.lti;
  const limiter = limit === false ? undefined : new RateLimiter(limit ?? DEFAULT_LTI_RATE_LIMIT);
  const routeDeps = { db: deps.db, publicUrl, widgetsScriptUrl: deps.integrations.widgetsScriptUrl };
  const limited = (c: { req: { raw: Request }; env: unknown }): Response | undefined => {
    const wait = limiter?.take(`ip:${deps.clientIp?.(c.req.raw, c.env) ?? 'unknown'}`) ?? 0;
    return wait > 0 ? plainText(429, `Too many requests; retry in ${wait} s.`, { 'retry-after': String(wait) }) : undefined;
  };
  hono.post(`${EMBED_PATH}/session`, async (c) => limited(c) ?? (await import('./routes.js')).handleEmbedSession(routeDeps, c.req.raw));
  hono.get(`${EMBED_PATH}/:component`, async (c) => {
    // Hono answers HEAD with the GET route. A HEAD (link checkers, previews) must not spend the
    // single-use token, so it is answered without looking at it.
    if (c.req.raw.method === 'HEAD') return plainText(200, '', { 'content-type': 'text/html; charset=utf-8' });
    return limited(c) ?? (await import('./routes.js')).handleEmbedPage(routeDeps, c.req.param('component'), new URL(c.req.url));
  });
}
