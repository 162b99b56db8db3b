/**
 * What the mock tests send: each vendor's authorisation headers (the mock checks that credentials are present
 * and well-formed, not what they are, but honours the vendor's stateless checks before them: iVvy's Content-MD5
 * must be the body's) and a documented sample turned into a request.
 */
import { type MockOptions, type RunningMock, startMock } from '../../src/mock/index.ts';
import { deref, findOperation, loadSpec, response, type Sample } from '../../src/spec/index.ts';
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

/** The mock on 127.0.0.1 at a port the OS picks, quiet. */
export function startTestMock(options: MockOptions = {}): Promise<RunningMock> {
  return startMock({ host: '127.0.0.1', port: 0, ...options });
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
