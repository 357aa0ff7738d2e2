/**
 * Registers `<menteo-learning-log>` (skipped when the tag already exists).
 * @module
 */
import { defineElement } from '../internal/menteo-element.js';
import { MenteoLearningLog } from '../learning-log/learning-log.js';

defineElement('menteo-learning-log', MenteoLearningLog);

declare global {
  interface HTMLElementTagNameMap {
    'menteo-learning-log': MenteoLearningLog;
  }
}
