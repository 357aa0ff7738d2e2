/**
 * The embed pages: `GET /embed/<component>?token=…` (verify, mint the first session, render) and
 * `POST /embed/session` (a fresh single-use client secret for an open page). Loaded on first use
 * by `./mount.ts`.
 * @module
 */
import type { Kysely } from 'kysely';
import { insertEmbedSession } from '../auth/embed-session.js';
import { randomToken, sha256Hex } from '../auth/crypto.js';
import { json, strings } from '../storage/json.js';
import type { Database } from '../storage/schema.js';
import type { Component, Scope } from '@menteo/api/scopes';
import { EmbedError } from './errors.js';
import { renderEmbedError, renderEmbedPage } from './page.js';
import { embedDb } from './tables.js';
import { verifyEmbedToken } from './verify.js';

/** How long an open embed page may keep fetching client secrets: a working day, as LTI launch pages. */
export const EMBED_PAGE_TTL_SECONDS = 8 * 60 * 60;
/** Prefix of page tokens, so a leaked one says what it is. */
const PAGE_TOKEN_PREFIX = 'mep_';

/** What the embed routes need from the app. */
export interface EmbedRouteDeps {
  readonly db: Kysely<Database>;
  /** The server's public URL, without a trailing slash. */
  readonly publicUrl: string;
  readonly widgetsScriptUrl: string;
  /** The clock (tests); `new Date()` by default. */
  readonly now?: () => Date;
}

async function allowedOrigins(db: Kysely<Database>, orgId: string): Promise<string[]> {
  return (await db.selectFrom('allowed_origins').select('origin').where('org_id', '=', orgId).orderBy('position').execute()).map((r) => r.origin);
}

/** Handles `GET /embed/<component>`. Every refusal is an error page with a stable code, never a 500. */
export async function handleEmbedPage(deps: EmbedRouteDeps, component: string, url: URL): Promise<Response> {
  const now = deps.now?.() ?? new Date();
  try {
    const tokens = url.searchParams.getAll('token');
    if (tokens.length > 1) throw new EmbedError('embed_token_malformed', 'The URL has several token parameters.');
    const grant = await verifyEmbedToken(deps.db, component, tokens[0], now);
    const nowIso = now.toISOString();
    const first = await insertEmbedSession(deps.db, {
      orgId: grant.orgId, personId: grant.personId, scopes: grant.scopes, roomIds: grant.roomIds, components: [grant.component],
    }, nowIso);
    const pageToken = PAGE_TOKEN_PREFIX + randomToken(32);
    await embedDb(deps.db).insertInto('embed_page_sessions').values({
      token_hash: await sha256Hex(pageToken),
      org_id: grant.orgId,
      person_id: grant.personId,
      scopes: json(grant.scopes),
      room_ids: grant.roomIds ? json(grant.roomIds) : null,
      components: json([grant.component]),
      expires_at: new Date(now.getTime() + EMBED_PAGE_TTL_SECONDS * 1000).toISOString(),
      created_at: nowIso,
    }).execute();
    await embedDb(deps.db).deleteFrom('embed_page_sessions').where('expires_at', '<', nowIso).execute();
    return renderEmbedPage({
      component: grant.component,
      roomId: grant.roomIds?.[0],
      publicUrl: deps.publicUrl,
      widgetsScriptUrl: deps.widgetsScriptUrl,
      firstSecret: first.clientSecret,
      pageToken,
      frameAncestors: await allowedOrigins(deps.db, grant.orgId),
    });
  } catch (error) {
    if (error instanceof EmbedError) return renderEmbedError(error);
    throw error;
  }
}

function ended(detail: string): Response {
  return new Response(JSON.stringify({ code: 'embed_session_ended', detail }), {
    status: 401,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  });
}

/**
 * Handles `POST /embed/session`: the page token in `Authorization: Bearer` gives a fresh
 * single-use client secret for the page's person and grant. A deactivated person's page gets
 * none, so deactivation ends open pages at their next refresh.
 */
export async function handleEmbedSession(deps: EmbedRouteDeps, request: Request): Promise<Response> {
  const auth = request.headers.get('authorization') ?? '';
  const token = auth.startsWith('Bearer ') ? auth.slice(7).trim() : '';
  if (!token.startsWith(PAGE_TOKEN_PREFIX)) return ended('No embed page token in the Authorization header.');
  const now = (deps.now?.() ?? new Date()).toISOString();
  const row = await embedDb(deps.db).selectFrom('embed_page_sessions').selectAll().where('token_hash', '=', await sha256Hex(token)).executeTakeFirst();
  if (!row || row.expires_at <= now) return ended('The embed page\'s session is unknown or over; reload the host page.');
  const person = await deps.db.selectFrom('people').select('active').where('id', '=', row.person_id).where('org_id', '=', row.org_id).executeTakeFirst();
  if (!person || person.active !== 1) return ended('The person is no longer active.');
  const minted = await insertEmbedSession(deps.db, {
    orgId: row.org_id,
    personId: row.person_id,
    scopes: strings(row.scopes) as Scope[],
    roomIds: row.room_ids === null ? undefined : strings(row.room_ids),
    components: strings(row.components) as Component[],
  }, now);
  return new Response(JSON.stringify({ clientSecret: minted.clientSecret, expiresAt: minted.expiresAt }), {
    status: 200,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  });
}
