/**
 * Short-lived JWTs the tool signs for itself (launch sessions, deep-linking picks, install
 * links): signed with the tool's active key and verified against its own published keys, so a
 * key rotation never breaks a page that is open.
 * @module
 */
import { SignJWT, createLocalJWKSet, jwtVerify, type JWTPayload } from 'jose';
import type { ToolContext } from './context.js';

/** Signs `claims` as a token of kind `typ`, valid for `ttlSeconds`. */
export async function signToolToken(tool: ToolContext, typ: string, claims: Record<string, unknown>, ttlSeconds: number): Promise<string> {
  const { kid, key } = await tool.keyring.signingKey();
  const now = Math.floor(tool.now().getTime() / 1000);
  return new SignJWT({ ...claims, typ })
    .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
    .setIssuer(tool.options.baseUrl)
    .setAudience(tool.options.baseUrl)
    .setIssuedAt(now)
    .setExpirationTime(now + ttlSeconds)
    .sign(key);
}

/** Verifies a token of kind `typ`; undefined when it is invalid, expired or of another kind. */
export async function verifyToolToken(tool: ToolContext, typ: string, token: string): Promise<JWTPayload | undefined> {
  try {
    const jwks = createLocalJWKSet(await tool.keyring.jwks());
    const { payload } = await jwtVerify(token, jwks, {
      algorithms: ['RS256'],
      issuer: tool.options.baseUrl,
      audience: tool.options.baseUrl,
      currentDate: tool.now(),
    });
    return payload['typ'] === typ ? payload : undefined;
  } catch {
    return undefined;
  }
}
