/**
 * Measurements beyond axe, for WCAG criteria axe cannot judge from the DOM alone: focus visible
 * in forced-colors mode (2.4.7), text spacing (1.4.12) and reflow at 320 CSS pixels (1.4.10).
 * They read computed styles and layout in real Chromium; nothing here is a screenshot diff.
 * @module
 */
import { executeServerCommand, setViewport } from '@web/test-runner-commands';
import { deepActiveElement } from './index.js';

/** A media feature to emulate, as Chromium's `Emulation.setEmulatedMedia` takes it. */
export interface MediaFeature {
  name: 'forced-colors' | 'prefers-color-scheme' | 'prefers-contrast' | 'prefers-reduced-motion';
  value: string;
}

/**
 * Emulates media features for the page (see the `emulate-media-features` command in
 * web-test-runner.config.mjs); `[]` resets. Tests that set one must reset it in `afterEach`.
 */
export async function emulateMediaFeatures(features: MediaFeature[]): Promise<void> {
  await executeServerCommand('emulate-media-features', { features });
}

/** Forced-colors mode (Windows High Contrast) on or off. */
export async function forcedColors(on: boolean): Promise<void> {
  await emulateMediaFeatures(on ? [{ name: 'forced-colors', value: 'active' }] : []);
}

/**
 * What of a focus indicator forced colors keeps, as computed now: the outline and the border's
 * width. (Computed styles still report a box-shadow there, which is not painted, so it is left out.)
 */
function indicator(el: Element): string {
  const s = getComputedStyle(el);
  // Colours are left out as well: forced colors may paint a focused outline in Highlight and an
  // unfocused one in CanvasText, and a change of colour alone is not a reliable indicator.
  const outline = s.outlineStyle === 'none' || parseFloat(s.outlineWidth) === 0 ? 'none' : `${s.outlineStyle} ${s.outlineWidth} offset ${s.outlineOffset}`;
  return `outline: ${outline}; border-width: ${s.borderWidth}`;
}

/**
 * Whether focusing `el` draws an indicator that forced-colors mode keeps: an outline at least
 * 2 px wide, differing in style, width or offset from what the element has without focus.
 * (Forced colors drops `box-shadow` and replaces every colour with a system one, so only an
 * outline, or a border that changes width, survives; a changed colour alone does not count.)
 * Returns a description of what failed, or `''`.
 */
export async function focusIndicatorProblem(el: HTMLElement): Promise<string> {
  if (!el.isConnected) return `${describe(el)}: no longer in the document (re-rendered since the Tab walk)`;
  const { sendKeys } = await import('@web/test-runner-commands');
  // Focus from script matches :focus-visible only when the last input was the keyboard: a real
  // (harmless) key press first makes it behave as Tab would, whatever the test did before.
  const focused = deepActiveElement() === el;
  if (!focused) {
    await sendKeys({ press: 'Shift' });
    el.focus();
  }
  const withFocus = getComputedStyle(el);
  const outlineOn = withFocus.outlineStyle !== 'none' && parseFloat(withFocus.outlineWidth) >= 2;
  const focusedDescription = indicator(el);
  el.blur();
  const withoutDescription = indicator(el);
  const blurred = getComputedStyle(el);
  const outlineOff = blurred.outlineStyle === 'none' || parseFloat(blurred.outlineWidth) === 0;
  await sendKeys({ press: 'Shift' });
  el.focus();
  const name = describe(el);
  if (!outlineOn) return `${name}: focused, it has no outline of 2 px or more (${focusedDescription})`;
  if (!outlineOff && withoutDescription === focusedDescription) return `${name}: its outline is the same with and without focus (${focusedDescription})`;
  return '';
}

/** A short name for failure messages: tag, part or class, and text. */
export function describe(el: Element): string {
  const part = el.getAttribute('part') ?? el.getAttribute('class') ?? '';
  const text = (el.getAttribute('aria-label') ?? el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 40);
  return `<${el.localName}${part ? ` ${part}` : ''}${el.id ? ` #${el.id}` : ''}> "${text}"`;
}

/**
 * Walks `root` with Tab and checks the focus indicator of every stop as the keyboard left it
 * (real key presses, so `:focus-visible` applies as it does for a reader; focusing from script
 * does not always match it), then each stop again once focus has left `root`. Same rule as
 * {@link focusIndicatorProblem}. Returns the stops reached and the problems found.
 */
export async function focusWalk(root: HTMLElement, max = 60): Promise<{ stops: HTMLElement[]; problems: string[] }> {
  const seen: Array<{ el: HTMLElement; focused: string; outlineOn: boolean }> = [];
  const stops = await tabStops(root, max, (el) => {
    const s = getComputedStyle(el);
    seen.push({ el, focused: indicator(el), outlineOn: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 });
  });
  const problems: string[] = [];
  for (const { el, focused, outlineOn } of seen) {
    if (!outlineOn) problems.push(`${describe(el)}: focused, it has no outline of 2 px or more (${focused})`);
    else if (el.isConnected && indicator(el) === focused) problems.push(`${describe(el)}: its outline is the same with and without focus (${focused})`);
  }
  return { stops, problems };
}

/**
 * Presses Tab from the element before `root` until focus leaves `root`, and returns the elements
 * focused on the way, in order (through shadow roots). The keyboard's own path, not a query.
 * `onStop` sees each while it has focus.
 */
export async function tabStops(root: HTMLElement, max = 60, onStop?: (el: HTMLElement) => void): Promise<HTMLElement[]> {
  const { sendKeys } = await import('@web/test-runner-commands');
  const start = document.createElement('button');
  start.textContent = 'start';
  root.before(start);
  start.focus();
  const stops: HTMLElement[] = [];
  try {
    for (let i = 0; i < max; i += 1) {
      await sendKeys({ press: 'Tab' });
      const a = deepActiveElement() as HTMLElement | null;
      if (a === null || !(root === a || root.contains(a) || root.shadowRoot?.contains(a))) break;
      stops.push(a);
      onStop?.(a);
    }
  } finally {
    start.remove();
  }
  return stops;
}

/**
 * The WCAG 1.4.12 text-spacing override (line height 1.5, paragraph spacing 2, letter spacing
 * 0.12, word spacing 0.16 times the font size), applied inside `el`'s shadow root the way a
 * reader's user style or bookmarklet would reach it. Returns a function that removes it.
 */
export function applyTextSpacing(el: Element): () => void {
  const root = el.shadowRoot;
  if (root === null) throw new Error(`<${el.localName}> has no shadow root`);
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(`* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }
    p { margin-block-end: 2em !important; }`);
  root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  return () => {
    root.adoptedStyleSheets = root.adoptedStyleSheets.filter((s) => s !== sheet);
  };
}

/**
 * Elements in `el`'s shadow tree whose own text is cut off: content wider (or taller) than the
 * box, where the overflow is hidden (ellipsis, `overflow: hidden`/`clip`). Scrolling containers
 * and form controls are not clipping: their content can be reached.
 */
export function clippedText(el: Element): string[] {
  const root = el.shadowRoot;
  if (root === null) return [];
  const out: string[] = [];
  for (const node of root.querySelectorAll<HTMLElement>('*')) {
    if (node.matches('input, textarea, select, svg, svg *, progress, .visually-hidden, .visually-hidden *')) continue;
    const hasText = [...node.childNodes].some((c) => c.nodeType === Node.TEXT_NODE && c.textContent?.trim());
    if (!hasText) continue;
    const s = getComputedStyle(node);
    if (s.display === 'none' || s.visibility === 'hidden') continue;
    const hides = (v: string) => v === 'hidden' || v === 'clip';
    const wide = node.scrollWidth > node.clientWidth + 1 && hides(s.overflowX);
    const tall = node.scrollHeight > node.clientHeight + 1 && hides(s.overflowY);
    const ellipsis = s.textOverflow === 'ellipsis' && node.scrollWidth > node.clientWidth + 1;
    if (wide || tall || ellipsis) out.push(`${describe(node)} (${node.scrollWidth}×${node.scrollHeight} in ${node.clientWidth}×${node.clientHeight})`);
  }
  return out;
}

/** Elements of `el`'s shadow tree that stick out of the page's width (horizontal scrolling at 320 px). */
export function overflowingPage(el: Element, width = document.documentElement.clientWidth): string[] {
  const root = el.shadowRoot;
  if (root === null) return [];
  // Content inside a horizontally scrolling box (a wide data table in its wrapper) scrolls there,
  // not the page: WCAG 1.4.10 allows two-dimensional scrolling for tables, as long as the box fits.
  const inScroller = (n: HTMLElement): boolean => {
    for (let p = n.parentElement; p !== null; p = p.parentElement) {
      const overflow = getComputedStyle(p).overflowX;
      if (overflow === 'auto' || overflow === 'scroll') return true;
    }
    return false;
  };
  return [...root.querySelectorAll<HTMLElement>('*')]
    .filter((n) => {
      const r = n.getBoundingClientRect();
      return r.width > 0 && (r.right > width + 1 || r.left < -1) && !inScroller(n);
    })
    .map((n) => `${describe(n)} (${Math.round(n.getBoundingClientRect().left)}–${Math.round(n.getBoundingClientRect().right)} of ${width})`);
}

/** Sets the viewport (CSS pixels); resets to the runner's default with `resetViewport`. */
export async function viewport(width: number, height = 800): Promise<void> {
  await setViewport({ width, height });
}

/** The runner's default viewport (puppeteer's 800×600). */
export async function resetViewport(): Promise<void> {
  await setViewport({ width: 800, height: 600 });
}
