/**
 * The provider's markup-only way to a client secret (`session-url`), and the error of a provider
 * that has no way at all. The one `fetch` in the elements outside the client: the request goes
 * to the *host's* backend, not to Menteo, so it is not the client's to make.
 * @module
 */

/** Where the docs explain the two ways to give a provider its secrets. */
const DOCS = 'https://github.com/menteo/menteo/blob/main/docs/embedding.md';

/**
 * A set-up problem of the host page: the provider cannot sign in and never will until the page
 * changes. `code` is stable; widgets show it as an error state.
 */
export class MenteoSetupError extends Error {
  readonly code: 'not_configured' | 'session_url_failed';
  constructor(code: 'not_configured' | 'session_url_failed', message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MenteoSetupError';
    this.code = code;
  }
}

/** The error of a provider with neither a `clientSecret` function nor a `session-url` (or no `base-url`). */
export function missingSecretSource(hasBaseUrl: boolean, tag: string): MenteoSetupError {
  const missing = hasBaseUrl
    ? 'has no way to get a client secret: add a `session-url` attribute naming your backend\'s endpoint that answers {"clientSecret": "…"}, or set its `clientSecret` property to a function returning one'
    : 'has no `base-url`: add the Menteo server\'s URL, e.g. base-url="https://menteo.example.com", with a `session-url` attribute (or a `clientSecret` function)';
  return new MenteoSetupError('not_configured', `[menteo] <${tag}> ${missing}. Its widgets show an error until then. See ${DOCS}#markup-only`);
}

/**
 * A `clientSecret` function asking the host's endpoint: `POST` with the page's cookies, a 2xx
 * JSON answer `{ clientSecret }`. Anything else rejects with a {@link MenteoSetupError} saying
 * what came back (the client then reports a failed sign-in, and asks again on the next need).
 */
export function sessionUrlSecret(url: string, base: string): (signal?: AbortSignal) => Promise<string> {
  const target = new URL(url, base).href;
  return async (signal) => {
    const response = await fetch(target, { method: 'POST', credentials: 'include', headers: { accept: 'application/json' }, signal: signal ?? null });
    if (!response.ok) throw new MenteoSetupError('session_url_failed', `[menteo] session-url ${target} answered ${response.status}; it must answer 2xx with {"clientSecret": "…"} for the signed-in person.`);
    const body: unknown = await response.json().catch(() => undefined);
    const secret = typeof body === 'object' && body !== null && 'clientSecret' in body ? body.clientSecret : undefined;
    if (typeof secret !== 'string' || secret === '') throw new MenteoSetupError('session_url_failed', `[menteo] session-url ${target} answered without a "clientSecret" string in a JSON object.`);
    return secret;
  };
}
