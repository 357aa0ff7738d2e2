/**
 * Typed events of Menteo elements. Each is dispatched on a person's action only (never on a
 * property set), after the server acknowledged the write, and `bubbles` + `composed` so a host
 * page in any framework can listen on any ancestor: `el.addEventListener('menteo-post-create', e
 * => e.post)`. Names say what happened in which element, so an event of a nested part never
 * triggers a handler meant for its container.
 * @module
 */
import type { Post, Comment, ReactionKind } from '@menteo/api/threads';
import type { Milestone, Roadmap } from '@menteo/api/roadmaps';
import type { Message, SessionNote, ActionItem, Resource } from '@menteo/api/rooms';
import type { CheckIn, Feedback, Learning } from '@menteo/api/feedback';
import type { MatchRequest } from '@menteo/api/matching';

const init: EventInit = { bubbles: true, composed: true };

/** A post was published from a feed's composer (after the server acknowledged it). */
export class MenteoPostCreateEvent extends Event {
  static readonly eventName = 'menteo-post-create';
  readonly post: Post;
  constructor(post: Post) {
    super(MenteoPostCreateEvent.eventName, init);
    this.post = post;
  }
}

/**
 * A composer sent a post and the server has not answered yet. `post` is the optimistic copy (its
 * id starts with `pending:`); `result` settles with the stored post, or rejects when the write
 * failed (the composer then shows why and keeps the text). A feed shows the copy at once. The one
 * write event fired before the acknowledgement: `menteo-post-create` follows it on success.
 */
export class MenteoPostSendEvent extends Event {
  static readonly eventName = 'menteo-post-send';
  readonly post: Post;
  readonly result: Promise<Post>;
  constructor(post: Post, result: Promise<Post>) {
    super(MenteoPostSendEvent.eventName, init);
    this.post = post;
    this.result = result;
  }
}

/** The reader deleted one of their posts (after confirming, and after the server acknowledged it). */
export class MenteoPostDeleteEvent extends Event {
  static readonly eventName = 'menteo-post-delete';
  readonly post: Post;
  constructor(post: Post) {
    super(MenteoPostDeleteEvent.eventName, init);
    this.post = post;
  }
}

/** A comment was added to a post. */
export class MenteoCommentCreateEvent extends Event {
  static readonly eventName = 'menteo-comment-create';
  readonly comment: Comment;
  constructor(comment: Comment) {
    super(MenteoCommentCreateEvent.eventName, init);
    this.comment = comment;
  }
}

/** The reader added or took back a reaction on a post. */
export class MenteoReactionChangeEvent extends Event {
  static readonly eventName = 'menteo-reaction-change';
  readonly post: Post;
  readonly kind: ReactionKind;
  /** True when the reaction was added, false when it was taken back. */
  readonly active: boolean;
  constructor(post: Post, kind: ReactionKind, active: boolean) {
    super(MenteoReactionChangeEvent.eventName, init);
    this.post = post;
    this.kind = kind;
    this.active = active;
  }
}

/** A milestone was added, edited, moved or had its status changed (with a reason). */
export class MenteoMilestoneChangeEvent extends Event {
  static readonly eventName = 'menteo-milestone-change';
  readonly roadmap: Roadmap;
  /** The milestone after the change; `undefined` when it was removed. */
  readonly milestone: Milestone | undefined;
  readonly reason: string;
  constructor(roadmap: Roadmap, milestone: Milestone | undefined, reason: string) {
    super(MenteoMilestoneChangeEvent.eventName, init);
    this.roadmap = roadmap;
    this.milestone = milestone;
    this.reason = reason;
  }
}

/** A message was sent in a room's conversation. */
export class MenteoMessageCreateEvent extends Event {
  static readonly eventName = 'menteo-message-create';
  readonly message: Message;
  constructor(message: Message) {
    super(MenteoMessageCreateEvent.eventName, init);
    this.message = message;
  }
}

/** An action item of a session note was ticked or unticked. */
export class MenteoActionItemToggleEvent extends Event {
  static readonly eventName = 'menteo-action-item-toggle';
  readonly note: SessionNote;
  readonly item: ActionItem;
  constructor(note: SessionNote, item: ActionItem) {
    super(MenteoActionItemToggleEvent.eventName, init);
    this.note = note;
    this.item = item;
  }
}

/** A check-in was submitted. */
export class MenteoCheckInSubmitEvent extends Event {
  static readonly eventName = 'menteo-check-in-submit';
  readonly checkIn: CheckIn;
  constructor(checkIn: CheckIn) {
    super(MenteoCheckInSubmitEvent.eventName, init);
    this.checkIn = checkIn;
  }
}

/** Feedback on guidance was submitted. */
export class MenteoFeedbackSubmitEvent extends Event {
  static readonly eventName = 'menteo-feedback-submit';
  readonly feedback: Feedback;
  constructor(feedback: Feedback) {
    super(MenteoFeedbackSubmitEvent.eventName, init);
    this.feedback = feedback;
  }
}

/**
 * A request failed in a way the element could not recover from by itself (after the client's
 * retries). The element already shows the error and offers a retry; hosts may log it. The one
 * event not caused by a person's action: failures are worth reporting whatever caused them.
 */
export class MenteoErrorEvent extends Event {
  static readonly eventName = 'menteo-error';
  readonly error: unknown;
  /** What the element was doing: `load`, `post-create`, `milestone-change`… */
  readonly operation: string;
  constructor(operation: string, error: unknown) {
    super(MenteoErrorEvent.eventName, init);
    this.operation = operation;
    this.error = error;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'menteo-post-create': MenteoPostCreateEvent;
    'menteo-post-send': MenteoPostSendEvent;
    'menteo-post-delete': MenteoPostDeleteEvent;
    'menteo-comment-create': MenteoCommentCreateEvent;
    'menteo-reaction-change': MenteoReactionChangeEvent;
    'menteo-milestone-change': MenteoMilestoneChangeEvent;
    'menteo-message-create': MenteoMessageCreateEvent;
    'menteo-action-item-toggle': MenteoActionItemToggleEvent;
    'menteo-check-in-submit': MenteoCheckInSubmitEvent;
    'menteo-feedback-submit': MenteoFeedbackSubmitEvent;
    'menteo-error': MenteoErrorEvent;
  }
}

/** A mentor added to the room's learning log. */
export class MenteoLearningCreateEvent extends Event {
  static readonly eventName = 'menteo-learning-create';
  readonly learning: Learning;
  constructor(learning: Learning) {
    super(MenteoLearningCreateEvent.eventName, init);
    this.learning = learning;
  }
}

/** The reader wrote a session note (with its action items) in a room. */
export class MenteoNoteCreateEvent extends Event {
  static readonly eventName = 'menteo-note-create';
  readonly note: SessionNote;
  constructor(note: SessionNote) {
    super(MenteoNoteCreateEvent.eventName, init);
    this.note = note;
  }
}

/** The reader shared a resource with a room. */
export class MenteoResourceCreateEvent extends Event {
  static readonly eventName = 'menteo-resource-create';
  readonly resource: Resource;
  constructor(resource: Resource) {
    super(MenteoResourceCreateEvent.eventName, init);
    this.resource = resource;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'menteo-learning-create': MenteoLearningCreateEvent;
    'menteo-note-create': MenteoNoteCreateEvent;
    'menteo-resource-create': MenteoResourceCreateEvent;
  }
}

/** A mentee asked a mentor (from `<menteo-match-suggestions>`); `request` is pending. */
export class MenteoMatchRequestCreateEvent extends Event {
  static readonly eventName = 'menteo-match-request-create';
  readonly request: MatchRequest;
  constructor(request: MatchRequest) {
    super(MenteoMatchRequestCreateEvent.eventName, init);
    this.request = request;
  }
}

/**
 * A mentor answered a request (from `<menteo-match-requests>`): `request.status` is `accepted`
 * (its `roomId` is the new room, where a host page may take the reader) or `declined`.
 */
export class MenteoMatchRequestAnswerEvent extends Event {
  static readonly eventName = 'menteo-match-request-answer';
  readonly request: MatchRequest;
  constructor(request: MatchRequest) {
    super(MenteoMatchRequestAnswerEvent.eventName, init);
    this.request = request;
  }
}

/** A mentee withdrew a pending request (from `<menteo-match-suggestions>`). */
export class MenteoMatchRequestWithdrawEvent extends Event {
  static readonly eventName = 'menteo-match-request-withdraw';
  readonly request: MatchRequest;
  constructor(request: MatchRequest) {
    super(MenteoMatchRequestWithdrawEvent.eventName, init);
    this.request = request;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'menteo-match-request-create': MenteoMatchRequestCreateEvent;
    'menteo-match-request-answer': MenteoMatchRequestAnswerEvent;
    'menteo-match-request-withdraw': MenteoMatchRequestWithdrawEvent;
  }
}
