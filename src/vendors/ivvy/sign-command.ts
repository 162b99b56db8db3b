#!/usr/bin/env node
/**
 * `npm run sign -- --path '/api/1.0/crm?action=getTaskList' --body '{}'`: prints the headers that sign an iVvy
 * request, as the reference sandbox computes them, so partners can check their own signing code against it.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { fromEnvironment } from '../../config.ts';
import { settings } from './settings.ts';
import { signRequest } from './signing.ts';

const options = {
  method: { type: 'string', default: 'POST', description: 'HTTP method' },
  path: {
    type: 'string',
    description: "the vendor's own path and query, without any local prefix (/api/1.0/crm?action=getTaskList)",
  },
  body: { type: 'string', description: 'the body, exactly as it will be sent' },
  'body-file': { type: 'string', description: 'read the body from this file, byte for byte (instead of --body)' },
  'content-type': { type: 'string', default: 'application/json', description: 'the Content-Type value, as sent' },
  key: { type: 'string', default: fromEnvironment(settings.apiKey), description: 'API key (IVVY_API_KEY)' },
  secret: { type: 'string', default: fromEnvironment(settings.apiSecret), description: 'API secret (IVVY_API_SECRET)' },
  date: { type: 'string', description: "send and sign Date with this value ('Tue, 03 Apr 2012 22:23:24 UTC')" },
  'ivvy-date': {
    type: 'string',
    description: "send and sign IVVY-Date with this value ('2012-04-03 22:23:24'); neither date: IVVY-Date = now",
  },
  'api-version': {
    type: 'string',
    description: "send and sign X-Api-Version with this value (default: none sent, the path's version signed)",
  },
  json: { type: 'boolean', default: false, description: 'print {headers, stringToSign} as JSON' },
  help: { type: 'boolean', default: false, description: 'this text' },
} as const;

function help(): string {
  const lines = Object.entries(options).map(([name, o]) => {
    const flag = `--${name}${o.type === 'string' ? ' <value>' : ''}`;
    const fallback = 'default' in o && o.type === 'string' && name !== 'secret' ? ` (default ${o.default})` : '';
    return `  ${flag.padEnd(24)} ${o.description}${fallback}`;
  });
  return [
    'Prints the headers that sign an iVvy request (X-Api-Authorization: IWS key:signature and the headers it signs).',
    '',
    'Usage: npm run sign -- --path <path?query> [--body <json> | --body-file <file>] [options]',
    '',
    ...lines,
    '',
    'The string to sign is printed to stderr (or in the JSON with --json).',
    '',
  ].join('\n');
}

function main(argv: string[]): number {
  let values: ReturnType<typeof parseArgs<{ options: typeof options; args: string[] }>>['values'];
  try {
    ({ values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false }));
  } catch (error) {
    process.stderr.write(`sign: ${(error as Error).message}\n\n${help()}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(help());
    return 0;
  }
  const problems = [
    ...(values.path === undefined ? ['--path is required'] : []),
    ...(values.path !== undefined && !values.path.startsWith('/') ? ['--path must start with /'] : []),
    ...(values.body !== undefined && values['body-file'] !== undefined ? ['give --body or --body-file, not both'] : []),
  ];
  if (problems.length > 0 || values.path === undefined) {
    process.stderr.write(`sign: ${problems.join('; ')}\n\n${help()}`);
    return 2;
  }
  let body: string | Buffer = values.body ?? '';
  if (values['body-file'] !== undefined) {
    try {
      body = readFileSync(values['body-file']);
    } catch (error) {
      process.stderr.write(`sign: cannot read --body-file: ${(error as Error).message}\n`);
      return 2;
    }
  }
  const signed = signRequest({
    method: values.method,
    path: values.path,
    body,
    contentType: values['content-type'],
    ...(values.date !== undefined ? { date: values.date } : {}),
    ...(values['ivvy-date'] !== undefined ? { ivvyDate: values['ivvy-date'] } : {}),
    ...(values['api-version'] !== undefined ? { apiVersion: values['api-version'] } : {}),
    key: values.key,
    secret: values.secret,
  });
  if (values.json) {
    process.stdout.write(`${JSON.stringify(signed, null, 2)}\n`);
  } else {
    process.stdout.write(
      Object.entries(signed.headers)
        .map(([name, value]) => `${name}: ${value}\n`)
        .join(''),
    );
    process.stderr.write(`string to sign: ${signed.stringToSign}\n`);
  }
  return 0;
}

process.exitCode = main(process.argv.slice(2));
