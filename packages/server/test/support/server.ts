// Starts the real server (Node listener, a fresh store: an SQLite file in a temp dir, or a
// PostgreSQL database of its own under MENTEO_TEST_STORE=postgres, see ./store.ts) and talks to
// it over HTTP with fetch; every response is validated against the server's own OpenAPI document.
import type { Kysely } from 'kysely';
import { createOrganization, type AppOptions, type Database } from '../../src/index.js';
import { startNodeServer, type NodeServer } from '../../src/node.js';
import { OpenApiValidator } from './openapi.js';
import { createTestStore } from './store.js';

/** One HTTP exchange. */
export interface Reply<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** Options of one request. */
export interface Req {
  body?: unknown;
  /** Raw body (sent as is, for bad-input tests). */
  raw?: BodyInit;
  /** Bearer secret; `null` for none. */
  auth?: string | null;
  actAs?: string;
  headers?: Record<string, string>;
}

/** A running test server with one organization. */
export interface TestServer {
  url: string;
  db: Kysely<Database>;
  node: NodeServer;
  validator: OpenApiValidator;
  orgId: string;
  apiKey: string;
  /** Sends a request and validates the response against the OpenAPI document. */
  call<T = unknown>(method: string, path: string, req?: Req): Promise<Reply<T>>;
  close(): Promise<void>;
}

/** Starts a server; rate limits are off unless the options set them. */
export async function startServer(options: Partial<Omit<AppOptions, 'db' | 'clientIp'>> & { port?: number } = {}): Promise<TestServer> {
  const testStore = await createTestStore();
  const errors: unknown[] = [];
  let node: Awaited<ReturnType<typeof startNodeServer>>;
  try {
    node = await startNodeServer({
      port: 0, hostname: '127.0.0.1', store: testStore.store, rateLimit: false, ipRateLimit: false, heartbeatMs: 200,
      onError: (error) => errors.push(error),
      ...options,
    });
  } catch (error) {
    await testStore.remove();
    throw error;
  }
  const { organization, apiKey } = await createOrganization(node.db, { name: 'Acme', allowedOrigins: ['https://intranet.acme.test'] });
  const doc = (await (await fetch(`${node.url}/v1/openapi.json`)).json()) as Record<string, unknown>;
  const validator = new OpenApiValidator(doc);
  const server: TestServer = {
    url: node.url,
    db: node.db,
    node,
    validator,
    orgId: organization.id,
    apiKey: apiKey.secret,
    async call<T>(method: string, path: string, req: Req = {}): Promise<Reply<T>> {
      const headers = new Headers(req.headers);
      const auth = req.auth === undefined ? apiKey.secret : req.auth;
      if (auth !== null) headers.set('authorization', `Bearer ${auth}`);
      if (req.actAs) headers.set('menteo-act-as', req.actAs);
      let body: BodyInit | undefined = req.raw;
      if (req.body !== undefined) {
        body = JSON.stringify(req.body);
        if (!headers.has('content-type')) headers.set('content-type', 'application/json');
      }
      const response = await fetch(`${node.url}${path}`, { method, headers, body });
      const text = await response.text();
      let parsed: unknown = text;
      const type = response.headers.get('content-type') ?? '';
      if (type.includes('json') && text !== '') parsed = JSON.parse(text);
      if (response.status >= 500) throw new Error(`${method} ${path} answered ${response.status}: ${text} ${errors.map(String).join('\n')}`);
      if (!response.headers.get('x-request-id')) throw new Error(`${method} ${path}: no X-Request-Id`);
      if (response.status >= 400) {
        const problem = parsed as { requestId?: string };
        if (problem.requestId !== response.headers.get('x-request-id')) throw new Error(`${method} ${path}: requestId differs from X-Request-Id`);
      }
      validator.response(method, new URL(path, node.url).pathname, response.status, response.headers.get('content-type'), text === '' ? undefined : parsed);
      return { status: response.status, headers: response.headers, body: parsed as T, text };
    },
    async close() {
      await node.close();
      await testStore.remove();
      if (errors.length > 0) throw new Error(`unexpected server errors: ${errors.map(String).join('\n')}`);
    },
  };
  return server;
}
