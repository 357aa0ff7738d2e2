/**
 * The admin API of the integrations: SCIM tokens, LTI platform registrations, install links,
 * the tool's manual configuration, courses and roster syncs. Every operation takes `org:admin`
 * (declared in the contract): a secret API key with it, or an organization admin's token carrying
 * it (`requireOrgAdmin`); it works on the caller's organization only.
 * @module
 */
import {
  createLtiInstallUrl, createScimToken, getLtiToolConfig, listLtiCourses, listLtiPlatforms, listScimTokens, registerLtiPlatform,
  revokeScimToken, syncLtiRoster,
  type LtiPlatform, type ScimToken,
} from '@menteo/api/integrations';
import type { LtiTool, Registration, ScimTokenInfo } from '@menteo/lti';
import { recordAdminChange } from '../admin/audit-changes.js';
import { requireOrgAdmin } from '../auth/org-admin.js';
import type { Context } from '../context.js';
import { ApiError, notFound } from '../http/errors.js';
import { handle } from '../handler.js';
import type { Integrations } from '../integrations/types.js';

/** Default lifetime of an install link: a week, enough to pass it to the LMS admin. */
const INSTALL_TTL_SECONDS = 7 * 24 * 60 * 60;

function tokenView(info: ScimTokenInfo): ScimToken {
  return { id: info.id, label: info.label, createdAt: info.createdAt, revokedAt: info.revokedAt };
}

async function platformView(integrations: Integrations, registration: Registration): Promise<LtiPlatform> {
  return {
    id: registration.id,
    issuer: registration.issuer,
    clientId: registration.clientId,
    deploymentIds: await integrations.deployments(registration.id),
    authLoginUrl: registration.authLoginUrl,
    authTokenUrl: registration.authTokenUrl,
    authTokenAudience: registration.authTokenAudience,
    jwksUrl: registration.jwksUrl,
    platformName: registration.platformName,
    personMatch: registration.personMatch,
  };
}

/**
 * The LTI tool, or 409 `conflict` when this server has no public URL (LMSs could not reach it
 * anyway). A setting of the server, not an outage: a 5xx would invite retries that never help.
 */
function toolOf(integrations: Integrations): LtiTool {
  if (integrations.tool) return integrations.tool;
  throw new ApiError('conflict', 'LTI is not enabled on this server: its operator turns the integrations on with a public URL (MENTEO_PUBLIC_URL, not MENTEO_INTEGRATIONS=off; or the integrations option of createApp).');
}

/** A registration of the caller's organization, or 404 (a foreign one is never revealed). */
async function ownRegistration(ctx: Context, integrations: Integrations, id: string, field: string): Promise<Registration> {
  const registration = await integrations.store.getRegistration(id);
  if (!registration || registration.orgId !== ctx.principal.orgId) throw notFound('The platform', field);
  return registration;
}

/**
 * An `LtiError` from a service call as an API error. Matched by name, not `instanceof`: the LTI
 * code is loaded lazily, and an unreachable or refusing platform is an upstream outage (503),
 * anything else a state the admin can fix (409). Other errors stay internal.
 */
function ltiFailure(error: unknown): unknown {
  if (!(error instanceof Error) || error.name !== 'LtiError') return error;
  const { status, userMessage } = error as Error & { status?: number; userMessage?: string };
  const detail = `The learning platform did not return the roster: ${userMessage ?? error.message}`;
  return new ApiError(status === 502 ? 'unavailable' : 'conflict', detail, { field: 'contextId' });
}

/**
 * The integrations, or 503 `unavailable` when their code cannot load here: the app also runs in
 * browsers (the in-page mock), which cannot import the LTI and SCIM packages. A state of this
 * runtime, said plainly, rather than a 500.
 */
async function integrationsOf(ctx: Context): Promise<Integrations> {
  try {
    return await ctx.integrations();
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError('unavailable', 'The LTI and SCIM integrations are not available on this server: their code did not load (they run on Node, not in the in-browser app).');
  }
}

/** Integration admin handlers. */
export const integrationHandlers = [
  handle(listScimTokens, async ({ ctx }) => {
    requireOrgAdmin(ctx, 'Managing integrations');
    const integrations = await integrationsOf(ctx);
    const tokens = await integrations.scimTokens.list(ctx.principal.orgId);
    // An organization has a handful of tokens: one page holds them all.
    return { items: tokens.map(tokenView), nextCursor: null };
  }),

  handle(createScimToken, async ({ body, ctx }) => {
    requireOrgAdmin(ctx, 'Managing integrations');
    const integrations = await integrationsOf(ctx);
    const created = await integrations.scimTokens.create(ctx.principal.orgId, body.label ?? null);
    // The integrations' store is not this request's transaction: the entry follows the commit (never the token).
    await recordAdminChange(ctx, ctx.db, { action: 'scim_token.created', target: created.id, operation: createScimToken, after: created.label === null ? {} : { label: created.label } });
    return { token: tokenView(created), secret: created.token, scimBaseUrl: integrations.scimBaseUrl };
  }),

  handle(revokeScimToken, async ({ params, ctx }) => {
    requireOrgAdmin(ctx, 'Managing integrations');
    const integrations = await integrationsOf(ctx);
    const orgId = ctx.principal.orgId;
    const existing = await integrations.scimTokens.get(orgId, params.tokenId);
    if (!existing) throw notFound('The SCIM token');
    // Revoking twice answers the same record: DELETE is idempotent.
    if (existing.revokedAt === null) {
      await integrations.scimTokens.revoke(orgId, existing.id);
      await recordAdminChange(ctx, ctx.db, { action: 'scim_token.revoked', target: existing.id, operation: revokeScimToken });
    }
    const after = await integrations.scimTokens.get(orgId, existing.id);
    return tokenView(after ?? existing);
  }),

  handle(getLtiToolConfig, async ({ ctx }) => {
    requireOrgAdmin(ctx, 'Managing integrations');
    const integrations = await integrationsOf(ctx);
    const tool = toolOf(integrations);
    const config = tool.manualConfig();
    return {
      loginUrl: config.loginUrl,
      launchUrl: config.launchUrl,
      redirectUris: config.redirectUris,
      jwksUrl: config.jwksUrl,
      deepLinkingUrl: config.deepLinkingUrl,
      canvasConfigUrl: config.loginUrl.replace(/\/login$/, '/canvas.json'),
      scimBaseUrl: integrations.scimBaseUrl ?? '',
    };
  }),

  handle(listLtiPlatforms, async ({ ctx }) => {
    requireOrgAdmin(ctx, 'Managing integrations');
    const integrations = await integrationsOf(ctx);
    const registrations = await integrations.store.listRegistrations(ctx.principal.orgId);
    const items = await Promise.all(registrations.map((r) => platformView(integrations, r)));
    return { items, nextCursor: null };
  }),

  handle(registerLtiPlatform, async ({ body, ctx }) => {
    requireOrgAdmin(ctx, 'Managing integrations');
    const integrations = await integrationsOf(ctx);
    const existing = await integrations.store.findRegistration(body.issuer, body.clientId);
    if (existing) {
      // The pair identifies a platform across organizations: say so only to its own organization.
      const detail = existing.orgId === ctx.principal.orgId
        ? 'This platform (issuer and client id) is already registered; its id is ' + existing.id + '.'
        : 'This issuer and client id are registered with another Menteo organization.';
      throw new ApiError('conflict', detail, { field: 'clientId' });
    }
    const registration = await integrations.store.createRegistration({
      orgId: ctx.principal.orgId,
      issuer: body.issuer,
      clientId: body.clientId,
      authLoginUrl: body.authLoginUrl,
      authTokenUrl: body.authTokenUrl,
      authTokenAudience: body.authTokenAudience ?? null,
      jwksUrl: body.jwksUrl,
      platformName: body.platformName ?? null,
      personMatch: body.personMatch ?? 'sub',
    });
    for (const deploymentId of new Set(body.deploymentIds)) await integrations.store.addDeployment(registration.id, deploymentId);
    await recordAdminChange(ctx, ctx.db, {
      action: 'lti_platform.registered', target: registration.id, operation: registerLtiPlatform,
      after: { issuer: registration.issuer, clientId: registration.clientId, deploymentIds: [...new Set(body.deploymentIds)] },
    });
    return platformView(integrations, registration);
  }),

  handle(createLtiInstallUrl, async ({ body, ctx }) => {
    requireOrgAdmin(ctx, 'Managing integrations');
    const tool = toolOf(await integrationsOf(ctx));
    const ttlSeconds = body.ttlSeconds ?? INSTALL_TTL_SECONDS;
    const url = await tool.createInstallUrl(ctx.principal.orgId, { ttlSeconds, ...(body.personMatch ? { personMatch: body.personMatch } : {}) });
    return { url, expiresAt: new Date(Date.parse(ctx.now) + ttlSeconds * 1000).toISOString() };
  }),

  handle(listLtiCourses, async ({ query, ctx }) => {
    requireOrgAdmin(ctx, 'Managing integrations');
    const integrations = await integrationsOf(ctx);
    if (query.platformId !== undefined) await ownRegistration(ctx, integrations, query.platformId, 'platformId');
    const courses = await integrations.courses(ctx.principal.orgId, query.platformId);
    return {
      items: courses.map((c) => ({
        platformId: c.registrationId,
        deploymentId: c.deploymentId,
        contextId: c.contextId,
        title: c.title,
        roomId: c.roomId,
        rosterAvailable: c.membershipsUrl !== null,
        gradesAvailable: c.lineitemsUrl !== null || c.lineitemUrl !== null,
      })),
      nextCursor: null,
    };
  }),

  handle(syncLtiRoster, async ({ body, ctx }) => {
    requireOrgAdmin(ctx, 'Managing integrations');
    const integrations = await integrationsOf(ctx);
    const tool = toolOf(integrations);
    await ownRegistration(ctx, integrations, body.platformId, 'platformId');
    const context = await integrations.store.getContext(body.platformId, body.deploymentId, body.contextId);
    if (!context) throw notFound('The course (no launch from it yet)', 'contextId');
    if (!context.membershipsUrl) throw new ApiError('conflict', 'This course does not share its roster with Menteo (Names and Role Provisioning is off).', { field: 'contextId' });
    if (!context.roomId) throw new ApiError('conflict', 'This course is not linked to a Menteo room yet: launch it with a room link first.', { field: 'contextId' });
    const room = await ctx.db.selectFrom('rooms').select('id').where('id', '=', context.roomId).where('org_id', '=', ctx.principal.orgId).executeTakeFirst();
    if (!room) throw new ApiError('conflict', 'The room this course is linked to no longer exists.', { field: 'contextId' });
    let result;
    try {
      result = await tool.syncRoster(context);
    } catch (error) {
      throw ltiFailure(error);
    }
    return { roomId: room.id, added: result.added, removed: result.removed, byRole: result.byRole };
  }),
];
