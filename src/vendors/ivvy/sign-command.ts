#!/usr/bin/env node
/**
 * `npm run sign -- --path '/api/1.0/crm?action=getTaskList' --body '{}'`: prints the headers that sign an iVvy
 * request, as the reference sandbox computes them, so partners can check their own signing code against it.
 */
import { readFileSync } from 'node:fs';
import { type Command, type Flags, type FlagValues, runCommand, UsageError } from '../../cli/command.ts';
import { settings } from './settings.ts';
import { signRequest } from './signing.ts';

const command = {
  name: 'npm run sign --',
  summary:
    'Prints the headers that sign an iVvy request (X-Api-Authorization: IWS key:signature and the headers it signs).',
  usage: ['npm run sign -- --path <path?query> [--body <json> | --body-file <file>] [options]'],
  flags: {
    method: { type: 'string', default: 'POST', description: 'HTTP method' },
    path: {
      type: 'string',
      description: "the vendor's own path and query, without any local prefix (/api/1.0/crm?action=getTaskList)",
    },
    body: { type: 'string', value: 'json', description: 'the body, exactly as it will be sent' },
    'body-file': {
      type: 'string',
      value: 'file',
      description: 'read the body from this file, byte for byte (instead of --body)',
    },
    'content-type': { type: 'string', default: 'application/json', description: 'the Content-Type value, as sent' },
    key: { type: 'string', env: settings.apiKey.env, default: settings.apiKey.default, description: 'API key' },
    secret: {
      type: 'string',
      env: settings.apiSecret.env,
      default: settings.apiSecret.default,
      description: 'API secret',
    },
    date: { type: 'string', description: "send and sign Date with this value ('Tue, 03 Apr 2012 22:23:24 UTC')" },
    'ivvy-date': {
      type: 'string',
      description: "send and sign IVVY-Date with this value ('2012-04-03 22:23:24'); neither date: IVVY-Date = now",
    },
    'api-version': {
      type: 'string',
      description: "send and sign X-Api-Version with this value (default: none sent, the path's version signed)",
    },
    json: { type: 'boolean', description: 'print {headers, stringToSign} as JSON' },
  },
  notes: ['The string to sign is printed to stderr (or in the JSON with --json).'],
} as const satisfies Command<Flags>;

type Values = FlagValues<typeof command.flags>;

/** `--path` given and absolute, at most one body source; the path when they are. */
function checkUsage(values: Values): string {
  const problems = [
    ...(values.path === undefined ? ['--path is required'] : []),
    ...(values.path !== undefined && !values.path.startsWith('/') ? ['--path must start with /'] : []),
    ...(values.body !== undefined && values['body-file'] !== undefined ? ['give --body or --body-file, not both'] : []),
  ];
  if (problems.length > 0 || values.path === undefined) throw new UsageError(problems.join('; '));
  return values.path;
}

/** The body as it will be sent: `--body-file`'s bytes, else `--body`, else nothing. */
function bodyOf(values: Values): string | Buffer {
  if (values['body-file'] === undefined) return values.body ?? '';
  try {
    return readFileSync(values['body-file']);
  } catch (error) {
    throw new UsageError(`cannot read --body-file: ${(error as Error).message}`);
  }
}

/** The signed headers on stdout (or everything as JSON with `--json`), the string to sign on stderr. */
function print(signed: ReturnType<typeof signRequest>, json: boolean | undefined): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(signed, null, 2)}\n`);
    return;
  }
  process.stdout.write(
    Object.entries(signed.headers)
      .map(([name, value]) => `${name}: ${value}\n`)
      .join(''),
  );
  process.stderr.write(`string to sign: ${signed.stringToSign}\n`);
}

await runCommand('sign', command, (values) => {
  const path = checkUsage(values);
  const signed = signRequest({
    method: values.method ?? command.flags.method.default,
    path,
    body: bodyOf(values),
    contentType: values['content-type'] ?? command.flags['content-type'].default,
    ...(values.date !== undefined ? { date: values.date } : {}),
    ...(values['ivvy-date'] !== undefined ? { ivvyDate: values['ivvy-date'] } : {}),
    ...(values['api-version'] !== undefined ? { apiVersion: values['api-version'] } : {}),
    key: values.key ?? settings.apiKey.default,
    secret: values.secret ?? settings.apiSecret.default,
  });
  print(signed, values.json);
  return 0;
});
