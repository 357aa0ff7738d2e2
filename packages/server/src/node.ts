/**
 * Node adapters: SQLite through better-sqlite3, and an HTTP listener for the app. Kept apart from
 * the app so browsers never load them.
 * @module
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { createApp, type AppOptions, type MenteoApp } from './app.js';
import { migrateToLatest } from './storage/migrations.js';
import { withStatementCache } from './storage/statement-cache.js';
import type { Database } from './storage/schema.js';

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
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
}

/** A running server. */
export interface NodeServer {
  readonly app: MenteoApp;
  readonly server: ServerType;
  /** The actual port (useful with port 0). */
  readonly port: number;
  readonly url: string;
  /** Stops accepting connections, ends open ones (event streams) and waits. */
  close(): Promise<void>;
}

/** Options of {@link listen}. */
export interface ListenOptions extends Omit<AppOptions, 'clientIp'> {
  /** Port; 0 picks a free one. */
  readonly port: number;
  /** Interface; `0.0.0.0` by default. */
  readonly hostname?: string;
}

/** Serves the app on a port with `@hono/node-server`; the client IP comes from the socket. */
export async function listen(options: ListenOptions): Promise<NodeServer> {
  const app = createApp({
    ...options,
    clientIp: (_request, env) => (env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress,
  });
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: options.port, hostname: options.hostname ?? '0.0.0.0' }, (info: AddressInfo) => {
      const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      resolve({
        app,
        server,
        port: info.port,
        url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${info.port}`,
        close: () => new Promise<void>((done) => {
          const s = server as ServerType & { closeAllConnections?: () => void };
          // Streams end cleanly (their readers see the end) before connections are cut.
          app.bus.close();
          server.close(() => done());
          s.closeAllConnections?.();
        }),
      });
    });
    server.once('error', reject);
  });
}

/** Opens the SQLite file, migrates it and serves: what `menteo-server` runs. */
export async function startNodeServer(options: { port: number; dbPath: string; hostname?: string } & Omit<AppOptions, 'db' | 'clientIp'>): Promise<NodeServer & { db: Kysely<Database> }> {
  const db = openSqlite(options.dbPath);
  await migrateToLatest(db);
  const running = await listen({ ...options, db });
  return {
    ...running,
    db,
    close: async () => {
      await running.close();
      await db.destroy();
    },
  };
}
