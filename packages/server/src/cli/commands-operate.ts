/**
 * `admin-link`, `migrate`, `backup` and `serve`: running a server and looking after its database.
 * @module
 */
import { existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { SCOPES } from '@menteo/api/scopes';
import SqliteDatabase from 'better-sqlite3';
import type { Command } from 'commander';
import { nodeAdminAssets } from '../admin/assets-node.js';
import { ADMIN_PATH } from '../admin/page.js';
import { insertEmbedSession } from '../auth/embed-session.js';
import { watchRevokedKeys } from '../auth/revocation-watch.js';
import { serverConfigFromEnv } from '../env.js';
import { scheduleClusterJobs } from '../cluster/jobs.js';
import { describeStore, startNodeServer, storeFromEnv, type StoreConfig } from '../node.js';
import { databaseOf, databasePath, openExisting, resolveOrganization, storeName, withDatabase } from './database.js';
import { failure, usageError } from './errors.js';
import { parseMinutes, parsePersonRef, parsePublicUrl } from './input.js';
import type { CliIo } from './io.js';
import { findAdmin } from './people.js';

const DB_OPTION = ['--db <path>', 'SQLite file (default: $MENTEO_DB or .menteo/menteo.db; MENTEO_DATABASE_URL selects PostgreSQL instead)'] as const;

/** How long an admin link works when the operator names no lifetime. */
export const ADMIN_LINK_DEFAULT_MINUTES = 15;
/** The longest lifetime an admin link may have: it is a credential in a chat message or a terminal. */
export const ADMIN_LINK_MAX_MINUTES = 60;

/** The public URL as the server computes it (`MENTEO_PUBLIC_URL`, else localhost on `PORT`). */
function publicUrlOf(option: string | undefined, io: CliIo): string {
  if (option !== undefined) return parsePublicUrl(option, '--public-url');
  if (io.env.MENTEO_PUBLIC_URL) return parsePublicUrl(io.env.MENTEO_PUBLIC_URL, 'MENTEO_PUBLIC_URL');
  const port = io.env.PORT ?? '8787';
  if (!/^\d{1,5}$/.test(port)) throw usageError('PORT must be a port number.');
  return `http://localhost:${port}`;
}

/** Adds `admin-link`, `migrate`, `backup` and `serve`. */
export function addOperateCommands(program: Command, io: CliIo): void {
  program.command('admin-link')
    .description('Print a single-use, short-lived sign-in link to the admin console for an organization admin.')
    .requiredOption('--person <email or id>', 'the admin to sign in (email address or per_… id)')
    .option('--minutes <n>', `how long the link works, 1 to ${ADMIN_LINK_MAX_MINUTES}`, String(ADMIN_LINK_DEFAULT_MINUTES))
    .option('--public-url <url>', 'the URL browsers reach the server at (default: $MENTEO_PUBLIC_URL, else http://localhost:$PORT)')
    .option('--org <id or name>', 'the organization, when the email is in several')
    .option(...DB_OPTION)
    .option('--json', 'print the result as JSON')
    .addHelpText('after', '\nThe link works once: opening it signs the browser in and removes the secret from the address bar.\nThe console keeps the access token in memory only; reloading the page needs a new link.')
    .action(async (opts: { person: string; minutes: string; publicUrl?: string; org?: string; db?: string; json?: boolean }) => {
      const ref = parsePersonRef(opts.person, '--person');
      const minutes = parseMinutes(opts.minutes, '--minutes', ADMIN_LINK_MAX_MINUTES);
      const publicUrl = publicUrlOf(opts.publicUrl, io);
      const { person, minted } = await withDatabase(databaseOf(opts.db, io), async (db) => {
        const orgId = opts.org === undefined ? undefined : (await resolveOrganization(db, opts.org)).id;
        const person = await findAdmin(db, ref, orgId);
        // An embed session like any host's, with the admin scopes: the page exchanges it at POST /v1/tokens.
        const minted = await insertEmbedSession(db, { orgId: person.org_id, personId: person.id, scopes: SCOPES, ttlSeconds: minutes * 60 }, new Date().toISOString());
        return { person, minted };
      });
      // In the fragment: browsers never send it to the server, its logs or a Referer.
      const url = `${publicUrl}${ADMIN_PATH}#secret=${encodeURIComponent(minted.clientSecret)}`;
      if (opts.json) io.out(JSON.stringify({ url, personId: person.id, expiresAt: minted.expiresAt }, null, 2));
      else io.out(url);
      io.err(`Sign-in link for ${person.display_name}: works once, until ${minted.expiresAt}.`);
    });

  program.command('migrate')
    .description('Apply pending database migrations (serve also does this on start).')
    .option(...DB_OPTION)
    .action(async (opts: { db?: string }) => {
      const store = databaseOf(opts.db, io);
      await withDatabase(store, async () => undefined, openExisting);
      io.out(`${storeName(store)} is at the latest schema.`);
    });

  program.command('backup')
    .description('Copy the database to a file with SQLite\'s online backup (safe while the server runs).')
    .argument('<file>', 'where to write the copy')
    .option('--force', 'overwrite the file if it exists')
    .option(...DB_OPTION)
    .action(async (file: string, opts: { db?: string; force?: boolean }) => {
      if (databaseOf(opts.db, io).kind === 'postgres') {
        // PostgreSQL has its own online backup, which its operators already run.
        throw failure('backup copies an SQLite database; MENTEO_DATABASE_URL selects PostgreSQL: back it up with pg_dump (docs/self-hosting.md, "PostgreSQL").');
      }
      const path = databasePath(opts.db, io);
      const target = resolve(file);
      if (!existsSync(path)) throw failure(`No database at ${path}. Point --db (or MENTEO_DB) at it.`);
      if (target === path) throw usageError('The backup file must not be the database itself.');
      if (existsSync(target)) {
        if (!opts.force) throw failure(`${target} exists; choose another file or add --force.`);
        rmSync(target);
      }
      // Not read-only: a WAL database closed cleanly has no -shm file, which a read-only connection cannot create.
      const source = new SqliteDatabase(path, { fileMustExist: true });
      try {
        await source.backup(target);
      } catch (error) {
        throw failure(`Backup failed: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        source.close();
      }
      const copy = new SqliteDatabase(target, { readonly: true, fileMustExist: true });
      try {
        const check = copy.pragma('integrity_check', { simple: true });
        if (check !== 'ok') throw failure(`The copy at ${target} failed its integrity check: ${String(check)}`);
      } finally {
        copy.close();
      }
      io.out(target);
      io.err(`Backed up ${path} to ${target} (integrity ok).`);
    });

  program.command('serve')
    .description('Serve the API, the integrations and the admin console (the default command).')
    .option('--port <port>', 'HTTP port (default: $PORT or 8787)')
    .option(...DB_OPTION)
    .addHelpText('after', '\nEvery other setting is an environment variable: see the server README\'s configuration table.')
    .action(async (opts: { port?: string; db?: string }) => {
      if (opts.port !== undefined && !/^\d{1,5}$/.test(opts.port)) throw usageError('--port must be a port number.');
      const env = { ...io.env, ...(opts.port === undefined ? {} : { PORT: opts.port }), MENTEO_DB: databasePath(opts.db, io) };
      let config: ReturnType<typeof serverConfigFromEnv>;
      let store: StoreConfig;
      try {
        config = serverConfigFromEnv(env);
        // MENTEO_DATABASE_URL selects PostgreSQL (several instances may share it); else the SQLite file.
        store = storeFromEnv(io.env, opts.db === undefined ? undefined : databasePath(opts.db, io));
      } catch (error) {
        throw usageError(error instanceof Error ? error.message : String(error));
      }
      await serve(config, store.kind === 'sqlite' ? { kind: 'sqlite', path: config.dbPath } : store, io);
    });
}

/** Starts the server and its timers, and stops them on SIGINT/SIGTERM. */
async function serve(config: ReturnType<typeof serverConfigFromEnv>, store: StoreConfig, io: CliIo): Promise<void> {
  const { port, rateLimit, integrations, shutdownGraceMs, liveEventRetentionMs, trustProxy } = config;
  const running = await startNodeServer({
    port, store, ...(rateLimit === undefined ? {} : { rateLimit }), ...(integrations ? { integrations } : {}),
    ...(shutdownGraceMs === undefined ? {} : { shutdownGraceMs }), ...(trustProxy ? { trustProxy } : {}),
    adminPage: nodeAdminAssets(io.env.MENTEO_ADMIN_ASSETS),
  }).catch((error: unknown) => {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'EADDRINUSE') throw failure(`Port ${port} is already in use: stop what listens there, or choose another with --port (or PORT).`);
    if (code === 'EACCES') throw failure(`Port ${port} needs privileges this user lacks: choose another with --port (or PORT).`);
    throw error;
  });
  io.out(`Menteo server on ${running.url} (${describeStore(store)})`);
  // Timers live here, in the long-running process, never in createApp (browsers, tests). Each job
  // runs on one instance per period however many share the database (a lease: src/cluster/jobs.ts).
  const stopJobs = scheduleClusterJobs({
    db: running.db, retention: { liveEventsMaxAgeMs: liveEventRetentionMs }, ...(integrations ? { integrations: running.app.integrations } : {}),
  });
  // `keys revoke` from another process: the key's open live streams end too (issue 7).
  const stopRevokedKeys = watchRevokedKeys(running.db, (credentialId) => running.app.bus.hub.accessChanged({ kind: 'credential_revoked', credentialId }));
  if (integrations) io.out(`LTI tool at ${integrations.publicUrl}/lti, SCIM at ${integrations.publicUrl}/scim/v2`);
  io.out(`Admin console at ${integrations?.publicUrl ?? running.url}${ADMIN_PATH} (sign in with \`menteo-server admin-link --person <email>\`)`);

  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      // A second signal means "now": committed writes are safe in SQLite's WAL either way.
      if (stopping) process.exit(1);
      stopping = true;
      stopRevokedKeys();
      io.out(`${signal}: no new connections; finishing in-flight requests`);
      // The leases go first (another instance takes the jobs over at once), then the listener.
      void stopJobs().then(() => running.close()).then(() => process.exit(0));
    });
  }
}
