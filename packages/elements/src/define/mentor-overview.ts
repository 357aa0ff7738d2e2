/**
 * Registers `<menteo-mentor-overview>` (skipped when the tag already exists).
 * @module
 */
import { defineElement } from '../internal/menteo-element.js';
import { MenteoMentorOverview } from '../mentor-overview/mentor-overview.js';

defineElement('menteo-mentor-overview', MenteoMentorOverview);

declare global {
  interface HTMLElementTagNameMap {
    'menteo-mentor-overview': MenteoMentorOverview;
  }
}
