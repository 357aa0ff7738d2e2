#!/usr/bin/env node
/**
 * `menteo-server`: the operator command line (src/cli/program.ts). With no command it serves the
 * API, configured by the environment (see the README's configuration table, read by
 * `serverConfigFromEnv` in src/env.ts): `PORT`, `MENTEO_DB`, `MENTEO_RATE_LIMIT`,
 * `MENTEO_LTI_RATE_LIMIT`, `MENTEO_SCIM_RATE_LIMIT`, `MENTEO_PUBLIC_URL`, `MENTEO_WIDGETS_URL`,
 * `MENTEO_INTEGRATIONS`, `MENTEO_LTI_ROSTER_SYNC_MINUTES`, `MENTEO_SHUTDOWN_GRACE_MS`,
 * `MENTEO_LIVE_EVENT_RETENTION_DAYS`, and `MENTEO_ADMIN_ASSETS` (the elements' CDN build the
 * admin page serves). `menteo-server --help` lists the commands.
 * @module
 */
import { processIo } from './cli/io.js';
import { runCli } from './cli/program.js';

// exitCode rather than exit(): stdout (a key's secret, a link) is flushed before the process ends,
// and `serve` keeps running on its listener.
process.exitCode = await runCli(process.argv.slice(2), processIo());
