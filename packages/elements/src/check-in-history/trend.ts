/**
 * The arithmetic of a check-in trend: series per person in time order, scaled into the chart's
 * box, and a sentence that says what the chart shows for people who cannot see it.
 * @module
 */
import type { CheckIn } from '@menteo/api/feedback';

/** One person's check-ins, oldest first. */
export interface Series {
  personId: string;
  name: string;
  points: CheckIn[];
}

/** The chart's drawing box (SVG user units). */
export const BOX = { width: 320, height: 120, left: 22, right: 8, top: 8, bottom: 8 } as const;

/** Groups check-ins per author, each series oldest first, series in order of first check-in. */
export function seriesOf(checkIns: readonly CheckIn[]): Series[] {
  const sorted = [...checkIns].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  const byPerson = new Map<string, Series>();
  for (const c of sorted) {
    const s = byPerson.get(c.author.id) ?? { personId: c.author.id, name: c.author.displayName, points: [] };
    s.points.push(c);
    byPerson.set(c.author.id, s);
  }
  return [...byPerson.values()];
}

/**
 * The x of each check-in: its rank among all check-ins in time order, so check-ins sent the same
 * day stay apart and the chart reads as "the last N check-ins".
 */
export function xOf(checkIns: readonly CheckIn[]): Map<string, number> {
  const sorted = [...checkIns].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  const span = BOX.width - BOX.left - BOX.right;
  const step = sorted.length > 1 ? span / (sorted.length - 1) : 0;
  return new Map(sorted.map((c, i) => [c.id, BOX.left + (sorted.length > 1 ? i * step : span / 2)]));
}

/** The y of a confidence of 1–5 (5 at the top). */
export function yOf(confidence: number): number {
  const span = BOX.height - BOX.top - BOX.bottom;
  return BOX.top + ((5 - confidence) / 4) * span;
}

/** Which way confidence went from a series' first to its last check-in. */
export function direction(s: Series): 'up' | 'down' | 'flat' {
  const first = s.points[0]?.confidence ?? 0;
  const last = s.points[s.points.length - 1]?.confidence ?? 0;
  return last > first ? 'up' : last < first ? 'down' : 'flat';
}
