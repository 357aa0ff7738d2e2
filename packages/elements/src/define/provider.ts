/**
 * Registers `<menteo-provider>` (skipped when the tag already exists).
 * @module
 */
import { defineElement } from '../internal/menteo-element.js';
import { MenteoProvider } from '../provider/provider.js';

defineElement('menteo-provider', MenteoProvider);

declare global {
  interface HTMLElementTagNameMap {
    'menteo-provider': MenteoProvider;
  }
}
