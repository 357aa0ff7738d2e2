// The framework typings, React wrappers and editor data in frameworks/ are generated from
// custom-elements.json by scripts/generate-frameworks.mjs: they must be what the manifest gives
// (nobody edits them by hand), cover every element, import in plain Node, and type-check.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const pkgDir = fileURLToPath(new URL('..', import.meta.url));
const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

interface Declaration {
  customElement?: boolean;
  tagName?: string;
  name: string;
}
const manifest = JSON.parse(read('custom-elements.json')) as { modules: { declarations?: Declaration[] }[] };
const elements = manifest.modules.flatMap((m) => m.declarations ?? []).filter((d) => d.customElement && d.tagName);

describe('frameworks/ generated from the manifest', () => {
  it('is what the manifest gives (run `npm run analyze` after changing an element)', () => {
    const r = spawnSync(process.execPath, ['scripts/generate-frameworks.mjs', '--check'], { cwd: pkgDir, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr || r.stdout);
  });

  // The build regenerates frameworks/ (elements' analyze), so after `npm run build` the check above
  // compares fresh files with fresh files. In CI the checkout is the commit: a difference from it
  // is a commit that forgot to include the regenerated files.
  it('is committed as generated (CI, after the build)', { skip: !process.env['CI'] && 'CI only' }, () => {
    const r = spawnSync('git', ['diff', '--stat', 'HEAD', '--', 'frameworks'], { cwd: pkgDir, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), '', `frameworks/ differs from the commit after the build: run \`npm run build\` and commit packages/elements/frameworks.\n${r.stdout}`);
  });

  it('covers every element in every format', () => {
    assert.ok(elements.length > 0);
    const jsxReact = read('frameworks/jsx-react.d.ts');
    const jsxPreact = read('frameworks/jsx-preact.d.ts');
    const vue = read('frameworks/vue.d.ts');
    const vscode = JSON.parse(read('frameworks/vscode.html-custom-data.json')) as { tags: { name: string }[] };
    const webTypes = JSON.parse(read('frameworks/web-types.json')) as { contributions: { html: { elements: { name: string }[] } } };
    for (const el of elements) {
      const tag = el.tagName ?? '';
      assert.match(jsxReact, new RegExp(`'${tag}': ElementJsxProps`), `React JSX: ${tag}`);
      assert.match(jsxPreact, new RegExp(`'${tag}': ElementJsxProps`), `Preact JSX: ${tag}`);
      assert.match(vue, new RegExp(`'${tag}': DefineComponent`), `Vue: ${tag}`);
      assert.ok(vscode.tags.some((t) => t.name === tag), `VS Code custom data: ${tag}`);
      assert.ok(webTypes.contributions.html.elements.some((e) => e.name === tag), `web-types: ${tag}`);
    }
  });

  it('exports a React component per element, importable in plain Node (SSR)', async () => {
    const react = (await import('@menteo/elements/react')) as Record<string, unknown>;
    for (const el of elements) assert.equal(typeof react[el.name], 'object', `React wrapper ${el.name} (a forwardRef component)`);
  });

  it('type-checks with tsc: Preact JSX and Vue typings accept right uses and reject wrong ones', () => {
    // React's typings are checked by examples/react and Vue's in templates by examples/vue (vue-tsc).
    const tsc = fileURLToPath(new URL('../../../node_modules/typescript/bin/tsc', import.meta.url));
    const r = spawnSync(process.execPath, [tsc, '-p', 'test/frameworks/tsconfig.json'], { cwd: pkgDir, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout || r.stderr);
  });
});
