// What a browser does between an emulated LMS and the tool, for tests that launch over real HTTP:
// free ports (the tool's public URL must be known before the server starts), the login redirect,
// the platform's auto-submitted form and the state cookie.
import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createPlatformEmulator, type EmulatedUser, type PlatformEmulator } from '@menteo/lti/emulator';
import type { IntegrationOptions } from '../../src/integrations/types.js';
import { startServer, type TestServer } from './server.js';

/** The LIS membership roles vocabulary. */
export const LIS = 'http://purl.imsglobal.org/vocab/lis/v2/membership#';
/** A learner of the emulated course. */
export const LEARNER: EmulatedUser = { sub: 'u-learner', name: 'Lea Learner', email: 'lea@school.test', roles: [`${LIS}Learner`] };
/** An instructor of the emulated course. */
export const INSTRUCTOR: EmulatedUser = { sub: 'u-teacher', name: 'Ian Instructor', roles: [`${LIS}Instructor`] };
/** The tool's registration at the emulated platform. */
export const CLIENT_ID = 'menteo-client';
export const DEPLOYMENT_ID = 'dep-1';

/** What the tool logged, for assertions on what an admin would read. */
export interface LoggedEvent {
  level: string;
  message: string;
  detail?: Record<string, unknown>;
}

/** The real server with integrations mounted, and an emulated LMS on its own port. */
export interface LtiWorld {
  server: TestServer;
  platform: PlatformEmulator;
  /** The server's public URL (LMSs and browsers reach the tool there). */
  publicUrl: string;
  logs: LoggedEvent[];
  close(): Promise<void>;
}

/**
 * Starts both. `intercept` sees every request the platform receives first (to record it, or to
 * answer in its place, e.g. a gradebook outage); returning undefined lets the emulator answer.
 */
export async function startLtiWorld(
  intercept?: (request: Request) => Promise<Response | undefined> | Response | undefined,
  options: { integrations?: Partial<IntegrationOptions>; host?: string } = {},
): Promise<LtiWorld> {
  const port = await freePort();
  // `host` lets a browser test reach the tool on another site than the LMS (localhost vs 127.0.0.1).
  const publicUrl = `http://${options.host ?? '127.0.0.1'}:${port}`;
  const logs: LoggedEvent[] = [];
  const server = await startServer({
    port,
    integrations: { publicUrl, widgetsScriptUrl: `${publicUrl}/widgets/menteo.js`, jwksRefetchCooldownMs: 0, logger: (event) => logs.push(event), ...options.integrations },
  });
  let served: ServedPlatform;
  try {
    served = await servePlatform(intercept);
  } catch (error) {
    await server.close();
    throw error;
  }
  return {
    server,
    platform: served.platform,
    publicUrl,
    logs,
    async close() {
      await served.close();
      await server.close();
    },
  };
}

/** An emulated LMS served on its own loopback port. */
export interface ServedPlatform {
  platform: PlatformEmulator;
  url: string;
  close(): Promise<void>;
}

/** Serves a fresh platform emulator (a second LMS has an issuer of its own). */
export async function servePlatform(intercept?: (request: Request) => Promise<Response | undefined> | Response | undefined): Promise<ServedPlatform> {
  const platform = await createPlatformEmulator();
  const platformPort = await freePort();
  const platformServer = serve({
    port: platformPort,
    hostname: '127.0.0.1',
    fetch: async (request: Request) => (await intercept?.(request)) ?? platform.app.fetch(request),
  });
  const url = `http://127.0.0.1:${platformPort}`;
  platform.setBaseUrl(url);
  return {
    platform,
    url,
    close: () => new Promise<void>((resolve) => {
      platformServer.close(() => resolve());
      // A browser that left a request open must not hold the test process.
      (platformServer as { closeAllConnections?: () => void }).closeAllConnections?.();
    }),
  };
}

/** A free loopback port. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** Hidden inputs of the first form of a page, and its action. */
export function readForm(html: string): { action: string; fields: Record<string, string> } {
  const decode = (s: string) => s.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n))).replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  const action = /<form[^>]*action="([^"]*)"/.exec(html)?.[1] ?? '';
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) fields[decode(m[1] ?? '')] = decode(m[2] ?? '');
  return { action: decode(action), fields };
}

/** Follows the login redirect to the platform and reads back its form post. */
export async function browserLogin(startUrl: string): Promise<{ idToken: string; state: string; cookie: string }> {
  const login = await fetch(startUrl, { redirect: 'manual' });
  assert.equal(login.status, 302, await login.clone().text());
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const auth = await fetch(login.headers.get('location') ?? '');
  const { fields } = readForm(await auth.text());
  assert.ok(fields['id_token'] && fields['state'], 'the platform answered with an id_token');
  return { idToken: fields['id_token'], state: fields['state'], cookie };
}

/** Posts the platform's form to the tool's launch endpoint. */
export function postLaunch(publicUrl: string, form: { idToken: string; state: string; cookie: string }): Promise<Response> {
  return fetch(`${publicUrl}/lti/launch`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: form.cookie },
    body: new URLSearchParams({ id_token: form.idToken, state: form.state }),
  });
}

/**
 * Waits until `probe` returns a value (not undefined), checking again after each short pause.
 * Bounded by a number of attempts, not by asserting on time: a slow machine only waits longer.
 */
export async function eventually<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, attempts = 400): Promise<T> {
  for (let i = 0; i < attempts; i += 1) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`gave up waiting for ${what}`);
}
