/**
 * Registers `<menteo-feedback-exchange>` and the `<menteo-feedback>` form it nests (each skipped
 * when the tag already exists).
 * @module
 */
import { defineElement } from '../internal/menteo-element.js';
import { MenteoFeedbackExchange } from '../feedback-exchange/feedback-exchange.js';
import './feedback.js';

defineElement('menteo-feedback-exchange', MenteoFeedbackExchange);

declare global {
  interface HTMLElementTagNameMap {
    'menteo-feedback-exchange': MenteoFeedbackExchange;
  }
}
