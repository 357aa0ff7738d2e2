/**
 * Authentication: turns `Authorization: Bearer …` into a {@link Principal}. API keys (`mk_…`)
 * act as the organization; access tokens (`mat_…`) act as one person with the scopes and room
 * limits of their embed session.
 * @module
 */
import { isScope, type Component, type Scope } from '@menteo/api/scopes';
import type { Kysely } from 'kysely';
import type { Principal } from '../context.js';
import { attributeAnswer } from '../http/cors.js';
import { ApiError } from '../http/errors.js';
import { isId } from '../storage/ids.js';
import { strings } from '../storage/json.js';
import type { ApiKeysTable, Database } from '../storage/schema.js';
import { compiledOnce } from '../storage/statement-cache.js';
import { sha256Hex, SECRET_PREFIX } from './crypto.js';
import { cachedPrincipal, forgetPrincipal } from './principal-cache.js';

/** The header an API key call uses to name the person it writes as. */
export const ACT_AS_HEADER = 'Menteo-Act-As';

/** Only refresh `lastUsedAt` this often, so reads do not turn into writes on every request. */
const LAST_USED_GRANULARITY_MS = 60_000;

function unauthenticated(detail: string): ApiError {
  return new ApiError('unauthenticated', detail, { field: 'Authorization', headers: { 'WWW-Authenticate': 'Bearer' } });
}

/** Extracts the bearer secret, or undefined when there is no Authorization header. */
export function bearerOf(request: Request): string | undefined {
  const header = request.headers.get('authorization');
  if (header === null) return undefined;
  const match = /^Bearer +([\x21-\x7e]{1,512})$/i.exec(header.trim());
  if (!match?.[1]) throw unauthenticated('The Authorization header must be "Bearer <secret>".');
  return match[1];
}

function scopesOf(json: string): Set<Scope> {
  return new Set(strings(json).filter(isScope));
}

/** The API key of a secret's hash (compiled once: this runs on every integration request). */
const keyByHash = compiledOnce((db, p: { hash: string }) => db.selectFrom('api_keys').selectAll().where('secret_hash', '=', p.hash));

/** One indexed lookup for the token and its person, compiled once: this runs on every widget request. */
const tokenByHash = compiledOnce((db, p: { hash: string }) => db
  .selectFrom('access_tokens')
  .innerJoin('people', 'people.id', 'access_tokens.person_id')
  .selectAll('people')
  .select([
    'access_tokens.id as token_id',
    'access_tokens.org_id as token_org_id',
    'access_tokens.expires_at as token_expires_at',
    'access_tokens.scopes as token_scopes',
    'access_tokens.room_ids as token_room_ids',
    'access_tokens.components as token_components',
  ])
  .where('access_tokens.token_hash', '=', p.hash));

/** What a token's secret resolved to; only `ok` is cached. */
type TokenLookup =
  | { readonly kind: 'unknown' }
  | { readonly kind: 'refused'; readonly orgId: string; readonly detail: string }
  | { readonly kind: 'ok'; readonly principal: Principal; readonly expiresAt: string };

async function lookUpToken(db: Kysely<Database>, hash: string, now: string): Promise<TokenLookup> {
  const [row] = await tokenByHash(db, { hash });
  if (!row) return { kind: 'unknown' };
  if (row.token_expires_at <= now) return { kind: 'refused', orgId: row.token_org_id, detail: 'The access token has expired.' };
  const { token_id, token_org_id, token_expires_at, token_scopes, token_room_ids, token_components, ...person } = row;
  // Deactivation takes effect at once: the person is checked on every lookup, and a deactivation
  // empties the cache of lookups (auth/principal-cache.ts).
  if (person.active !== 1 || person.org_id !== token_org_id) return { kind: 'refused', orgId: token_org_id, detail: 'The person behind this token is no longer active.' };
  const principal: Principal = {
    kind: 'token',
    credentialId: token_id,
    orgId: token_org_id,
    scopes: scopesOf(token_scopes),
    person,
    roomIds: token_room_ids === null ? null : strings(token_room_ids),
    components: strings(token_components) as Component[],
  };
  return { kind: 'ok', principal, expiresAt: token_expires_at };
}

/** An API key's row and parsed scopes; only live keys are cached. */
type KeyLookup = { readonly row: ApiKeysTable; readonly scopes: ReadonlySet<Scope> } | undefined;

/**
 * Resolves the caller of a request; throws 401 for missing, unknown, revoked or expired
 * credentials. What a secret resolved to is reused for a few seconds (auth/principal-cache.ts),
 * never past a revocation, a deactivation or a change of roles.
 */
export async function authenticate(db: Kysely<Database>, request: Request, now: string): Promise<Principal> {
  const secret = bearerOf(request);
  if (secret === undefined) throw unauthenticated('This endpoint needs "Authorization: Bearer <secret>".');
  const hash = await sha256Hex(secret);
  const at = Date.parse(now);
  if (secret.startsWith(SECRET_PREFIX.apiKey)) {
    const key = await cachedPrincipal<KeyLookup>(db, hash, at, async () => {
      const [row] = await keyByHash(db, { hash });
      return row && { row, scopes: scopesOf(row.scopes) };
    }, (found) => found !== undefined && found.row.revoked_at === null);
    if (!key) throw unauthenticated('The API key is not valid.');
    const { row } = key;
    // An API key's answers, refusals included, are never shared with browsers.
    attributeAnswer(request, null);
    if (row.revoked_at !== null) throw unauthenticated('The API key has been revoked.');
    if (row.last_used_at === null || at - Date.parse(row.last_used_at) > LAST_USED_GRANULARITY_MS) {
      await db.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', row.id).execute();
      // The cached row too, so the next minute's calls do not write again.
      row.last_used_at = now;
    }
    const person = await actAsPerson(db, request, row.org_id);
    return { kind: 'key', credentialId: row.id, orgId: row.org_id, scopes: key.scopes, person, roomIds: null, components: [] };
  }
  if (secret.startsWith(SECRET_PREFIX.accessToken)) {
    const found = await cachedPrincipal(db, hash, at, () => lookUpToken(db, hash, now), (r) => r.kind === 'ok');
    if (found.kind === 'unknown') throw unauthenticated('The access token is not valid.');
    // A refusal of a known token is about its organization: its widgets must read the 401 to refresh.
    attributeAnswer(request, found.kind === 'ok' ? found.principal.orgId : found.orgId);
    if (found.kind === 'refused') throw unauthenticated(found.detail);
    if (found.expiresAt <= now) {
      forgetPrincipal(db, hash);
      throw unauthenticated('The access token has expired.');
    }
    return found.principal;
  }
  throw unauthenticated('The credential is not valid.');
}

async function actAsPerson(db: Kysely<Database>, request: Request, orgId: string): Promise<Principal['person']> {
  const value = request.headers.get(ACT_AS_HEADER);
  if (value === null) return null;
  const invalid = (detail: string) => new ApiError('invalid_request', detail, { field: ACT_AS_HEADER, errors: [{ field: ACT_AS_HEADER, message: detail }] });
  if (!isId(value.trim(), 'per')) throw invalid('Menteo-Act-As must be a person id (per_…).');
  const person = await db.selectFrom('people').selectAll().where('id', '=', value.trim()).where('org_id', '=', orgId).executeTakeFirst();
  if (!person) throw invalid('Menteo-Act-As names no person of this organization.');
  if (person.active !== 1) throw invalid('Menteo-Act-As names a deactivated person.');
  return person;
}

/** The person a write is authored by: the token's person, or the API key's `Menteo-Act-As`. */
export function authorOf(principal: Principal): NonNullable<Principal['person']> {
  if (principal.person) return principal.person;
  throw new ApiError('invalid_request', 'With an API key, writes that have an author need the Menteo-Act-As header.', {
    field: ACT_AS_HEADER,
    errors: [{ field: ACT_AS_HEADER, message: 'required with an API key for this write' }],
  });
}

/**
 * True when the caller sees the whole organization's rooms, people and program metrics: an API
 * key, or a person with the admin role. What people wrote in a room is another matter: see
 * {@link readsEveryRoomContent} and `readableContent` (auth/access.ts).
 */
export function isOrgWide(principal: Principal): boolean {
  return principal.kind === 'key' || strings(principal.person?.roles ?? '[]').includes('admin');
}

/**
 * True when the caller reads what people wrote in every room without being in it: API keys only
 * (integrations acting for the organization). Admins read metrics and reasons everywhere, but the
 * content of a room they are not in only through `readableContent`, while the organization allows
 * it, audited; room-audience posts and live room events follow the members' rule for them.
 */
export function readsEveryRoomContent(principal: Principal): boolean {
  return principal.kind === 'key';
}
