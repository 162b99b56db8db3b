/**
 * The mock: all three vendor specs on one port, stateless, answering from the specs' examples with Prism.
 *
 * Design: Prism's programmatic API in one process, not Prism CLI instances behind a proxy.
 * - Prism serves one document per instance (stoplightio/prism issues 2002 and 2438). Here each vendor gets its
 *   own Prism instance (`@stoplight/prism-http`: `getHttpOperationsFromSpec` + `createInstance`), fed the bundled
 *   document from `loadSpec` as an object (the only form Prism can read: it follows neither `externalValue` nor
 *   the iVvy `x-actions` refs of the split files), and one `node:http` server dispatches by prefix.
 * - The front routes each request itself (an iVvy action's own view of the one `POST /api/1.0/crm` operation, an
 *   `x-aliases` template as its path) and checks it as the vendor does, with the sandbox's own modules rather than
 *   Prism's validation: the sandbox's validators and order of checks, the vendor's `authenticate` up to the
 *   credentials, its `renderError` for every refusal and its `responseMediaType` where it has one. Prism then
 *   answers a valid request: the credentials' presence and form (the security schemes), the example, headers and
 *   dynamic generation.
 * - One process starts faster (one bundling pass, no child processes, ports or readiness polling), has no extra
 *   hop per request, stops with the caller, and `startMock()` runs inside a test process.
 * - What it costs: Prism's own HTTP layer (`prism-http-server`) is not used, so its thin request handling is
 *   redone in `server.ts` (Prefer header and `__code` query, body reading, CORS, problem+json, `sl-violations`).
 *
 * Modules: `server.ts` the HTTP front; `engine.ts` one vendor (routing, the order of checks, which answer);
 * `vendor.ts` the vendor's and the sandbox's rules; `named.ts` what `Prefer: example=` names; `path-ids.ts` the
 * URL's id in an answer; `prism.ts` the Prism calls; `routes.ts`, `actions.ts` (iVvy's per-action views);
 * `examples.ts` the start-up example check; `fill.ts` an example for every response that has none; `repair.ts`,
 * `xml.ts`, `prefer.ts`, `logger.ts`.
 */
import type { AddressInfo } from 'node:net';
import { loadSpec, type OpenApiDocument, SpecValidator, vendors } from '../spec/index.ts';
import { type MissingExample, VendorEngine } from './engine.ts';
import { checkExamples, type ExampleProblem, InvalidExamplesError } from './examples.ts';
import type { LogSink } from './logger.ts';
import { createMockServer } from './server.ts';

export type { MissingExample } from './engine.ts';
export {
  assertExamplesValid,
  checkExamples,
  documentedInvalidExamples,
  type ExampleProblem,
  InvalidExamplesError,
} from './examples.ts';

export interface MockOptions {
  /** 0 (the default) lets the OS pick a free port. */
  port?: number;
  host?: string;
  /** Prism's own log lines and one line per request. */
  verbose?: boolean;
  /** Invalid requests fail with problem+json naming every violation; invalid responses too (Prism's `--errors`). */
  strict?: boolean;
  /** Where verbose lines go (default: stderr). */
  log?: LogSink;
  /** Documents to serve instead of the bundled specs, by vendor (tests use it to serve a broken spec). */
  docs?: Readonly<Record<string, OpenApiDocument>>;
  /**
   * Refuse to start when an operation's default answer has no documented example (naming each), instead of
   * answering one generated from the schema and listing it in `warnings`.
   */
  requireExamples?: boolean;
}

export interface RunningMock {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Base URL per vendor: `{ odyssee: 'http://127.0.0.1:4010/odyssee', … }`. */
  bases: Record<string, string>;
  /**
   * What a partner should know at start-up, one line each: operations whose default answer the spec documents no
   * example for (answered from the schema until it does), and responses the mock could not give a valid example.
   */
  warnings: string[];
  /** The operations (and iVvy actions) whose default answer has no documented example. */
  missingExamples: MissingExample[];
  close(): Promise<void>;
}

/**
 * Starts the mock: checks every example of every spec (refusing to start, naming each invalid one), builds one
 * Prism engine per vendor, listens, and resolves once every vendor's API answers a request.
 */
export async function startMock(options: MockOptions = {}): Promise<RunningMock> {
  const { port = 0, host = '127.0.0.1', verbose = false, strict = false } = options;
  const log: LogSink | undefined = verbose ? (options.log ?? ((line) => process.stderr.write(`${line}\n`))) : undefined;
  const docs = await Promise.all(
    vendors.map(async (v) => [v.name, options.docs?.[v.name] ?? (await loadSpec(v.name))] as const),
  );

  const failures: ExampleProblem[] = [];
  const engines: VendorEngine[] = [];
  for (const [vendor, doc] of docs) {
    const strictValidator = new SpecValidator(vendor, doc);
    const coercing = new SpecValidator(`${vendor}-xml`, doc, { coerceTypes: true });
    const problems = checkExamples(vendor, doc, { strict: strictValidator, coercing });
    if (problems.length > 0) failures.push(...problems);
    else engines.push(await VendorEngine.create(vendor, doc, { strict, ...(log ? { log } : {}) }, strictValidator));
  }
  if (failures.length > 0) throw new InvalidExamplesError(failures);
  const missingExamples = engines.flatMap((e) => e.missing);
  if (options.requireExamples && missingExamples.length > 0) throw new MissingExamplesError(missingExamples);

  const server = createMockServer(engines, log);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  const close = () =>
    new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    });
  try {
    await Promise.all(engines.map((e) => probe(`${url}${e.prefix}/`)));
  } catch (error) {
    await close();
    throw error;
  }
  return {
    url,
    bases: Object.fromEntries(engines.map((e) => [e.vendor, `${url}${e.prefix}`])),
    warnings: [
      ...missingExamples.map(describeMissing),
      ...engines.flatMap((e) => e.warnings.map((w) => `${e.vendor}: no valid example for ${w}`)),
    ],
    missingExamples,
    close,
  };
}

/** `odyssee: getTask (GET /api/Task({id})) documents no 200 example (application/json, …): …` */
export function describeMissing(m: MissingExample): string {
  return `${m.vendor}: ${m.operation} (${m.method} ${m.path}) documents no ${m.status} example (${m.mediaTypes.join(', ')}); until it does, its default answer is generated from the schema`;
}

/** The mock refuses to start: operations whose default answer the spec documents no example for. */
export class MissingExamplesError extends Error {
  override name = 'MissingExamplesError';
  readonly missing: readonly MissingExample[];
  constructor(missing: readonly MissingExample[]) {
    super(
      `${missing.length} operation(s) have no documented example for their default answer:\n${missing.map((m) => `  - ${describeMissing(m).split(';')[0]}`).join('\n')}`,
    );
    this.missing = missing;
  }
}

/**
 * One request to a vendor's prefix: any answer from the engine proves it serves (the vendor's own answer to a path
 * it does not have: Odyssee's and iVvy's JSON errors, R7-Office's HTML 404 page).
 */
async function probe(base: string): Promise<void> {
  let last: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const res = await fetch(base, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.headers.get('content-type')) return;
      last = new Error(`${base} answered ${res.status} without a Content-Type`);
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 50 * (attempt + 1)));
  }
  throw new Error(`the mock does not answer at ${base}: ${(last as Error).message}`);
}
