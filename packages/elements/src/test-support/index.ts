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

afterEach(function () {
  const warnings = takeWarnings();
  // A test that deliberately triggers a warning takes it before this hook runs.
  if (warnings.length > 0 && this.currentTest?.state === 'passed') {
    this.test?.error(new Error(`dev-mode warnings were issued:\n${warnings.join('\n')}`));
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
