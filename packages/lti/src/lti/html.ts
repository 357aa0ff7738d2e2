/**
 * Server-rendered pages of the tool. Every page runs under a strict Content-Security-Policy:
 * scripts only with the page's nonce, no inline styles, and `frame-ancestors` limited to the
 * platform that launched us.
 * @module
 */

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A JSON literal safe inside a `<script>` element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** A fresh nonce for one page's scripts. */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

/** What a rendered page needs. */
export interface Page {
  title: string;
  /** Markup of the body; already escaped. */
  body: string;
  nonce: string;
  /** Origins allowed to frame the page; `'none'` when empty. */
  frameAncestors?: readonly string[];
  /** Extra script origins (the widgets bundle). */
  scriptOrigins?: readonly string[];
  /** Origins scripts may call (the Menteo API). */
  connectOrigins?: readonly string[];
  /** Origins forms may post to (the LMS deep-linking return URL). */
  formOrigins?: readonly string[];
}

/** Renders a page and its security headers. */
export function renderPage(page: Page, status = 200): Response {
  const ancestors = page.frameAncestors && page.frameAncestors.length > 0 ? page.frameAncestors.join(' ') : "'none'";
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${page.nonce}' ${(page.scriptOrigins ?? []).join(' ')}`.trim(),
    `connect-src 'self' ${(page.connectOrigins ?? []).join(' ')}`.trim(),
    "style-src 'self'",
    "img-src 'self' data:",
    `form-action 'self' ${(page.formOrigins ?? []).join(' ')}`.trim(),
    `frame-ancestors ${ancestors}`,
    "base-uri 'none'",
  ].join('; ');
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(page.title)}</title>
</head>
<body>
${page.body}
</body>
</html>
`;
  return new Response(html, {
    status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': csp,
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
    },
  });
}

/** The page shown when something failed: one plain sentence and nothing secret. */
export function renderError(message: string, status: number, frameAncestors: readonly string[] = ['*']): Response {
  return renderPage(
    {
      title: 'Menteo could not open',
      nonce: newNonce(),
      frameAncestors,
      body: `<main role="alert"><h1>Menteo could not open</h1><p data-menteo-error>${escapeHtml(message)}</p></main>`,
    },
    status,
  );
}

/** The origin of a URL, or undefined when it is not an http(s) URL. */
export function originOf(url: string | undefined | null): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.origin : undefined;
  } catch {
    return undefined;
  }
}

/** Markup of a form that posts itself (used to hand an id_token or a JWT to another site). */
export function autoPostForm(action: string, fields: Record<string, string>, nonce: string): string {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');
  return `<form id="f" method="post" action="${escapeHtml(action)}">${inputs}<noscript><button type="submit">Continue</button></noscript></form>
<script nonce="${nonce}">document.getElementById('f').submit();</script>`;
}
