// The operator command line on PostgreSQL: `MENTEO_DATABASE_URL` selects it for `init`,
// `migrate`, the other commands and `serve` (the real entry in a child process, answering over
// HTTP with the key `init` printed); `backup` refuses and points to pg_dump. The SQLite side of
// the same commands is operator-cli.test.ts. Runs in the PostgreSQL pass only (it needs a server).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../src/cli/program.js';
import type { CliIo } from '../src/cli/io.js';
import { freePort, startChild, type ChildServer } from './support/child-server.js';
import { createPostgresDatabase, TEST_STORE } from './support/store.js';

function io(env: Record<string, string>): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { out: (t) => stdout.push(t), err: (t) => stderr.push(t), env, stdout, stderr };
}

describe('menteo-server on PostgreSQL (MENTEO_DATABASE_URL)', { skip: TEST_STORE === 'postgres' ? false : 'needs the PostgreSQL pass (MENTEO_TEST_STORE=postgres)' }, () => {
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let env: Record<string, string>;
  let child: ChildServer | undefined;

  before(async () => {
    database = await createPostgresDatabase();
    env = { MENTEO_DATABASE_URL: database.url };
  });
  after(async () => {
    await child?.terminate();
    await database?.drop();
  });

  it('init creates the schema, the organization, its admin and a key; migrate and org list work; the password is never printed', async () => {
    const init = io(env);
    assert.equal(await runCli(['init', '--org', 'Pgco', '--admin-email', 'ada@pg.example', '--json'], init), 0, init.stderr.join('\n'));
    const created = JSON.parse(init.stdout.join('\n')) as { apiKey: { secret: string } };
    assert.match(created.apiKey.secret, /^mk_/);
    assert.match(init.stderr.join('\n'), /Initialised PostgreSQL: 127\.0\.0\.1:\d+\/menteo_t_/);

    const again = io(env);
    assert.equal(await runCli(['init', '--admin-email', 'bob@pg.example'], again), 1);
    assert.match(again.stderr.join('\n'), /already initialised/);

    const migrate = io(env);
    assert.equal(await runCli(['migrate'], migrate), 0, migrate.stderr.join('\n'));
    assert.match(migrate.stdout.join('\n'), /^PostgreSQL: .* is at the latest schema\.$/);

    const list = io(env);
    assert.equal(await runCli(['org', 'list', '--json'], list), 0, list.stderr.join('\n'));
    assert.deepEqual((JSON.parse(list.stdout.join('\n')) as Array<{ name: string; people: number; activeKeys: number }>).map((o) => [o.name, o.people, o.activeKeys]), [['Pgco', 1, 1]]);
    const url = new URL(database.url);
    if (url.password) for (const line of [...init.stderr, ...migrate.stdout, ...list.stdout]) assert.ok(!line.includes(url.password));
    (globalThis as { pgKey?: string }).pgKey = created.apiKey.secret;
  });

  it('backup refuses and names pg_dump; --db with MENTEO_DATABASE_URL is a usage error, not a guess', async () => {
    const backup = io(env);
    assert.notEqual(await runCli(['backup', '/tmp/never-written.db'], backup), 0);
    assert.match(backup.stderr.join('\n'), /pg_dump/);
    const both = io(env);
    assert.notEqual(await runCli(['org', 'list', '--db', '/tmp/other.db'], both), 0);
    assert.match(both.stderr.join('\n'), /MENTEO_DATABASE_URL/);
  });

  it('serve (the real entry, another process) answers with the key init printed', async () => {
    const key = (globalThis as { pgKey?: string }).pgKey;
    assert.ok(key, 'init ran first');
    child = await startChild('/nonexistent/not-used.db', await freePort(), env);
    assert.match(child.output(), /PostgreSQL: 127\.0\.0\.1:\d+\/menteo_t_/);
    const me = await fetch(`${child.url}/v1/me`, { headers: { authorization: `Bearer ${key}` } });
    assert.equal(me.status, 200, await me.clone().text());
    assert.equal(((await me.json()) as { organization: { name: string } }).organization.name, 'Pgco');
  });
});
