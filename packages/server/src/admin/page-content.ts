/**
 * The admin page's HTML, script and style, served as files (the page's CSP allows no inline
 * script or style). Kept as text here so the server's build needs no copying step.
 * @module
 */

/** The page. Relative URLs resolve against `/admin`, so the page also works behind a path prefix. */
export const ADMIN_PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Menteo admin console</title>
<link rel="stylesheet" href="admin/admin.css">
<link rel="icon" href="admin/icon.svg" type="image/svg+xml">
<script type="module" src="admin/admin.js"></script>
</head>
<body>
<header class="bar">
<h1>Menteo admin console</h1>
<p id="menteo-admin-status" role="status" aria-live="polite">Signing in…</p>
</header>
<main id="menteo-admin-main"></main>
<noscript><p>The admin console needs JavaScript.</p></noscript>
</body>
</html>
`;

/**
 * The page's script. Its first act removes the link's secret from the address bar (and so from
 * history, bookmarks and screen shares); then it loads the elements and lets `<menteo-provider>`
 * exchange the secret. The secret is given once: when the access token ends, the provider asks
 * again and the page says to get a new link, rather than keeping anything that could sign in.
 */
export const ADMIN_PAGE_SCRIPT = `// Menteo admin console (served by menteo-server; see packages/server/src/admin/page.ts).
const hash = new URLSearchParams(location.hash.slice(1));
const secret = hash.get('secret');
history.replaceState(null, '', location.pathname + location.search);

const status = document.getElementById('menteo-admin-status');
const main = document.getElementById('menteo-admin-main');
const NEW_LINK = 'Ask your operator for a new sign-in link: menteo-server admin-link --person <your email>.';

function say(text, kind) {
  status.textContent = text;
  status.dataset.kind = kind;
}

function explain(error) {
  const detail = error && typeof error === 'object' && 'detail' in error && error.detail ? String(error.detail) : error instanceof Error ? error.message : String(error);
  if (/already used|expired|not valid/i.test(detail)) return 'This sign-in link has already been used or has expired (links work once, for a few minutes). ' + NEW_LINK;
  return 'Signing in failed: ' + detail + ' ' + NEW_LINK;
}

function placeholder() {
  const section = document.createElement('section');
  section.className = 'placeholder';
  const h2 = document.createElement('h2');
  h2.textContent = 'The admin console';
  const p = document.createElement('p');
  p.textContent = 'This build of the elements has no <menteo-admin-console> yet. The console will hold:';
  const ul = document.createElement('ul');
  for (const item of ['Health: the milestone funnel, trends and the at-risk rooms with their reasons, with export', 'Cohorts and roadmap templates', 'People: search, roles, deactivation', 'Integrations: LTI install links, platforms and courses, roster sync, gradebook failures, SCIM tokens', 'Settings: allowed origins, API keys']) {
    const li = document.createElement('li');
    li.textContent = item;
    ul.append(li);
  }
  section.append(h2, p, ul);
  return section;
}

async function start() {
  if (!secret) {
    say('Open this page with a sign-in link. ' + NEW_LINK, 'signed-out');
    return;
  }
  try {
    await import('./assets/menteo.js');
  } catch {
    say('The console\\'s scripts are missing on this server: install @menteo/elements beside @menteo/server (or set MENTEO_ADMIN_ASSETS).', 'error');
    return;
  }
  const provider = document.createElement('menteo-provider');
  provider.setAttribute('base-url', location.origin + location.pathname.replace(/\\/admin\\/?$/, ''));
  let given = false;
  provider.clientSecret = async () => {
    if (given) throw new Error('Your console session has ended.');
    given = true;
    return secret;
  };
  provider.addEventListener('menteo-error', (event) => {
    if (event.operation === 'sign-in') say(explain(event.error), 'error');
  });
  provider.append(customElements.get('menteo-admin-console') ? document.createElement('menteo-admin-console') : placeholder());
  main.append(provider);
  // The provider has no "signed in" event: watch its session until it settles.
  for (;;) {
    const session = provider.currentSession;
    if (session && session.status === 'ready') {
      const person = session.me && session.me.person;
      const name = person ? person.displayName + (person.email ? ' (' + person.email + ')' : '') : 'an API key';
      say('Signed in as ' + name + ' · ' + session.me.organization.name, 'signed-in');
      return;
    }
    if (session && session.status === 'error') {
      say(explain(session.error), 'error');
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

void start();
`;

/** The page's style: the bar above the console; the elements style themselves. */
export const ADMIN_PAGE_STYLE = `:root { color-scheme: light dark; font-family: system-ui, sans-serif; }
body { margin: 0; }
.bar { display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; align-items: baseline; padding: 0.75rem 1.5rem; border-bottom: 1px solid color-mix(in srgb, currentColor 20%, transparent); }
.bar h1 { font-size: 1.25rem; margin: 0; }
.bar p { margin: 0; }
[data-kind="error"] { font-weight: 600; }
main { padding: 1rem 1.5rem; max-width: 80rem; }
.placeholder ul { line-height: 1.6; }
`;

/** The page's icon (without one, browsers ask for /favicon.ico and log a 404 on every visit). */
export const ADMIN_PAGE_ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#2f5d8a"/><path d="M8 23V9h3l5 7 5-7h3v14h-3v-9l-5 7-5-7v9z" fill="#fff"/></svg>
`;
