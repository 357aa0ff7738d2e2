/**
 * `createEmbedSession`: the one call a host backend makes per page view, to let a person's
 * browser use the widgets. Secret API key only: never run this in a browser.
 * @module
 */
import { createEmbedSession as createEmbedSessionOp, type CreateEmbedSession, type EmbedSession } from '@menteo/api/auth';
import { createTransport, type ApiKeyAuth, type Transport, type TransportBaseOptions } from './transport.js';
import type { CallOptions } from './types.js';

/**
 * Mints a single-use client secret for one person, valid for minutes. Return `clientSecret`
 * to that person's browser (e.g. from an endpoint of your intranet behind its own login); the
 * browser client exchanges it for an access token.
 *
 * @param via an existing transport or client with an API key, or the options to make one.
 * @example
 * ```ts
 * app.get('/menteo-secret', async (req, res) => {
 *   const session = await createEmbedSession(
 *     { baseUrl: MENTEO_URL, apiKey: MENTEO_KEY },
 *     { externalId: req.user.employeeId, components: ['room', 'feed'] },
 *   );
 *   res.json({ clientSecret: session.clientSecret });
 * });
 * ```
 */
export function createEmbedSession(
  via: Transport | (TransportBaseOptions & ApiKeyAuth),
  session: CreateEmbedSession,
  options?: CallOptions,
): Promise<EmbedSession> {
  const transport = 'request' in via ? via : createTransport(via);
  if (transport.options.apiKey === undefined) {
    return Promise.reject(new TypeError('createEmbedSession needs a secret API key (host backends only)'));
  }
  return transport.request(createEmbedSessionOp, { ...options, body: session });
}
