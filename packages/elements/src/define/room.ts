/**
 * Registers `<menteo-room>` and the elements it nests (each skipped when already defined).
 * @module
 */
import { defineElement } from '../internal/menteo-element.js';
import { MenteoRoom } from '../room/room.js';
import './roadmap.js';
import './check-in.js';

defineElement('menteo-room', MenteoRoom);

declare global {
  interface HTMLElementTagNameMap {
    'menteo-room': MenteoRoom;
  }
}
