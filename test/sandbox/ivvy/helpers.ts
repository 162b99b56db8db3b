/** Sending signed iVvy requests to the sandbox, as a partner would, with ways to break each part of the signing. */

import { expect } from 'vitest';
import { loadConfig } from '../../../src/config.ts';
import type { components } from '../../../src/generated/ivvy.ts';
import { ivvyClient } from '../../../src/vendors/ivvy/client.ts';
import { credentials as ivvyCredentials } from '../../../src/vendors/ivvy/settings.ts';
import { type SignInput, sign } from '../../../src/vendors/ivvy/signing.ts';
import { expectConforms } from '../../support/spec-check.ts';

export type IvvyError = components['schemas']['Error'];
export type TaskList = components['schemas']['TaskListResponse'];
export type Task = components['schemas']['Task'];

export const config = loadConfig([], {});

/** The vendor's own path of a crm action (no local prefix); `null` leaves the action out. */
export const crmPath = (action: string | null): string =>
  action === null ? '/api/1.0/crm' : `/api/1.0/crm?action=${action}`;

/** A distinct sandbox partner (its own tenant) per test, so tests never see each other's writes. */
export const partnerKey = (name: string): string => `${ivvyCredentials(config).apiKey}+${name}`;

export interface Call {
  /** The action (`?action=`), `null` for none; or a whole vendor path with `path`. */
  action?: string | null;
  path?: string;
  body?: string | Buffer;
  apiKey?: string;
  /** Changes to what is signed (a `date`, another `secret`, another `body`…). */
  signWith?: Partial<SignInput>;
  /** Header changes after signing: a value replaces, `null` removes. */
  headers?: Record<string, string | null>;
}

/** The headers the client code signs a call with, or a signature made as `signWith` says. */
async function signedHeaders(
  base: string,
  call: Call,
  path: string,
  body: string | Buffer,
): Promise<Record<string, string>> {
  if (!call.signWith) {
    return ivvyClient.authorize(
      { method: 'POST', path, headers: {}, body },
      { baseUrl: base, ...(call.apiKey ? { credentials: { apiKey: call.apiKey } } : {}) },
    );
  }
  return sign({
    method: 'POST',
    path,
    body,
    contentType: 'application/json',
    key: call.apiKey ?? ivvyCredentials(config).apiKey,
    secret: ivvyCredentials(config).apiSecret,
    ...call.signWith,
  });
}

/** Applies header changes, whatever the case of the names: a value replaces, `null` removes. */
function changeHeaders(headers: Record<string, string>, changes: Record<string, string | null>): void {
  for (const [name, value] of Object.entries(changes)) {
    for (const existing of Object.keys(headers))
      if (existing.toLowerCase() === name.toLowerCase()) delete headers[existing];
    if (value !== null) headers[name] = value;
  }
}

/** POSTs a request signed by the client code (or as `signWith` says), then applies the header changes. */
export async function send(base: string, call: Call): Promise<Response> {
  const path = call.path ?? crmPath(call.action === undefined ? 'getTaskList' : call.action);
  const body = call.body ?? '{}';
  const headers = await signedHeaders(base, call, path, body);
  changeHeaders(headers, call.headers ?? {});
  return fetch(`${base}${path}`, { method: 'POST', headers, body });
}

/** Sends, checks the answer against the spec for `operation` and returns status and parsed body. */
export async function exchange<T = unknown>(
  base: string,
  operation: string,
  call: Call,
): Promise<{ status: number; body: T; headers: Headers }> {
  const res = await send(base, call);
  const text = await expectConforms('ivvy', operation, res);
  return { status: res.status, body: JSON.parse(text) as T, headers: res.headers };
}

export interface WantedError {
  status: number;
  specificCode?: number;
  /** Fields or parameters the error must name, in its message or in one of its additional messages. */
  fields?: string[];
  /** The exact message (`'perPage' does not validate`). */
  message?: string;
  /** The exact additional messages; `null`: none at all. */
  additionalMessages?: string[] | null;
}

/** Asserts an iVvy error: status = errorCode, the specific code, and each field named by the message or a line. */
export function expectError(got: { status: number; body: unknown }, want: WantedError): void {
  const body = got.body as IvvyError;
  expect(got.status, JSON.stringify(body)).toBe(want.status);
  expect(body.errorCode).toBe(want.status);
  expect(body.specificCode).toBe(want.specificCode);
  for (const field of want.fields ?? []) {
    const said = [body.message, ...(body.additionalMessages ?? [])];
    expect(said, `the message or an additional message naming ${field}`).toEqual(
      expect.arrayContaining([expect.stringContaining(field)]),
    );
  }
  if (want.message !== undefined) expect(body.message).toBe(want.message);
  if (want.additionalMessages === null) expect(body).not.toHaveProperty('additionalMessages');
  else if (want.additionalMessages !== undefined) expect(body.additionalMessages).toEqual(want.additionalMessages);
}

/** Every task a key sees (one page of up to the maximum), checked against the spec. */
export async function listTasks(base: string, apiKey: string, body: object = {}): Promise<TaskList> {
  const got = await exchange<TaskList>(base, 'getTaskList', {
    action: 'getTaskList',
    apiKey,
    body: JSON.stringify(body),
  });
  expect(got.status, JSON.stringify(got.body)).toBe(200);
  return got.body;
}
