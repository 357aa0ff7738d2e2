/**
 * Service endpoints: health and the OpenAPI document.
 * @module
 */
import * as z from 'zod/mini';
import { defineOperation } from './operation.js';

export const Health = z.object({
  status: z.literal('ok'),
  version: z.string(),
  /** The storage dialect in use (`sqlite`, `postgres`). */
  storage: z.string(),
});
export type Health = z.infer<typeof Health>;


export const getHealth = defineOperation({
  id: 'getHealth', method: 'GET', path: '/v1/health', tag: 'Service',
  summary: 'Liveness and version.', auth: 'none', response: Health,
  description: "For load balancers and uptime checks: answers 200 with the server's version and storage dialect while the server accepts requests. Needs no credentials.",
});
export const getOpenApi = defineOperation({
  id: 'getOpenApi', method: 'GET', path: '/v1/openapi.json', tag: 'Service',
  summary: 'This OpenAPI 3.1 document.', auth: 'none',
  description: 'The machine-readable description of every operation, generated from the same schemas the server validates with, so it cannot disagree with the server. Its `servers` entry is the origin it was fetched from.',
});
