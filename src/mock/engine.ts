import type { StageContext } from '../server/app.ts';
import { answerMediaType, runChecks } from '../server/checks.ts';
import { VendorError } from '../server/errors.ts';
import { isXmlMediaType, mediaTypeOf } from '../server/media-type.ts';
import type { Answer } from '../server/reply.ts';
import { XmlBody } from '../server/xml-body.ts';
import { localPrefix, type OpenApiDocument, responseSchemaPointer, type SpecValidator } from '../spec/index.ts';
import { parsePointer } from '../spec/json.ts';
import { parseXml } from '../xml/parse.ts';
import { type MockAnswer, onSide, problemAnswer, violationsHeader } from './answer.ts';
import { fillExamples, generatedExampleKey } from './fill.ts';
import { type LogSink, prismLogger } from './logger.ts';
import { defaultStatus, resolveExample } from './named.ts';
import { type PathId, pathIds, withPathIds } from './path-ids.ts';
import type { Preferences } from './prefer.ts';
import {
  type IHttpConfig,
  type IHttpRequest,
  mockConfig,
  type PrismInstance,
  type PrismResult,
  prismInstance,
  type Resource,
  responseViolationsProblem,
  runPrism,
} from './prism.ts';
import { pruneToValid } from './repair.ts';
import { buildRoutes, type ResourceInfo, type Route } from './routes.ts';
import type { Violation } from './xml.ts';

export interface EngineOptions {
  /** Responses that break the spec answer problem+json with every violation (Prism's `--errors`). */
  strict: boolean;
  /** Where Prism's log lines go; none: Prism is quiet. */
  log?: LogSink;
}

/** An operation (or iVvy action) whose default answer the spec gives no example for. */
export interface MissingExample {
  vendor: string;
  operation: string;
  method: string;
  path: string;
  status: string;
  mediaTypes: string[];
}

/**
 * One vendor's mock answers. The request pipeline (src/server/app.ts) has routed the request and checked it exactly
 * as the sandbox does, the vendor's error for any refusal; this engine picks the answer a valid request gets (the
 * status and example `Prefer` names, the media type) and Prism assembles it from the spec: the example, its headers,
 * dynamic generation. A success answer addressed by key carries the URL's id (`path-ids.ts`).
 */
export class VendorEngine {
  readonly vendor: string;
  readonly doc: OpenApiDocument;
  readonly prefix: string;
  /** Responses the start-up could not give a valid example (none for the current specs; a test checks). */
  readonly warnings: string[] = [];
  /** Operations whose default answer has no documented example: they answer one generated from the schema. */
  readonly missing: MissingExample[] = [];
  readonly #options: EngineOptions;
  readonly #prism: PrismInstance;
  readonly #strict: SpecValidator;
  #routes = new Map<string, Route>();
  readonly #info = new Map<Resource, ResourceInfo>();
  readonly #ids = new Map<string, PathId[]>();

  private constructor(vendor: string, doc: OpenApiDocument, options: EngineOptions, validator: SpecValidator) {
    this.vendor = vendor;
    this.doc = doc;
    this.prefix = localPrefix(doc);
    this.#options = options;
    this.#prism = prismInstance(prismLogger(vendor, options.log));
    this.#strict = validator;
  }

  static async create(
    vendor: string,
    doc: OpenApiDocument,
    options: EngineOptions,
    validator: SpecValidator,
  ): Promise<VendorEngine> {
    const engine = new VendorEngine(vendor, doc, options, validator);
    await engine.#build();
    return engine;
  }

  async #build(): Promise<void> {
    const { routes, info } = await buildRoutes(this.vendor, this.doc);
    this.#routes = routes;
    for (const route of routes.values()) this.#ids.set(route.entry.operationId, pathIds(this.doc, route.entry));
    const quiet = prismInstance(prismLogger(this.vendor));
    const made = new Map<string, unknown>();
    for (const [resource, about] of info) {
      this.#info.set(resource, about);
      this.warnings.push(...(await fillExamples(quiet, this.doc, resource, about.located, this.#strict, made)));
    }
    for (const route of routes.values()) {
      const resources = route.selector
        ? [...route.selector.resources.entries()]
        : [[undefined, route.resource] as const];
      for (const [action, resource] of resources) {
        const status = defaultStatus(resource);
        const contents = resource.responses.find((r) => r.code === status)?.contents ?? [];
        const generated = contents.filter((c) => c.examples?.[0]?.key === generatedExampleKey);
        if (status && generated.length > 0 && generated.length === contents.length)
          this.missing.push({
            vendor: this.vendor,
            operation: action ?? route.entry.operationId,
            method: route.entry.method.toUpperCase(),
            path: route.entry.path,
            status,
            mediaTypes: generated.map((c) => c.mediaType),
          });
      }
    }
  }

  /** The answer to a request that passed every check of the pipeline. */
  async answer(ctx: StageContext, preferences: Preferences): Promise<Answer> {
    const { route: spec, state, request } = ctx;
    const route = this.#routes.get(spec.operationId);
    if (!route) throw new Error(`${this.vendor}: no Prism resource for ${spec.operationId}`);
    const resource = (state.action ? route.selector?.resources.get(state.action) : undefined) ?? route.resource;
    const picked = await pickExample(ctx, route, resource, preferences);
    if ('answer' in picked) return picked.answer;
    const { status, exampleKey } = picked;
    const response = resource.responses.find((r) => r.code === String(status ?? defaultStatus(resource) ?? ''));
    const mediaType = response ? responseMediaType(ctx, response, exampleKey) : undefined;
    const params = request.params as Record<string, string>;
    const forced: Partial<IHttpConfig['mock']> = {
      ...(status !== undefined ? { code: status } : {}),
      ...(exampleKey ? { exampleKey } : {}),
      ...(mediaType ? { mediaTypes: [mediaType] } : {}),
    };
    const result = await this.#run(
      {
        method: request.method.toLowerCase() as IHttpRequest['method'],
        url: { path: canonicalPath(spec.specPath, params), query: request.query as Record<string, string> },
        headers: request.headers as Record<string, string>,
        body: state.body instanceof XmlBody ? state.body.value : state.body,
      },
      [resource],
      { ...preferences, example: undefined },
      forced,
    );
    return this.#finish(result, preferences, this.#info.get(resource), spec.operationId, decoded(params));
  }

  #run(
    input: IHttpRequest,
    resources: Resource[],
    preferences: Preferences,
    forced: Partial<IHttpConfig['mock']> = {},
  ): Promise<PrismResult> {
    const mock: Partial<IHttpConfig['mock']> = {
      dynamic: preferences.dynamic ?? false,
      ...(preferences.code !== undefined ? { code: preferences.code } : {}),
      ...(preferences.seed !== undefined ? { seed: preferences.seed } : {}),
      ...forced,
    };
    const config = mockConfig({ errors: this.#options.strict, validateRequest: false, checkSecurity: false }, mock);
    return runPrism(this.#prism, input, resources, config);
  }

  /**
   * Prism's output as an HTTP answer. Examples were all checked at start-up, so only a dynamic body is checked
   * here (by the spec's validator, as the contract suite checks): what breaks the schema is pruned, and what stays
   * broken is a response violation (`sl-violations`; strict mode answers Prism's `--errors` problem instead). A
   * static success answer carries the URL's id (`path-ids.ts`).
   */
  #finish(
    result: PrismResult,
    preferences: Preferences,
    info: ResourceInfo | undefined,
    operationId: string,
    params: Record<string, string>,
  ): Answer {
    if (result._tag === 'Left') return toAnswer(problemAnswer(result.left));
    const { output } = result.right;
    const headers = outputHeaders(output.headers);
    const mediaType = mediaTypeOf(headers['content-type']);
    const status = String(output.statusCode);
    const dynamic = preferences.dynamic && !preferences.example;
    const checked = dynamic
      ? this.#checkGenerated(output.body, info, status, mediaType)
      : { body: output.body, violations: [] };
    let body = checked.body;
    if (!dynamic && /^2/.test(status)) body = withPathIds(body, this.#ids.get(operationId) ?? [], params);
    if (this.#options.strict && checked.violations.length > 0)
      return toAnswer(problemAnswer(responseViolationsProblem(checked.violations)));
    if (checked.violations.length > 0)
      headers['sl-violations'] = violationsHeader(checked.violations.map((v) => onSide('response', v)));
    const { 'content-type': _prisms, ...rest } = headers;
    // The body as the vendor writes it (its JSON writer, its XML), in the media type Prism answered.
    if (body === undefined || body === '')
      return { status: output.statusCode, headers: rest, payload: '', contentType: mediaType || 'text/plain' };
    return { status: output.statusCode, headers: rest, body, ...(mediaType ? { mediaType } : {}) };
  }

  /** A generated body against its schema: what breaks it pruned, what stays broken as response violations. */
  #checkGenerated(
    generated: unknown,
    info: ResourceInfo | undefined,
    status: string,
    mediaType: string,
  ): { body: unknown; violations: Violation[] } {
    const pointer = info && mediaType ? responseSchemaPointer(this.doc, info.located, status, mediaType) : undefined;
    if (!pointer) return { body: generated, violations: [] };
    const validate = this.#strict.at(pointer);
    const repaired =
      typeof generated === 'object' && generated !== null ? pruneToValid(generated, validate) : undefined;
    const body = repaired ? repaired.value : generated;
    if (repaired?.valid ?? validate(body)) return { body, violations: [] };
    const violations = (validate.errors ?? []).map(
      (e): Violation => ({
        path: ['body', ...parsePointer(e.instancePath)],
        code: e.keyword,
        message: `body${e.instancePath} ${e.message ?? 'is invalid'}`,
        severity: 'Error',
      }),
    );
    return { body, violations };
  }
}

/** Prism's output headers, names in lower case, the unset ones left out. */
function outputHeaders(headers: Readonly<Record<string, unknown>> | undefined): Record<string, string> {
  const written: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {}))
    if (value !== null && value !== undefined) written[name.toLowerCase()] = String(value);
  return written;
}

/**
 * What `Prefer: example=` picks: a response example (its status and key); a request example the spec gives no
 * answer of its own (the answer to exactly that request, its body checked by the vendor's own checks, so a
 * documented-invalid sample gets the vendor's refusal); or, for an unknown name, Prism's 404.
 */
async function pickExample(
  ctx: StageContext,
  route: Route,
  resource: Resource,
  preferences: Preferences,
): Promise<{ answer: Answer } | { status: number | undefined; exampleKey?: string }> {
  const status = preferences.code;
  if (preferences.example === undefined) return { status };
  const named = resolveExample(resource, preferences.example, preferences.code);
  if (named.kind === 'unknown') return { answer: exampleNotFound(route, ctx.state.action, preferences, named.names) };
  if (named.kind === 'response') return { status: named.status, exampleKey: named.key };
  if (status === undefined) {
    const { state } = ctx;
    const body = isXmlMediaType(named.mediaType) ? xmlBody(named.value) : named.value;
    const headers = { ...state.headers, 'content-type': named.mediaType };
    await runChecks({ ...ctx, state: { ...state, headers, body } }, { credentials: 'present', stateful: false }, [
      'media-type',
      'body',
    ]);
  }
  return { status };
}

type PrismResponse = Resource['responses'][number];

/**
 * The media type of the answer: the one holding the named example when no media type is asked for, else the one the
 * checks chose or the request negotiates; a named example moves it to a media type that has it, whatever else.
 */
function responseMediaType(
  ctx: StageContext,
  response: PrismResponse,
  exampleKey: string | undefined,
): string | undefined {
  const { state, request, definition } = ctx;
  const offered = (response.contents ?? []).map((c) => c.mediaType);
  const holds = (m: string | undefined) =>
    response.contents?.some((c) => c.mediaType === m && c.examples?.some((e) => e.key === exampleKey));
  const chosen =
    namedExampleHolder(ctx, response, exampleKey) ??
    (state.mediaType && offered.includes(state.mediaType) ? state.mediaType : undefined);
  let negotiated = chosen ?? answerMediaType(ctx, offered);
  if (exampleKey && !holds(negotiated))
    negotiated = response.contents?.find((c) => holds(c.mediaType))?.mediaType ?? negotiated;
  if (offered.length > 0 && negotiated === undefined)
    throw new VendorError(definition.errorKeys.notAcceptable, [
      { target: 'Accept', message: `cannot answer in ${request.headers.accept}; offered: ${offered.join(', ')}` },
    ]);
  return negotiated;
}

/** `Prefer: example=<name>` and no media type asked for: the media type that has that example. */
function namedExampleHolder(
  ctx: StageContext,
  response: PrismResponse,
  exampleKey: string | undefined,
): string | undefined {
  const accept = ctx.request.headers.accept?.trim();
  if (!exampleKey || (accept && accept !== '*/*') || ctx.definition.responseMediaType) return undefined;
  return response.contents?.find((c) => c.examples?.some((e) => e.key === exampleKey))?.mediaType;
}

/** The request's path written with the operation's own template (an alias's path for Prism, which knows none). */
function canonicalPath(template: string, params: Readonly<Record<string, string>>): string {
  return template.replace(/\{([^}]+)\}/g, (_m, name: string) => params[name] ?? '');
}

/** An XML example's text as the pipeline's XML parser leaves a body. */
function xmlBody(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const parsed = parseXml(value);
  return new XmlBody(parsed.root, parsed.value);
}

/** The path parameters as the vendor reads them (percent-decoded); one that does not decode stays as sent. */
function decoded(params: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(params).map(([name, raw]) => {
      try {
        return [name, decodeURIComponent(raw)];
      } catch {
        return [name, raw];
      }
    }),
  );
}

/** A mock answer (already written) as the pipeline sends it. */
function toAnswer(answer: MockAnswer): Answer {
  const { 'content-type': contentType = 'application/json', ...headers } = answer.headers;
  return { status: answer.status, payload: answer.body, contentType, headers };
}

/** Prism's "example not found" (404 problem+json), naming the examples the operation does have. */
function exampleNotFound(route: Route, action: string | undefined, preferences: Preferences, names: string[]): Answer {
  const operation = route.selector && action ? action : route.entry.operationId;
  const where = preferences.code === undefined ? '' : ` in its ${preferences.code} answer`;
  const detail = `${operation} has no example "${preferences.example}"${where}; its examples: ${names.join(', ') || '(none)'}.`;
  return {
    status: 404,
    contentType: 'application/problem+json',
    payload: JSON.stringify({
      type: 'https://stoplight.io/prism/errors#NOT_FOUND',
      title: 'The server cannot find the requested content',
      status: 404,
      detail,
      operation,
      examples: names,
    }),
  };
}
