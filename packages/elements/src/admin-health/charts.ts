/**
 * Small inline SVG charts for the admin console, drawn with attributes only (no `style`), so they
 * render under a strict CSP. Each chart is decorative for assistive technology (`aria-hidden`):
 * the table beside it is its text alternative, with the same numbers.
 * @module
 */
import { svg, type SVGTemplateResult } from 'lit';

/** One bar: a label (drawn beside it) and a value. */
export interface Bar {
  label: string;
  value: number;
  /** A tone class (`bar--warning`…) for series that mean something. */
  tone?: string;
}

const ROW = 28;
const LABEL_W = 120;
const WIDTH = 420;

/** Horizontal bars, one per row, scaled to the largest value. */
export function barChart(bars: readonly Bar[]): SVGTemplateResult {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const span = WIDTH - LABEL_W - 48;
  const height = bars.length * ROW;
  return svg`<svg class="chart" viewBox="0 0 ${WIDTH} ${height}" preserveAspectRatio="xMinYMin meet" aria-hidden="true" focusable="false">
    ${bars.map((b, i) => {
      const w = Math.round((b.value / max) * span);
      const y = i * ROW;
      return svg`<text class="chart__label" x="0" y=${y + 18}>${b.label}</text>
        <rect class="bar ${b.tone ?? ''}" x=${LABEL_W} y=${y + 6} width=${Math.max(w, b.value > 0 ? 2 : 0)} height="16" rx="3"></rect>
        <text class="chart__value" x=${LABEL_W + w + 6} y=${y + 18}>${b.value}</text>`;
    })}
  </svg>`;
}

/** One point of a trend; `null` values leave a gap. */
export interface Point {
  label: string;
  value: number | null;
}

/** A line over `points` on a fixed scale (`min`..`max`, e.g. confidence 1–5), with dots where there is data. */
export function lineChart(points: readonly Point[], min: number, max: number): SVGTemplateResult {
  const w = 420;
  const h = 140;
  const pad = 24;
  const step = points.length > 1 ? (w - pad * 2) / (points.length - 1) : 0;
  const x = (i: number) => pad + i * step;
  const y = (v: number) => h - pad - ((v - min) / (max - min)) * (h - pad * 2);
  // Consecutive known points make segments; a week without check-ins breaks the line.
  const segments: string[] = [];
  let current: string[] = [];
  points.forEach((p, i) => {
    if (p.value === null) {
      if (current.length > 1) segments.push(current.join(' '));
      current = [];
      return;
    }
    current.push(`${x(i).toFixed(1)},${y(p.value).toFixed(1)}`);
  });
  if (current.length > 1) segments.push(current.join(' '));
  return svg`<svg class="chart" viewBox="0 0 ${w} ${h}" preserveAspectRatio="xMinYMin meet" aria-hidden="true" focusable="false">
    <line class="chart__axis" x1=${pad} y1=${y(min)} x2=${w - pad} y2=${y(min)}></line>
    <text class="chart__label" x="0" y=${y(max) + 4}>${max}</text>
    <text class="chart__label" x="0" y=${y(min) + 4}>${min}</text>
    ${segments.map((s) => svg`<polyline class="line" points=${s}></polyline>`)}
    ${points.map((p, i) => (p.value === null ? svg`` : svg`<circle class="dot" cx=${x(i)} cy=${y(p.value)} r="4"></circle>`))}
  </svg>`;
}
