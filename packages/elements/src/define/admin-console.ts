/**
 * Registers `<menteo-admin-console>` (skipped when the tag already exists). Its sections are
 * registered on demand, when the console first shows them.
 * @module
 */
import { defineElement } from '../internal/menteo-element.js';
import { MenteoAdminConsole } from '../admin-console/admin-console.js';

defineElement('menteo-admin-console', MenteoAdminConsole);

declare global {
  interface HTMLElementTagNameMap {
    'menteo-admin-console': MenteoAdminConsole;
  }
}
