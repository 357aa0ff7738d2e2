/**
 * Mentorship rooms: members, conversation, session notes with action items, shared resources.
 * @module
 */
import * as z from 'zod/mini';
import { DateOnly, HttpUrl, Timestamp, longText, page, pageQuery, text } from './common.js';
import { ActionItemId, MessageId, NoteId, ResourceId, RoadmapId, RoomId } from './ids.js';
import { defineOperation } from './operation.js';
import { Person, PersonId } from './people.js';

export const ROOM_ROLES = ['mentor', 'mentee', 'observer'] as const;
export const RoomRole = z.enum(ROOM_ROLES);
export type RoomRole = z.infer<typeof RoomRole>;

export const ROOM_STATUSES = ['active', 'archived'] as const;
export const RoomStatus = z.enum(ROOM_STATUSES);
export type RoomStatus = z.infer<typeof RoomStatus>;

export const RoomMember = z.object({
  person: Person,
  role: RoomRole,
  joinedAt: Timestamp,
});
export type RoomMember = z.infer<typeof RoomMember>;

/** A persistent space shared by a mentor and mentees. */
export const Room = z.object({
  id: RoomId,
  title: z.string(),
  purpose: z.string(),
  status: RoomStatus,
  members: z.array(RoomMember),
  /** The roadmap the room works on, if any. */
  roadmapId: z.nullable(RoadmapId),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Room = z.infer<typeof Room>;

export const NewMember = z.strictObject({ personId: PersonId, role: RoomRole });
export type NewMember = z.infer<typeof NewMember>;

export const CreateRoom = z.strictObject({
  title: text(120),
  purpose: z.optional(longText(2000)),
  members: z.optional(z.array(NewMember).check(z.maxLength(50))),
});
export type CreateRoom = z.infer<typeof CreateRoom>;

export const UpdateRoom = z.strictObject({
  title: z.optional(text(120)),
  purpose: z.optional(longText(2000)),
  /** Archived rooms are read-only. */
  status: z.optional(RoomStatus),
});
export type UpdateRoom = z.infer<typeof UpdateRoom>;

export const UpdateMember = z.strictObject({ role: RoomRole });

/** A message in the room's conversation. */
export const Message = z.object({
  id: MessageId,
  roomId: RoomId,
  author: Person,
  body: z.string(),
  createdAt: Timestamp,
});
export type Message = z.infer<typeof Message>;

export const CreateMessage = z.strictObject({ body: text(4000) });
export type CreateMessage = z.infer<typeof CreateMessage>;

export const ActionItem = z.object({
  id: ActionItemId,
  text: z.string(),
  ownerId: z.nullable(PersonId),
  dueDate: z.nullable(DateOnly),
  done: z.boolean(),
  doneAt: z.nullable(Timestamp),
});
export type ActionItem = z.infer<typeof ActionItem>;

/** Notes of one mentoring session, with the action items agreed. */
export const SessionNote = z.object({
  id: NoteId,
  roomId: RoomId,
  author: Person,
  sessionDate: DateOnly,
  summary: z.string(),
  actionItems: z.array(ActionItem),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type SessionNote = z.infer<typeof SessionNote>;

export const NewActionItem = z.strictObject({
  text: text(500),
  ownerId: z.optional(PersonId),
  dueDate: z.optional(DateOnly),
});
export type NewActionItem = z.infer<typeof NewActionItem>;

export const CreateSessionNote = z.strictObject({
  sessionDate: DateOnly,
  summary: text(8000),
  actionItems: z.optional(z.array(NewActionItem).check(z.maxLength(30))),
});
export type CreateSessionNote = z.infer<typeof CreateSessionNote>;

export const UpdateActionItem = z.strictObject({
  done: z.optional(z.boolean()),
  text: z.optional(text(500)),
  ownerId: z.optional(z.nullable(PersonId)),
  dueDate: z.optional(z.nullable(DateOnly)),
});
export type UpdateActionItem = z.infer<typeof UpdateActionItem>;

/** A link the room keeps: an article, a course, a repository. */
export const Resource = z.object({
  id: ResourceId,
  roomId: RoomId,
  title: z.string(),
  url: z.string(),
  note: z.string(),
  addedBy: Person,
  createdAt: Timestamp,
});
export type Resource = z.infer<typeof Resource>;

export const CreateResource = z.strictObject({
  title: text(200),
  url: HttpUrl,
  note: z.optional(longText(1000)),
});
export type CreateResource = z.infer<typeof CreateResource>;

export const RoomParams = z.strictObject({ roomId: RoomId });
export const MemberParams = z.strictObject({ roomId: RoomId, personId: PersonId });
export const NoteParams = z.strictObject({ roomId: RoomId, noteId: NoteId });
export const AddActionItem = NewActionItem;
export type AddActionItem = NewActionItem;

export const ActionItemParams = z.strictObject({ roomId: RoomId, noteId: NoteId, itemId: ActionItemId });
export const ResourceParams = z.strictObject({ roomId: RoomId, resourceId: ResourceId });

export const ListRoomsQuery = pageQuery({
  status: z.optional(RoomStatus),
  /** Rooms this person is a member of. */
  memberId: z.optional(PersonId),
});

const tag = 'Rooms';

export const listRooms = defineOperation({
  id: 'listRooms', method: 'GET', path: '/v1/rooms', tag,
  summary: 'Rooms the caller can see, newest first.', scopes: ['rooms:read'],
  description: 'Rooms the caller is a member of; organization-wide credentials (API keys, admins) see every room of the organization. Filter by status or member; paged with `cursor` and `limit`.',
  query: ListRoomsQuery, response: page(Room),
});
export const createRoom = defineOperation({
  id: 'createRoom', method: 'POST', path: '/v1/rooms', tag,
  summary: 'Open a mentorship room.', scopes: ['rooms:write'], body: CreateRoom, response: Room,
  description: 'Opens a room where mentors and mentees work together, optionally with its first members and their roles (mentor, mentee, observer). Send an `Idempotency-Key` so a retried request opens one room.',
});
export const getRoom = defineOperation({
  id: 'getRoom', method: 'GET', path: '/v1/rooms/{roomId}', tag,
  summary: 'One room with its members.', scopes: ['rooms:read'], params: RoomParams, response: Room,
  description: 'A room with its title, purpose, status and members with their roles; answers 404 to callers who may not see it.',
});
export const updateRoom = defineOperation({
  id: 'updateRoom', method: 'PATCH', path: '/v1/rooms/{roomId}', tag,
  summary: 'Rename, re-purpose, archive or reopen a room (mentors and admins).', scopes: ['rooms:write'],
  description: 'Mentors of the room and admins change its title or purpose, archive it or reopen it. Members receive a `room.updated` live event.',
  params: RoomParams, body: UpdateRoom, response: Room,
});
export const addRoomMember = defineOperation({
  id: 'addRoomMember', method: 'POST', path: '/v1/rooms/{roomId}/members', tag,
  summary: 'Add a person to a room with a role.', scopes: ['rooms:write'],
  description: 'Mentors of the room and admins add a person as mentor, mentee or observer; observers read but do not write.',
  params: RoomParams, body: NewMember, response: Room,
});
export const updateRoomMember = defineOperation({
  id: 'updateRoomMember', method: 'PATCH', path: '/v1/rooms/{roomId}/members/{personId}', tag,
  summary: "Change a member's role.", scopes: ['rooms:write'],
  description: "Mentors of the room and admins change a member's role between mentor, mentee and observer; the new role applies to the member's next request.",
  params: MemberParams, body: UpdateMember, response: Room,
});
export const removeRoomMember = defineOperation({
  id: 'removeRoomMember', method: 'DELETE', path: '/v1/rooms/{roomId}/members/{personId}', tag,
  summary: 'Remove a member; their contributions stay.', scopes: ['rooms:write'],
  description: 'Mentors of the room and admins remove a member. Their messages, notes and posts stay; their open live topics for the room are closed (`live.topic-closed`).',
  params: MemberParams, response: Room,
});
export const listMessages = defineOperation({
  id: 'listMessages', method: 'GET', path: '/v1/rooms/{roomId}/messages', tag,
  summary: "The room's conversation, newest first.", scopes: ['rooms:read'],
  description: "The room's messages, newest first, for members. Paged with `cursor` and `limit`; new ones arrive as `message.created` live events.",
  params: RoomParams, query: pageQuery({}), response: page(Message),
});
export const createMessage = defineOperation({
  id: 'createMessage', method: 'POST', path: '/v1/rooms/{roomId}/messages', tag,
  summary: 'Say something in the room.', scopes: ['messages:write'],
  description: "Posts a message to the room's conversation as the caller (or, with an API key, the `Menteo-Act-As` member). Members receive a `message.created` live event; send an `Idempotency-Key` so a retry posts once.",
  params: RoomParams, body: CreateMessage, response: Message,
});
export const listSessionNotes = defineOperation({
  id: 'listSessionNotes', method: 'GET', path: '/v1/rooms/{roomId}/notes', tag,
  summary: 'Session notes, newest session first.', scopes: ['rooms:read'],
  description: "Notes of the room's mentoring sessions, with their action items, newest session first. Paged with `cursor` and `limit`.",
  params: RoomParams, query: pageQuery({}), response: page(SessionNote),
});
export const createSessionNote = defineOperation({
  id: 'createSessionNote', method: 'POST', path: '/v1/rooms/{roomId}/notes', tag,
  summary: 'Record a session with its action items.', scopes: ['notes:write'],
  description: 'Records what a mentoring session covered and the action items agreed, each with an optional owner and due date. Members receive a `note.created` live event.',
  params: RoomParams, body: CreateSessionNote, response: SessionNote,
});
export const addActionItem = defineOperation({
  id: 'addActionItem', method: 'POST', path: '/v1/rooms/{roomId}/notes/{noteId}/action-items', tag,
  summary: 'Add an action item to a session note; answers the whole note.', scopes: ['notes:write'],
  description: 'Adds one action item to an existing session note and answers the whole note, so a widget can replace it. Members receive a `note.updated` live event.',
  params: NoteParams, body: AddActionItem, status: 200, response: SessionNote,
});
export const updateActionItem = defineOperation({
  id: 'updateActionItem', method: 'PATCH', path: '/v1/rooms/{roomId}/notes/{noteId}/action-items/{itemId}', tag,
  summary: 'Tick, untick or edit an action item.', scopes: ['notes:write'],
  description: 'Marks an action item done or not done, or changes its text, owner or due date; answers the whole note. Members receive a `note.updated` live event.',
  params: ActionItemParams, body: UpdateActionItem, response: SessionNote,
});
export const listResources = defineOperation({
  id: 'listResources', method: 'GET', path: '/v1/rooms/{roomId}/resources', tag,
  summary: 'Shared resources, newest first.', scopes: ['rooms:read'],
  description: 'Links and documents shared in the room, newest first. Paged with `cursor` and `limit`.',
  params: RoomParams, query: pageQuery({}), response: page(Resource),
});
export const createResource = defineOperation({
  id: 'createResource', method: 'POST', path: '/v1/rooms/{roomId}/resources', tag,
  summary: 'Share a resource with the room.', scopes: ['resources:write'],
  description: 'Shares a link (an article, a course, a document) with a title and an optional note. Members receive a `resource.created` live event.',
  params: RoomParams, body: CreateResource, response: Resource,
});
export const deleteResource = defineOperation({
  id: 'deleteResource', method: 'DELETE', path: '/v1/rooms/{roomId}/resources/{resourceId}', tag,
  summary: 'Remove a shared resource (whoever added it, or a mentor).', scopes: ['resources:write'],
  description: 'Removes a shared resource: whoever shared it or a mentor of the room may. Members receive a `resource.deleted` live event.',
  params: ResourceParams, status: 204,
});
