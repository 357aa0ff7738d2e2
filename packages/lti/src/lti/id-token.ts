/**
 * Validation of the platform's id_token (LTI 1.3 core, section 5.1.3 of the security framework).
 * Everything is checked before anything is granted; each failure has its own code for the log
 * and one plain message for the person.
 * @module
 */
import { decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';
import type { LtiStore, Registration } from '../store.js';
import { CLAIM, MESSAGE_TYPES, type MessageType, type ValidatedLaunch } from './claims.js';
import { LtiError, MESSAGES } from './errors.js';
import type { PlatformKeyResolver } from './platform-keys.js';

/** Options of {@link validateIdToken}. */
export interface IdTokenOptions {
  store: LtiStore;
  resolveKey: PlatformKeyResolver;
  /** Clock tolerance for `exp`, `iat` and `nbf`, seconds; 60 by default. */
  leewaySeconds?: number;
  /** Oldest acceptable `iat`, seconds; 600 by default (a launch is used at once). */
  maxAgeSeconds?: number;
  /** Current time (tests). */
  now?: () => Date;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function obj(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function invalid(code: string, detail: Record<string, unknown> = {}): LtiError {
  return new LtiError(code, MESSAGES.invalidLaunch, detail);
}

/** Finds the registration a token claims to come from, before its signature is checked. */
async function registrationFor(store: LtiStore, payload: JWTPayload): Promise<Registration> {
  const issuer = str(payload.iss);
  if (!issuer) throw invalid('missing_iss');
  const audiences = typeof payload.aud === 'string' ? [payload.aud] : Array.isArray(payload.aud) ? payload.aud.filter((a) => typeof a === 'string') : [];
  if (audiences.length === 0) throw invalid('missing_aud', { issuer });
  const azp = str(payload['azp']);
  // With several audiences, azp says which one is us (OIDC core 3.1.3.7).
  const candidates = azp !== undefined ? [azp] : audiences.length === 1 ? audiences : [];
  if (candidates.length === 0) throw invalid('missing_azp', { issuer, audiences });
  if (azp !== undefined && !audiences.includes(azp)) throw invalid('bad_azp', { issuer, azp, audiences });
  for (const clientId of candidates) {
    const registration = await store.findRegistration(issuer, clientId);
    if (registration) return registration;
  }
  // An issuer we know with an audience we are not: someone else's token.
  if ((await store.registrationsOfIssuer(issuer)).length > 0) throw invalid('bad_aud', { issuer, audiences, azp });
  throw new LtiError('unknown_platform', MESSAGES.unknownPlatform, { issuer, audiences }, 403);
}

/**
 * Verifies signature and claims of an id_token and returns the launch. The nonce is checked
 * against the login state by the caller, who also records it as used.
 */
export async function validateIdToken(token: string, options: IdTokenOptions): Promise<ValidatedLaunch> {
  const leeway = options.leewaySeconds ?? 60;
  const maxAge = options.maxAgeSeconds ?? 600;
  const now = options.now?.() ?? new Date();
  let header;
  let unverified: JWTPayload;
  try {
    header = decodeProtectedHeader(token);
    unverified = decodeJwt(token);
  } catch {
    throw invalid('malformed_token');
  }
  if (header.alg !== 'RS256') throw invalid('bad_alg', { alg: header.alg });
  if (typeof header.kid !== 'string' || header.kid === '') throw invalid('missing_kid');
  const registration = await registrationFor(options.store, unverified);

  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, (h) => options.resolveKey(registration.jwksUrl, h), {
      algorithms: ['RS256'],
      issuer: registration.issuer,
      audience: registration.clientId,
      clockTolerance: leeway,
      maxTokenAge: maxAge + leeway,
      currentDate: now,
      requiredClaims: ['iat', 'exp', 'nonce'],
    }));
  } catch (error) {
    if (error instanceof LtiError) throw error;
    if (error instanceof errors.JWTExpired) throw new LtiError('expired', MESSAGES.expired, { exp: unverified.exp });
    if (error instanceof errors.JWSSignatureVerificationFailed) throw invalid('bad_signature', { kid: header.kid });
    if (error instanceof errors.JWTClaimValidationFailed) throw invalid(`bad_${error.claim}`, { reason: error.reason });
    throw invalid('invalid_token', { error: String(error) });
  }
  const iat = typeof payload.iat === 'number' ? payload.iat : Number.NaN;
  if (!(iat <= now.getTime() / 1000 + leeway)) throw invalid('bad_iat', { iat });

  if (payload[CLAIM.version] !== '1.3.0') throw invalid('bad_version', { version: payload[CLAIM.version] });
  const messageType = payload[CLAIM.messageType];
  if (typeof messageType !== 'string' || !(MESSAGE_TYPES as readonly string[]).includes(messageType)) {
    throw invalid('unknown_message_type', { messageType });
  }
  const deploymentId = str(payload[CLAIM.deploymentId]);
  if (!deploymentId) throw invalid('missing_deployment_id');
  if (!(await options.store.hasDeployment(registration.id, deploymentId))) {
    throw new LtiError('unknown_deployment', MESSAGES.unknownDeployment, { issuer: registration.issuer, clientId: registration.clientId, deploymentId }, 403);
  }
  const sub = str(payload.sub);
  if (!sub) throw new LtiError('anonymous_launch', MESSAGES.anonymous, { issuer: registration.issuer });
  const roles = payload[CLAIM.roles];
  if (!Array.isArray(roles) || !roles.every((r) => typeof r === 'string')) throw invalid('missing_roles');
  const targetLinkUri = str(payload[CLAIM.targetLinkUri]);
  if (!targetLinkUri) throw invalid('missing_target_link_uri');

  const resourceLink = obj(payload[CLAIM.resourceLink]);
  const resourceLinkId = str(resourceLink?.['id']);
  if (messageType === 'LtiResourceLinkRequest' && !resourceLinkId) throw invalid('missing_resource_link');

  let deepLinking: ValidatedLaunch['deepLinking'];
  if (messageType === 'LtiDeepLinkingRequest') {
    const settings = obj(payload[CLAIM.deepLinkingSettings]);
    const returnUrl = str(settings?.['deep_link_return_url']);
    const acceptTypes = Array.isArray(settings?.['accept_types']) ? (settings['accept_types'] as unknown[]).filter((t): t is string => typeof t === 'string') : [];
    if (!settings || !returnUrl) throw invalid('missing_deep_linking_settings');
    deepLinking = { returnUrl, acceptTypes, acceptMultiple: settings['accept_multiple'] !== false, data: str(settings['data']) };
  }

  const context = obj(payload[CLAIM.context]);
  const contextId = str(context?.['id']);
  const customRaw = obj(payload[CLAIM.custom]) ?? {};
  const custom: Record<string, string> = {};
  for (const [key, value] of Object.entries(customRaw)) if (typeof value === 'string') custom[key] = value;
  const lis = obj(payload[CLAIM.lis]);
  const presentation = obj(payload[CLAIM.launchPresentation]);
  const nrps = obj(payload[CLAIM.nrps]);
  const ags = obj(payload[CLAIM.ags]);
  const membershipsUrl = str(nrps?.['context_memberships_url']);
  const given = str(payload['given_name']);
  const family = str(payload['family_name']);

  return {
    messageType: messageType as MessageType,
    registrationId: registration.id,
    issuer: registration.issuer,
    clientId: registration.clientId,
    deploymentId,
    sub,
    nonce: String(payload.nonce),
    name: str(payload['name']) ?? ([given, family].filter(Boolean).join(' ') || undefined),
    email: str(payload['email']),
    sourcedId: str(lis?.['person_sourcedid']),
    roles: roles as string[],
    targetLinkUri,
    resourceLinkId,
    context: contextId ? { id: contextId, title: str(context?.['title']) } : undefined,
    custom,
    returnUrl: str(presentation?.['return_url']),
    nrps: membershipsUrl ? { membershipsUrl } : undefined,
    ags: ags
      ? {
          lineitemsUrl: str(ags['lineitems']),
          lineitemUrl: str(ags['lineitem']),
          scopes: Array.isArray(ags['scope']) ? (ags['scope'] as unknown[]).filter((s): s is string => typeof s === 'string') : [],
        }
      : undefined,
    deepLinking,
  };
}
