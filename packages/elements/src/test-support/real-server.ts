/**
 * A REAL Menteo server over HTTP for browser tests that need what the in-page app cannot run
 * (the LTI and SCIM integrations): the runner's `menteo-real-server` plugin starts it in Node with
 * an organization that allows this page's origin and an admin person. Widgets sign in with a
 * single-use client secret, as the admin console does after `menteo-server admin-link`.
 * @module
 */
import { executeServerCommand } from '@web/test-runner-commands';
import { createClient, type MenteoClient } from '@menteo/client';

/** The running server and its admin. */
export interface RealServer {
  readonly baseUrl: string;
  /** The organization's admin (role admin). */
  readonly personId: string;
  /** A client signed in as the admin with every scope, as the console is. */
  adminClient(): MenteoClient;
}

/** Starts the server on first use (one per test run). */
export async function realServer(): Promise<RealServer> {
  const { baseUrl, personId } = await executeServerCommand<{ baseUrl: string; personId: string }, { origin: string }>('menteo-real-server', { origin: location.origin });
  const secret = async () => (await executeServerCommand<{ clientSecret: string }, undefined>('menteo-real-server-secret')).clientSecret;
  return {
    baseUrl,
    personId,
    adminClient: () => createClient({ baseUrl, clientSecret: secret, retry: 0 }),
  };
}
