/**
 * `client.people`, `client.organization` and `client.apiKeys`. Imports only `@menteo/api/people`.
 * @module
 */
import {
  createApiKey, createPerson, getOrganization, getPerson, listApiKeys, listPeople, revokeApiKey,
  updateOrganization, updatePerson,
  type CreateApiKey, type CreatePerson, type UpdateOrganization, type UpdatePerson,
} from '@menteo/api/people';
import type { Transport } from './transport.js';
import type { CallOptions, ListOptions, ListQuery } from './types.js';

/** Builds the people namespace over a transport. */
export function peopleApi(t: Transport) {
  return {
    /** People of the organization, newest first; filter by external id, text, role or skill. */
    list: (query?: ListQuery<typeof listPeople>, options?: ListOptions) => t.list(listPeople, { ...options, query }),
    /** One person. */
    get: (personId: string, options?: CallOptions) => t.request(getPerson, { ...options, params: { personId } }),
    /** Adds a person (an API key, or an organization admin's token with `org:admin`). */
    create: (body: CreatePerson, options?: CallOptions) => t.request(createPerson, { ...options, body }),
    /** Changes a person; `active: false` revokes their access at once (an API key, or an organization admin's token with `org:admin`). */
    update: (personId: string, body: UpdatePerson, options?: CallOptions) =>
      t.request(updatePerson, { ...options, params: { personId }, body }),
  };
}

/** Builds the organization namespace over a transport. */
export function organizationApi(t: Transport) {
  return {
    /** The caller's organization. */
    get: (options?: CallOptions) => t.request(getOrganization, { ...options }),
    /** Renames the organization or changes its allowed embedding origins (`org:admin`: an API key, or an admin's token). */
    update: (body: UpdateOrganization, options?: CallOptions) => t.request(updateOrganization, { ...options, body }),
  };
}

/** Builds the API keys namespace over a transport (`org:admin`: an API key, or an admin's token). */
export function apiKeysApi(t: Transport) {
  return {
    /** The organization's keys, never their secrets. */
    list: (query?: ListQuery<typeof listApiKeys>, options?: ListOptions) => t.list(listApiKeys, { ...options, query }),
    /** Creates a key; the answer holds its secret, shown this once. */
    create: (body: CreateApiKey, options?: CallOptions) => t.request(createApiKey, { ...options, body }),
    /** Revokes a key at once. */
    revoke: (keyId: string, options?: CallOptions) => t.request(revokeApiKey, { ...options, params: { keyId } }),
  };
}

/** The people namespace (`client.people`). */
export type PeopleApi = ReturnType<typeof peopleApi>;
/** The organization namespace (`client.organization`). */
export type OrganizationApi = ReturnType<typeof organizationApi>;
/** The API keys namespace (`client.apiKeys`). */
export type ApiKeysApi = ReturnType<typeof apiKeysApi>;
