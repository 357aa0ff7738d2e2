/**
 * Service endpoints: health and the OpenAPI document.
 * @module
 */
import { getHealth, getOpenApi } from '@menteo/api/meta';
import { buildOpenApiDocument, type JsonObject } from '@menteo/api/openapi';
import { handlePublic } from '../handler.js';

let document: { version: string; origin: string; json: string } | undefined;

/**
 * Health, and the OpenAPI document. The document lists the origin it is served from as its
 * server, so generated clients and "try it" consoles reach this deployment; it is rebuilt only
 * when that origin or the version changes (one entry: a deployment has one public origin).
 */
export const metaHandlers = [
  handlePublic(getHealth, async ({ ctx }) => ({ status: 'ok' as const, version: ctx.options.version, storage: ctx.options.storage })),
  handlePublic(getOpenApi, async ({ ctx }) => {
    const origin = new URL(ctx.request.url).origin;
    if (document?.version !== ctx.options.version || document.origin !== origin) {
      const doc: JsonObject = buildOpenApiDocument({ version: ctx.options.version, servers: [{ url: origin, description: 'This server.' }] });
      document = { version: ctx.options.version, origin, json: JSON.stringify(doc) };
    }
    return new Response(document.json, { headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'public, max-age=300' } });
  }),
];
