/**
 * Every child process the benchmark starts, in one place: each is tracked from spawn to exit, and `stopAll` (also
 * run on exit, on SIGINT/SIGTERM/SIGHUP and after an uncaught error, which exits too) ends the ones still alive, by their own pid, never by name.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { repoRoot } from '../src/spec/index.ts';

const alive = new Set<ChildProcess>();

export interface Spawned {
  child: ChildProcess;
  pid: number;
  /** Everything the process wrote to stdout and stderr so far (the last 64 KiB of each). */
  output(): { stdout: string; stderr: string };
  /** Resolves with the exit code (or the signal's name) once the process is gone. */
  exited: Promise<number | string>;
}

const KEEP = 64 * 1024;

/** Spawns `command args` in the repository's root, tracked; `env` is added to this process's environment. */
export function spawnTracked(command: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Spawned {
  const child = spawn(command, args, {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  alive.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout = (stdout + chunk.toString('utf8')).slice(-KEEP);
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-KEEP);
  });
  const exited = new Promise<number | string>((resolve) => {
    child.once('error', () => {
      alive.delete(child);
      resolve('spawn-error');
    });
    child.once('exit', (code, signal) => {
      alive.delete(child);
      resolve(code ?? signal ?? 'unknown');
    });
  });
  if (child.pid === undefined) {
    alive.delete(child);
    throw new Error(`could not start ${command}`);
  }
  return { child, pid: child.pid, output: () => ({ stdout, stderr }), exited };
}

/** SIGTERM, then SIGKILL after `graceMs` if it is still there; resolves once it has exited. */
export async function stop(spawned: Spawned, graceMs = 3000): Promise<void> {
  if (!alive.has(spawned.child)) return;
  spawned.child.kill('SIGTERM');
  const timer = setTimeout(() => spawned.child.kill('SIGKILL'), graceMs);
  await spawned.exited;
  clearTimeout(timer);
}

/** Ends every tracked process still alive (SIGKILL: used when the benchmark itself is going away). */
export function killAll(): void {
  for (const child of alive) child.kill('SIGKILL');
  alive.clear();
}

let installed = false;

/** Makes sure no child outlives the benchmark: on exit (an uncaught error exits too) and on SIGINT/SIGTERM/SIGHUP. */
export function installCleanup(): void {
  if (installed) return;
  installed = true;
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAll();
      process.exit(130);
    });
  }
}
