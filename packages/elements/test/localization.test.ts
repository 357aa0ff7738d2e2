/** Every target locale is complete: a missing translation fails here, not in front of a reader. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';

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
