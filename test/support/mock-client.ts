/**
 * What the mock tests send: each vendor's authorisation headers (the mock checks that credentials are present
 * and well-formed, not what they are, but honours the vendor's stateless checks before them: iVvy's Content-MD5
 * must be the body's) and a documented sample turned into a request.
 */
import { actionOperation, actionSelector } from '../../src/mock/actions.ts';
import { documentedInvalidExamples, type MockOptions, type RunningMock, startMock } from '../../src/mock/index.ts';
import { pathIds } from '../../src/mock/path-ids.ts';
import {
  deref,
  findOperation,
  listOperations,
  listSamples,
  loadSpec,
  type OpenApiDocument,
  type OperationEntry,
  type OperationObject,
  type RequestBodyObject,
  type ResponseObject,
  requestSchemaPointer,
  response,
  type Sample,
  SpecValidator,
} from '../../src/spec/index.ts';
import { registry } from '../../src/vendors/index.ts';
import { contentMd5 } from '../../src/vendors/ivvy/signing.ts';

/** Headers that pass each spec's security and header schemas, for a request without a body. */
export const authHeaders: Record<string, Record<string, string>> = {
  odyssee: { authorization: `Basic ${Buffer.from('sandbox:sandbox@SANDBOX').toString('base64')}` },
  ivvy: {
    'content-md5': contentMd5(undefined),
    'x-api-version': '1.0',
    'ivvy-date': '2021-11-01 09:00:00',
    'x-api-authorization': 'IWS sandbox-key:d099b4be6e914c3d3987af5b1799a14e6ead889c',
  },
  'r7-office': { authorization: 'x' },
};

/** A vendor's authorisation headers for a request with this body (iVvy's Content-MD5 is the body's MD5). */
export function authFor(vendor: string, body?: string | Buffer): Record<string, string> {
  const headers = { ...authHeaders[vendor] };
  if (vendor === 'ivvy') headers['content-md5'] = contentMd5(body);
  return headers;
}

/** The default mock of this test process, once started (see `startTestMock`). */
let shared: Promise<RunningMock> | undefined;

/**
 * The mock of every vendor of the registry on 127.0.0.1 at a port the OS picks, quiet. The default one (no options)
 * is started once per test process and shared by its files: its start-up (every spec's examples and validators) is
 * the heavy one, and it keeps nothing between requests. Its `close` leaves it running for the next file; it ends with
 * the process. A mock of other options is the caller's own, closed by its `close`.
 */
export function startTestMock(options: Partial<MockOptions> = {}): Promise<RunningMock> {
  if (Object.keys(options).length > 0) return startMock({ vendors: registry, host: '127.0.0.1', port: 0, ...options });
  shared ??= startMock({ vendors: registry, host: '127.0.0.1', port: 0 }).then(
    (mock) => ({ ...mock, close: async () => {} }),
    (error: unknown) => {
      shared = undefined;
      throw error;
    },
  );
  return shared;
}

export interface SampleRequest {
  /** The operationId, or the action name for iVvy: what checkResponse takes. */
  operation: string;
  method: string;
  /** The vendor's own path and query, e.g. `/api/1.0/crm?action=addOrUpdateTask`. */
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

/** A request-side sample as a request: method and path from the spec, path parameters and query from `replay`. */
export async function sampleRequest(sample: Sample): Promise<SampleRequest> {
  const doc = await loadSpec(sample.vendor);
  const located = findOperation(doc, sample.manifest.operation);
  if (!located) throw new Error(`${sample.id}: the spec has no operation ${sample.manifest.operation}`);
  const params = sample.manifest.replay?.path ?? {};
  const path = located.entry.path.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${sample.id}: replay.path has no ${name}`);
    return encodeURIComponent(String(value));
  });
  const query = new URLSearchParams(sample.manifest.replay?.query ?? {}).toString();
  return {
    operation: sample.manifest.operation,
    method: located.entry.method.toUpperCase(),
    path: query ? `${path}?${query}` : path,
    headers: { ...authFor(sample.vendor, sample.bytes), 'content-type': sample.manifest.mediaType },
    body: sample.bytes,
  };
}

/** The value of a named example of a response (refs followed): the action's own response first, then the operation's. */
export async function responseExample(
  vendor: string,
  operation: string,
  status: string,
  mediaType: string,
  name: string,
): Promise<unknown> {
  const doc = await loadSpec(vendor);
  const located = findOperation(doc, operation);
  if (!located) throw new Error(`no operation ${operation}`);
  for (const where of [located, { entry: located.entry }]) {
    const example = response(doc, where, status)?.response.content?.[mediaType]?.examples?.[name];
    if (example) return deref<{ value?: unknown }>(doc, example).value;
  }
  throw new Error(`${operation} ${status} ${mediaType} has no example ${name}`);
}

/** One operation as a client calls it: an operationId, or an iVvy action with its own view of the operation. */
export interface SpecOperation {
  vendor: string;
  /** operationId, or the action name. */
  name: string;
  entry: OperationEntry;
  /** The operation as the action sees it (its own body schema and examples), or the operation itself. */
  view: OperationObject;
  query: Record<string, string>;
}

/** Every operation (and iVvy action) of a vendor's spec. */
export function specOperations(vendor: string, doc: OpenApiDocument): SpecOperation[] {
  return listOperations(doc).flatMap((entry) => {
    const selector = actionSelector(entry);
    if (!selector) return [{ vendor, name: entry.operationId, entry, view: entry.operation, query: {} }];
    return selector.actions.map((action) => ({
      vendor,
      name: action,
      entry,
      view: actionOperation(doc, entry, action),
      query: { [selector.parameter]: action },
    }));
  });
}

/** A named example of an operation's response: its status and the media types that document it. */
export interface ResponseName {
  status: string;
  mediaTypes: { mediaType: string; value: unknown }[];
}

type ExampleValue = { mediaType: string; value: unknown };

/** Each response example's name: the first response in the spec's order that documents it, with its media types. */
function responseExampleNames(doc: OpenApiDocument, op: SpecOperation): Map<string, ResponseName> {
  const responses = new Map<string, ResponseName>();
  for (const [status, raw] of Object.entries(op.view.responses)) {
    for (const [mediaType, media] of Object.entries(deref<ResponseObject>(doc, raw).content ?? {}))
      for (const [name, example] of Object.entries(media.examples ?? {})) {
        const found = responses.get(name) ?? { status, mediaTypes: [] };
        if (found.status !== status) continue;
        found.mediaTypes.push({ mediaType, value: deref<{ value?: unknown }>(doc, example).value });
        responses.set(name, found);
      }
  }
  return responses;
}

/** Each request example's name with its (first) media type and value. */
function requestExampleNames(doc: OpenApiDocument, op: SpecOperation): Map<string, ExampleValue> {
  const requests = new Map<string, ExampleValue>();
  const body = op.view.requestBody ? deref<RequestBodyObject>(doc, op.view.requestBody) : undefined;
  for (const [mediaType, media] of Object.entries(body?.content ?? {}))
    for (const [name, example] of Object.entries(media.examples ?? {}))
      if (!requests.has(name)) requests.set(name, { mediaType, value: deref<{ value?: unknown }>(doc, example).value });
  return requests;
}

/**
 * The names `Prefer: example=` takes for an operation, read from the spec: each response example's name (the first
 * response in the spec's order that documents it) and each request example's name with its media type and value.
 */
export function namedExamples(
  doc: OpenApiDocument,
  op: SpecOperation,
): {
  responses: Map<string, ResponseName>;
  requests: Map<string, ExampleValue>;
} {
  return { responses: responseExampleNames(doc, op), requests: requestExampleNames(doc, op) };
}

/** The value of a path parameter's documented example. */
export function pathExample(doc: OpenApiDocument, entry: OperationEntry, name: string): string | number {
  const id = pathIds(doc, entry).find((p) => p.name === name);
  if (!id) throw new Error(`${entry.operationId}: path parameter ${name} has no example`);
  return id.example;
}

/**
 * A request the vendor accepts for an operation, built from the spec: the path parameters' examples, the action,
 * and the first request example the mocks/ manifests do not document as invalid (else an accepted sample of the
 * operation, else another operation's request example its schema takes), with its media type.
 */
export async function acceptedRequest(
  op: SpecOperation,
  path: Record<string, string | number> = {},
): Promise<{ method: string; path: string; headers: Record<string, string>; body?: string }> {
  const doc = await loadSpec(op.vendor);
  const url = op.entry.path.replace(/\{([^}]+)\}/g, (_m, name: string) =>
    encodeURIComponent(String(path[name] ?? pathExample(doc, op.entry, name))),
  );
  const query = new URLSearchParams(op.query).toString();
  const request = { method: op.entry.method.toUpperCase(), path: query ? `${url}?${query}` : url };
  const body = op.view.requestBody ? acceptedBody(doc, op) : undefined;
  if (!body) return { ...request, headers: { ...authFor(op.vendor) } };
  return { ...request, headers: { ...authFor(op.vendor, body.text), 'content-type': body.mediaType }, body: body.text };
}

const exampleText = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

/** Another operation's JSON request example that the operation's JSON request schema takes. */
function borrowedBody(
  doc: OpenApiDocument,
  op: SpecOperation,
  invalid: Set<string>,
): { mediaType: string; text: string } | undefined {
  const located = findOperation(doc, op.name);
  const body = deref<RequestBodyObject>(doc, op.view.requestBody as RequestBodyObject);
  const validator = new SpecValidator(`${op.vendor}-accepted`, doc);
  for (const mediaType of Object.keys(body.content)) {
    const pointer = located && requestSchemaPointer(doc, located, mediaType);
    if (!pointer || !/json/.test(mediaType)) continue;
    const takes = validator.at(pointer);
    const found = specOperations(op.vendor, doc)
      .flatMap((other) => [...namedExamples(doc, other).requests])
      .find(([name, example]) => !invalid.has(name) && /json/.test(example.mediaType) && takes(example.value));
    if (found) return { mediaType, text: exampleText(found[1].value) };
  }
  return undefined;
}

function acceptedBody(doc: OpenApiDocument, op: SpecOperation): { mediaType: string; text: string } | undefined {
  const invalid = documentedInvalidExamples(op.vendor);
  for (const [name, example] of namedExamples(doc, op).requests)
    if (!invalid.has(name)) return { mediaType: example.mediaType, text: exampleText(example.value) };
  const sample = listSamples().find(
    (s) =>
      s.vendor === op.vendor &&
      s.manifest.operation === op.name &&
      s.manifest.side === 'request' &&
      s.manifest.expect?.outcome === 'accepted',
  );
  if (sample) return { mediaType: sample.manifest.mediaType, text: sample.bytes.toString('utf8') };
  return borrowedBody(doc, op, invalid);
}
