/**
 * The shape of the integrations (LTI 1.3 tool and SCIM 2.0) as the rest of the server sees them.
 * Type-only imports of `@menteo/lti`: the app loads the implementation (`./mount.js`) lazily, so a
 * browser running the app under msw never fetches the LTI and SCIM code (two of its dependencies
 * are CommonJS, which browsers cannot import) unless an integration endpoint is actually used.
 * @module
 */
import type { Hono } from 'hono';
import type { LtiContext, LtiLogger, LtiStore, LtiTool, ScimTokenInfo } from '@menteo/lti';
import type { RateLimit } from '../http/rate-limit.js';

/** Where the app mounts the LTI tool. */
export const LTI_PATH = '/lti';
/** Where the app mounts SCIM 2.0. */
export const SCIM_PATH = '/scim/v2';

/** Options of the integrations (`AppOptions.integrations`). */
export interface IntegrationOptions {
  /**
   * Public URL of this server as LMSs, identity providers and browsers reach it, without a
   * trailing slash, e.g. `https://menteo.example.com`. The tool lives at `<publicUrl>/lti`, SCIM
   * at `<publicUrl>/scim/v2`, and the widgets of a launch call the API at `<publicUrl>`.
   */
  readonly publicUrl: string;
  /** URL of the widgets' ES module bundle that launch pages load. */
  readonly widgetsScriptUrl: string;
  /** Name LMS admins see; `Menteo` by default. */
  readonly toolName?: string;
  /** Receives launch, registration and provisioning failures in detail; warnings go to `console.warn` by default. */
  readonly logger?: LtiLogger;
  /** The fetch used to reach platforms (JWKS, registration, roster, grades); the global one by default. */
  readonly fetch?: typeof fetch;
  /** Refetch cooldown of platform key sets on an unknown `kid`, ms (tests set 0). */
  readonly jwksRefetchCooldownMs?: number;
  /**
   * A launch carrying the roster claim syncs the course roster into the room at most once per
   * this many minutes per course; 60 by default. The admin API's manual sync ignores it.
   */
  readonly rosterSyncEveryMinutes?: number;
  /**
   * Limits of the mounted apps, token buckets in memory like the API's own. `false` turns one off.
   * - `lti`: per client IP over every `/lti` endpoint (all are public). The default is generous,
   *   600 burst and 30 per second, because a whole class often opens a course from one campus
   *   address at the same minute (a launch is two or three requests).
   * - `scim`: per SCIM token, since identity providers call from addresses shared by all their
   *   tenants; requests without a valid token per client IP. Default 300 burst, 20 per second.
   */
  readonly rateLimit?: {
    readonly lti?: RateLimit | false;
    readonly scim?: RateLimit | false;
  };
}

/** Default limit of `/lti`, per client IP. */
export const DEFAULT_LTI_RATE_LIMIT: RateLimit = { capacity: 600, refillPerSecond: 30 };
/** Default limit of `/scim/v2`, per token. */
export const DEFAULT_SCIM_RATE_LIMIT: RateLimit = { capacity: 300, refillPerSecond: 20 };

/**
 * What the server does on its own around the LTI tool: roster syncs on launches (NRPS) and
 * milestone completion posted to course gradebooks (AGS). Everything runs in the background and
 * never throws into the request that caused it; failures go to the integrations' logger.
 */
export interface LtiAutomation {
  /**
   * A launch recorded this course context. Decides (one database write) whether the roster is due
   * and, if so, starts the sync in the background; resolves without waiting for it. Never rejects.
   */
  courseSeen(context: LtiContext): Promise<void>;
  /**
   * A roadmap's change committed. Posts the mentee's completion to every course linked to the
   * roadmap's room that accepts grades, when it differs from what the gradebook last received.
   * Runs in the background; never throws.
   */
  roadmapChanged(orgId: string, roadmapId: string): void;
  /** Posts again every score whose last attempt failed; resolves with how many were retried. */
  retryFailedScores(): Promise<number>;
  /** Resolves once no background sync or post is running (tests, orderly shutdown). */
  idle(): Promise<void>;
}

/** SCIM bearer tokens of organizations (the admin API's side). */
export interface ScimTokens {
  create(orgId: string, label: string | null): Promise<ScimTokenInfo & { token: string }>;
  list(orgId: string): Promise<ScimTokenInfo[]>;
  /** The token of the organization, or undefined. */
  get(orgId: string, id: string): Promise<ScimTokenInfo | undefined>;
  /** Revokes it; false when it was already revoked or is unknown. */
  revoke(orgId: string, id: string): Promise<boolean>;
}

/** The loaded integrations. */
export interface Integrations {
  /** Registrations, deployments and course contexts. */
  readonly store: LtiStore;
  readonly scimTokens: ScimTokens;
  /** The LTI tool; null when the app has no `integrations.publicUrl` (nothing is mounted then). */
  readonly tool: LtiTool | null;
  /** Roster syncs and gradebook posts; null when there is no tool. */
  readonly automation: LtiAutomation | null;
  /** The SCIM app; null without a public URL. */
  readonly scimApp: Hono | null;
  /** `<publicUrl>/scim/v2`, or null. */
  readonly scimBaseUrl: string | null;
  /** Deployment ids of a registration. */
  deployments(registrationId: string): Promise<string[]>;
  /** Course contexts of the organization's registrations (optionally one registration). */
  courses(orgId: string, registrationId?: string): Promise<IntegrationCourse[]>;
}

/** A course context seen in a launch. */
export interface IntegrationCourse {
  readonly registrationId: string;
  readonly deploymentId: string;
  readonly contextId: string;
  readonly title: string | null;
  readonly roomId: string | null;
  readonly membershipsUrl: string | null;
  readonly lineitemsUrl: string | null;
  readonly lineitemUrl: string | null;
}

/** Loads the integrations once, on first use. */
export type IntegrationsLoader = () => Promise<Integrations>;
