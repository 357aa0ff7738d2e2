/**
 * The environment of `menteo-server` as server options, kept apart from the entry so it can be
 * read directly in tests. Every variable is documented in the package README's configuration
 * table; a malformed value throws an error naming it, so a server never starts half-configured.
 * @module
 */
import { parseTrustProxy, type TrustProxy } from './http/client-address.js';
import type { RateLimit } from './http/rate-limit.js';
import type { IntegrationOptions } from './integrations/types.js';
import { DEFAULT_LIVE_EVENT_RETENTION_MS, MIN_LIVE_EVENT_RETENTION_MS } from './storage/retention.js';

/** The published CDN bundle of `@menteo/elements`, for deployments that do not host their own. */
export const DEFAULT_WIDGETS_URL = 'https://cdn.jsdelivr.net/npm/@menteo/elements/dist/cdn/menteo.js';

const DAY = 24 * 60 * 60 * 1000;

/** The variables read; anything else in the environment is ignored. */
export type ServerEnv = Readonly<Record<string, string | undefined>>;

/** What `menteo-server` starts with. */
export interface ServerConfig {
  readonly port: number;
  readonly dbPath: string;
  /** The per-credential limit; undefined keeps the app's default. */
  readonly rateLimit: RateLimit | false | undefined;
  /** Undefined when `MENTEO_INTEGRATIONS=off`. */
  readonly integrations: IntegrationOptions | undefined;
  readonly shutdownGraceMs: number | undefined;
  /** How long live events are kept (the retention purge). */
  readonly liveEventRetentionMs: number;
  /** Proxies whose `X-Forwarded-For` names the client (`MENTEO_TRUST_PROXY`); undefined: none. */
  readonly trustProxy: TrustProxy | undefined;
}

/** `off`, `<burst>:<perSecond>`, or unset (undefined). */
function rateLimitOf(name: string, value: string | undefined): RateLimit | false | undefined {
  if (value === undefined || value === '') return undefined;
  if (value === 'off') return false;
  const [burst, perSecond] = value.split(':').map(Number);
  if (!burst || !perSecond || !(burst > 0) || !(perSecond > 0)) throw new Error(`${name} must be "off" or "<burst>:<perSecond>"`);
  return { capacity: burst, refillPerSecond: perSecond };
}

/**
 * The LTI and SCIM limits: each its own variable; otherwise `MENTEO_RATE_LIMIT=off` turns them
 * off too (one switch for load tests and trusted networks), while a numeric `MENTEO_RATE_LIMIT`
 * leaves their own defaults (launch pages and provisioning bursts are not API calls).
 */
function integrationLimits(env: ServerEnv, api: RateLimit | false | undefined): IntegrationOptions['rateLimit'] {
  const lti = rateLimitOf('MENTEO_LTI_RATE_LIMIT', env.MENTEO_LTI_RATE_LIMIT) ?? (api === false ? false : undefined);
  const scim = rateLimitOf('MENTEO_SCIM_RATE_LIMIT', env.MENTEO_SCIM_RATE_LIMIT) ?? (api === false ? false : undefined);
  if (lti === undefined && scim === undefined) return undefined;
  return { ...(lti === undefined ? {} : { lti }), ...(scim === undefined ? {} : { scim }) };
}

function integrationsOf(env: ServerEnv, port: number, api: RateLimit | false | undefined): IntegrationOptions | undefined {
  if (env.MENTEO_INTEGRATIONS === 'off') return undefined;
  const publicUrl = (env.MENTEO_PUBLIC_URL || `http://localhost:${port}`).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+(\/.*)?$/.test(publicUrl)) throw new Error('MENTEO_PUBLIC_URL must be an http(s) URL');
  const rosterMinutes = env.MENTEO_LTI_ROSTER_SYNC_MINUTES;
  if (rosterMinutes !== undefined && !(Number(rosterMinutes) >= 0)) throw new Error('MENTEO_LTI_ROSTER_SYNC_MINUTES must be a number of minutes');
  const rateLimit = integrationLimits(env, api);
  return {
    publicUrl,
    widgetsScriptUrl: env.MENTEO_WIDGETS_URL || DEFAULT_WIDGETS_URL,
    ...(rosterMinutes === undefined ? {} : { rosterSyncEveryMinutes: Number(rosterMinutes) }),
    ...(rateLimit === undefined ? {} : { rateLimit }),
  };
}

/** Reads the server's configuration from `env` (`process.env` in the entry). */
export function serverConfigFromEnv(env: ServerEnv): ServerConfig {
  const port = Number(env.PORT ?? 8787);
  const rateLimit = rateLimitOf('MENTEO_RATE_LIMIT', env.MENTEO_RATE_LIMIT);
  const grace = env.MENTEO_SHUTDOWN_GRACE_MS;
  if (grace !== undefined && !(Number(grace) >= 0)) throw new Error('MENTEO_SHUTDOWN_GRACE_MS must be a number of milliseconds');
  const days = env.MENTEO_LIVE_EVENT_RETENTION_DAYS;
  const retention = days === undefined || days === '' ? DEFAULT_LIVE_EVENT_RETENTION_MS : Number(days) * DAY;
  if (!(retention >= MIN_LIVE_EVENT_RETENTION_MS)) throw new Error('MENTEO_LIVE_EVENT_RETENTION_DAYS must be a number of days, at least 1');
  return {
    port,
    dbPath: env.MENTEO_DB ?? '.menteo/menteo.db',
    rateLimit,
    integrations: integrationsOf(env, port, rateLimit),
    shutdownGraceMs: grace === undefined ? undefined : Number(grace),
    liveEventRetentionMs: retention,
    trustProxy: parseTrustProxy(env.MENTEO_TRUST_PROXY),
  };
}
