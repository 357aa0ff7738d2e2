/**
 * `client.rooms`: mentorship rooms, their members, conversation, session notes and resources.
 * Imports only `@menteo/api/rooms`.
 * @module
 */
import {
  addActionItem, addRoomMember, createMessage, createResource, createRoom, createSessionNote, deleteResource, getRoom,
  listMessages, listResources, listRooms, listSessionNotes, removeRoomMember, updateActionItem,
  updateRoom, updateRoomMember,
  type AddActionItem, type CreateMessage, type CreateResource, type CreateRoom, type CreateSessionNote, type NewMember,
  type RoomRole, type UpdateActionItem, type UpdateRoom,
} from '@menteo/api/rooms';
import type { Transport } from './transport.js';
import type { CallOptions, ListOptions, ListQuery } from './types.js';

/** Builds the rooms namespace over a transport. */
export function roomsApi(t: Transport) {
  return {
    /** Rooms the caller can see, newest first. Await for a page; `for await` for all. */
    list: (query?: ListQuery<typeof listRooms>, options?: ListOptions) => t.list(listRooms, { ...options, query }),
    /** One room with its members. */
    get: (roomId: string, options?: CallOptions) => t.request(getRoom, { ...options, params: { roomId } }),
    /** Opens a room. */
    create: (body: CreateRoom, options?: CallOptions) => t.request(createRoom, { ...options, body }),
    /** Renames, re-purposes, archives or reopens a room. */
    update: (roomId: string, body: UpdateRoom, options?: CallOptions) =>
      t.request(updateRoom, { ...options, params: { roomId }, body }),
    /** Room membership. Each call answers the updated room. */
    members: {
      /** Adds a person with a role. */
      add: (roomId: string, body: NewMember, options?: CallOptions) =>
        t.request(addRoomMember, { ...options, params: { roomId }, body }),
      /** Changes a member's role. */
      update: (roomId: string, personId: string, body: { role: RoomRole }, options?: CallOptions) =>
        t.request(updateRoomMember, { ...options, params: { roomId, personId }, body }),
      /** Removes a member; their contributions stay. */
      remove: (roomId: string, personId: string, options?: CallOptions) =>
        t.request(removeRoomMember, { ...options, params: { roomId, personId } }),
    },
    /** The room's conversation. */
    messages: {
      /** Messages, newest first. */
      list: (roomId: string, query?: ListQuery<typeof listMessages>, options?: ListOptions) =>
        t.list(listMessages, { ...options, params: { roomId }, query }),
      /** Says something in the room. */
      create: (roomId: string, body: CreateMessage, options?: CallOptions) =>
        t.request(createMessage, { ...options, params: { roomId }, body }),
    },
    /** Session notes with action items. */
    notes: {
      /** Notes, newest session first. */
      list: (roomId: string, query?: ListQuery<typeof listSessionNotes>, options?: ListOptions) =>
        t.list(listSessionNotes, { ...options, params: { roomId }, query }),
      /** Records a session with its action items. */
      create: (roomId: string, body: CreateSessionNote, options?: CallOptions) =>
        t.request(createSessionNote, { ...options, params: { roomId }, body }),
      /** Adds an action item to a note; answers the whole note. */
      addActionItem: (roomId: string, noteId: string, body: AddActionItem, options?: CallOptions) =>
        t.request(addActionItem, { ...options, params: { roomId, noteId }, body }),
      /** Ticks, unticks or edits an action item; answers the whole note. */
      updateActionItem: (roomId: string, noteId: string, itemId: string, body: UpdateActionItem, options?: CallOptions) =>
        t.request(updateActionItem, { ...options, params: { roomId, noteId, itemId }, body }),
    },
    /** Shared resources (links). */
    resources: {
      /** Resources, newest first. */
      list: (roomId: string, query?: ListQuery<typeof listResources>, options?: ListOptions) =>
        t.list(listResources, { ...options, params: { roomId }, query }),
      /** Shares a link with the room. */
      create: (roomId: string, body: CreateResource, options?: CallOptions) =>
        t.request(createResource, { ...options, params: { roomId }, body }),
      /** Removes a shared resource. */
      delete: async (roomId: string, resourceId: string, options?: CallOptions): Promise<void> => {
        await t.request(deleteResource, { ...options, params: { roomId, resourceId } });
      },
    },
  };
}

/** The rooms namespace (`client.rooms`). */
export type RoomsApi = ReturnType<typeof roomsApi>;
