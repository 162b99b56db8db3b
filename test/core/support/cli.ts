/**
 * The sandbox or the mock as a child process, started the way a user starts it (`node src/cli/<cli>.ts --port 0`),
 * on 127.0.0.1 at a port the OS picks: resolves once it prints its ready line. Killed when the worker exits, as a
 * last resort; `stop()` is SIGTERM, the commands' graceful close.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { repoRoot } from '../../../src/spec/index.ts';

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export interface StartedCli {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** What it wrote to stderr so far. */
  stderr(): string;
  stop(): Promise<void>;
}

export async function startCli(
  cli: 'sandbox' | 'mock',
  args: readonly string[] = [],
  options: { nodeArgs?: readonly string[]; env?: NodeJS.ProcessEnv } = {},
): Promise<StartedCli> {
  const child = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), join(repoRoot, 'src', 'cli', `${cli}.ts`), '--port', '0', ...args],
    { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  running.add(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = once(child, 'exit').then(() => running.delete(child));
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const [line] = (await Promise.race([once(lines, 'line'), exited.then(() => ['(exited)'])])) as [string];
  lines.close();
  const origin = /http:\/\/127\.0\.0\.1:\d+/.exec(line)?.[0];
  if (!origin) {
    child.kill('SIGKILL');
    throw new Error(`${cli} did not start: ${line}\n${stderr}`);
  }
  return {
    origin,
    stderr: () => stderr,
    stop: async () => {
      if (!running.has(child)) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}
