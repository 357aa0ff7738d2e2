// A real Menteo server for browser tests that need what the in-page app cannot run (the LTI and
// SCIM integrations load CommonJS code a browser cannot import): the Node listener on a fresh
// SQLite file, with integrations on, one organization that allows the test page's origin, and an
// admin. Run by real-server-plugin.mjs as a child process; it reads commands on stdin, one JSON
// per line, and answers each with one JSON line on stdout:
//   {"cmd":"secret"}  → {"clientSecret": "…"}   a single-use sign-in for the admin, every scope
//                                                (what `menteo-server admin-link` mints)
// The first line it prints is {"baseUrl","personId"}. It stops when stdin closes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { SCOPES } from '../../api/src/scopes.js';
import { createOrganization } from '../../server/src/index.js';
import { startNodeServer } from '../../server/src/node.js';

const pageOrigin = process.argv[2];
if (!pageOrigin) throw new Error('usage: real-server.ts <test page origin>');
const dir = mkdtempSync(join(tmpdir(), 'menteo-elements-'));
const node = await startNodeServer({
  port: 0, hostname: '127.0.0.1', dbPath: join(dir, 'menteo.db'), rateLimit: false, ipRateLimit: false,
  integrations: { publicUrl: 'https://menteo.example.com', widgetsScriptUrl: 'https://cdn.example.com/menteo.js' },
});
const { apiKey } = await createOrganization(node.db, { name: 'Acme', allowedOrigins: [pageOrigin] });

async function call<T>(path: string, body: unknown): Promise<T> {
  const r = await fetch(`${node.url}${path}`, {
    method: 'POST', headers: { authorization: `Bearer ${apiKey.secret}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  if (!r.ok) throw new Error(`${path} answered ${r.status}: ${await r.text()}`);
  return (await r.json()) as T;
}

const admin = await call<{ id: string }>('/v1/people', { displayName: 'Ada Admin', email: 'ada@acme.test', roles: ['admin'] });
process.stdout.write(`${JSON.stringify({ baseUrl: node.url, personId: admin.id })}\n`);

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  const { cmd } = JSON.parse(line) as { cmd: string };
  if (cmd === 'secret') {
    const s = await call<{ clientSecret: string }>('/v1/embed-sessions', { personId: admin.id, scopes: [...SCOPES] });
    process.stdout.write(`${JSON.stringify({ clientSecret: s.clientSecret })}\n`);
  }
}
await node.close();
rmSync(dir, { recursive: true, force: true });
