#!/usr/bin/env node
// Writes docs/elements/reference.md from custom-elements.json (run `npm run analyze` first):
// one section per element with its attributes, events, parts, custom properties and states.
import { readFileSync, writeFileSync } from 'node:fs';

const manifest = JSON.parse(readFileSync(new URL('../custom-elements.json', import.meta.url), 'utf8'));
const out = ['# Element reference', '', 'Generated from `custom-elements.json` by `packages/elements/scripts/reference.mjs`. Do not edit by hand.', ''];
const cell = (s) => String(s ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');
const table = (head, rows) => (rows.length ? [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`), ''] : []);

for (const mod of manifest.modules) {
  for (const d of mod.declarations ?? []) {
    if (!d.customElement || !d.tagName) continue;
    out.push(`## \`<${d.tagName}>\``, '', d.summary ?? '', '', `Import: \`@menteo/elements/define/${d.tagName.replace(/^menteo-/, '')}\` (registers) or \`${mod.path.replace(/^src\//, '@menteo/elements/').replace(/\/[^/]+\.ts$/, '')}\` (class only).`, '');
    const props = (d.members ?? []).filter((m) => m.kind === 'field' && !m.privacy && !m.static && m.description);
    out.push('### Properties and attributes', '', ...table(['Property', 'Attribute', 'Type', 'Default', 'Description'], props.map((p) => [p.name, p.attribute ?? '(property only)', p.type?.text ?? '', p.default ?? '', p.description])));
    out.push('### Events', '', ...table(['Event', 'Class', 'Description'], (d.events ?? []).map((e) => [e.name, e.type?.text ?? '', e.description])));
    out.push('### Parts', '', ...table(['Part', 'Description'], (d.cssParts ?? []).map((p) => [p.name, p.description])));
    out.push('### Custom properties', '', ...table(['Property', 'Description'], (d.cssProperties ?? []).map((p) => [p.name, p.description])));
    out.push('### States', '', ...table(['State', 'Description'], (d.cssStates ?? []).map((p) => [`:state(${p.name})`, p.description])));
    out.push('### Slots', '', ...table(['Slot', 'Description'], (d.slots ?? []).map((p) => [p.name || '(default)', p.description])));
  }
}
writeFileSync(new URL('../../../docs/elements/reference.md', import.meta.url), out.join('\n'));
console.log('docs/elements/reference.md written');
