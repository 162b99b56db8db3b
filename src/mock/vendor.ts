/**
 * The vendor's own truth, shared with the sandbox rather than copied: the sandbox's routes and validators
 * (`src/server/routes.ts`), its error catalogue and AJV-to-detail mapping (`src/server/errors.ts`,
 * `src/server/validation-details.ts`), its media-type negotiation, and each vendor's `VendorModule`
 * (`src/vendors/<vendor>/index.ts`): `renderError` for the error body and `responseMediaType` for a vendor that
 * chooses its answer's format itself. What the mock cannot share is state (credentials are not verified, no
 * stored data), so a request is checked here in the sandbox's order from the first stateless check on:
 *
 *   body read (malformed JSON or XML) → path, query and header parameters → the action (iVvy) → the body
 *   (present when required, a content type the operation reads, the XML root, the schema)
 *
 * and the security check (Prism's: a credential present and well-formed) comes before the parameters, as the
 * vendor's authentication does.
 */
import { randomUUID } from 'node:crypto';
import { errorCodes, type FastifyRequest } from 'fastify';
import { type Config, settings } from '../config.ts';
import { BODY_LIMIT } from '../server/app.ts';
import { type CatalogueEntry, ErrorCatalogue, type ErrorDetail, VendorError } from '../server/errors.ts';
import { negotiate } from '../server/negotiate.ts';
import { type BodyValidators, buildRoutes, type RouteSpec } from '../server/routes.ts';
import { validationDetails } from '../server/validation-details.ts';
import type { VendorModule } from '../server/vendor-module.ts';
import type { OpenApiDocument } from '../spec/index.ts';
import { vendorModules } from '../vendors/index.ts';
import { parseXml, XmlRefusedError } from '../xml/parse.ts';
import type { MockAnswer } from './answer.ts';
import type { Violation } from './xml.ts';

export { BODY_LIMIT };

/** A request as the vendor side reads it: the path parameters decoded, the body as read (JSON parsed). */
export interface VendorRequest {
  method: string;
  /** The URL as sent, prefix and query included (what Fastify calls `request.url`). */
  url: string;
  params: Record<string, string>;
  query: Record<string, string | string[]>;
  headers: Record<string, string>;
  /** undefined: no body; a string: a body that is not JSON (or JSON that did not parse). */
  body: unknown;
  /** The body was sent as JSON but does not parse. */
  malformedJson?: boolean;
  /** The body's bytes as received (iVvy signs their MD5). */
  rawBody?: Buffer;
  /** An XML body as `read` parsed it: its root element and value (leaf values strings until validated). */
  xml?: { root: string; value: unknown };
}

/** Why a request is refused: the vendor's error (key and details) and the same facts as Prism-style violations. */
export interface Refusal {
  error: VendorError;
  violations: Violation[];
}

export type CheckResult = { ok: true; body: unknown } | ({ ok: false } & Refusal);

/**
 * One vendor's rules for the mock, or none when the document is not the vendor's (a test fixture without an
 * `x-errors` catalogue): then the mock answers invalid requests as Prism does.
 */
export class VendorRules {
  readonly module: VendorModule;
  readonly catalogue: ErrorCatalogue;
  readonly #routes: Map<string, RouteSpec>;

  private constructor(module: VendorModule, doc: OpenApiDocument) {
    this.module = module;
    this.catalogue = new ErrorCatalogue(doc);
    this.#routes = new Map(buildRoutes(module.name, doc).map((r) => [r.operationId, r]));
  }

  static for(vendor: string, doc: OpenApiDocument): VendorRules | undefined {
    const module = vendorModules.find((m) => m.name === vendor);
    if (!module || !doc['x-errors']) return undefined;
    const rules = new VendorRules(module, doc);
    const keys = Object.values(module.errorKeys).filter((k): k is string => typeof k === 'string');
    return keys.every((k) => rules.catalogue.has(k)) ? rules : undefined;
  }

  route(operationId: string): RouteSpec | undefined {
    return this.#routes.get(operationId);
  }

  get keys() {
    return this.module.errorKeys;
  }

  /**
   * What the sandbox's body parsers (Fastify's, and the core's content-type parsers) refuse before anything else of
   * the request is looked at: a body of a media type no parser reads, JSON that is empty or does not parse, XML it
   * refuses (a DOCTYPE, malformed XML). A body the parsers read is left in `request` as they leave it (XML parsed,
   * a form decoded); a body-less method's body is ignored, as Fastify ignores it.
   */
  read(request: VendorRequest, route: RouteSpec): CheckResult {
    const keys = this.keys;
    if (bodyless.has(request.method)) {
      request.body = undefined;
      return { ok: true, body: undefined };
    }
    const header = request.headers['content-type'];
    const mediaType = mediaTypeOf(request.headers);
    if (header === undefined) {
      if (request.body === undefined) return { ok: true, body: undefined };
      return refuse(new VendorError(keys.unsupportedMediaType, [{ message: 'Content-Type (none) is not supported' }]), [
        { path: ['header', 'content-type'], code: 415, message: 'a body without a Content-Type', severity: 'Error' },
      ]);
    }
    const declared = [route.body, ...(route.actions?.values() ?? [])].some((b) => b?.mediaTypes.includes(mediaType));
    if (!coreParsers.has(mediaType) && !declared) {
      const message = `Content-Type ${header} is not supported`;
      return refuse(new VendorError(keys.unsupportedMediaType, [{ message }]), [
        { path: ['header', 'content-type'], code: 415, message, severity: 'Error' },
      ]);
    }
    const text = typeof request.body === 'string' ? request.body : (request.rawBody?.toString('utf8') ?? '');
    if (jsonBodyTypes.has(mediaType)) {
      if (text === '' && request.body === undefined) {
        // An operation whose body is optional reads an empty JSON body as none (iVvy's parser reads it as `{}`).
        const optional = [route.body, ...(route.actions?.values() ?? [])].some((b) => b && !b.required);
        if (optional) return { ok: true, body: undefined };
        return malformed(keys, new errorCodes.FST_ERR_CTP_EMPTY_JSON_BODY());
      }
      if (request.malformedJson) return malformed(keys, new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY());
      return { ok: true, body: request.body };
    }
    if (xmlBodyTypes.has(mediaType)) {
      try {
        const parsed = parseXml(text);
        request.xml = { root: parsed.root, value: parsed.value };
        request.body = text;
        return { ok: true, body: parsed.value };
      } catch (error) {
        return malformed(keys, error instanceof XmlRefusedError ? error : new Error('the body is not XML'));
      }
    }
    if (mediaType === formBodyType) {
      request.body = formValue(text);
      return { ok: true, body: request.body };
    }
    request.body = text;
    return { ok: true, body: text };
  }

  /**
   * The vendor's own authentication, run with credentials nothing matches: what it refuses before it gets to the
   * credentials (iVvy's action, media types and signing headers, in iVvy's order) is a stateless check the mock
   * honours (`refusal`). Its refusal of the credentials (`credentials`) is the answer only when Prism's security
   * check finds them missing or malformed: the mock does not verify credentials, it wants them present and
   * well-formed as the security schemes describe them.
   */
  authenticate(request: VendorRequest, route: RouteSpec): { refusal?: Refusal; credentials?: Refusal } {
    if (!route.secured) return {};
    try {
      this.module.authenticate(asFastify(request, route), unmatchable, route);
    } catch (error) {
      if (!(error instanceof VendorError)) return {};
      const refusal = { error, violations: detailViolations(error) };
      return error.key === this.keys.unauthorized ? { credentials: refusal } : { refusal };
    }
    return {};
  }

  /**
   * The sandbox's stateless checks of a request read by `read`, in its order; the first failing step refuses it:
   * path, query and header parameters, the action (iVvy), then the body.
   */
  check(route: RouteSpec, request: VendorRequest): CheckResult {
    const keys = this.keys;
    const failures: ErrorDetail[] = [];
    const violations: Violation[] = [];
    const params: Record<string, unknown> = {};
    for (const [name, raw] of Object.entries(request.params)) {
      try {
        params[name] = decodeURIComponent(raw);
      } catch {
        return refuse(
          new VendorError(keys.validation, [
            { target: 'path', message: 'the path is not a valid URL (its % escapes)' },
          ]),
          [violation(['path', name], 'uri', `path.${name} is not a valid URL (its % escapes)`)],
        );
      }
    }
    const query: Record<string, unknown> = { ...request.query };
    const headers: Record<string, unknown> = { ...request.headers };
    for (const [part, validate, value] of [
      ['path', route.params, params],
      ['query', route.query, query],
      ['header', route.headers, headers],
    ] as const) {
      if (validate(value)) continue;
      failures.push(...validationDetails(validate.errors, part));
      violations.push(...ajvViolations(validate.errors, part));
    }

    let validators: BodyValidators | undefined = route.body;
    if (route.actions) {
      const action = typeof query.action === 'string' ? query.action : undefined;
      if (action === undefined || !route.actions.has(action))
        return refuse(
          new VendorError(keys.unknownAction ?? keys.validation, [
            { target: 'action', message: `unknown action ${String(query.action)}` },
          ]),
          [
            violation(
              ['query', 'action'],
              'enum',
              `${action === undefined ? 'no action' : `action ${action}`} is not one of ${[...route.actions.keys()].join(', ')}`,
            ),
          ],
        );
      validators = route.actions.get(action);
    }
    if (failures.length > 0) return refuse(new VendorError(keys.validation, failures), violations);
    return validators ? this.#checkBody(validators, request) : { ok: true, body: request.xml?.value ?? request.body };
  }

  /** The sandbox's `validateBody`: present when required, a media type the operation reads, the XML root, the schema. */
  #checkBody(validators: BodyValidators, request: VendorRequest): CheckResult {
    const keys = this.keys;
    const contentType = mediaTypeOf(request.headers);
    if (request.body === undefined) {
      if (!validators.required) return { ok: true, body: undefined };
      return refuse(new VendorError(keys.malformed, [{ message: 'the request has no body' }]), [
        violation(['body'], 'required', 'body is required'),
      ]);
    }
    const validator = validators.byMediaType.get(contentType);
    if (!validator) {
      const message = `Content-Type ${contentType || '(none)'} is not one of ${validators.mediaTypes.join(', ')}`;
      return refuse(new VendorError(keys.unsupportedMediaType, [{ message }]), [
        { path: ['header', 'content-type'], code: 415, message, severity: 'Error' },
      ]);
    }
    let value: unknown = request.body;
    if (request.xml) {
      if (validator.xmlRoot && request.xml.root !== validator.xmlRoot) {
        const message = `the XML root element must be <${validator.xmlRoot}>, not <${request.xml.root}>`;
        return refuse(new VendorError(validators.errorKey ?? keys.validation, [{ message }]), [
          violation(['body'], 'xml', `body ${message}`),
        ]);
      }
      value = request.xml.value;
    }
    if (!validator.validate(value)) {
      const errors = validator.validate.errors;
      return refuse(
        new VendorError(validators.errorKey ?? keys.validation, validationDetails(errors, 'body')),
        ajvViolations(errors, 'body'),
      );
    }
    return { ok: true, body: value };
  }

  /** The vendor's error for a body over the sandbox's limit. */
  tooLarge(): VendorError {
    return new VendorError(this.keys.payloadTooLarge, [{ message: `the body is larger than ${BODY_LIMIT} bytes` }]);
  }

  /** The vendor's error for an answer the client's `Accept` (or the vendor's own choice) rules out. */
  notAcceptable(accept: string | undefined, offered: readonly string[]): VendorError {
    return new VendorError(this.keys.notAcceptable, [
      { message: `cannot answer in ${accept}; offered: ${offered.join(', ')}` },
    ]);
  }

  /** The media type of the answer: the vendor's own choice where it makes one, else the sandbox's `Accept` negotiation. */
  mediaType(request: VendorRequest, route: RouteSpec, offered: readonly string[]): string | undefined {
    if (this.module.responseMediaType) return this.module.responseMediaType(asFastify(request, route), route, offered);
    return negotiate(request.headers.accept, offered);
  }

  /** The vendor's error as the sandbox writes it: the catalogue's status, the vendor's body and headers. */
  render(error: VendorError, request: VendorRequest, route: RouteSpec | undefined): MockAnswer {
    const entry: CatalogueEntry = this.catalogue.get(error.key);
    const rendered = this.module.renderError(entry, error.details, asFastify(request, route));
    const headers: Record<string, string> = { ...rendered.headers, ...error.headers };
    headers['content-type'] = rendered.contentType ?? 'application/json; charset=utf-8';
    const body = typeof rendered.body === 'string' ? rendered.body : JSON.stringify(rendered.body);
    return { status: entry.status, headers: lowerCased(headers), body };
  }
}

/** The media types the sandbox core parses (src/server/app.ts; text/plain is Fastify's own parser). */
const jsonBodyTypes = new Set(['application/json', 'text/json']);
const xmlBodyTypes = new Set(['application/xml', 'text/xml']);
const coreParsers = new Set([...jsonBodyTypes, ...xmlBodyTypes, 'text/plain']);
const formBodyType = 'application/x-www-form-urlencoded';
/** Methods whose body Fastify does not read. */
const bodyless = new Set(['GET', 'HEAD', 'TRACE']);

/** A configuration whose every credential is one no request carries (the settings' string values, each random). */
const unmatchable: Readonly<Config> = Object.freeze(
  Object.fromEntries(
    Object.entries(settings).map(([key, setting]) => [
      key,
      typeof setting.default === 'string' ? `mock-${randomUUID()}` : setting.default,
    ]),
  ) as unknown as Config,
);

function malformed(keys: VendorModule['errorKeys'], error: Error): CheckResult {
  return refuse(new VendorError(keys.malformed, [{ message: error.message }]), [
    violation(['body'], 'malformed', `body ${error.message}`),
  ]);
}

/** A form body as a plain object: one value a string, a repeated name a list. */
function formValue(text: string): Record<string, string | string[]> {
  const params = new URLSearchParams(text);
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    out[key] = values.length === 1 ? (values[0] as string) : values;
  }
  return out;
}

/** A vendor error's details as violations: where (the target's path) and what. */
function detailViolations(error: VendorError): Violation[] {
  return error.details.map((d) =>
    violation(
      d.target ? d.target.split('.') : [],
      d.keyword ?? error.key,
      d.target ? `${d.target} ${d.message}` : d.message,
    ),
  );
}

const mediaTypeOf = (headers: Record<string, string>) =>
  (headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';

function refuse(error: VendorError, violations: Violation[]): CheckResult {
  return { ok: false, error, violations };
}

function violation(path: string[], code: string, message: string): Violation {
  return { path, code, message, severity: 'Error' };
}

/** AJV errors as Prism-style violations: where (`body.due_date`), which keyword, and what is wrong. */
export function ajvViolations(
  errors: readonly { instancePath: string; keyword: string; message?: string; params: object }[] | null | undefined,
  part: 'body' | 'path' | 'query' | 'header',
): Violation[] {
  return (errors ?? []).map((e) => {
    const segments = e.instancePath
      .split('/')
      .slice(1)
      .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
    const path = [part, ...segments];
    return violation(path, e.keyword, `${path.join('.')} ${e.message ?? 'is invalid'}`);
  });
}

const lowerCased = (headers: Record<string, string>) =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));

/**
 * The request as a vendor module reads it (`renderError`, `responseMediaType`): the parts of Fastify's request a
 * stateless server has: method, URL, headers, query, path parameters, body and the route (`vendorRoute`).
 */
function asFastify(request: VendorRequest, route: RouteSpec | undefined): FastifyRequest {
  const quiet = () => undefined;
  return {
    method: request.method,
    url: request.url,
    originalUrl: request.url,
    headers: request.headers,
    query: request.query,
    params: request.params,
    body: request.xml ? request.xml.value : request.body,
    rawBody: request.rawBody,
    vendorRoute: route,
    log: { error: quiet, warn: quiet, info: quiet, debug: quiet, trace: quiet, fatal: quiet, child: () => undefined },
  } as unknown as FastifyRequest;
}
