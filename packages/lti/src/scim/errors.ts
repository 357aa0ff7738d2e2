/**
 * SCIM error responses (RFC 7644 section 3.12): `application/scim+json`, the status as a string,
 * a `scimType` where the RFC defines one, and a detail an identity-provider admin can act on.
 * @module
 */

/** The SCIM media type. */
export const SCIM_JSON = 'application/scim+json';

/** `scimType` values of RFC 7644. */
export type ScimType = 'invalidFilter' | 'tooMany' | 'uniqueness' | 'mutability' | 'invalidSyntax' | 'invalidPath' | 'noTarget' | 'invalidValue' | 'invalidVers' | 'sensitive';

/** A SCIM failure. */
export class ScimError extends Error {
  readonly status: 400 | 401 | 403 | 404 | 409 | 412 | 413 | 415 | 429 | 501;
  readonly scimType: ScimType | undefined;
  /** Seconds to wait before retrying (429), sent as `Retry-After`. */
  readonly retryAfter: number | undefined;

  constructor(status: ScimError['status'], detail: string, scimType?: ScimType, retryAfter?: number) {
    super(detail);
    this.name = 'ScimError';
    this.status = status;
    this.scimType = scimType;
    this.retryAfter = retryAfter;
  }
}

/** A SCIM JSON response. */
export function scimJson(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': SCIM_JSON, ...headers } });
}

/** The response of a {@link ScimError}. */
export function scimErrorResponse(error: ScimError): Response {
  return scimJson(
    {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: String(error.status),
      ...(error.scimType ? { scimType: error.scimType } : {}),
      detail: error.message,
    },
    error.status,
    {
      ...(error.status === 401 ? { 'www-authenticate': 'Bearer realm="scim"' } : {}),
      ...(error.retryAfter !== undefined ? { 'retry-after': String(error.retryAfter) } : {}),
    },
  );
}
