/**
 * Configuration in one place: every setting once, with its default, its environment variable, its CLI flag and
 * what it does. `--help` and the README's tables are printed from this list.
 */
import { type Flag, parseFlags, UsageError } from './cli/command.ts';

/** One credential setting of a vendor (its user, password, key…): where it comes from and what it is. */
export interface VendorSetting {
  readonly env: string;
  readonly default: string;
  readonly description: string;
}

/** What loadConfig needs of a vendor: its name and its settings (src/server/vendor-module.ts). */
interface SettingsOwner {
  readonly name: string;
  readonly settings: Readonly<Record<string, VendorSetting>>;
}

interface Setting<T> {
  readonly env: string;
  readonly flag?: string;
  readonly default: T;
  readonly description: string;
  /** A number's bounds and what it is, for the message when a value is out of them (default: a port number). */
  readonly range?: readonly [min: number, max: number, what: string];
}

const number = (
  name: string,
  raw: string,
  [min, max, what]: readonly [number, number, string] = [0, 65535, 'a port number'],
): number => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${name} must be ${what}, got ${raw}`);
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
  corsOrigins: {
    env: 'CORS_ORIGINS',
    flag: 'cors-origins',
    default: '*',
    description: "origins a browser may call from (CORS): '*' any, else a comma-separated list; 'off' none",
  },
} as const satisfies Record<string, Setting<string | number | boolean>>;

export type Config = {
  -readonly [K in keyof typeof settings]: (typeof settings)[K]['default'] extends number
    ? number
    : (typeof settings)[K]['default'] extends boolean
      ? boolean
      : string;
} & {
  /** Each vendor's settings (its credentials), by vendor and key, from its environment variables or defaults. */
  vendors: Readonly<Record<string, Readonly<Record<string, string>>>>;
};

/** A vendor's settings as configured: each key's value, or its default when the config was loaded without it. */
export function vendorSettings(config: Readonly<Config>, vendor: SettingsOwner): Readonly<Record<string, string>> {
  const loaded = config.vendors?.[vendor.name] ?? {};
  return Object.fromEntries(Object.entries(vendor.settings).map(([key, s]) => [key, loaded[key] ?? s.default]));
}

/** A setting's value from the environment alone (a client's default credentials), else its default. */
export const fromEnvironment = (setting: VendorSetting, env: NodeJS.ProcessEnv = process.env): string =>
  env[setting.env] ?? setting.default;

export const defaultPorts = Object.freeze({ sandbox: 3000, mock: 4010 });

/**
 * How this project's sandbox names itself on `GET /_sandbox/health` (`sandbox`): the contract suite writes as a
 * partner of its own only against a target that answers this (src/contract/own-partner.ts).
 */
export const SANDBOX_ID = 'vendor-task-api-contracts';

type SettingKey = keyof typeof settings;

/**
 * The flags of these settings for a command's table (src/cli/command.ts), with the command's own defaults (`base`):
 * each its flag name, environment variable, meaning and default; a boolean also in its `--no-` form.
 */
export function settingFlags(keys: readonly SettingKey[], base: Partial<Config> = {}): Record<string, Flag> {
  return Object.fromEntries(
    keys.map((key) => {
      const s: Setting<string | number | boolean> = settings[key];
      const boolean = typeof s.default === 'boolean';
      const flag: Flag = {
        type: boolean ? 'boolean' : 'string',
        env: s.env,
        description: s.description,
        default: base[key] ?? s.default,
        ...(boolean ? { negatable: true } : {}),
      };
      return [s.flag ?? key, flag];
    }),
  );
}

/** Each vendor's settings for `--help`'s notes: they have no flags, only their environment variables. */
export function vendorSettingNotes(vendors: readonly SettingsOwner[]): string[] {
  const lines = vendors.flatMap((v) =>
    Object.values(v.settings).map(
      (s) => `  ${s.env.padEnd(22)} ${s.description} (default ${JSON.stringify(s.default)})`,
    ),
  );
  return lines.length ? ['Credentials of the sandbox account, from the environment:', ...lines] : [];
}

/** Defaults (a command's `base` first), then environment, then CLI flags; validated once, frozen. */
export function loadConfig(
  args: readonly string[] = [],
  env: NodeJS.ProcessEnv = process.env,
  base: Partial<Config> = {},
  vendors: readonly SettingsOwner[] = [],
): Readonly<Config> {
  const command = { name: 'config', summary: '', flags: settingFlags(Object.keys(settings) as SettingKey[]) };
  return configFrom(parseFlags(command, args, env).values, base, vendors, env);
}

/** The configuration of parsed setting flags (`parseFlags` of `settingFlags`, environment included). */
export function configFrom(
  values: Readonly<Record<string, unknown>>,
  base: Partial<Config> = {},
  vendors: readonly SettingsOwner[] = [],
  env: NodeJS.ProcessEnv = process.env,
): Readonly<Config> {
  const config: Record<string, string | number | boolean> = {};
  for (const [key, s] of Object.entries(settings) as [SettingKey, Setting<string | number | boolean>][]) {
    const raw = values[s.flag ?? key] as string | boolean | undefined;
    if (raw === undefined) config[key] = base[key] ?? s.default;
    else if (typeof s.default === 'number') config[key] = number(s.env, String(raw), s.range);
    else config[key] = raw;
  }
  const vendorValues = Object.fromEntries(
    vendors.map((v) => [
      v.name,
      Object.freeze(Object.fromEntries(Object.entries(v.settings).map(([key, s]) => [key, fromEnvironment(s, env)]))),
    ]),
  );
  return Object.freeze({ ...(config as Omit<Config, 'vendors'>), vendors: Object.freeze(vendorValues) }) as Config;
}
