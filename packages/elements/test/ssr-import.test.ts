/**
 * Server-side rendering frameworks import component modules in Node, where there is no `window`
 * or `document`. Importing any module of this package there must not throw. Runs in plain
 * Node (no DOM shim of ours): Lit's own Node build provides what Lit needs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const src = fileURLToPath(new URL('../src', import.meta.url));

function modules(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'test-support' ? [] : modules(path);
    return name.endsWith('.ts') && !/[.-]test\.ts$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

test('there are modules to check', () => {
  assert.ok(modules(src).length > 10);
});

test('no browser globals exist in this process', () => {
  assert.equal(typeof (globalThis as { window?: unknown }).window, 'undefined');
  assert.equal(typeof (globalThis as { document?: unknown }).document, 'undefined');
});

for (const file of modules(src)) {
  test(`imports ${relative(src, file)} in Node without throwing`, async () => {
    await import(pathToFileURL(file).href);
  });
}

test('define modules register nothing twice and keep the first definition', async () => {
  const { MenteoThreadFeed } = await import('../src/thread-feed/thread-feed.js');
  await import('../src/define/thread-feed.js');
  const registry = (globalThis as { customElements?: CustomElementRegistry }).customElements;
  if (registry === undefined) return; // no registry at all in this runtime: nothing to register
  const first = registry.get('menteo-thread-feed');
  assert.equal(first, MenteoThreadFeed);
  const { defineElement } = await import('../src/internal/menteo-element.js');
  class Other extends MenteoThreadFeed {}
  assert.doesNotThrow(() => defineElement('menteo-thread-feed', Other));
  assert.equal(registry.get('menteo-thread-feed'), first);
});
