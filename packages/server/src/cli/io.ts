/**
 * Where commands write. Passed in rather than taken from `process` so the program can run inside
 * tests and other tools, and so secrets go to stdout only (messages and errors go to stderr).
 * @module
 */

/** The two output streams of a command. */
export interface CliIo {
  /** Results: what a script reads (ids, secrets, links, JSON). */
  readonly out: (text: string) => void;
  /** Messages for the person at the terminal: progress, hints, errors. */
  readonly err: (text: string) => void;
  /** The environment (`MENTEO_DB`, `MENTEO_PUBLIC_URL`, `PORT`). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The process's own streams and environment. */
export function processIo(): CliIo {
  return {
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    env: process.env,
  };
}

/** Rows as aligned columns, for `list` commands. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ');
  return [line(headers), ...rows.map(line)].join('\n');
}
