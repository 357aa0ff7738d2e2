/**
 * Service endpoints: health and the OpenAPI document.
 * @module
 */
import { getHealth, getOpenApi } from '@menteo/api/meta';
import { buildOpenApiDocument, type JsonObject } from '@menteo/api/openapi';
import { handlePublic } from '../handler.js';

let document: { version: string; json: string } | undefined;

/** Health, and the OpenAPI document (built once: it depends only on the contract). */
export const metaHandlers = [
  handlePublic(getHealth, async ({ ctx }) => ({ status: 'ok' as const, version: ctx.options.version, storage: ctx.options.storage })),
  handlePublic(getOpenApi, async ({ ctx }) => {
    if (document?.version !== ctx.options.version) {
      const doc: JsonObject = buildOpenApiDocument({ version: ctx.options.version });
      document = { version: ctx.options.version, json: JSON.stringify(doc) };
    }
    return new Response(document.json, { headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'public, max-age=300' } });
  }),
];
