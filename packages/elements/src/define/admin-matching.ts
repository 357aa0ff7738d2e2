/**
 * Registers `<menteo-admin-matching>` (skipped when the tag already exists).
 * @module
 */
import { defineElement } from '../internal/menteo-element.js';
import { MenteoAdminMatching } from '../admin-matching/admin-matching.js';

defineElement('menteo-admin-matching', MenteoAdminMatching);

declare global {
  interface HTMLElementTagNameMap {
    'menteo-admin-matching': MenteoAdminMatching;
  }
}
