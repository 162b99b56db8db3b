import { isXmlMediaType } from '../server/media-type.ts';
import { deref, type OpenApiDocument, type SecuritySchemeObject, type SpecValidator } from '../spec/index.ts';
import { parseXml } from '../xml/parse.ts';
import type { Capability, CaseStep, ContractCase, Expectation, FlowContext } from './cases.ts';
import { checkResponse } from './check-response.ts';
import type { ClientAuth } from './client-auth.ts';
import { type ContractRequest, type ContractResponse, curlCommand, send } from './http.ts';

/** Where a vendor lives in a target, and as whom the suite writes there. */
export interface TargetVendor {
  baseUrl: string;
  credentials?: Record<string, string>;
  /**
   * Write as this partner of our sandbox (`contract-<run>`, own-partner.ts): the credentials are the client's
   * `partner(partner, credentials)`, the second partner's `partner(partner + '-other', credentials)`.
   */
  partner?: string;
}

/** A deployment under test: where each vendor lives and what it offers beyond the contract. */
export interface Target {
  name: string;
  vendors: Record<string, TargetVendor>;
  /** `state`: it keeps writes (a sandbox, a real API); `vendor-errors`: its errors are the vendors' own. */
  capabilities: ReadonlySet<Capability>;
}

/** What the runner needs per vendor: the spec, its validators and how a client authorises. */
export interface VendorKit {
  doc: OpenApiDocument;
  validators: { strict: SpecValidator; coercing: SpecValidator };
  client: ClientAuth;
}

export interface StepResult {
  request: ContractRequest;
  response?: ContractResponse;
  curl: string;
  problems: string[];
}

export interface CaseResult {
  passed: boolean;
  /** The target lacks what the case needs: a failure is expected and reported with this reason. */
  expectedFailure?: string;
  steps: StepResult[];
  problems: string[];
}

/**
 * The headers that carry a credential under the spec's security schemes, lower-cased: `authorization` for an HTTP
 * scheme, an API key's own header, `cookie` for a key sent as a cookie.
 */
export function credentialHeaders(doc: OpenApiDocument): string[] {
  const schemes = Object.values(doc.components?.securitySchemes ?? {}).map((s) =>
    deref(doc, s as SecuritySchemeObject),
  );
  const names = schemes.flatMap((s) => {
    if (s.type === 'http') return ['authorization'];
    if (s.type === 'apiKey' && s.in === 'header' && s.name) return [s.name.toLowerCase()];
    if (s.type === 'apiKey' && s.in === 'cookie') return ['cookie'];
    return [];
  });
  return [...new Set(names)];
}

/**
 * Changes the last character of each credential header (`names`, from `credentialHeaders`): the request stays
 * well-formed, its credential wrong.
 */
export function tamper(headers: Record<string, string>, names: readonly string[]): Record<string, string> {
  const out = { ...headers };
  for (const name of Object.keys(out)) {
    if (!names.includes(name.toLowerCase())) continue;
    const value = out[name] ?? '';
    const last = value.at(-1) ?? 'x';
    // Different even to a case-insensitive comparison (a hex signature may be compared that way).
    out[name] = value.slice(0, -1) + (last.toLowerCase() === 'a' ? 'B' : 'A');
  }
  return out;
}

/** The credentials a step authorises with: the target's (or its partner's), or the second partner's. */
function credentialsFor(
  auth: CaseStep['auth'],
  client: ClientAuth,
  { credentials, partner }: TargetVendor,
): Record<string, string> | undefined {
  if (auth === 'other-partner')
    return partner ? client.partner(`${partner}-other`, credentials) : { ...credentials, ...client.otherPartner };
  return partner ? client.partner(partner, credentials) : credentials;
}

async function authorise(
  step: CaseStep,
  req: ContractRequest,
  kit: VendorKit,
  base: TargetVendor,
): Promise<ContractRequest> {
  if (step.auth === 'none') return req;
  const credentials = credentialsFor(step.auth, kit.client, base);
  const target = { baseUrl: base.baseUrl, ...(credentials ? { credentials } : {}) };
  const headers = mergeHeaders(req.headers, await kit.client.authorize({ ...req, body: req.body }, target));
  return { ...req, headers: step.auth === 'wrong' ? tamper(headers, credentialHeaders(kit.doc)) : headers };
}

/** Header names are case-insensitive: a later value replaces an earlier one whatever its case. */
function mergeHeaders(...sets: Record<string, string>[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const set of sets) for (const [name, value] of Object.entries(set)) out[name.toLowerCase()] = value;
  return out;
}

function meets(expect: Expectation, status: number): string | undefined {
  if (expect.kind === 'status' && status !== expect.status) return `expected status ${expect.status}, got ${status}`;
  if (expect.kind === 'success' && (status < 200 || status > 299)) return `expected a 2xx, got ${status}`;
  if (expect.kind === 'success-or' && (status < 200 || status > 299) && status !== expect.status)
    return `expected a 2xx or ${expect.status}, got ${status}`;
  if (expect.kind === 'client-error') {
    if (status < 400 || status > 499) return `expected a 4xx in the vendor's error shape, got ${status}`;
    if (expect.status !== undefined && status !== expect.status)
      return `expected status ${expect.status}, got ${status}`;
  }
  return undefined;
}

function parseBody(response: ContractResponse): unknown {
  try {
    if (isXmlMediaType(response.contentType ?? '')) return parseXml(response.body).value;
    return JSON.parse(response.body);
  } catch {
    return response.body;
  }
}

/** Runs a case's steps in order against a target; every answer is checked against the spec. */
export async function runCase(c: ContractCase, target: Target, kit: VendorKit): Promise<CaseResult> {
  const base = target.vendors[c.vendor];
  const missing = c.needs.filter((n) => !target.capabilities.has(n));
  const expectedFailure = missing.length
    ? `${target.name} does not offer ${missing.join(' and ')} (${reasons(missing)})`
    : undefined;
  if (!base)
    return {
      passed: false,
      steps: [],
      problems: [`the target has no base URL for ${c.vendor}`],
      ...(expectedFailure ? { expectedFailure } : {}),
    };
  const ctx: FlowContext = {};
  const steps: StepResult[] = [];
  for (const step of c.steps) {
    const result = await runStep(step, ctx, kit, base);
    steps.push(result);
    if (result.problems.length > 0) break;
  }
  const problems = steps.flatMap((s) => s.problems);
  return { passed: problems.length === 0, steps, problems, ...(expectedFailure ? { expectedFailure } : {}) };
}

/**
 * One step: its request authorised and sent, the answer checked against the expectation, the spec and the step's
 * own checks; what the step captures for the next is taken only from an answer without problems.
 */
async function runStep(step: CaseStep, ctx: FlowContext, kit: VendorKit, base: TargetVendor): Promise<StepResult> {
  const unsigned = step.request(ctx);
  let request: ContractRequest;
  try {
    request = await authorise(step, unsigned, kit, base);
  } catch (error) {
    // A client that cannot sign in (R7-Office's token endpoint refused it) fails the case, not the run.
    const problem = `could not authorise the request: ${(error as Error).message}`;
    return { request: unsigned, curl: curlCommand(base.baseUrl, unsigned), problems: [problem] };
  }
  const result: StepResult = { request, curl: curlCommand(base.baseUrl, request), problems: [] };
  try {
    result.response = await send(base.baseUrl, request);
  } catch (error) {
    result.problems.push(`no answer: ${(error as Error).message}`);
    return result;
  }
  const { response } = result;
  const off = meets(step.expect, response.status);
  if (off) result.problems.push(off);
  result.problems.push(...checkResponse(kit.doc, kit.validators, step.operation, response));
  const body = parseBody(response);
  if (step.verify) result.problems.push(...step.verify(body, ctx));
  if (step.verifyHeaders) result.problems.push(...step.verifyHeaders(response.headers));
  if (result.problems.length === 0) step.capture?.(body, ctx);
  return result;
}

function reasons(missing: Capability[]): string {
  return missing
    .map((m) =>
      m === 'state'
        ? 'a stateless mock answers canned examples and keeps no writes'
        : "Prism answers invalid requests with its own problem+json errors and enforces no server-side rule, not the vendor's error shape",
    )
    .join('; ');
}

/** A failure as the report prints it: what was expected, what came, and the curl command that reproduces it. */
export function describeFailure(c: ContractCase, result: CaseResult): string {
  const last = result.steps.at(-1);
  const lines = [`${c.id}: ${c.title}${c.rule ? ` [rule ${c.rule}]` : ''}`, ...result.problems.map((p) => `  - ${p}`)];
  if (last?.response)
    lines.push(`  got: ${last.response.status} ${last.response.contentType ?? ''} ${last.response.body.slice(0, 400)}`);
  if (last) lines.push(`  reproduce: ${last.curl}`);
  return lines.join('\n');
}
