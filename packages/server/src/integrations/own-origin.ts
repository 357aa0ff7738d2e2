/**
 * Requests from Menteo's own pages. With integrations, the server serves pages of its own at
 * `integrations.publicUrl`: the LTI launch page, whose widgets sign in at `POST /v1/tokens` and
 * then call the API from that origin. An organization's origin allow-list says which *other*
 * sites may embed Menteo; it cannot be expected to name Menteo itself (LMS admins install the
 * tool with one link and never see that list), and before this the launch page's widgets were
 * refused ("You do not have permission to do this") unless someone added the origin by hand.
 *
 * A request whose `Origin` is the server's own public origin is therefore treated as the browser
 * treats a same-origin GET: as carrying no `Origin` at all. Browsers set `Origin` themselves
 * (scripts cannot forge it), so another site cannot pass for Menteo; the comparison is with the
 * configured public URL, never with the request's `Host` (which a DNS-rebinding page controls).
 * @module
 */
import type { IntegrationOptions } from './types.js';

/** The origin of the server's public URL, or undefined without integrations. */
export function ownOrigin(integrations: Pick<IntegrationOptions, 'publicUrl'> | undefined): string | undefined {
  if (!integrations) return undefined;
  try {
    return new URL(integrations.publicUrl).origin.toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * The request without its `Origin` header when that origin is the server's own; otherwise the
 * request itself. Call it before the body is read (the copy takes over the body stream).
 */
export function withoutOwnOrigin(request: Request, integrations: Pick<IntegrationOptions, 'publicUrl'> | undefined): Request {
  const origin = request.headers.get('origin');
  const own = ownOrigin(integrations);
  if (origin === null || own === undefined || origin.toLowerCase() !== own) return request;
  const headers = new Headers(request.headers);
  headers.delete('origin');
  return new Request(request, { headers });
}
