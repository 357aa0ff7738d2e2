/** Every target locale is complete: a missing translation fails here, not in front of a reader. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = new URL('../xliff/', import.meta.url);

for (const file of readdirSync(dir).filter((f) => f.endsWith('.xlf'))) {
  test(`${file} translates every message`, () => {
    const xlf = readFileSync(new URL(file, dir), 'utf8');
    const units = xlf.match(/<trans-unit [\s\S]*?<\/trans-unit>/g) ?? [];
    assert.ok(units.length > 100, 'the interchange file lists the messages');
    const untranslated = units.filter((u) => !/<target>[\s\S]*?\S[\s\S]*?<\/target>/.test(u));
    assert.deepEqual(untranslated, []);
  });

  test(`${file} keeps every placeholder of its source`, () => {
    const xlf = readFileSync(new URL(file, dir), 'utf8');
    for (const unit of xlf.match(/<trans-unit [\s\S]*?<\/trans-unit>/g) ?? []) {
      const ids = (part: string) => [...(/<(source|target)>([\s\S]*?)<\/\1>/.exec(unit.slice(unit.indexOf(`<${part}>`)))?.[2] ?? '').matchAll(/<x id="(\d+)"/g)].map((m) => m[1]).sort();
      assert.deepEqual(ids('target'), ids('source'), unit);
    }
  });
}

/**
 * The XLIFF only knows the messages of its last extraction: a `msg()` added since then is missing
 * from it, and the test above cannot see that. So extract the messages from the sources again (in
 * memory, writing nothing) and require a French target and a generated French template for each.
 */
test('every msg() in the sources has a French translation, in fr.xlf and in the generated locale module', async () => {
  const { readConfigFileAndWriteSchema } = await import('@lit/localize-tools/lib/config.js');
  const { RuntimeLitLocalizer } = await import('@lit/localize-tools/lib/modes/runtime.js');
  // The config has its "$schema" already, so reading it writes nothing back.
  const config = readConfigFileAndWriteSchema(fileURLToPath(new URL('../lit-localize.json', import.meta.url)));
  assert.equal(config.output.mode, 'runtime');
  const localizer = new RuntimeLitLocalizer({ ...config, output: { ...config.output, mode: 'runtime' } });
  const { messages, errors } = localizer.extractSourceMessages();
  assert.deepEqual(errors.map((e) => String(e.messageText)), [], 'the sources analyse cleanly');
  assert.ok(messages.length > 100, 'the sources use msg()');

  const xlf = readFileSync(new URL('fr.xlf', dir), 'utf8');
  const translated = new Set(
    (xlf.match(/<trans-unit [\s\S]*?<\/trans-unit>/g) ?? [])
      .filter((u) => /<target>[\s\S]*?\S[\s\S]*?<\/target>/.test(u))
      .map((u) => /id="([^"]+)"/.exec(u)?.[1]),
  );
  const { templates } = await import('../src/generated/locales/fr.js');
  const generated = new Set(Object.keys(templates));
  const source = (name: string) => messages.find((m) => m.name === name)?.contents.map((c) => (typeof c === 'string' ? c : '{…}')).join('');

  const notInXliff = messages.filter((m) => !translated.has(m.name)).map((m) => source(m.name));
  assert.deepEqual(notInXliff, [], 'untranslated: run `pnpm localize:extract`, translate the new units of xliff/fr.xlf (scripts/fill-xliff.py), then `pnpm localize:build`');
  const notGenerated = messages.filter((m) => !generated.has(m.name)).map((m) => source(m.name));
  assert.deepEqual(notGenerated, [], 'translated but not built: run `pnpm localize:build`');
  assert.deepEqual(localizer.validateTranslations().errors, [], 'every translation keeps the placeholders of its source');
});
