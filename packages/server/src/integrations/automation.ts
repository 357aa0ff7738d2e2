/**
 * What the server does on its own around the LTI tool, so that nobody has to press "sync":
 *
 * - **Roster (NRPS).** A launch that carries the roster claim for a course linked to a room
 *   syncs the course roster into the room's membership, at most once per course per window. The
 *   decision is one conditional upsert (`integration_roster_syncs`), so concurrent launches and
 *   several server instances sharing the database sync once; the sync itself runs in the
 *   background and the launch never waits for the platform.
 * - **Gradebook (AGS).** After a roadmap change commits (the `roadmap.updated` live event), the
 *   mentee's completion is posted to every course linked to the roadmap's room that accepts
 *   grades, but only when it differs from what that gradebook last received
 *   (`integration_score_posts`). A repeated event, a retry or a restart therefore posts nothing
 *   twice, and AGS being last-write-wins with the score's timestamp makes a late retry harmless.
 *
 * Nothing here throws into the request that caused it: failures are logged for the admin with
 * the course, the platform's answer and what happens next, and failed posts are retried by the
 * Node entry's maintenance timer ({@link LtiAutomation.retryFailedScores}).
 * @module
 */
import { contextFromRow, type LtiContext, type LtiDatabase, type LtiLogger, type LtiStore, type LtiTool, type MenteoHost } from '@menteo/lti';
import type { Kysely } from 'kysely';
import type { Database, IntegrationScorePostsTable } from '../storage/schema.js';
import type { LtiAutomation } from './types.js';

/** Default window between two automatic roster syncs of the same course. */
export const DEFAULT_ROSTER_SYNC_MINUTES = 60;

/** What {@link createLtiAutomation} needs. */
export interface LtiAutomationDeps {
  readonly db: Kysely<Database>;
  /** The same connection typed with the `lti_` tables. */
  readonly ltiDb: Kysely<LtiDatabase>;
  /** The undecorated store (the tool's one calls back into this module on every launch). */
  readonly store: LtiStore;
  readonly tool: LtiTool;
  readonly host: Pick<MenteoHost, 'getMilestoneCompletion'>;
  readonly logger: LtiLogger;
  /** Minutes between automatic roster syncs of one course. */
  readonly rosterSyncEveryMinutes?: number | undefined;
  /** The clock (tests). */
  readonly now?: () => Date;
}

/** An error as log detail: an `LtiError` keeps its code and the platform's answer (status, body, URL). */
function describe(error: unknown): Record<string, unknown> {
  if (error instanceof Error && error.name === 'LtiError') {
    const e = error as Error & { code?: unknown; detail?: unknown };
    const detail = typeof e.detail === 'object' && e.detail !== null ? (e.detail as Record<string, unknown>) : {};
    return { code: e.code, error: e.message, ...detail };
  }
  return { error: error instanceof Error ? error.message : String(error) };
}

function courseKey(c: { registrationId: string; deploymentId: string; contextId: string }): string {
  return JSON.stringify([c.registrationId, c.deploymentId, c.contextId]);
}

/** Builds the automation over the tool. Starts no timers. */
export function createLtiAutomation(deps: LtiAutomationDeps): LtiAutomation {
  const { db, ltiDb, tool, logger } = deps;
  const clock = deps.now ?? (() => new Date());
  const windowMs = (deps.rosterSyncEveryMinutes ?? DEFAULT_ROSTER_SYNC_MINUTES) * 60_000;

  // Background work is tracked so tests and shutdown can wait for it, and so that no rejection
  // ever goes unhandled (an unhandled rejection ends a Node process).
  const running = new Set<Promise<void>>();
  function background(what: string, detail: Record<string, unknown>, task: () => Promise<void>): void {
    const job: Promise<void> = task()
      .catch((error: unknown) => logger({ level: 'error', message: `${what} failed unexpectedly`, detail: { ...detail, ...describe(error) } }))
      .finally(() => {
        running.delete(job);
      });
    running.add(job);
  }

  // Posts of one roadmap run one after the other: each compares the completion with what was last
  // posted, which only works if the previous post has recorded its result.
  const chains = new Map<string, Promise<void>>();
  function serialized(key: string, task: () => Promise<void>): Promise<void> {
    const next = (chains.get(key) ?? Promise.resolve()).then(task);
    const tail = next.catch(() => undefined);
    chains.set(key, tail);
    void tail.then(() => {
      if (chains.get(key) === tail) chains.delete(key);
    });
    return next;
  }

  async function syncRosterNow(orgId: string, context: LtiContext): Promise<void> {
    const key = { registration_id: context.registrationId, deployment_id: context.deploymentId, context_id: context.contextId };
    const where = { orgId, roomId: context.roomId, registrationId: context.registrationId, deploymentId: context.deploymentId, contextId: context.contextId, course: context.title };
    try {
      const result = await tool.syncRoster(context);
      await db.updateTable('integration_roster_syncs').set({ finished_at: clock().toISOString(), outcome: 'ok', detail: JSON.stringify(result) })
        .where('registration_id', '=', key.registration_id).where('deployment_id', '=', key.deployment_id).where('context_id', '=', key.context_id).execute();
      logger({ level: 'info', message: 'Course roster synced after a launch', detail: { ...where, ...result } });
    } catch (error) {
      const failure = describe(error);
      await db.updateTable('integration_roster_syncs').set({ finished_at: clock().toISOString(), outcome: 'failed', detail: JSON.stringify(failure) })
        .where('registration_id', '=', key.registration_id).where('deployment_id', '=', key.deployment_id).where('context_id', '=', key.context_id).execute();
      logger({
        level: 'error',
        message: 'Automatic roster sync failed; the next launch after the window retries, or sync it from the admin API',
        detail: { ...where, windowMinutes: windowMs / 60_000, ...failure },
      });
    }
  }

  async function courseSeen(context: LtiContext): Promise<void> {
    // No roster service or no room to fill: nothing to sync, and the window is not spent.
    if (!context.membershipsUrl || !context.roomId) return;
    try {
      const registration = await deps.store.getRegistration(context.registrationId);
      if (!registration) return;
      const now = clock();
      const startedAt = now.toISOString();
      const dueIfBefore = new Date(now.getTime() - windowMs).toISOString();
      const row = {
        registration_id: context.registrationId, deployment_id: context.deploymentId, context_id: context.contextId,
        org_id: registration.orgId, room_id: context.roomId, started_at: startedAt, finished_at: null, outcome: null, detail: null,
      };
      // Claim the sync with one statement: insert, or take over a row whose last start is older
      // than the window. Two launches at once (or two instances) cannot both win.
      const claimed = await db.insertInto('integration_roster_syncs').values(row)
        .onConflict((oc) => oc.columns(['registration_id', 'deployment_id', 'context_id'])
          .doUpdateSet({ org_id: row.org_id, room_id: row.room_id, started_at: startedAt, finished_at: null, outcome: null, detail: null })
          .where('integration_roster_syncs.started_at', '<=', dueIfBefore))
        .executeTakeFirst();
      if (Number(claimed.numInsertedOrUpdatedRows ?? 0n) === 0) return;
      const orgId = registration.orgId;
      background('Automatic roster sync', { contextId: context.contextId }, () => syncRosterNow(orgId, context));
    } catch (error) {
      // The launch goes on without a sync; the admin learns why.
      logger({ level: 'error', message: 'Could not schedule the automatic roster sync', detail: { contextId: context.contextId, ...describe(error) } });
    }
  }

  /** Courses linked to a room that accept grades (a line items URL, or the launch's single line item). */
  async function gradedCoursesOf(orgId: string, roomId: string): Promise<LtiContext[]> {
    const rows = await ltiDb.selectFrom('lti_contexts')
      .innerJoin('lti_registrations', 'lti_registrations.id', 'lti_contexts.registration_id')
      .selectAll('lti_contexts')
      .where('lti_registrations.org_id', '=', orgId)
      .where('lti_contexts.room_id', '=', roomId)
      .where((eb) => eb.or([eb('lti_contexts.lineitems_url', 'is not', null), eb('lti_contexts.lineitem_url', 'is not', null)]))
      .execute();
    return rows.map(contextFromRow);
  }

  type ScoreKey = Pick<IntegrationScorePostsTable, 'registration_id' | 'deployment_id' | 'context_id' | 'roadmap_id' | 'person_id'>;

  async function recordScore(key: ScoreKey, orgId: string, patch: Partial<Omit<IntegrationScorePostsTable, keyof ScoreKey | 'org_id'>> & Pick<IntegrationScorePostsTable, 'status' | 'attempts'>): Promise<void> {
    const updatedAt = clock().toISOString();
    await db.insertInto('integration_score_posts')
      .values({ ...key, org_id: orgId, posted_completed: null, posted_total: null, posted_at: null, last_error: null, ...patch, updated_at: updatedAt })
      .onConflict((oc) => oc.columns(['registration_id', 'deployment_id', 'context_id', 'roadmap_id', 'person_id']).doUpdateSet({ ...patch, updated_at: updatedAt }))
      .execute();
  }

  async function postScore(orgId: string, roadmap: { id: string; owner_id: string; title: string }, context: LtiContext, completion: { completed: number; total: number }): Promise<void> {
    const key: ScoreKey = {
      registration_id: context.registrationId, deployment_id: context.deploymentId, context_id: context.contextId, roadmap_id: roadmap.id, person_id: roadmap.owner_id,
    };
    const last = await db.selectFrom('integration_score_posts').selectAll()
      .where('registration_id', '=', key.registration_id).where('deployment_id', '=', key.deployment_id).where('context_id', '=', key.context_id)
      .where('roadmap_id', '=', key.roadmap_id).where('person_id', '=', key.person_id).executeTakeFirst();
    const neverPosted = last?.posted_completed === null || last?.posted_completed === undefined;
    // Post when the gradebook would show something else than it does: the first milestone done
    // (a roadmap nobody started leaves the gradebook alone), or any change since the last post
    // (done, undone, milestones added or removed).
    const unchanged = neverPosted ? completion.completed === 0 : last?.posted_completed === completion.completed && last?.posted_total === completion.total;
    if (unchanged) {
      // A failure is moot once the gradebook already shows (or never needed) the current state.
      if (last && last.status !== 'posted') {
        if (neverPosted) {
          await db.deleteFrom('integration_score_posts')
            .where('registration_id', '=', key.registration_id).where('deployment_id', '=', key.deployment_id).where('context_id', '=', key.context_id)
            .where('roadmap_id', '=', key.roadmap_id).where('person_id', '=', key.person_id).execute();
        } else {
          await recordScore(key, orgId, { status: 'posted', attempts: 0, last_error: null });
        }
      }
      return;
    }
    const where = {
      orgId, roadmapId: roadmap.id, personId: roadmap.owner_id, registrationId: context.registrationId, deploymentId: context.deploymentId,
      contextId: context.contextId, course: context.title, completed: completion.completed, total: completion.total,
    };
    try {
      const posted = await tool.postMilestoneScore({ context, personId: roadmap.owner_id, roadmapId: roadmap.id, label: roadmap.title });
      if (!posted) {
        const reason = 'The mentee has no account in this course yet (never launched Menteo from it, and no roster sync saw them), or the roadmap has no milestones.';
        await recordScore(key, orgId, { status: 'not_posted', attempts: 0, last_error: JSON.stringify({ reason }) });
        logger({ level: 'warn', message: 'Milestone score not posted to the LMS gradebook', detail: { ...where, reason } });
        return;
      }
      await recordScore(key, orgId, {
        status: 'posted', posted_completed: completion.completed, posted_total: completion.total, posted_at: clock().toISOString(), attempts: 0, last_error: null,
      });
      logger({ level: 'info', message: 'Milestone score posted to the LMS gradebook', detail: where });
    } catch (error) {
      const failure = describe(error);
      const attempts = (last?.attempts ?? 0) + 1;
      await recordScore(key, orgId, { status: 'failed', attempts, last_error: JSON.stringify(failure) });
      logger({
        level: 'error',
        message: 'Posting a milestone score to the LMS gradebook failed; it is retried on the next change and by the periodic retry',
        detail: { ...where, attempts, ...failure },
      });
    }
  }

  async function syncScores(orgId: string, roadmapId: string): Promise<void> {
    const roadmap = await db.selectFrom('roadmaps').select(['id', 'room_id', 'owner_id', 'title']).where('id', '=', roadmapId).where('org_id', '=', orgId).executeTakeFirst();
    if (!roadmap) {
      // A deleted roadmap has nothing left to post; forget its pending failures.
      await db.deleteFrom('integration_score_posts').where('roadmap_id', '=', roadmapId).where('org_id', '=', orgId).execute();
      return;
    }
    const courses = await gradedCoursesOf(orgId, roadmap.room_id);
    const pending = await db.selectFrom('integration_score_posts').select(['registration_id', 'deployment_id', 'context_id'])
      .where('roadmap_id', '=', roadmapId).where('status', '=', 'failed').execute();
    const linked = new Set(courses.map(courseKey));
    for (const p of pending) {
      // The course was unlinked from the room or stopped accepting grades: stop retrying it.
      if (linked.has(courseKey({ registrationId: p.registration_id, deploymentId: p.deployment_id, contextId: p.context_id }))) continue;
      await db.deleteFrom('integration_score_posts').where('registration_id', '=', p.registration_id).where('deployment_id', '=', p.deployment_id)
        .where('context_id', '=', p.context_id).where('roadmap_id', '=', roadmapId).execute();
    }
    if (courses.length === 0) return;
    const completion = await deps.host.getMilestoneCompletion(orgId, roadmapId, roadmap.owner_id);
    if (!completion) return;
    for (const context of courses) await postScore(orgId, roadmap, context, completion);
  }

  return {
    courseSeen,

    roadmapChanged(orgId, roadmapId) {
      background('Gradebook sync', { orgId, roadmapId }, () => serialized(roadmapId, () => syncScores(orgId, roadmapId)));
    },

    async retryFailedScores() {
      const rows = await db.selectFrom('integration_score_posts').select(['org_id', 'roadmap_id']).distinct()
        .where('status', '=', 'failed').limit(500).execute();
      for (const row of rows) {
        await serialized(row.roadmap_id, () => syncScores(row.org_id, row.roadmap_id)).catch((error: unknown) => {
          logger({ level: 'error', message: 'Retrying a milestone score failed unexpectedly', detail: { orgId: row.org_id, roadmapId: row.roadmap_id, ...describe(error) } });
        });
      }
      return rows.length;
    },

    async idle() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}

/**
 * The store the tool uses, with a hook after each course context a launch records: that is where
 * a launch tells what course it came from and whether the roster service is offered. The hook's
 * decision is awaited (one write) so the outcome is settled when the launch answers; the sync is not.
 */
export function withCourseHook(store: LtiStore, onCourse: (context: LtiContext) => Promise<void>): LtiStore {
  return {
    ...store,
    async upsertContext(context) {
      const saved = await store.upsertContext(context);
      await onCourse(saved);
      return saved;
    },
  };
}
