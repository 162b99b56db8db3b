/**
 * The mock: every vendor's spec on one port, stateless, answering from the specs' examples with Prism.
 *
 * Design: the sandbox's own request pipeline (src/server/app.ts) with a different answering stage, not Prism's HTTP
 * server. A request is routed (an `x-aliases` template as its path, an iVvy action by its query) and checked exactly
 * as the sandbox checks it, by the same modules and the vendor's own order, so a refusal is the sandbox's refusal:
 * the vendor's status and error body naming the fields that are wrong. Only two things differ: credentials are only
 * looked at (present, in the form the security scheme says; never verified), and a request that passes is answered
 * by Prism from the spec: the status and example `Prefer` names, the media type, dynamic generation.
 * - Prism serves one document per instance: each vendor gets its own Prism engine (`@stoplight/prism-http`), fed
 *   the bundled document from `loadSpec` (Prism follows neither `externalValue` nor the split files' refs).
 * - One process starts faster (one bundling pass, no child processes, ports or readiness polling), has no extra
 *   hop per request, stops with the caller, and `startMock()` runs inside a test process.
 *
 * Modules: `engine.ts` one vendor's answers; `named.ts` what `Prefer: example=` names; `path-ids.ts` the URL's id in
 * an answer; `prism.ts` the Prism calls; `routes.ts`, `actions.ts` (iVvy's per-action views); `examples.ts` the
 * start-up example check; `fill.ts` an example for every response that has none; `repair.ts`, `xml.ts`, `prefer.ts`,
 * `answer.ts`, `logger.ts`.
 */
import type { AddressInfo } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { loadConfig } from '../config.ts';
import { buildApp, type Stage } from '../server/app.ts';
import type { VendorError } from '../server/errors.ts';
import { registerIndex } from '../server/index-page.ts';
import type { VendorDefinition } from '../server/vendor-module.ts';
import { generatedVendorOf, loadSpec, type OpenApiDocument, SpecValidator } from '../spec/index.ts';
import { onSide, problemAnswer, violationsHeader } from './answer.ts';
import { type MissingExample, VendorEngine } from './engine.ts';
import { checkExamples, type ExampleProblem, InvalidExamplesError } from './examples.ts';
import type { LogSink } from './logger.ts';
import { type Preferences, readPreferences } from './prefer.ts';
import { violationsProblem } from './prism.ts';
import type { Violation } from './xml.ts';

export type { MissingExample } from './engine.ts';
export {
  assertExamplesValid,
  checkExamples,
  documentedInvalidExamples,
  type ExampleProblem,
  InvalidExamplesError,
} from './examples.ts';

export interface MockOptions {
  /** The vendors to serve (the registry, src/vendors/index.ts). */
  vendors: readonly VendorDefinition[];
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

declare module 'fastify' {
  interface FastifyRequest {
    /** The client's mock preferences (`Prefer`, or the `__code`-style query parameters). */
    mockPreferences?: Preferences;
  }
}

const problem = (reply: FastifyReply, status: number, type: string, title: string, detail: string) =>
  reply
    .code(status)
    .header('content-type', 'application/problem+json')
    .send(Buffer.from(JSON.stringify({ type: `https://stoplight.io/prism/errors#${type}`, title, status, detail })));

/**
 * A refusal's details as Prism's violations (`sl-violations`, strict mode's problem): where, what, which check (the
 * status for a refused credential or media type, as Prism codes them).
 */
function violationsOf(error: VendorError, status: number): Violation[] {
  return error.details.map((d) => ({
    path: [...(d.part ? [d.part] : []), ...(d.target && d.target !== d.part ? d.target.split('.') : [])],
    code: status === 401 || status === 415 ? status : (d.keyword ?? error.key),
    message: d.target ? `${d.target} ${d.message}` : d.message,
    severity: 'Error',
  }));
}

/**
 * Starts the mock: checks every example of every spec not already checked by `npm run generate` (refusing to start,
 * naming each invalid one), builds one Prism engine per vendor, listens, and resolves once every vendor's API answers
 * a request.
 */
export async function startMock(options: MockOptions): Promise<RunningMock> {
  const { port = 0, host = '127.0.0.1', verbose = false, strict = false } = options;
  const log: LogSink | undefined = verbose ? (options.log ?? ((line) => process.stderr.write(`${line}\n`))) : undefined;
  const specs = new Map(
    await Promise.all(
      options.vendors.map(async (v) => [v.name, options.docs?.[v.name] ?? (await loadSpec(v.name, v.spec))] as const),
    ),
  );

  const failures: ExampleProblem[] = [];
  const engines = new Map<string, VendorEngine>();
  for (const [vendor, doc] of specs) {
    const strictValidator = new SpecValidator(vendor, doc);
    // A current generated bundle's examples were all checked by `npm run generate` (and `check:generated`): not
    // again here. Any other document (an edited spec, one a test passes) is checked before it is served.
    if (generatedVendorOf(doc) !== vendor) {
      const coercing = new SpecValidator(vendor, doc, { coerceTypes: true });
      const problems = checkExamples(vendor, doc, { strict: strictValidator, coercing });
      if (problems.length > 0) {
        failures.push(...problems);
        continue;
      }
    }
    engines.set(vendor, await VendorEngine.create(vendor, doc, { strict, ...(log ? { log } : {}) }, strictValidator));
  }
  if (failures.length > 0) throw new InvalidExamplesError(failures);
  const missingExamples = [...engines.values()].flatMap((e) => e.missing);
  if (options.requireExamples && missingExamples.length > 0) throw new MissingExamplesError(missingExamples);

  const stage: Stage = {
    credentials: 'present',
    rateLimits: false,
    stateful: false,
    unknownPrefix(_request, reply, scopes) {
      const served = scopes.map((s) => s.prefix).join(', ');
      return problem(
        reply,
        404,
        'NO_PATH_MATCHED_ERROR',
        'Route not resolved, no path matched',
        `The mock serves ${served}.`,
      );
    },
    answer(ctx) {
      const engine = engines.get(ctx.definition.name) as VendorEngine;
      return engine.answer(ctx, ctx.request.mockPreferences ?? {});
    },
    refuse(error: VendorError, _request: FastifyRequest, reply: FastifyReply, scope) {
      const keys = scope.definition.errorKeys;
      const status = scope.catalogue.get(error.key).status;
      const violations = violationsOf(error, status);
      if (strict && error.key === keys.routeNotFound)
        return problem(reply, 404, 'NO_PATH_MATCHED_ERROR', 'Route not resolved, no path matched', error.message);
      if (strict && error.key === keys.methodNotAllowed)
        return problem(reply, 405, 'NO_METHOD_MATCHED_ERROR', 'Route resolved, but no method matched', error.message);
      if (strict) {
        const listed = violations.length
          ? violations
          : [{ path: [], code: error.key, message: error.message, severity: 'Error' as const }];
        const answer = problemAnswer(violationsProblem(listed), listed);
        return reply.code(answer.status).headers(answer.headers).send(Buffer.from(answer.body));
      }
      if (violations.length > 0)
        reply.header('sl-violations', violationsHeader(violations.map((v) => onSide('request', v))));
      return undefined;
    },
  };
  const config = Object.freeze({ ...loadConfig([], {}), logLevel: 'silent', rateLimit: false });
  const { app, scopes } = await buildApp({ vendors: options.vendors, specs, config, stage });
  registerIndex(app, scopes, {
    server: 'Mock',
    description:
      "Each vendor's task API under its prefix, answered from the spec's examples (Prefer: code=, example=, dynamic=true), stateless.",
    base: '/_mock',
    endpoints: {},
  });
  // Prism's own preferences, read before anything else: a malformed one is the client's error (Prism's 422).
  app.addHook('onRequest', async (request, reply) => {
    const url = new URL(request.url, 'http://mock.invalid');
    const prefer = request.headers.prefer;
    const read = readPreferences(Array.isArray(prefer) ? prefer.join(', ') : prefer, url.searchParams);
    if (!read.ok) return problem(reply, 422, 'UNPROCESSABLE_ENTITY', 'Invalid request', read.detail);
    request.mockPreferences = read.value;
  });
  if (log)
    app.addHook('onResponse', async (request, reply) => {
      log(`${request.method} ${request.url} → ${reply.statusCode} (${reply.elapsedTime.toFixed(1)} ms)`);
    });

  await app.listen({ port, host });
  const address = app.server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  const close = () => app.close();
  return {
    url,
    bases: Object.fromEntries(scopes.map((s) => [s.definition.name, `${url}${s.prefix}`])),
    warnings: [
      ...missingExamples.map(describeMissing),
      ...[...engines.values()].flatMap((e) => e.warnings.map((w) => `${e.vendor}: no valid example for ${w}`)),
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
