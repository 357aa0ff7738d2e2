// The real `menteo-server` entry (src/main.ts) in a child process on an SQLite file, for the
// crash and shutdown suites: it can be SIGTERM'd, kill -9'd and restarted on the same file and
// port. The file is prepared in-process first (migrated, one organization and its API key).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { createOrganization } from '../../src/index.js';
import { migrateToLatest } from '../../src/storage/migrations.js';
import { openSqlite } from '../../src/node.js';

const serverDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A database file with one organization, and where it lives. */
export interface PreparedDatabase {
  readonly dir: string;
  readonly dbPath: string;
  readonly orgId: string;
  readonly apiKey: string;
  /** Deletes the directory. */
  remove(): void;
}

/** Creates a migrated SQLite file with one organization (allowing `origins`) and an API key. */
export async function prepareDatabase(origins: string[] = []): Promise<PreparedDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'menteo-child-'));
  const dbPath = join(dir, 'menteo.db');
  const db = openSqlite(dbPath);
  try {
    await migrateToLatest(db);
    const { organization, apiKey } = await createOrganization(db, { name: 'Crashco', allowedOrigins: origins });
    return { dir, dbPath, orgId: organization.id, apiKey: apiKey.secret, remove: () => rmSync(dir, { recursive: true, force: true }) };
  } finally {
    await db.destroy();
  }
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** One running child server. */
export interface ChildServer {
  readonly process: ChildProcess;
  readonly url: string;
  /** Everything the child wrote to stdout and stderr. */
  readonly output: () => string;
  /** Resolves with the exit code (or signal name) when the child has exited. */
  readonly exited: Promise<number | string>;
  /** kill -9. */
  kill9(): Promise<void>;
  /** SIGTERM, then waits for the exit. */
  terminate(): Promise<number | string>;
}

/** Starts src/main.ts on the file and port; resolves once it listens. */
export async function startChild(dbPath: string, port: number, env: Record<string, string> = {}): Promise<ChildServer> {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'src/main.ts'], {
    cwd: serverDir,
    env: { ...process.env, PORT: String(port), MENTEO_DB: dbPath, MENTEO_RATE_LIMIT: 'off', MENTEO_INTEGRATIONS: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the child server did not start in 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Menteo server on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the child server exited (${code}) before listening:\n${output}`));
    });
  });
  return {
    process: child,
    url: url.replace('0.0.0.0', '127.0.0.1').replace('localhost', '127.0.0.1'),
    output: () => output,
    exited,
    async kill9() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async terminate() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Runs `PRAGMA integrity_check` on the file; 'ok' when it is sound. */
export async function integrityCheck(dbPath: string): Promise<string> {
  const db = openSqlite(dbPath);
  try {
    const rows = (await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db)).rows;
    return rows.map((r) => r.integrity_check).join('; ');
  } finally {
    await db.destroy();
  }
}
