#!/usr/bin/env node
// Are the packages ready to publish? Checks what npm users would receive, not the workspace:
//
// - metadata: license, repository (with directory), homepage, bugs, engines, publishConfig,
//   a README and the Apache-2.0 LICENSE (the SPDX text) in every published package;
// - a release dry run in a throwaway copy: `changeset version` (private examples stay
//   unversioned; a first release lands at 0.1.0), then `pnpm pack` of every published package;
// - each packed tarball: no build caches or tests, no `workspace:` ranges, publint and
//   arethetypeswrong (ESM-only profile) with 0 errors;
// - the committed custom-elements.json is what the analyzer generates from the sources.
//
// Runs as a node:test file (`node --test scripts/check-packages.mjs`), so `npm test` counts it.
// Needs the built packages (`npm run build`): tarballs ship dist/.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { PNPM_VERSION } from './pnpm.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const bin = (name) => join(root, 'node_modules/.bin', name);
const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));

/** The version a package's first release must land at (packages still at 0.0.0 have never been released). */
const FIRST_RELEASE = '0.1.0';
const UNRELEASED = '0.0.0';

const rootPkg = readJson(join(root, 'package.json'));
const workspace = [
  ...readdirSync(join(root, 'packages')).map((d) => `packages/${d}`),
  ...readdirSync(join(root, 'examples')).map((d) => `examples/${d}`),
].filter((dir) => existsSync(join(root, dir, 'package.json')))
  .map((dir) => ({ dir, pkg: readJson(join(root, dir, 'package.json')) }));
const published = workspace.filter((p) => !p.pkg.private);
const privates = workspace.filter((p) => p.pkg.private);

/** The official Apache-2.0 text, as SPDX publishes it. */
const APACHE = require('spdx-license-list/full')['Apache-2.0'].licenseText.trim();

function run(command, args, options = {}) {
  const r = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...options.env } });
  if (r.error) throw r.error;
  return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

/** Lists a tarball's files (without the leading `package/`). */
function tarFiles(tarball) {
  const r = run('tar', ['-tzf', tarball]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.split('\n').filter(Boolean).map((f) => f.replace(/^package\//, ''));
}

function tarJson(tarball, file) {
  const r = run('tar', ['-xzOf', tarball, `package/${file}`]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
}

describe('package metadata', () => {
  it('the root LICENSE is the Apache-2.0 text', () => {
    assert.equal(rootPkg.license, 'Apache-2.0');
    assert.equal(readFileSync(join(root, 'LICENSE'), 'utf8').trim(), APACHE);
  });

  for (const { dir, pkg } of published) {
    it(`${pkg.name}: license, repository, homepage, bugs, engines, README and LICENSE`, () => {
      assert.equal(pkg.license, 'Apache-2.0');
      assert.deepEqual(pkg.repository, { ...rootPkg.repository, directory: dir });
      assert.match(pkg.homepage ?? '', /^https:\/\//);
      assert.deepEqual(pkg.bugs, rootPkg.bugs);
      assert.deepEqual(pkg.engines, rootPkg.engines);
      assert.equal(pkg.publishConfig?.access, 'public', 'scoped packages are private on npm unless published public');
      assert.ok(existsSync(join(root, dir, 'README.md')), 'README.md (the npm page)');
      assert.equal(readFileSync(join(root, dir, 'LICENSE'), 'utf8').trim(), APACHE);
      assert.ok(pkg.description, 'description');
    });
  }

  it('changesets leaves private packages unversioned', () => {
    const config = readJson(join(root, '.changeset/config.json'));
    assert.equal(config.privatePackages?.version, false);
    assert.equal(config.privatePackages?.tag, false);
    assert.ok(privates.length > 0);
  });
});

describe('release dry run: changeset version, pnpm pack, and the tarballs', () => {
  let dir;
  /** @type {Map<string, { before: string, after: string, tarball: string }>} */
  const released = new Map();

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'menteo-release-'));
    const copy = join(dir, 'repo');
    // The workspace as it would be released: manifests, changesets, sources and builds, without
    // installed dependencies (links to the real ones are enough for the tools).
    for (const f of ['package.json', 'pnpm-workspace.yaml', '.changeset']) cpSync(join(root, f), join(copy, f), { recursive: true });
    for (const { dir: d } of workspace) {
      cpSync(join(root, d), join(copy, d), { recursive: true, filter: (src) => !relative(join(root, d), src).split('/').includes('node_modules') });
    }
    symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'));
    // pnpm pack reads each workspace dependency's version from the package's node_modules.
    for (const { dir: d } of published) {
      mkdirSync(join(copy, d, 'node_modules/@menteo'), { recursive: true });
      for (const { dir: other, pkg } of published) symlinkSync(join(copy, other), join(copy, d, 'node_modules', pkg.name));
    }
    const version = run(process.execPath, [join(root, 'node_modules/@changesets/cli/bin.js'), 'version'], { cwd: copy });
    assert.equal(version.code, 0, version.stdout + version.stderr);
    const packs = join(dir, 'packs');
    const pack = run('npx', ['-y', `pnpm@${PNPM_VERSION}`, '-r', '--filter', './packages/*', 'pack', '--pack-destination', packs], { cwd: copy });
    assert.equal(pack.code, 0, pack.stdout + pack.stderr);
    for (const { dir: d, pkg } of published) {
      const after = readJson(join(copy, d, 'package.json')).version;
      const tarball = join(packs, `${pkg.name.replace(/^@/, '').replace('/', '-')}-${after}.tgz`);
      released.set(pkg.name, { before: pkg.version, after, tarball });
    }
    for (const { dir: d, pkg } of privates) {
      assert.equal(readJson(join(copy, d, 'package.json')).version, pkg.version, `${pkg.name} was versioned`);
      assert.ok(!existsSync(join(copy, d, 'CHANGELOG.md')), `${pkg.name} got a changelog`);
    }
  });

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a first release lands at 0.1.0; private examples are not versioned', () => {
    for (const [name, { before: from, after: to }] of released) {
      if (from === UNRELEASED) assert.equal(to, FIRST_RELEASE, `${name}: ${from} → ${to}`);
      console.log(`${name}: ${from} → ${to}`);
    }
  });

  for (const { pkg } of published) {
    describe(pkg.name, () => {
      const tarball = () => released.get(pkg.name).tarball;

      it('tarball: README, LICENSE, no build caches, tests or workspace ranges', () => {
        const files = tarFiles(tarball());
        for (const f of ['package.json', 'README.md', 'LICENSE']) assert.ok(files.includes(f), `missing ${f}`);
        assert.deepEqual(files.filter((f) => /tsbuildinfo$/.test(f)), [], 'build caches');
        assert.deepEqual(files.filter((f) => /\.(test|csp-test)\.[cm]?[jt]s$|(^|\/)test-support\//.test(f)), [], 'tests');
        const manifest = tarJson(tarball(), 'package.json');
        assert.equal(manifest.version, released.get(pkg.name).after);
        // Editors and tools find the manifest and web-types through these fields.
        for (const field of ['customElements', 'web-types']) {
          if (manifest[field]) assert.ok(files.includes(String(manifest[field]).replace(/^\.\//, '')), `${field} names ${manifest[field]}, not a file of the tarball`);
        }
        const ranges = Object.entries({ ...manifest.dependencies, ...manifest.peerDependencies, ...manifest.optionalDependencies })
          .filter(([, range]) => String(range).startsWith('workspace:'));
        assert.deepEqual(ranges, [], 'workspace: ranges left in the published manifest');
        console.log(`${pkg.name}@${manifest.version}: ${files.length} files`);
      });

      it('publint: 0 errors', async () => {
        const { publint } = await import('publint');
        const { formatMessage } = await import('publint/utils');
        const bytes = readFileSync(tarball());
        const { messages, pkg: manifest } = await publint({ pack: { tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) }, strict: false });
        const count = (type) => messages.filter((m) => m.type === type).length;
        console.log(`publint ${pkg.name}: ${count('error')} errors, ${count('warning')} warnings, ${count('suggestion')} suggestions`);
        for (const m of messages) console.log(`  ${m.type}: ${formatMessage(m, manifest)}`);
        assert.equal(count('error'), 0);
      });

      it('arethetypeswrong (ESM-only profile): 0 problems', () => {
        // Wildcard subpaths (`./*`) are not discovered: name every module they expose.
        const files = tarFiles(tarball());
        const extra = Object.entries(pkg.exports ?? {}).filter(([key, target]) => key.endsWith('/*') && typeof target === 'object')
          .flatMap(([key, target]) => {
            const [prefix, suffix] = String(target.types).replace(/^\.\//, '').split('*');
            return files.filter((f) => f.startsWith(prefix) && f.endsWith(suffix) && !f.slice(prefix.length).includes('/'))
              .map((f) => key.replace('*', f.slice(prefix.length, f.length - suffix.length)));
          })
          .filter((entry) => !entry.endsWith('/index'));
        const args = [tarball(), '--profile', 'esm-only', '--format', 'json'];
        if (extra.length) args.push('--include-entrypoints', ...extra);
        const r = run(bin('attw'), args);
        const report = JSON.parse(r.stdout);
        // The ESM-only profile ignores CommonJS resolutions (node10, node16 from require).
        const problems = Object.values(report.analysis?.problems ?? report.problems ?? {}).flat()
          .filter((p) => !['node10', 'node16-cjs'].includes(p.resolutionKind));
        const entrypoints = Object.keys(report.analysis?.entrypoints ?? {}).length;
        console.log(`attw ${pkg.name}: ${problems.length} problems in ${entrypoints} entrypoints (esm-only)`);
        for (const p of problems) console.log(`  ${p.kind} ${p.entrypoint ?? ''} ${p.resolutionKind ?? ''}`);
        assert.equal(problems.length, 0);
        assert.equal(r.code, 0, r.stderr);
      });
    });
  }
});

describe('custom-elements manifest', () => {
  it('the committed custom-elements.json is what the analyzer generates from the sources', () => {
    const elements = join(root, 'packages/elements');
    const out = mkdtempSync(join(tmpdir(), 'menteo-cem-'));
    try {
      // The package's own config, except that the analyzer must not touch package.json (with
      // `packagejson: true` it writes its output path into the `customElements` field) and writes
      // into the temp folder (it joins `outdir` to its working directory: a relative path).
      const config = join(out, 'cem.config.mjs');
      writeFileSync(config, [
        `import base from ${JSON.stringify(pathToFileURL(join(elements, 'custom-elements-manifest.config.mjs')).href)};`,
        `export default { ...base, packagejson: false, outdir: ${JSON.stringify(relative(elements, out))} };`,
        '',
      ].join('\n'));
      const before = readFileSync(join(elements, 'package.json'), 'utf8');
      const r = run(join(elements, 'node_modules/.bin/cem'), ['analyze', '--config', relative(elements, config)], { cwd: elements });
      assert.equal(readFileSync(join(elements, 'package.json'), 'utf8'), before, 'the analyzer changed package.json');
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const fresh = readJson(join(out, 'custom-elements.json'));
      // What is committed (the build regenerates the working copy, so compare with git's).
      const shown = run('git', ['show', 'HEAD:packages/elements/custom-elements.json'], { cwd: root });
      const committed = shown.code === 0 ? JSON.parse(shown.stdout) : readJson(join(elements, 'custom-elements.json'));
      // The analyzer lists modules in the order its glob finds them, which varies between runs.
      const byPath = (m) => ({ ...m, modules: [...m.modules].sort((a, b) => a.path.localeCompare(b.path)) });
      assert.deepEqual(byPath(committed), byPath(fresh), 'custom-elements.json is stale: run `npm run build` (or `pnpm --filter @menteo/elements run analyze`) and commit it');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
