#!/usr/bin/env node
// `npm run demo`: the reference server on its embedded SQLite store, seeded with a demo
// organization, and this intranet page with live widgets.
//
//   --fresh        delete the demo database and seed again
//   PORT           Menteo API port (8787)
//   INTRANET_PORT  intranet port (8080)
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDemo } from './demo-lib.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const running = await startDemo({
  dir: join(root, '.menteo'),
  port: Number(process.env.PORT ?? 8787),
  intranetPort: Number(process.env.INTRANET_PORT ?? 8080),
  fresh: process.argv.includes('--fresh'),
});

console.log(`
Menteo API      ${running.menteoUrl}/v1/health   (OpenAPI: ${running.menteoUrl}/v1/openapi.json)
Intranet demo   ${running.intranetUrl}/            signed in as Sam (mentee)
Second person   ${running.intranetUrl}/?as=priya   Priya (mentor), in another tab: posts arrive live
All my rooms    ${running.intranetUrl}/wall        every room of the person, each with its roadmap and posts
Program console ${running.intranetUrl}/console     Amara (program admin): health, at-risk rooms, cohorts and templates
Press Ctrl+C to stop.`);

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    await running.close();
    process.exit(0);
  });
}
