/**
 * Registers `<menteo-post>` (skipped when the tag already exists).
 * @module
 */
import { defineElement } from '../internal/menteo-element.js';
import { MenteoPost } from '../post/post.js';

defineElement('menteo-post', MenteoPost);

declare global {
  interface HTMLElementTagNameMap {
    'menteo-post': MenteoPost;
  }
}
