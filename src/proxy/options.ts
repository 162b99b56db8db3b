/**
 * `npm run proxy`'s flags: where the vendors are, with the contract suite's own table (src/contract/cli-options.ts
 * `targetFlags`: `--target`, `--odyssee`, `--ivvy`, `--r7`, `--vendor`), then the proxy's own.
 */
import { resolve } from 'node:path';
import { type Command, type Flag, type FlagValues, helpText, parseFlags, UsageError } from '../cli/command.ts';
import { list, resolveTargets, targetFlags } from '../contract/cli-options.ts';
import { reportFiles } from '../contract/reporters.ts';
import type { OpenApiDocument } from '../spec/index.ts';
import { type ProxyReporterName, proxyReporterNames } from './report.ts';

export const DEFAULT_PORT = 4020;
export const DEFAULT_OUT = 'reports/proxy';
export const DEFAULT_REPORTERS: readonly ProxyReporterName[] = ['json', 'junit', 'html'];
export const DEFAULT_TIMEOUT_SECONDS = 30;
export const DEFAULT_REPORT_EVERY_SECONDS = 60;

export interface ProxyRun {
  /** Base URL per vendor. */
  upstreams: Record<string, string>;
  target?: string;
  name: string;
  host: string;
  port: number;
  strict: boolean;
  timeoutMs: number;
  /** 0: only when stopped. */
  reportEveryMs: number;
  reporters: ProxyReporterName[];
  out: string;
  record?: string;
}

function proxyFlags(docs: ReadonlyMap<string, OpenApiDocument>): Record<string, Flag> {
  return {
    ...targetFlags(docs).flags,
    port: { type: 'string', value: 'port', env: 'PORT', description: `port to listen on (default ${DEFAULT_PORT})` },
    host: { type: 'string', value: 'address', env: 'HOST', description: 'address to listen on (default 127.0.0.1)' },
    strict: {
      type: 'boolean',
      description: "answer requests that break the contract in the vendor's error shape instead of forwarding them",
    },
    timeout: {
      type: 'string',
      value: 'seconds',
      description: `how long the upstream may take to connect, to answer and between chunks: then 504 (default ${DEFAULT_TIMEOUT_SECONDS})`,
    },
    'report-every': {
      type: 'string',
      value: 'seconds',
      description: `write the reports every so often, besides on SIGINT/SIGTERM; 0: only then (default ${DEFAULT_REPORT_EVERY_SECONDS})`,
    },
    reporter: {
      type: 'string',
      multiple: true,
      value: 'name',
      description: `${proxyReporterNames.join(', ')} (repeatable or a comma list; default ${DEFAULT_REPORTERS.join(',')}): ${reportFiles.json}, ${reportFiles.junit}, ${reportFiles.html}`,
    },
    out: { type: 'string', value: 'dir', description: `where the reports are written (default ${DEFAULT_OUT})` },
    record: {
      type: 'string',
      value: 'dir',
      description: 'also record every exchange there as HAR 1.2, credentials redacted',
    },
    name: { type: 'string', value: 'text', description: 'what to call the upstream in the reports (default its URL)' },
  };
}

/** The command as `--help` and the parser read it. */
export function proxyCommand(docs: ReadonlyMap<string, OpenApiDocument>): Command<Record<string, Flag>> {
  return {
    name: 'npm run proxy --',
    summary:
      "The validating proxy: stands between a partner's client and a vendor (or our sandbox), forwards every exchange\n" +
      'unchanged, and reports each place where either side breaks the contract.',
    usage: [
      'npm run proxy -- --target <url> [options]',
      'npm run proxy -- --odyssee <url> --ivvy <url> --r7 <url> [options]',
    ],
    flags: proxyFlags(docs),
    notes: [
      "Clients call http://<host>:<port>/odyssee, /ivvy, /r7 followed by the vendor's own path. Each violation is",
      'printed as one line; the reports are written on SIGINT/SIGTERM and every --report-every seconds.',
    ],
  };
}

const seconds = (flag: string, raw: string | undefined, fallback: number, zero = false): number => {
  if (raw === undefined) return fallback * 1000;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0 || (n === 0 && !zero))
    throw new UsageError(`--${flag} must be a positive number of seconds, got ${raw}`);
  return Math.round(n * 1000);
};

export function parseProxyArgs(
  args: string[],
  env: NodeJS.ProcessEnv,
  docs: ReadonlyMap<string, OpenApiDocument>,
  cwd = process.cwd(),
): 'help' | ProxyRun {
  const { help, values } = parseFlags(proxyCommand(docs), args, env);
  return help ? 'help' : proxyRun(values, docs, cwd);
}

/** The parsed flags (environment applied) to a run; a UsageError names what is wrong. */
export function proxyRun(
  values: FlagValues<Record<string, Flag>>,
  docs: ReadonlyMap<string, OpenApiDocument>,
  cwd = process.cwd(),
): ProxyRun {
  const str = (name: string) => values[name] as string | undefined;
  const { target, urls } = resolveTargets(values, docs);
  const rawPort = str('port');
  const port = rawPort === undefined ? DEFAULT_PORT : Number(rawPort);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be a port number, got ${rawPort}`);
  const reporters = list(values.reporter as string[] | undefined);
  for (const r of reporters)
    if (!(proxyReporterNames as readonly string[]).includes(r))
      throw new UsageError(`unknown reporter ${r}; known: ${proxyReporterNames.join(', ')}`);
  const record = str('record');
  return {
    upstreams: urls,
    ...(target !== undefined ? { target } : {}),
    name:
      str('name') ??
      target ??
      Object.entries(urls)
        .map(([v, url]) => `${v} ${url}`)
        .join(', '),
    host: str('host') ?? '127.0.0.1',
    port,
    strict: Boolean(values.strict),
    timeoutMs: seconds('timeout', str('timeout'), DEFAULT_TIMEOUT_SECONDS),
    reportEveryMs: seconds('report-every', str('report-every'), DEFAULT_REPORT_EVERY_SECONDS, true),
    reporters: reporters.length ? [...new Set(reporters as ProxyReporterName[])] : [...DEFAULT_REPORTERS],
    out: resolve(cwd, str('out') ?? DEFAULT_OUT),
    ...(record !== undefined ? { record: resolve(cwd, record) } : {}),
  };
}

export function proxyHelp(docs: ReadonlyMap<string, OpenApiDocument>): string {
  return helpText(proxyCommand(docs));
}
