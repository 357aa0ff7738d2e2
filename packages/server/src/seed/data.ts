/**
 * The demo organization: people, rooms, roadmaps, threads and feedback that read like a real
 * mentoring program a few weeks in. Dates are relative to the day the seed runs, so the demo
 * always has overdue, due-soon and finished milestones.
 * @module
 */
import type { MilestoneStatus } from '@menteo/api/roadmaps';
import type { Audience, ReactionKind } from '@menteo/api/threads';

export interface SeedPerson {
  key: string;
  displayName: string;
  email: string;
  title: string;
  skills: string[];
  roles: ('member' | 'mentor' | 'admin')[];
}

export const PEOPLE: SeedPerson[] = [
  { key: 'amara', displayName: 'Amara Okafor', email: 'amara.okafor@northwind.example', title: 'People Partner, L&D', skills: ['coaching', 'program-design'], roles: ['admin', 'member'] },
  { key: 'priya', displayName: 'Priya Raman', email: 'priya.raman@northwind.example', title: 'Staff Engineer, Platform', skills: ['distributed-systems', 'go', 'system-design'], roles: ['mentor', 'member'] },
  { key: 'sam', displayName: 'Sam Whitfield', email: 'sam.whitfield@northwind.example', title: 'Software Engineer II', skills: ['typescript', 'react'], roles: ['member'] },
  { key: 'lena', displayName: 'Lena Fischer', email: 'lena.fischer@northwind.example', title: 'Design Lead', skills: ['interaction-design', 'research', 'accessibility'], roles: ['mentor', 'member'] },
  { key: 'diego', displayName: 'Diego Alvarez', email: 'diego.alvarez@northwind.example', title: 'Product Designer', skills: ['figma', 'prototyping'], roles: ['member'] },
  { key: 'mei', displayName: 'Mei Tanaka', email: 'mei.tanaka@northwind.example', title: 'Junior Product Designer', skills: ['visual-design'], roles: ['member'] },
  { key: 'yusuf', displayName: 'Yusuf Demir', email: 'yusuf.demir@northwind.example', title: 'UX Researcher', skills: ['research', 'interviews'], roles: ['member'] },
  { key: 'grace', displayName: 'Grace Mensah', email: 'grace.mensah@northwind.example', title: 'Engineering Manager', skills: ['management', 'hiring', 'feedback'], roles: ['mentor', 'member'] },
  { key: 'tom', displayName: 'Tom Becker', email: 'tom.becker@northwind.example', title: 'Senior Engineer, Payments', skills: ['java', 'payments'], roles: ['member'] },
  { key: 'ines', displayName: 'Inês Carvalho', email: 'ines.carvalho@northwind.example', title: 'Principal Data Scientist', skills: ['statistics', 'python', 'experimentation'], roles: ['mentor', 'member'] },
  { key: 'noah', displayName: 'Noah Kim', email: 'noah.kim@northwind.example', title: 'Data Analyst', skills: ['sql', 'dashboards'], roles: ['member'] },
  { key: 'fatima', displayName: 'Fatima Zahra El Idrissi', email: 'fatima.elidrissi@northwind.example', title: 'Software Engineer', skills: ['python'], roles: ['member'] },
  { key: 'oliver', displayName: 'Oliver Hughes', email: 'oliver.hughes@northwind.example', title: 'Staff Engineer, Security', skills: ['security', 'threat-modeling'], roles: ['mentor', 'member'] },
  { key: 'zoe', displayName: 'Zoë Laurent', email: 'zoe.laurent@northwind.example', title: 'Software Engineer I', skills: ['javascript'], roles: ['member'] },
];

export interface SeedMilestone {
  title: string;
  description: string;
  /** Days from today (negative: in the past). */
  due: number;
  requiredSkills: string[];
  expectedOutcome: string;
  status: MilestoneStatus;
  /** Later changes, each with its reason, applied after creation (they become revisions). */
  changes?: { status?: MilestoneStatus; due?: number; reason: string; by: string }[];
}

export interface SeedPost {
  by: string;
  body: string;
  audience: Audience;
  /** Index of the roadmap milestone this post is evidence for. */
  evidenceFor?: number;
  comments?: { by: string; body: string }[];
  reactions?: { by: string; kind: ReactionKind }[];
}

export interface SeedRoom {
  title: string;
  purpose: string;
  mentor: string;
  mentees: string[];
  observers?: string[];
  archived?: boolean;
  messages: { by: string; body: string }[];
  notes: { by: string; daysAgo: number; summary: string; actions: { text: string; owner: string; due: number; done: boolean }[] }[];
  resources: { by: string; title: string; url: string; note: string }[];
  roadmap?: { owner: string; title: string; goal: string; startedDaysAgo: number; milestones: SeedMilestone[] };
  thread?: { by: string; title: string; skills: string[]; posts: SeedPost[] };
  checkIns: { by: string; progress: string; blockers: string; confidence: number }[];
  feedback: { by: string; subject: 'session' | 'roadmap' | 'room'; rating: number; comment: string }[];
  learnings: { by: string; body: string; skills: string[] }[];
}

export const ROOMS: SeedRoom[] = [
  {
    title: 'Platform engineering: Priya × Sam',
    purpose: 'Grow Sam from feature work to owning a platform service end to end: design, operations and on-call.',
    mentor: 'priya',
    mentees: ['sam'],
    observers: ['amara'],
    messages: [
      { by: 'priya', body: 'Welcome to our room! I dropped the service-ownership checklist in resources. Skim it before Thursday?' },
      { by: 'sam', body: 'Read it twice. The part about error budgets is new to me; can we spend ten minutes on it?' },
      { by: 'priya', body: 'Absolutely. Bring one alert from last week that woke someone up and we will trace it back to an SLO.' },
      { by: 'sam', body: 'Found one: the queue-depth alert on the notifications worker. It fired four times and nobody acted on it.' },
      { by: 'priya', body: 'Perfect example of an alert that is not tied to user pain. That will be your first design doc.' },
    ],
    notes: [
      { by: 'priya', daysAgo: 21, summary: 'Kick-off. Agreed on the 90-day goal: Sam owns the notifications service. Walked through the architecture and the on-call rotation.', actions: [
        { text: 'Shadow one on-call shift', owner: 'sam', due: -14, done: true },
        { text: 'Share the last three incident reviews', owner: 'priya', due: -18, done: true },
      ] },
      { by: 'priya', daysAgo: 7, summary: 'Reviewed the alerting design doc draft. Strong problem statement; the SLO section needs numbers from the dashboards.', actions: [
        { text: 'Add p99 latency and error-rate baselines to the doc', owner: 'sam', due: 2, done: false },
        { text: 'Introduce Sam to the SRE guild lead', owner: 'priya', due: -2, done: true },
        { text: 'Draft the rollback plan for the queue migration', owner: 'sam', due: 9, done: false },
      ] },
    ],
    resources: [
      { by: 'priya', title: 'Service ownership checklist', url: 'https://sre.google/workbook/table-of-contents/', note: 'Chapters 2 and 5 first.' },
      { by: 'sam', title: 'Designing Data-Intensive Applications, ch. 11', url: 'https://dataintensive.net/', note: 'Stream processing chapter, for the queue migration.' },
    ],
    roadmap: {
      owner: 'sam', title: 'Own the notifications service', goal: 'By day 90, Sam is the primary owner of the notifications service: designs changes, runs on-call, and leads its incident reviews.', startedDaysAgo: 40,
      milestones: [
        { title: 'Map the service and its dependencies', description: 'Draw the request path, queues and data stores; list owners of each dependency.', due: -28, requiredSkills: ['system-design'], expectedOutcome: 'An architecture diagram reviewed by the team.', status: 'done' },
        { title: 'Shadow and then lead an on-call week', description: 'One shadow week, one primary week with Priya as secondary.', due: -5, requiredSkills: ['incident-response'], expectedOutcome: 'A primary on-call week without escalation for process gaps.', status: 'in_progress', changes: [{ due: 6, reason: 'The rotation was reshuffled after the holiday freeze; moved the primary week by eleven days.', by: 'priya' }] },
        { title: 'Redesign alerting around SLOs', description: 'Replace cause-based alerts with two SLO burn-rate alerts.', due: 20, requiredSkills: ['observability', 'system-design'], expectedOutcome: 'Design doc approved; alert volume halved.', status: 'in_progress' },
        { title: 'Migrate the queue to the shared broker', description: 'Plan and run the migration with a rollback path.', due: 45, requiredSkills: ['distributed-systems', 'go'], expectedOutcome: 'Migration done with no lost notifications.', status: 'blocked', changes: [{ status: 'blocked', reason: 'Waiting for the platform team to provision the broker in the EU region.', by: 'sam' }] },
        { title: 'Lead an incident review', description: 'Facilitate a blameless review for a real incident.', due: 70, requiredSkills: ['facilitation'], expectedOutcome: 'A published review with owned follow-ups.', status: 'planned' },
      ],
    },
    thread: {
      by: 'sam', title: 'Learning to own a service', skills: ['system-design', 'observability'],
      posts: [
        { by: 'sam', body: 'Week 1: I drew the notifications service on paper before opening the code. Three queues I did not know existed. **Lesson:** the diagram in the wiki was two years old.', audience: 'org', evidenceFor: 0, comments: [{ by: 'priya', body: 'This is exactly the right first move. Can you put your diagram in the repo next to the code?' }], reactions: [{ by: 'priya', kind: 'applause' }, { by: 'oliver', kind: 'insight' }, { by: 'tom', kind: 'support' }] },
        { by: 'sam', body: 'Shadowed my first on-call shift. What surprised me: most pages were about things users never notice. Reading about `burn-rate` alerts next.', audience: 'room', comments: [{ by: 'priya', body: 'Start with the SRE workbook chapter 5; it is in our resources.' }], reactions: [{ by: 'priya', kind: 'support' }] },
        { by: 'sam', body: 'Draft design doc for SLO-based alerting is up for review. Two alerts instead of fourteen. Feedback welcome, especially on the error budget policy.', audience: 'org', evidenceFor: 2, reactions: [{ by: 'oliver', kind: 'curious' }, { by: 'grace', kind: 'applause' }] },
      ],
    },
    checkIns: [
      { by: 'sam', progress: 'Diagram done and merged. On-call shadowing went well.', blockers: '', confidence: 4 },
      { by: 'sam', progress: 'Design doc drafted. Queue migration blocked on the broker.', blockers: 'EU broker not provisioned yet.', confidence: 3 },
      // Confidence falling across three check-ins (4, 3, 2): the room and the roadmap show the adjust loop.
      { by: 'sam', progress: 'On-call week moved again; alerting doc waiting for review.', blockers: 'Still no EU broker; unsure the migration fits in 90 days.', confidence: 2 },
    ],
    feedback: [
      { by: 'sam', subject: 'session', rating: 5, comment: 'Tracing a real alert back to user impact made SLOs click.' },
      { by: 'priya', subject: 'room', rating: 4, comment: 'Sam comes prepared; next step is pushing back on my suggestions more.' },
    ],
    learnings: [{ by: 'priya', body: 'Explaining error budgets to someone new showed me our policy doc assumes too much context. Rewriting its intro.', skills: ['observability'] }],
  },
  {
    title: 'Design craft circle',
    purpose: 'A small group practising critique, research synthesis and accessible design with Lena.',
    mentor: 'lena',
    mentees: ['diego', 'mei', 'yusuf'],
    messages: [
      { by: 'lena', body: 'This week’s critique theme: empty states. Bring one screen you are proud of and one you are not.' },
      { by: 'mei', body: 'Can I bring the onboarding checklist? I am not sure the illustration helps.' },
      { by: 'diego', body: 'I will bring the search results page; the no-results state is just a grey sentence.' },
      { by: 'yusuf', body: 'I have three interview clips where people got stuck on exactly that.' },
    ],
    notes: [
      { by: 'lena', daysAgo: 10, summary: 'Critique on empty states. Agreed: an empty state must say why it is empty and what to do next.', actions: [
        { text: 'Redesign the no-results state with a next step', owner: 'diego', due: 4, done: false },
        { text: 'Run a contrast check on the onboarding illustrations', owner: 'mei', due: -3, done: true },
        { text: 'Share the interview clips in resources', owner: 'yusuf', due: -6, done: true },
      ] },
    ],
    resources: [
      { by: 'lena', title: 'WCAG 2.2 quick reference', url: 'https://www.w3.org/WAI/WCAG22/quickref/', note: 'Filter by level AA.' },
      { by: 'yusuf', title: 'Interview synthesis template', url: 'https://www.nngroup.com/articles/affinity-diagram/', note: 'How we cluster notes.' },
    ],
    roadmap: {
      owner: 'mei', title: 'From visual designer to product designer', goal: 'Mei leads one feature from research to release, with accessible, tested designs.', startedDaysAgo: 25,
      milestones: [
        { title: 'Accessibility foundations', description: 'Complete the internal course and audit one flow.', due: -10, requiredSkills: ['accessibility'], expectedOutcome: 'An audit with issues filed.', status: 'done' },
        { title: 'Co-run five user interviews with Yusuf', description: 'Prepare the guide, run interviews, synthesise.', due: -2, requiredSkills: ['research', 'interviews'], expectedOutcome: 'A synthesis shared with the squad.', status: 'in_progress' },
        { title: 'Design the saved-filters feature', description: 'From problem framing to a tested prototype.', due: 35, requiredSkills: ['prototyping', 'interaction-design'], expectedOutcome: 'A prototype tested with five users.', status: 'planned' },
        { title: 'Ship and measure', description: 'Work with engineering through release; define success metrics.', due: 75, requiredSkills: ['product-sense'], expectedOutcome: 'Release notes and a metrics readout.', status: 'planned' },
      ],
    },
    thread: {
      by: 'mei', title: 'Notes from the design craft circle', skills: ['accessibility', 'research'],
      posts: [
        { by: 'mei', body: 'Ran my first contrast audit. 7 of 12 illustrations fail 3:1 against the background. _Pretty is not the same as readable._', audience: 'org', evidenceFor: 0, comments: [{ by: 'lena', body: 'Great catch. Please file them under the design-system project.' }, { by: 'diego', body: 'Same problem in the marketing pages, I think.' }], reactions: [{ by: 'lena', kind: 'celebrate' }, { by: 'yusuf', kind: 'insight' }] },
        { by: 'mei', body: 'Interview 2 of 5 done. People do not call them "filters"; they say "my usual search". Changing the feature name in the brief.', audience: 'room', evidenceFor: 1, reactions: [{ by: 'yusuf', kind: 'applause' }] },
        { by: 'diego', body: 'Tried the critique format from Lena: "I notice… I wonder…". It made feedback on my search page much easier to hear.', audience: 'public', reactions: [{ by: 'lena', kind: 'support' }, { by: 'mei', kind: 'applause' }] },
      ],
    },
    checkIns: [
      { by: 'mei', progress: 'Audit finished, interviews started.', blockers: 'Recruiting participants is slow.', confidence: 3 },
      { by: 'diego', progress: 'Empty-state redesign in progress.', blockers: '', confidence: 4 },
    ],
    feedback: [
      { by: 'mei', subject: 'room', rating: 5, comment: 'Group critique feels safe; I get more ideas than in one-on-ones.' },
      { by: 'lena', subject: 'session', rating: 4, comment: 'The group is ready for harder critiques; I will bring real product decisions next time.' },
    ],
    learnings: [{ by: 'lena', body: 'Yusuf’s clips changed my mind about our search copy. Mentoring researchers keeps me honest about evidence.', skills: ['research'] }],
  },
  {
    title: 'Towards engineering management: Grace × Tom',
    purpose: 'Explore the manager path: one-on-ones, feedback and hiring, before Tom decides on the switch.',
    mentor: 'grace',
    mentees: ['tom'],
    messages: [
      { by: 'tom', body: 'I gave my first piece of critical feedback today. It went better than I feared, but I over-explained.' },
      { by: 'grace', body: 'That is very common. Try SBI next time: situation, behaviour, impact. Then stop and listen.' },
    ],
    notes: [
      { by: 'grace', daysAgo: 14, summary: 'Talked about what managers actually do in a week. Tom will run two one-on-ones with new joiners.', actions: [
        { text: 'Run one-on-ones with the two new joiners', owner: 'tom', due: -1, done: true },
        { text: 'Sit in on an interview debrief', owner: 'tom', due: 12, done: false },
      ] },
    ],
    resources: [{ by: 'grace', title: 'The Manager’s Path', url: 'https://www.oreilly.com/library/view/the-managers-path/9781491973882/', note: 'Chapters 3 and 4.' }],
    roadmap: {
      owner: 'tom', title: 'Try on the manager role', goal: 'Make an informed decision about moving into engineering management.', startedDaysAgo: 30,
      milestones: [
        { title: 'Run one-on-ones for a month', description: 'Two new joiners, weekly.', due: 5, requiredSkills: ['feedback'], expectedOutcome: 'Notes and a reflection on what worked.', status: 'in_progress' },
        { title: 'Join the hiring loop', description: 'Shadow, then run the behavioural interview.', due: 30, requiredSkills: ['hiring'], expectedOutcome: 'Two interviews run with calibrated write-ups.', status: 'planned' },
        { title: 'Write the decision memo', description: 'Pros, cons, what I learned.', due: 60, requiredSkills: ['writing'], expectedOutcome: 'A memo discussed with Grace and my manager.', status: 'planned' },
      ],
    },
    checkIns: [{ by: 'tom', progress: 'One-on-ones running weekly.', blockers: 'Finding time next to on-call.', confidence: 3 }],
    feedback: [{ by: 'tom', subject: 'session', rating: 5, comment: 'SBI is simple and it works.' }],
    learnings: [{ by: 'grace', body: 'Tom asked why we never write down our leveling decisions. He is right; bringing it to the managers’ sync.', skills: ['management'] }],
  },
  {
    title: 'Data science onboarding cohort',
    purpose: 'Get new analysts productive with our experimentation platform and statistics standards.',
    mentor: 'ines',
    mentees: ['noah', 'fatima'],
    messages: [
      { by: 'ines', body: 'Reminder: never peek at an A/B test before its planned sample size. We will see why on Friday.' },
      { by: 'noah', body: 'Is there a notebook with the sample size calculator?' },
      { by: 'ines', body: 'Yes, linked in resources. Run it for the checkout test and post your numbers in the thread.' },
    ],
    notes: [
      { by: 'ines', daysAgo: 5, summary: 'Statistics standards: pre-registration, sample sizes, no peeking.', actions: [
        { text: 'Compute the sample size for the checkout test', owner: 'noah', due: 1, done: false },
        { text: 'Review last quarter’s test reports for peeking', owner: 'fatima', due: 6, done: false },
      ] },
    ],
    resources: [{ by: 'ines', title: 'Experimentation guidelines', url: 'https://www.exp-platform.com/', note: 'Read before designing any test.' }],
    roadmap: {
      owner: 'noah', title: 'Run a trustworthy experiment', goal: 'Noah designs, runs and reports an A/B test to our standards.', startedDaysAgo: 12,
      milestones: [
        { title: 'Learn the experimentation platform', description: 'Complete the tutorial and the quiz.', due: -4, requiredSkills: ['sql'], expectedOutcome: 'Quiz passed.', status: 'done' },
        { title: 'Pre-register the checkout test', description: 'Hypothesis, metrics, sample size.', due: 8, requiredSkills: ['statistics', 'experimentation'], expectedOutcome: 'A pre-registration reviewed by Inês.', status: 'in_progress' },
        { title: 'Report the results', description: 'Write the readout with confidence intervals.', due: 50, requiredSkills: ['statistics', 'writing'], expectedOutcome: 'A readout presented to the squad.', status: 'planned' },
      ],
    },
    thread: {
      by: 'noah', title: 'Experiment diary', skills: ['statistics', 'experimentation'],
      posts: [
        { by: 'noah', body: 'Sample size for the checkout test: 48,000 sessions per arm for a 2% lift at 80% power. That is three weeks of traffic, not one.', audience: 'org', comments: [{ by: 'ines', body: 'Correct. Now write down that you will not look before week three.' }], reactions: [{ by: 'ines', kind: 'applause' }, { by: 'fatima', kind: 'insight' }] },
      ],
    },
    checkIns: [{ by: 'noah', progress: 'Platform tutorial done; pre-registration drafted.', blockers: '', confidence: 4 }],
    feedback: [{ by: 'noah', subject: 'room', rating: 4, comment: 'Clear standards. More worked examples would help.' }],
    learnings: [{ by: 'ines', body: 'New analysts keep asking for worked examples: building a library of past tests with commentary.', skills: ['experimentation'] }],
  },
  {
    title: 'Security champions 2025 (archived)',
    purpose: 'Last year’s security champions programme, kept for reference.',
    mentor: 'oliver',
    mentees: ['zoe'],
    archived: true,
    messages: [{ by: 'oliver', body: 'Thanks for a great year, everyone. The threat-modelling notes stay here for reference.' }],
    notes: [{ by: 'oliver', daysAgo: 200, summary: 'Final session: threat model of the login flow.', actions: [{ text: 'Publish the login threat model', owner: 'zoe', due: -190, done: true }] }],
    resources: [{ by: 'oliver', title: 'OWASP Threat Modeling Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/Threat_Modeling_Cheat_Sheet.html', note: '' }],
    checkIns: [],
    feedback: [{ by: 'zoe', subject: 'room', rating: 5, comment: 'I now threat-model every feature I touch.' }],
    learnings: [{ by: 'oliver', body: 'Teaching STRIDE to juniors works best with their own code, not textbook examples.', skills: ['threat-modeling'] }],
  },
];
