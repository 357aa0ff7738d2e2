/**
 * Versioned migrations as code: an in-code provider for Kysely's `Migrator`, so the same
 * migrations run from Node, in a browser over sql.js, and in tests. Written with Kysely's schema
 * builder; where SQL must differ between SQLite and PostgreSQL, the migrations call `./dialect.ts`
 * (the auto-incrementing event id, byte-ordered text on PostgreSQL).
 * @module
 */
import { type Kysely, sql } from 'kysely';
import { type Migration, type MigrationProvider, Migrator } from 'kysely/migration';
import { migrateLti } from '@menteo/lti/migrations';
import { embedMigration } from '../embed/tables.js';
import { matchingMigration } from '../matching/tables.js';
import { autoIncrementId, byteOrderedText } from './dialect.js';

/** The table that records which of the server's migrations ran. Other packages use their own table. */
export const MIGRATION_TABLE = 'menteo_migrations';

const text = 'text' as const;

const v001: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.createTable('organizations')
      .addColumn('id', text, (c) => c.primaryKey())
      .addColumn('name', text, (c) => c.notNull())
      .addColumn('created_at', text, (c) => c.notNull())
      .execute();
    await db.schema.createTable('allowed_origins')
      .addColumn('org_id', text, (c) => c.notNull().references('organizations.id').onDelete('cascade'))
      .addColumn('origin', text, (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('allowed_origins_pk', ['org_id', 'origin'])
      .execute();
    await db.schema.createIndex('allowed_origins_origin').on('allowed_origins').columns(['origin']).execute();

    await db.schema.createTable('people')
      .addColumn('id', text, (c) => c.primaryKey())
      .addColumn('org_id', text, (c) => c.notNull().references('organizations.id'))
      .addColumn('external_id', text)
      .addColumn('display_name', text, (c) => c.notNull())
      .addColumn('search_text', text, (c) => c.notNull())
      .addColumn('email', text)
      .addColumn('title', text)
      .addColumn('skills', text, (c) => c.notNull())
      .addColumn('avatar_url', text)
      .addColumn('roles', text, (c) => c.notNull())
      .addColumn('active', 'integer', (c) => c.notNull())
      .addColumn('created_at', text, (c) => c.notNull())
      .addColumn('updated_at', text, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('people_org_id').on('people').columns(['org_id', 'id']).execute();
    await db.schema.createIndex('people_external_id').on('people').columns(['org_id', 'external_id']).unique().execute();

    await db.schema.createTable('api_keys')
      .addColumn('id', text, (c) => c.primaryKey())
      .addColumn('org_id', text, (c) => c.notNull().references('organizations.id'))
      .addColumn('name', text, (c) => c.notNull())
      .addColumn('prefix', text, (c) => c.notNull())
      .addColumn('secret_hash', text, (c) => c.notNull().unique())
      .addColumn('scopes', text, (c) => c.notNull())
      .addColumn('created_at', text, (c) => c.notNull())
      .addColumn('last_used_at', text)
      .addColumn('revoked_at', text)
      .execute();
    await db.schema.createIndex('api_keys_org_id').on('api_keys').columns(['org_id', 'id']).execute();

    await db.schema.createTable('embed_sessions')
      .addColumn('secret_hash', text, (c) => c.primaryKey())
      .addColumn('org_id', text, (c) => c.notNull())
      .addColumn('person_id', text, (c) => c.notNull())
      .addColumn('scopes', text, (c) => c.notNull())
      .addColumn('room_ids', text)
      .addColumn('components', text, (c) => c.notNull())
      .addColumn('expires_at', text, (c) => c.notNull())
      .addColumn('used_at', text)
      .addColumn('created_at', text, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('embed_sessions_expires_at').on('embed_sessions').columns(['expires_at']).execute();
    await db.schema.createTable('access_tokens')
      .addColumn('token_hash', text, (c) => c.primaryKey())
      .addColumn('id', text, (c) => c.notNull().unique())
      .addColumn('org_id', text, (c) => c.notNull())
      .addColumn('person_id', text, (c) => c.notNull())
      .addColumn('scopes', text, (c) => c.notNull())
      .addColumn('room_ids', text)
      .addColumn('components', text, (c) => c.notNull())
      .addColumn('expires_at', text, (c) => c.notNull())
      .addColumn('created_at', text, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('access_tokens_expires_at').on('access_tokens').columns(['expires_at']).execute();

    await db.schema.createTable('rooms')
      .addColumn('id', text, (c) => c.primaryKey())
      .addColumn('org_id', text, (c) => c.notNull().references('organizations.id'))
      .addColumn('title', text, (c) => c.notNull())
      .addColumn('purpose', text, (c) => c.notNull())
      .addColumn('status', text, (c) => c.notNull())
      .addColumn('roadmap_id', text)
      .addColumn('created_at', text, (c) => c.notNull())
      .addColumn('updated_at', text, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('rooms_org_id').on('rooms').columns(['org_id', 'id']).execute();
    await db.schema.createTable('room_members')
      .addColumn('room_id', text, (c) => c.notNull().references('rooms.id'))
      .addColumn('person_id', text, (c) => c.notNull().references('people.id'))
      .addColumn('org_id', text, (c) => c.notNull())
      .addColumn('role', text, (c) => c.notNull())
      .addColumn('joined_at', text, (c) => c.notNull())
      .addPrimaryKeyConstraint('room_members_pk', ['room_id', 'person_id'])
      .execute();
    await db.schema.createIndex('room_members_person').on('room_members').columns(['person_id', 'room_id']).execute();

    for (const table of ['messages', 'resources', 'check_ins', 'feedback', 'learnings'] as const) {
      let t = db.schema.createTable(table)
        .addColumn('id', text, (c) => c.primaryKey())
        .addColumn('org_id', text, (c) => c.notNull())
        .addColumn('room_id', text, (c) => c.notNull().references('rooms.id'));
      if (table === 'messages') t = t.addColumn('author_id', text, (c) => c.notNull()).addColumn('body', text, (c) => c.notNull());
      if (table === 'resources') {
        t = t.addColumn('title', text, (c) => c.notNull()).addColumn('url', text, (c) => c.notNull())
          .addColumn('note', text, (c) => c.notNull()).addColumn('added_by', text, (c) => c.notNull());
      }
      if (table === 'check_ins') {
        t = t.addColumn('author_id', text, (c) => c.notNull()).addColumn('progress', text, (c) => c.notNull())
          .addColumn('blockers', text, (c) => c.notNull()).addColumn('confidence', 'integer', (c) => c.notNull());
      }
      if (table === 'feedback') {
        t = t.addColumn('author_id', text, (c) => c.notNull()).addColumn('direction', text, (c) => c.notNull())
          .addColumn('subject', text, (c) => c.notNull()).addColumn('subject_id', text)
          .addColumn('rating', 'integer', (c) => c.notNull()).addColumn('comment', text, (c) => c.notNull());
      }
      if (table === 'learnings') {
        t = t.addColumn('author_id', text, (c) => c.notNull()).addColumn('body', text, (c) => c.notNull())
          .addColumn('skills', text, (c) => c.notNull());
      }
      await t.addColumn('created_at', text, (c) => c.notNull()).execute();
      await db.schema.createIndex(`${table}_room_id`).on(table).columns(['room_id', 'id']).execute();
    }

    await db.schema.createTable('notes')
      .addColumn('id', text, (c) => c.primaryKey())
      .addColumn('org_id', text, (c) => c.notNull())
      .addColumn('room_id', text, (c) => c.notNull().references('rooms.id'))
      .addColumn('author_id', text, (c) => c.notNull())
      .addColumn('session_date', text, (c) => c.notNull())
      .addColumn('summary', text, (c) => c.notNull())
      .addColumn('created_at', text, (c) => c.notNull())
      .addColumn('updated_at', text, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('notes_room_session').on('notes').columns(['room_id', 'session_date', 'id']).execute();
    await db.schema.createTable('action_items')
      .addColumn('id', text, (c) => c.primaryKey())
      .addColumn('org_id', text, (c) => c.notNull())
      .addColumn('note_id', text, (c) => c.notNull().references('notes.id'))
      .addColumn('text', text, (c) => c.notNull())
      .addColumn('owner_id', text)
      .addColumn('due_date', text)
      .addColumn('done', 'integer', (c) => c.notNull())
      .addColumn('done_at', text)
      .execute();
    await db.schema.createIndex('action_items_note').on('action_items').columns(['note_id', 'id']).execute();

    await db.schema.createTable('roadmaps')
      .addColumn('id', text, (c) => c.primaryKey())
      .addColumn('org_id', text, (c) => c.notNull())
      .addColumn('room_id', text, (c) => c.notNull().references('rooms.id'))
      .addColumn('owner_id', text, (c) => c.notNull())
      .addColumn('title', text, (c) => c.notNull())
      .addColumn('goal', text, (c) => c.notNull())
      .addColumn('start_date', text, (c) => c.notNull())
      .addColumn('horizon_days', 'integer', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('created_at', text, (c) => c.notNull())
      .addColumn('updated_at', text, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('roadmaps_org').on('roadmaps').columns(['org_id', 'id']).execute();
    await db.schema.createIndex('roadmaps_room_owner').on('roadmaps').columns(['room_id', 'owner_id']).unique().execute();
    await db.schema.createTable('milestones')
      .addColumn('id', text, (c) => c.primaryKey())
      .addColumn('org_id', text, (c) => c.notNull())
      .addColumn('roadmap_id', text, (c) => c.notNull().references('roadmaps.id'))
      .addColumn('title', text, (c) => c.notNull())
      .addColumn('description', text, (c) => c.notNull())
      .addColumn('due_date', text, (c) => c.notNull())
      .addColumn('required_skills', text, (c) => c.notNull())
      .addColumn('expected_outcome', text, (c) => c.notNull())
      .addColumn('status', text, (c) => c.notNull())
      .addColumn('evidence_post_ids', text, (c) => c.notNull())
      .addColumn('status_changed_at', text, (c) => c.notNull())
      .addColumn('completed_at', text)
      .addColumn('created_at', text, (c) => c.notNull())
      .addColumn('updated_at', text, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('milestones_roadmap').on('milestones').columns(['roadmap_id', 'due_date', 'id']).execute();
    await db.schema.createTable('revisions')
      .addColumn('id', text, (c) => c.primaryKey())
      .addColumn('org_id', text, (c) => c.notNull())
      .addColumn('roadmap_id', text, (c) => c.notNull().references('roadmaps.id'))
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('kind', text, (c) => c.notNull())
      .addColumn('author_id', text, (c) => c.notNull())
      .addColumn('reason', text, (c) => c.notNull())
      .addColumn('changes', text, (c) => c.notNull())
      .addColumn('created_at', text, (c) => c.notNull())
      .execute();
    // Unique per version: two concurrent edits from the same base cannot both commit.
    await db.schema.createIndex('revisions_roadmap_version').on('revisions').columns(['roadmap_id', 'version']).unique().execute();
    await db.schema.createIndex('revisions_roadmap_id').on('revisions').columns(['roadmap_id', 'id']).execute();

    await db.schema.createTable('threads')
      .addColumn('id', text, (c) => c.primaryKey())
      .addColumn('org_id', text, (c) => c.notNull())
      .addColumn('author_id', text, (c) => c.notNull())
      .addColumn('title', text, (c) => c.notNull())
      .addColumn('skills', text, (c) => c.notNull())
      .addColumn('room_id', text)
      .addColumn('post_count', 'integer', (c) => c.notNull())
      .addColumn('last_post_at', text)
      .addColumn('created_at', text, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('threads_org').on('threads').columns(['org_id', 'id']).execute();
    await db.schema.createIndex('threads_author').on('threads').columns(['author_id', 'id']).execute();
    await db.schema.createIndex('threads_room').on('threads').columns(['room_id', 'id']).execute();
    await db.schema.createTable('thread_skills')
      .addColumn('org_id', text, (c) => c.notNull())
      .addColumn('skill', text, (c) => c.notNull())
      .addColumn('thread_id', text, (c) => c.notNull().references('threads.id'))
      .addPrimaryKeyConstraint('thread_skills_pk', ['org_id', 'skill', 'thread_id'])
      .execute();

    await db.schema.createTable('posts')
      .addColumn('id', text, (c) => c.primaryKey())
      .addColumn('org_id', text, (c) => c.notNull())
      .addColumn('thread_id', text, (c) => c.notNull().references('threads.id'))
      .addColumn('author_id', text, (c) => c.notNull())
      .addColumn('body', text, (c) => c.notNull())
      .addColumn('audience', text, (c) => c.notNull())
      .addColumn('room_id', text)
      .addColumn('milestone_id', text)
      .addColumn('comment_count', 'integer', (c) => c.notNull())
      .addColumn('created_at', text, (c) => c.notNull())
      .addColumn('updated_at', text, (c) => c.notNull())
      .execute();
    // Keyset pages seek on (filter column, id): page cost stays flat as posts grow.
    for (const col of ['org_id', 'thread_id', 'room_id', 'author_id', 'milestone_id'] as const) {
      await db.schema.createIndex(`posts_${col}_id`).on('posts').columns([col, 'id']).execute();
    }
    await db.schema.createTable('comments')
      .addColumn('id', text, (c) => c.primaryKey())
      .addColumn('org_id', text, (c) => c.notNull())
      .addColumn('post_id', text, (c) => c.notNull().references('posts.id').onDelete('cascade'))
      .addColumn('author_id', text, (c) => c.notNull())
      .addColumn('body', text, (c) => c.notNull())
      .addColumn('created_at', text, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('comments_post').on('comments').columns(['post_id', 'id']).execute();
    await db.schema.createTable('reactions')
      .addColumn('post_id', text, (c) => c.notNull().references('posts.id').onDelete('cascade'))
      .addColumn('person_id', text, (c) => c.notNull())
      .addColumn('kind', text, (c) => c.notNull())
      .addColumn('created_at', text, (c) => c.notNull())
      .addPrimaryKeyConstraint('reactions_pk', ['post_id', 'kind', 'person_id'])
      .execute();

    await autoIncrementId(db, db.schema.createTable('events'))
      .addColumn('org_id', text, (c) => c.notNull())
      .addColumn('room_id', text)
      .addColumn('thread_id', text)
      .addColumn('audience', text)
      .addColumn('type', text, (c) => c.notNull())
      .addColumn('data', text, (c) => c.notNull())
      .addColumn('occurred_at', text, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('events_org').on('events').columns(['org_id', 'id']).execute();
    await db.schema.createIndex('events_room').on('events').columns(['room_id', 'id']).execute();
    await db.schema.createIndex('events_thread').on('events').columns(['thread_id', 'id']).execute();

    await db.schema.createTable('idempotency')
      .addColumn('principal', text, (c) => c.notNull())
      .addColumn('key', text, (c) => c.notNull())
      .addColumn('request_hash', text, (c) => c.notNull())
      .addColumn('status', 'integer')
      .addColumn('body', text)
      .addColumn('created_at', text, (c) => c.notNull())
      .addPrimaryKeyConstraint('idempotency_pk', ['principal', 'key'])
      .execute();
    await db.schema.createIndex('idempotency_created').on('idempotency').columns(['created_at']).execute();
  },
};

/**
 * Tables behind the integrations (LTI and SCIM): HR attributes of people and provisioned groups.
 * The `lti_` tables themselves belong to `@menteo/lti` and are migrated by it (see `migrateToLatest`).
 */
const v002: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.createTable('person_enterprise')
      .addColumn('person_id', text, (c) => c.primaryKey().references('people.id').onDelete('cascade'))
      .addColumn('org_id', text, (c) => c.notNull().references('organizations.id'))
      .addColumn('department', text)
      .addColumn('employee_number', text)
      .addColumn('manager_person_id', text, (c) => c.references('people.id').onDelete('set null'))
      .addColumn('updated_at', text, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('person_enterprise_manager').on('person_enterprise').columns(['manager_person_id']).execute();

    await db.schema.createTable('people_groups')
      .addColumn('id', text, (c) => c.primaryKey())
      .addColumn('org_id', text, (c) => c.notNull().references('organizations.id'))
      .addColumn('external_id', text)
      .addColumn('display_name', text, (c) => c.notNull())
      .addColumn('source', text, (c) => c.notNull())
      .addColumn('created_at', text, (c) => c.notNull())
      .addColumn('updated_at', text, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('people_groups_org').on('people_groups').columns(['org_id', 'display_name']).execute();

    await db.schema.createTable('people_group_members')
      .addColumn('group_id', text, (c) => c.notNull().references('people_groups.id').onDelete('cascade'))
      .addColumn('person_id', text, (c) => c.notNull().references('people.id').onDelete('cascade'))
      .addColumn('org_id', text, (c) => c.notNull())
      .addPrimaryKeyConstraint('people_group_members_pk', ['group_id', 'person_id'])
      .execute();
    await db.schema.createIndex('people_group_members_person').on('people_group_members').columns(['person_id']).execute();
  },
};

/**
 * What the server automates around the LTI tool: when each course roster was last synced (so a
 * burst of launches syncs once per window, across restarts and instances sharing the database),
 * and the last score posted per course, roadmap and mentee (so a repeated or retried post is
 * skipped when the gradebook already shows it, and failures stay visible until a retry succeeds).
 * Named `integration_` because the `lti_` prefix belongs to `@menteo/lti`'s own migrations.
 */
const v003: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.createTable('integration_roster_syncs')
      .addColumn('registration_id', text, (c) => c.notNull())
      .addColumn('deployment_id', text, (c) => c.notNull())
      .addColumn('context_id', text, (c) => c.notNull())
      .addColumn('org_id', text, (c) => c.notNull())
      .addColumn('room_id', text, (c) => c.notNull())
      .addColumn('started_at', text, (c) => c.notNull())
      .addColumn('finished_at', text)
      .addColumn('outcome', text)
      .addColumn('detail', text)
      .addPrimaryKeyConstraint('integration_roster_syncs_pk', ['registration_id', 'deployment_id', 'context_id'])
      .execute();

    await db.schema.createTable('integration_score_posts')
      .addColumn('registration_id', text, (c) => c.notNull())
      .addColumn('deployment_id', text, (c) => c.notNull())
      .addColumn('context_id', text, (c) => c.notNull())
      .addColumn('roadmap_id', text, (c) => c.notNull())
      .addColumn('person_id', text, (c) => c.notNull())
      .addColumn('org_id', text, (c) => c.notNull())
      .addColumn('status', text, (c) => c.notNull())
      .addColumn('posted_completed', 'integer')
      .addColumn('posted_total', 'integer')
      .addColumn('posted_at', text)
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('last_error', text)
      .addColumn('updated_at', text, (c) => c.notNull())
      .addPrimaryKeyConstraint('integration_score_posts_pk', ['registration_id', 'deployment_id', 'context_id', 'roadmap_id', 'person_id'])
      .execute();
    await db.schema.createIndex('integration_score_posts_status').on('integration_score_posts').columns(['status', 'updated_at']).execute();
  },
};

/**
 * Idempotency records of secret-issuing operations keep no body (a secret stored in the clear for
 * 24 h would defeat storing credentials as hashes): `withheld` marks them, and a repeat of such a
 * request answers 409 instead of a second copy of the secret.
 */
const v004: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('idempotency').addColumn('withheld', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    // Records written before this version may hold secrets in their bodies: delete those (the
    // fields that carry secrets in the answers of the secret-issuing operations).
    await sql`delete from idempotency where body like '%"secret":%' or body like '%"clientSecret":%' or body like '%"accessToken":%' or body like '%install=%'`.execute(db);
  },
};

/**
 * Evidence has one stored link, the post's `milestone_id`; a milestone's evidence is derived
 * from it. Links stored only in `milestones.evidence_post_ids` (set through the roadmap before
 * this version) move to their posts, the most recently edited milestone first; a post that
 * already names a milestone keeps its own link. The old column stays as it was, unread, so
 * nothing stored is lost. Also adds requests for feedback.
 */
const v005: Migration = {
  async up(db: Kysely<unknown>) {
    interface Row { id: string; org_id: string; evidence_post_ids: string }
    const milestones = await sql<Row>`select id, org_id, evidence_post_ids from milestones where evidence_post_ids <> '[]' order by updated_at desc, id desc`.execute(db);
    for (const m of milestones.rows) {
      let ids: unknown;
      try {
        ids = JSON.parse(m.evidence_post_ids);
      } catch {
        continue;
      }
      if (!Array.isArray(ids)) continue;
      for (const postId of ids) {
        if (typeof postId !== 'string') continue;
        await sql`update posts set milestone_id = ${m.id} where id = ${postId} and org_id = ${m.org_id} and milestone_id is null`.execute(db);
      }
    }
    await db.schema.createTable('feedback_requests')
      .addColumn('id', text, (c) => c.primaryKey())
      .addColumn('org_id', text, (c) => c.notNull())
      .addColumn('room_id', text, (c) => c.notNull().references('rooms.id'))
      .addColumn('requester_id', text, (c) => c.notNull())
      .addColumn('recipient_id', text, (c) => c.notNull())
      .addColumn('subject', text, (c) => c.notNull())
      .addColumn('subject_id', text)
      .addColumn('message', text, (c) => c.notNull())
      .addColumn('answered_by', text)
      .addColumn('answered_at', text)
      .addColumn('created_at', text, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('feedback_requests_room_id').on('feedback_requests').columns(['room_id', 'id']).execute();
  },
};

/**
 * Programs (issue 10): programs, versioned roadmap templates, cohorts with enrolments, SCIM group
 * links, enrolment import jobs, the rooms opened in a cohort, which template milestone each
 * roadmap milestone came from, and rooms' decisions about newer template versions.
 */
const v006: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.createTable('programs')
      .addColumn('id', text, (c) => c.primaryKey())
      .addColumn('org_id', text, (c) => c.notNull().references('organizations.id').onDelete('cascade'))
      .addColumn('name', text, (c) => c.notNull())
      .addColumn('description', text, (c) => c.notNull())
      .addColumn('status', text, (c) => c.notNull())
      .addColumn('created_at', text, (c) => c.notNull())
      .addColumn('updated_at', text, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('programs_org').on('programs').columns(['org_id', 'id']).execute();
    await db.schema.createTable('roadmap_templates')
      .addColumn('id', text, (c) => c.primaryKey())
      .addColumn('org_id', text, (c) => c.notNull())
      .addColumn('program_id', text, (c) => c.notNull().references('programs.id'))
      .addColumn('name', text, (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('created_at', text, (c) => c.notNull())
      .addColumn('updated_at', text, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('roadmap_templates_program').on('roadmap_templates').columns(['program_id', 'id']).execute();
    await db.schema.createTable('roadmap_template_versions')
      .addColumn('template_id', text, (c) => c.notNull().references('roadmap_templates.id').onDelete('cascade'))
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('org_id', text, (c) => c.notNull())
      .addColumn('name', text, (c) => c.notNull())
      .addColumn('goal', text, (c) => c.notNull())
      .addColumn('horizon_days', 'integer', (c) => c.notNull())
      .addColumn('milestones', text, (c) => c.notNull())
      .addColumn('note', text, (c) => c.notNull())
      .addColumn('created_at', text, (c) => c.notNull())
      .addPrimaryKeyConstraint('roadmap_template_versions_pk', ['template_id', 'version'])
      .execute();
    await db.schema.createTable('cohorts')
      .addColumn('id', text, (c) => c.primaryKey())
      .addColumn('org_id', text, (c) => c.notNull())
      .addColumn('program_id', text, (c) => c.notNull().references('programs.id'))
      .addColumn('name', text, (c) => c.notNull())
      .addColumn('start_date', text, (c) => c.notNull())
      .addColumn('end_date', text, (c) => c.notNull())
      .addColumn('template_id', text, (c) => c.references('roadmap_templates.id'))
      .addColumn('created_at', text, (c) => c.notNull())
      .addColumn('updated_at', text, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('cohorts_program').on('cohorts').columns(['program_id', 'start_date']).execute();
    await db.schema.createIndex('cohorts_org').on('cohorts').columns(['org_id', 'id']).execute();
    await db.schema.createTable('cohort_enrolments')
      .addColumn('cohort_id', text, (c) => c.notNull().references('cohorts.id').onDelete('cascade'))
      .addColumn('person_id', text, (c) => c.notNull().references('people.id'))
      .addColumn('org_id', text, (c) => c.notNull())
      .addColumn('role', text, (c) => c.notNull())
      .addColumn('source', text, (c) => c.notNull())
      .addColumn('group_id', text)
      .addColumn('enrolled_at', text, (c) => c.notNull())
      .addPrimaryKeyConstraint('cohort_enrolments_pk', ['cohort_id', 'person_id'])
      .execute();
    await db.schema.createIndex('cohort_enrolments_person').on('cohort_enrolments').columns(['person_id']).execute();
    await db.schema.createIndex('cohort_enrolments_order').on('cohort_enrolments').columns(['cohort_id', 'enrolled_at', 'person_id']).execute();
    await db.schema.createTable('cohort_group_links')
      .addColumn('cohort_id', text, (c) => c.notNull().references('cohorts.id').onDelete('cascade'))
      .addColumn('group_id', text, (c) => c.notNull())
      .addColumn('org_id', text, (c) => c.notNull())
      .addColumn('role', text, (c) => c.notNull())
      .addColumn('created_at', text, (c) => c.notNull())
      .addPrimaryKeyConstraint('cohort_group_links_pk', ['cohort_id', 'group_id'])
      .execute();
    await db.schema.createIndex('cohort_group_links_group').on('cohort_group_links').columns(['group_id']).execute();
    await db.schema.createTable('enrolment_imports')
      .addColumn('id', text, (c) => c.primaryKey())
      .addColumn('org_id', text, (c) => c.notNull())
      .addColumn('cohort_id', text, (c) => c.notNull().references('cohorts.id').onDelete('cascade'))
      .addColumn('dry_run', 'integer', (c) => c.notNull())
      .addColumn('status', text, (c) => c.notNull())
      .addColumn('rows', text, (c) => c.notNull())
      .addColumn('total_rows', 'integer', (c) => c.notNull())
      .addColumn('processed_rows', 'integer', (c) => c.notNull())
      .addColumn('enrolled', 'integer', (c) => c.notNull())
      .addColumn('role_changed', 'integer', (c) => c.notNull())
      .addColumn('unchanged', 'integer', (c) => c.notNull())
      .addColumn('rejected', text, (c) => c.notNull())
      .addColumn('error', text)
      .addColumn('created_at', text, (c) => c.notNull())
      .addColumn('finished_at', text)
      .execute();
    await db.schema.createTable('cohort_rooms')
      .addColumn('room_id', text, (c) => c.primaryKey().references('rooms.id'))
      .addColumn('cohort_id', text, (c) => c.notNull().references('cohorts.id'))
      .addColumn('org_id', text, (c) => c.notNull())
      .addColumn('mentor_id', text, (c) => c.notNull())
      .addColumn('mentee_id', text, (c) => c.notNull())
      .addColumn('roadmap_id', text)
      .addColumn('template_id', text)
      .addColumn('template_version', 'integer')
      .addColumn('created_at', text, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('cohort_rooms_cohort').on('cohort_rooms').columns(['cohort_id', 'room_id']).execute();
    await db.schema.createIndex('cohort_rooms_roadmap').on('cohort_rooms').columns(['roadmap_id']).execute();
    await db.schema.createTable('template_milestone_links')
      .addColumn('milestone_id', text, (c) => c.primaryKey())
      .addColumn('roadmap_id', text, (c) => c.notNull())
      .addColumn('template_milestone_id', text, (c) => c.notNull())
      .addColumn('org_id', text, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('template_milestone_links_roadmap').on('template_milestone_links').columns(['roadmap_id']).execute();
    await db.schema.createTable('template_decisions')
      .addColumn('id', text, (c) => c.primaryKey())
      .addColumn('org_id', text, (c) => c.notNull())
      .addColumn('roadmap_id', text, (c) => c.notNull())
      .addColumn('template_id', text, (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('decision', text, (c) => c.notNull())
      .addColumn('reason', text, (c) => c.notNull())
      .addColumn('author_id', text, (c) => c.notNull())
      .addColumn('created_at', text, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('template_decisions_roadmap').on('template_decisions').columns(['roadmap_id', 'id']).execute();
  },
};

/**
 * An index for matching people by email case-insensitively within an organization (LTI's
 * `personMatch: "email"`, which compares `lower(email)`): an expression index, which SQLite and
 * PostgreSQL both accept in this form. Emails stay stored as given (HR systems keep their case).
 */
const v007: Migration = {
  async up(db: Kysely<unknown>) {
    // `id` last: the query orders its matches by id, and without it SQLite prefers
    // people_org_id (org_id, id), which reads every person of the organization.
    await sql`create index people_org_email on people (org_id, lower(email), id)`.execute(db);
  },
};

/**
 * Privacy by design for admins: the organization's `admin_content_access` setting (off by
 * default: admins read metrics and reasons, not room content) and the audit log that records each
 * admin read of room content while it is on, and each change of the setting.
 */
const v008: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('organizations').addColumn('admin_content_access', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.createTable('audit_log')
      .addColumn('id', text, (c) => c.primaryKey())
      .addColumn('org_id', text, (c) => c.notNull())
      .addColumn('at', text, (c) => c.notNull())
      .addColumn('action', text, (c) => c.notNull())
      .addColumn('actor_kind', text, (c) => c.notNull())
      .addColumn('actor_person_id', text)
      .addColumn('actor_key_id', text)
      .addColumn('room_id', text)
      .addColumn('resource', text, (c) => c.notNull())
      .addColumn('endpoint', text, (c) => c.notNull())
      .addColumn('request_id', text, (c) => c.notNull())
      .addColumn('change', text)
      .execute();
    await db.schema.createIndex('audit_log_org').on('audit_log').columns(['org_id', 'id']).execute();
  },
};

/**
 * Reaction counts per (post, kind), kept in the same transaction as each reaction's insert or
 * delete, so a feed page reads at most five counts per post instead of aggregating every
 * reaction row (a page with 50 reactions per post cost 1.68× one with none). Backfilled from the
 * existing rows; a count that drops to 0 keeps its row (views skip it).
 */
const v009: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.createTable('reaction_counts')
      .addColumn('post_id', text, (c) => c.notNull().references('posts.id').onDelete('cascade'))
      .addColumn('kind', text, (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('reaction_counts_pk', ['post_id', 'kind'])
      .execute();
    await sql`insert into reaction_counts (post_id, kind, count) select post_id, kind, count(*) from reactions group by post_id, kind`.execute(db);
  },
};

/**
 * Several instances on one database (issue 11): `rate_limit_buckets` holds one token bucket per
 * key so N instances grant one limit, not N (src/http/rate-limit.ts); `cluster_leases` lets one
 * instance at a time run a maintenance job (src/cluster/lease.ts). Plain portable SQL; the table
 * types live beside their code (src/cluster/tables.ts).
 */
const v010: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.createTable('rate_limit_buckets')
      .addColumn('key', text, (c) => c.primaryKey())
      .addColumn('tokens', 'double precision', (c) => c.notNull())
      .addColumn('updated_ms', 'bigint', (c) => c.notNull())
      .addColumn('granted', 'integer', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('rate_limit_buckets_updated').on('rate_limit_buckets').column('updated_ms').execute();
    await db.schema.createTable('cluster_leases')
      .addColumn('name', text, (c) => c.primaryKey())
      .addColumn('owner', text, (c) => c.notNull())
      .addColumn('expires_ms', 'bigint', (c) => c.notNull())
      .execute();
  },
};

/**
 * The API key that minted each client secret and access token (issue: revoking a key revokes what
 * it minted). Null for rows minted before this column, and for secrets minted without a key
 * (LTI launches, signed embed URLs, `admin-link`): unknown, so not revoked with any key.
 */
const v013: Migration = {
  async up(db: Kysely<unknown>) {
    for (const table of ['embed_sessions', 'access_tokens']) {
      await db.schema.alterTable(table).addColumn('api_key_id', text).execute();
      await db.schema.createIndex(`${table}_api_key_id`).on(table).columns(['api_key_id']).execute();
    }
  },
};

/** Events addressed to one person (the `me` live topic: `room.joined`); null for every other event. */
const v014: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('events').addColumn('person_id', text).execute();
    await db.schema.createIndex('events_person').on('events').columns(['person_id', 'id']).execute();
  },
};

/** The server's migrations by version name; names sort in application order. */
export const migrations: Readonly<Record<string, Migration>> = {
  '001_initial': v001,
  '002_integrations': v002,
  '003_lti_automation': v003,
  '004_idempotency_withheld': v004,
  '005_evidence_one_link': v005,
  '006_programs': v006,
  '007_people_email_index': v007,
  '008_admin_privacy': v008,
  '009_reaction_counts': v009,
  '010_cluster': v010,
  '011_embed_keys': embedMigration,
  '012_matching': matchingMigration,
  '013_key_minted_credentials': v013,
  '014_event_recipients': v014,
};

/** A Kysely migration provider over the in-code migrations. */
export const migrationProvider: MigrationProvider = {
  getMigrations: async () => ({ ...migrations }),
};

/**
 * Brings the database up to the latest version. Throws if a migration fails, so a server never
 * starts on a half-migrated schema.
 */
export async function migrateToLatest<DB>(db: Kysely<DB>): Promise<void> {
  // On PostgreSQL every text column is created `collate "C"`, so text sorts as on SQLite.
  const target = byteOrderedText(db as unknown as Kysely<unknown>);
  const migrator = new Migrator({ db: target, provider: migrationProvider, migrationTableName: MIGRATION_TABLE, migrationLockTableName: `${MIGRATION_TABLE}_lock` });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  // The LTI and SCIM tables are versioned by `@menteo/lti` in a history table of its own
  // (`lti_migrations`) rather than merged into ours: Kysely requires executed migrations to stay
  // a prefix of the sorted list, so two packages adding migrations independently to one history
  // would eventually refuse to migrate. Calling it here gives every `createApp` environment
  // (Node, tests, the browser's sql.js store in @menteo/mock) the same tables.
  await migrateLti(target);
}

