/**
 * Registers `<menteo-match-suggestions>` (skipped when the tag already exists).
 * @module
 */
import { defineElement } from '../internal/menteo-element.js';
import { MenteoMatchSuggestions } from '../match-suggestions/match-suggestions.js';

defineElement('menteo-match-suggestions', MenteoMatchSuggestions);

declare global {
  interface HTMLElementTagNameMap {
    'menteo-match-suggestions': MenteoMatchSuggestions;
  }
}
