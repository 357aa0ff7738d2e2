/**
 * Registers `<menteo-admin-integrations>` (skipped when the tag already exists).
 * @module
 */
import { defineElement } from '../internal/menteo-element.js';
import { MenteoAdminIntegrations } from '../admin-integrations/admin-integrations.js';

defineElement('menteo-admin-integrations', MenteoAdminIntegrations);

declare global {
  interface HTMLElementTagNameMap {
    'menteo-admin-integrations': MenteoAdminIntegrations;
  }
}
