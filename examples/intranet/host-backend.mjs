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
import { SCOPES } from '@menteo/api/scopes';
import { createClient, createEmbedSession } from '@menteo/client';

const here = fileURLToPath(new URL('.', import.meta.url));
const bundleDir = join(here, '../../packages/elements/dist/cdn');

/** Rooms on the wall page: with a room, a roadmap and a feed each, 18 widgets. */
const WALL_ROOMS = 6;

const MENTEE_INTRO =
  'Your mentorship room, your 90-day roadmap and what colleagues are learning, right here on the intranet. Open this page in a second tab as someone else to see posts arrive live.';
const MENTOR_INTRO =
  'The people you mentor first: what needs your attention and why, questions waiting for an answer, overdue action items. Below, one of your rooms with its roadmap and posts.';

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
  const menteo = createClient({ baseUrl: menteoUrl, apiKey: demo.apiKey });
  const personIds = new Map();

  /** The Menteo person id of an intranet user (looked up once by their HR id). */
  async function personIdOf(person) {
    let id = personIds.get(person.key);
    if (id === undefined) {
      id = (await menteo.people.list({ externalId: person.externalId, limit: 1 })).items[0]?.id;
      if (id !== undefined) personIds.set(person.key, id);
    }
    return id;
  }

  /** The wall: every active room of `person` (up to six), each with its roadmap and its posts. */
  async function wallSections(person) {
    const personId = await personIdOf(person);
    if (personId === undefined) return '<p>You are not in any mentorship room yet.</p>';
    const rooms = (await menteo.rooms.list({ memberId: personId, status: 'active', limit: WALL_ROOMS })).items;
    if (rooms.length === 0) return '<p>You are not in any mentorship room yet.</p>';
    return rooms
      .map((room, i) => {
        const id = escapeHtml(room.id);
        const roadmap = room.roadmapId ? `roadmap-id="${escapeHtml(room.roadmapId)}"` : `room-id="${id}"`;
        return `<section class="wall-room" data-room-id="${id}" aria-labelledby="wall-${i}">
          <h2 id="wall-${i}">${escapeHtml(room.title)}</h2>
          <div class="columns">
            <section class="column" aria-label="Room: ${escapeHtml(room.title)}"><menteo-room room-id="${id}"></menteo-room></section>
            <section class="column" aria-label="Roadmap: ${escapeHtml(room.title)}"><menteo-roadmap ${roadmap}></menteo-roadmap></section>
            <section class="column" aria-label="Posts: ${escapeHtml(room.title)}"><menteo-thread-feed room-id="${id}" label="Posts in ${escapeHtml(room.title)}"></menteo-thread-feed></section>
          </div>
        </section>`;
      })
      .join('\n');
  }

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

      if (url.pathname === '/console') {
        // The program console, for the organization's admin (Amara in the demo). A real intranet
        // would check that its signed-in user is an admin; the backend then mints a single-use,
        // short-lived sign-in with the admin scopes and sends the browser to Menteo's /admin page.
        // The secret travels in the fragment, which browsers never send to a server.
        const admin = demo.people.find((p) => p.key === demo.adminPerson) ?? byKey.get('amara');
        if (!admin) {
          res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('The demo has no program admin.');
          return;
        }
        const session = await createEmbedSession({ baseUrl: menteoUrl, apiKey: demo.apiKey }, { externalId: admin.externalId, scopes: [...SCOPES], ttlSeconds: 120 });
        res.writeHead(303, { location: `${menteoUrl}/admin#secret=${encodeURIComponent(session.clientSecret)}`, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' }).end();
        return;
      }

      if (url.pathname === '/' || url.pathname === '/wall') {
        const person = byKey.get(url.searchParams.get('as') ?? defaultKey) ?? byKey.get(defaultKey);
        const wall = url.pathname === '/wall';
        const mentor = person.role === 'mentor';
        const sections = wall ? await wallSections(person) : '';
        const html = (await readFile(join(here, wall ? 'public/wall.html' : 'public/index.html'), 'utf8'))
          .replaceAll('{{MENTEO_URL}}', escapeHtml(menteoUrl))
          .replaceAll('{{PERSON_KEY}}', escapeHtml(person.key))
          .replaceAll('{{ROOM_ID}}', escapeHtml(person.roomId ?? ''))
          .replaceAll('{{ROADMAP_ID}}', escapeHtml(person.roadmapId ?? ''))
          .replaceAll('{{INTRO}}', mentor ? MENTOR_INTRO : MENTEE_INTRO)
          .replaceAll('{{ROOM_HEADING}}', mentor ? 'A room you mentor in' : 'My mentorship room')
          .replaceAll('{{ROADMAP_HEADING}}', mentor ? 'Its roadmap' : 'My roadmap')
          // A mentor's page starts with their mentees: what needs attention, in every room.
          .replaceAll(
            '{{MENTOR_OVERVIEW}}',
            mentor
              ? '<section class="overview column" aria-labelledby="overview-heading"><h2 id="overview-heading">What needs you</h2><menteo-mentor-overview heading="Your mentees"></menteo-mentor-overview></section>'
              : '',
          )
          .replaceAll(
            '{{PEOPLE_OPTIONS}}',
            demo.people
              .filter((p) => p.roomId)
              .map((p) => `<option value="${escapeHtml(p.key)}"${p.key === person.key ? ' selected' : ''}>${escapeHtml(p.displayName)} (${escapeHtml(p.role)})</option>`)
              .join(''),
          )
          // Last, and with a function: room titles are data, never read as placeholders or `$&` patterns.
          .replace('{{ROOMS}}', () => sections);
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
