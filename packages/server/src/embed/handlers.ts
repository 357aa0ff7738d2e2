/**
 * The admin API of embed keys (`/v1/embed/keys`): org:admin API keys create (rotate), list and
 * revoke the organization's embed secrets.
 * @module
 */
import { createEmbedKey, listEmbedKeys, revokeEmbedKey } from '@menteo/api/embed';
import type { PublicContext } from '../context.js';
import { handle } from '../handler.js';
import { notFound } from '../http/errors.js';
import { SCIM_PATH } from '../integrations/types.js';
import { recordAdminChange } from '../admin/audit-changes.js';
import * as keys from './keys.js';

/** `<publicUrl>/embed`, or null when the server serves no pages (no public URL). */
async function embedBaseUrl(ctx: PublicContext): Promise<string | null> {
  try {
    // The integrations know the public URL; SCIM is mounted under it exactly when pages are served.
    const base = (await ctx.integrations()).scimBaseUrl;
    return base === null ? null : `${base.slice(0, -SCIM_PATH.length)}/embed`;
  } catch {
    // The in-page app (msw) cannot load the integrations: it serves no embed pages either.
    return null;
  }
}

/** Embed key handlers. */
export const embedHandlers = [
  handle(listEmbedKeys, async ({ ctx }) => ({ items: await keys.listEmbedKeys(ctx.db, ctx.principal.orgId), nextCursor: null })),

  handle(createEmbedKey, async ({ body, ctx }) => {
    const created = await keys.createEmbedKey(ctx.db, ctx.principal.orgId, { label: body.label, retireAfterSeconds: body.retirePreviousAfterSeconds }, ctx.now);
    // keys.ts commits in its own transaction: the entry follows it (the label only, never the secret).
    await recordAdminChange(ctx, ctx.db, { action: 'embed_key.created', target: created.key.id, operation: createEmbedKey, after: created.key.label === null ? {} : { label: created.key.label } });
    return { ...created, embedBaseUrl: await embedBaseUrl(ctx) };
  }),

  handle(revokeEmbedKey, async ({ params, ctx }) => {
    const revoked = await keys.revokeEmbedKey(ctx.db, ctx.principal.orgId, params.keyId, ctx.now);
    if (!revoked) throw notFound('The embed key', 'keyId');
    if (revoked.changed) await recordAdminChange(ctx, ctx.db, { action: 'embed_key.revoked', target: revoked.key.id, operation: revokeEmbedKey });
    return revoked.key;
  }),
];
