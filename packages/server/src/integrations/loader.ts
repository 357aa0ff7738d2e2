/**
 * Loading and mounting the integrations without importing them up front: `createApp` runs in
 * browsers (msw) too, where the LTI and SCIM code is neither needed nor importable, so the
 * implementation module is imported on first use only.
 * @module
 */
import type { Hono } from 'hono';
import type { IntegrationDeps } from './mount.js';
import { LTI_PATH, SCIM_PATH, type Integrations, type IntegrationsLoader } from './types.js';

/** A loader that builds the integrations once, on first call; a failed load is retried next time. */
export function integrationsLoader(deps: IntegrationDeps): IntegrationsLoader {
  let loading: Promise<Integrations> | undefined;
  return () => {
    loading ??= import('./mount.js').then((m) => m.createIntegrations(deps)).catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
}

/**
 * Mounts the LTI tool at `/lti` and SCIM at `/scim/v2`. Each sub-app answers its own errors in
 * its protocol's shape (plain HTML pages for people inside an LMS frame, SCIM error documents for
 * identity providers), including 404s under its prefix; every other path keeps the contract's
 * problem+json 404/405 handling. `hono.mount` strips the prefix before the sub-app sees the request.
 */
export function mountIntegrations(hono: Hono, load: IntegrationsLoader): void {
  hono.mount(LTI_PATH, async (request: Request, env: unknown) => {
    const { tool } = await load();
    if (!tool) throw new Error('LTI is mounted without a tool: integrations.publicUrl is missing');
    return tool.app.fetch(request, env);
  });
  hono.mount(SCIM_PATH, async (request: Request, env: unknown) => {
    const { scimApp } = await load();
    if (!scimApp) throw new Error('SCIM is mounted without an app: integrations.publicUrl is missing');
    return scimApp.fetch(request, env);
  });
}
