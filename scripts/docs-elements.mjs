#!/usr/bin/env node
// Writes the docs site's element reference from packages/elements/custom-elements.json: one page
// per element (docs/reference/elements/<tag>.md) with its attributes, properties, methods, events,
// slots, CSS parts, CSS custom properties and states, and an index. Run by scripts/docs-build.mjs
// before VitePress, so the reference is always the committed manifest's; the pages are generated,
// never committed (.gitignore).
//
// Usage: node scripts/docs-elements.mjs
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export const MANIFEST = join(root, 'packages/elements/custom-elements.json');
export const OUT_DIR = join(root, 'docs/reference/elements');

/**
 * Markdown for a manifest text inside a table cell: `|` escaped, and outside code spans `<` and
 * `{{` escaped too, since the page is also a Vue template (`Promise<string>` would open a tag).
 * @param {unknown} value
 */
export function cell(value) {
  const text = String(value ?? '').replace(/\r?\n/g, ' ').trim();
  return text
    .split(/(`[^`]*`)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\{\{/g, '&#123;&#123;')))
    .join('')
    .replace(/\|/g, '\\|');
}

/**
 * A manifest description as markdown paragraphs: fenced code kept as it is, and elsewhere the
 * same escaping as `cell` except for line breaks and pipes.
 * @param {unknown} value
 */
export function prose(value) {
  return String(value ?? '')
    .split(/(^```[^]*?^```)/m)
    .map((part, i) => (i % 2 === 1 ? part : part.split(/(`[^`]*`)/).map((p, j) => (j % 2 === 1 ? p : p.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\{\{/g, '&#123;&#123;'))).join('')))
    .join('')
    .trim();
}

/** A type as a code span (a type with a backtick or `{{` as escaped prose). @param {string | undefined} type */
const code = (type) => (!type ? '' : /`|\{\{/.test(type) ? cell(type) : cell(`\`${type}\``));

/** @param {string[]} head @param {unknown[][]} rows */
function table(head, rows) {
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map((c) => (c === '' ? ' ' : c)).join(' | ')} |`)];
}

/** A section with a table, or a line saying there is nothing, so every page has every section. */
function section(title, head, rows, none) {
  return [`## ${title}`, '', ...(rows.length ? table(head, rows) : [none]), ''];
}

/** Every element declared in the manifest, with the module path it comes from, by tag name. */
export function elementsOf(manifest) {
  return manifest.modules
    .flatMap((mod) => (mod.declarations ?? []).map((d) => ({ ...d, modulePath: mod.path })))
    .filter((d) => d.customElement && d.tagName)
    .sort((a, b) => a.tagName.localeCompare(b.tagName));
}

const isPublic = (m) => !m.static && (!m.privacy || m.privacy === 'public') && !m.name.startsWith('#') && !m.name.startsWith('_');

/** The markdown page of one element. */
export function elementPage(d) {
  const short = d.tagName.replace(/^menteo-/, '');
  const classImport = d.modulePath.replace(/^src\//, '@menteo/elements/').replace(/\/[^/]+\.ts$/, '');
  const fields = (d.members ?? []).filter((m) => m.kind === 'field' && isPublic(m));
  const methods = (d.members ?? []).filter((m) => m.kind === 'method' && isPublic(m) && m.description);
  const lines = [
    `# \`<${d.tagName}>\``,
    '',
    prose(d.summary ?? d.description ?? ''),
    '',
  ];
  if (d.description && d.summary && d.description !== d.summary) lines.push(prose(d.description), '');
  lines.push(
    '```js',
    `import '@menteo/elements/define/${short}'; // registers <${d.tagName}>`,
    `import { ${d.name} } from '${classImport}'; // the class only`,
    '```',
    '',
    `Class \`${d.name}\`${d.superclass?.name ? `, extends \`${d.superclass.name}\`` : ''}.`,
    '',
  );
  lines.push(
    ...section(
      'Attributes',
      ['Attribute', 'Property', 'Type', 'Default', 'Description'],
      (d.attributes ?? []).map((a) => [`\`${a.name}\``, a.fieldName ? `\`${a.fieldName}\`` : '', code(a.type?.text), code(a.default), cell(a.description)]),
      'None.',
    ),
    ...section(
      'Properties',
      ['Property', 'Attribute', 'Type', 'Default', 'Description'],
      fields.map((f) => [
        `\`${f.name}\``,
        f.attribute ? `\`${f.attribute}\`${f.reflects ? ' (reflects)' : ''}` : 'property only',
        code(f.type?.text),
        code(f.default),
        cell(f.description ?? (f.readonly ? 'Read-only.' : '')),
      ]),
      'None.',
    ),
  );
  if (methods.length) {
    lines.push(
      ...section(
        'Methods',
        ['Method', 'Description'],
        methods.map((m) => [`\`${m.name}(${(m.parameters ?? []).map((p) => p.name).join(', ')})\``, cell(m.description)]),
        '',
      ),
    );
  }
  lines.push(
    ...section('Events', ['Event', 'Type', 'Description'], (d.events ?? []).map((e) => [`\`${e.name}\``, code(e.type?.text), cell(e.description)]), 'None.'),
    ...section('Slots', ['Slot', 'Description'], (d.slots ?? []).map((s) => [s.name ? `\`${s.name}\`` : '(default)', cell(s.description)]), 'None: the element renders its own content.'),
    ...section('CSS parts', ['Part', 'Description'], (d.cssParts ?? []).map((p) => [`\`${p.name}\``, cell(p.description)]), 'None.'),
    ...section(
      'CSS custom properties',
      ['Property', 'Default', 'Description'],
      (d.cssProperties ?? []).map((p) => [`\`${p.name}\``, code(p.default), cell(p.description)]),
      'None of its own; the design tokens (`--menteo-*`, see [Theming](../../theming.md)) apply.',
    ),
    ...section('CSS states', ['State', 'Description'], (d.cssStates ?? []).map((s) => [`\`:state(${s.name})\``, cell(s.description)]), 'None.'),
  );
  return lines.join('\n');
}

/** The index page: every element with its summary. */
export function indexPage(elements) {
  return [
    '# Element reference',
    '',
    'Every element of `@menteo/elements`, generated from its custom-elements manifest',
    '(`packages/elements/custom-elements.json`, analysed from the elements\' JSDoc) by',
    '`scripts/docs-elements.mjs` when the site is built. How to place them on a page: [the elements guide](../../elements/README.md);',
    'how to restyle them: [Theming](../../theming.md).',
    '',
    ...table(
      ['Element', 'Summary'],
      elements.map((d) => [`[\`<${d.tagName}>\`](./${d.tagName}.md)`, cell(d.summary ?? d.description ?? '')]),
    ),
    '',
  ].join('\n');
}

/** Writes the pages into `outDir` (replacing what was there); returns the element tag names. */
export function writeElementReference({ manifestPath = MANIFEST, outDir = OUT_DIR } = {}) {
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const elements = elementsOf(manifest);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  for (const d of elements) writeFileSync(join(outDir, `${d.tagName}.md`), elementPage(d));
  writeFileSync(join(outDir, 'index.md'), indexPage(elements));
  return elements.map((d) => d.tagName);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const tags = writeElementReference();
  console.log(`docs-elements: ${tags.length} element pages written to docs/reference/elements/`);
}
