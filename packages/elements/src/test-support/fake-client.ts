/**
 * An in-memory stand-in for the parts of `MenteoClient` the elements use, for deterministic
 * unit tests of rendering, keyboard, drafts and failure handling (every call can be made to
 * fail or to wait). Behaviour against the real API is tested through `@menteo/mock`.
 * @module
 */
import { PageRequest, type MenteoClient } from '@menteo/client';
import type { Me } from '@menteo/api/auth';
import type { Person } from '@menteo/api/people';
import type { Post, Comment, Thread, ReactionKind } from '@menteo/api/threads';
import type { Milestone, Revision, Roadmap } from '@menteo/api/roadmaps';
import type { LiveEvent } from '@menteo/api/events';
import type { Message, Resource, Room, SessionNote } from '@menteo/api/rooms';

let seq = 0;
/** A syntactically valid id (`post_` + 26 Crockford characters). */
export function fakeId(prefix: string): string {
  seq += 1;
  return `${prefix}_${String(seq).padStart(26, '0')}`;
}

export function person(name: string, id = fakeId('per')): Person {
  const t = '2026-01-01T00:00:00.000Z';
  return {
    id, externalId: null, displayName: name, email: null, title: null, skills: [], avatarUrl: null,
    roles: ['member'], active: true, createdAt: t, updatedAt: t,
  };
}

export function makePost(author: Person, body: string, extra: Partial<Post> = {}): Post {
  const t = extra.createdAt ?? new Date().toISOString();
  return {
    id: fakeId('post'), threadId: 'thr_00000000000000000000000001', threadTitle: 'Learning Rust', author, body,
    audience: 'room', roomId: 'room_00000000000000000000000001', milestoneId: null, skills: [], reactions: [],
    commentCount: 0, createdAt: t, updatedAt: t, ...extra,
  };
}

/** A recorded call, to assert on what the element sent. */
export interface Call {
  method: string;
  args: unknown[];
}

/** A gate a test opens to let a pending call proceed (no timers). */
export class Gate {
  private resolveFn: () => void = () => {};
  readonly promise = new Promise<void>((r) => {
    this.resolveFn = r;
  });
  open(): void {
    this.resolveFn();
  }
}

type Listener = (event: LiveEvent) => void;

/** A live subscription the test drives with `emit`. */
export class FakeSubscription {
  state: 'open' | 'paused' | 'closed' = 'open';
  private listeners = new Map<string, Set<Listener>>();
  constructor(readonly target: string) {}
  on(type: string, fn: Listener): () => void {
    const set = this.listeners.get(type) ?? new Set<Listener>();
    set.add(fn);
    this.listeners.set(type, set);
    return () => set.delete(fn);
  }
  onState(): () => void { return () => {}; }
  onError(): () => void { return () => {}; }
  pause(): void { if (this.state === 'open') this.state = 'paused'; }
  resume(): void { if (this.state === 'paused') this.state = 'open'; }
  close(): void { this.state = 'closed'; this.listeners.clear(); }
  emit(event: LiveEvent): void {
    for (const fn of this.listeners.get(event.type) ?? []) fn(event);
    for (const fn of this.listeners.get('*') ?? []) fn(event);
  }
}

export function liveEvent<T extends LiveEvent['type']>(type: T, data: Extract<LiveEvent, { type: T }>['data']): LiveEvent {
  return { id: String(++seq), type, occurredAt: new Date().toISOString(), roomId: null, data } as LiveEvent;
}

/** Options of {@link FakeClient}. */
export interface FakeOptions {
  viewer?: Person;
  posts?: Post[];
  scopes?: Me['scopes'];
  roadmaps?: Roadmap[];
}

/** The fake. `fail` makes the next call of a method throw; `gate` holds it until opened. */
export class FakeClient {
  readonly viewer: Person;
  posts: Post[];
  comments = new Map<string, Comment[]>();
  threads: Thread[] = [];
  roadmaps: Roadmap[];
  revisionLog: Revision[] = [];
  rooms: Room[] = [];
  messages: Message[] = [];
  notes: SessionNote[] = [];
  resources: Resource[] = [];
  readonly calls: Call[] = [];
  readonly subscriptions: FakeSubscription[] = [];
  readonly failures = new Map<string, unknown[]>();
  readonly gates = new Map<string, Gate>();
  /** Idempotency keys seen per method, to check retries reuse them. */
  readonly keys: string[] = [];
  me: Me;

  constructor(options: FakeOptions = {}) {
    this.viewer = options.viewer ?? person('Ada Lovelace');
    this.posts = options.posts ?? [];
    this.roadmaps = options.roadmaps ?? [];
    this.me = {
      organization: { id: 'org_00000000000000000000000001', name: 'Acme', allowedOrigins: [], createdAt: '2026-01-01T00:00:00.000Z' },
      person: this.viewer,
      scopes: options.scopes ?? ['threads:read', 'posts:write', 'comments:write', 'reactions:write', 'roadmaps:read', 'roadmaps:write', 'rooms:read', 'messages:write', 'notes:write', 'checkins:write', 'feedback:write'],
      roomIds: null,
      components: ['room', 'roadmap', 'feed', 'check-in', 'feedback'],
    };
  }

  /** Makes the next call of `method` reject with `error`. */
  fail(method: string, error: unknown = Object.assign(new Error('boom'), { code: 'internal', status: 500 })): void {
    const list = this.failures.get(method) ?? [];
    list.push(error);
    this.failures.set(method, list);
  }

  /** Holds the next call of `method` until the returned gate opens. */
  gate(method: string): Gate {
    const g = new Gate();
    this.gates.set(method, g);
    return g;
  }

  private async call<T>(method: string, args: unknown[], run: () => T): Promise<T> {
    this.calls.push({ method, args });
    const gate = this.gates.get(method);
    if (gate) {
      this.gates.delete(method);
      await gate.promise;
    }
    const failure = this.failures.get(method)?.shift();
    if (failure !== undefined) throw failure;
    return run();
  }

  private page<T>(method: string, items: () => T[], query: { limit?: number | undefined; cursor?: string | undefined } = {}): PageRequest<T> {
    return new PageRequest<T>((cursor) =>
      this.call(method, [query, cursor], () => {
        const all = items();
        const start = Number(cursor ?? query.cursor ?? 0);
        const limit = query.limit ?? 20;
        const slice = all.slice(start, start + limit);
        return { items: slice, nextCursor: start + limit < all.length ? String(start + limit) : null };
      }),
    );
  }

  calledWith(method: string): Call[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** This fake, typed as the real client for the elements. */
  asClient(): MenteoClient {
    const self = this;
    const api = {
      me: { get: () => self.call('me.get', [], () => self.me) },
      posts: {
        get: (id: string) =>
          self.call('posts.get', [id], () => {
            const p = self.posts.find((x) => x.id === id);
            if (!p) throw Object.assign(new Error('not found'), { code: 'not_found', status: 404 });
            return p;
          }),
        list: (q: { limit?: number; cursor?: string; roomId?: string } = {}) => self.page('posts.list', () => self.posts, q),
        comments: {
          list: (postId: string, q: { limit?: number } = {}) => self.page('comments.list', () => self.comments.get(postId) ?? [], q),
          create: (postId: string, body: { body: string }, o: { idempotencyKey?: string } = {}) =>
            self.call('comments.create', [postId, body, o], () => {
              if (o.idempotencyKey) self.keys.push(o.idempotencyKey);
              const c: Comment = { id: fakeId('cmt'), postId, author: self.viewer, body: body.body, createdAt: new Date().toISOString() };
              self.comments.set(postId, [...(self.comments.get(postId) ?? []), c]);
              return c;
            }),
        },
        reactions: {
          add: (postId: string, kind: ReactionKind) => self.call('reactions.add', [postId, kind], () => self.react(postId, kind, true)),
          remove: (postId: string, kind: ReactionKind) => self.call('reactions.remove', [postId, kind], () => self.react(postId, kind, false)),
        },
      },
      threads: {
        list: (q: object = {}) => self.page('threads.list', () => self.threads, q),
        create: (body: { title: string; roomId?: string }) =>
          self.call('threads.create', [body], () => {
            const t: Thread = { id: fakeId('thr'), author: self.viewer, title: body.title, skills: [], roomId: body.roomId ?? null, postCount: 0, lastPostAt: null, createdAt: new Date().toISOString() };
            self.threads.push(t);
            return t;
          }),
        posts: {
          create: (threadId: string, body: { body: string; audience?: Post['audience']; roomId?: string; milestoneId?: string }, o: { idempotencyKey?: string } = {}) =>
            self.call('posts.create', [threadId, body, o], () => {
              if (o.idempotencyKey) self.keys.push(o.idempotencyKey);
              const p = makePost(self.viewer, body.body, { threadId, audience: body.audience ?? 'room', roomId: body.roomId ?? null, milestoneId: body.milestoneId ?? null });
              self.posts = [p, ...self.posts];
              return p;
            }),
        },
      },
      roadmaps: {
        list: (q: object = {}) => self.page('roadmaps.list', () => self.roadmaps, q),
        get: (id: string) =>
          self.call('roadmaps.get', [id], () => {
            const r = self.roadmaps.find((x) => x.id === id);
            if (!r) throw Object.assign(new Error('not found'), { code: 'not_found', status: 404 });
            return r;
          }),
        milestones: {
          update: (id: string, milestoneId: string, body: Record<string, unknown> & { reason: string; baseVersion?: number }, o: { idempotencyKey?: string } = {}) =>
            self.call('milestones.update', [id, milestoneId, body, o], () => {
              const r = self.roadmaps.find((x) => x.id === id)!;
              if (body.baseVersion !== undefined && body.baseVersion !== r.version) throw Object.assign(new Error('conflict'), { code: 'conflict', status: 409 });
              const { reason, baseVersion, ...patch } = body;
              void reason; void baseVersion;
              const next: Roadmap = {
                ...r,
                version: r.version + 1,
                milestones: r.milestones
                  .map((m) => (m.id === milestoneId ? { ...m, ...patch } : m))
                  .sort((a, b) => a.dueDate.localeCompare(b.dueDate)),
              };
              self.revisionLog.unshift({ id: fakeId('rev'), roadmapId: id, version: next.version, kind: 'milestone_updated', author: self.viewer, reason: body.reason, changes: Object.keys(patch).map((field) => ({ milestoneId, field, from: null, to: String(patch[field]) })), createdAt: new Date().toISOString() });
              self.roadmaps = self.roadmaps.map((x) => (x.id === id ? next : x));
              return next;
            }),
          add: (id: string, body: { reason: string; baseVersion?: number; milestone: { title: string; dueDate: string } & Record<string, unknown> }) =>
            self.call('milestones.add', [id, body], () => {
              const r = self.roadmaps.find((x) => x.id === id)!;
              const m = makeMilestone(id, body.milestone.title, body.milestone.dueDate, (body.milestone.status as Milestone['status']) ?? 'planned');
              const next: Roadmap = { ...r, version: r.version + 1, milestones: [...r.milestones, m].sort((a, b) => a.dueDate.localeCompare(b.dueDate)) };
              self.roadmaps = self.roadmaps.map((x) => (x.id === id ? next : x));
              return next;
            }),
        },
        revisions: {
          list: (id: string, q: object = {}) => self.page('revisions.list', () => self.revisionLog.filter((v) => v.roadmapId === id), q),
        },
      },
      rooms: {
        get: (id: string) =>
          self.call('rooms.get', [id], () => {
            const r = self.rooms.find((x) => x.id === id);
            if (!r) throw Object.assign(new Error('not found'), { code: 'not_found', status: 404 });
            return r;
          }),
        messages: {
          list: (roomId: string, q: { limit?: number; cursor?: string } = {}) => self.page('messages.list', () => self.messages.filter((m) => m.roomId === roomId), q),
          create: (roomId: string, body: { body: string }, o: { idempotencyKey?: string } = {}) =>
            self.call('messages.create', [roomId, body, o], () => {
              const m: Message = { id: fakeId('msg'), roomId, author: self.viewer, body: body.body, createdAt: new Date().toISOString() };
              self.messages.unshift(m);
              return m;
            }),
        },
        notes: {
          list: (roomId: string, q: { limit?: number } = {}) => self.page('notes.list', () => self.notes.filter((n) => n.roomId === roomId), q),
          updateActionItem: (roomId: string, noteId: string, itemId: string, body: { done?: boolean }) =>
            self.call('notes.updateActionItem', [roomId, noteId, itemId, body], () => {
              const n = self.notes.find((x) => x.id === noteId)!;
              const next: SessionNote = { ...n, actionItems: n.actionItems.map((a) => (a.id === itemId ? { ...a, done: body.done ?? a.done } : a)) };
              self.notes = self.notes.map((x) => (x.id === noteId ? next : x));
              return next;
            }),
        },
        resources: {
          list: (roomId: string, q: { limit?: number } = {}) => self.page('resources.list', () => self.resources.filter((r) => r.roomId === roomId), q),
        },
      },
      checkIns: {
        create: (roomId: string, body: { progress: string; blockers?: string; confidence: number }, o: { idempotencyKey?: string } = {}) =>
          self.call('checkIns.create', [roomId, body, o], () => ({
            id: fakeId('chk'), roomId, author: self.viewer, progress: body.progress, blockers: body.blockers ?? '', confidence: body.confidence, createdAt: new Date().toISOString(),
          })),
      },
      feedback: {
        create: (roomId: string, body: { subject: 'room' | 'session' | 'roadmap'; subjectId?: string; rating: number; comment?: string }, o: { idempotencyKey?: string } = {}) =>
          self.call('feedback.create', [roomId, body, o], () => ({
            id: fakeId('fbk'), roomId, author: self.viewer, direction: 'mentee_to_mentor', subject: body.subject, subjectId: body.subjectId ?? null, rating: body.rating, comment: body.comment ?? '', createdAt: new Date().toISOString(),
          })),
      },
      events: {
        room: (id: string) => self.subscribe(`room:${id}`),
        thread: (id: string) => self.subscribe(`thread:${id}`),
        feed: () => self.subscribe('feed'),
      },
    };
    return api as unknown as MenteoClient;
  }

  private subscribe(target: string): FakeSubscription {
    const sub = new FakeSubscription(target);
    this.subscriptions.push(sub);
    return sub;
  }

  /** The newest open subscription. */
  get live(): FakeSubscription | undefined {
    return [...this.subscriptions].reverse().find((s) => s.state !== 'closed');
  }

  private react(postId: string, kind: ReactionKind, active: boolean): Post {
    const post = this.posts.find((p) => p.id === postId);
    if (!post) throw Object.assign(new Error('not found'), { code: 'not_found', status: 404 });
    const others = post.reactions.filter((r) => r.kind !== kind);
    const current = post.reactions.find((r) => r.kind === kind);
    const count = (current?.count ?? 0) - (current?.mine ? 1 : 0) + (active ? 1 : 0);
    const updated: Post = { ...post, reactions: count > 0 ? [...others, { kind, count, mine: active }] : others };
    this.posts = this.posts.map((p) => (p.id === postId ? updated : p));
    return updated;
  }
}

export function makeMilestone(roadmapId: string, title: string, dueDate: string, status: Milestone['status'] = 'planned', extra: Partial<Milestone> = {}): Milestone {
  const t = new Date().toISOString();
  return {
    id: fakeId('mil'), roadmapId, title, description: '', dueDate, requiredSkills: [], expectedOutcome: '', status,
    evidencePostIds: [], statusChangedAt: t, completedAt: status === 'done' ? t : null, createdAt: t, updatedAt: t, ...extra,
  };
}

export function makeRoadmap(owner: Person, startDate: string, milestones: (id: string) => Milestone[], extra: Partial<Roadmap> = {}): Roadmap {
  const id = fakeId('rmap');
  const t = new Date().toISOString();
  return {
    id, roomId: 'room_00000000000000000000000001', owner, title: 'Become a confident reviewer', goal: 'Review a colleague\'s PR every week',
    startDate, horizonDays: 90, milestones: milestones(id), version: 1, createdAt: t, updatedAt: t, ...extra,
  };
}
