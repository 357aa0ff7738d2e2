/**
 * `cssProps()`: sets CSS properties (usually custom properties such as `--pos`) on an element
 * through the CSSOM, on every render including the first.
 *
 * Lit's `styleMap` writes a `style` attribute on its first render, which a strict
 * `style-src` policy blocks (the element then renders unpositioned). Properties set with
 * `element.style.setProperty` are not subject to CSP, so this directive never writes the
 * attribute.
 * @module
 */
import { nothing } from 'lit';
import { Directive, PartType, directive, type ElementPart, type PartInfo } from 'lit/directive.js';

class CssPropsDirective extends Directive {
  private previous = new Set<string>();

  constructor(part: PartInfo) {
    super(part);
    if (part.type !== PartType.ELEMENT) throw new Error('cssProps() belongs in an element position: <div ${cssProps({...})}>');
  }

  render(_props: Readonly<Record<string, string>>): typeof nothing {
    return nothing;
  }

  override update(part: ElementPart, [props]: [Readonly<Record<string, string>>]): typeof nothing {
    const style = (part.element as HTMLElement).style;
    for (const name of this.previous) if (!(name in props)) style.removeProperty(name);
    for (const [name, value] of Object.entries(props)) style.setProperty(name, value);
    this.previous = new Set(Object.keys(props));
    return nothing;
  }
}

/** Sets CSS properties through the CSSOM (CSP-safe, unlike a first-render `styleMap`). */
export const cssProps = directive(CssPropsDirective);
