/**
 * `npm run bench`'s command: its flags (through the shared command module, src/cli/command.ts) and the options a run
 * reads from them, every default applied and every number checked.
 */
import { join, resolve } from 'node:path';
import { type Command, type FlagValues, UsageError } from '../src/cli/command.ts';
import { repoRoot } from '../src/spec/index.ts';
import { type BenchCase, selectCases } from './cases.ts';
import { DEFAULT_GROWTH_SIZES } from './growth.ts';
import type { Settings } from './measure.ts';
import { type ServerName, serverNames } from './servers.ts';

const flags = {
  quick: {
    type: 'boolean',
    description: 'a short smoke run (1 s warm-up, 3 s measured); writes reports/ unless --out',
  },
  cases: { type: 'string', value: 'ids', description: 'comma-separated case ids (default: all)' },
  servers: {
    type: 'string',
    value: 'names',
    description: `comma-separated, of ${serverNames.join(', ')} (default: all)`,
  },
  out: { type: 'string', value: 'file', description: 'where the report goes (default docs/benchmarks.md)' },
  warmup: { type: 'string', value: 's', description: 'warm-up seconds per server per case (default 10)' },
  duration: { type: 'string', value: 's', description: 'measured seconds per server per case (default 15)' },
  rounds: {
    type: 'string',
    value: 'n',
    description: 'interleaved measured rounds the duration is split into (default 5)',
  },
  connections: { type: 'string', value: 'n', description: 'concurrent connections', default: 10 },
  sweep: {
    type: 'string',
    value: 'list',
    description: 'other connection counts each case is loaded at, besides --connections (default 1,100; "" for none)',
  },
  starts: { type: 'string', value: 'n', description: 'starts per start-up variant, after one discarded (default 5)' },
  startup: { type: 'boolean', negatable: true, default: true, description: 'measure start-up on its own' },
  postgres: {
    type: 'string',
    value: 'url',
    description:
      'PostgreSQL for sandbox-pg and sandbox-pg-2, each in a schema of its own, dropped at the end (default: BENCH_POSTGRES_URL, else TEST_POSTGRES_URL, else postgres://postgres@127.0.0.1:5432/postgres; none answering: they are reported not started)',
  },
  suite: { type: 'boolean', negatable: true, default: true, description: 'time the contract suite' },
  proxy: {
    type: 'boolean',
    negatable: true,
    default: true,
    description: "measure the validating proxy's added latency",
  },
  'proxy-requests': {
    type: 'string',
    value: 'n',
    description: 'requests per case and side for the proxy latency (default 3000; 300 with --quick)',
  },
  pin: {
    type: 'boolean',
    negatable: true,
    default: true,
    description: 'pin the server and the load generator to CPUs',
  },
  profile: {
    type: 'boolean',
    description: 'CPU-profile the sandbox on the headline case, else the first (automatic when it misses the target)',
  },
  growth: {
    type: 'boolean',
    negatable: true,
    default: true,
    description: 'load the headline case with few and with many tasks in the store (how the cost grows with the store)',
  },
  'growth-sizes': {
    type: 'string',
    value: 'list',
    description: `the numbers of tasks in the store, comma-separated (default ${DEFAULT_GROWTH_SIZES.join(',')})`,
  },
} as const;

export const benchCommand: Command<typeof flags> = {
  name: 'npm run bench --',
  summary:
    'The benchmark: the sandbox, the ceiling, the mock and Prism alone side by side on the same payloads, one server process at a time, loaded by autocannon from a process of its own; then the validating proxy in front of the sandbox. Writes docs/benchmarks.md.',
  flags,
};

export interface BenchOptions {
  quick: boolean;
  out: string;
  servers: ServerName[];
  cases: BenchCase[];
  settings: Settings;
  /** The connection sweep: its other connection counts and its shorter runs. */
  sweep: { levels: number[]; settings: Omit<Settings, 'connections'> };
  /** Starts per start-up variant; undefined: start-up not measured. */
  starts?: number;
  /** Requests per case and side for the proxy's added latency; undefined: not measured. */
  proxyRequests?: number;
  /** The store sizes of the growth case; undefined: not measured. */
  growthSizes?: number[];
  postgres?: string;
  pin: boolean;
  suite: boolean;
  profile: boolean;
}

function positive(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} must be a positive number, got ${raw}`);
  return n;
}

const list = (raw: string | undefined) =>
  raw
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);

function serversOf(raw: string | undefined): ServerName[] {
  return (list(raw) ?? [...serverNames]).map((s) => {
    if (!(serverNames as readonly string[]).includes(s))
      throw new UsageError(`unknown server ${s}; known: ${serverNames}`);
    return s as ServerName;
  });
}

function casesOf(raw: string | undefined) {
  try {
    return selectCases(list(raw));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function settingsOf(values: FlagValues<typeof flags>, quick: boolean): Settings {
  const durationSeconds = positive('duration', values.duration, quick ? 3 : 15);
  return {
    connections: Math.round(positive('connections', values.connections, 10)),
    warmupSeconds: positive('warmup', values.warmup, quick ? 1 : 10),
    durationSeconds,
    rounds: Math.round(positive('rounds', values.rounds, Math.min(5, Math.max(1, Math.floor(durationSeconds))))),
  };
}

const counts = (name: string, raw: string[]) => raw.map((n) => Math.round(positive(name, n, 1)));

/** The options of a run, from its flags. */
export function benchOptions(values: FlagValues<typeof flags>): BenchOptions {
  const quick = values.quick ?? false;
  const settings = settingsOf(values, quick);
  const levels = values.sweep === undefined ? [1, 100] : counts('sweep', list(values.sweep) ?? []);
  const growthSizes = list(values['growth-sizes']);
  return {
    quick,
    out: resolve(values.out ?? join(repoRoot, quick ? 'reports/benchmarks-quick.md' : 'docs/benchmarks.md')),
    servers: serversOf(values.servers),
    cases: casesOf(values.cases),
    settings,
    // The sweep's runs are short: the ratio per level, not the figures of record.
    sweep: {
      levels: levels.filter((n) => n !== settings.connections),
      settings: {
        warmupSeconds: Math.min(settings.warmupSeconds, 2),
        durationSeconds: Math.min(settings.durationSeconds, 4),
        rounds: Math.min(settings.rounds, 2),
      },
    },
    ...(values.startup === false ? {} : { starts: Math.round(positive('starts', values.starts, quick ? 2 : 5)) }),
    ...(values.proxy === false
      ? {}
      : { proxyRequests: Math.round(positive('proxy-requests', values['proxy-requests'], quick ? 300 : 3000)) }),
    ...(values.growth === false
      ? {}
      : { growthSizes: growthSizes ? counts('growth-sizes', growthSizes) : [...DEFAULT_GROWTH_SIZES] }),
    ...(values.postgres === undefined ? {} : { postgres: values.postgres }),
    pin: values.pin !== false,
    suite: values.suite !== false,
    profile: values.profile === true,
  };
}
