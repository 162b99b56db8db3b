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
}

const number = (name: string, raw: string): number => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${name} must be a port number, got ${raw}`);
  return n;
};

export const settings = {
  host: { env: 'HOST', flag: 'host', default: '127.0.0.1', description: 'address to listen on' },
  port: { env: 'PORT', flag: 'port', default: 0, description: 'port to listen on' },
  dataFile: {
    env: 'DATA_FILE',
    flag: 'data',
    default: '.data/sandbox.sqlite',
    description: "sandbox's SQLite file; ':memory:' keeps nothing",
  },
  logLevel: {
    env: 'LOG_LEVEL',
    flag: 'log-level',
    default: 'warn',
    description: 'pino log level: silent, error, warn, info (adds every request), debug, trace',
  },
  odysseeUser: { env: 'ODYSSEE_USER', default: 'sandbox', description: 'Odyssee Basic auth user name' },
  odysseePassword: { env: 'ODYSSEE_PASSWORD', default: 'sandbox', description: 'Odyssee Basic auth password' },
  odysseeDomain: { env: 'ODYSSEE_DOMAIN', default: 'SANDBOX', description: 'Odyssee domain (user:password@domain)' },
  ivvyKey: { env: 'IVVY_API_KEY', default: 'sandbox-key', description: 'iVvy API key' },
  ivvySecret: { env: 'IVVY_API_SECRET', default: 'sandbox-secret', description: 'iVvy API secret (HMAC-SHA1 key)' },
  r7User: { env: 'R7_USER', default: 'sandbox@example.com', description: 'R7-Office user name' },
  r7Password: { env: 'R7_PASSWORD', default: 'sandbox', description: 'R7-Office password' },
} as const satisfies Record<string, Setting<string | number>>;

export type Config = {
  -readonly [K in keyof typeof settings]: (typeof settings)[K]['default'] extends number ? number : string;
};

export const defaultPorts = Object.freeze({ sandbox: 3000, mock: 4010 });

/** Defaults (a command's `base` first), then environment, then CLI flags; validated once, frozen. */
export function loadConfig(
  args: string[] = [],
  env: NodeJS.ProcessEnv = process.env,
  base: Partial<Config> = {},
): Readonly<Config> {
  const options = Object.fromEntries(
    Object.values(settings)
      .filter((s): s is typeof s & { flag: string } => 'flag' in s)
      .map((s) => [s.flag, { type: 'string' as const }]),
  );
  const { values } = parseArgs({ args, options, strict: true, allowPositionals: false });
  const config: Record<string, string | number> = {};
  for (const [key, s] of Object.entries(settings) as [keyof Config, Setting<string | number>][]) {
    const raw = (s.flag ? (values[s.flag] as string | undefined) : undefined) ?? env[s.env];
    const fallback = base[key] ?? s.default;
    config[key] = raw === undefined ? fallback : typeof s.default === 'number' ? number(s.env, raw) : raw;
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
    const s: Setting<string | number> = settings[k];
    const flag = s.flag ? `--${s.flag} <value>` : '';
    return `  ${flag.padEnd(22)} ${s.env.padEnd(18)} ${s.description} (default ${JSON.stringify(base[k] ?? s.default)})`;
  });
  return `${summary}\n\nUsage: ${command} [options]\n\n  flag                   environment\n${lines.join('\n')}\n  --help                 this text\n`;
}
