/**
 * Registers `<menteo-match-requests>` (skipped when the tag already exists).
 * @module
 */
import { defineElement } from '../internal/menteo-element.js';
import { MenteoMatchRequests } from '../match-requests/match-requests.js';

defineElement('menteo-match-requests', MenteoMatchRequests);

declare global {
  interface HTMLElementTagNameMap {
    'menteo-match-requests': MenteoMatchRequests;
  }
}
