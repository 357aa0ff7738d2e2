/**
 * Versioned migrations for the `lti_` tables. The names sort after each other and carry the
 * `lti_` prefix, so the server can merge them into its own migration provider (Kysely runs
 * migrations in name order) or run them alone with {@link migrateLti}.
 * @module
 */
import { sql, type Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';

/** The first version of every table `@menteo/lti` owns. */
const initial: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('lti_registrations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text', (c) => c.notNull())
      .addColumn('issuer', 'text', (c) => c.notNull())
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('auth_login_url', 'text', (c) => c.notNull())
      .addColumn('auth_token_url', 'text', (c) => c.notNull())
      .addColumn('auth_token_audience', 'text')
      .addColumn('jwks_url', 'text', (c) => c.notNull())
      .addColumn('platform_name', 'text')
      .addColumn('person_match', 'text', (c) => c.notNull().defaultTo('sub'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('lti_registrations_issuer_client', ['issuer', 'client_id'])
      .execute();
    await db.schema
      .createTable('lti_deployments')
      .addColumn('registration_id', 'text', (c) => c.notNull().references('lti_registrations.id').onDelete('cascade'))
      .addColumn('deployment_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('lti_deployments_pk', ['registration_id', 'deployment_id'])
      .execute();
    await db.schema
      .createTable('lti_login_states')
      .addColumn('state', 'text', (c) => c.primaryKey())
      .addColumn('nonce', 'text', (c) => c.notNull())
      .addColumn('registration_id', 'text', (c) => c.notNull().references('lti_registrations.id').onDelete('cascade'))
      .addColumn('target_link_uri', 'text', (c) => c.notNull())
      .addColumn('storage_target', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('consumed_at', 'text')
      .addColumn('pending_ticket', 'text', (c) => c.unique())
      .addColumn('pending_launch', 'text')
      .execute();
    await db.schema.createIndex('lti_login_states_expiry').on('lti_login_states').column('expires_at').execute();
    await db.schema
      .createTable('lti_used_nonces')
      .addColumn('issuer', 'text', (c) => c.notNull())
      .addColumn('nonce', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('lti_used_nonces_pk', ['issuer', 'nonce'])
      .execute();
    await db.schema
      .createTable('lti_tool_keys')
      .addColumn('kid', 'text', (c) => c.primaryKey())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('private_jwk', 'text', (c) => c.notNull())
      .addColumn('public_jwk', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('activated_at', 'text')
      .addColumn('retired_at', 'text')
      .execute();
    await db.schema
      .createTable('lti_platform_jwks')
      .addColumn('jwks_url', 'text', (c) => c.primaryKey())
      .addColumn('jwks_json', 'text', (c) => c.notNull())
      .addColumn('fetched_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('lti_contexts')
      .addColumn('registration_id', 'text', (c) => c.notNull().references('lti_registrations.id').onDelete('cascade'))
      .addColumn('deployment_id', 'text', (c) => c.notNull())
      .addColumn('context_id', 'text', (c) => c.notNull())
      .addColumn('title', 'text')
      .addColumn('memberships_url', 'text')
      .addColumn('lineitems_url', 'text')
      .addColumn('lineitem_url', 'text')
      .addColumn('room_id', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('lti_contexts_pk', ['registration_id', 'deployment_id', 'context_id'])
      .execute();
    await db.schema
      .createTable('lti_user_links')
      .addColumn('registration_id', 'text', (c) => c.notNull().references('lti_registrations.id').onDelete('cascade'))
      .addColumn('sub', 'text', (c) => c.notNull())
      .addColumn('person_id', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('lti_user_links_pk', ['registration_id', 'sub'])
      .execute();
    await db.schema.createIndex('lti_user_links_person').on('lti_user_links').column('person_id').execute();
    await db.schema
      .createTable('lti_scim_tokens')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text', (c) => c.notNull())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('label', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .execute();
    await db.schema
      .createTable('lti_scim_users')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text', (c) => c.notNull())
      .addColumn('person_id', 'text', (c) => c.notNull())
      .addColumn('external_id', 'text')
      .addColumn('user_name', 'text', (c) => c.notNull())
      .addColumn('display_name', 'text')
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('doc', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('lti_scim_users_org_user_name', ['org_id', 'user_name'])
      .execute();
    await db.schema.createIndex('lti_scim_users_external').on('lti_scim_users').columns(['org_id', 'external_id']).execute();
    await db.schema
      .createTable('lti_scim_groups')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text', (c) => c.notNull())
      .addColumn('external_id', 'text')
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('lti_scim_groups_org_name', ['org_id', 'display_name'])
      .execute();
    await db.schema
      .createTable('lti_scim_members')
      .addColumn('group_id', 'text', (c) => c.notNull().references('lti_scim_groups.id').onDelete('cascade'))
      .addColumn('user_id', 'text', (c) => c.notNull().references('lti_scim_users.id').onDelete('cascade'))
      .addPrimaryKeyConstraint('lti_scim_members_pk', ['group_id', 'user_id'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of [
      'lti_scim_members', 'lti_scim_groups', 'lti_scim_users', 'lti_scim_tokens', 'lti_user_links', 'lti_contexts',
      'lti_platform_jwks', 'lti_tool_keys', 'lti_used_nonces', 'lti_login_states', 'lti_deployments',
      'lti_registrations',
    ]) {
      await db.schema.dropTable(table).ifExists().execute();
    }
  },
};

/**
 * Provenance of room memberships created by LMS courses (roster syncs remove absent members only
 * when the course added them), and single-use install links.
 */
const roomGrantsAndInstallUses: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('lti_room_grants')
      .addColumn('registration_id', 'text', (c) => c.notNull().references('lti_registrations.id').onDelete('cascade'))
      .addColumn('deployment_id', 'text', (c) => c.notNull())
      .addColumn('context_id', 'text', (c) => c.notNull())
      .addColumn('room_id', 'text', (c) => c.notNull())
      .addColumn('person_id', 'text', (c) => c.notNull())
      .addColumn('joined_at', 'text', (c) => c.notNull())
      .addColumn('seen_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('lti_room_grants_pk', ['registration_id', 'deployment_id', 'context_id', 'room_id', 'person_id'])
      .execute();
    await db.schema.createIndex('lti_room_grants_member').on('lti_room_grants').columns(['room_id', 'person_id']).execute();
    await db.schema
      .createTable('lti_install_uses')
      .addColumn('jti', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text', (c) => c.notNull())
      .addColumn('registration_id', 'text')
      .addColumn('claimed_at', 'text', (c) => c.notNull())
      .addColumn('completed_at', 'text')
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('lti_install_uses').ifExists().execute();
    await db.schema.dropTable('lti_room_grants').ifExists().execute();
  },
};

/**
 * Every migration of `@menteo/lti`, keyed by a name that sorts in order. Merge them into the
 * server's `MigrationProvider`, or call {@link migrateLti}.
 */
export const ltiMigrations: Readonly<Record<string, Migration>> = Object.freeze({
  lti_0001_initial: initial,
  lti_0002_room_grants_install_uses: roomGrantsAndInstallUses,
});

/** A Kysely migration provider that yields {@link ltiMigrations}. */
export const ltiMigrationProvider: MigrationProvider = {
  getMigrations: async () => ({ ...ltiMigrations }),
};

/**
 * Brings the `lti_` tables up to date on `db`, in a migration table of their own so that they
 * never interfere with the server's migration history. Throws when a migration fails.
 */
export async function migrateLti(db: Kysely<unknown>): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: ltiMigrationProvider,
    migrationTableName: 'lti_migrations',
    migrationLockTableName: 'lti_migrations_lock',
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
}

/** Turns on SQLite's foreign keys for a connection (off by default in SQLite). */
export async function enableSqliteForeignKeys(db: Kysely<unknown>): Promise<void> {
  await sql`PRAGMA foreign_keys = ON`.execute(db);
}
