/**
 * Registers `<menteo-feedback>` (skipped when the tag already exists).
 * @module
 */
import { defineElement } from '../internal/menteo-element.js';
import { MenteoFeedback } from '../feedback/feedback.js';

defineElement('menteo-feedback', MenteoFeedback);

declare global {
  interface HTMLElementTagNameMap {
    'menteo-feedback': MenteoFeedback;
  }
}
