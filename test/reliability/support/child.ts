/**
 * The sandbox as a child process, started the way a user starts it (`node src/cli/sandbox.ts --port 0 --data FILE`),
 * on 127.0.0.1 at a port the OS picks. Every child is tracked and killed when the test file ends (`killChildren`),
 * also when a test fails, and on the worker's exit as a last resort.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../../../src/spec/index.ts';

const cli = join(repoRoot, 'src', 'cli', 'sandbox.ts');
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export interface SpawnOptions {
  dataFile: string;
  /** Runs the CLI under another command (a shell that sets a resource limit first); gets and returns an argv. */
  wrap?: (argv: string[]) => string[];
  /** Run as this user and group (to make file permissions bite when the tests run as root). */
  user?: { uid: number; gid: number };
  /** How long start-up may take before the child is killed and the start counts as failed. */
  readyTimeoutMs?: number;
  logLevel?: string;
  /** The vendors' rate limits on (off unless told: the load is what these tests are about). */
  rateLimit?: boolean;
  /** More command-line arguments (`--rate-limits ivvy=4/60`). */
  args?: string[];
}

export interface ChildSandbox {
  pid: number;
  origin: string;
  /** Base URL per vendor, as the CLI prints it. */
  base: Record<string, string>;
  /** Everything the child wrote so far (stdout and stderr). */
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL: no shutdown, no checkpoint, as a crash or an OOM kill. */
  crash: () => Promise<void>;
  /** SIGTERM: the CLI's graceful close. */
  stop: () => Promise<void>;
}

/** What a start came to: a sandbox that answers, or a process that exited (with what it wrote). */
export type StartOutcome =
  | { ready: true; sandbox: ChildSandbox }
  | { ready: false; code: number | null; signal: NodeJS.Signals | null; output: string };

export async function startChild(options: SpawnOptions): Promise<StartOutcome> {
  const argv = [
    process.execPath,
    cli,
    '--port',
    '0',
    '--data',
    options.dataFile,
    '--log-level',
    options.logLevel ?? 'silent',
    // The load is what these tests are about: the vendors' rate limits would answer it instead.
    options.rateLimit ? '--rate-limit' : '--no-rate-limit',
    ...(options.args ?? []),
  ];
  const [command, ...args] = options.wrap ? options.wrap(argv) : argv;
  const child = spawn(command as string, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.user ?? {}),
  });
  running.add(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    });
    child.once('error', () => {
      running.delete(child);
      resolve({ code: null, signal: null });
    });
  });
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  let gone: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  void exited.then((e) => {
    gone = e;
  });
  while (!/^sandbox ready: .*$/m.test(output) && gone === undefined && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const ready = /^sandbox ready: (.*?); data in /m.exec(output);
  if (!ready?.[1]) {
    if (gone === undefined) {
      child.kill('SIGKILL');
      gone = await exited;
      output += '\n(killed: not ready in time)';
    }
    return { ready: false, code: gone.code, signal: gone.signal, output };
  }
  const base = Object.fromEntries(ready[1].split(', ').map((pair) => pair.split(' ') as [string, string]));
  const origin = new URL(Object.values(base)[0] as string).origin;
  const signal = async (name: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
    await exited;
  };
  return {
    ready: true,
    sandbox: {
      pid: child.pid as number,
      origin,
      base,
      output: () => output,
      exited,
      crash: () => signal('SIGKILL'),
      stop: async () => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await signal('SIGTERM');
        clearTimeout(timer);
      },
    },
  };
}

/** Starts a child and fails with its output when it does not become ready. */
export async function startReadyChild(options: SpawnOptions): Promise<ChildSandbox> {
  const outcome = await startChild(options);
  if (!outcome.ready) {
    throw new Error(
      `the sandbox did not start (exit ${outcome.code ?? outcome.signal}): ${outcome.output.slice(-2000)}`,
    );
  }
  return outcome.sandbox;
}

/** SIGKILLs every child still running; for afterAll, so a failing test leaves nothing behind. */
export async function killChildren(): Promise<void> {
  const all = [...running];
  for (const child of all) child.kill('SIGKILL');
  await Promise.all(
    all.map(
      (child) =>
        new Promise((resolve) =>
          child.exitCode !== null || child.signalCode !== null ? resolve(undefined) : child.once('exit', resolve),
        ),
    ),
  );
}
