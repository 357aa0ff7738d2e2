/**
 * Starts the emulated platform and the tool on 127.0.0.1, each on a free port, over real HTTP.
 */
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { Kysely } from 'kysely';
import { createPlatformEmulator, type PlatformEmulator } from '../../src/emulator/index.js';
import { createKyselyLtiStore, type LtiStore } from '../../src/store.js';
import { createLtiTool, type LtiTool } from '../../src/lti/tool.js';
import type { LtiToolOptions } from '../../src/lti/context.js';
import type { Placeable } from '../../src/ports.js';
import { createTestDb, createTestHost, type TestDatabase } from './db.js';

/** A server on a free loopback port whose handler can be set after listening. */
export async function listen(): Promise<{ url: string; setHandler(h: (r: Request) => Response | Promise<Response>): void; close(): Promise<void> }> {
  let handler: (r: Request) => Response | Promise<Response> = () => new Response('not ready', { status: 503 });
  let address: AddressInfo | undefined;
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: (r: Request) => handler(r), port: 0, hostname: '127.0.0.1' }, (info) => {
      address = info;
      resolve(s);
    });
  });
  if (!address) throw new Error('server did not start');
  return {
    url: `http://127.0.0.1:${address.port}`,
    setHandler(h) {
      handler = h;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // A browser that left a request hanging must not keep the test process waiting.
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}

/** Everything a flow test needs. */
export interface Setup {
  db: Kysely<TestDatabase>;
  store: LtiStore;
  platform: PlatformEmulator;
  platformUrl: string;
  tool: LtiTool;
  toolUrl: string;
  logs: { level: string; message: string; detail?: Record<string, unknown> }[];
  close(): Promise<void>;
}

export const ORG = 'org_test';
export const CLIENT_ID = 'client-1';
export const DEPLOYMENT_ID = 'dep-1';

/** Starts platform and tool, registers the tool with the platform and the platform with the tool. */
export async function setup(options: { placeables?: Placeable[]; register?: boolean; tool?: Partial<LtiToolOptions> } = {}): Promise<Setup> {
  const db = await createTestDb();
  const store = createKyselyLtiStore(db);
  const host = createTestHost(db, options.placeables);
  const platform = await createPlatformEmulator();
  const platformServer = await listen();
  platform.setBaseUrl(platformServer.url);
  platformServer.setHandler((r) => platform.app.fetch(r));
  const toolServer = await listen();
  const logs: Setup['logs'] = [];
  const toolBase = `${toolServer.url}/lti`;
  const tool = createLtiTool({
    store,
    host,
    baseUrl: toolBase,
    apiBaseUrl: 'http://127.0.0.1:1',
    widgetsScriptUrl: `${toolServer.url}/widgets.js`,
    jwksRefetchCooldownMs: 0,
    logger: (event) => logs.push(event),
    ...options.tool,
  });
  const { Hono } = await import('hono');
  const root = new Hono();
  root.route('/lti', tool.app);
  toolServer.setHandler((r) => root.fetch(r));
  if (options.register !== false) {
    platform.addTool({ clientId: CLIENT_ID, deploymentId: DEPLOYMENT_ID, loginUrl: `${toolBase}/login`, launchUrl: `${toolBase}/launch`, jwksUrl: `${toolBase}/.well-known/jwks.json` });
    await tool.registerPlatform({
      orgId: ORG, issuer: platform.issuer, clientId: CLIENT_ID, authLoginUrl: platform.urls.auth,
      authTokenUrl: platform.urls.token, jwksUrl: platform.urls.jwks, deploymentIds: [DEPLOYMENT_ID, 'dep-2'],
    });
  }
  return {
    db, store, platform, platformUrl: platformServer.url, tool, toolUrl: toolBase, logs,
    async close() {
      await toolServer.close();
      await platformServer.close();
      await db.destroy();
    },
  };
}

/** Reads the hidden inputs of the first form in an HTML page, and its action. */
export function readForm(html: string): { action: string; fields: Record<string, string> } {
  const decode = (s: string) => s.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n))).replace(/&amp;/g, '&');
  const action = /<form[^>]*action="([^"]*)"/.exec(html)?.[1] ?? '';
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) fields[decode(match[1] ?? '')] = decode(match[2] ?? '');
  return { action: decode(action), fields };
}

/** What a browser keeps between requests of one flow. */
export interface Browser {
  cookies: Map<string, string>;
}

/** A minimal browser: follows the login redirect, keeps cookies, submits the platform's form. */
export async function login(setup: Setup, startUrl: string, browser: Browser = { cookies: new Map() }): Promise<{ idToken: string; state: string; response: Response; browser: Browser }> {
  const response = await fetch(startUrl, { redirect: 'manual' });
  for (const cookie of response.headers.getSetCookie()) {
    const [pair] = cookie.split(';');
    const [name, value] = (pair ?? '').split('=');
    if (name && value !== undefined) browser.cookies.set(name, value);
  }
  const location = response.headers.get('location');
  if (!location) return { idToken: '', state: '', response, browser };
  const auth = await fetch(location);
  const { fields } = readForm(await auth.text());
  return { idToken: fields['id_token'] ?? '', state: fields['state'] ?? '', response, browser };
}

/** Posts a launch form to the tool as the browser would. */
export function postLaunch(setup: Setup, fields: Record<string, string>, browser?: Browser): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (browser && browser.cookies.size) headers['cookie'] = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  return fetch(`${setup.toolUrl}/launch`, { method: 'POST', headers, body: new URLSearchParams(fields) });
}
