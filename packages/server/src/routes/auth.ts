/**
 * Embed sessions, the token exchange and `GET /v1/me`.
 * @module
 */
import { createEmbedSession, exchangeToken, getMe } from '@menteo/api/auth';
import { COMPONENTS, DEFAULT_EMBED_SCOPES } from '@menteo/api/scopes';
import { randomToken, SECRET_PREFIX, sha256Hex } from '../auth/crypto.js';
import { firstUnknownRoom, insertEmbedSession } from '../auth/embed-session.js';
import { ApiError, forbidden, invalid, notFound } from '../http/errors.js';
import { attributeAnswer, orgAllowsOrigin } from '../http/cors.js';
import { handle, handlePublic } from '../handler.js';
import { newId } from '../storage/ids.js';
import { organizationView, personView } from '../views/people.js';

function unauthenticated(detail: string): ApiError {
  return new ApiError('unauthenticated', detail, { field: 'clientSecret' });
}

/** Auth handlers. */
export const authHandlers = [
  handle(createEmbedSession, async ({ body, ctx }) => {
    const { orgId, scopes: keyScopes } = ctx.principal;
    if ((body.personId === undefined) === (body.externalId === undefined)) {
      throw invalid('personId', 'Give exactly one of personId and externalId.');
    }
    const field = body.personId !== undefined ? 'personId' : 'externalId';
    let q = ctx.db.selectFrom('people').selectAll().where('org_id', '=', orgId);
    q = body.personId !== undefined ? q.where('id', '=', body.personId) : q.where('external_id', '=', body.externalId ?? '');
    const person = await q.executeTakeFirst();
    if (!person) throw notFound('The person', field);
    if (person.active !== 1) throw invalid(field, 'The person is deactivated.');
    const scopes = body.scopes ?? DEFAULT_EMBED_SCOPES;
    const excess = scopes.filter((s) => !keyScopes.has(s));
    if (excess.length > 0) throw forbidden(`The API key cannot grant scopes it lacks: ${excess.join(', ')}.`);
    if (body.roomIds) {
      const index = await firstUnknownRoom(ctx.db, orgId, body.roomIds);
      if (index >= 0) throw notFound('The room', `roomIds.${index}`);
    }
    const { clientSecret, expiresAt } = await insertEmbedSession(ctx.db, {
      orgId, personId: person.id, scopes, roomIds: body.roomIds, components: body.components, ttlSeconds: body.ttlSeconds,
      // Recorded so that revoking the key revokes this secret and the token it becomes.
      apiKeyId: ctx.principal.kind === 'key' ? ctx.principal.credentialId : undefined,
    }, ctx.now);
    return { clientSecret, expiresAt, personId: person.id };
  }),

  handlePublic(exchangeToken, async ({ body, ctx }) => {
    const hash = await sha256Hex(body.clientSecret);
    const session = await ctx.db.selectFrom('embed_sessions').selectAll().where('secret_hash', '=', hash).executeTakeFirst();
    if (!session) throw unauthenticated('The client secret is not valid.');
    // The answer, refusals included, is about the session's organization: only its origins read it.
    attributeAnswer(ctx.request, session.org_id);
    if (session.used_at !== null) throw unauthenticated('The client secret was already used; ask the host for a new one.');
    if (session.expires_at <= ctx.now) throw unauthenticated('The client secret has expired; ask the host for a new one.');
    const origin = ctx.request.headers.get('origin');
    if (origin !== null && !(await orgAllowsOrigin(ctx.db, session.org_id, origin))) {
      throw new ApiError('forbidden', 'This origin is not allowed to embed Menteo for this organization.', { field: 'Origin' });
    }
    const person = await ctx.db.selectFrom('people').select(['active']).where('id', '=', session.person_id).executeTakeFirst();
    if (!person || person.active !== 1) throw unauthenticated('The person is no longer active.');
    const token = SECRET_PREFIX.accessToken + randomToken(32);
    const ttl = ctx.options.accessTokenTtlSeconds;
    const expiresAt = new Date(Date.parse(ctx.now) + ttl * 1000).toISOString();
    const tokenHash = await sha256Hex(token);
    const used = await ctx.tx(async (trx) => {
      // The conditional update is the single-use guarantee: of two concurrent exchanges only one changes the row.
      const result = await trx.updateTable('embed_sessions').set({ used_at: ctx.now })
        .where('secret_hash', '=', hash).where('used_at', 'is', null).executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) return false;
      await trx.insertInto('access_tokens').values({
        token_hash: tokenHash,
        id: newId('tok'),
        org_id: session.org_id,
        person_id: session.person_id,
        scopes: session.scopes,
        room_ids: session.room_ids,
        components: session.components,
        expires_at: expiresAt,
        created_at: ctx.now,
        api_key_id: session.api_key_id,
      }).execute();
      return true;
    });
    if (!used) throw unauthenticated('The client secret was already used; ask the host for a new one.');
    return { accessToken: token, tokenType: 'Bearer' as const, expiresAt, expiresIn: ttl };
  }),

  handle(getMe, async ({ ctx }) => {
    const p = ctx.principal;
    const org = await ctx.db.selectFrom('organizations').selectAll().where('id', '=', p.orgId).executeTakeFirstOrThrow();
    const components = p.kind === 'key' ? [...COMPONENTS] : [...p.components];
    return {
      organization: await organizationView(ctx.db, org),
      person: p.person ? personView(p.person) : null,
      scopes: [...p.scopes],
      roomIds: p.roomIds === null ? null : [...p.roomIds],
      components,
    };
  }),
];

