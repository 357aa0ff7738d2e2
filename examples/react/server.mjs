#!/usr/bin/env node
// Serves the built app (dist/) with the host backend shared by the examples (../cdn/server.mjs):
// it mints Menteo sessions for the signed-in person; the API key never reaches the browser.
// `npm start` builds first and starts a seeded demo Menteo next to it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startWithDemo } from '../cdn/server.mjs';

export const publicDir = fileURLToPath(new URL('./dist/', import.meta.url));

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = mkdtempSync(join(tmpdir(), 'menteo-example-'));
  const running = await startWithDemo({ dir, port: Number(process.env.PORT ?? 8091), publicDir });
  console.log(`Menteo     ${running.demo.menteoUrl}\nReact app  ${running.hostUrl}/   signed in as Sam (mentee)\nPress Ctrl+C to stop.`);
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => running.close().then(() => rmSync(dir, { recursive: true, force: true })).then(() => process.exit(0)));
}
