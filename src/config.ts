/**
 * Configuration in one place: every setting once, with its default, its environment variable, its CLI flag and
 * what it does. `--help` and the README's tables are printed from this list.
 */
import { parseArgs } from 'node:util';

interface Setting<T> {
  readonly env: string;
  readonly flag?: string;
  readonly default: T;
  readonly description: string;
  /** A number's bounds and what it is, for the message when a value is out of them (default: a port number). */
  readonly range?: readonly [min: number, max: number, what: string];
}

const boolean = (name: string, raw: string): boolean => {
  if (/^(1|true|on|yes)$/i.test(raw)) return true;
  if (/^(0|false|off|no)$/i.test(raw)) return false;
  throw new Error(`${name} must be on or off, got ${raw}`);
};

const number = (
  name: string,
  raw: string,
  [min, max, what]: readonly [number, number, string] = [0, 65535, 'a port number'],
): number => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be ${what}, got ${raw}`);
  return n;
};

export const settings = {
  host: { env: 'HOST', flag: 'host', default: '127.0.0.1', description: 'address to listen on' },
  port: { env: 'PORT', flag: 'port', default: 0, description: 'port to listen on' },
  dataFile: {
    env: 'DATA_FILE',
    flag: 'data',
    default: '.data/sandbox.sqlite',
    description:
      "where the data lives: an SQLite file (':memory:' keeps nothing; one sandbox per file), or a PostgreSQL URL postgres://user:password@host:port/db[?schema=name] that any number of sandbox instances share",
  },
  poolSize: {
    env: 'DATA_POOL_SIZE',
    flag: 'pool-size',
    default: 10,
    description: 'PostgreSQL only: connections this instance keeps open at most',
    range: [1, 1000, 'a whole number from 1 to 1000'],
  },
  drainSeconds: {
    env: 'DRAIN_SECONDS',
    flag: 'drain-seconds',
    default: 0,
    description:
      'on SIGTERM or SIGINT, seconds to go on serving while /_sandbox/ready answers 503 (so a load balancer stops sending requests) before closing',
    range: [0, 3600, 'a whole number of seconds from 0 to 3600'],
  },
  shutdownTimeout: {
    env: 'SHUTDOWN_TIMEOUT',
    flag: 'shutdown-timeout',
    default: 30,
    description:
      'seconds a graceful stop may take after draining (requests in flight finishing, the store closing) before the process exits anyway, with status 1',
    range: [1, 3600, 'a whole number of seconds from 1 to 3600'],
  },
  logLevel: {
    env: 'LOG_LEVEL',
    flag: 'log-level',
    default: 'warn',
    description: 'pino log level: silent, error, warn, info (adds every request), debug, trace',
  },
  rateLimit: {
    env: 'RATE_LIMIT',
    flag: 'rate-limit',
    default: true,
    description:
      "the vendors' rate limits (x-rate-limit in each spec); --no-rate-limit or RATE_LIMIT=off turns them off",
  },
  rateLimits: {
    env: 'RATE_LIMITS',
    flag: 'rate-limits',
    default: '',
    description:
      "other rates than the specs' (<vendor>=<requests>/<seconds>, comma-separated: ivvy=100/60,r7-office=500/10)",
  },
  odysseeUser: { env: 'ODYSSEE_USER', default: 'sandbox', description: 'Odyssee Basic auth user name' },
  odysseePassword: { env: 'ODYSSEE_PASSWORD', default: 'sandbox', description: 'Odyssee Basic auth password' },
  odysseeDomain: { env: 'ODYSSEE_DOMAIN', default: 'SANDBOX', description: 'Odyssee domain (user:password@domain)' },
  ivvyKey: { env: 'IVVY_API_KEY', default: 'sandbox-key', description: 'iVvy API key' },
  ivvySecret: { env: 'IVVY_API_SECRET', default: 'sandbox-secret', description: 'iVvy API secret (HMAC-SHA1 key)' },
  r7User: { env: 'R7_USER', default: 'sandbox@example.com', description: 'R7-Office user name' },
  r7Password: { env: 'R7_PASSWORD', default: 'sandbox', description: 'R7-Office password' },
} as const satisfies Record<string, Setting<string | number | boolean>>;

export type Config = {
  -readonly [K in keyof typeof settings]: (typeof settings)[K]['default'] extends number
    ? number
    : (typeof settings)[K]['default'] extends boolean
      ? boolean
      : string;
};

export const defaultPorts = Object.freeze({ sandbox: 3000, mock: 4010 });

/** Defaults (a command's `base` first), then environment, then CLI flags; validated once, frozen. */
export function loadConfig(
  args: string[] = [],
  env: NodeJS.ProcessEnv = process.env,
  base: Partial<Config> = {},
): Readonly<Config> {
  const flagged = Object.values(settings).filter((s): s is typeof s & { flag: string } => 'flag' in s);
  const options = Object.fromEntries(
    flagged.map((s) => [s.flag, { type: typeof s.default === 'boolean' ? ('boolean' as const) : ('string' as const) }]),
  );
  // A boolean flag also has its `--no-` form (`--no-rate-limit`).
  const { values } = parseArgs({ args, options, strict: true, allowPositionals: false, allowNegative: true });
  const config: Record<string, string | number | boolean> = {};
  for (const [key, s] of Object.entries(settings) as [keyof Config, Setting<string | number | boolean>][]) {
    const flag = s.flag ? (values[s.flag] as string | boolean | undefined) : undefined;
    const fallback = base[key] ?? s.default;
    if (typeof flag === 'boolean') {
      config[key] = flag;
      continue;
    }
    const raw = flag ?? env[s.env];
    if (raw === undefined) config[key] = fallback;
    else if (typeof s.default === 'number') config[key] = number(s.env, raw, s.range);
    else if (typeof s.default === 'boolean') config[key] = boolean(s.env, raw);
    else config[key] = raw;
  }
  return Object.freeze(config as Config);
}

/** The `--help` text of a command, from the same list, with the command's own defaults (`base`) where it has them. */
export function helpText(
  command: string,
  summary: string,
  keys: (keyof typeof settings)[],
  base: Partial<Config> = {},
): string {
  const lines = keys.map((k) => {
    const s: Setting<string | number | boolean> = settings[k];
    const flag = !s.flag ? '' : typeof s.default === 'boolean' ? `--[no-]${s.flag}` : `--${s.flag} <value>`;
    return `  ${flag.padEnd(22)} ${s.env.padEnd(18)} ${s.description} (default ${JSON.stringify(base[k] ?? s.default)})`;
  });
  return `${summary}\n\nUsage: ${command} [options]\n\n  flag                   environment\n${lines.join('\n')}\n  --help                 this text\n`;
}
