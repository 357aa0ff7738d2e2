// The intranet's own backend, as a customer would write it: it knows who is signed in to the
// intranet, holds the Menteo API key, and mints a Menteo embed session for that person when the
// page asks. The browser never sees the API key.
//
// Demo shortcut: "who is signed in" is the `?as=` picker of the page (per tab, so two tabs can be
// two people), sent back with the request. A real intranet takes it from its own session.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { createEmbedSession } from '@menteo/client';

const here = fileURLToPath(new URL('.', import.meta.url));
const bundleDir = join(here, '../../packages/elements/dist/cdn');

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.map': 'application/json' };

function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}


/**
 * Starts the intranet. `demo` holds what the seed produced: the API key, people and the ids of
 * each person's room, roadmap and thread.
 */
export function startIntranet({ port, menteoUrl, demo }) {
  const byKey = new Map(demo.people.map((p) => [p.key, p]));
  const defaultKey = demo.defaultPerson;

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
      // A strict Content-Security-Policy: the widgets must work without inline scripts or styles.
      res.setHeader(
        'content-security-policy',
        `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; connect-src 'self' ${menteoUrl}; frame-ancestors 'none'; base-uri 'none'; form-action 'self'`,
      );
      res.setHeader('x-content-type-options', 'nosniff');

      if (req.method === 'POST' && url.pathname === '/api/menteo/client-secret') {
        // Same-origin only: a custom header cannot be sent cross-site without a CORS preflight we never grant.
        if (req.headers['x-requested-with'] !== 'intranet') {
          res.writeHead(403, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'forbidden' }));
          return;
        }
        const person = byKey.get(String(req.headers['x-intranet-user'] ?? defaultKey)) ?? byKey.get(defaultKey);
        const session = await createEmbedSession({ baseUrl: menteoUrl, apiKey: demo.apiKey }, { externalId: person.externalId, ttlSeconds: 120 });
        res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify({ clientSecret: session.clientSecret }));
        return;
      }

      if (req.method !== 'GET') {
        res.writeHead(405).end();
        return;
      }

      if (url.pathname === '/') {
        const person = byKey.get(url.searchParams.get('as') ?? defaultKey) ?? byKey.get(defaultKey);
        const html = (await readFile(join(here, 'public/index.html'), 'utf8'))
          .replaceAll('{{MENTEO_URL}}', escapeHtml(menteoUrl))
          .replaceAll('{{PERSON_KEY}}', escapeHtml(person.key))
          .replaceAll('{{ROOM_ID}}', escapeHtml(person.roomId ?? ''))
          .replaceAll('{{ROADMAP_ID}}', escapeHtml(person.roadmapId ?? ''))
          .replaceAll('{{THREAD_ID}}', escapeHtml(person.threadId ?? ''))
          .replaceAll(
            '{{PEOPLE_OPTIONS}}',
            demo.people
              .filter((p) => p.roomId)
              .map((p) => `<option value="${escapeHtml(p.key)}"${p.key === person.key ? ' selected' : ''}>${escapeHtml(p.displayName)} (${escapeHtml(p.role)})</option>`)
              .join(''),
          );
        res.writeHead(200, { 'content-type': TYPES['.html'], 'cache-control': 'no-store' }).end(html);
        return;
      }

      // The CDN build: menteo.js and its lazily loaded chunks (translations).
      const file = /^\/(menteo\.js(\.map)?|chunks\/[\w.-]+\.js(\.map)?)$/.test(url.pathname)
        ? join(bundleDir, url.pathname.slice(1))
        : ['/app.js', '/intranet.css'].includes(url.pathname)
          ? join(here, 'public', url.pathname.slice(1))
          : null;
      if (!file) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
        return;
      }
      const body = await readFile(file);
      const ext = file.slice(file.lastIndexOf('.'));
      res.writeHead(200, { 'content-type': TYPES[ext] ?? 'application/octet-stream' }).end(body);
    } catch (error) {
      console.error('[intranet]', error);
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('The intranet could not reach Menteo.');
    }
  });
  return new Promise((resolve) => server.listen(port, () => resolve(server)));
}
