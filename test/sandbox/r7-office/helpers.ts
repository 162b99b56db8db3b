import { expect } from 'vitest';
import type { components } from '../../../src/generated/r7-office.ts';
import { loadSpec } from '../../../src/spec/index.ts';
import { parseXml } from '../../../src/xml/parse.ts';
import { expectConforms } from '../../support/spec-check.ts';

export type TaskEnvelope = components['schemas']['TaskEnvelope'];
export type ErrorEnvelope = components['schemas']['ErrorEnvelope'];
export type UpdateTaskRequest = components['schemas']['UpdateTaskRequest'];

export const USER = 'sandbox@example.com';
export const PASSWORD = 'sandbox';
export const AUTH_PATH = '/api/2.0/authentication.json';
/** task/{id} with a suffix: '' and '.json' answer JSON, '.xml' and '.tml' XML (unless the request is JSON). */
export type Suffix = '' | '.json' | '.xml' | '.tml';
export const taskPath = (id: number | string, suffix: Suffix | boolean = '') =>
  `/api/2.0/crm/task/${id}${suffix === true ? '.xml' : suffix === false ? '' : suffix}`;

/** Ids of the sandbox data (src/vendors/r7-office/sandbox-data.json). */
export const data = {
  caller: 'b1f5a8c4-2d3e-4f60-9a7b-8c9d0e1f2a3b',
  anna: '9924256a-739c-462b-af15-e652a3b1b6eb',
  mike: '646a6cff-df57-4b83-8ffe-91a24910328c',
  emptyGuid: '00000000-0000-0000-0000-000000000000',
  lostUser: '4a515a15-d4d6-4b8e-828e-e0586f18f3a3',
  /** A task of the sandbox data the sandbox user neither created nor is responsible for. */
  notEditable: 1238,
};

/** A body every rule accepts: task 1234 keeps category 1234 and gets a new title and deadline. */
export const validBody = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  title: 'Call back about the offer',
  deadline: '2025-06-01T10:00:00.000Z',
  categoryid: 1234,
  ...over,
});

export function signIn(base: string, userName = USER, password = PASSWORD): Promise<Response> {
  return fetch(base + AUTH_PATH, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userName, password }),
  });
}

export async function tokenFor(base: string, userName = USER): Promise<string> {
  const res = await signIn(base, userName);
  const body = await expectConforms('r7-office', 'authenticate', res);
  expect(res.status).toBe(201);
  return (JSON.parse(body) as components['schemas']['AuthEnvelope']).response.token;
}

export interface Call {
  method?: 'GET' | 'PUT';
  id?: number | string;
  /** true is '.xml'. */
  xml?: boolean | Suffix;
  token?: string;
  /** An object is sent as JSON; a string or Buffer as it is (with the content type of `headers`, else JSON). */
  body?: unknown;
  headers?: Record<string, string>;
  query?: string;
}

/** A task call: GET or PUT on task/{id}{suffix}, authorised with the token unless headers say otherwise. */
export function call(base: string, { method = 'GET', id = 1234, xml = false, token, body, headers = {}, query }: Call) {
  const raw =
    typeof body === 'string' || Buffer.isBuffer(body) ? body : body === undefined ? undefined : JSON.stringify(body);
  return fetch(base + taskPath(id, xml) + (query ? `?${query}` : ''), {
    method,
    headers: {
      ...(token ? { authorization: token } : {}),
      ...(raw !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    ...(raw !== undefined ? { body: raw } : {}),
  });
}

/** The operation behind a method and suffix. */
export const operationOf = (method: 'GET' | 'PUT', xml: boolean | Suffix) =>
  `${method === 'GET' ? 'getTask' : 'updateTask'}${xml === true || xml === '.xml' || xml === '.tml' ? 'Xml' : ''}`;

/** Checks the answer against the spec for its operation and returns the status and the parsed envelope. */
export async function answer<T = TaskEnvelope | ErrorEnvelope>(
  res: Response,
  operation: string,
): Promise<{ status: number; body: T; text: string }> {
  const text = await expectConforms('r7-office', operation, res);
  const type = res.headers.get('content-type') ?? '';
  const body = (
    /xml/.test(type) ? parseXml(text).value : type.startsWith('application/json') ? JSON.parse(text) : text
  ) as T;
  return { status: res.status, body, text };
}

/** The spec's x-errors entry for a key. */
export async function errorEntry(key: string) {
  const entry = (await loadSpec('r7-office'))['x-errors']?.[key];
  if (!entry) throw new Error(`no x-errors entry ${key}`);
  return entry;
}

/**
 * Asserts the vendor's error envelope for an x-errors key: status, `status: 1`, statusCode, message, hresult,
 * `data: {}` and nothing else. Returns the envelope.
 */
export async function expectError(
  res: Response,
  operation: string,
  key: string,
  message?: string | RegExp,
): Promise<ErrorEnvelope> {
  const entry = await errorEntry(key);
  const contentType = res.headers.get('content-type');
  const { status, body, text } = await answer<ErrorEnvelope>(res, operation);
  expect(status, text).toBe(entry.status);
  if (contentType?.startsWith('text/xml')) {
    expect(text).toMatch(/^<result><status>1<\/status><statusCode>\d+<\/statusCode><error><message>/);
    expect(text).toMatch(/<data \/><\/error><\/result>$/);
  } else {
    expect(contentType).toBe('application/json; charset=UTF-8');
    expect(Object.keys(body)).toEqual(['status', 'statusCode', 'error']);
    expect(Object.keys(body.error)).toEqual(['message', 'hresult', 'data']);
    expect(body.error.data).toEqual({});
  }
  // XML leaves are text: compare as text so one assertion serves both.
  expect(String(body.status)).toBe('1');
  expect(String(body.statusCode)).toBe(String(entry.status));
  expect(String(body.error.hresult)).toBe(String(entry.hresult));
  const expected = message ?? entry.message;
  if (typeof expected === 'string') expect(body.error.message).toBe(expected);
  else expect(body.error.message).toMatch(expected);
  return body;
}

/** Asserts one of the host's own answers (401 Unauthorized, the 404 page): status, text/html, the entry's text. */
export async function expectPage(
  res: Response,
  operation: string,
  key: 'unauthorized' | 'no-route' | 'server-error-page',
) {
  const entry = await errorEntry(key);
  const { status, text } = await answer(res, operation);
  expect(status).toBe(entry.status);
  expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(text).toBe(entry.message);
  return res;
}

export async function readTask(base: string, token: string, id: number | string = 1234): Promise<TaskEnvelope> {
  const { status, body } = await answer<TaskEnvelope>(await call(base, { id, token }), 'getTask');
  expect(status).toBe(200);
  return body;
}

/** PUT task/{id} with a JSON body; the answer checked against the spec. */
export async function putTask(base: string, token: string, body: unknown, id: number | string = 1234) {
  return answer<TaskEnvelope>(await call(base, { method: 'PUT', id, token, body }), 'updateTask');
}

/** A body as a form (application/x-www-form-urlencoded). */
export const form = (fields: Record<string, string>) => ({
  body: new URLSearchParams(fields).toString(),
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
});

/** A body as text/xml: the fields as children of a root element (its name does not matter to the vendor). */
export const xmlBody = (fields: Record<string, string>, root = 'request') => ({
  body: `<${root}>${Object.entries(fields)
    .map(([k, v]) => `<${k}>${v.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</${k}>`)
    .join('')}</${root}>`,
  headers: { 'content-type': 'text/xml' },
});
