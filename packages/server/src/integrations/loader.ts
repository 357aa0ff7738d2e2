/**
 * Loading and mounting the integrations without importing them up front: `createApp` runs in
 * browsers (msw) too, where the LTI and SCIM code is neither needed nor importable, so the
 * implementation module is imported on first use only.
 * @module
 */
import type { Hono } from 'hono';
import type { EventBus } from '../events/bus.js';
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

/** The roadmap id of a stored `roadmap.updated` event, or undefined. */
function roadmapIdOf(json: string): string | undefined {
  const event: unknown = JSON.parse(json);
  if (typeof event !== 'object' || event === null || !('data' in event)) return undefined;
  const data: unknown = event.data;
  if (typeof data !== 'object' || data === null || !('id' in data)) return undefined;
  return typeof data.id === 'string' ? data.id : undefined;
}

/**
 * Posts milestone completion to LMS gradebooks after every committed roadmap change. Hooked on
 * the live events rather than on the roadmap routes: they are published after commit only, they
 * cover every path that changes completion (a milestone done or undone, added or removed, a
 * roadmap created with milestones already done), and the routes stay unaware of LTI. Only called
 * when the app has integrations (the browser mock has none, so it posts nothing). Returns the
 * unsubscribe function.
 */
export function subscribeGradebookSync(bus: EventBus, load: IntegrationsLoader, onError: (error: unknown) => void): () => void {
  return bus.subscribeAll((event) => {
    if (event.type !== 'roadmap.updated') return;
    const roadmapId = roadmapIdOf(event.json);
    if (roadmapId === undefined) return;
    // Not awaited: the writer's response never waits for a gradebook.
    load().then(({ automation }) => automation?.roadmapChanged(event.orgId, roadmapId)).catch(onError);
  });
}
