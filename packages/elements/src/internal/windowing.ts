/**
 * Windowed rendering for long lists of variable-height items: only the items near the visible
 * band are in the DOM; spacers stand in for the rest. Heights are measured as items render
 * (ResizeObserver) and estimated until then. Scroll anchoring in the browser keeps the reader's
 * place when measured heights replace estimates above the viewport.
 * @module
 */

/** The half-open index range `[start, end)` of items to render. */
export interface Range {
  start: number;
  end: number;
}

/** Heights per item key, with prefix sums rebuilt lazily when a height changes. */
export class HeightIndex {
  private readonly heights = new Map<string, number>();
  private offsets: number[] = [0];
  private keys: readonly string[] = [];
  private dirty = true;
  /** Used for items not measured yet: the running mean of measured ones. */
  private estimate: number;
  private measuredTotal = 0;

  constructor(estimate: number) {
    this.estimate = estimate;
  }

  /** Sets the item keys in display order. */
  setKeys(keys: readonly string[]): void {
    this.keys = keys;
    this.dirty = true;
  }

  /** Records a measured height; returns true when it changed. */
  measure(key: string, height: number): boolean {
    const old = this.heights.get(key);
    if (old !== undefined && Math.abs(old - height) < 0.5) return false;
    this.measuredTotal += height - (old ?? 0);
    this.heights.set(key, height);
    this.estimate = this.measuredTotal / this.heights.size;
    this.dirty = true;
    return true;
  }

  private rebuild(): void {
    if (!this.dirty) return;
    const o = new Array<number>(this.keys.length + 1);
    o[0] = 0;
    for (let i = 0; i < this.keys.length; i += 1) {
      o[i + 1] = (o[i] ?? 0) + (this.heights.get(this.keys[i] ?? '') ?? this.estimate);
    }
    this.offsets = o;
    this.dirty = false;
  }

  /** Distance from the list's start to item `i`'s start (`i = length` gives the total). */
  offset(i: number): number {
    this.rebuild();
    return this.offsets[Math.max(0, Math.min(i, this.keys.length))] ?? 0;
  }

  /** Items intersecting `[top, bottom)` (pixels from the list's start). */
  rangeFor(top: number, bottom: number): Range {
    this.rebuild();
    const n = this.keys.length;
    // Last item starting at or before `top`.
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.offsets[mid + 1] ?? 0) <= top) lo = mid + 1;
      else hi = mid;
    }
    const start = lo;
    let end = start;
    while (end < n && (this.offsets[end] ?? 0) < bottom) end += 1;
    return { start, end: Math.max(end, Math.min(n, start + 1)) };
  }
}

/** The scrolling ancestors of `el` (across shadow roots), nearest first. */
export function scrollParents(el: Element): Element[] {
  const out: Element[] = [];
  let node: Node | null = el.parentNode;
  while (node !== null) {
    if (node instanceof ShadowRoot) {
      node = node.host;
      continue;
    }
    if (node instanceof Element) {
      const oy = getComputedStyle(node).overflowY;
      if (oy === 'auto' || oy === 'scroll' || oy === 'overlay') out.push(node);
    }
    node = node.parentNode;
  }
  return out;
}

/** The vertical band of the viewport that is actually visible through `scrollers`. */
export function visibleBand(scrollers: readonly Element[]): { top: number; bottom: number } {
  let top = 0;
  let bottom = globalThis.innerHeight;
  for (const s of scrollers) {
    const r = s.getBoundingClientRect();
    top = Math.max(top, r.top);
    bottom = Math.min(bottom, r.bottom);
  }
  return { top, bottom: Math.max(top, bottom) };
}
