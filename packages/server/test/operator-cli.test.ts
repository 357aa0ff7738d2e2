// `menteo-server` as an operator runs it: the real bin in child processes, on a real SQLite file in
// an empty temporary folder, then the real server and the admin console in real Chromium.
// "init on an empty folder → running server → key → console sign-in" with no code (issue 10).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { chromium, type Browser, type BrowserServer } from 'playwright-core';
import { runCli } from '../src/cli/program.js';
import { freePort } from './support/lti.js';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');
const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];
const CDN_BUILD = fileURLToPath(new URL('../../elements/dist/cdn/menteo.js', import.meta.url));

interface Run { code: number | null; stdout: string; stderr: string }

/** The environment of an operator's shell: none of the test runner's Menteo settings. */
function operatorEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('MENTEO_') && name !== 'PORT') env[name] = value;
  return { ...env, ...extra };
}

/** Runs `menteo-server <args>` in `cwd` and waits for it to exit. */
function cli(cwd: string, env: NodeJS.ProcessEnv, args: readonly string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=source', '--import', TSX, MAIN, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Stops a child process by its own pid; SIGKILL when it has not ended after `graceMs`. */
async function stop(child: ChildProcess | undefined, graceMs = 10_000): Promise<void> {
  if (!child || child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const ended = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(child.pid, 'SIGTERM');
  let timer: ReturnType<typeof setTimeout> | undefined;
  const inTime = await Promise.race([ended.then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), graceMs)))]);
  clearTimeout(timer);
  if (!inTime) {
    try {
      process.kill(child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

const EMAIL = 'ada@acme.example';

describe('menteo-server operator command line', { timeout: 240_000 }, () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let publicUrl: string;
  let secret: string;
  let keyId: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'menteo-operator-'));
    const port = await freePort();
    publicUrl = `http://127.0.0.1:${port}`;
    env = operatorEnv({ PORT: String(port), MENTEO_PUBLIC_URL: publicUrl, MENTEO_RATE_LIMIT: 'off' });
  });

  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('init on an empty folder creates the database and prints the key once; a second init changes nothing', async () => {
    const run = await cli(dir, env, ['init', '--org', 'Acme', '--admin-email', EMAIL, '--admin-name', 'Ada Admin']);
    assert.equal(run.code, 0, run.stderr);
    assert.ok(existsSync(join(dir, '.menteo', 'menteo.db')), 'the database is at the default path in the folder');
    const secrets = run.stdout.match(/mk_[A-Za-z0-9_-]+/g) ?? [];
    assert.equal(secrets.length, 1, `exactly one secret printed: ${run.stdout}`);
    secret = secrets[0] ?? '';
    keyId = /key_[0-9A-Z]{26}/.exec(run.stdout)?.[0] ?? '';
    assert.ok(keyId, run.stdout);
    assert.doesNotMatch(run.stderr, /mk_/, 'the secret goes to stdout only');
    assert.match(run.stderr, /shown this once/);

    const again = await cli(dir, env, ['init', '--org', 'Other', '--admin-email', 'bob@acme.example']);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already initialised/);
    assert.doesNotMatch(again.stdout, /mk_/);
    const orgs = await cli(dir, env, ['org', 'list', '--json']);
    assert.equal(orgs.code, 0, orgs.stderr);
    assert.deepEqual((JSON.parse(orgs.stdout) as Array<{ name: string }>).map((o) => o.name), ['Acme']);
  });

  it('keys list shows the key and never a secret; keys create and revoke', async () => {
    const list = await cli(dir, env, ['keys', 'list']);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, new RegExp(keyId));
    assert.doesNotMatch(list.stdout, new RegExp(secret));
    const created = await cli(dir, env, ['keys', 'create', '--name', 'intranet backend', '--scope', 'people:read,rooms:read', '--json']);
    assert.equal(created.code, 0, created.stderr);
    const key = JSON.parse(created.stdout) as { id: string; secret: string; scopes: string[] };
    assert.deepEqual(key.scopes, ['people:read', 'rooms:read']);
    assert.equal((await cli(dir, env, ['keys', 'revoke', key.id])).code, 0);
    const revokedTwice = await cli(dir, env, ['keys', 'revoke', key.id]);
    assert.equal(revokedTwice.code, 1);
    assert.match(revokedTwice.stderr, /already revoked/);
    const listed = await cli(dir, env, ['keys', 'list', '--all', '--json']);
    assert.ok((JSON.parse(listed.stdout) as Array<{ id: string; revokedAt: string | null }>).find((k) => k.id === key.id)?.revokedAt);
  });

  it('origins add and remove', async () => {
    const added = await cli(dir, env, ['origins', 'add', 'https://Intranet.Acme.example', 'https://lms.acme.example:8443']);
    assert.equal(added.code, 0, added.stderr);
    assert.deepEqual(added.stdout.trim().split('\n'), ['https://intranet.acme.example', 'https://lms.acme.example:8443']);
    const removed = await cli(dir, env, ['origins', 'remove', 'https://lms.acme.example:8443']);
    assert.deepEqual(removed.stdout.trim().split('\n'), ['https://intranet.acme.example']);
    const bad = await cli(dir, env, ['origins', 'add', 'https://intranet.acme.example/path']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /is not an origin/);
  });

  it('bad input: a clear message on stderr, exit 2 for usage mistakes and 1 for failed work', async () => {
    const cases: Array<{ args: string[]; code: number; message: RegExp }> = [
      { args: ['frobnicate'], code: 2, message: /unknown command 'frobnicate'/ },
      { args: ['keys'], code: 2, message: /keys needs a command: create, list, revoke/ },
      { args: ['keys', 'revoke'], code: 2, message: /missing required argument 'keyId'/ },
      { args: ['keys', 'revoke', 'nope'], code: 2, message: /not a key id/ },
      { args: ['keys', 'create', '--name', 'x', '--scope', 'rooms:fly'], code: 2, message: /Unknown scope rooms:fly/ },
      { args: ['admin-link'], code: 2, message: /required option '--person <email or id>' not specified/ },
      { args: ['admin-link', '--person', 'not-an-email'], code: 2, message: /neither an email address nor a person id/ },
      { args: ['admin-link', '--person', EMAIL, '--minutes', '600'], code: 2, message: /--minutes must be a whole number of minutes from 1 to 60/ },
      { args: ['init', '--admin-email', 'ada@'], code: 2, message: /--admin-email: "ada@" is not an email address/ },
      { args: ['keys', 'list', '--bogus'], code: 2, message: /unknown option '--bogus'/ },
      { args: ['admin-link', '--person', 'nobody@acme.example'], code: 1, message: /No person nobody@acme.example/ },
      { args: ['keys', 'list', '--db', join(dir, 'missing.db')], code: 1, message: /No database at .*missing\.db/ },
    ];
    for (const c of cases) {
      const run = await cli(dir, env, c.args);
      assert.equal(run.code, c.code, `${c.args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, c.message, c.args.join(' '));
      assert.equal(run.stdout, '', `${c.args.join(' ')} prints nothing on stdout`);
    }
    assert.ok(!existsSync(join(dir, 'missing.db')), 'a mistyped --db creates no database');
  });

  it('--help on every command', async () => {
    const root = await cli(dir, env, ['--help']);
    assert.equal(root.code, 0, root.stderr);
    assert.match(root.stdout, /^Usage: menteo-server \[options\] \[command\]/);
    // The same program in this process: one child per command would take a second each.
    for (const args of [['init'], ['org'], ['org', 'create'], ['org', 'list'], ['keys'], ['keys', 'create'], ['keys', 'list'], ['keys', 'revoke'], ['origins'], ['origins', 'add'], ['origins', 'remove'], ['origins', 'list'], ['admin-link'], ['migrate'], ['backup'], ['serve']]) {
      let out = '';
      let err = '';
      const code = await runCli([...args, '--help'], { out: (t) => (out += t), err: (t) => (err += t), env: {} });
      assert.equal(code, 0, `${args.join(' ')} --help: ${err}`);
      assert.match(out, new RegExp(`^Usage: menteo-server ${args.join(' ')} `), args.join(' '));
    }
  });

  it('backup writes a copy that opens with integrity ok; migrate is idempotent', async () => {
    const target = join(dir, 'backup.db');
    const run = await cli(dir, env, ['backup', target]);
    assert.equal(run.code, 0, run.stderr);
    const copy = new SqliteDatabase(target, { readonly: true });
    try {
      assert.equal(copy.pragma('integrity_check', { simple: true }), 'ok');
      assert.deepEqual(copy.prepare('select name from organizations').all(), [{ name: 'Acme' }]);
    } finally {
      copy.close();
    }
    const again = await cli(dir, env, ['backup', target]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /exists; choose another file or add --force/);
    const migrated = await cli(dir, env, ['migrate']);
    assert.equal(migrated.code, 0, migrated.stderr);
  });

  describe('serve, the key, and the admin console in Chromium', { skip: !existsSync(CHROMIUM) && 'no Chromium at /usr/bin/chromium' }, () => {
    let server: ChildProcess | undefined;
    let browserServer: BrowserServer | undefined;
    let browser: Browser | undefined;
    let serverOutput = '';

    before(async () => {
      assert.ok(existsSync(CDN_BUILD), `the CDN build is missing at ${CDN_BUILD}: run \`npm run build\` (tsc -b, then rollup -c rollup.config.mjs) first`);
      // No command: the default is `serve`, as the bin behaved before it had commands.
      server = spawn(process.execPath, ['--conditions=source', '--import', TSX, MAIN], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
      server.stderr?.on('data', (d: Buffer) => (serverOutput += d.toString()));
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the server did not start: ${serverOutput}`)), 60_000);
        server?.stdout?.on('data', (d: Buffer) => {
          serverOutput += d.toString();
          if (serverOutput.includes('Admin console at')) {
            clearTimeout(timer);
            resolve();
          }
        });
        server?.once('exit', (code) => reject(new Error(`the server exited (${code}): ${serverOutput}`)));
      });
      browserServer = await chromium.launchServer({ executablePath: CHROMIUM, args: ARGS, headless: true, timeout: 60_000 });
      browser = await chromium.connect(browserServer.wsEndpoint());
    });

    after(async () => {
      await browser?.close().catch(() => undefined);
      const pid = browserServer?.process().pid;
      await Promise.race([browserServer?.close(), new Promise((resolve) => setTimeout(resolve, 15_000))]).catch(() => undefined);
      if (pid !== undefined) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
      await stop(server);
    });

    it('the key printed by init works against the running server', async () => {
      assert.match(serverOutput, new RegExp(`Admin console at ${publicUrl}/admin`));
      const me = await fetch(`${publicUrl}/v1/me`, { headers: { Authorization: `Bearer ${secret}` } });
      assert.equal(me.status, 200);
      assert.equal(((await me.json()) as { organization: { name: string } }).organization.name, 'Acme');
    });

    it('admin-link refuses a person who is not an organization admin', async () => {
      const created = await fetch(`${publicUrl}/v1/people`, {
        method: 'POST', headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ displayName: 'Max Member', email: 'max@acme.example' }),
      });
      assert.equal(created.status, 201);
      const run = await cli(dir, env, ['admin-link', '--person', 'max@acme.example']);
      assert.equal(run.code, 1);
      assert.match(run.stderr, /max@acme\.example is not an organization admin/);
      assert.equal(run.stdout, '', 'no link printed');
    });

    it('serve on a port in use says so and exits 1', async () => {
      const run = await cli(dir, env, ['serve', '--port', new URL(publicUrl).port]);
      assert.equal(run.code, 1);
      assert.match(run.stderr, /port \d+ is already in use/i);
    });

    it('serves /admin under a self-only CSP with no inline script', async () => {
      const page = await fetch(`${publicUrl}/admin`);
      assert.equal(page.status, 200);
      const csp = page.headers.get('content-security-policy') ?? '';
      assert.match(csp, /default-src 'self'/);
      assert.match(csp, /script-src 'self'(;|$)/);
      assert.doesNotMatch(csp, /unsafe/);
      assert.doesNotMatch(await page.text(), /<script(?![^>]*\bsrc=)[^>]*>/, 'every script is a file');
      assert.equal((await fetch(`${publicUrl}/admin/assets/menteo.js`)).status, 200);
      assert.equal((await fetch(`${publicUrl}/admin/assets/..%2F..%2Fpackage.json`)).status, 404);
    });

    it('admin-link signs the admin in once; the secret leaves the address bar; reusing the link fails clearly', async () => {
      assert.ok(browser);
      const link = await cli(dir, env, ['admin-link', '--person', EMAIL]);
      assert.equal(link.code, 0, link.stderr);
      const url = link.stdout.trim();
      assert.match(url, new RegExp(`^${publicUrl}/admin#secret=mcs_[A-Za-z0-9_-]+$`));

      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        const problems: string[] = [];
        page.on('console', (m) => {
          if (m.type() === 'error') problems.push(m.text());
        });
        page.on('pageerror', (e) => problems.push(e.message));
        await page.goto(url);
        const status = page.locator('#menteo-admin-status');
        await page.waitForFunction(() => document.getElementById('menteo-admin-status')?.dataset.kind !== undefined, undefined, { timeout: 30_000 });
        assert.equal(await status.textContent(), 'Signed in as Ada Admin (ada@acme.example) · Acme', problems.join(' | '));
        assert.equal(page.url(), `${publicUrl}/admin`, 'the link secret is gone from the address bar');
        assert.equal(await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie), '{}{}', 'nothing in storage');
        assert.equal(await page.locator('menteo-provider').count(), 1);
        // The console (another element) or, until it exists in this build, the placeholder saying what it will hold.
        assert.equal(await page.locator('menteo-provider > menteo-admin-console, menteo-provider > section.placeholder').count(), 1);
        assert.deepEqual(problems.filter((p) => /Content Security Policy|Refused/i.test(p)), [], 'no CSP violation');

        const reused = await context.newPage();
        await reused.goto(url);
        await reused.waitForFunction(() => document.getElementById('menteo-admin-status')?.dataset.kind !== undefined, undefined, { timeout: 30_000 });
        assert.equal(await reused.locator('#menteo-admin-status').getAttribute('data-kind'), 'error');
        assert.match(await reused.locator('#menteo-admin-status').textContent() ?? '', /already been used or has expired.*menteo-server admin-link/);
        assert.equal(reused.url(), `${publicUrl}/admin`);
      } finally {
        await context.close();
      }
    });

    it('without a link the page says how to get one', async () => {
      assert.ok(browser);
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        await page.goto(`${publicUrl}/admin`);
        await page.waitForFunction(() => document.getElementById('menteo-admin-status')?.dataset.kind !== undefined, undefined, { timeout: 30_000 });
        assert.match(await page.locator('#menteo-admin-status').textContent() ?? '', /Open this page with a sign-in link.*admin-link/);
      } finally {
        await context.close();
      }
    });
  });
});
