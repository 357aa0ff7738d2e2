/**
 * Child servers of bench:live and what /proc says about them: CPU time (user + system, every
 * thread) and resident memory. Children are stopped by their own pid, also when the bench fails.
 * @module
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** A child server and the URL it printed. */
export interface Child {
  readonly name: string;
  readonly url: string;
  readonly port: number;
  readonly proc: ChildProcess;
}

const running = new Set<ChildProcess>();
// A crash of the bench itself must not leave servers behind holding thousands of sockets.
process.once('exit', () => {
  for (const proc of running) if (proc.exitCode === null && proc.pid !== undefined) proc.kill('SIGKILL');
});

/** Starts a child process that prints its URL on stdout, and waits for that line. */
export function startChild(name: string, args: readonly string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<Child> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    running.add(proc);
    proc.once('exit', () => running.delete(proc));
    let out = '';
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`${name} printed no URL within 60 s: ${out}`));
    }, 60_000);
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/[\d.]+:(\d+))/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ name, url: m[1]!, port: Number(m[2]), proc });
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code}: ${out}`));
    });
  });
}

/** Stops a child by its pid: SIGTERM, then SIGKILL after 5 s. */
export async function stopChild(child: Child | undefined): Promise<void> {
  const proc = child?.proc;
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
  await new Promise<void>((done) => {
    const kill = setTimeout(() => proc.kill('SIGKILL'), 5_000);
    proc.once('exit', () => {
      clearTimeout(kill);
      done();
    });
    proc.kill('SIGTERM');
  });
}

const ticksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU time a process has used so far (utime + stime of all its threads), in milliseconds. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which may itself contain spaces and parentheses.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
}

/** Resident memory of a process, in MB. */
export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}
