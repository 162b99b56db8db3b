import {
  deref,
  localPrefix,
  type OpenApiDocument,
  requestSchemaPointer,
  resolvePointer,
  responseSchemaPointer,
  SpecValidator,
} from '../spec/index.ts';
import { type MockAnswer, onSide, problemAnswer, violationsHeader } from './answer.ts';
import { fillExamples } from './fill.ts';
import { type LogSink, prismLogger } from './logger.ts';
import type { Preferences } from './prefer.ts';
import {
  type IHttpConfig,
  type IHttpRequest,
  isError,
  mockConfig,
  type PrismInstance,
  type PrismResult,
  prismInstance,
  type Resource,
  responseViolationsProblem,
  runPrism,
  toViolation,
  violationsProblem,
} from './prism.ts';
import { pruneToValid } from './repair.ts';
import { buildRoutes, findRoute, type ResourceInfo, type Route } from './routes.ts';
import { isXmlMediaType, readXmlBody, renderXml, type Violation, xmlNames } from './xml.ts';

/** A request as the HTTP front hands it over: the vendor's own path (prefix stripped), the body parsed if JSON. */
export interface MockRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: unknown;
}

export interface EngineOptions {
  /** Invalid requests and responses answer problem+json with every violation (Prism's `--errors`). */
  strict: boolean;
  /** Where Prism's log lines go; none: Prism is quiet. */
  log?: LogSink;
}

export type { MockAnswer };

/**
 * One vendor's mock: the spec's operations as Prism resources behind a small router of our own (`routes.ts`),
 * which gives each request one resource (an action's own view for iVvy); the engine reads XML bodies and picks
 * the documented answer to an invalid request. Prism does the rest: security and request validation, response
 * negotiation, examples, `Prefer` and dynamic generation.
 */
export class VendorEngine {
  readonly vendor: string;
  readonly doc: OpenApiDocument;
  readonly prefix: string;
  /** Responses the start-up could not give a valid example (none for the current specs; a test checks). */
  readonly warnings: string[] = [];
  readonly #options: EngineOptions;
  readonly #prism: PrismInstance;
  readonly #strict: SpecValidator;
  readonly #coercing: SpecValidator;
  readonly #routes: Route[] = [];
  readonly #all: Resource[] = [];
  readonly #info = new Map<Resource, ResourceInfo>();

  private constructor(vendor: string, doc: OpenApiDocument, options: EngineOptions, validators: SpecValidator[]) {
    this.vendor = vendor;
    this.doc = doc;
    this.prefix = localPrefix(doc);
    this.#options = options;
    this.#prism = prismInstance(prismLogger(vendor, options.log));
    [this.#strict, this.#coercing] = validators as [SpecValidator, SpecValidator];
  }

  static async create(
    vendor: string,
    doc: OpenApiDocument,
    options: EngineOptions,
    validators = [new SpecValidator(vendor, doc), new SpecValidator(`${vendor}-xml`, doc, { coerceTypes: true })],
  ): Promise<VendorEngine> {
    const engine = new VendorEngine(vendor, doc, options, validators);
    await engine.#build();
    return engine;
  }

  async #build(): Promise<void> {
    const { routes, all, info } = await buildRoutes(this.vendor, this.doc);
    this.#routes.push(...routes);
    this.#all.push(...all);
    const quiet = prismInstance(prismLogger(this.vendor));
    const made = new Map<string, unknown>();
    for (const [resource, about] of info) {
      this.#info.set(resource, about);
      this.warnings.push(...(await fillExamples(quiet, this.doc, resource, about.located, this.#strict, made)));
    }
  }

  async handle(request: MockRequest, preferences: Preferences): Promise<MockAnswer> {
    const route = findRoute(this.#routes, request.method, request.path);
    if (!route) return this.#finish(await this.#run(request, request.body, this.#all, preferences), preferences);
    let resource = route.resource;
    if (route.selector) {
      const action = request.query.get(route.selector.parameter);
      const own = action === null ? undefined : route.selector.resources.get(action);
      if (!own) return this.#unknownAction(request, route, preferences);
      resource = own;
    }
    const info = this.#info.get(resource) as ResourceInfo;

    let body = request.body;
    let ours: Violation[] = [];
    let xmlRead = false;
    const mediaType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (isXmlMediaType(mediaType) && typeof body === 'string' && body !== '') {
      const pointer = requestSchemaPointer(this.doc, info.located, mediaType);
      if (pointer) {
        const read = readXmlBody(body, this.#coercing.at(pointer), this.#xmlRoot(pointer));
        body = read.value;
        ours = read.violations;
        xmlRead = true;
      }
    }

    const first = await this.#run(request, body, [resource], preferences);
    if (first._tag === 'Left') return problemAnswer(first.left);
    const prismErrors = first.right.validations.input.filter(isError);
    const violations = [...prismErrors.filter((d) => !xmlRead || d.path?.[0] !== 'body').map(toViolation), ...ours];
    if (violations.length === 0) {
      if (prismErrors.length === 0) return this.#finish(first, preferences, info);
      // Prism judged the XML body by its own rules; ours (the sandbox's) found it valid.
      return this.#finish(
        await this.#run(request, body, [resource], preferences, { validateRequest: false }),
        preferences,
        info,
      );
    }
    if (this.#options.strict) return problemAnswer(violationsProblem(violations), violations);
    // A missing credential or an unsupported content type: Prism already chose the documented 401 or 415.
    if (violations.some((v) => v.code === 401 || v.code === 415) && prismErrors.length > 0)
      return this.#finish(first, preferences, info);
    if (preferences.code === undefined && info.schemaError) {
      const { status, example } = info.schemaError;
      const answer = await this.#run(
        request,
        body,
        [resource],
        preferences,
        { validateRequest: false },
        { code: status, exampleKey: example },
      );
      return this.#finish(answer, preferences, info, violations);
    }
    if (prismErrors.length > 0) return this.#finish(first, preferences, info, violations);
    // Only the XML reading found fault: answer as Prism answers an invalid request (422, else 400, else a problem).
    const fallback = ['422', '400'].find((code) => resource.responses.some((r) => r.code === code));
    if (!fallback) return problemAnswer(violationsProblem(violations), violations);
    const answer = await this.#run(
      request,
      body,
      [resource],
      preferences,
      { validateRequest: false },
      { code: Number(fallback) },
    );
    return this.#finish(answer, preferences, info, violations);
  }

  /** An action the operation does not have: the documented 404 (an unknown endpoint), else 400. */
  async #unknownAction(request: MockRequest, route: Route, preferences: Preferences): Promise<MockAnswer> {
    const status = route.entry.operation.responses['404'] ? 404 : 400;
    const action = request.query.get(route.selector?.parameter ?? '');
    const violation: Violation = {
      path: ['query', route.selector?.parameter ?? 'action'],
      code: 'enum',
      message: `${action === null ? 'no action' : `action ${action}`} is not one of ${[...(route.selector?.resources.keys() ?? [])].join(', ')}`,
      severity: 'Error',
    };
    const answer = await this.#run(
      request,
      request.body,
      [route.resource],
      preferences,
      { validateRequest: false },
      { code: status },
    );
    return this.#finish(answer, preferences, this.#info.get(route.resource), [violation]);
  }

  #run(
    request: MockRequest,
    body: unknown,
    resources: Resource[],
    preferences: Preferences,
    options: { validateRequest?: boolean } = {},
    forced: Partial<IHttpConfig['mock']> = {},
  ): Promise<PrismResult> {
    const input: IHttpRequest = {
      method: request.method.toLowerCase() as IHttpRequest['method'],
      url: { path: request.path, query: nameValues(request.query) },
      headers: request.headers,
      body,
    };
    const mock: Partial<IHttpConfig['mock']> = {
      dynamic: preferences.dynamic ?? false,
      ...(preferences.code !== undefined ? { code: preferences.code } : {}),
      ...(preferences.example !== undefined ? { exampleKey: preferences.example } : {}),
      ...(preferences.seed !== undefined ? { seed: preferences.seed } : {}),
      ...forced,
    };
    // `Prefer: example=<name>` without a media type asked for: answer in the media type that has that example.
    const accept = request.headers.accept?.trim();
    if (mock.exampleKey && (!accept || accept === '*/*') && resources.length === 1) {
      const code = mock.code === undefined ? undefined : String(mock.code);
      const holder = resources[0]?.responses
        .filter((r) => (code ? r.code === code : /^2/.test(r.code)))
        .flatMap((r) => r.contents ?? [])
        .find((c) => c.examples?.some((e) => e.key === mock.exampleKey));
      if (holder) mock.mediaTypes = [holder.mediaType];
    }
    return runPrism(this.#prism, input, resources, mockConfig({ errors: this.#options.strict, ...options }, mock));
  }

  /**
   * Prism's output as an HTTP answer. Examples were all checked at start-up, so only a dynamic body is checked
   * here (by the spec's validator, as the contract suite checks): what breaks the schema is pruned, and what stays
   * broken is a response violation (`sl-violations`; strict mode answers Prism's `--errors` problem instead).
   */
  #finish(result: PrismResult, preferences: Preferences, info?: ResourceInfo, input?: Violation[]): MockAnswer {
    if (result._tag === 'Left') return problemAnswer(result.left, input);
    const { output, validations } = result.right;
    const inputViolations = input ?? validations.input.map(toViolation);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(output.headers ?? {}))
      if (value !== null && value !== undefined) headers[name.toLowerCase()] = String(value);
    const mediaType = (headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    const status = String(output.statusCode);
    const pointer = info && mediaType ? responseSchemaPointer(this.doc, info.located, status, mediaType) : undefined;
    let body = output.body;
    const outputViolations: Violation[] = [];
    if (preferences.dynamic && !preferences.example && pointer) {
      const validate = this.#strict.at(pointer);
      const repaired = typeof body === 'object' && body !== null ? pruneToValid(body, validate) : undefined;
      if (repaired) body = repaired.value;
      if (!(repaired?.valid ?? validate(body)))
        for (const e of validate.errors ?? [])
          outputViolations.push({
            path: ['body', ...e.instancePath.split('/').filter(Boolean)],
            code: e.keyword,
            message: `body${e.instancePath} ${e.message ?? 'is invalid'}`,
            severity: 'Error',
          });
    }
    if (this.#options.strict && outputViolations.length > 0)
      return problemAnswer(responseViolationsProblem(outputViolations), inputViolations);
    const violations = [
      ...inputViolations.map((v) => onSide('request', v)),
      ...outputViolations.map((v) => onSide('response', v)),
    ];
    if (violations.length > 0) headers['sl-violations'] = violationsHeader(violations);
    return { status: output.statusCode, headers, body: this.#serialise(body, mediaType, pointer) };
  }

  #serialise(body: unknown, mediaType: string, pointer: string | undefined): string {
    if (body === undefined || body === null) return body === null && /json/.test(mediaType) ? 'null' : '';
    if (isXmlMediaType(mediaType)) {
      const names = pointer ? this.#xmlNames(pointer) : { items: new Map<string, string>() };
      return renderXml(this.vendor, body, names.root, names.items);
    }
    if (typeof body === 'string' && !/json/.test(mediaType)) return body;
    return JSON.stringify(body);
  }

  #xmlRoot(pointer: string): string | undefined {
    return this.#xmlNames(pointer).root;
  }

  readonly #names = new Map<string, ReturnType<typeof xmlNames>>();
  #xmlNames(pointer: string): ReturnType<typeof xmlNames> {
    let names = this.#names.get(pointer);
    if (!names) {
      const resolve = (node: unknown) =>
        node && typeof node === 'object'
          ? deref<Record<string, unknown>>(this.doc, node as Record<string, unknown>)
          : undefined;
      names = xmlNames(resolve, resolvePointer(this.doc, pointer));
      this.#names.set(pointer, names);
    }
    return names;
  }
}

function nameValues(query: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(query.keys())) {
    const values = query.getAll(key);
    out[key] = values.length === 1 ? (values[0] as string) : values;
  }
  return out;
}
