/**
 * `client.integrations`: SCIM tokens and LMS (LTI 1.3) platforms, for an organization's admins
 * (`org:admin`: an API key, or an admin's token as in the console). Imports only `@menteo/api/integrations`.
 *
 * Not part of `createClient`, so browser bundles never carry admin schemas; build it over any
 * client: `const integrations = integrationsApi(client)`.
 * @module
 */
import {
  createLtiInstallUrl, createScimToken, getLtiToolConfig, listLtiCourses, listLtiPlatforms, listScimTokens,
  registerLtiPlatform, revokeScimToken, syncLtiRoster,
  type CreateLtiInstallUrl, type CreateScimToken, type RegisterLtiPlatform, type SyncLtiRoster,
} from '@menteo/api/integrations';
import type { Transport } from './transport.js';
import type { CallOptions } from './types.js';

/** Builds the integrations namespace over a transport. These lists fit one page. */
export function integrationsApi(t: Transport) {
  return {
    /** SCIM bearer tokens for identity providers (Okta, Entra ID). */
    scimTokens: {
      /** The organization's SCIM tokens, never their secrets. */
      list: (options?: CallOptions) => t.request(listScimTokens, { ...options }),
      /** Creates a token; the answer holds its secret and the SCIM base URL, shown this once. */
      create: (body: CreateScimToken, options?: CallOptions) => t.request(createScimToken, { ...options, body }),
      /** Revokes a token at once. */
      revoke: (tokenId: string, options?: CallOptions) => t.request(revokeScimToken, { ...options, params: { tokenId } }),
    },
    /** Learning platforms (LTI 1.3). */
    lti: {
      /** The tool's URLs for registering Menteo by hand in an LMS. */
      config: (options?: CallOptions) => t.request(getLtiToolConfig, { ...options }),
      /** Registered platforms. */
      platforms: (options?: CallOptions) => t.request(listLtiPlatforms, { ...options }),
      /** Registers a platform by hand (issuer, client id, deployments, keys, endpoints). */
      registerPlatform: (body: RegisterLtiPlatform, options?: CallOptions) => t.request(registerLtiPlatform, { ...options, body }),
      /** A dynamic-registration link to paste into the LMS. */
      createInstallUrl: (body: CreateLtiInstallUrl, options?: CallOptions) => t.request(createLtiInstallUrl, { ...options, body }),
      /** Courses seen in launches, optionally for one platform. */
      courses: (query?: { platformId?: string }, options?: CallOptions) => t.request(listLtiCourses, { ...options, query: query ?? {} }),
      /** Syncs a course's roster into its room's membership. */
      syncRoster: (body: SyncLtiRoster, options?: CallOptions) => t.request(syncLtiRoster, { ...options, body }),
    },
  };
}

/** The integrations namespace (`client.integrations`). */
export type IntegrationsApi = ReturnType<typeof integrationsApi>;
