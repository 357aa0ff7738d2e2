/**
 * Shared test helpers: axe, dev-mode warning guard, keyboard, waiting on conditions.
 * Importing this module registers root hooks (mocha applies top-level hooks to every test of
 * the file), so every suite fails on a Lit or Menteo dev-mode warning.
 * @module
 */
import type { AxeResults, RunOptions, ElementContext } from 'axe-core';
import { expect } from '@open-wc/testing';

declare global {
  interface Window {
    __menteoWarnings: string[];
    /** Loaded as a classic script by the test page (axe-core has no ES module build). */
    axe: { run(context: ElementContext, options: RunOptions): Promise<AxeResults> };
  }
}

/** Warnings recorded since the last reset (see web-test-runner.config.mjs). */
export function takeWarnings(): string[] {
  const list = window.__menteoWarnings ?? [];
  window.__menteoWarnings = [];
  return list;
}

beforeEach(() => {
  takeWarnings();
});

afterEach(function (this: Mocha.Context) {
  const warnings = takeWarnings();
  // A test that deliberately triggers a warning takes it before this hook runs. Throwing here
  // fails the hook, which mocha reports as a failure naming the test.
  if (warnings.length > 0 && this.currentTest?.state === 'passed') {
    throw new Error(`dev-mode warnings were issued in "${this.currentTest.title}":\n${warnings.join('\n')}`);
  }
});

/**
 * Runs axe on an element (including its shadow tree) and fails with a readable list of
 * violations. Color contrast is checked: our tokens must meet it in both schemes.
 */
export async function expectAccessible(el: Element): Promise<void> {
  const result = await window.axe.run(el, { resultTypes: ['violations'] });
  const violations = result.violations.map(
    (v) => `${v.id} (${v.impact ?? 'n/a'}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`,
  );
  expect(violations, violations.join('\n')).to.deep.equal([]);
}

/**
 * Waits until `predicate` holds, re-checking after each animation frame. Never asserts on
 * elapsed time: it only bounds how long a broken test hangs.
 */
export async function until<T>(predicate: () => T | undefined | null | false, what = 'condition'): Promise<T> {
  for (let i = 0; i < 600; i += 1) {
    const value = predicate();
    if (value) return value;
    await new Promise((r) => requestAnimationFrame(() => r(undefined)));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Elements matching `selector` in `el`'s shadow root. */
export function $$<E extends Element = HTMLElement>(el: Element, selector: string): E[] {
  return [...(el.shadowRoot?.querySelectorAll<E>(selector) ?? [])];
}

/** The first element matching `selector` in `el`'s shadow root, or a failing test. */
export function $<E extends Element = HTMLElement>(el: Element, selector: string): E {
  const found = el.shadowRoot?.querySelector<E>(selector);
  if (!found) throw new Error(`no ${selector} in <${el.localName}>`);
  return found;
}

/** The deepest focused element, through shadow roots. */
export function deepActiveElement(): Element | null {
  let a: Element | null = document.activeElement;
  while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
  return a;
}

/** Mounts `child` inside a `<menteo-provider>` given a ready client; resolves when both rendered. */
export async function mountInProvider<E extends HTMLElement>(
  client: unknown,
  child: string,
  attrs: Record<string, string> = {},
  container: HTMLElement = document.body,
  childAttrs: Record<string, string> = {},
): Promise<{ provider: HTMLElement & { client: unknown; updateComplete: Promise<boolean> }; el: E & { updateComplete: Promise<boolean> } }> {
  const provider = document.createElement('menteo-provider') as unknown as HTMLElement & { client: unknown; updateComplete: Promise<boolean> };
  for (const [k, v] of Object.entries(attrs)) provider.setAttribute(k, v);
  provider.client = client;
  const el = document.createElement(child) as E & { updateComplete: Promise<boolean> };
  for (const [k, v] of Object.entries(childAttrs)) el.setAttribute(k, v);
  provider.append(el);
  container.append(provider);
  await provider.updateComplete;
  await el.updateComplete;
  return { provider, el };
}

/** Removes everything tests appended to the body. */
export function cleanupBody(): void {
  document.body.replaceChildren();
  localStorage.clear();
}

/** Presses a key with modifiers held (`press('End', 'Control')`); puppeteer has no "Control+End". */
export async function pressWith(key: string, ...modifiers: string[]): Promise<void> {
  const { sendKeys } = await import('@web/test-runner-commands');
  for (const m of modifiers) await sendKeys({ down: m });
  await sendKeys({ press: key });
  for (const m of modifiers.reverse()) await sendKeys({ up: m });
}

/**
 * Every element matching `selector` in `el`'s shadow tree and in the shadow trees of the elements
 * it is made of (the feed's `<menteo-composer>`, `<menteo-post-list>`, `<menteo-post>`…), in
 * document order. For tests that look at a composed element as a whole.
 */
export function $$deep<E extends Element = HTMLElement>(el: Element, selector: string): E[] {
  const out: E[] = [];
  const walk = (root: ShadowRoot | null | undefined): void => {
    if (!root) return;
    for (const node of root.querySelectorAll('*')) {
      if (node.matches(selector)) out.push(node as E);
      if (node.shadowRoot) walk(node.shadowRoot);
    }
  };
  walk(el.shadowRoot);
  return out;
}

/** The first match in `el`'s own shadow root, else in its parts' (see `$$deep`), or a failing test. */
export function $deep<E extends Element = HTMLElement>(el: Element, selector: string): E {
  const found = el.shadowRoot?.querySelector<E>(selector) ?? $$deep<E>(el, selector)[0];
  if (!found) throw new Error(`no ${selector} in <${el.localName}> or its parts`);
  return found;
}

/** The first match through the parts (see `$$deep`), or null. */
export function queryDeep<E extends Element = HTMLElement>(el: Element, selector: string): E | null {
  return el.shadowRoot?.querySelector<E>(selector) ?? $$deep<E>(el, selector)[0] ?? null;
}

/** The text of `el`'s shadow tree and its parts', whitespace collapsed. */
export function deepText(el: Element): string {
  const parts: string[] = [];
  const walk = (root: ShadowRoot | null | undefined): void => {
    if (!root) return;
    const tree = document.createTreeWalker(root, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
    for (let n: Node | null = tree.nextNode(); n !== null; n = tree.nextNode()) {
      if (n.nodeType === Node.TEXT_NODE) parts.push(n.textContent ?? '');
      else if ((n as Element).shadowRoot) walk((n as Element).shadowRoot);
    }
  };
  walk(el.shadowRoot);
  return parts.join(' ').replace(/\s+/g, ' ');
}
