/**
 * The matching tables and their migration, typed as an extension of the server's `Database` (as
 * the embed and LTI tables are) so the feature's storage reads in one place.
 *
 * Department and manager are not stored here: they live in `person_enterprise`, which SCIM
 * already writes, so SCIM, CSV imports and admins edit one copy and no precedence rule is needed.
 * @module
 */
import type { Kysely, Transaction } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Database } from '../storage/schema.js';

/** A person's own matching profile (the HR facts besides department and manager). */
export interface MatchingProfilesTable {
  person_id: string;
  org_id: string;
  /** JSON arrays of skill slugs. */
  wants: string;
  offers: string;
  goals: string;
  capacity: number;
  time_zone: string | null;
  /** JSON array of language tags. */
  languages: string;
  seniority: number | null;
  /** `scim`, `import` or `admin`: who set the HR facts last. */
  hr_source: string | null;
  opted_out: number;
  updated_at: string | null;
}

/** A program's matching settings; absent until first changed (defaults apply). */
export interface MatchingSettingsTable {
  program_id: string;
  org_id: string;
  /** JSON `MatchWeights`. */
  weights: string;
  department_preference: string;
  ideal_seniority_gap: number;
  exclude_peers: number;
  self_serve: number;
  rematch_below: number;
  updated_at: string;
}

/** A pair a program never proposes. */
export interface MatchingExcludedPairsTable {
  program_id: string;
  mentor_id: string;
  mentee_id: string;
  org_id: string;
  note: string;
}

/**
 * A matching run. Its inputs (profiles, settings, locks, exclusions, existing pairs) and its
 * result (pairs with their factors, unmatched mentees, totals) are kept as JSON documents: a run
 * is explained later exactly as it was computed, whatever changed since.
 */
export interface MatchingRunsTable {
  id: string;
  org_id: string;
  cohort_id: string;
  program_id: string;
  status: string;
  based_on: string | null;
  inputs: string;
  result: string;
  /** JSON arrays: `[{ mentorId, menteeId }]` and person ids. */
  locks: string;
  excluded: string;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  published_at: string | null;
}

/** A mentee's request to a mentor. */
export interface MatchRequestsTable {
  id: string;
  org_id: string;
  cohort_id: string;
  mentee_id: string;
  mentor_id: string;
  status: string;
  message: string;
  score: number;
  max_score: number;
  /** JSON `FactorScore[]` at request time. */
  factors: string;
  response_note: string | null;
  room_id: string | null;
  replaces_room_id: string | null;
  created_at: string;
  responded_at: string | null;
}

/** The matching tables. */
export interface MatchingTables {
  matching_profiles: MatchingProfilesTable;
  matching_settings: MatchingSettingsTable;
  matching_excluded_pairs: MatchingExcludedPairsTable;
  matching_runs: MatchingRunsTable;
  match_requests: MatchRequestsTable;
}

/** The server's database with the matching tables. */
export type MatchingDatabase = Database & MatchingTables;
/** A connection or transaction over it. */
export type MatchingDb = Kysely<MatchingDatabase> | Transaction<MatchingDatabase>;

/** The server's database seen with the matching tables (created by {@link matchingMigration}). */
export function matchingDb(db: Kysely<Database> | Transaction<Database>): MatchingDb {
  return db as unknown as MatchingDb;
}

const text = 'text' as const;

/** Creates the matching tables: portable SQL through Kysely's schema builder (SQLite and PostgreSQL). */
export const matchingMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.createTable('matching_profiles')
      .addColumn('person_id', text, (c) => c.primaryKey())
      .addColumn('org_id', text, (c) => c.notNull())
      .addColumn('wants', text, (c) => c.notNull().defaultTo('[]'))
      .addColumn('offers', text, (c) => c.notNull().defaultTo('[]'))
      .addColumn('goals', text, (c) => c.notNull().defaultTo(''))
      .addColumn('capacity', 'integer', (c) => c.notNull().defaultTo(2))
      .addColumn('time_zone', text)
      .addColumn('languages', text, (c) => c.notNull().defaultTo('[]'))
      .addColumn('seniority', 'integer')
      .addColumn('hr_source', text)
      .addColumn('opted_out', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('updated_at', text)
      .execute();
    await db.schema.createIndex('matching_profiles_org').on('matching_profiles').columns(['org_id', 'person_id']).execute();
    await db.schema.createTable('matching_settings')
      .addColumn('program_id', text, (c) => c.primaryKey())
      .addColumn('org_id', text, (c) => c.notNull())
      .addColumn('weights', text, (c) => c.notNull())
      .addColumn('department_preference', text, (c) => c.notNull())
      .addColumn('ideal_seniority_gap', 'integer', (c) => c.notNull())
      .addColumn('exclude_peers', 'integer', (c) => c.notNull())
      .addColumn('self_serve', 'integer', (c) => c.notNull())
      .addColumn('rematch_below', 'real', (c) => c.notNull())
      .addColumn('updated_at', text, (c) => c.notNull())
      .execute();
    await db.schema.createTable('matching_excluded_pairs')
      .addColumn('program_id', text, (c) => c.notNull())
      .addColumn('mentor_id', text, (c) => c.notNull())
      .addColumn('mentee_id', text, (c) => c.notNull())
      .addColumn('org_id', text, (c) => c.notNull())
      .addColumn('note', text, (c) => c.notNull().defaultTo(''))
      .addPrimaryKeyConstraint('matching_excluded_pairs_pk', ['program_id', 'mentor_id', 'mentee_id'])
      .execute();
    await db.schema.createTable('matching_runs')
      .addColumn('id', text, (c) => c.primaryKey())
      .addColumn('org_id', text, (c) => c.notNull())
      .addColumn('cohort_id', text, (c) => c.notNull())
      .addColumn('program_id', text, (c) => c.notNull())
      .addColumn('status', text, (c) => c.notNull())
      .addColumn('based_on', text)
      .addColumn('inputs', text, (c) => c.notNull())
      .addColumn('result', text, (c) => c.notNull())
      .addColumn('locks', text, (c) => c.notNull())
      .addColumn('excluded', text, (c) => c.notNull())
      .addColumn('created_by', text)
      .addColumn('created_at', text, (c) => c.notNull())
      .addColumn('updated_at', text, (c) => c.notNull())
      .addColumn('published_at', text)
      .execute();
    await db.schema.createIndex('matching_runs_cohort').on('matching_runs').columns(['cohort_id', 'id']).execute();
    await db.schema.createTable('match_requests')
      .addColumn('id', text, (c) => c.primaryKey())
      .addColumn('org_id', text, (c) => c.notNull())
      .addColumn('cohort_id', text, (c) => c.notNull())
      .addColumn('mentee_id', text, (c) => c.notNull())
      .addColumn('mentor_id', text, (c) => c.notNull())
      .addColumn('status', text, (c) => c.notNull())
      .addColumn('message', text, (c) => c.notNull())
      .addColumn('score', 'integer', (c) => c.notNull())
      .addColumn('max_score', 'integer', (c) => c.notNull())
      .addColumn('factors', text, (c) => c.notNull())
      .addColumn('response_note', text)
      .addColumn('room_id', text)
      .addColumn('replaces_room_id', text)
      .addColumn('created_at', text, (c) => c.notNull())
      .addColumn('responded_at', text)
      .execute();
    await db.schema.createIndex('match_requests_mentee').on('match_requests').columns(['mentee_id', 'id']).execute();
    await db.schema.createIndex('match_requests_mentor').on('match_requests').columns(['mentor_id', 'id']).execute();
  },
};
