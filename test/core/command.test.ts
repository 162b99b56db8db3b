/** One flag-and-help module for every command (src/cli/command.ts), and `--help` on every npm script. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Command, type Flags, helpText, parseFlags, UsageError } from '../../src/cli/command.ts';
import { repoRoot } from '../../src/spec/index.ts';

const command = {
  name: 'npm run thing --',
  summary: 'Does a thing.',
  flags: {
    port: { type: 'string', env: 'PORT', default: 3000, description: 'port to listen on' },
    quiet: { type: 'boolean', env: 'QUIET', description: 'say less', negatable: true },
    loud: { type: 'boolean', description: 'say more' },
    vendor: { type: 'string', multiple: true, value: 'name', description: 'only these' },
  },
  notes: ['Exit status: 0 when done.'],
} as const satisfies Command<Flags>;

describe('parseFlags', () => {
  it('reads flags, then the environment for a flag not given', () => {
    expect(parseFlags(command, ['--port', '8080'], { PORT: '1' }).values).toEqual({ port: '8080' });
    expect(parseFlags(command, [], { PORT: '1', QUIET: 'yes' }).values).toEqual({ port: '1', quiet: true });
    expect(parseFlags(command, ['--no-quiet'], { QUIET: 'yes' }).values).toEqual({ quiet: false });
    expect(parseFlags(command, ['--vendor', 'a', '--vendor', 'b'], {}).values).toEqual({ vendor: ['a', 'b'] });
  });

  it.each([
    [['--nope'], /Unknown option '--nope'/],
    [['--port'], /argument missing/],
    [['stray'], /positional/],
    [['--no-loud'], /--no-loud is not a flag/],
  ])('refuses %j as a usage error', (args, message) => {
    expect(() => parseFlags(command, args, {})).toThrow(UsageError);
    expect(() => parseFlags(command, args, {})).toThrow(message);
  });

  it('refuses an environment value that is neither on nor off', () => {
    expect(() => parseFlags(command, [], { QUIET: 'maybe' })).toThrow(/QUIET must be on or off/);
  });

  it('answers --help and -h before reading anything else', () => {
    expect(parseFlags(command, ['--help', '--loud'], {}).help).toBe(true);
    expect(parseFlags(command, ['-h'], {}).help).toBe(true);
  });
});

describe('helpText', () => {
  it('lists every flag with its placeholder, variable, meaning and default, then the notes', () => {
    const text = helpText(command);
    expect(text).toMatch(/^Does a thing\.\n\nUsage: npm run thing -- \[options\]\n/);
    expect(text).toMatch(/--port <value> +PORT +port to listen on \(default 3000\)/);
    expect(text).toMatch(/--\[no-\]quiet +QUIET +say less/);
    expect(text).toContain('--vendor <name>…');
    expect(text).toMatch(/--help +this text/);
    expect(text.trimEnd().endsWith('Exit status: 0 when done.')).toBe(true);
  });
});

describe('--help on every npm script', () => {
  const scripts = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).scripts as Record<string, string>;
  // Every script that runs one of our own files with node (the others are tools with their own --help).
  const ours = Object.entries(scripts).flatMap(([name, line]) => {
    const file = /^(?:exec )?node(?: --\S+)* (\S+\.ts)(?: |$)/.exec(line)?.[1];
    return file && !line.includes('--check') ? [[name, file] as const] : [];
  });

  it('covers the commands', () => {
    expect(ours.map(([name]) => name)).toEqual(expect.arrayContaining(['start', 'mock', 'sign', 'contract', 'docs']));
  });

  it.each(ours)('npm run %s -- --help prints its usage and exits 0', (_name, file) => {
    const result = spawnSync(process.execPath, [join(repoRoot, file), '--help'], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Usage: /);
    expect(result.stdout).toMatch(/--help +this text/);
  });
});
