/**
 * Registers `<menteo-admin-cohorts>` (skipped when the tag already exists).
 * @module
 */
import { defineElement } from '../internal/menteo-element.js';
import { MenteoAdminCohorts } from '../admin-cohorts/admin-cohorts.js';

defineElement('menteo-admin-cohorts', MenteoAdminCohorts);

declare global {
  interface HTMLElementTagNameMap {
    'menteo-admin-cohorts': MenteoAdminCohorts;
  }
}
