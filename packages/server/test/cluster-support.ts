// PostgreSQL and SQLite databases for the cluster suites (several instances on one database).
// PostgreSQL: the server MENTEO_TEST_DATABASE_URL names, else a throwaway cluster started by
// scripts/postgres.mjs (Debian's PostgreSQL, installed when missing); each suite gets a database of
// its own, dropped at the end.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { createOrganization } from '../src/auth/bootstrap.js';
import type { AppOptions } from '../src/app.js';
import { openPostgres, openSqlite, startNodeServer } from '../src/node.js';
import { migrateToLatest } from '../src/storage/migrations.js';
import type { Database } from '../src/storage/schema.js';
import { OpenApiValidator } from './support/openapi.js';

interface TestPostgres {
  url: string;
  started: boolean;
  stop(): Promise<void>;
}

let server: Promise<TestPostgres> | undefined;

/** The test PostgreSQL server (started once per process; stop it with {@link stopTestPostgres}). */
async function testPostgres(): Promise<TestPostgres> {
  server ??= (async () => {
    const { startTestPostgres } = (await import('../../../scripts/postgres.mjs')) as { startTestPostgres: () => Promise<TestPostgres> };
    return startTestPostgres();
  })();
  return server;
}

/** Stops the throwaway cluster, if this process started one. */
export async function stopTestPostgres(): Promise<void> {
  if (server) await (await server).stop();
  server = undefined;
}

/** A fresh, migrated PostgreSQL database: its URL, a Kysely over it, and how to drop it. */
export interface PgDatabase {
  readonly url: string;
  /** Opens another pool on the database (another "instance"). */
  open(max?: number): Kysely<Database>;
  drop(): Promise<void>;
}

/** Creates and migrates a database of its own on the test server. */
export async function freshPostgres(): Promise<PgDatabase> {
  const { url: adminUrl } = await testPostgres();
  const name = `menteo_cluster_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  admin.on('error', () => undefined);
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const target = new URL(adminUrl);
  target.pathname = `/${name}`;
  const url = target.toString();
  const opened: Kysely<Database>[] = [];
  const open = (max = 10) => {
    // openPostgres ignores errors of idle connections (a dropped database's, a restart's), as the server does.
    const db = openPostgres(url, { poolSize: max });
    opened.push(db);
    return db;
  };
  const first = open(2);
  await migrateToLatest(first);
  return {
    url,
    open,
    async drop() {
      await Promise.all(opened.map((db) => db.destroy().catch(() => undefined)));
      const client = new pg.Client({ connectionString: adminUrl });
      client.on('error', () => undefined);
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

/** A migrated SQLite file that several connections ("instances") can open. */
export async function freshSqliteFile(): Promise<{ path: string; open(): Kysely<Database>; drop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'menteo-cluster-'));
  const path = join(dir, 'menteo.db');
  const opened: Kysely<Database>[] = [];
  const open = () => {
    const db = openSqlite(path);
    opened.push(db);
    return db;
  };
  await migrateToLatest(open());
  return {
    path,
    open,
    async drop() {
      await Promise.all(opened.map((db) => db.destroy().catch(() => undefined)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One HTTP answer. */
export interface Answer<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/**
 * One instance of several on a PostgreSQL database: the real Node server (startNodeServer, so
 * its live events go through LISTEN/NOTIFY), with the organization and API key they share.
 * Shaped like test/support/server.ts's TestServer, so live-support's stream readers and the
 * world helpers work with it.
 */
export interface Instance {
  url: string;
  db: Kysely<Database>;
  node: Awaited<ReturnType<typeof startNodeServer>>;
  validator: OpenApiValidator;
  orgId: string;
  apiKey: string;
  call<T = unknown>(method: string, path: string, req?: { body?: unknown; auth?: string | null; headers?: Record<string, string> }): Promise<Answer<T> & { text: string }>;
  close(): Promise<void>;
}

/** Starts `count` instances on the database at `url`, with one organization they share. */
export async function startInstances(url: string, count: number, options: Partial<Omit<AppOptions, 'db' | 'clientIp'>> = {}): Promise<Instance[]> {
  const nodes = await Promise.all(Array.from({ length: count }, () => startNodeServer({
    port: 0, hostname: '127.0.0.1', store: { kind: 'postgres', url }, rateLimit: false, ipRateLimit: false, heartbeatMs: 200, ...options,
  })));
  const first = nodes[0];
  if (!first) throw new Error('no instance');
  const { organization, apiKey } = await createOrganization(first.db, { name: 'Acme', allowedOrigins: ['https://intranet.acme.test'] });
  const doc = (await (await fetch(`${first.url}/v1/openapi.json`)).json()) as Record<string, unknown>;
  const validator = new OpenApiValidator(doc);
  return nodes.map((node) => ({
    url: node.url,
    db: node.db,
    node,
    validator,
    orgId: organization.id,
    apiKey: apiKey.secret,
    async call<T>(method: string, path: string, req: { body?: unknown; auth?: string | null; headers?: Record<string, string> } = {}) {
      const headers = new Headers(req.headers);
      const auth = req.auth === undefined ? apiKey.secret : req.auth;
      if (auth !== null) headers.set('authorization', `Bearer ${auth}`);
      let body: string | undefined;
      if (req.body !== undefined) {
        body = JSON.stringify(req.body);
        headers.set('content-type', 'application/json');
      }
      const response = await fetch(`${node.url}${path}`, { method, headers, body });
      const text = await response.text();
      const parsed: unknown = (response.headers.get('content-type') ?? '').includes('json') && text !== '' ? JSON.parse(text) : text;
      if (response.status >= 500) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
      validator.response(method, new URL(path, node.url).pathname, response.status, response.headers.get('content-type'), text === '' ? undefined : parsed);
      return { status: response.status, headers: response.headers, body: parsed as T, text };
    },
    close: () => node.close(),
  }));
}
