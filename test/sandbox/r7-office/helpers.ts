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
export const taskPath = (id: number | string, xml = false) => `/api/2.0/crm/task/${id}${xml ? '.xml' : ''}`;

/** Ids of the sandbox data (src/vendors/r7-office/sandbox-data.json). */
export const data = {
  anna: '9924256a-739c-462b-af15-e652a3b1b6eb',
  mike: '646a6cff-df57-4b83-8ffe-91a24910328c',
  emptyGuid: '00000000-0000-0000-0000-000000000000',
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
  xml?: boolean;
  token?: string;
  /** An object is sent as JSON; a string or Buffer as it is. */
  body?: unknown;
  headers?: Record<string, string>;
}

/** A task call: GET or PUT on task/{id} (or task/{id}.xml), authorised with the token unless headers say otherwise. */
export function call(base: string, { method = 'GET', id = 1234, xml = false, token, body, headers = {} }: Call) {
  const raw =
    typeof body === 'string' || Buffer.isBuffer(body) ? body : body === undefined ? undefined : JSON.stringify(body);
  return fetch(base + taskPath(id, xml), {
    method,
    headers: {
      ...(token ? { authorization: token } : {}),
      ...(raw !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    ...(raw !== undefined ? { body: raw } : {}),
  });
}

export const operationOf = (method: 'GET' | 'PUT', xml: boolean) =>
  `${method === 'GET' ? 'getTask' : 'updateTask'}${xml ? 'Xml' : ''}`;

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

/** Asserts the vendor's error envelope for an x-errors key: status, `status: 1`, statusCode, hresult, message. */
export async function expectError(
  res: Response,
  operation: string,
  key: string,
  message: string | RegExp,
): Promise<ErrorEnvelope> {
  const doc = await loadSpec('r7-office');
  const entry = doc['x-errors']?.[key];
  if (!entry) throw new Error(`no x-errors entry ${key}`);
  const { status, body } = await answer<ErrorEnvelope>(res, operation);
  expect(status).toBe(entry.status);
  // XML leaves are text: compare as text so one assertion serves both paths.
  expect(String(body.status)).toBe('1');
  expect(String(body.statusCode)).toBe(String(entry.status));
  expect(String(body.error.hresult)).toBe(String(entry.hresult));
  if (typeof message === 'string') expect(body.error.message).toBe(message);
  else expect(body.error.message).toMatch(message);
  return body;
}

export async function readTask(base: string, token: string, id: number | string = 1234): Promise<TaskEnvelope> {
  const { status, body } = await answer<TaskEnvelope>(await call(base, { id, token }), 'getTask');
  expect(status).toBe(200);
  return body;
}
