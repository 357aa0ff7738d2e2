#!/usr/bin/env node
/**
 * `menteo-server`: serves the API. Environment (see the README's configuration table, read by
 * {@link serverConfigFromEnv}): `PORT` (8787), `MENTEO_DB` (SQLite file, `.menteo/menteo.db`),
 * `MENTEO_RATE_LIMIT` (`off`, or `<burst>:<perSecond>`; `off` also turns off the LTI and SCIM
 * limits unless their own variables set them), `MENTEO_LTI_RATE_LIMIT`, `MENTEO_SCIM_RATE_LIMIT`,
 * `MENTEO_PUBLIC_URL` (the URL LMSs, identity providers and browsers reach this server at;
 * `http://localhost:<PORT>` by default), `MENTEO_WIDGETS_URL` (the widgets bundle LTI launch pages
 * load), `MENTEO_INTEGRATIONS` (`off` to serve neither `/lti` nor `/scim/v2`),
 * `MENTEO_LTI_ROSTER_SYNC_MINUTES`, `MENTEO_SHUTDOWN_GRACE_MS` (how long SIGTERM/SIGINT lets
 * in-flight requests finish; 10000), `MENTEO_LIVE_EVENT_RETENTION_DAYS` (7).
 * @module
 */
import { serverConfigFromEnv } from './env.js';
import { scheduleIntegrationMaintenance } from './integrations/maintenance.js';
import { startNodeServer } from './node.js';
import { scheduleRetention } from './storage/retention.js';

const { port, dbPath, rateLimit, integrations, shutdownGraceMs, liveEventRetentionMs } = serverConfigFromEnv(process.env);
const running = await startNodeServer({
  port, dbPath, ...(rateLimit === undefined ? {} : { rateLimit }), ...(integrations ? { integrations } : {}),
  ...(shutdownGraceMs === undefined ? {} : { shutdownGraceMs }),
});
console.log(`Menteo server on ${running.url} (SQLite: ${dbPath})`);
// Timers live here, in the long-running process, never in createApp (browsers, tests).
const stopIntegrationMaintenance = integrations ? scheduleIntegrationMaintenance(running.app.integrations) : () => {};
const stopRetention = scheduleRetention(running.db, { liveEventsMaxAgeMs: liveEventRetentionMs });
const stopMaintenance = () => {
  stopIntegrationMaintenance();
  stopRetention();
};
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
