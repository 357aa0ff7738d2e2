/**
 * `client.meta` (health, the OpenAPI document) and `client.me`. Imports only
 * `@menteo/api/meta` and `@menteo/api/auth`.
 * @module
 */
import { getHealth, getOpenApi } from '@menteo/api/meta';
import { createEmbedSession, getMe, type CreateEmbedSession } from '@menteo/api/auth';
import type { Transport } from './transport.js';
import type { CallOptions } from './types.js';

/** Builds the service namespace over a transport. */
export function metaApi(t: Transport) {
  return {
    /** Liveness, version and storage dialect; no credentials needed. */
    health: (options?: CallOptions) => t.request(getHealth, { ...options }),
    /** The server's OpenAPI 3.1 document, as JSON. */
    openapi: (options?: CallOptions): Promise<unknown> => t.request(getOpenApi, { ...options }),
  };
}

/** Builds the identity namespace over a transport. */
export function meApi(t: Transport) {
  return {
    /** Who the credentials are: organization, person, scopes and limits. */
    get: (options?: CallOptions) => t.request(getMe, { ...options }),
  };
}

/** Builds the embed-sessions namespace over a transport (secret API key only). */
export function embedSessionsApi(t: Transport) {
  return {
    /**
     * Mints a single-use client secret for one person (by `personId` or `externalId`), limited
     * to scopes, rooms and components. Hand the secret to that person's browser only.
     */
    create: (body: CreateEmbedSession, options?: CallOptions) => t.request(createEmbedSession, { ...options, body }),
  };
}

/** The service namespace (`client.meta`). */
export type MetaApi = ReturnType<typeof metaApi>;
/** The identity namespace (`client.me`). */
export type MeApi = ReturnType<typeof meApi>;
/** The embed-sessions namespace (`client.embedSessions`). */
export type EmbedSessionsApi = ReturnType<typeof embedSessionsApi>;
