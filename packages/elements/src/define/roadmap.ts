/**
 * Registers `<menteo-roadmap>` (skipped when the tag already exists).
 * @module
 */
import { defineElement } from '../internal/menteo-element.js';
import { MenteoRoadmap } from '../roadmap/roadmap.js';

defineElement('menteo-roadmap', MenteoRoadmap);

declare global {
  interface HTMLElementTagNameMap {
    'menteo-roadmap': MenteoRoadmap;
  }
}
