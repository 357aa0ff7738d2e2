/**
 * Registers `<menteo-room>` (skipped when already defined). The elements its tabs nest (roadmap,
 * check-in and its history, feedback, learning log) are loaded by the room the first time a tab
 * shows them, so this entry stays small.
 * @module
 */
import { defineElement } from '../internal/menteo-element.js';
import { MenteoRoom } from '../room/room.js';

defineElement('menteo-room', MenteoRoom);

declare global {
  interface HTMLElementTagNameMap {
    'menteo-room': MenteoRoom;
  }
}
