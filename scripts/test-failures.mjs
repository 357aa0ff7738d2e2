// Reads which tests failed from a suite's output, for the "Failures" section that scripts/test.mjs
// prints before its summary: a CI log shows only the tail of a long run, and the failing tests'
// names are otherwise thousands of lines above it. Two formats are read:
//
// - node's test runner, TAP (what it prints when its output is piped, as test.mjs does):
//   `not ok N - name` at the test's depth (4 spaces per level) after `# Subtest: name` lines for
//   its parents, with a YAML block giving `location`, `failureType` and `error`;
// - @web/test-runner's default reporter: the test file's path alone on a line, ending with `:`,
//   then ` ❌ suite > test` per failing test (or per error of the file itself, such as an import
//   that failed).

/** At most this many failures are listed per suite; the rest are counted. */
export const MAX_PER_SUITE = 30;

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

/** Failure types that repeat another failure: a suite failing because a test in it did, or a test a failed hook cancelled. */
const ECHOES = new Set(['subtestsFailed', 'cancelledByParent']);

/** A short, one-line reason: the error's first line, shortened. */
function reason(text) {
  const line = text.replace(/^['"]|['"]$/g, '').trim();
  return line.length > 100 ? `${line.slice(0, 99)}…` : line;
}

/** `path` relative to `root` when it lies inside it. */
function relativeTo(root, path) {
  if (!root) return path;
  const prefix = root.endsWith('/') ? root : `${root}/`;
  return path.startsWith(prefix) ? path.slice(prefix.length) : path;
}

/**
 * The failing tests named in one suite's output, one line each: `file › parent › test: reason`
 * for node's runner, `file › suite > test` for @web/test-runner. Echoes (a parent that failed
 * because a child did) are left out, so each failure is listed once.
 * @param {string} output what the suite printed (stdout and stderr)
 * @param {{ root?: string }} [options] `root`: paths under it are shown relative to it
 * @returns {string[]}
 */
export function failuresOf(output, { root } = {}) {
  const lines = output.replace(ANSI, '').split(/\r?\n/);
  const failures = [];
  const seen = new Set();
  const add = (line) => {
    if (!seen.has(line)) {
      seen.add(line);
      failures.push(line);
    }
  };
  /** Names of the enclosing node tests, by depth. */
  const stack = [];
  /** The @web/test-runner test file whose results are being printed. */
  let wtrFile;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const subtest = /^( *)# Subtest: (.*)$/.exec(line);
    if (subtest) {
      const depth = Math.floor(subtest[1].length / 4);
      stack.length = depth;
      stack[depth] = subtest[2];
      continue;
    }
    const notOk = /^( *)not ok \d+ - (.*)$/.exec(line);
    if (notOk) {
      if (/ # (TODO|SKIP)\b/i.test(notOk[2])) continue;
      const depth = Math.floor(notOk[1].length / 4);
      const name = notOk[2].replace(/\\#/g, '#');
      // The YAML block that follows, up to its `...`.
      let location;
      let failureType;
      let error;
      if (lines[i + 1]?.trim() === '---') {
        for (let j = i + 2; j < lines.length && lines[j].trim() !== '...'; j++) {
          const field = /^\s*(location|failureType|error): (.*)$/.exec(lines[j]);
          if (!field) continue;
          if (field[1] === 'location') location ??= field[2].replace(/^'|'$/g, '').replace(/^file:\/\//, '').replace(/:\d+:\d+$/, '');
          else if (field[1] === 'failureType') failureType ??= field[2].replace(/^'|'$/g, '');
          else if (error === undefined) error = field[2] === '|-' || field[2] === '|' ? (lines[j + 1] ?? '') : field[2];
        }
      }
      if (failureType && ECHOES.has(failureType)) continue;
      const path = [...stack.slice(0, depth), name].filter(Boolean);
      // A test file that failed to load is reported under its own path: say it once.
      const file = location ? relativeTo(root, location) : undefined;
      const named = file && path[0] !== location ? [file, ...path] : path.map((p) => relativeTo(root, p));
      add(`${named.join(' › ')}${error ? `: ${reason(error)}` : ''}`);
      continue;
    }
    const wtrHeader = /^(\S[^:]*\.(?:[cm]?[jt]sx?|html?|md)):\s*$/.exec(line);
    if (wtrHeader) {
      wtrFile = wtrHeader[1];
      continue;
    }
    const cross = /^\s*❌ (.+?)\s*$/.exec(line);
    if (cross) add(`${wtrFile ? `${wtrFile} › ` : ''}${cross[1]}`);
  }
  return failures;
}

/**
 * The "Failures" section: for each failed suite, its failing tests (at most `MAX_PER_SUITE`), or a
 * line saying that none were named (a crash, a build step that failed). Empty when nothing failed.
 * @param {{ name: string, failed: number, out: string }[]} results
 * @param {{ root?: string }} [options]
 * @returns {string[]} the section's lines
 */
export function failuresSection(results, options) {
  const failed = results.filter((r) => r.failed > 0);
  if (!failed.length) return [];
  const out = ['', 'Failures:'];
  for (const r of failed) {
    const names = failuresOf(r.out, options);
    out.push(`  ${r.name}`);
    if (!names.length) out.push('    (no failing test named: the suite exited non-zero; see its output above)');
    for (const n of names.slice(0, MAX_PER_SUITE)) out.push(`    ✗ ${n}`);
    if (names.length > MAX_PER_SUITE) out.push(`    … and ${names.length - MAX_PER_SUITE} more`);
  }
  return out;
}
