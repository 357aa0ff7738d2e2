/**
 * Seeds a realistic demo organization through the API itself (in-process), so the demo data
 * passes exactly the validation and authorization that real data does.
 * @module
 */
import { createPerson } from '@menteo/api/people';
import { addRoomMember, createMessage, createResource, createRoom, createSessionNote, updateActionItem, updateRoom } from '@menteo/api/rooms';
import { createRoadmap, updateMilestone } from '@menteo/api/roadmaps';
import { addReaction, createComment, createPost, createThread } from '@menteo/api/threads';
import { createCheckIn, createFeedback, createLearning } from '@menteo/api/feedback';
import { createCohort, createCohortRoom, createProgram, createRoadmapTemplate, enrol, updateRoadmapTemplate } from '@menteo/api/programs';
import { caller, type FetchApp } from './call.js';
import { PEOPLE, ROOMS } from './data.js';

export { PEOPLE, ROOMS } from './data.js';
export type { FetchApp } from './call.js';

/** Reports seeding progress: what is being done and how far along the whole seed is. */
export type SeedProgress = (step: string, done: number, total: number) => void;

/** What the seed created, for demos and tests to sign people in. */
export interface SeedResult {
  /** Person ids by seed key (`sam`, `priya`, …). */
  people: Record<string, string>;
  /** Room ids, in the order of `ROOMS`. */
  rooms: string[];
  roadmaps: string[];
  threads: string[];
  /** The main growth thread of each room (same order as `rooms`), if it has one. */
  threadsByRoom: (string | undefined)[];
  /**
   * The program the admin console shows: "Engineering mentoring" with the "Q1 engineering
   * cohort" and its roadmap template, and Sam and Priya's room started from the template (not
   * in `rooms`, which follows `ROOMS`).
   */
  program: { programId: string; cohortId: string; templateId: string; roomId: string; roadmapId: string };
}

function isoDate(daysFromToday: number, today = new Date()): string {
  const d = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + daysFromToday));
  return d.toISOString().slice(0, 10);
}

/**
 * Creates the demo organization's people, rooms, roadmaps, threads, check-ins and feedback.
 * @param app - the server app (its `fetch`)
 * @param apiKey - a secret API key of the organization to fill, with every scope
 */
export async function seedDemo(options: { app: FetchApp; apiKey: string; baseUrl?: string; onProgress?: SeedProgress }): Promise<SeedResult> {
  const call = caller(options.app, options.baseUrl ?? 'http://menteo.internal', options.apiKey);
  const total = PEOPLE.length + 1 + ROOMS.length;
  let done = 0;
  const progress = (step: string) => options.onProgress?.(step, ++done, total);

  const people: Record<string, string> = {};
  for (const p of PEOPLE) {
    const person = await call(createPerson, {
      body: { externalId: `hr-${p.key}`, displayName: p.displayName, email: p.email, title: p.title, skills: p.skills, roles: p.roles },
    });
    people[p.key] = person.id;
    progress(`person ${p.displayName}`);
  }
  const who = (key: string): string => {
    const id = people[key];
    if (!id) throw new Error(`seed data names unknown person "${key}"`);
    return id;
  };

  // The program first, so that Sam's rooms list (newest first) still starts with the demo's platform room.
  const program = await seedProgram(call, who);
  progress('program Engineering mentoring');

  const result: SeedResult = { people, rooms: [], roadmaps: [], threads: [], threadsByRoom: [], program };
  for (const r of ROOMS) {
    const mentor = who(r.mentor);
    const room = await call(createRoom, {
      actAs: mentor,
      body: {
        title: r.title,
        purpose: r.purpose,
        members: [
          { personId: mentor, role: 'mentor' },
          ...r.mentees.map((m) => ({ personId: who(m), role: 'mentee' as const })),
        ],
      },
    });
    result.rooms.push(room.id);
    const roomId = room.id;
    for (const o of r.observers ?? []) {
      await call(addRoomMember, { actAs: mentor, params: { roomId }, body: { personId: who(o), role: 'observer' } });
    }
    for (const m of r.messages) {
      await call(createMessage, { actAs: who(m.by), params: { roomId }, body: { body: m.body } });
    }
    let lastNoteId: string | undefined;
    for (const n of r.notes) {
      const note = await call(createSessionNote, {
        actAs: who(n.by),
        params: { roomId },
        body: {
          sessionDate: isoDate(-n.daysAgo),
          summary: n.summary,
          actionItems: n.actions.map((a) => ({ text: a.text, ownerId: who(a.owner), dueDate: isoDate(a.due) })),
        },
      });
      lastNoteId = note.id;
      for (const [i, a] of n.actions.entries()) {
        const item = note.actionItems[i];
        if (a.done && item) {
          await call(updateActionItem, { actAs: who(a.owner), params: { roomId, noteId: note.id, itemId: item.id }, body: { done: true } });
        }
      }
    }
    for (const res of r.resources) {
      await call(createResource, { actAs: who(res.by), params: { roomId }, body: { title: res.title, url: res.url, note: res.note } });
    }

    let roadmapId: string | undefined;
    const milestoneIds: string[] = [];
    if (r.roadmap) {
      const rm = r.roadmap;
      const roadmap = await call(createRoadmap, {
        actAs: mentor,
        body: {
          roomId,
          ownerId: who(rm.owner),
          title: rm.title,
          goal: rm.goal,
          startDate: isoDate(-rm.startedDaysAgo),
          milestones: rm.milestones.map((m) => ({
            title: m.title,
            description: m.description,
            dueDate: isoDate(m.due),
            requiredSkills: m.requiredSkills,
            expectedOutcome: m.expectedOutcome,
            status: 'planned' as const,
          })),
        },
      });
      roadmapId = roadmap.id;
      result.roadmaps.push(roadmap.id);
      // Milestones come back ordered by due date, which is also the order of the seed data.
      const byTitle = new Map(roadmap.milestones.map((m) => [m.title, m.id]));
      for (const m of rm.milestones) milestoneIds.push(byTitle.get(m.title) ?? '');
      // Progress happens after creation, so it is recorded as revisions with reasons.
      for (const [i, m] of rm.milestones.entries()) {
        const milestoneId = milestoneIds[i] as string;
        if (m.status === 'in_progress' || m.status === 'done') {
          await call(updateMilestone, { actAs: who(rm.owner), params: { roadmapId: roadmap.id, milestoneId }, body: { status: 'in_progress', reason: 'Started working on it.' } });
        }
        if (m.status === 'done') {
          await call(updateMilestone, { actAs: mentor, params: { roadmapId: roadmap.id, milestoneId }, body: { status: 'done', reason: 'Outcome reviewed together and accepted.' } });
        }
        for (const c of m.changes ?? []) {
          await call(updateMilestone, {
            actAs: who(c.by),
            params: { roadmapId: roadmap.id, milestoneId },
            body: { reason: c.reason, ...(c.status ? { status: c.status } : {}), ...(c.due !== undefined ? { dueDate: isoDate(c.due) } : {}) },
          });
        }
      }
    }

    if (r.thread) {
      const t = r.thread;
      // A person posts only to their own threads: others' posts in the seed go to a thread of theirs in the same room.
      const threads = new Map<string, string>();
      const threadOf = async (key: string): Promise<string> => {
        const existing = threads.get(key);
        if (existing) return existing;
        const name = PEOPLE.find((p) => p.key === key)?.displayName.split(' ')[0] ?? key;
        const title = key === t.by ? t.title : `${name}'s notes`;
        const thread = await call(createThread, { actAs: who(key), body: { title, skills: t.skills, roomId } });
        result.threads.push(thread.id);
        threads.set(key, thread.id);
        return thread.id;
      };
      result.threadsByRoom[result.rooms.length - 1] = await threadOf(t.by);
      for (const p of t.posts) {
        const milestoneId = p.evidenceFor !== undefined ? milestoneIds[p.evidenceFor] : undefined;
        const post = await call(createPost, {
          actAs: who(p.by),
          params: { threadId: await threadOf(p.by) },
          body: { body: p.body, audience: p.audience, ...(milestoneId ? { milestoneId } : {}) },
        });
        for (const c of p.comments ?? []) {
          await call(createComment, { actAs: who(c.by), params: { postId: post.id }, body: { body: c.body } });
        }
        for (const x of p.reactions ?? []) {
          await call(addReaction, { actAs: who(x.by), params: { postId: post.id, kind: x.kind } });
        }
      }
    }

    for (const c of r.checkIns) {
      await call(createCheckIn, { actAs: who(c.by), params: { roomId }, body: { progress: c.progress, blockers: c.blockers, confidence: c.confidence } });
    }
    for (const f of r.feedback) {
      const subjectId = f.subject === 'session' ? lastNoteId : f.subject === 'roadmap' ? roadmapId : undefined;
      await call(createFeedback, {
        actAs: who(f.by),
        params: { roomId },
        body: { subject: f.subject, rating: f.rating, comment: f.comment, ...(subjectId ? { subjectId } : {}) },
      });
    }
    for (const l of r.learnings) {
      await call(createLearning, { actAs: who(l.by), params: { roomId }, body: { body: l.body, skills: l.skills } });
    }
    if (r.archived) {
      await call(updateRoom, { actAs: mentor, params: { roomId }, body: { status: 'archived' } });
    }
    progress(`room ${r.title}`);
  }
  return result;
}

/**
 * The program an organization's admin runs: a 90-day template, the Q1 cohort (started ten days
 * ago) with its mentors and mentees, Sam and Priya's room started from the template (with a
 * first post of Sam's), and a version 2 of the template that the room has not decided about yet
 * (the console and the room show it; nothing in the running roadmap changed).
 */
async function seedProgram(call: ReturnType<typeof caller>, who: (key: string) => string): Promise<SeedResult['program']> {
  const admin = who('amara');
  const program = await call(createProgram, { actAs: admin, body: { name: 'Engineering mentoring', description: 'Pairs engineers with a senior mentor from another team for a quarter.' } });
  const milestones = [
    { title: 'Ship a first change end to end', dayOffset: 14, requiredSkills: ['typescript'], expectedOutcome: 'A merged change, deployed, with its monitoring checked.' },
    { title: 'Review the design of a small service', dayOffset: 35, requiredSkills: ['system-design'], expectedOutcome: 'Written review notes the service owners agreed with.' },
    { title: 'Lead a cross-team change', dayOffset: 60, requiredSkills: ['communication'], expectedOutcome: 'A change agreed with two teams and shipped.' },
    { title: 'Retrospective and next goals', dayOffset: 85, expectedOutcome: 'What worked, and the goals for the next quarter.' },
  ];
  const template = await call(createRoadmapTemplate, {
    actAs: admin, params: { programId: program.id },
    body: { name: '90 days of engineering growth', goal: 'Work independently across team boundaries.', horizonDays: 90, milestones },
  });
  const start = isoDate(-10);
  const cohort = await call(createCohort, {
    actAs: admin, params: { programId: program.id },
    body: { name: 'Q1 engineering cohort', startDate: start, endDate: isoDate(80), templateId: template.id },
  });
  for (const [key, role] of [['priya', 'mentor'], ['oliver', 'mentor'], ['sam', 'mentee'], ['zoe', 'mentee'], ['fatima', 'mentee']] as const) {
    await call(enrol, { actAs: admin, params: { cohortId: cohort.id, personId: who(key) }, body: { role } });
  }
  const room = await call(createCohortRoom, { actAs: admin, params: { cohortId: cohort.id }, body: { mentorId: who('priya'), menteeId: who('sam') } });
  // Sam's notes in the room, so its feed is not empty where the room is shown.
  const thread = await call(createThread, { actAs: who('sam'), body: { title: 'Q1 cohort notes', skills: ['typescript'], roomId: room.room.id } });
  await call(createPost, {
    actAs: who('sam'), params: { threadId: thread.id },
    body: { body: 'Kick-off with Priya: we follow the cohort\'s 90-day roadmap and meet every other Tuesday.', audience: 'room' },
  });
  // Version 2: the mentors asked for an on-call week; the room will see it and decide.
  await call(updateRoadmapTemplate, {
    actAs: admin, params: { templateId: template.id },
    body: {
      note: 'Mentors asked for an on-call shadow week before the cross-team change.',
      milestones: [
        ...template.milestones.map((m) => ({ id: m.id, title: m.title, dayOffset: m.dayOffset, requiredSkills: m.requiredSkills, expectedOutcome: m.expectedOutcome })),
        { title: 'Shadow an on-call week', dayOffset: 45, requiredSkills: ['operations'], expectedOutcome: 'One incident followed from page to postmortem.' },
      ],
    },
  });
  const roadmapId = room.template?.roadmapId;
  if (!roadmapId) throw new Error('seed: the cohort room has no roadmap from the template');
  return { programId: program.id, cohortId: cohort.id, templateId: template.id, roomId: room.room.id, roadmapId };
}
