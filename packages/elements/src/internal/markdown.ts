/**
 * A safe "markdown-lite" renderer that builds Lit templates, never HTML strings.
 *
 * User text is only ever placed in child-text and attribute bindings, which Lit escapes, so
 * markup and script in a post render as the characters the person typed. No `innerHTML`, no
 * `unsafeHTML`. Links are kept only for `http:`, `https:` and `mailto:` URLs; anything else
 * (`javascript:`, `data:`) stays plain text.
 *
 * Supported: paragraphs (blank line), line breaks, `**bold**`, `*italic*` / `_italic_`,
 * `` `code` ``, fenced code blocks, `- ` / `* ` and `1. ` lists, `> ` quotes, `[text](url)` and
 * bare http(s) URLs. Deliberately not supported: raw HTML, images (tracking pixels), headings
 * (a post is not a page; `# ` lines render as strong paragraphs).
 * @module
 */
import { html, nothing, type TemplateResult } from 'lit';

type Inline = TemplateResult | string;

const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/** The URL when it is absolute and uses a safe protocol, otherwise `undefined`. */
export function safeUrl(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return undefined;
  }
  return SAFE_PROTOCOLS.has(url.protocol) ? url.href : undefined;
}

function link(label: Inline[], href: string): TemplateResult {
  return html`<a part="link" href=${href} target="_blank" rel="noopener noreferrer nofollow ugc">${label}</a>`;
}

// One pass over the text with a sticky alternation: the earliest match wins, and everything
// between matches is plain text. Emphasis markers must hug non-space text so that "2 * 3 * 4"
// stays arithmetic.
const INLINE =
  /(`[^`\n]+`)|(\*\*(?=\S)[^*\n]*?\S\*\*)|(\[[^\]\n]+\]\([^)\s]+\))|(\*(?=\S)[^*\n]*?\S\*|\*\S\*)|(\b_(?=\S)[^_\n]*?\S_\b|\b_\S_\b)|(https?:\/\/[^\s<>()]+[^\s<>().,;:!?'"])/g;

/** Renders inline markdown-lite of one line or paragraph. Exported for tests. */
export function renderInline(text: string, depth = 0): Inline[] {
  const out: Inline[] = [];
  let last = 0;
  INLINE.lastIndex = 0;
  // Collect matches first: recursion below reuses the shared regex.
  const matches = [...text.matchAll(INLINE)];
  for (const m of matches) {
    const index = m.index ?? 0;
    if (index > last) out.push(text.slice(last, index));
    const token = m[0];
    if (m[1] !== undefined) {
      out.push(html`<code part="code">${token.slice(1, -1)}</code>`);
    } else if (m[2] !== undefined) {
      out.push(html`<strong>${depth < 3 ? renderInline(token.slice(2, -2), depth + 1) : token.slice(2, -2)}</strong>`);
    } else if (m[3] !== undefined) {
      const close = token.indexOf('](');
      const label = token.slice(1, close);
      const href = safeUrl(token.slice(close + 2, -1));
      const inner = depth < 3 ? renderInline(label, depth + 1) : [label];
      out.push(href === undefined ? token : link(inner, href));
    } else if (m[4] !== undefined || m[5] !== undefined) {
      out.push(html`<em>${depth < 3 ? renderInline(token.slice(1, -1), depth + 1) : token.slice(1, -1)}</em>`);
    } else {
      const href = safeUrl(token);
      out.push(href === undefined ? token : link([token], href));
    }
    last = index + token.length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

function withBreaks(lines: string[]): Inline[] {
  const out: Inline[] = [];
  lines.forEach((line, i) => {
    if (i > 0) out.push(html`<br />`);
    out.push(...renderInline(line));
  });
  return out;
}

const BULLET = /^\s*[-*+]\s+/;
const ORDERED = /^\s*\d{1,9}[.)]\s+/;
const QUOTE = /^\s*>\s?/;
const FENCE = /^\s*```/;
const HEADING = /^\s*#{1,6}\s+/;

/**
 * Renders markdown-lite `source` as a Lit template. The result contains no HTML parsed from
 * the source: every piece of user text is a text binding.
 */
export function renderMarkdown(source: string): TemplateResult {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: TemplateResult[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    if (line.trim() === '') {
      i += 1;
      continue;
    }
    if (FENCE.test(line)) {
      const code: string[] = [];
      i += 1;
      while (i < lines.length && !FENCE.test(lines[i] ?? '')) {
        code.push(lines[i] ?? '');
        i += 1;
      }
      i += 1; // the closing fence, or past the end when it is missing
      blocks.push(html`<pre part="code-block"><code>${code.join('\n')}</code></pre>`);
      continue;
    }
    const list = BULLET.test(line) ? BULLET : ORDERED.test(line) ? ORDERED : undefined;
    if (list !== undefined) {
      const items: Inline[][] = [];
      while (i < lines.length && list.test(lines[i] ?? '')) {
        items.push(renderInline((lines[i] ?? '').replace(list, '')));
        i += 1;
      }
      const lis = items.map((item) => html`<li>${item}</li>`);
      blocks.push(list === BULLET ? html`<ul>${lis}</ul>` : html`<ol>${lis}</ol>`);
      continue;
    }
    if (QUOTE.test(line)) {
      const quoted: string[] = [];
      while (i < lines.length && QUOTE.test(lines[i] ?? '')) {
        quoted.push((lines[i] ?? '').replace(QUOTE, ''));
        i += 1;
      }
      blocks.push(html`<blockquote>${withBreaks(quoted)}</blockquote>`);
      continue;
    }
    if (HEADING.test(line)) {
      blocks.push(html`<p><strong>${renderInline(line.replace(HEADING, ''))}</strong></p>`);
      i += 1;
      continue;
    }
    const para: string[] = [];
    while (
      i < lines.length &&
      (lines[i] ?? '').trim() !== '' &&
      !FENCE.test(lines[i] ?? '') &&
      !BULLET.test(lines[i] ?? '') &&
      !ORDERED.test(lines[i] ?? '') &&
      !QUOTE.test(lines[i] ?? '')
    ) {
      para.push(lines[i] ?? '');
      i += 1;
    }
    blocks.push(html`<p>${withBreaks(para)}</p>`);
  }
  return blocks.length === 0 ? html`${nothing}` : html`${blocks}`;
}
