import { VendorError } from '../server/errors.ts';
import type { RouteSpec } from '../server/routes.ts';
import {
  deref,
  localPrefix,
  type OpenApiDocument,
  resolvePointer,
  responseSchemaPointer,
  SpecValidator,
} from '../spec/index.ts';
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
  toViolation,
  violationsProblem,
} from './prism.ts';
import { pruneToValid } from './repair.ts';
import { buildRoutes, findRoute, type ResourceInfo, type Route, type RouteMatch } from './routes.ts';
import { type Refusal, type VendorRequest, VendorRules } from './vendor.ts';
import { isXmlMediaType, renderXml, type Violation, xmlNames } from './xml.ts';

/** A request as the HTTP front hands it over: the vendor's own path (prefix stripped), the body parsed if JSON. */
export interface MockRequest {
  method: string;
  /** The URL as sent, prefix and query included. */
  url: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  /** undefined: no body; JSON parsed; anything else (or JSON that does not parse) as text. */
  body: unknown;
  /** The body was sent as JSON and does not parse. */
  malformedJson?: boolean;
  /** The body's bytes as received. */
  rawBody?: Buffer;
}

export interface EngineOptions {
  /** Invalid requests and responses answer problem+json with every violation (Prism's `--errors`). */
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

export type { MockAnswer };

/**
 * One vendor's mock. Our router (`routes.ts`) gives each request one operation (an action's own view for iVvy, an
 * alias as its path's own template). The vendor side (`vendor.ts`: the sandbox's validators and the vendor's own
 * error rendering) checks the request and renders its refusals; this engine picks the answer a valid request gets
 * (the status and example `Prefer` names, the media type) and Prism assembles it from the spec: security (a
 * credential present and well-formed), the example, headers, dynamic generation.
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
  readonly #rules: VendorRules | undefined;
  readonly #routes: Route[] = [];
  readonly #all: Resource[] = [];
  readonly #info = new Map<Resource, ResourceInfo>();
  readonly #ids = new Map<Route, PathId[]>();

  private constructor(vendor: string, doc: OpenApiDocument, options: EngineOptions, validator: SpecValidator) {
    this.vendor = vendor;
    this.doc = doc;
    this.prefix = localPrefix(doc);
    this.#options = options;
    this.#prism = prismInstance(prismLogger(vendor, options.log));
    this.#strict = validator;
    this.#rules = VendorRules.for(vendor, doc);
  }

  static async create(
    vendor: string,
    doc: OpenApiDocument,
    options: EngineOptions,
    validator = new SpecValidator(vendor, doc),
  ): Promise<VendorEngine> {
    const engine = new VendorEngine(vendor, doc, options, validator);
    await engine.#build();
    return engine;
  }

  async #build(): Promise<void> {
    const { routes, all, info } = await buildRoutes(this.vendor, this.doc);
    this.#routes.push(...routes);
    this.#all.push(...all);
    for (const route of routes) this.#ids.set(route, pathIds(this.doc, route.entry));
    const quiet = prismInstance(prismLogger(this.vendor));
    const made = new Map<string, unknown>();
    for (const [resource, about] of info) {
      this.#info.set(resource, about);
      this.warnings.push(...(await fillExamples(quiet, this.doc, resource, about.located, this.#strict, made)));
    }
    for (const route of routes) {
      const resources = route.selector
        ? [...route.selector.resources.entries()]
        : [[undefined, route.resource] as const];
      for (const [action, resource] of resources) {
        const status = defaultStatus(resource);
        const generated = (resource.responses.find((r) => r.code === status)?.contents ?? []).filter(
          (c) => c.examples?.[0]?.key === generatedExampleKey,
        );
        if (status && generated.length > 0)
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

  /** The vendor's answer to a body over the size limit (the sandbox's, in the vendor's shape), before routing. */
  tooLarge(request: Omit<MockRequest, 'body'>): MockAnswer | undefined {
    if (!this.#rules) return undefined;
    const answer = this.#rules.render(this.#rules.tooLarge(), this.#vendorRequest(request, undefined), undefined);
    return { ...answer, headers: { ...answer.headers, connection: 'close' } };
  }

  async handle(request: MockRequest, preferences: Preferences): Promise<MockAnswer> {
    const match = findRoute(this.#routes, request.method, request.path);
    if (!match) {
      // A path the API does not have is the vendor's own 404, as the sandbox answers it; a method the path does
      // not have stays Prism's 405, and strict mode keeps Prism's routing problems.
      const known = this.#routes.some((r) => r.templates.some((t) => t.pattern.test(request.path)));
      if (!known && this.#rules && !this.#options.strict) {
        const error = new VendorError(this.#rules.keys.routeNotFound, [
          { message: `${request.method} ${request.url} is not an operation of this API` },
        ]);
        return this.#refuse(
          { error, violations: [{ path: ['path'], code: 404, message: error.message, severity: 'Error' }] },
          this.#vendorRequest(request, undefined),
          undefined,
        );
      }
      return this.#finish(await this.#run(request, request.body, this.#all, preferences), preferences);
    }
    const spec = this.#rules?.route(match.route.entry.operationId);
    if (!this.#rules || !spec) return this.#prismOnly(request, match, preferences);
    const rules = this.#rules;
    const { route } = match;
    const action = route.selector ? request.query.get(route.selector.parameter) : null;
    const resource = (action === null ? undefined : route.selector?.resources.get(action)) ?? route.resource;
    const info = this.#info.get(resource) as ResourceInfo;
    const vendorRequest = this.#vendorRequest(request, match);

    // The sandbox's order: the body is read (a media type no parser reads, JSON that does not parse, XML it
    // refuses); the vendor authenticates (its checks before the credentials, then Prism's: a credential present
    // and well-formed); then parameters and body are checked.
    const read = rules.read(vendorRequest, spec);
    if (!read.ok) return this.#refuse(read, vendorRequest, spec);
    const { refusal, credentials } = rules.authenticate(vendorRequest, spec);
    if (refusal) return this.#refuse(refusal, vendorRequest, spec);
    const unauthorised = () => this.#unauthorised(request, match, resource, vendorRequest, spec, credentials);
    const checked = rules.check(spec, vendorRequest);
    if (!checked.ok) return (await unauthorised()) ?? this.#refuse(checked, vendorRequest, spec);

    let status = preferences.code;
    let exampleKey: string | undefined;
    if (preferences.example !== undefined) {
      const named = resolveExample(resource, preferences.example, preferences.code);
      if (named.kind === 'unknown')
        return (await unauthorised()) ?? exampleNotFound(route, action, preferences, named.names);
      if (named.kind === 'response') {
        status = named.status;
        exampleKey = named.key;
      } else if (status === undefined) {
        // A request example the spec gives no answer of its own: the answer to exactly that request.
        const { xml: _xml, rawBody: _raw, malformedJson: _malformed, ...rest } = vendorRequest;
        const example: VendorRequest = {
          ...rest,
          headers: { ...vendorRequest.headers, 'content-type': named.mediaType },
          body: named.value,
        };
        const asSent = rules.read(example, spec);
        const refused = asSent.ok ? rules.check(spec, example) : asSent;
        if (!refused.ok) return (await unauthorised()) ?? this.#refuse(refused, vendorRequest, spec);
      }
    }

    const answered = String(status ?? defaultStatus(resource) ?? '');
    const response = resource.responses.find((r) => r.code === answered);
    let mediaTypes: string[] | undefined;
    if (response) {
      const offered = (response.contents ?? []).map((c) => c.mediaType);
      const accept = request.headers.accept?.trim();
      // `Prefer: example=<name>` and no media type asked for: answer in the media type that has that example.
      const holder =
        exampleKey && (!accept || accept === '*/*') && !rules.module.responseMediaType
          ? response.contents?.find((c) => c.examples?.some((e) => e.key === exampleKey))?.mediaType
          : undefined;
      const chosen = holder ?? rules.mediaType(vendorRequest, spec, offered);
      // Nothing the client accepts: the vendor's 406 (strict mode: Prism's own negotiation and problem).
      if (offered.length > 0 && chosen === undefined && !this.#options.strict)
        return (
          (await unauthorised()) ??
          this.#refuse(
            {
              error: rules.notAcceptable(request.headers.accept, offered),
              violations: [
                {
                  path: ['header', 'accept'],
                  code: 406,
                  message: `cannot answer in ${request.headers.accept}; offered: ${offered.join(', ')}`,
                  severity: 'Error',
                },
              ],
            },
            vendorRequest,
            spec,
          )
        );
      if (chosen) mediaTypes = [chosen];
    }
    const forced: Partial<IHttpConfig['mock']> = {
      ...(status !== undefined ? { code: status } : {}),
      ...(exampleKey ? { exampleKey } : {}),
      ...(mediaTypes ? { mediaTypes } : {}),
    };
    const result = await this.#run(
      { ...request, path: match.canonicalPath },
      checked.body,
      [resource],
      { ...preferences, example: undefined },
      { validateRequest: false },
      forced,
    );
    return (
      this.#securityAnswer(result, resource, vendorRequest, spec, credentials) ??
      this.#finish(result, preferences, info, undefined, match)
    );
  }

  /** The request as the vendor side reads it. */
  #vendorRequest(
    request: Omit<MockRequest, 'body'> & { body?: unknown },
    match: RouteMatch | undefined,
  ): VendorRequest {
    return {
      method: request.method.toUpperCase(),
      url: request.url,
      params: match?.params ?? {},
      query: nameValues(request.query),
      headers: request.headers,
      body: request.body,
      ...(request.malformedJson ? { malformedJson: true } : {}),
      ...(request.rawBody ? { rawBody: request.rawBody } : {}),
    };
  }

  /** The vendor's refusal (its error, rendered as the sandbox renders it), or strict mode's problem. */
  #refuse(refusal: Refusal, vendorRequest: VendorRequest, spec: RouteSpec | undefined): MockAnswer {
    if (this.#options.strict) return problemAnswer(violationsProblem(refusal.violations), refusal.violations);
    const answer = (this.#rules as VendorRules).render(refusal.error, vendorRequest, spec);
    if (refusal.violations.length > 0)
      answer.headers['sl-violations'] = violationsHeader(refusal.violations.map((v) => onSide('request', v)));
    return answer;
  }

  /**
   * Prism's security check alone (a credential present and well-formed, as the security schemes say): its documented
   * 401 (a problem in strict mode) when the request fails it, else undefined. The vendor authenticates before it
   * looks at anything else of a request, so this comes before any refusal of ours.
   */
  async #unauthorised(
    request: MockRequest,
    match: RouteMatch,
    resource: Resource,
    vendorRequest?: VendorRequest,
    spec?: RouteSpec,
    credentials?: Refusal,
  ): Promise<MockAnswer | undefined> {
    const status = Number(defaultStatus(resource) ?? resource.responses[0]?.code ?? 200);
    const result = await this.#run(
      { ...request, path: match.canonicalPath },
      undefined,
      [resource],
      {},
      { validateRequest: false },
      { code: status },
    );
    return this.#securityAnswer(result, resource, vendorRequest, spec, credentials);
  }

  /**
   * The answer to a request Prism's security check refuses (undefined when it passes): the vendor's own refusal of
   * the credentials, as the sandbox renders it, else Prism's (the documented 401); strict mode's problem.
   */
  #securityAnswer(
    result: PrismResult,
    resource: Resource,
    vendorRequest?: VendorRequest,
    spec?: RouteSpec,
    credentials?: Refusal,
  ): MockAnswer | undefined {
    if (result._tag === 'Left')
      return (result.left as { status?: number }).status === 401 ? problemAnswer(result.left) : undefined;
    const violations = result.right.validations.input.map(toViolation).filter((v) => v.code === 401);
    if (violations.length === 0) return undefined;
    if (this.#options.strict) return problemAnswer(violationsProblem(violations), violations);
    if (credentials && vendorRequest)
      return this.#refuse(
        { error: credentials.error, violations: [...violations, ...credentials.violations] },
        vendorRequest,
        spec,
      );
    return this.#finish(result, {}, this.#info.get(resource), violations);
  }

  /** A document that is not the vendor's (a test fixture): Prism validates and answers on its own. */
  async #prismOnly(request: MockRequest, match: RouteMatch, preferences: Preferences): Promise<MockAnswer> {
    const { route } = match;
    let resource = route.resource;
    if (route.selector) {
      const action = request.query.get(route.selector.parameter);
      resource = (action === null ? undefined : route.selector.resources.get(action)) ?? resource;
    }
    const result = await this.#run({ ...request, path: match.canonicalPath }, request.body, [resource], preferences);
    return this.#finish(result, preferences, this.#info.get(resource), undefined, match);
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
    return runPrism(this.#prism, input, resources, mockConfig({ errors: this.#options.strict, ...options }, mock));
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
    info?: ResourceInfo,
    input?: Violation[],
    match?: RouteMatch,
  ): MockAnswer {
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
    const dynamic = preferences.dynamic && !preferences.example;
    if (dynamic && pointer) {
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
    if (!dynamic && match && /^2/.test(status))
      body = withPathIds(body, this.#ids.get(match.route) ?? [], decoded(match));
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

/** The path parameters as the vendor reads them (percent-decoded); one that does not decode stays as sent. */
function decoded(match: RouteMatch): Record<string, string> {
  return Object.fromEntries(
    Object.entries(match.params).map(([name, raw]) => {
      try {
        return [name, decodeURIComponent(raw)];
      } catch {
        return [name, raw];
      }
    }),
  );
}

/** Prism's "example not found" (404 problem+json), naming the examples the operation does have. */
function exampleNotFound(route: Route, action: string | null, preferences: Preferences, names: string[]): MockAnswer {
  const operation = route.selector && action ? action : route.entry.operationId;
  const where = preferences.code === undefined ? '' : ` in its ${preferences.code} answer`;
  const detail = `${operation} has no example "${preferences.example}"${where}; its examples: ${names.join(', ') || '(none)'}.`;
  return {
    status: 404,
    headers: { 'content-type': 'application/problem+json' },
    body: JSON.stringify({
      type: 'https://stoplight.io/prism/errors#NOT_FOUND',
      title: 'The server cannot find the requested content',
      status: 404,
      detail,
      operation,
      examples: names,
    }),
  };
}

function nameValues(query: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(query.keys())) {
    const values = query.getAll(key);
    out[key] = values.length === 1 ? (values[0] as string) : values;
  }
  return out;
}
