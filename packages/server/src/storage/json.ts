/**
 * JSON columns: arrays are stored as JSON text so one schema fits SQLite and PostgreSQL.
 * @module
 */

/** Parses a JSON array column of strings; a corrupt value reads as empty rather than crashing a request. */
export function strings(value: string | null): string[] {
  if (value === null) return [];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

/** Serializes a JSON column. */
export function json(value: unknown): string {
  return JSON.stringify(value);
}
