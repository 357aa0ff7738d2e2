/**
 * The standalone admin console page at `/admin`, reached through `menteo-server admin-link`.
 *
 * The page is three small documents served here (HTML, a script, a style sheet) plus the
 * elements' CDN build under `/admin/assets/`, all from this origin, under a Content-Security-Policy
 * that allows only this origin and no inline script. Its script takes the link's single-use
 * client secret from the URL fragment, removes it from the address bar before anything else, and
 * hands it to `<menteo-provider>`, which exchanges it at `POST /v1/tokens` like any embedding page:
 * the access token lives in the provider's memory, never in the URL or in storage.
 *
 * This module is web-standard (no `node:*`): where the assets come from is the caller's
 * {@link AdminPageOptions.readAsset} (src/admin/assets-node.ts reads them from the installed
 * `@menteo/elements` package).
 * @module
 */
import type { Hono } from 'hono';
import { ADMIN_PAGE_HTML, ADMIN_PAGE_ICON, ADMIN_PAGE_SCRIPT, ADMIN_PAGE_STYLE } from './page-content.js';

/** Where the console is served. */
export const ADMIN_PATH = '/admin';

/** A file of the elements' CDN build. */
export interface AdminAsset {
  readonly body: Uint8Array<ArrayBuffer>;
  readonly contentType: string;
}

/** Options of the admin page. */
export interface AdminPageOptions {
  /**
   * Reads a file of the elements' CDN build by its path below `dist/cdn/` (`menteo.js`,
   * `chunks/fr-….js`); undefined when there is none. Paths are checked here first: no `..`, no
   * absolute paths.
   */
  readonly readAsset: (path: string) => Promise<AdminAsset | undefined>;
}

/**
 * Only this origin, and nothing inline: the page's script is a file, the elements' styles are
 * constructed style sheets. `frame-ancestors 'none'`: an admin page is never framed (clickjacking).
 */
export const ADMIN_CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self'", "connect-src 'self'", "font-src 'self'",
  "object-src 'none'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': ADMIN_CSP,
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
};

function document(body: string | Uint8Array<ArrayBuffer>, contentType: string, cache: string): Response {
  return new Response(body, { headers: { ...SECURITY_HEADERS, 'Content-Type': contentType, 'Cache-Control': cache } });
}

/** A relative asset path that stays inside the build folder, or undefined. */
export function safeAssetPath(raw: string): string | undefined {
  let path: string;
  try {
    path = decodeURIComponent(raw);
  } catch {
    return undefined;
  }
  const parts = path.split('/');
  if (path === '' || path.startsWith('/') || path.includes('\\') || path.includes('\0') || parts.some((p) => p === '' || p === '.' || p === '..')) return undefined;
  return path;
}

/** Serves the admin page, its script and style, and the elements' CDN build. */
export function mountAdminPage(hono: Hono, options: AdminPageOptions): void {
  // The page is never cached: a new release's page must not load an old build's script names.
  hono.get(ADMIN_PATH, () => document(ADMIN_PAGE_HTML, 'text/html; charset=utf-8', 'no-store'));
  // Relative URLs in the page resolve against `/admin`, so `/admin/` is sent there (a redirect keeps the fragment).
  hono.get(`${ADMIN_PATH}/`, () => new Response(null, { status: 308, headers: { Location: ADMIN_PATH, 'Referrer-Policy': 'no-referrer' } }));
  hono.get(`${ADMIN_PATH}/admin.js`, () => document(ADMIN_PAGE_SCRIPT, 'text/javascript; charset=utf-8', 'no-cache'));
  hono.get(`${ADMIN_PATH}/admin.css`, () => document(ADMIN_PAGE_STYLE, 'text/css; charset=utf-8', 'no-cache'));
  hono.get(`${ADMIN_PATH}/icon.svg`, () => document(ADMIN_PAGE_ICON, 'image/svg+xml', 'public, max-age=86400'));
  hono.get(`${ADMIN_PATH}/assets/*`, async (c) => {
    const path = safeAssetPath(new URL(c.req.url).pathname.slice(`${ADMIN_PATH}/assets/`.length));
    const asset = path === undefined ? undefined : await options.readAsset(path);
    if (!asset) return new Response('Not found', { status: 404, headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });
    // The entry keeps its name across releases; chunks are named by their hash.
    return document(asset.body, asset.contentType, path?.startsWith('chunks/') ? 'public, max-age=31536000, immutable' : 'no-cache');
  });
}
