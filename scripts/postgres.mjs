#!/usr/bin/env node
// A PostgreSQL server for the test suites that run on both stores.
//
// - `MENTEO_TEST_DATABASE_URL` set: that server is used as it is (its URL must let the tests
//   CREATE DATABASE; each test server gets a database of its own, dropped after).
// - Otherwise a throwaway cluster: Debian's PostgreSQL binaries (installed with apt-get when
//   missing, the way scripts/setup.mjs installs Chromium), `initdb` in a temporary directory,
//   started on a free loopback port with durability off (a test cluster has nothing to keep), and
//   stopped and deleted at the end. initdb refuses to run as root, so as root the cluster belongs
//   to the `postgres` user that Debian's package creates.
//
// Usage:
//   node scripts/postgres.mjs run -- <command …>     runs the command with MENTEO_TEST_DATABASE_URL
//                                                     and MENTEO_TEST_STORE=postgres set, then stops
//                                                     the cluster it started (if any)
//   node scripts/postgres.mjs passes -- <command …>  a package's `npm test`: the command with the
//                                                     package's test/*.test.ts on SQLite, then on
//                                                     PostgreSQL with the files that start a server
//                                                     on the store under test (see storeFiles)
//   node scripts/postgres.mjs install                only makes sure the binaries are there
// From code: `const pg = await startTestPostgres(); … await pg.stop();`
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

function run(cmd, args, options = {}) {
  return spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, ...options });
}

/** The directory of the newest installed PostgreSQL's binaries (Debian keeps them out of PATH). */
export function findPostgresBin() {
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian).filter((v) => existsSync(join(debian, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(debian, versions[0], 'bin');
  }
  const config = run('pg_config', ['--bindir']);
  const dir = config.status === 0 ? config.stdout.trim() : '';
  return dir && existsSync(join(dir, 'initdb')) ? dir : undefined;
}

/** Installs Debian's PostgreSQL when no binaries are found; returns their directory. */
export function ensurePostgresInstalled() {
  const found = findPostgresBin();
  if (found) return found;
  console.log('postgres: installing Debian PostgreSQL for the PostgreSQL test pass (about a minute)…');
  const apt = (args) => (isRoot ? run('apt-get', args, { stdio: 'inherit' }) : run('sudo', ['apt-get', ...args], { stdio: 'inherit' })).status === 0;
  const ok = apt(['update', '-qq']) && apt(['install', '-y', '-qq', 'postgresql']);
  const bin = findPostgresBin();
  if (!ok || !bin) throw new Error('postgres: could not install PostgreSQL; set MENTEO_TEST_DATABASE_URL to a server the tests may create databases on');
  return bin;
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Runs a PostgreSQL binary, as the `postgres` user when we are root. */
function asOwner(bin, args) {
  const r = isRoot ? run('runuser', ['-u', 'postgres', '--', bin, ...args]) : run(bin, args);
  if (r.status !== 0) throw new Error(`postgres: ${bin} ${args.join(' ')} failed (${r.status}):\n${r.stdout}${r.stderr}`);
  return r;
}

/**
 * A PostgreSQL server for tests: the one `MENTEO_TEST_DATABASE_URL` names, or a throwaway cluster.
 * `url` is an administrative connection URL (its database is only used to create others).
 */
export async function startTestPostgres() {
  const given = process.env.MENTEO_TEST_DATABASE_URL;
  if (given) return { url: given, started: false, stop: async () => undefined };
  const bin = ensurePostgresInstalled();
  const dir = mkdtempSync(join(tmpdir(), 'menteo-pg-'));
  const data = join(dir, 'data');
  const log = join(dir, 'postgres.log');
  if (isRoot) {
    // The cluster belongs to `postgres` (initdb refuses root); only this directory is handed over.
    run('chown', ['-R', 'postgres:', dir]);
    chmodSync(dir, 0o700);
  }
  asOwner(join(bin, 'initdb'), ['-D', data, '-U', 'menteo', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
  const port = await freePort();
  const options = [
    `-p ${port}`, '-c listen_addresses=127.0.0.1', `-k ${dir}`,
    // A throwaway cluster: nothing to keep across a crash, so no waiting on the disk.
    '-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off',
    // Suites run a few servers at once, each with its pool, plus the concurrency tests' clients.
    '-c max_connections=300',
  ].join(' ');
  asOwner(join(bin, 'pg_ctl'), ['-D', data, '-o', options, '-l', log, '-w', '-t', '60', 'start']);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    const r = isRoot
      ? run('runuser', ['-u', 'postgres', '--', join(bin, 'pg_ctl'), '-D', data, '-m', 'immediate', '-w', 'stop'])
      : run(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
    if (r.status !== 0) console.error(`postgres: stopping the test cluster failed:\n${r.stderr}${existsSync(log) ? readFileSync(log, 'utf8').slice(-2000) : ''}`);
    rmSync(dir, { recursive: true, force: true });
  };
  return { url: `postgres://menteo@127.0.0.1:${port}/postgres`, started: true, stop };
}

/** `run -- command…`: the command with a PostgreSQL server in its environment. */
async function runWith(command) {
  if (command.length === 0) throw new Error('usage: node scripts/postgres.mjs run -- <command …>');
  const pg = await startTestPostgres();
  const child = spawn(command[0], command.slice(1), {
    stdio: 'inherit',
    env: { ...process.env, MENTEO_TEST_DATABASE_URL: pg.url, MENTEO_TEST_STORE: 'postgres' },
  });
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  const code = await new Promise((resolve) => child.on('close', (c, signal) => resolve(c ?? (signal ? 1 : 0))));
  await pg.stop();
  return code;
}

/**
 * The test files of the PostgreSQL pass: those that start servers through the test support that
 * honours MENTEO_TEST_STORE. The others run on SQLite only, and say why where it is not obvious:
 * pure functions (no store), kill -9 and SIGTERM of a child process on an SQLite file, the
 * operator CLI on SQLite files (its PostgreSQL side is postgres-cli.test.ts).
 */
export function storeFiles(dir) {
  const marker = /\b(startServer|startLtiWorld|createTestStore|createPostgresDatabase)\(/;
  return readdirSync(dir).filter((f) => f.endsWith('.test.ts') && marker.test(readFileSync(join(dir, f), 'utf8'))).sort().map((f) => join(dir, f));
}

/** Runs one pass; resolves with its exit code. */
function pass(command, env) {
  return new Promise((resolve) => {
    const child = spawn(command[0], command.slice(1), { stdio: 'inherit', env: { ...process.env, ...env } });
    const forward = (signal) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('close', (c, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(c ?? (signal ? 1 : 0));
    });
  });
}

/** `passes -- command…`: the package's tests on SQLite, then on PostgreSQL; fails if either failed. */
async function passes(command) {
  if (command.length === 0) throw new Error('usage: node scripts/postgres.mjs passes -- <command …>');
  const all = readdirSync('test').filter((f) => f.endsWith('.test.ts')).sort().map((f) => join('test', f));
  const files = storeFiles('test');
  // One server for both passes: suites that always need PostgreSQL (several instances) use it too.
  const pg = await startTestPostgres();
  let sqlite = 1;
  let postgres = 1;
  try {
    let started = Date.now();
    console.log(`# store pass: sqlite (${all.length} files)`);
    sqlite = await pass([...command, ...all], { MENTEO_TEST_DATABASE_URL: pg.url, MENTEO_TEST_STORE: 'sqlite' });
    console.log(`# store pass: sqlite took ${((Date.now() - started) / 1000).toFixed(1)} s`);
    started = Date.now();
    console.log(`# store pass: postgres (${files.length} files: ${files.map((f) => f.replace(/^test\//, '')).join(' ')})`);
    postgres = await pass([...command, ...files], { MENTEO_TEST_DATABASE_URL: pg.url, MENTEO_TEST_STORE: 'postgres' });
    console.log(`# store pass: postgres took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await pg.stop();
  }
  return sqlite !== 0 ? sqlite : postgres;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [mode, ...rest] = process.argv.slice(2);
  if (mode === 'install') {
    console.log(`postgres: binaries in ${ensurePostgresInstalled()}`);
  } else if (mode === 'run') {
    process.exitCode = await runWith(rest[0] === '--' ? rest.slice(1) : rest);
  } else if (mode === 'passes') {
    process.exitCode = await passes(rest[0] === '--' ? rest.slice(1) : rest);
  } else {
    console.error('usage: node scripts/postgres.mjs run|passes -- <command …> | install');
    process.exitCode = 2;
  }
}
