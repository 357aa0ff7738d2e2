/**
 * Node adapters: the stores (SQLite through better-sqlite3, PostgreSQL through node-postgres) and
 * an HTTP listener for the app. Kept apart from the app so browsers never load them.
 * @module
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { serve, type ServerType } from '@hono/node-server';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { createApp, type AppOptions, type MenteoApp } from './app.js';
import { clientAddress, type TrustProxy } from './http/client-address.js';
import { problemBody, PROBLEM_TYPE } from './http/problem.js';
import { startPostgresBus } from './events/postgres-transport.js';
import { migrateToLatest } from './storage/migrations.js';
import { rememberConnection, withStatementCache } from './storage/statement-cache.js';
import type { Database } from './storage/schema.js';
import { DEFAULT_SQLITE_PATH, type StoreConfig } from './storage/store.js';

export { describeStore, storeFromEnv, type StoreConfig } from './storage/store.js';

/**
 * Opens (creating if needed) an SQLite database for Kysely: WAL for concurrent readers, foreign
 * keys on, a busy timeout so a second process waits instead of failing. `':memory:'` for tests.
 */
export function openSqlite(path: string): Kysely<Database> {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SqliteDatabase(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // WAL makes NORMAL safe against corruption; it only risks the last commits on power loss.
  sqlite.pragma('synchronous = NORMAL');
  return rememberConnection(new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) }), sqlite);
}

/** Options of {@link openPostgres}. */
export interface PostgresOptions {
  /** Connections in the pool; 10 by default (node-postgres' default). */
  readonly poolSize?: number;
}

/** PostgreSQL type ids the app reads as numbers (see {@link openPostgres}). */
const INT8 = 20;
const NUMERIC = 1700;

/**
 * Opens a pool on a PostgreSQL database for Kysely. `bigint` (counts, the events' identity ids)
 * and `numeric` (averages) come back as JS numbers, as SQLite returns them, rather than
 * node-postgres' default strings: every value the app reads is far below 2^53, and the API's
 * answers stay byte-identical across stores.
 */
export function openPostgres(url: string, options: PostgresOptions = {}): Kysely<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === INT8 || oid === NUMERIC) && format !== 'binary'
        ? (value: string) => Number(value)
        : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
    },
  });
  // A connection the server drops (a restart, a failover, pg_terminate_backend) must not crash the
  // process: node-postgres emits 'error' on a client whose backend goes away between queries, and
  // an 'error' event with no listener throws. The pool listens only while a client is idle (then
  // it replaces the client); while one is checked out (inside a transaction, between two of its
  // queries) nothing does, so every client gets a listener of its own. Such a client is no longer
  // queryable: its next query rejects (that request fails) and the pool discards it on release.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/** Opens the configured store (without migrating it). */
export function openStore(store: StoreConfig, options: PostgresOptions = {}): Kysely<Database> {
  return store.kind === 'postgres' ? openPostgres(store.url, options) : openSqlite(store.path);
}

/** A running server. */
export interface NodeServer {
  readonly app: MenteoApp;
  readonly server: ServerType;
  /** The actual port (useful with port 0). */
  readonly port: number;
  readonly url: string;
  /**
   * Shuts down gracefully: stops accepting connections, ends live streams, lets in-flight
   * requests finish (their connections close after the answer), closes idle keep-alive
   * connections, and after the grace period cuts whatever is left. Resolves when all are closed.
   */
  close(): Promise<void>;
}

/** How long in-flight requests may take to finish after `close()`, by default. */
export const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;

/** Options of {@link listen}. */
export interface ListenOptions extends Omit<AppOptions, 'clientIp'> {
  /** Port; 0 picks a free one. */
  readonly port: number;
  /** Interface; `0.0.0.0` by default. */
  readonly hostname?: string;
  /** How long `close()` lets in-flight requests finish before cutting them; 10 s by default. */
  readonly shutdownGraceMs?: number;
  /** Proxies whose `X-Forwarded-For` names the client (`MENTEO_TRUST_PROXY`); none by default. */
  readonly trustProxy?: TrustProxy;
}

/**
 * Serves the app on a port with `@hono/node-server`; the client IP comes from the socket, or from
 * `X-Forwarded-For` when the socket's peer is a trusted proxy (http/client-address.ts).
 */
export async function listen(options: ListenOptions): Promise<NodeServer> {
  const { trustProxy, ...appOptions } = options;
  const app = createApp({
    ...appOptions,
    clientIp: (request, env) => clientAddress(
      (env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress,
      request.headers.get('x-forwarded-for'),
      trustProxy,
    ),
  });
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: options.port, hostname: options.hostname ?? '0.0.0.0' }, (info: AddressInfo) => {
      const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      resolve({
        app,
        server,
        port: info.port,
        url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${info.port}`,
        close: () => drain.close(),
      });
    });
    const http = server as Server;
    answerParserErrors(http);
    const drain = gracefulClose(http, app, options.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS);
    server.once('error', reject);
  });
}

/**
 * Graceful shutdown of one listener. In-flight answers are sent with `Connection: close`, so each
 * connection closes right after its answer instead of being reset mid-request (what
 * `closeAllConnections()` did: 132 of 150 in-flight writes got ECONNRESET).
 */
function gracefulClose(server: Server, app: MenteoApp, graceMs: number): { close(): Promise<void> } {
  const inFlight = new Set<ServerResponse>();
  let closing: Promise<void> | undefined;
  server.on('request', (_request: IncomingMessage, response: ServerResponse) => {
    // A request that arrives on a kept-alive connection during the drain is served, then closes it.
    if (closing) response.shouldKeepAlive = false;
    inFlight.add(response);
    response.once('close', () => inFlight.delete(response));
  });
  return {
    close() {
      closing ??= new Promise<void>((done) => {
        for (const response of inFlight) if (!response.headersSent) response.shouldKeepAlive = false;
        // Streams end cleanly (their readers see the end) and their connections become idle.
        app.bus.close();
        // Node closes the idle connections here; busy ones close after their answer.
        server.close(() => {
          clearInterval(idleSweep);
          clearTimeout(deadline);
          done();
        });
        // A connection whose answer had already started keeps alive: close it once it is idle.
        const idleSweep = setInterval(() => server.closeIdleConnections(), 50);
        const deadline = setTimeout(() => server.closeAllConnections(), graceMs);
        idleSweep.unref();
        deadline.unref();
      });
      return closing;
    },
  };
}

/** What a refused request's problem names, by the code of Node's HTTP parser error. */
function parserRefusal(code: string | undefined): { field: string; detail: string } {
  switch (code) {
    case 'HPE_INVALID_CONTENT_LENGTH':
    case 'HPE_UNEXPECTED_CONTENT_LENGTH':
      return { field: 'Content-Length', detail: 'Content-Length must be one decimal number, sent once, and not with Transfer-Encoding.' };
    case 'HPE_INVALID_CHUNK_SIZE':
    case 'HPE_INVALID_TRANSFER_ENCODING':
    case 'HPE_STRICT':
      return { field: 'Transfer-Encoding', detail: 'The chunked body is malformed, or Transfer-Encoding is not valid.' };
    case 'HPE_INVALID_METHOD':
    case 'HPE_INVALID_URL':
    case 'HPE_INVALID_VERSION':
    case 'HPE_INVALID_CONSTANT':
      return { field: 'request-line', detail: 'The request line must be "<METHOD> <path> HTTP/1.1".' };
    case 'HPE_HEADER_OVERFLOW':
      return { field: 'headers', detail: 'The request headers are too large.' };
    default:
      return { field: 'headers', detail: 'The request could not be parsed as HTTP/1.1.' };
  }
}

/**
 * Answers requests that Node's HTTP parser refuses (a duplicate or non-numeric Content-Length, a
 * malformed chunk, a broken request line or header) with problem+json and a stable code instead
 * of Node's bare 400, then closes the connection: after a framing error, nothing more on it can
 * be trusted. Timeouts keep Node's 408 (the contract has no code for them), resets are dropped.
 */
function answerParserErrors(server: Server): void {
  server.on('clientError', (error: Error & { code?: string }, socket: Duplex & { _httpMessage?: ServerResponse | null }) => {
    // An answer already started on this connection cannot be followed by another one.
    const answering = socket._httpMessage?.headersSent === true;
    if (error.code === 'ECONNRESET' || !socket.writable || answering) {
      socket.destroy();
      return;
    }
    if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT' || error.code === 'HPE_HEADER_TIMEOUT') {
      socket.end('HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const requestId = crypto.randomUUID();
    const { field, detail } = parserRefusal(error.code);
    const body = JSON.stringify(problemBody('invalid_request', detail, requestId, { field }));
    socket.end([
      'HTTP/1.1 400 Bad Request',
      `Content-Type: ${PROBLEM_TYPE}`,
      `Content-Length: ${Buffer.byteLength(body)}`,
      `X-Request-Id: ${requestId}`,
      'Connection: close',
      '',
      body,
    ].join('\r\n'));
  });
}

/** Options of {@link startNodeServer}. */
export type NodeServerOptions = { port: number; hostname?: string; shutdownGraceMs?: number; trustProxy?: TrustProxy } & (
  /** The store (see `storeFromEnv`); an SQLite file at `dbPath` (default `.menteo/menteo.db`) when absent. */
  | { store: StoreConfig; dbPath?: undefined }
  | { dbPath?: string; store?: undefined }
) & Omit<AppOptions, 'db' | 'clientIp'>;

/** Opens the store, migrates it and serves: what `menteo-server` runs. */
export async function startNodeServer(options: NodeServerOptions): Promise<NodeServer & { db: Kysely<Database>; store: StoreConfig }> {
  const store: StoreConfig = options.store ?? { kind: 'sqlite', path: options.dbPath ?? DEFAULT_SQLITE_PATH };
  const db = openStore(store);
  try {
    await migrateToLatest(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  const { store: _store, dbPath: _dbPath, ...rest } = options;
  // Several instances on one PostgreSQL database: live events and access changes cross them (LISTEN/NOTIFY).
  const bus = rest.bus ?? (store.kind === 'postgres' ? await startPostgresBus({ db, connection: store.url }).catch(async (error: unknown) => {
    await db.destroy();
    throw error;
  }) : undefined);
  // GET /v1/health names the store it runs on.
  const running = await listen({ storage: store.kind, ...rest, db, ...(bus ? { bus } : {}) });
  return {
    ...running,
    db,
    store,
    close: async () => {
      await running.close();
      await db.destroy();
    },
  };
}

/** The admin console page's assets for a Node server: the installed `@menteo/elements` CDN build. */
export { findElementsBuild, nodeAdminAssets } from './admin/assets-node.js';
