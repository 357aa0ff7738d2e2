#!/usr/bin/env node
/**
 * `menteo-server`: serves the API. Environment: `PORT` (8787), `MENTEO_DB` (SQLite file,
 * `.menteo/menteo.db`), `MENTEO_RATE_LIMIT` (`off`, or `<burst>:<perSecond>`),
 * `MENTEO_PUBLIC_URL` (the URL LMSs, identity providers and browsers reach this server at;
 * `http://localhost:<PORT>` by default), `MENTEO_WIDGETS_URL` (the widgets bundle LTI launch pages
 * load), `MENTEO_INTEGRATIONS` (`off` to serve neither `/lti` nor `/scim/v2`),
 * `MENTEO_SHUTDOWN_GRACE_MS` (how long SIGTERM/SIGINT lets in-flight requests finish; 10000).
 * @module
 */
import type { RateLimit } from './http/rate-limit.js';
import { scheduleIntegrationMaintenance } from './integrations/maintenance.js';
import type { IntegrationOptions } from './integrations/types.js';
import { startNodeServer } from './node.js';

function rateLimitFromEnv(value: string | undefined): RateLimit | false | undefined {
  if (value === undefined || value === '') return undefined;
  if (value === 'off') return false;
  const [burst, perSecond] = value.split(':').map(Number);
  if (!burst || !perSecond) throw new Error('MENTEO_RATE_LIMIT must be "off" or "<burst>:<perSecond>"');
  return { capacity: burst, refillPerSecond: perSecond };
}

/** The published CDN bundle of `@menteo/elements`, for deployments that do not host their own. */
const DEFAULT_WIDGETS_URL = 'https://cdn.jsdelivr.net/npm/@menteo/elements/dist/cdn/menteo.js';

function integrationsFromEnv(port: number): IntegrationOptions | undefined {
  if (process.env.MENTEO_INTEGRATIONS === 'off') return undefined;
  const publicUrl = (process.env.MENTEO_PUBLIC_URL || `http://localhost:${port}`).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+(\/.*)?$/.test(publicUrl)) throw new Error('MENTEO_PUBLIC_URL must be an http(s) URL');
  const rosterMinutes = process.env.MENTEO_LTI_ROSTER_SYNC_MINUTES;
  if (rosterMinutes !== undefined && !(Number(rosterMinutes) >= 0)) throw new Error('MENTEO_LTI_ROSTER_SYNC_MINUTES must be a number of minutes');
  return {
    publicUrl,
    widgetsScriptUrl: process.env.MENTEO_WIDGETS_URL || DEFAULT_WIDGETS_URL,
    ...(rosterMinutes === undefined ? {} : { rosterSyncEveryMinutes: Number(rosterMinutes) }),
  };
}

const port = Number(process.env.PORT ?? 8787);
const dbPath = process.env.MENTEO_DB ?? '.menteo/menteo.db';
const rateLimit = rateLimitFromEnv(process.env.MENTEO_RATE_LIMIT);
const integrations = integrationsFromEnv(port);
const grace = process.env.MENTEO_SHUTDOWN_GRACE_MS;
if (grace !== undefined && !(Number(grace) >= 0)) throw new Error('MENTEO_SHUTDOWN_GRACE_MS must be a number of milliseconds');
const running = await startNodeServer({
  port, dbPath, ...(rateLimit === undefined ? {} : { rateLimit }), ...(integrations ? { integrations } : {}),
  ...(grace === undefined ? {} : { shutdownGraceMs: Number(grace) }),
});
console.log(`Menteo server on ${running.url} (SQLite: ${dbPath})`);
// Timers live here, in the long-running process, never in createApp (browsers, tests).
const stopMaintenance = integrations ? scheduleIntegrationMaintenance(running.app.integrations) : () => {};
if (integrations) console.log(`LTI tool at ${integrations.publicUrl}/lti, SCIM at ${integrations.publicUrl}/scim/v2`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    // A second signal means "now": committed writes are safe in SQLite's WAL either way.
    if (stopping) process.exit(1);
    stopping = true;
    stopMaintenance();
    console.log(`${signal}: no new connections; finishing in-flight requests`);
    void running.close().then(() => process.exit(0));
  });
}
