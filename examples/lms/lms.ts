#!/usr/bin/env -S node --import tsx
// Menteo launched from a course, in one command (`npm start`): the reference server with its LTI
// 1.3 tool, the in-repo LMS platform emulator (`@menteo/lti/emulator`) on another site, the
// widgets' CDN build on a third origin, the platform registered with Menteo and the tool with the
// platform, and a course whose mentoring room has a mentor and a first message.
//
// Open the course URL it prints: every visit is a fresh launch of the learner (or, with
// `?as=instructor`, the instructor) into the course's room, framed by the LMS page.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { createClient, createTransport, integrationsApi, type MenteoClient } from '@menteo/client';
import { createOrganization } from '@menteo/server';
import { startNodeServer } from '@menteo/server/node';
import { createPlatformEmulator, type EmulatedUser } from '@menteo/lti/emulator';

const CDN_DIR = fileURLToPath(new URL('../../packages/elements/dist/cdn/', import.meta.url));
const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.map': 'application/json' };
const LIS = 'http://purl.imsglobal.org/vocab/lis/v2/membership#';
/** The course's people as the LMS knows them. */
export const LEARNER: EmulatedUser = { sub: 'u-learner', name: 'Lea Learner', email: 'lea@school.test', roles: [`${LIS}Learner`] };
export const INSTRUCTOR: EmulatedUser = { sub: 'u-teacher', name: 'Ian Instructor', email: 'ian@school.test', roles: [`${LIS}Instructor`] };
const CLIENT_ID = 'menteo-example';
const DEPLOYMENT_ID = 'dep-example';
export const COURSE_ROOM_TITLE = 'Course circle: Intro to data science';
export const WELCOME = 'Welcome to the course circle, everyone.';

/** A free loopback port (the tool's public URL must be known before the server starts). */
async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

type Served = { close(): Promise<void> };

/** Serves `fetch` on a loopback port; `close()` also drops connections a browser left open. */
function serveOn(port: number, fetch: (request: Request) => Response | Promise<Response>): Served {
  const server = serve({ port, hostname: '127.0.0.1', fetch });
  return {
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
    }),
  };
}

/** What `startLms` started. */
export interface RunningLms {
  /** The LMS course page: each visit launches the learner (`?as=instructor`: the instructor) into the room. */
  courseUrl: string;
  /** Menteo's API, where the tool also lives (`/lti`). */
  menteoUrl: string;
  /** An admin client of the organization (the secret API key: server side only). */
  admin: MenteoClient;
  roomId: string;
  mentorId: string;
  close(): Promise<void>;
}

/** Starts everything; `port` is the course page's (0: a free one). */
export async function startLms({ port = 0 }: { port?: number } = {}): Promise<RunningLms> {
  if (!existsSync(join(CDN_DIR, 'menteo.js'))) throw new Error(`The CDN build is missing at ${CDN_DIR}menteo.js: run \`npm run build\` at the repository root first.`);
  const dir = mkdtempSync(join(tmpdir(), 'menteo-lms-'));
  const stops: (() => Promise<void>)[] = [async () => rmSync(dir, { recursive: true, force: true })];
  const close = async () => {
    for (const stop of stops.reverse()) await stop();
  };
  try {
    // The widgets from a CDN-like origin of their own: any page may load them (CORS), nothing else.
    const cdnPort = await freePort();
    const cdn = serveOn(cdnPort, (request) => {
      const path = normalize(join(CDN_DIR, decodeURIComponent(new URL(request.url).pathname)));
      if (!path.startsWith(CDN_DIR.endsWith(sep) ? CDN_DIR : CDN_DIR + sep) || !existsSync(path)) return new Response('not found', { status: 404 });
      return new Response(readFileSync(path), { headers: { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream', 'access-control-allow-origin': '*' } });
    });
    stops.push(cdn.close);

    // Menteo on localhost, the LMS on 127.0.0.1: two sites, as in production.
    const menteoPort = await freePort();
    const menteoUrl = `http://localhost:${menteoPort}`;
    const server = await startNodeServer({
      port: menteoPort,
      dbPath: join(dir, 'menteo.db'),
      hostname: '127.0.0.1',
      integrations: { publicUrl: menteoUrl, widgetsScriptUrl: `http://127.0.0.1:${cdnPort}/menteo.js` },
    });
    stops.push(() => server.close());
    const { apiKey } = await createOrganization(server.db, { name: 'Riverside College', keyName: 'LMS example' });
    // The server's own calls go over IPv4 loopback (Node may try ::1 for localhost).
    const adminOptions = { baseUrl: `http://127.0.0.1:${menteoPort}`, apiKey: apiKey.secret };
    const admin = createClient(adminOptions);
    // The integrations' admin API is its own namespace over the same transport.
    const integrations = integrationsApi(createTransport(adminOptions));

    const platform = await createPlatformEmulator();
    const lmsPort = port || (await freePort());
    const lmsUrl = `http://127.0.0.1:${lmsPort}`;
    platform.setBaseUrl(lmsUrl);

    // The course: a mentoring room with a mentor who already said hello.
    const mentor = await admin.people.create({ displayName: 'Mia Mentor', roles: ['mentor'] });
    const room = await admin.rooms.create({ title: COURSE_ROOM_TITLE, purpose: 'Mentoring inside the course', members: [{ personId: mentor.id, role: 'mentor' }] });
    await admin.rooms.messages.create(room.id, { body: WELCOME }, { actAs: mentor.id });

    // The LMS page: `/` starts a fresh launch (a launch is single use) and shows the course framing the tool.
    const lms = serveOn(lmsPort, (request) => {
      const url = new URL(request.url);
      if (url.pathname === '/') {
        const user = url.searchParams.get('as') === 'instructor' ? INSTRUCTOR : LEARNER;
        const start = platform.startLaunch({ user, contextId: 'course-ds101', custom: { menteo_room_id: room.id } }, { clientId: CLIENT_ID });
        return Response.redirect(`${lmsUrl}/course/${encodeURIComponent(start)}`, 302);
      }
      return platform.app.fetch(request);
    });
    stops.push(lms.close);

    // What an LMS admin and a Menteo admin do once: register each side with the other.
    await integrations.lti.registerPlatform({ issuer: platform.issuer, clientId: CLIENT_ID, deploymentIds: [DEPLOYMENT_ID], authLoginUrl: platform.urls.auth, authTokenUrl: platform.urls.token, jwksUrl: platform.urls.jwks });
    const config = await integrations.lti.config();
    platform.addTool({ clientId: CLIENT_ID, deploymentId: DEPLOYMENT_ID, loginUrl: config.loginUrl, launchUrl: config.launchUrl, jwksUrl: config.jwksUrl.replace('localhost', '127.0.0.1') });

    return { courseUrl: `${lmsUrl}/`, menteoUrl, admin, roomId: room.id, mentorId: mentor.id, close };
  } catch (error) {
    await close();
    throw error;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const running = await startLms({ port: Number(process.env.PORT ?? 8095) });
  console.log(`Menteo (LTI tool)  ${running.menteoUrl}/lti
Course (learner)    ${running.courseUrl}
Course (instructor) ${running.courseUrl}?as=instructor
Press Ctrl+C to stop.`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void running.close().then(() => process.exit(0)));
}
