/** Unique ids for ARIA relationships inside one shadow root. */
let counter = 0;

/** A fresh id with a readable prefix (`menteo-feed-3`). */
export function uniqueId(prefix: string): string {
  counter += 1;
  return `menteo-${prefix}-${counter}`;
}
