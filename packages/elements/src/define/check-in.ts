/**
 * Registers `<menteo-check-in>` (skipped when the tag already exists).
 * @module
 */
import { defineElement } from '../internal/menteo-element.js';
import { MenteoCheckIn } from '../check-in/check-in.js';

defineElement('menteo-check-in', MenteoCheckIn);

declare global {
  interface HTMLElementTagNameMap {
    'menteo-check-in': MenteoCheckIn;
  }
}
