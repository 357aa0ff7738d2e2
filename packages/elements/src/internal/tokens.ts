/**
 * Design tokens and the host styles every element shares.
 *
 * Hosts theme through public `--menteo-*` custom properties. Each element reads them once into
 * private `--_*` properties on its `:host`, with the default as the fallback, so component CSS
 * never repeats a fallback and a token set on any ancestor (the page, the provider) wins.
 *
 * Colours use `light-dark()`, resolved against the element's `color-scheme`. That scheme comes
 * from `--menteo-color-scheme` (the provider's `theme` sets it) and otherwise follows the
 * reader's system preference: no wrapper theme element is needed.
 * @module
 */
import { css } from 'lit';

export const hostStyles = css`
  :host {
    color-scheme: var(--menteo-color-scheme, light dark);
    --_font: var(--menteo-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif);
    --_font-size: var(--menteo-font-size, 0.9375rem);
    --_mono: var(--menteo-font-mono, ui-monospace, 'SF Mono', Menlo, Consolas, monospace);
    --_space: var(--menteo-space, 0.5rem);
    --_radius: var(--menteo-radius, 0.625rem);
    --_radius-sm: var(--menteo-radius-small, 0.375rem);
    --_bg: var(--menteo-color-bg, light-dark(#ffffff, #15171c));
    --_surface: var(--menteo-color-surface, light-dark(#f6f7f9, #1d2027));
    --_surface-raised: var(--menteo-color-surface-raised, light-dark(#ffffff, #242833));
    --_text: var(--menteo-color-text, light-dark(#1b1f27, #e8eaef));
    --_text-muted: var(--menteo-color-text-muted, light-dark(#545c6b, #a9b0bd));
    --_border: var(--menteo-color-border, light-dark(#dde1e7, #343a46));
    --_accent: var(--menteo-color-accent, light-dark(#4b3fd6, #a59dff));
    --_accent-soft: var(--menteo-color-accent-soft, light-dark(#ecebff, #2b2858));
    --_on-accent: var(--menteo-color-on-accent, light-dark(#ffffff, #14121f));
    --_danger: var(--menteo-color-danger, light-dark(#b4232c, #ff8a8f));
    --_danger-soft: var(--menteo-color-danger-soft, light-dark(#fdecec, #3d1d20));
    --_success: var(--menteo-color-success, light-dark(#17754a, #6fd6a1));
    --_warning: var(--menteo-color-warning, light-dark(#8a5a00, #f2c265));
    --_warning-soft: var(--menteo-color-warning-soft, light-dark(#fff5dc, #3a2f14));
    --_info: var(--menteo-color-info, light-dark(#1f5fae, #8cbcff));
    --_focus: var(--menteo-focus-ring, 0 0 0 2px var(--_bg), 0 0 0 4px var(--_accent));
    --_shadow: var(--menteo-shadow, 0 1px 2px light-dark(rgb(20 24 33 / 0.06), rgb(0 0 0 / 0.4)), 0 2px 8px light-dark(rgb(20 24 33 / 0.06), rgb(0 0 0 / 0.3)));
    --_duration: var(--menteo-duration, 160ms);

    display: block;
    box-sizing: border-box;
    font-family: var(--_font);
    font-size: var(--_font-size);
    line-height: 1.5;
    color: var(--_text);
    -webkit-text-size-adjust: 100%;
  }
  :host([hidden]) {
    display: none !important;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  @media (prefers-reduced-motion: reduce) {
    :host {
      --_duration: 0ms;
    }
  }
  /*
   * The ring is a box-shadow (it follows the radius and the two-tone token), plus a transparent
   * outline: forced-colors mode (Windows High Contrast) drops box-shadows and paints outlines in a
   * system colour, so the outline is what remains there. Form controls get it on :focus, and the
   * date input on :focus-within: reached with Tab, its focus sits in its inner fields and the
   * input itself matches neither :focus nor :focus-visible (measured in Chromium).
   */
  :focus-visible,
  input:focus,
  input:focus-within,
  select:focus,
  textarea:focus {
    outline: 2px solid transparent;
    outline-offset: 2px;
    box-shadow: var(--_focus);
  }
  @media (forced-colors: active) {
    :focus-visible,
    input:focus,
    input:focus-within,
    select:focus,
    textarea:focus {
      outline: 3px solid Highlight;
    }
  }
  .visually-hidden {
    position: absolute !important;
    inline-size: 1px;
    block-size: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;
