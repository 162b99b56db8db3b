/** Calling the Odyssee sandbox as a partner would, and asserting its answers against the spec. */
import { expect } from 'vitest';
import type { components } from '../../../src/generated/odyssee.ts';
import { loadSpec } from '../../../src/spec/index.ts';
import { odysseeClient } from '../../../src/vendors/odyssee/client.ts';
import { expectConforms } from '../../support/spec-check.ts';

export type ODataError = components['schemas']['ODataError'];

export interface Call {
  method?: string;
  /** The vendor's own path: `/api/Task(f7d8…)`. */
  path: string;
  /** A string is sent as it is; anything else as JSON. */
  body?: unknown;
  contentType?: string;
  accept?: string;
  /** Credential overrides (`user`, `password`, `domain`); `false` sends no Authorization header. */
  credentials?: Record<string, string> | false;
  headers?: Record<string, string>;
}

/** Sends one request to the sandbox at `base` (`http://127.0.0.1:<port>/odyssee`). */
export async function call(base: string, c: Call): Promise<Response> {
  const method = c.method ?? (c.body === undefined ? 'GET' : 'PUT');
  const body = c.body === undefined || typeof c.body === 'string' ? c.body : JSON.stringify(c.body);
  const headers: Record<string, string> = {
    ...(body !== undefined ? { 'content-type': c.contentType ?? 'application/json' } : {}),
    ...(c.accept ? { accept: c.accept } : {}),
    ...c.headers,
  };
  if (c.credentials !== false) {
    Object.assign(
      headers,
      await odysseeClient.authorize(
        { method, path: c.path, headers, body },
        { baseUrl: base, ...(c.credentials ? { credentials: c.credentials } : {}) },
      ),
    );
  }
  return fetch(base + c.path, { method, headers, ...(body !== undefined ? { body } : {}) });
}

/** Sends the request, checks the answer against the spec for `operation`, returns status and parsed JSON body. */
export async function send<T = Record<string, unknown>>(
  base: string,
  operation: string,
  c: Call,
): Promise<{ status: number; body: T; text: string; headers: Headers }> {
  const res = await call(base, c);
  const text = await expectConforms('odyssee', operation, res);
  const json =
    (res.headers.get('content-type') ?? '').includes('json') && text ? (JSON.parse(text) as T) : (undefined as T);
  return { status: res.status, body: json, text, headers: res.headers };
}

export interface WantError {
  status: number;
  /** The x-errors key: its code and message are the body's. */
  error: string;
  /** The x-rules id one detail must carry in `code`. */
  rule?: string;
  /** The field that detail must name in `target`. */
  target?: string;
}

/** Asserts an OData error body: the catalogue entry's code and message, and a detail for the rule and field. */
export async function expectError(got: { status: number; body: unknown }, want: WantError): Promise<void> {
  const doc = await loadSpec('odyssee');
  const entry = doc['x-errors']?.[want.error];
  expect(entry, `x-errors has ${want.error}`).toBeDefined();
  expect(got.status).toBe(want.status);
  expect(entry?.status).toBe(want.status);
  const { error } = got.body as ODataError;
  expect(error.code).toBe(entry?.code);
  expect(error.message).toBe(entry?.message);
  if (want.rule !== undefined || want.target !== undefined) {
    expect(error.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          ...(want.rule !== undefined ? { code: want.rule } : {}),
          ...(want.target !== undefined ? { target: want.target } : {}),
        }),
      ]),
    );
  }
}

export const ids = {
  task: 'f7d828f8-7316-428f-9ae8-f04ecefda91e',
  logTask: 'ec77bdfe-882b-4254-84a2-979f5c2b20a9',
  importedTask: 'b5c1d2e3-f405-4617-a829-3b4c5d6e7f80',
  job: '465cd9f6-60fc-4b63-8386-9fd2780ae406',
  parentJob: '056751fc-2095-462f-9559-c7fa1cb9b014',
  mobileJob: 'e4f5a6b7-c8d9-4e0f-a1b2-c3d4e5f6a7b9',
  log: 'c6d7e8f9-0a1b-4c2d-93e4-f5a6b7c8d9e0',
  unknown: '00000000-0000-4000-8000-000000000000',
} as const;

/** The vendor's date form: 7 fractional digits, `+00:00`. */
export const vendorDateForm = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}\+00:00$/;
