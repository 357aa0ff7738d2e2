// Link checking for the docs site, used by scripts/check-docs.mjs:
//
// - `checkSite(dir)` reads every HTML page of a built site (VitePress's and typedoc's) and checks
//   that each internal link and resource (`href`, `src`) names a file of the site and that each
//   `#anchor` names an element id on the target page. External links are counted, never fetched:
//   the check runs offline, in CI too.
// - `checkMarkdownLinks(files)` checks that each relative link of the given markdown files names an
//   existing file or folder of the repository (links to the code and folders are GitHub links on
//   the site, so a renamed file would otherwise break silently).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';

const ENTITIES = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#x27;': "'" };
const decodeEntities = (s) => s.replace(/&(amp|lt|gt|quot|#39|#x27);/g, (e) => ENTITIES[e]);

/** Every file under `dir`, relative to it with `/` separators. */
function walk(dir, base = dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(path, base));
    else out.push(relative(base, path).split(sep).join('/'));
  }
  return out;
}

const EXTERNAL = /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i;

/**
 * Checks every internal link and anchor of the site built in `dir`.
 * @param {string} dir
 * @returns {{ pages: number, links: number, anchors: number, external: number, broken: string[] }}
 */
export function checkSite(dir) {
  const files = walk(dir);
  const fileSet = new Set(files);
  const htmlFiles = files.filter((f) => f.endsWith('.html'));
  /** @type {Map<string, string>} */
  const html = new Map(htmlFiles.map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
  /** @type {Map<string, Set<string>>} */
  const idsCache = new Map();
  const idsOf = (file) => {
    let ids = idsCache.get(file);
    if (!ids) {
      ids = new Set([...html.get(file).matchAll(/\s(?:id|name)="([^"]*)"/g)].map((m) => decodeEntities(m[1])));
      idsCache.set(file, ids);
    }
    return ids;
  };
  /** The site file a path names, as a static server would serve it (folders: their index.html). */
  const fileFor = (pathname) => {
    let p = decodeURIComponent(pathname).replace(/^\//, '');
    if (p === '' || p.endsWith('/')) p += 'index.html';
    if (fileSet.has(p)) return p;
    if (!extname(p) && fileSet.has(`${p}.html`)) return `${p}.html`;
    if (fileSet.has(`${p}/index.html`)) return `${p}/index.html`;
    return undefined;
  };

  const broken = [];
  let links = 0;
  let anchors = 0;
  let external = 0;
  for (const [page, text] of html) {
    const base = new URL(`/${page}`, 'http://site.invalid');
    // Code shown on the page is not a link: VitePress and typedoc escape it, so only real tags match.
    for (const m of text.matchAll(/<(?:a|link|img|script|source|iframe|use)\b[^>]*?\s(?:href|src|xlink:href)="([^"]*)"/g)) {
      const raw = decodeEntities(m[1]).trim();
      if (!raw || raw === '#') continue;
      if (EXTERNAL.test(raw)) {
        if (/^https?:|^\/\//i.test(raw)) external++;
        continue;
      }
      links++;
      const url = new URL(raw, base);
      const target = fileFor(url.pathname);
      if (!target) {
        broken.push(`${page}: ${raw} (no such file)`);
        continue;
      }
      if (url.hash.length > 1 && target.endsWith('.html')) {
        anchors++;
        const id = decodeURIComponent(url.hash.slice(1));
        if (!idsOf(target).has(id)) broken.push(`${page}: ${raw} (no id "${id}" in ${target})`);
      }
    }
  }
  return { pages: htmlFiles.length, links, anchors, external, broken };
}

/** Markdown text without fenced code blocks and code spans, where link syntax is only text. */
function withoutCode(text) {
  return text.replace(/^(`{3,}|~{3,})[^]*?^\1/gm, '').replace(/`[^`\n]*`/g, '');
}

/**
 * Checks that every relative link of the markdown `files` names an existing file or folder, and
 * that no committed file links into a folder the build generates (`generated`): such a link works
 * on the site and is dead on GitHub.
 * @param {string[]} files absolute paths
 * @param {string} root paths in the result are relative to it
 * @param {{ generated?: string[] }} [options] absolute paths of generated folders
 * @returns {{ links: number, broken: string[] }}
 */
export function checkMarkdownLinks(files, root, { generated = [] } = {}) {
  const inGenerated = (path) => generated.some((dir) => path === dir || path.startsWith(`${dir}${sep}`));
  const broken = [];
  let links = 0;
  for (const file of files) {
    const text = withoutCode(readFileSync(file, 'utf8'));
    const hrefs = [
      ...[...text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]),
      ...[...text.matchAll(/^\s*\[[^\]]+\]:\s*(\S+)/gm)].map((m) => m[1]),
      ...[...text.matchAll(/<a\s[^>]*href="([^"]+)"/g)].map((m) => m[1]),
    ];
    for (const href of hrefs) {
      if (EXTERNAL.test(href) || href.startsWith('#') || href.startsWith('/')) continue;
      links++;
      const path = decodeURIComponent(href.split('#')[0]);
      const target = resolve(dirname(file), path);
      if (!existsSync(target)) broken.push(`${relative(root, file)}: ${href} (no such file)`);
      else if (inGenerated(target) && !inGenerated(file)) broken.push(`${relative(root, file)}: ${href} (generated at build time: dead on GitHub)`);
      else if (path.endsWith('/') && !statSync(target).isDirectory()) broken.push(`${relative(root, file)}: ${href} (not a folder)`);
    }
  }
  return { links, broken };
}
