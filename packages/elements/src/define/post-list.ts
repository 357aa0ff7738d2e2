/**
 * Registers `<menteo-post-list>` and the `<menteo-post>` it renders (each skipped when the tag
 * already exists).
 * @module
 */
import { defineElement } from '../internal/menteo-element.js';
import { MenteoPostList } from '../post-list/post-list.js';
import './post.js';

defineElement('menteo-post-list', MenteoPostList);

declare global {
  interface HTMLElementTagNameMap {
    'menteo-post-list': MenteoPostList;
  }
}
