// A @web/test-runner plugin giving browser tests a REAL Menteo server (scripts/real-server.ts,
// started on first use as a child process and stopped by its own pid when the runner stops).
// Commands: `menteo-real-server` with `{ origin }` → `{ baseUrl, personId }`;
// `menteo-real-server-secret` → `{ clientSecret }` (a single-use sign-in for the organization's admin).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const script = fileURLToPath(new URL('./real-server.ts', import.meta.url));

export function realServerPlugin() {
  /** @type {import('node:child_process').ChildProcess | undefined} */
  let child;
  /** @type {Promise<{ baseUrl: string, personId: string }> | undefined} */
  let started;
  /** Answers waiting for their line, in order. */
  const waiting = [];

  function start(origin) {
    child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', script, origin], { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] });
    const lines = createInterface({ input: child.stdout });
    started = new Promise((resolve, reject) => {
      let first = true;
      lines.on('line', (line) => {
        const value = JSON.parse(line);
        if (first) {
          first = false;
          resolve(value);
        } else waiting.shift()?.(value);
      });
      child.once('exit', (code) => {
        if (first) reject(new Error(`the real server exited with ${code} before it started`));
      });
    });
    return started;
  }

  return {
    name: 'menteo-real-server',
    async executeCommand({ command, payload }) {
      if (command === 'menteo-real-server') return started ?? start(payload.origin);
      if (command === 'menteo-real-server-secret') {
        if (!child || !started) throw new Error('start the real server first (menteo-real-server)');
        await started;
        const answer = new Promise((resolve) => waiting.push(resolve));
        child.stdin.write(`${JSON.stringify({ cmd: 'secret' })}\n`);
        return answer;
      }
      return undefined;
    },
    serverStop() {
      // Closing stdin ends the server's loop; it closes the listener and removes its files.
      child?.stdin?.end();
      const pid = child?.pid;
      if (pid !== undefined) setTimeout(() => { try { process.kill(pid); } catch { /* already gone */ } }, 3000).unref();
    },
  };
}
