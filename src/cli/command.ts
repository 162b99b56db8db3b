/**
 * Every command's flags and `--help` in one form: a command declares its flags once (type, meaning, environment
 * variable, placeholder) and `parseFlags` (on `node:util` `parseArgs`, strict) and `helpText` read that one table.
 * `runCommand` gives every command the same conduct: `--help` prints the text and exits 0; a usage error prints what
 * is wrong and the hint, and exits 2; any other failure prints its message, and exits 1.
 */
import { parseArgs } from 'node:util';

export interface Flag {
  readonly type: 'string' | 'boolean';
  /** What it does, one line, for `--help`. */
  readonly description: string;
  /** The value's placeholder in `--help` (`--port <value>`); a string flag's. */
  readonly value?: string;
  /** The environment variable read when the flag is not given (a boolean's: 1/true/on/yes or 0/false/off/no). */
  readonly env?: string;
  /** The default, shown in `--help` (the command applies it: flags absent are undefined). */
  readonly default?: string | number | boolean;
  readonly short?: string;
  /** Repeatable (`--vendor a --vendor b`); the values come as a list. */
  readonly multiple?: boolean;
  /** A boolean that also has its `--no-` form. */
  readonly negatable?: boolean;
}

export type Flags = Readonly<Record<string, Flag>>;

/** What a flag parses to: a boolean, a string, a list of strings, or undefined when neither flag nor variable. */
export type FlagValues<F extends Flags> = {
  -readonly [K in keyof F]?: F[K]['type'] extends 'boolean'
    ? boolean
    : F[K]['multiple'] extends true
      ? string[]
      : string;
};

/** A command's description: parsing and `--help` read it. */
export interface Command<F extends Flags> {
  /** How it is called, for the usage line (`npm run mock --`). */
  readonly name: string;
  /** What it does, one paragraph. */
  readonly summary: string;
  readonly flags: F;
  /** Usage lines instead of `<name> [options]`. */
  readonly usage?: readonly string[];
  /** Lines after the table (exit statuses, where credentials come from). */
  readonly notes?: readonly string[];
  /** The positional arguments it takes, as the usage line names them (`<file.har>…`); none when absent. */
  readonly positionals?: string;
}

/** The command line is wrong: what is wrong, for stderr. */
export class UsageError extends Error {
  override name = 'UsageError';
}

const HELP: Flag = { type: 'boolean', short: 'h', description: 'this text' };

/** The on/off value of a boolean environment variable (1/true/on/yes, 0/false/off/no). */
export function onOff(name: string, raw: string): boolean {
  if (/^(1|true|on|yes)$/i.test(raw)) return true;
  if (/^(0|false|off|no)$/i.test(raw)) return false;
  throw new UsageError(`${name} must be on or off, got ${raw}`);
}

/**
 * Parses `args` strictly against the flags (an unknown flag, a missing value or a positional is a UsageError); a flag
 * not given takes its environment variable. `help` is true when `--help`/`-h` was given (then nothing else is read).
 */
export function parseFlags<F extends Flags>(
  command: Command<F>,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): { help: boolean; values: FlagValues<F>; positionals: string[] } {
  const { parsed, positionals } = parseStrictly(command, args);
  if (parsed.help) return { help: true, values: {}, positionals };
  if (command.positionals !== undefined && positionals.length === 0)
    throw new UsageError(`give ${command.positionals}`);
  const values: Record<string, unknown> = {};
  for (const [name, f] of Object.entries(command.flags)) {
    const value = flagValue(name, f, parsed[name], env);
    if (value !== undefined) values[name] = value;
  }
  return { help: false, values: values as FlagValues<F>, positionals };
}

type Parsed = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** `node:util`'s parseArgs over the command's flags (and `--help`), strict; what it refuses is a UsageError. */
function parseStrictly<F extends Flags>(
  command: Command<F>,
  args: readonly string[],
): { parsed: Parsed; positionals: string[] } {
  const options = Object.fromEntries(
    Object.entries({ ...command.flags, help: HELP }).map(([name, f]) => [
      name,
      { type: f.type, ...(f.multiple ? { multiple: true } : {}), ...(f.short ? { short: f.short } : {}) },
    ]),
  );
  try {
    const result = parseArgs({
      args: [...args],
      options,
      strict: true,
      allowPositionals: command.positionals !== undefined,
      allowNegative: true,
    });
    return { parsed: result.values as Parsed, positionals: result.positionals };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** A flag's value as given, else from its environment variable (a boolean's read as on/off); undefined: neither. */
function flagValue(name: string, f: Flag, given: Parsed[string], env: NodeJS.ProcessEnv): unknown {
  if (given === false && !f.negatable) throw new UsageError(`--no-${name} is not a flag; --${name} is`);
  const raw = given ?? (f.env ? env[f.env] : undefined);
  if (raw === undefined) return undefined;
  if (f.type === 'boolean') return typeof raw === 'boolean' ? raw : onOff(f.env ?? name, String(raw));
  if (f.multiple) return (Array.isArray(raw) ? raw : [raw]).map(String);
  return raw;
}

/** `--help`: the summary, the usage, one line per flag (its environment variable, meaning and default), the notes. */
export function helpText<F extends Flags>(command: Command<F>): string {
  const entries = Object.entries({ ...command.flags, help: HELP });
  const flagOf = (name: string, f: Flag) =>
    f.type === 'boolean'
      ? `--${f.negatable ? '[no-]' : ''}${name}`
      : `--${name} <${f.value ?? 'value'}>${f.multiple ? '…' : ''}`;
  const width = Math.max(22, ...entries.map(([name, f]) => flagOf(name, f).length + 1));
  const envWidth = Math.max(12, ...entries.map(([, f]) => (f.env ?? '').length + 1));
  const lines = entries.map(([name, f]) => {
    const suffix = f.default === undefined ? '' : ` (default ${JSON.stringify(f.default)})`;
    return `  ${flagOf(name, f).padEnd(width)} ${(f.env ?? '').padEnd(envWidth)} ${f.description}${suffix}`;
  });
  const usage = command.usage ?? [`${command.name}${command.positionals ? ` ${command.positionals}` : ''} [options]`];
  return [
    command.summary,
    '',
    ...usage.map((u, i) => `${i === 0 ? 'Usage: ' : '       '}${u}`),
    '',
    `  ${'flag'.padEnd(width)} ${'environment'.padEnd(envWidth)}`,
    ...lines,
    ...(command.notes?.length ? ['', ...command.notes] : []),
    '',
  ]
    .map((line) => line.trimEnd())
    .join('\n');
}

/**
 * Runs a command: parses its flags, prints `--help`, and turns failures into exit statuses (2 for a usage error, 1
 * for any other; `main`'s own number otherwise). `label` prefixes what goes to stderr.
 */
export async function runCommand<F extends Flags>(
  label: string,
  command: Command<F>,
  main: (values: FlagValues<F>, positionals: string[]) => Promise<number | undefined> | number | undefined,
  args: readonly string[] = process.argv.slice(2),
): Promise<void> {
  let code: number;
  try {
    const { help, values, positionals } = parseFlags(command, args);
    if (help) {
      process.stdout.write(helpText(command));
      return;
    }
    code = (await main(values, positionals)) ?? 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${label}: ${error.message}\n(${command.name} --help lists the flags)\n`);
      code = 2;
    } else {
      process.stderr.write(`${label}: ${(error as Error).message}\n`);
      code = 1;
    }
  }
  if (code !== 0) process.exitCode = code;
}
