/**
 * Signed embed URLs: the organization's embed keys. A host that cannot run script (SharePoint,
 * Teams tabs, HR-suite tiles) frames `<server>/embed/<component>?token=…`, where the token is a
 * short-lived, single-use JWT its backend signed with the organization's embed secret. These
 * operations create (rotate), list and revoke that secret; they take a secret API key with
 * `org:admin`, because an embed secret signs in any person of the organization.
 *
 * The embed page itself (`GET /embed/{component}`) answers HTML, not JSON, so it is not an
 * operation of this contract; its claims are described here for hosts and for the server.
 * @module
 */
import * as z from 'zod/mini';
import { Timestamp, page, text } from './common.js';
import { defineOperation } from './operation.js';

/** An embed key's id: random (not a ULID), like the integrations' credentials. */
export const EmbedKeyId = z.string().check(z.regex(/^embkey_[A-Za-z0-9]{8,64}$/, 'must be an embkey_… identifier'));

/** The only signature algorithm an embed token may use (pinned: `none` and HMAC are refused). */
export const EMBED_ALGORITHM = 'ES256';
/** The `aud` claim every embed token carries. */
export const EMBED_AUDIENCE = 'menteo-embed';
/** The longest lifetime (`exp` − `iat`) of an embed token, seconds. */
export const EMBED_MAX_TTL_SECONDS = 300;

/**
 * One embed key of the organization: Menteo keeps its public half only, so a copy of Menteo's
 * database cannot sign embed URLs. The secret (the private half) is shown once, at creation.
 */
export const EmbedKey = z.object({
  id: EmbedKeyId,
  /** What the key is for, e.g. `intranet production`. */
  label: z.nullable(z.string()),
  /** Always `ES256`. */
  algorithm: z.literal(EMBED_ALGORITHM),
  createdAt: Timestamp,
  /** When a newer key replaced it, the end of its grace period: tokens it signs are refused after. */
  expiresAt: z.nullable(Timestamp),
  /** Set once revoked: its tokens are refused at once. */
  revokedAt: z.nullable(Timestamp),
});
export type EmbedKey = z.infer<typeof EmbedKey>;

export const CreateEmbedKey = z.strictObject({
  label: z.optional(text(80)),
  /**
   * How long the organization's current keys keep working after this one is created, seconds:
   * 0 (at once) to 7 days, 1 hour by default. Time to deploy the new secret to every host backend.
   */
  retirePreviousAfterSeconds: z.optional(z.number().check(z.int(), z.minimum(0), z.maximum(7 * 24 * 3600))),
});
export type CreateEmbedKey = z.infer<typeof CreateEmbedKey>;

/** The answer to key creation: the only time the secret (`mek_…`) is visible. */
export const CreatedEmbedKey = z.object({
  key: EmbedKey,
  /** Give it to the host backend's `signEmbedUrl` (or decode it: base64url JSON of a private JWK). */
  secret: z.string(),
  /** The URL prefix embed URLs start with (null when this server has no public URL configured). */
  embedBaseUrl: z.nullable(z.string()),
});
export type CreatedEmbedKey = z.infer<typeof CreatedEmbedKey>;

export const EmbedKeyParams = z.strictObject({ keyId: EmbedKeyId });

const tag = 'Embedding';
const admin = { auth: 'key', scopes: ['org:admin'] } as const;

export const listEmbedKeys = defineOperation({
  id: 'listEmbedKeys', method: 'GET', path: '/v1/embed/keys', tag, ...admin,
  summary: "The organization's embed keys, newest first (never their secrets).", response: page(EmbedKey),
  description: 'For administrators auditing signed embed URLs: each key\'s label, creation, end of its rotation grace period and revocation.',
});
export const createEmbedKey = defineOperation({
  id: 'createEmbedKey', method: 'POST', path: '/v1/embed/keys', tag, ...admin,
  summary: 'Create (or rotate) the embed secret host backends sign embed URLs with; the secret is returned once.',
  description: 'Creates a new embed key and returns its secret once. The keys the organization had keep working for `retirePreviousAfterSeconds` (1 hour by default), so host backends can switch to the new secret without a gap; then they are refused.',
  body: CreateEmbedKey, response: CreatedEmbedKey,
});
export const revokeEmbedKey = defineOperation({
  id: 'revokeEmbedKey', method: 'DELETE', path: '/v1/embed/keys/{keyId}', tag, ...admin,
  summary: 'Revoke an embed key at once.', params: EmbedKeyParams, status: 200, response: EmbedKey,
  description: 'Refuses every embed URL the key signed from now on, including ones already handed out. Use it when a secret leaks; rotate with `createEmbedKey` otherwise.',
});
