/**
 * Registers `<menteo-thread-feed>` and the parts it is made of (`<menteo-composer>`,
 * `<menteo-post-list>`, `<menteo-post>`), each skipped when the tag already exists.
 * @module
 */
import { defineElement } from '../internal/menteo-element.js';
import { MenteoThreadFeed } from '../thread-feed/thread-feed.js';
import './composer.js';
import './post-list.js';

defineElement('menteo-thread-feed', MenteoThreadFeed);

declare global {
  interface HTMLElementTagNameMap {
    'menteo-thread-feed': MenteoThreadFeed;
  }
}
