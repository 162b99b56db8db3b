/**
 * The servers side by side, each its own process on 127.0.0.1, pinned to the server CPU: how to start one, when it
 * first answers (its start-up time), its peak resident memory, and how to stop it.
 */

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { repoRoot } from '../src/spec/index.ts';
import type { PreparedCase } from './cases.ts';
import type { Pinning } from './pinning.ts';
import { type Spawned, spawnTracked, stop } from './processes.ts';

export const serverNames = ['sandbox', 'sandbox-pg', 'sandbox-pg-2', 'ceiling', 'mock', 'prism'] as const;
export type ServerName = (typeof serverNames)[number];

/** The sandbox's data file, in the scratch folder it is given (`ServerOptions.tmp`). */
export const SANDBOX_DATA_FILE = 'sandbox.sqlite';

/** The servers that need PostgreSQL. */
export const postgresServers: readonly ServerName[] = ['sandbox-pg', 'sandbox-pg-2'];

/** Sandbox processes of each sandbox server: the PostgreSQL one twice over, on one database behind the same load. */
const instances = (name: ServerName) => (name === 'sandbox-pg-2' ? 2 : 1);

export const serverDescriptions: Readonly<Record<ServerName, string>> = {
  sandbox:
    "`node src/cli/sandbox.ts --port P --data <tmp>/sandbox.sqlite --log-level silent --no-rate-limit`: the reference sandbox (the vendors' rate limits off: the load is what is measured)",
  'sandbox-pg':
    "`node src/cli/sandbox.ts --port P --data 'postgres://…?schema=<its own>' --log-level silent --no-rate-limit`: the same sandbox on PostgreSQL, one instance",
  'sandbox-pg-2':
    'two instances of sandbox-pg on one schema, both pinned to the server CPU, the same connections split between them (as a load balancer spreads them); figures are the two together, CPU the sum of both, RSS the larger one',
  ceiling:
    '`node bench/ceiling.ts --port P`: a bare Fastify route per case, same AJV schema from the spec, no other work',
  mock: '`node src/cli/mock.ts --port P`: the project mock (Prism engines behind one front, all three vendors)',
  prism: '`prism mock <tmp>/<vendor>.json -p P -v silent`: Prism CLI alone on the bundled spec, one process per vendor',
};

export interface ServerOptions {
  name: ServerName;
  pinning: Pinning;
  /** A scratch folder for the sandbox's data file. */
  tmp: string;
  /** Prism only: the bundled spec file it serves. */
  specFile?: string;
  /** Extra node flags (`--cpu-prof`) for the sandbox. */
  nodeFlags?: string[];
  /** Added to the process's environment (the start-up variants: `NODE_DISABLE_COMPILE_CACHE=1`, …). */
  env?: Record<string, string>;
  /** sandbox-pg and sandbox-pg-2: the PostgreSQL URL (with its `?schema=`), or why there is none. */
  postgres?: { url: string } | { unavailable: string };
}

export interface RunningServer {
  name: ServerName;
  pid: number;
  origin: string;
  /** Milliseconds from spawn to the first HTTP answer. */
  startupMs: number;
  /** Every instance's base for a case, when the server is several instances behind the same load. */
  bases?: (c: PreparedCase) => string[];
  /** Where a case's vendor path is appended: the vendor prefix, except for Prism (one spec per process). */
  base(c: PreparedCase): string;
  /** Resident set right after the first answer, in bytes (where /proc is there). */
  rssAtReady?: number;
  /** CPU time (user + system, every thread) the process had used by its first answer, in seconds. */
  cpuAtReady?: number;
  /** The process's peak resident set so far, in bytes (VmHWM; `ps` samples where /proc is missing). */
  peakRss(): number | undefined;
  /** CPU time the process has used so far (user + system, every thread), in seconds; undefined without /proc. */
  cpuSeconds(): number | undefined;
  /** Its exit code or signal once it has exited on its own, and the end of what it wrote to stderr. */
  health(): { exited?: number | string; stderr: string };
  stop(): Promise<void>;
}

const prismBin = join(repoRoot, 'node_modules', '@stoplight', 'prism-cli', 'dist', 'index.js');

/**
 * The Node flags an npm script gives its command (`exec node <flags> src/cli/sandbox.ts`), so the bench runs each
 * server as `npm start` / `npm run mock` run it: package.json is where they are written, once.
 */
function scriptNodeFlags(script: string): string[] {
  const scripts = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).scripts as Record<string, string>;
  const line = scripts[script] ?? '';
  return /^(?:exec )?node((?: --[^\s]+)*) \S+\.ts/.exec(line)?.[1]?.trim().split(/\s+/).filter(Boolean) ?? [];
}

function commandLine(options: ServerOptions, port: number): { args: string[]; readyPath: string } {
  const node = [process.execPath, ...(options.nodeFlags ?? [])];
  const p = String(port);
  switch (options.name) {
    case 'sandbox':
      return {
        args: [
          ...node,
          ...scriptNodeFlags('start'),
          join(repoRoot, 'src/cli/sandbox.ts'),
          ...['--port', p, '--data', join(options.tmp, SANDBOX_DATA_FILE), '--log-level', 'silent', '--no-rate-limit'],
        ],
        readyPath: '/_sandbox/health',
      };
    case 'sandbox-pg':
    case 'sandbox-pg-2': {
      const postgres = options.postgres;
      if (!postgres || 'unavailable' in postgres) throw new Error(postgres?.unavailable ?? 'no PostgreSQL given');
      return {
        args: [
          ...node,
          ...scriptNodeFlags('start'),
          join(repoRoot, 'src/cli/sandbox.ts'),
          ...['--port', p, '--data', postgres.url, '--log-level', 'silent', '--no-rate-limit'],
        ],
        readyPath: '/_sandbox/ready',
      };
    }
    case 'ceiling':
      return { args: [...node, join(repoRoot, 'bench/ceiling.ts'), '--port', p], readyPath: '/' };
    case 'mock':
      return {
        args: [...node, ...scriptNodeFlags('mock'), join(repoRoot, 'src/cli/mock.ts'), '--port', p],
        readyPath: '/',
      };
    case 'prism':
      if (!options.specFile) throw new Error('prism needs a spec file');
      return {
        args: [...node, prismBin, 'mock', options.specFile, '-p', p, '-h', '127.0.0.1', '-v', 'silent'],
        readyPath: '/',
      };
  }
}

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** A `/proc/<pid>/status` size (`VmHWM`, `VmRSS`), in bytes; undefined where there is no /proc. */
function procSize(pid: number, field: 'VmHWM' | 'VmRSS'): number | undefined {
  try {
    const kb = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}

/** Clock ticks per second of /proc/<pid>/stat's times (`getconf CLK_TCK`, 100 on Linux). */
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;

/** utime + stime of a process, in seconds, from /proc/<pid>/stat. */
function procCpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; the fields after its closing parenthesis start at field 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks / CLOCK_TICKS : undefined;
  } catch {
    return undefined;
  }
}

function psRss(pid: number): number | undefined {
  const result = spawnSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' });
  const kb = Number(result.stdout.trim());
  return result.status === 0 && kb > 0 ? kb * 1024 : undefined;
}

async function firstAnswer(url: string, spawned: Spawned, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let exited: number | string | undefined;
  void spawned.exited.then((code) => {
    exited = code;
  });
  while (performance.now() < deadline) {
    if (exited !== undefined) {
      throw new Error(`exited (${exited}) before answering: ${spawned.output().stderr.slice(-2000)}`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
  throw new Error(`no answer at ${url} within ${timeoutMs / 1000} s: ${spawned.output().stderr.slice(-2000)}`);
}

/** Starts a server pinned to the server CPU and resolves once it answers an HTTP request (any status). */
export async function startServer(options: ServerOptions, timeoutMs = 90_000): Promise<RunningServer> {
  // Several instances start one after the other, so their start-ups are not contended either.
  const started: RunningServer[] = [];
  try {
    for (let i = 0; i < instances(options.name); i++) started.push(await startProcess(options, timeoutMs));
  } catch (error) {
    await Promise.all(started.map((s) => s.stop()));
    throw error;
  }
  const [first] = started as [RunningServer, ...RunningServer[]];
  if (started.length === 1) return first;
  const sum = (values: (number | undefined)[]) =>
    values.some((v) => v === undefined) ? undefined : values.reduce((a, b) => (a as number) + (b as number), 0);
  const max = (values: (number | undefined)[]) =>
    values.some((v) => v === undefined) ? undefined : Math.max(...(values as number[]));
  const rssAtReady = max(started.map((s) => s.rssAtReady));
  return {
    ...first,
    startupMs: Math.max(...started.map((s) => s.startupMs)),
    ...(rssAtReady === undefined ? {} : { rssAtReady }),
    bases: (c) => started.map((s) => s.base(c)),
    peakRss: () => max(started.map((s) => s.peakRss())),
    cpuSeconds: () => sum(started.map((s) => s.cpuSeconds())),
    health: () => {
      const each = started.map((s) => s.health());
      const exited = each.find((h) => h.exited !== undefined)?.exited;
      return { ...(exited === undefined ? {} : { exited }), stderr: each.map((h) => h.stderr).join('\n') };
    },
    stop: async () => {
      await Promise.all(started.map((s) => s.stop()));
    },
  };
}

/** One server process, pinned to the server CPU, once it answers an HTTP request (any status). */
async function startProcess(options: ServerOptions, timeoutMs: number): Promise<RunningServer> {
  const port = await freePort();
  const { args, readyPath } = commandLine(options, port);
  const full = [...options.pinning.server, ...args];
  const origin = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const spawned = spawnTracked(full[0] as string, full.slice(1), options.env);
  try {
    await firstAnswer(origin + readyPath, spawned, timeoutMs);
  } catch (error) {
    await stop(spawned);
    throw new Error(`${options.name}: ${(error as Error).message}`);
  }
  const startupMs = performance.now() - started;
  let exited: number | string | undefined;
  void spawned.exited.then((code) => {
    exited = code;
  });
  const rssAtReady = procSize(spawned.pid, 'VmRSS');
  const cpuAtReady = procCpuSeconds(spawned.pid);
  // Where there is no /proc, `ps` is sampled while the server runs and the highest reading kept.
  let sampled = 0;
  const sampler =
    procSize(spawned.pid, 'VmHWM') === undefined
      ? setInterval(() => {
          sampled = Math.max(sampled, psRss(spawned.pid) ?? 0);
        }, 250)
      : undefined;
  return {
    name: options.name,
    pid: spawned.pid,
    origin,
    startupMs,
    ...(rssAtReady === undefined ? {} : { rssAtReady }),
    ...(cpuAtReady === undefined ? {} : { cpuAtReady }),
    base: (c) => (options.name === 'prism' ? origin : origin + c.prefix),
    peakRss: () => procSize(spawned.pid, 'VmHWM') ?? (sampled || psRss(spawned.pid)),
    cpuSeconds: () => procCpuSeconds(spawned.pid),
    health: () => ({ ...(exited === undefined ? {} : { exited }), stderr: spawned.output().stderr.slice(-1500) }),
    stop: async () => {
      if (sampler) clearInterval(sampler);
      await stop(spawned);
    },
  };
}
