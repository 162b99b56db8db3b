/**
 * The flags of `npm run contract`, declared once with their descriptions (parsing and `--help` read the same
 * table). Per-vendor flags come from the specs: a vendor's URL flag is its local prefix (`/r7` → `--r7`), its
 * credential flags are that name plus the client's credential key, with the environment variables of src/config.ts.
 */
import { resolve } from 'node:path';
import { type Command, type Flag, helpText, parseFlags, UsageError } from '../cli/command.ts';
import type { VendorSetting } from '../config.ts';
import { localPrefix, type OpenApiDocument } from '../spec/index.ts';
import type { Capability } from './cases.ts';
import { type ReporterName, reporterNames, reportFiles } from './reporters.ts';
import type { Target } from './run-case.ts';
import { capabilities } from './target.ts';

/** Each vendor's credential settings (its definition's `settings`, by the keys its client reads), by vendor name. */
export type VendorSettings = ReadonlyMap<string, Readonly<Record<string, VendorSetting>>>;

export const DEFAULT_OUT = 'reports/contract';
export const DEFAULT_REPORTERS: readonly ReporterName[] = ['console', 'html'];

/** A flag that names a vendor's base URL or one of its credentials. */
export interface VendorFlag {
  vendor: string;
  credential?: string;
}

export { UsageError };

const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** The vendor's flag name: its local prefix (`/r7` → `r7`). */
const vendorFlag = (vendor: string, doc: OpenApiDocument) =>
  localPrefix(doc).replace(/^\//, '').replaceAll('/', '-') || vendor;

/**
 * The flags that say where a deployment is, for every command that talks to one (`npm run contract`, `npm run
 * proxy`): `--target`, a base URL per vendor and `--vendor`, with which flag names which vendor.
 */
export function targetFlags(docs: ReadonlyMap<string, OpenApiDocument>): {
  flags: Record<string, Flag>;
  vendorFlags: Record<string, VendorFlag>;
  aliases: Record<string, string>;
} {
  const vendorNames = [...docs.keys()];
  const flags: Record<string, Flag> = {
    target: {
      type: 'string',
      value: 'url',
      description: `base URL serving every vendor under its local prefix (${vendorNames
        .map((v) => `<url>${localPrefix(docs.get(v) as OpenApiDocument)}`)
        .join(', ')}): our sandbox or mock`,
    },
  };
  const vendorFlags: Record<string, VendorFlag> = {};
  const aliases: Record<string, string> = {};
  for (const [vendor, doc] of docs) {
    const flag = vendorFlag(vendor, doc);
    aliases[flag] = vendor;
    aliases[vendor] = vendor;
    flags[flag] = {
      type: 'string',
      value: 'url',
      description: `base URL of ${doc.info.title} without our prefix (its own paths are appended); overrides --target`,
    };
    vendorFlags[flag] = { vendor };
  }
  flags.vendor = {
    type: 'string',
    multiple: true,
    value: 'name',
    description: `only these vendors (repeatable or a comma list): ${Object.keys(aliases).join(', ')}`,
  };
  return { flags, vendorFlags, aliases };
}

/** The whole flag table for these specs, and which flags belong to which vendor. */
export function contractFlags(
  docs: ReadonlyMap<string, OpenApiDocument>,
  settings: VendorSettings = new Map(),
): {
  flags: Record<string, Flag>;
  vendorFlags: Record<string, VendorFlag>;
  aliases: Record<string, string>;
} {
  const { flags: where, vendorFlags, aliases } = targetFlags(docs);
  const { vendor, ...urls } = where;
  const flags: Record<string, Flag> = {};
  for (const [name, flag] of Object.entries(urls)) {
    flags[name] = flag;
    const owner = vendorFlags[name]?.vendor;
    for (const [credential, setting] of Object.entries((owner && settings.get(owner)) || {})) {
      const credentialFlag = `${name}-${kebab(credential)}`;
      flags[credentialFlag] = { type: 'string', value: 'value', description: setting.description, env: setting.env };
      vendorFlags[credentialFlag] = { vendor: owner as string, credential };
    }
  }
  Object.assign(flags, {
    vendor: vendor as Flag,
    stateless: {
      type: 'boolean',
      description:
        'the target keeps no state and answers Prism-style errors (a mock): cases that need state or the ' +
        "vendors' own errors are reported as expected failures",
    },
    mock: { type: 'boolean', description: 'same as --stateless' },
    'rate-limit': {
      type: 'boolean',
      description:
        "also drive the target past each vendor's documented rate limit (x-rate-limit: hundreds of requests) and " +
        'check its answer; off by default, so a vendor is never flooded unasked',
    },
    'shared-data': {
      type: 'boolean',
      description:
        'against our own sandbox, write as the credentials given, into the data they share with anyone using them; ' +
        'by default the suite writes there as a partner of its own (a +contract-<run> suffix on each credential)',
    },
    name: { type: 'string', value: 'text', description: 'what to call the target in the reports (default its URL)' },
    reporter: {
      type: 'string',
      multiple: true,
      value: 'name',
      description: `${reporterNames.join(', ')} (repeatable or a comma list; default ${DEFAULT_REPORTERS.join(',')}): junit writes ${reportFiles.junit}, json ${reportFiles.json}, html ${reportFiles.html}`,
    },
    out: { type: 'string', value: 'dir', description: `where reports are written (default ${DEFAULT_OUT})` },
    grep: {
      type: 'string',
      value: 'regexp',
      description: 'only cases whose name matches ("vendor operation kind: title", e.g. "updateTask sample")',
    },
  } satisfies Record<string, Flag>);
  return { flags, vendorFlags, aliases };
}

export interface ContractRun {
  target: Target;
  reporters: ReporterName[];
  out: string;
  grep?: string;
  /** Write as the credentials given even against our own sandbox (`--shared-data`), not as a partner of its own. */
  sharedData: boolean;
}

/** A comma list or repeated flag as one list. */
export const list = (values: readonly string[] | undefined): string[] =>
  (values ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);

/**
 * Where each vendor is, from `--target`, the per-vendor flags and `--vendor`: the base URL of every vendor the
 * run covers (a per-vendor URL wins over `--target` + the vendor's prefix). A UsageError names what is missing.
 */
export function resolveTargets(
  values: Readonly<Record<string, string | boolean | readonly string[] | undefined>>,
  docs: ReadonlyMap<string, OpenApiDocument>,
): { target?: string; urls: Record<string, string>; own: Set<string> } {
  const { vendorFlags, aliases } = targetFlags(docs);
  const str = (name: string) => values[name] as string | undefined;
  const urls: Record<string, string> = {};
  const own = new Set<string>();
  const selected = list(values.vendor as string[] | undefined).map((v) => {
    const name = aliases[v];
    if (!name) throw new UsageError(`unknown vendor ${v}; known: ${Object.keys(aliases).join(', ')}`);
    return name;
  });
  const target = str('target') === undefined ? undefined : baseUrl('target', str('target') as string);
  for (const [flag, { vendor }] of Object.entries(vendorFlags)) {
    const given = str(flag);
    const doc = docs.get(vendor) as OpenApiDocument;
    const url = given !== undefined ? baseUrl(flag, given) : target && target + localPrefix(doc);
    if (given !== undefined) own.add(vendor);
    if (url) urls[vendor] = url;
  }
  if (Object.keys(urls).length === 0)
    throw new UsageError(
      `no target: give --target <url> or a base URL per vendor (${Object.keys(vendorFlags)
        .map((flag) => `--${flag}`)
        .join(', ')})`,
    );
  if (selected.length > 0) keepSelected(selected, urls, own);
  return { ...(target !== undefined ? { target } : {}), urls, own };
}

/** `--vendor`: only the vendors named stay, each of which must have a base URL. */
function keepSelected(selected: readonly string[], urls: Record<string, string>, own: Set<string>): void {
  for (const vendor of selected)
    if (!urls[vendor]) throw new UsageError(`--vendor ${vendor}: no base URL for it (give --target or its own flag)`);
  for (const vendor of Object.keys(urls))
    if (!selected.includes(vendor)) {
      delete urls[vendor];
      own.delete(vendor);
    }
}

function baseUrl(flag: string, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--${flag} must be a URL, got ${JSON.stringify(raw)}`);
  }
  if (!/^https?:$/.test(url.protocol)) throw new UsageError(`--${flag} must be an http(s) URL, got ${raw}`);
  return raw.replace(/\/+$/, '');
}

/** Flags and environment to a run (or `help`); a UsageError names what is wrong. */
export function parseContractArgs(
  args: string[],
  env: NodeJS.ProcessEnv,
  docs: ReadonlyMap<string, OpenApiDocument>,
  cwd = process.cwd(),
  settings: VendorSettings = new Map(),
): 'help' | ContractRun {
  const { flags, vendorFlags } = contractFlags(docs, settings);
  const parsed = parseFlags({ name: 'npm run contract --', summary: '', flags }, args, env);
  if (parsed.help) return 'help';
  const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
  const str = (name: string) => values[name] as string | undefined;

  const { target, urls } = resolveTargets(values, docs);
  const vendors: Target['vendors'] = Object.fromEntries(
    [...docs.keys()].flatMap((v) => (urls[v] ? [[v, { baseUrl: urls[v] }]] : [])),
  );

  for (const [flag, { vendor, credential }] of Object.entries(vendorFlags)) {
    const entry = vendors[vendor];
    if (!credential || !entry) continue;
    const value = str(flag);
    if (value !== undefined) entry.credentials = { ...entry.credentials, [credential]: value };
  }

  const reporters = checkedReporters(values.reporter as string[] | undefined);
  const grep = checkedGrep(str('grep'));
  const stateless = Boolean(values.stateless || values.mock);
  const name =
    str('name') ??
    target ??
    Object.entries(vendors)
      .map(([v, { baseUrl }]) => `${v} ${baseUrl}`)
      .join(', ');
  return {
    target: {
      name,
      vendors,
      capabilities: new Set<Capability>(
        stateless ? [] : capabilities.filter((c) => c !== 'rate-limit' || values['rate-limit']),
      ),
    },
    reporters: reporters.length ? [...new Set(reporters as ReporterName[])] : [...DEFAULT_REPORTERS],
    out: resolve(cwd, str('out') ?? DEFAULT_OUT),
    ...(grep !== undefined ? { grep } : {}),
    sharedData: Boolean(values['shared-data']),
  };
}

/** The `--reporter` names, each one a known reporter. */
function checkedReporters(values: string[] | undefined): string[] {
  const reporters = list(values);
  for (const r of reporters)
    if (!(reporterNames as readonly string[]).includes(r))
      throw new UsageError(`unknown reporter ${r}; known: ${reporterNames.join(', ')}`);
  return reporters;
}

/** `--grep`, when it is a regular expression. */
function checkedGrep(grep: string | undefined): string | undefined {
  if (grep === undefined) return undefined;
  try {
    new RegExp(grep);
  } catch (error) {
    throw new UsageError(`--grep: ${(error as Error).message}`);
  }
  return grep;
}

/** `npm run contract -- --help`, from the same table. */
export function contractHelp(docs: ReadonlyMap<string, OpenApiDocument>, settings: VendorSettings = new Map()): string {
  return helpText(contractCommand(docs, settings));
}

/** The command as `--help` and the parser read it. */
export function contractCommand(
  docs: ReadonlyMap<string, OpenApiDocument>,
  settings: VendorSettings = new Map(),
): Command<Record<string, Flag>> {
  const { flags } = contractFlags(docs, settings);
  return {
    name: 'npm run contract --',
    summary:
      "Runs the contract suite against a deployment and reports, operation by operation, whether it honours the vendors' contracts.",
    usage: [
      'npm run contract -- --target <url> [options]',
      'npm run contract -- --odyssee <url> --ivvy <url> --r7 <url> [options]',
    ],
    flags,
    notes: [
      "Credentials default to the sandbox's (README: Sandbox credentials); a flag wins over its environment variable.",
      'Against our own sandbox (its /_sandbox/health says so) the suite writes as a partner of its own, contract-<run>,',
      'derived from those credentials; --shared-data writes as the credentials themselves.',
      'Exit status: 0 when every case honours the contract (expected failures included), 1 when a case fails,',
      '2 on a usage error (a --grep no case matches included) or an unreachable target.',
    ],
  };
}
