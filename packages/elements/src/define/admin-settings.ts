/**
 * Registers `<menteo-admin-settings>` (skipped when the tag already exists).
 * @module
 */
import { defineElement } from '../internal/menteo-element.js';
import { MenteoAdminSettings } from '../admin-settings/admin-settings.js';

defineElement('menteo-admin-settings', MenteoAdminSettings);

declare global {
  interface HTMLElementTagNameMap {
    'menteo-admin-settings': MenteoAdminSettings;
  }
}
