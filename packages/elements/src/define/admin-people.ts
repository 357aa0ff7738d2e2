/**
 * Registers `<menteo-admin-people>` (skipped when the tag already exists).
 * @module
 */
import { defineElement } from '../internal/menteo-element.js';
import { MenteoAdminPeople } from '../admin-people/admin-people.js';

defineElement('menteo-admin-people', MenteoAdminPeople);

declare global {
  interface HTMLElementTagNameMap {
    'menteo-admin-people': MenteoAdminPeople;
  }
}
