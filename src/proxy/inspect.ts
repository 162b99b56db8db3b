/**
 * Both directions of an exchange against the contract, with the checkers the rest of the project uses (one module
 * each, not copies): a request with the sandbox's own request pipeline (checker.ts: the body parsers, the vendor's
 * checks in its order, stateless and with credentials only looked at, as the mock runs them); an answer with the
 * contract suite's (src/contract/check-response.ts). Each failure is a Violation, linked to the `x-rules` entry whose
 * keyword and field it is (src/spec/rule-links.ts).
 */
import { type ResponseProblem, responseProblems } from '../contract/check-response.ts';
import type { ErrorDetail, VendorError } from '../server/errors.ts';
import type { RouteSpec } from '../server/routes.ts';
import { findOperation, type Rule, ruleForGroup, ruleForKeyword } from '../spec/index.ts';
import type { RequestChecker } from './checker.ts';
import type { Violation } from './exchange.ts';
import type { ProxyVendor } from './vendors.ts';

/** A request as the proxy saw it. */
export interface SeenRequest {
  method: string;
  /** The path as sent, our prefix included, without the query. */
  path: string;
  /** The query string without `?`, as sent. */
  query: string;
  headers: Record<string, string | string[] | undefined>;
  /** The body's bytes (undefined: none), up to the limit and one byte past it. */
  body?: Buffer;
}

/** What the request check found; plain data (it crosses from the check worker). */
export interface RequestFindings {
  /** The operationId, or the iVvy action by name; undefined when no route takes the request. */
  operation?: string;
  violations: Violation[];
  /** The pipeline's answer to the request when it refused it: what --strict answers. */
  refusal?: {
    key: string;
    status: number;
    headers: Record<string, string | string[] | undefined>;
    payload: Uint8Array;
  };
  /** Top-level body fields sent. */
  fields: string[];
  /** The query and path parameters as the pipeline read them. */
  parts: { query: Record<string, unknown>; params: Record<string, unknown> };
  notes: string[];
}

/** The x-rules of the operation and, for an action, the action's own. */
function rulesOf(vendor: ProxyVendor, route: RouteSpec | undefined, operation: string | undefined): Rule[] {
  if (!route || !operation) return [];
  const located = findOperation(vendor.doc, operation);
  return [...(route.entry.operation['x-rules'] ?? []), ...(located?.action?.object['x-rules'] ?? [])];
}

const headerTargets = new Set(['content-type', 'accept']);

/** Where a failure is: `path.id`, `query.action`, `header.content-md5`, `body.subject`, `credentials`… */
function whereOf(vendor: ProxyVendor, route: RouteSpec | undefined, error: VendorError, d: ErrorDetail): string {
  const keys = vendor.definition.errorKeys;
  const target = d.target ?? '';
  return namedPart(keys, error, target) ?? parameterPart(route, target) ?? partOfError(keys, error, target);
}

type ErrorKeys = ProxyVendor['definition']['errorKeys'];

/** A failure whose target or error names its part: the negotiated headers, a whole part, the action. */
function namedPart(keys: ErrorKeys, error: VendorError, target: string): string | undefined {
  if (headerTargets.has(target.toLowerCase())) return `header.${target.toLowerCase()}`;
  if (error.key === keys.notAcceptable) return 'header.accept';
  if (error.key === keys.unsupportedMediaType) return 'header.content-type';
  if (['path', 'query', 'header'].includes(target)) return target;
  if (target === 'action') return 'query.action';
  return undefined;
}

/** A failure of one of the operation's parameters (by name, a header's in any case): `<in>.<target>`. */
function parameterPart(route: RouteSpec | undefined, target: string): string | undefined {
  const top = target.split(/[.[]/)[0] ?? '';
  const parameter = route?.entry.parameters.find((p) => p.name === top || p.name.toLowerCase() === top.toLowerCase());
  if (!parameter) return undefined;
  return `${parameter.in}.${parameter.in === 'header' ? target.toLowerCase() : target}`;
}

/** Else the part the error is about (an unknown route the path, a refused caller the credentials), or the body. */
function partOfError(keys: ErrorKeys, error: VendorError, target: string): string {
  const byKey: Record<string, string> = {
    [keys.routeNotFound]: 'path',
    [keys.unauthorized]: 'credentials',
    [keys.payloadTooLarge]: 'body',
    [keys.malformed]: 'body',
    ...(keys.methodNotAllowed ? { [keys.methodNotAllowed]: 'method' } : {}),
  };
  const part = byKey[error.key];
  if (part) return target && part === 'body' ? `body.${target}` : part;
  return target ? `body.${target}` : 'body';
}

/** A refusal's details as violations, each with the rule its keyword and field name, where the spec links one. */
function violationsOf(vendor: ProxyVendor, route: RouteSpec | undefined, rules: Rule[], error: VendorError) {
  const details: ErrorDetail[] = error.details.length ? [...error.details] : [{ message: error.message }];
  return details.map((d): Violation => {
    const field = (d.target ?? '').split(/[.[]/)[0] ?? '';
    const rule =
      d.rule ??
      (d.group
        ? ruleForGroup(rules, d.group)?.id
        : d.keyword
          ? ruleForKeyword(rules, d.keyword, field)?.id
          : undefined);
    return { side: 'request', where: whereOf(vendor, route, error, d), what: d.message, ...(rule ? { rule } : {}) };
  });
}

/** Strings and lists of strings only (what a query or path parameter is), so the findings can be cloned. */
const plain = (values: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(values).filter(
      ([, v]) => typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string')),
    ),
  );

/** A CORS preflight is the browser's, not an operation of any vendor: forwarded, not checked. */
const preflight = (r: SeenRequest) =>
  r.method === 'OPTIONS' && r.headers.origin !== undefined && r.headers['access-control-request-method'] !== undefined;

/**
 * What breaks the contract in a request, as the vendor's pipeline sees it: the first check that fails, in the
 * vendor's order (a server stops there too), with every failure that check found. Credentials are only looked at
 * (present and well-formed); what needs stored data is the upstream's to judge.
 */
export async function inspectRequest(
  vendor: ProxyVendor,
  checker: RequestChecker,
  request: SeenRequest,
): Promise<RequestFindings> {
  if (preflight(request))
    return {
      violations: [],
      fields: [],
      parts: { query: {}, params: {} },
      notes: ['a CORS preflight: not checked'],
    };
  const verdict = await checker.check({
    method: request.method,
    url: request.query ? `${request.path}?${request.query}` : request.path,
    headers: request.headers,
    // A body that crossed from another thread arrives as a Uint8Array.
    ...(request.body ? { body: Buffer.isBuffer(request.body) ? request.body : Buffer.from(request.body) } : {}),
  });
  const { route, query } = verdict;
  const named = typeof query.action === 'string' && route?.actions?.has(query.action) ? query.action : undefined;
  const operation = verdict.action ?? named ?? route?.operationId;
  const value =
    verdict.body && typeof verdict.body === 'object' && 'value' in verdict.body && 'root' in verdict.body
      ? (verdict.body as { value: unknown }).value
      : verdict.body;
  const findings: RequestFindings = {
    ...(operation ? { operation } : {}),
    violations: [],
    fields:
      value && typeof value === 'object' && !Array.isArray(value) && !Buffer.isBuffer(value) ? Object.keys(value) : [],
    parts: { query: plain(query), params: plain(verdict.params) },
    notes: [],
  };
  if (verdict.refusal) {
    const { error, status, headers, payload } = verdict.refusal;
    findings.refusal = { key: error.key, status, headers, payload: new Uint8Array(payload) };
    findings.violations = violationsOf(vendor, route, rulesOf(vendor, route, operation), error);
  }
  return findings;
}

/** An answer as the proxy saw it. */
export interface AnswerSeen {
  status: number;
  contentType: string | undefined;
  headers?: Record<string, string>;
  body: string;
}

/** What an answer breaks: its status, headers, content type and body against the operation's documented responses. */
export function inspectAnswer(vendor: ProxyVendor, operation: string, answer: AnswerSeen): Violation[] {
  const problems: ResponseProblem[] = responseProblems(vendor.doc, vendor.validators, operation, answer);
  return problems.map((p) => ({ side: 'answer', where: p.where, what: p.what }));
}
