/**
 * What every mock environment offers, in the browser and in Node: the real app over a fresh
 * in-memory SQLite store, an organization with a secret API key, fault builders, and a way to
 * create people, rooms and content through the API itself.
 * @module
 */
import { createApp, createOrganization, migrateToLatest, type AppOptions, type Database, type MenteoApp } from '@menteo/server';
import { Kysely, SqliteDialect, type SqliteDatabase } from 'kysely';
import { faultsFor, type Faults } from './faults.js';

/** The organization every environment starts with. */
export interface MockOrganization {
  id: string;
  /** A secret API key with every scope: for host-backend code and test set-up, never for widgets. */
  apiKey: string;
}

/** Options shared by the browser and Node environments. */
export interface MockOptions {
  /** The API root the client talks to; requests under it are answered by the app. Default `https://api.menteo.test`. */
  baseUrl?: string;
  /** Allowed embedding origins of the organization; the page's own origin is added in browsers. */
  allowedOrigins?: string[];
  /** App options (rate limits, token lifetime…); the store is always the environment's own. */
  app?: Omit<AppOptions, 'db'>;
}

/** The parts of an environment that do not depend on the platform. */
export interface MockCore {
  readonly baseUrl: string;
  readonly app: MenteoApp;
  readonly db: Kysely<Database>;
  readonly organization: MockOrganization;
  readonly faults: Faults;
}

export const DEFAULT_BASE_URL = 'https://api.menteo.test';

/** Builds the app over an SQLite database with the same migrations as production. */
export async function createCore(database: SqliteDatabase, options: MockOptions): Promise<MockCore> {
  const baseUrl = options.baseUrl ?? DEFAULT_BASE_URL;
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  await migrateToLatest(db);
  const { organization, apiKey } = await createOrganization(db, {
    name: 'Mock organization',
    allowedOrigins: options.allowedOrigins ?? [],
  });
  // Tests hammer the API far faster than people do; limits are opt-in here.
  const app = createApp({ rateLimit: false, ipRateLimit: false, ...options.app, db });
  return { baseUrl, app, db, organization: { id: organization.id, apiKey: apiKey.secret }, faults: faultsFor(baseUrl) };
}
