/**
 * Embed sessions and access tokens: how a widget inside a host page gets an identity.
 *
 * 1. The host backend (secret API key) creates an embed session for one person and gets a
 *    single-use client secret valid for minutes.
 * 2. The browser exchanges the client secret for a short-lived access token, kept in memory.
 * @module
 */
import * as z from 'zod/mini';
import { Timestamp } from './common.js';
import { defineOperation } from './operation.js';
import { Organization, Person, PersonId } from './people.js';
import { COMPONENTS, SCOPES } from './scopes.js';
import { RoomId } from './ids.js';

export const ScopeSchema = z.enum(SCOPES);
export const ComponentSchema = z.enum(COMPONENTS);

export const CreateEmbedSession = z.strictObject({
  /** The person the widgets act as: a Menteo person id … */
  personId: z.optional(PersonId),
  /** … or the person's external id from the host's HR system. Exactly one of the two. */
  externalId: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  /** Defaults to what a member does (read, post, comment, react, check in, give feedback). */
  scopes: z.optional(z.array(ScopeSchema).check(z.minLength(1))),
  /** Limit the session to these rooms; by default every room the person belongs to. */
  roomIds: z.optional(z.array(RoomId).check(z.maxLength(100))),
  /** Limit the session to these widgets; by default all. */
  components: z.optional(z.array(ComponentSchema).check(z.minLength(1))),
  /** Lifetime of the client secret in seconds, 30–900, 300 by default. */
  ttlSeconds: z.optional(z.int().check(z.minimum(30), z.maximum(900))),
});
export type CreateEmbedSession = z.infer<typeof CreateEmbedSession>;

export const EmbedSession = z.object({
  /** Single-use secret for the browser; exchange it at `POST /v1/tokens`. */
  clientSecret: z.string(),
  expiresAt: Timestamp,
  personId: PersonId,
});
export type EmbedSession = z.infer<typeof EmbedSession>;

export const ExchangeToken = z.strictObject({ clientSecret: z.string().check(z.minLength(1), z.maxLength(200)) });
export type ExchangeToken = z.infer<typeof ExchangeToken>;

export const AccessToken = z.object({
  /** Bearer token; keep it in memory only. */
  accessToken: z.string(),
  tokenType: z.literal('Bearer'),
  expiresAt: Timestamp,
  /** Seconds until expiry, for clocks that disagree with the server's. */
  expiresIn: z.int(),
});
export type AccessToken = z.infer<typeof AccessToken>;

/** Who the caller is and what they may do. */
export const Me = z.object({
  organization: Organization,
  /** The person; `null` for an API key that acts as no one. */
  person: z.nullable(Person),
  scopes: z.array(ScopeSchema),
  /** Rooms the credential is limited to; `null` when not limited. */
  roomIds: z.nullable(z.array(RoomId)),
  components: z.array(ComponentSchema),
});
export type Me = z.infer<typeof Me>;

export const createEmbedSession = defineOperation({
  id: 'createEmbedSession', method: 'POST', path: '/v1/embed-sessions', tag: 'Auth',
  summary: 'Mint a single-use client secret for one person (host backends, with a secret key).',
  description: "Called by the host's backend with a secret API key when one of its users opens a page with Menteo widgets. The answer's single-use client secret (valid 30 to 900 seconds, 300 by default) goes to that user's browser, which exchanges it at `POST /v1/tokens`; scopes, rooms and widgets may be narrowed here.",
  auth: 'key', body: CreateEmbedSession, response: EmbedSession,
});
export const exchangeToken = defineOperation({
  id: 'exchangeToken', method: 'POST', path: '/v1/tokens', tag: 'Auth',
  summary: 'Exchange a client secret for a short-lived access token (once).',
  description: "Called by the browser (the widgets' provider) with the client secret its host handed it; needs no other credentials. A secret is exchanged once: a second exchange or an expired secret is refused, so a leaked secret is worth little. Keep the access token in memory only.",
  auth: 'client-secret', body: ExchangeToken, status: 200, response: AccessToken,
});
export const getMe = defineOperation({
  id: 'getMe', method: 'GET', path: '/v1/me', tag: 'Auth',
  summary: 'The caller: organization, person, scopes and limits.', response: Me,
  description: 'Tells a widget or script who it acts as: the organization, the person (`null` for an API key acting as no one), the scopes the credential carries, and the rooms and widgets it is limited to.',
});
