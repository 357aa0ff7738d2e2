#!/usr/bin/env node
// The host page's backend, as small as it gets: it serves index.html and mints a Menteo embed
// session for the signed-in person when the page asks (POST /api/menteo/client-secret). The
// Menteo API key stays here; the browser never sees it.
//
// The React and Vue examples serve their built pages with it too (`publicDir`).
//
// `npm start` also starts a seeded Menteo demo server (the intranet example's) so the page has
// data. Against your own Menteo: MENTEO_URL, MENTEO_API_KEY and MENTEO_EXTERNAL_ID (the HR id of
// the person the page signs in) instead.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, createEmbedSession } from '@menteo/client';

const here = fileURLToPath(new URL('.', import.meta.url));
/** The CDN build of @menteo/elements. On a real page, load it from a CDN (see README.md). */
const cdnDir = fileURLToPath(new URL('../../packages/elements/dist/cdn/', import.meta.url));
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.map': 'application/json' };

/** `pathname` under `dir`, or undefined when it would leave it. */
function inside(dir, pathname) {
  const file = normalize(join(dir, decodeURIComponent(pathname)));
  return file.startsWith(dir.endsWith(sep) ? dir : dir + sep) ? file : undefined;
}

const escapeHtml = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

/**
 * Starts the host on `port` (0: a free one), serving `publicDir` (a built page: index.html at
 * `/`), or this folder's index.html alone when there is none. The page
 * shows the first active room of the person whose HR id is `externalId`. Resolves to the Node
 * server; `server.address().port` is the port.
 */
export async function startHost({ port = 0, menteoUrl, apiKey, externalId, publicDir }) {
  const menteo = createClient({ baseUrl: menteoUrl, apiKey });
  const personId = (await menteo.people.list({ externalId, limit: 1 })).items[0]?.id;
  const room = personId ? (await menteo.rooms.list({ memberId: personId, status: 'active', limit: 1 })).items[0] : undefined;

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://host.invalid');
      if (req.method === 'POST' && url.pathname === '/api/menteo/client-secret') {
        // A real host signs in its own user here; the demo has one person.
        const session = await createEmbedSession({ baseUrl: menteoUrl, apiKey }, { externalId, ttlSeconds: 120 });
        res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify({ clientSecret: session.clientSecret }));
        return;
      }
      if (req.method !== 'GET') {
        res.writeHead(405).end();
        return;
      }
      // `/markup-only.html`: the same widgets with attributes only (session-url), no script of the page's own.
      const page = url.pathname === '/' ? join(publicDir ?? here, 'index.html') : url.pathname === '/markup-only.html' ? join(here, 'markup-only.html') : undefined;
      if (page) {
        const html = (await readFile(page, 'utf8'))
          .replaceAll('{{MENTEO_URL}}', escapeHtml(menteoUrl))
          .replaceAll('{{ROOM_ID}}', escapeHtml(room?.id ?? ''))
          .replaceAll('{{ROADMAP_ID}}', escapeHtml(room?.roadmapId ?? ''));
        res.writeHead(200, { 'content-type': TYPES['.html'], 'cache-control': 'no-store' }).end(html);
        return;
      }
      // /cdn/menteo.js and its lazily loaded chunks, as a CDN would serve them; else the page's own files.
      const file = url.pathname.startsWith('/cdn/') ? inside(cdnDir, url.pathname.slice('/cdn/'.length)) : publicDir && inside(publicDir, url.pathname.slice(1));
      const body = file ? await readFile(file).catch(() => undefined) : undefined;
      if (!body) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
        return;
      }
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch (error) {
      console.error('[host]', error);
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('The host could not reach Menteo.');
    }
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(undefined)));
  return server;
}

/** Starts a seeded demo Menteo (the intranet example's) and lets this host's origin embed it. */
export async function startWithDemo({ dir, port = 0, menteoPort = 0, publicDir, log = console.log }) {
  const { startDemo } = await import('../intranet/demo-lib.mjs');
  const demo = await startDemo({ dir, port: menteoPort, intranetPort: 0, fresh: true, log });
  try {
    const host = await startHost({ port, menteoUrl: demo.menteoUrl, apiKey: demo.demo.apiKey, externalId: 'hr-sam', publicDir });
    const hostUrl = `http://127.0.0.1:${host.address().port}`;
    const admin = createClient({ baseUrl: demo.menteoUrl, apiKey: demo.demo.apiKey });
    const { allowedOrigins } = await admin.organization.get();
    await admin.organization.update({ allowedOrigins: [...allowedOrigins, hostUrl] });
    return {
      demo,
      hostUrl,
      admin,
      async close() {
        host.closeAllConnections();
        await new Promise((done) => host.close(() => done(undefined)));
        await demo.close();
      },
    };
  } catch (error) {
    await demo.close();
    throw error;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.env.PORT ?? 8090);
  if (process.env.MENTEO_URL && process.env.MENTEO_API_KEY && process.env.MENTEO_EXTERNAL_ID) {
    await startHost({ port, menteoUrl: process.env.MENTEO_URL, apiKey: process.env.MENTEO_API_KEY, externalId: process.env.MENTEO_EXTERNAL_ID });
    console.log(`Host page  http://127.0.0.1:${port}/`);
  } else {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'menteo-example-'));
    const running = await startWithDemo({ dir, port });
    console.log(`Menteo     ${running.demo.menteoUrl}\nHost page  ${running.hostUrl}/   signed in as Sam (mentee)\nPress Ctrl+C to stop.`);
    for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => running.close().then(() => rmSync(dir, { recursive: true, force: true })).then(() => process.exit(0)));
  }
}
