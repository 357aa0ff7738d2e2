/**
 * Verifying an embed token, in the order that keeps each answer honest: the widget named in the
 * path, the token's shape and pinned algorithm, the organization's key (`iss` + `kid`), the
 * signature and the time claims (jose, with a small clock skew), the lifetime bound, then the
 * single use of `jti` (spent only once the signature holds, so a forged token cannot burn
 * someone's id), then the person and rooms it names.
 * @module
 */
import { decodeJwt, decodeProtectedHeader, errors as joseErrors, importJWK, jwtVerify, type JWTPayload } from 'jose';
import type { Kysely } from 'kysely';
import { EMBED_ALGORITHM, EMBED_AUDIENCE, EMBED_MAX_TTL_SECONDS } from '@menteo/api/embed';
import { COMPONENTS, DEFAULT_EMBED_SCOPES, type Component, type Scope } from '@menteo/api/scopes';
import type { Database } from '../storage/schema.js';
import { EmbedError } from './errors.js';
import { embedDb } from './tables.js';

/** Clock difference tolerated between the host that signs and Menteo, seconds. */
export const CLOCK_SKEW_SECONDS = 30;
/** The longest token accepted, characters (a real one is well under 1,000). */
const MAX_TOKEN_LENGTH = 4096;
/** Rooms one embed may name. */
const MAX_ROOMS = 20;
/** Components that show one room and so need one. */
const ROOM_COMPONENTS: readonly Component[] = ['room', 'roadmap', 'check-in', 'feedback'];

/** What a verified embed token grants: one person, one widget, optional rooms. */
export interface EmbedGrant {
  readonly orgId: string;
  readonly personId: string;
  readonly component: Component;
  /** The rooms the session is limited to (`undefined`: no limit, the feed only); the first is shown. */
  readonly roomIds: readonly string[] | undefined;
  readonly scopes: readonly Scope[];
}

/** True when `value` is one of the embeddable components. */
export function isComponent(value: string): value is Component {
  return (COMPONENTS as readonly string[]).includes(value);
}

function stringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

/** The token's header and claims, read without trusting them, to find the key. */
function inspect(token: string): { kid: string; iss: string } {
  let header: ReturnType<typeof decodeProtectedHeader>;
  let claims: JWTPayload;
  try {
    header = decodeProtectedHeader(token);
    claims = decodeJwt(token);
  } catch {
    throw new EmbedError('embed_token_malformed', 'The token is not a JWS compact serialization with a JSON header and claims.');
  }
  // Pinned before any key is touched: `none` and HMAC (whose "key" would be our public key) are refused here.
  if (header.alg !== EMBED_ALGORITHM) throw new EmbedError('embed_algorithm_refused', `The token's alg is ${JSON.stringify(header.alg)}; embed tokens are signed with ${EMBED_ALGORITHM}.`);
  if (typeof header.kid !== 'string' || header.kid === '') throw new EmbedError('embed_key_unknown', 'The token header has no kid (the embed key id).');
  if (typeof claims.iss !== 'string' || claims.iss === '') throw new EmbedError('embed_token_invalid', 'The token has no iss (the organization id).');
  return { kid: header.kid, iss: claims.iss };
}

/** Maps jose's refusals to stable codes. */
function refusal(error: unknown): EmbedError {
  if (error instanceof joseErrors.JWTExpired) return new EmbedError('embed_token_expired', 'The token is past its exp.');
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return new EmbedError('embed_signature_invalid', 'The signature does not match the embed key named by kid.');
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return new EmbedError('embed_algorithm_refused', `Embed tokens are signed with ${EMBED_ALGORITHM}.`);
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return new EmbedError('embed_audience_invalid', `The token's aud must be "${EMBED_AUDIENCE}".`);
    if (error.claim === 'nbf' || (error.claim === 'iat' && error.reason === 'check_failed')) return new EmbedError('embed_token_not_yet_valid', `The token's ${error.claim} is in the future.`);
    return new EmbedError('embed_token_invalid', `The token's ${error.claim} claim is missing or wrong: ${error.message}`);
  }
  if (error instanceof joseErrors.JOSEError) return new EmbedError('embed_token_malformed', error.message);
  throw error;
}

/**
 * Verifies `token` for `/embed/<component>` and spends its `jti`. Throws {@link EmbedError} for
 * every refusal; anything else is a server fault.
 */
export async function verifyEmbedToken(db: Kysely<Database>, component: string, token: string | undefined, now: Date): Promise<EmbedGrant> {
  if (!isComponent(component)) throw new EmbedError('embed_component_unknown', `No embeddable component "${component}"; use one of ${COMPONENTS.join(', ')}.`);
  if (!token) throw new EmbedError('embed_token_missing', 'The URL has no token parameter.');
  if (token.length > MAX_TOKEN_LENGTH) throw new EmbedError('embed_token_malformed', `The token is longer than ${MAX_TOKEN_LENGTH} characters.`);
  const { kid, iss } = inspect(token);

  const edb = embedDb(db);
  const key = await edb.selectFrom('embed_keys').selectAll().where('id', '=', kid).where('org_id', '=', iss).executeTakeFirst();
  if (!key) throw new EmbedError('embed_key_unknown', 'No embed key of the organization (iss) has this kid.');
  const nowIso = now.toISOString();
  if (key.revoked_at !== null) throw new EmbedError('embed_key_revoked', `The embed key ${kid} was revoked at ${key.revoked_at}.`);
  if (key.expires_at !== null && key.expires_at <= nowIso) throw new EmbedError('embed_key_retired', `The embed key ${kid} was replaced; its grace period ended at ${key.expires_at}.`);

  let payload: JWTPayload;
  try {
    const publicKey = await importJWK(JSON.parse(key.public_jwk) as JsonWebKey, EMBED_ALGORITHM);
    ({ payload } = await jwtVerify(token, publicKey, {
      algorithms: [EMBED_ALGORITHM],
      audience: EMBED_AUDIENCE,
      issuer: iss,
      clockTolerance: CLOCK_SKEW_SECONDS,
      currentDate: now,
      requiredClaims: ['exp', 'iat', 'jti', 'sub'],
    }));
  } catch (error) {
    throw refusal(error);
  }
  const { exp, iat, jti, sub } = payload as Required<Pick<JWTPayload, 'exp' | 'iat' | 'jti' | 'sub'>>;
  if (exp - iat > EMBED_MAX_TTL_SECONDS) throw new EmbedError('embed_token_too_long', `exp − iat is ${exp - iat} s; at most ${EMBED_MAX_TTL_SECONDS} s.`);
  if (iat > now.getTime() / 1000 + CLOCK_SKEW_SECONDS) throw new EmbedError('embed_token_not_yet_valid', 'The token\'s iat is in the future.');
  if (typeof jti !== 'string' || jti.length < 16 || jti.length > 200) throw new EmbedError('embed_token_invalid', 'The token\'s jti must be a unique string of 16 to 200 characters (a UUID).');

  // Single use: the primary key (org, jti) makes a second insert fail, also between concurrent requests.
  const spent = await edb.insertInto('embed_jtis')
    .values({ org_id: iss, jti, expires_at: new Date((exp + CLOCK_SKEW_SECONDS) * 1000).toISOString(), used_at: nowIso })
    .onConflict((oc) => oc.columns(['org_id', 'jti']).doNothing())
    .executeTakeFirst();
  if (Number(spent.numInsertedOrUpdatedRows ?? 0n) !== 1) throw new EmbedError('embed_token_replayed', `The token ${jti} was already used; sign a new URL for every page view.`);
  // Spent ids are only needed until their token would have expired anyway.
  await edb.deleteFrom('embed_jtis').where('expires_at', '<', nowIso).execute();

  const claimed = payload['component'];
  if (claimed !== component) throw new EmbedError('embed_component_mismatch', `The token was signed for ${JSON.stringify(claimed)}, not ${component}.`);
  const rawRooms: unknown = payload['roomIds'];
  if (rawRooms !== undefined && (!stringArray(rawRooms) || rawRooms.length === 0 || rawRooms.length > MAX_ROOMS)) {
    throw new EmbedError('embed_claims_invalid', `roomIds must be an array of 1 to ${MAX_ROOMS} room ids.`);
  }
  const rawScopes: unknown = payload['scopes'];
  if (rawScopes !== undefined && (!stringArray(rawScopes) || rawScopes.some((s) => !(DEFAULT_EMBED_SCOPES as readonly string[]).includes(s)))) {
    throw new EmbedError('embed_claims_invalid', `scopes must be an array of ${DEFAULT_EMBED_SCOPES.join(', ')} (an embed never carries admin scopes).`);
  }
  const roomIds = rawRooms === undefined ? undefined : [...new Set(rawRooms)];
  if (roomIds === undefined && ROOM_COMPONENTS.includes(component)) throw new EmbedError('embed_room_required', `The ${component} widget shows one room: name it first in roomIds.`);

  const person = await db.selectFrom('people').select(['id', 'active']).where('org_id', '=', iss)
    .where((eb) => eb.or([eb('id', '=', sub), eb('external_id', '=', sub)])).orderBy('id').executeTakeFirst();
  if (!person) throw new EmbedError('embed_person_unknown', 'No person of the organization has this sub as id or external id.');
  if (person.active !== 1) throw new EmbedError('embed_person_deactivated', 'The person named by sub is deactivated.');
  if (roomIds !== undefined) {
    const memberOf = await db.selectFrom('room_members').select('room_id').where('org_id', '=', iss).where('person_id', '=', person.id)
      .where('room_id', 'in', roomIds).execute();
    const allowed = new Set(memberOf.map((r) => r.room_id));
    const refused = roomIds.find((id) => !allowed.has(id));
    // One answer whether the room exists elsewhere or not: an embed never says which rooms exist.
    if (refused !== undefined) throw new EmbedError('embed_room_not_allowed', `The person is not a member of room ${refused}.`);
  }
  return { orgId: iss, personId: person.id, component, roomIds, scopes: (rawScopes as Scope[] | undefined) ?? DEFAULT_EMBED_SCOPES };
}
