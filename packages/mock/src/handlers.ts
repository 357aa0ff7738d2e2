/**
 * The msw handlers that hand every intercepted request for the API to the real Menteo server
 * app running in-process. There is no second implementation of the API: whatever the server
 * does over HTTP, it does here.
 * @module
 */
import { http, type HttpHandler } from 'msw';

/** Anything with a web-standard fetch handler, such as the app from `@menteo/server`. */
export interface FetchApp {
  fetch(request: Request): Response | Promise<Response>;
}

/** Handlers routing every request under `baseUrl` (e.g. `https://menteo.test`) to `app`. */
export function menteoHandlers(app: FetchApp, baseUrl: string): HttpHandler[] {
  const root = new URL(baseUrl);
  return [http.all(`${root.origin}/*`, ({ request }) => app.fetch(request))];
}
