/**
 * Dates, relative times and numbers through `Intl` (no date library).
 * @module
 */
import { html, type TemplateResult } from 'lit';
import { currentFormatLocale } from './locale-state.js';

export { currentFormatLocale };

const cache = new Map<string, Intl.RelativeTimeFormat | Intl.DateTimeFormat | Intl.NumberFormat>();

function cached<T extends Intl.RelativeTimeFormat | Intl.DateTimeFormat | Intl.NumberFormat>(
  key: string,
  make: () => T,
): T {
  let f = cache.get(key);
  if (f === undefined) {
    f = make();
    cache.set(key, f);
  }
  return f as T;
}

const UNITS: ReadonlyArray<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

/** "3 minutes ago", "in 2 days", "now", in the current format locale. */
export function formatRelative(date: Date, now: Date = new Date(), locale = currentFormatLocale()): string {
  const seconds = Math.round((date.getTime() - now.getTime()) / 1000);
  const rtf = cached(`rtf:${locale}`, () => new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }));
  const abs = Math.abs(seconds);
  if (abs < 45) return rtf.format(0, 'second');
  for (const [unit, size] of UNITS) {
    if (abs >= size * 0.9 || unit === 'second') {
      return rtf.format(Math.round(seconds / size), unit);
    }
  }
  return rtf.format(seconds, 'second');
}

/** A full date and time, for tooltips and screen readers. */
export function formatDateTime(date: Date, locale = currentFormatLocale()): string {
  return cached(`dtf-full:${locale}`, () => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' })).format(date);
}

/** A calendar date (`2026-12-24`, no time zone shift) as "24 Dec 2026". */
export function formatDate(isoDate: string, locale = currentFormatLocale(), style: 'medium' | 'short' = 'medium'): string {
  const d = parseDateOnly(isoDate);
  const opts: Intl.DateTimeFormatOptions = style === 'short' ? { month: 'short', day: 'numeric', timeZone: 'UTC' } : { dateStyle: 'medium', timeZone: 'UTC' };
  return cached(`df-${style}:${locale}`, () => new Intl.DateTimeFormat(locale, opts)).format(d);
}

/** A percentage, 0–1 in, "42 %" out, following the locale's conventions. */
export function formatPercent(ratio: number, locale = currentFormatLocale()): string {
  return cached(`pct:${locale}`, () => new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 })).format(ratio);
}

/** Parses `YYYY-MM-DD` as midnight UTC, so a due date never moves a day across time zones. */
export function parseDateOnly(isoDate: string): Date {
  return new Date(`${isoDate.slice(0, 10)}T00:00:00Z`);
}

/** `YYYY-MM-DD` of a UTC midnight date. */
export function toDateOnly(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Adds whole days to a `YYYY-MM-DD` date. */
export function addDays(isoDate: string, days: number): string {
  const d = parseDateOnly(isoDate);
  d.setUTCDate(d.getUTCDate() + days);
  return toDateOnly(d);
}

/** Today in the reader's time zone, as `YYYY-MM-DD`. */
export function todayDateOnly(now: Date = new Date()): string {
  const y = now.getFullYear();
  const m = String(now.getMonth() + 1).padStart(2, '0');
  const d = String(now.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

/**
 * Builds the formatters a widget will need. Chromium takes ~20 ms to construct the first
 * `Intl.RelativeTimeFormat` (locale data loads); doing it while the widget still waits for the
 * network keeps that cost off the path from data to first paint.
 */
export function warmFormatters(locale = currentFormatLocale()): void {
  formatRelative(new Date(), new Date(), locale);
  formatDateTime(new Date(), locale);
}

/** A `<time>` showing a relative time, with the absolute time as its tooltip. */
export function relativeTime(iso: string, now?: Date): TemplateResult {
  const date = new Date(iso);
  return html`<time part="time" datetime=${iso} title=${formatDateTime(date)}>${formatRelative(date, now)}</time>`;
}
