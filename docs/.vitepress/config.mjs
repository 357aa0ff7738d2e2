// @ts-check
/**
 * The docs site (VitePress): `npm run docs:build` writes it to docs/.site (scripts/docs-build.mjs).
 *
 * The source directory is the repository root, not docs/, so that the guides' relative links to
 * the packages' and examples' READMEs stay links between pages: a guide is written once, for
 * GitHub and for the site alike, and needs no front matter. Pages are the files `pageFiles()`
 * lists; every other relative link (a source file, a folder, LICENSE) becomes a link to the file
 * on GitHub (`repoLinks`). The TypeScript reference is typedoc's own site, written to /api/ after
 * VitePress has built (scripts/docs-build.mjs), so links into it are checked by scripts/check-docs.mjs
 * rather than by VitePress.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitepress';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** Where files that are not pages are shown (the repository's `repository` field). */
export const REPO_URL = 'https://github.com/menteo/menteo';

/** Every markdown file of the repository, as a path relative to the root with `/` separators. */
function markdownFiles(dir = root) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules' || entry.name === 'dist') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...markdownFiles(path));
    else if (entry.name.endsWith('.md')) out.push(relative(root, path).split(sep).join('/'));
  }
  return out;
}

/**
 * Pages whose place on the site is another page: the elements package's own generated reference
 * (for readers on GitHub; its types are not escaped for an HTML renderer) is the site's
 * per-element reference, generated from the same manifest by scripts/docs-elements.mjs.
 */
const ALIASES = new Map([['docs/elements/reference.md', '/docs/reference/elements/']]);

/** The site's pages: the guides under docs/, the repository's, packages' and examples' READMEs. */
export function pageFiles() {
  return markdownFiles().filter((f) => !ALIASES.has(f) && (f.startsWith('docs/') || f === 'README.md' || /^(packages|examples)\/[^/]+\/README\.md$/.test(f)));
}

const pages = pageFiles();
const pageSet = new Set(pages);

/** A page's title: its first `# ` heading (what VitePress shows too), else its file name. */
function titleOf(file) {
  const text = readFileSync(join(root, file), 'utf8');
  const h1 = /^# (.+)$/m.exec(text)?.[1];
  return (h1 ?? posix.basename(file, '.md')).replace(/`/g, '').trim();
}

/** `file` as a sidebar link (VitePress links are the page path without `.md`). */
const item = (file, text = titleOf(file)) => ({ text, link: `/${file.replace(/\.md$/, '')}` });

/** Guides in reading order; guides added later (by anyone) still appear, under "More guides". */
const GUIDES = [
  'docs/README.md',
  'docs/architecture.md',
  'docs/http-api.md',
  'docs/embedding.md',
  'docs/elements/README.md',
  'docs/theming.md',
  'docs/accessibility.md',
  'docs/security.md',
  'docs/self-hosting.md',
  'docs/admin.md',
  'docs/matching.md',
  'docs/benchmarks.md',
  'docs/contributing.md',
];
const QUICK_STARTS = ['docs/quickstart/intranet.md', 'docs/quickstart/script.md', 'docs/quickstart/lms-admin.md', 'docs/quickstart/operator.md'];

function sidebar() {
  const placed = new Set(['docs/index.md']);
  const take = (files) => files.filter((f) => pageSet.has(f) && !placed.has(f)).map((f) => (placed.add(f), f));
  const groups = [
    { text: 'Quick starts', items: take(QUICK_STARTS).map((f) => item(f)) },
    { text: 'Guides', items: take(GUIDES).map((f) => item(f)) },
    { text: 'Embedding', collapsed: false, items: take(pages.filter((f) => /^docs\/embedding.+\.md$/.test(f))).map((f) => item(f)) },
    { text: 'LMS and SCIM', items: take(['docs/lti/README.md', ...pages.filter((f) => f.startsWith('docs/lti/'))]).map((f) => item(f)) },
    { text: 'Packages', items: take(pages.filter((f) => f.startsWith('packages/'))).map((f) => item(f)) },
    { text: 'Examples', collapsed: true, items: take(pages.filter((f) => f.startsWith('examples/'))).map((f) => item(f)) },
  ];
  const elementPages = take(pages.filter((f) => f.startsWith('docs/reference/elements/') && !f.endsWith('/index.md')));
  const reference = take(['docs/reference/index.md']);
  groups.push({
    text: 'Reference',
    items: [
      ...reference.map((f) => item(f)),
      { text: 'TypeScript API (typedoc)', link: '/api/index.html', target: '_self' },
      { text: 'Elements', link: '/docs/reference/elements/', collapsed: true, items: elementPages.map((f) => item(f)) },
    ],
  });
  placed.add('docs/reference/elements/index.md');
  const more = pages.filter((f) => f.startsWith('docs/') && !placed.has(f));
  if (more.length) groups.splice(2, 0, { text: 'More guides', items: more.map((f) => item(f)) });
  placed.add('README.md');
  return groups.filter((g) => g.items.length);
}

/**
 * Relative links to files that are not pages (source files, folders, LICENSE) would be dead on
 * the site: they point to the file on GitHub instead, as they do when the guide is read there.
 * A relative link to a file that does not exist is left alone, for VitePress and check-docs to report.
 * @param {import('markdown-it')} md
 */
function repoLinks(md) {
  md.core.ruler.push('menteo-repo-links', (state) => {
    const from = state.env.realPath ?? state.env.path;
    if (!from) return;
    for (const block of state.tokens) {
      for (const token of block.children ?? []) {
        if (token.type !== 'link_open') continue;
        const href = token.attrGet('href');
        if (!href) continue;
        if (href.startsWith('/api/')) {
          // typedoc's pages are not VitePress routes: a full page load.
          token.attrSet('target', '_self');
          continue;
        }
        if (/^[a-z][a-z0-9+.-]*:|^[#/]/i.test(href)) continue;
        const [path, hash = ''] = href.split('#');
        const target = resolve(dirname(from), decodeURIComponent(path));
        const rel = relative(root, target).split(sep).join('/');
        const alias = ALIASES.get(rel);
        if (alias) {
          token.attrSet('href', `${alias}${hash ? `#${hash}` : ''}`);
          continue;
        }
        if (rel.startsWith('..') || pageSet.has(rel) || !existsSync(target)) continue;
        const kind = statSync(target).isDirectory() ? 'tree' : 'blob';
        token.attrSet('href', `${REPO_URL}/${kind}/main/${rel}${hash ? `#${hash}` : ''}`);
      }
    }
  });
}

/**
 * Heading ids as GitHub makes them (lower case, punctuation dropped, spaces to hyphens), since the
 * guides' `#anchors` are written for GitHub: "Menteo's side" is `#menteos-side`, where VitePress's
 * own slugger would make `#menteo-s-side`.
 * @param {string} text
 */
export function githubSlug(text) {
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

export default defineConfig({
  title: 'Menteo',
  description: 'Mentorship rooms, roadmaps and growth threads, embedded where people already work.',
  lang: 'en',
  // No favicon file to serve (the source folder is the repository): an inline one, so browsers do not ask for /favicon.ico.
  head: [['link', { rel: 'icon', href: "data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'><circle cx='8' cy='8' r='7' fill='%234f46e5'/></svg>" }]],
  srcDir: '..',
  srcExclude: markdownFiles().filter((f) => !pageSet.has(f)),
  outDir: '.site',
  cacheDir: '.vitepress/cache',
  // The home page is docs/index.md; its links are absolute, since VitePress resolves a rewritten
  // page's relative links from its new place.
  rewrites: { 'docs/index.md': 'index.md' },
  // typedoc's site, added after the VitePress build; check-docs verifies these links.
  ignoreDeadLinks: [/^\/api\//],
  markdown: { config: repoLinks, anchor: { slugify: githubSlug }, headers: { slugify: githubSlug } },
  vue: { template: { compilerOptions: { isCustomElement: (tag) => tag.startsWith('menteo-') } } },
  themeConfig: {
    nav: [
      { text: 'Quick starts', link: '/docs/quickstart/intranet' },
      { text: 'Guides', link: '/docs/README' },
      { text: 'Elements', link: '/docs/reference/elements/' },
      { text: 'API', link: '/api/index.html', target: '_self' },
    ],
    sidebar: sidebar(),
    search: { provider: 'local' },
    outline: 'deep',
    socialLinks: [{ icon: 'github', link: REPO_URL }],
  },
});
