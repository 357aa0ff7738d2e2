/**
 * Registers `<menteo-admin-health>` (skipped when the tag already exists).
 * @module
 */
import { defineElement } from '../internal/menteo-element.js';
import { MenteoAdminHealth } from '../admin-health/admin-health.js';

defineElement('menteo-admin-health', MenteoAdminHealth);

declare global {
  interface HTMLElementTagNameMap {
    'menteo-admin-health': MenteoAdminHealth;
  }
}
