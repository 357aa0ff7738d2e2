/**
 * The pages of signed embeds. Like the LTI tool's (`@menteo/lti`'s `html.ts`, whose rules they
 * follow): a strict Content-Security-Policy (scripts only with the page's nonce and from the
 * widgets' bundle, no inline styles), `frame-ancestors` limited to the organization's allowed
 * origins, no referrer (the URL carried a token), nothing cached.
 * @module
 */
import type { Component } from '@menteo/api/scopes';
import { EMBED_ERRORS, type EmbedError } from './errors.js';

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A JSON literal safe inside a `<script>` element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** A fresh nonce for one page's scripts. */
function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

/** The origin of a URL, or undefined when it is not an http(s) URL. */
function originOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.origin : undefined;
  } catch {
    return undefined;
  }
}

interface PageParts {
  title: string;
  body: string;
  nonce: string;
  /** Origins allowed to frame the page; `'none'` when empty. */
  frameAncestors: readonly string[] | '*';
  scriptOrigins?: readonly string[];
}

function page(parts: PageParts, status: number, headers: Record<string, string> = {}): Response {
  const ancestors = parts.frameAncestors === '*' ? '*' : parts.frameAncestors.length > 0 ? parts.frameAncestors.join(' ') : "'none'";
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${parts.nonce}' ${(parts.scriptOrigins ?? []).join(' ')}`.trim(),
    // The widgets call the API on this server (the page's own origin).
    "connect-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: https:",
    "form-action 'none'",
    `frame-ancestors ${ancestors}`,
    "base-uri 'none'",
  ].join('; ');
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(parts.title)}</title>
</head>
<body>
${parts.body}
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
      ...headers,
    },
  });
}

/**
 * The refusal page: the person's sentence, then the stable code and the detail for the host's
 * developer (nothing secret: the token is never echoed). Any site may frame it, so the host sees
 * why inside its own page; it shows no data.
 */
export function renderEmbedError(error: EmbedError): Response {
  const { message } = EMBED_ERRORS[error.code];
  return page({
    title: 'Menteo could not open',
    nonce: newNonce(),
    frameAncestors: '*',
    body: `<main role="alert"><h1>Menteo could not open</h1><p data-menteo-error>${escapeHtml(message)}</p><p><small>Code <code data-menteo-error-code>${escapeHtml(error.code)}</code>: ${escapeHtml(error.detail)}</small></p></main>`,
  }, error.status, { 'menteo-error-code': error.code });
}

/** The widget markup of a component, showing `roomId` when given. */
export function widgetMarkup(component: Component, roomId: string | undefined): string {
  const room = roomId === undefined ? '' : ` room-id="${escapeHtml(roomId)}"`;
  switch (component) {
    case 'room':
      return `<menteo-room${room}></menteo-room>`;
    case 'roadmap':
      return `<menteo-roadmap${room}></menteo-roadmap>`;
    case 'feed':
      return `<menteo-thread-feed${room}></menteo-thread-feed>`;
    case 'check-in':
      return `<menteo-check-in${room}></menteo-check-in>`;
    case 'feedback':
      return `<menteo-feedback-exchange${room}></menteo-feedback-exchange>`;
  }
}

/** What the widget page needs. */
export interface EmbedPage {
  component: Component;
  roomId: string | undefined;
  /** The server's public URL (the provider's `base-url`, and where `/embed/session` is). */
  publicUrl: string;
  widgetsScriptUrl: string;
  /** The first single-use client secret, handed to the provider once. */
  firstSecret: string;
  /** The page's refresh credential, for `POST /embed/session`. */
  pageToken: string;
  frameAncestors: readonly string[];
}

/**
 * The widget page. The session reaches the provider exactly as on an LTI launch page: the first
 * single-use client secret and a page token inline in the nonce'd script (never in a URL, never
 * in storage), handed to the provider as its `clientSecret` function; later secrets come from
 * `POST /embed/session` with the page token in the `Authorization` header, so no cookie is
 * involved and it works in frames with third-party cookies blocked.
 */
export function renderEmbedPage(p: EmbedPage): Response {
  const nonce = newNonce();
  const scriptOrigin = originOf(p.widgetsScriptUrl);
  const boot = `const embed = ${scriptJson({ secret: p.firstSecret, token: p.pageToken, refresh: `${p.publicUrl}/embed/session` })};
let first = embed.secret;
async function fetchClientSecret() {
  if (first) { const s = first; first = undefined; return s; }
  const response = await fetch(embed.refresh, { method: 'POST', headers: { authorization: 'Bearer ' + embed.token } });
  if (!response.ok) throw new Error('Menteo session ended');
  return (await response.json()).clientSecret;
}
document.getElementById('menteo').clientSecret = fetchClientSecret;`;
  return page({
    title: 'Menteo',
    nonce,
    frameAncestors: p.frameAncestors,
    scriptOrigins: scriptOrigin ? [scriptOrigin] : [],
    body: `<menteo-provider id="menteo" base-url="${escapeHtml(p.publicUrl)}">${widgetMarkup(p.component, p.roomId)}</menteo-provider>
<script nonce="${nonce}">${boot}</script>
<script type="module" nonce="${nonce}" src="${escapeHtml(p.widgetsScriptUrl)}"></script>`,
  }, 200);
}
