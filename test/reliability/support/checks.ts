/**
 * What every answer of the sandbox must be, whatever was sent: a documented status of the operation (never a 5xx,
 * except the documented 501 for what the sandbox does not implement and a vendor's own 5xx answer to a request it
 * cannot read, `causedByRequest` in its x-errors), in the vendor's shape (the response schema of
 * that status: checkResponse from the contract suite), and without a stack trace or an internal path in it.
 */
import { checkResponse } from '../../../src/contract/check-response.ts';
import {
  deref,
  findOperation,
  loadSpec,
  type OpenApiDocument,
  repoRoot,
  resolvePointer,
  responseSchemaPointer,
  SpecValidator,
} from '../../../src/spec/index.ts';
import { parseXml } from '../../../src/xml/parse.ts';
import type { Answer } from './client.ts';

const validators = new Map<string, { strict: SpecValidator; coercing: SpecValidator }>();

async function validatorsOf(vendor: string) {
  let pair = validators.get(vendor);
  if (!pair) {
    const doc = await loadSpec(vendor);
    pair = { strict: new SpecValidator(vendor, doc), coercing: new SpecValidator(vendor, doc, { coerceTypes: true }) };
    validators.set(vendor, pair);
  }
  return pair;
}

/** A V8 stack frame (`    at handle (file:///…/app.ts:12:3)`) or a source file of the sandbox or its packages. */
const leaks: readonly [string, RegExp][] = [
  ['a stack frame', /^\s*at .*(?:\(|\s)(?:file:\/\/|\/|node:)[^\s)]*:\d+:\d+\)?\s*$/m],
  ['a source path', /(?:^|[\s"'(/\\])(?:src|node_modules|lib)[/\\][\w./\\-]+\.(?:ts|js|mjs|cjs)\b/],
  ['the repository path', new RegExp(repoRoot.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))],
  ['an error class name with a message', /\b(?:TypeError|ReferenceError|RangeError|SqliteError|ERR_SQLITE_\w+)\b/],
];

/**
 * What is wrong with one answer to a request for `operation` (an operationId, or an iVvy action); [] when nothing.
 * `serverError`: the answer must be a 5xx (a storage fault), still documented and in the vendor's shape.
 */
export async function answerProblems(
  vendor: string,
  operation: string,
  answer: Answer,
  { serverError = false } = {},
): Promise<string[]> {
  const problems: string[] = [];
  const doc = await loadSpec(vendor);
  const notImplemented = doc['x-errors']?.['not-implemented']?.status;
  if (serverError && answer.status < 500) problems.push(`status ${answer.status}, not a 5xx`);
  if (!serverError && answer.status >= 500 && answer.status !== notImplemented && !vendorAnswersWith5xx(doc, answer)) {
    problems.push(`status ${answer.status} (a 5xx)`);
  }
  for (const [what, pattern] of leaks) {
    const found = pattern.exec(answer.body);
    if (found) problems.push(`the body shows ${what}: ${JSON.stringify(found[0].slice(0, 120))}`);
  }
  const pair = await validatorsOf(vendor);
  const found = checkResponse(doc, pair, operation, answer);
  if (found.length > 0 && !xmlListConforms(doc, pair.coercing, operation, answer)) problems.push(...found);
  return problems;
}

/**
 * Whether a 5xx is the vendor's own answer to the request (an x-errors entry marked `causedByRequest`: R7-Office
 * answers a text/xml body that does not parse, or wrong sign-in credentials, with 500): the entry's page for a
 * text/html entry, its HResult in the envelope otherwise.
 */
export function vendorAnswersWith5xx(doc: OpenApiDocument, answer: Answer): boolean {
  return Object.values(doc['x-errors'] ?? {}).some((entry) => {
    if (entry.causedByRequest !== true || entry.status !== answer.status) return false;
    if (entry.mediaType === 'text/html') return answer.body === entry.message;
    return new RegExp(`["<>:]${String(entry.hresult)}[,<}]`).test(answer.body);
  });
}

/** vendorAnswersWith5xx for a vendor by name. */
export async function isVendorServerAnswer(vendor: string, answer: Answer): Promise<boolean> {
  return vendorAnswersWith5xx(await loadSpec(vendor), answer);
}

/**
 * checkResponse reads an XML body as one object, so it cannot match a wrapped XML array (Odyssee's DataContract
 * `<ArrayOfjob_planning>` of `<job_planning>` items, empty when there are none): this unwraps the items and
 * validates them against the array schema. False when the answer is not such a list or does not conform.
 */
function xmlListConforms(doc: OpenApiDocument, coercing: SpecValidator, operation: string, answer: Answer): boolean {
  const mediaType = (answer.contentType ?? '').split(';')[0]?.trim() ?? '';
  const located = findOperation(doc, operation);
  if (!/[/+]xml$/.test(mediaType) || !located) return false;
  const pointer = responseSchemaPointer(doc, located, String(answer.status), mediaType);
  const schema =
    pointer && deref<Record<string, unknown>>(doc, resolvePointer(doc, pointer) as Record<string, unknown>);
  if (!pointer || !schema || schema.type !== 'array') return false;
  let value: unknown;
  try {
    value = parseXml(answer.body).value;
  } catch {
    return false;
  }
  const entries = typeof value === 'object' && value !== null ? Object.values(value) : [];
  if (entries.length > 1) return false;
  const items = entries.length === 0 ? [] : Array.isArray(entries[0]) ? entries[0] : [entries[0]];
  return coercing.at(pointer)(items);
}

/** A short, replayable description of a request and its answer, for failure messages. */
export function describeExchange(
  request: { method: string; path: string; headers?: Record<string, string>; body?: string | Uint8Array },
  answer: Answer | undefined,
): string {
  const body = request.body === undefined ? '' : Buffer.from(request.body).toString('utf8');
  const shown = body.length > 300 ? `${body.slice(0, 300)}… (${body.length} characters)` : body;
  return [
    `${request.method} ${request.path}`,
    ...Object.entries(request.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
    shown && `body: ${JSON.stringify(shown)}`,
    answer && `→ ${answer.status} ${answer.contentType ?? ''} ${answer.body.slice(0, 400)}`,
  ]
    .filter(Boolean)
    .join('\n  ');
}
