/**
 * Registers `<menteo-check-in-history>` (skipped when the tag already exists).
 * @module
 */
import { defineElement } from '../internal/menteo-element.js';
import { MenteoCheckInHistory } from '../check-in-history/check-in-history.js';

defineElement('menteo-check-in-history', MenteoCheckInHistory);

declare global {
  interface HTMLElementTagNameMap {
    'menteo-check-in-history': MenteoCheckInHistory;
  }
}
