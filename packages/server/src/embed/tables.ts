/**
 * The tables of signed embed URLs, and their migration. Kept beside the embed code (typed as an
 * extension of the server's `Database`, as `@menteo/lti` types its own tables) so the feature's
 * storage reads in one place.
 * @module
 */
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Database } from '../storage/schema.js';

/** An organization's embed key: only the public half (a JWK) is stored. */
export interface EmbedKeysTable {
  id: string;
  org_id: string;
  label: string | null;
  /** The public JWK (JSON), the verifier's only material: a database copy cannot sign. */
  public_jwk: string;
  created_at: string;
  /** Set when a newer key replaced this one: its tokens are refused from then on. */
  expires_at: string | null;
  revoked_at: string | null;
}

/** Spent token ids: an embed token opens one page, once. Kept until the token would have expired. */
export interface EmbedJtisTable {
  org_id: string;
  jti: string;
  expires_at: string;
  used_at: string;
}

/**
 * An open embed page's refresh credential (what LTI's launch-session token is to a launch page):
 * only its hash is stored, with the grant the signed URL carried.
 */
export interface EmbedPageSessionsTable {
  token_hash: string;
  org_id: string;
  person_id: string;
  /** JSON arrays. */
  scopes: string;
  room_ids: string | null;
  components: string;
  expires_at: string;
  created_at: string;
}

/** The embed tables. */
export interface EmbedTables {
  embed_keys: EmbedKeysTable;
  embed_jtis: EmbedJtisTable;
  embed_page_sessions: EmbedPageSessionsTable;
}

/** The server's database with the embed tables. */
export type EmbedDatabase = Database & EmbedTables;

/** The same connection, typed with the embed tables. */
export function embedDb(db: Kysely<Database>): Kysely<EmbedDatabase> {
  return db as unknown as Kysely<EmbedDatabase>;
}

const text = 'text' as const;

/** Creates the embed tables. */
export const embedMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.createTable('embed_keys')
      .addColumn('id', text, (c) => c.primaryKey())
      .addColumn('org_id', text, (c) => c.notNull().references('organizations.id').onDelete('cascade'))
      .addColumn('label', text)
      .addColumn('public_jwk', text, (c) => c.notNull())
      .addColumn('created_at', text, (c) => c.notNull())
      .addColumn('expires_at', text)
      .addColumn('revoked_at', text)
      .execute();
    await db.schema.createIndex('embed_keys_org').on('embed_keys').columns(['org_id', 'created_at']).execute();
    await db.schema.createTable('embed_jtis')
      .addColumn('org_id', text, (c) => c.notNull())
      .addColumn('jti', text, (c) => c.notNull())
      .addColumn('expires_at', text, (c) => c.notNull())
      .addColumn('used_at', text, (c) => c.notNull())
      .addPrimaryKeyConstraint('embed_jtis_pk', ['org_id', 'jti'])
      .execute();
    await db.schema.createIndex('embed_jtis_expires').on('embed_jtis').column('expires_at').execute();
    await db.schema.createTable('embed_page_sessions')
      .addColumn('token_hash', text, (c) => c.primaryKey())
      .addColumn('org_id', text, (c) => c.notNull())
      .addColumn('person_id', text, (c) => c.notNull())
      .addColumn('scopes', text, (c) => c.notNull())
      .addColumn('room_ids', text)
      .addColumn('components', text, (c) => c.notNull())
      .addColumn('expires_at', text, (c) => c.notNull())
      .addColumn('created_at', text, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('embed_page_sessions_expires').on('embed_page_sessions').column('expires_at').execute();
  },
};
