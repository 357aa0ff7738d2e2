#!/usr/bin/env node
/**
 * `menteo-server`: serves the API. Environment: `PORT` (8787), `MENTEO_DB` (SQLite file,
 * `.menteo/menteo.db`), `MENTEO_RATE_LIMIT` (`off`, or `<burst>:<perSecond>`).
 * @module
 */
import type { RateLimit } from './http/rate-limit.js';
import { startNodeServer } from './node.js';

function rateLimitFromEnv(value: string | undefined): RateLimit | false | undefined {
  if (value === undefined || value === '') return undefined;
  if (value === 'off') return false;
  const [burst, perSecond] = value.split(':').map(Number);
  if (!burst || !perSecond) throw new Error('MENTEO_RATE_LIMIT must be "off" or "<burst>:<perSecond>"');
  return { capacity: burst, refillPerSecond: perSecond };
}

const port = Number(process.env.PORT ?? 8787);
const dbPath = process.env.MENTEO_DB ?? '.menteo/menteo.db';
const rateLimit = rateLimitFromEnv(process.env.MENTEO_RATE_LIMIT);
const running = await startNodeServer({ port, dbPath, ...(rateLimit === undefined ? {} : { rateLimit }) });
console.log(`Menteo server on ${running.url} (SQLite: ${dbPath})`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void running.close().then(() => process.exit(0));
  });
}
