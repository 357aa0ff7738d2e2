/**
 * Registers `<menteo-composer>` (skipped when the tag already exists).
 * @module
 */
import { defineElement } from '../internal/menteo-element.js';
import { MenteoComposer } from '../composer/composer.js';

defineElement('menteo-composer', MenteoComposer);

declare global {
  interface HTMLElementTagNameMap {
    'menteo-composer': MenteoComposer;
  }
}
