/**
 * Registers `<menteo-thread-feed>` (skipped when the tag already exists).
 * @module
 */
import { defineElement } from '../internal/menteo-element.js';
import { MenteoThreadFeed } from '../thread-feed/thread-feed.js';

defineElement('menteo-thread-feed', MenteoThreadFeed);

declare global {
  interface HTMLElementTagNameMap {
    'menteo-thread-feed': MenteoThreadFeed;
  }
}
