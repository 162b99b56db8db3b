/**
 * Input a partner should never send: every one is a 4xx in the OData error shape, never a 5xx, and what was stored
 * before is unchanged afterwards.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BODY_LIMIT } from '../../../src/server/app.ts';
import { type RunningSandbox, startSandbox } from '../../support/sandbox.ts';
import { type Call, call, expectError, ids, send, type WantError } from './helpers.ts';

let sandbox: RunningSandbox;
let base: string;
beforeAll(async () => {
  sandbox = await startSandbox();
  base = sandbox.base.odyssee as string;
});
afterAll(() => sandbox.close());

const taskPath = `/api/Task(${ids.task})`;
const valid = {
  subject: 'Valid',
  task_type_id: '86819a15-5d35-412e-9ba1-be52c6ea1a85',
  task_priority_id: '879d5425-6219-473e-9a54-eab2199b1a96',
  company_id: '8505b8a2-cdb4-4cbb-bd2b-2f7661e901b2',
};

const cases: [string, { operation: string; given: Call; want: WantError }][] = [
  [
    'malformed JSON',
    {
      operation: 'updateTask',
      given: { path: taskPath, body: '{"subject": "unterminated' },
      want: { status: 400, error: 'malformed-body' },
    },
  ],
  [
    'an empty JSON body',
    { operation: 'updateTask', given: { path: taskPath, body: '' }, want: { status: 400, error: 'malformed-body' } },
  ],
  [
    'a JSON array instead of an object',
    {
      operation: 'updateTask',
      given: { path: taskPath, body: '[]' },
      want: { status: 400, error: 'validation-failed' },
    },
  ],
  [
    'malformed XML',
    {
      operation: 'updateTask',
      given: { path: taskPath, contentType: 'application/xml', body: '<task><subject>open</task>' },
      want: { status: 400, error: 'malformed-body' },
    },
  ],
  [
    'XML with a DOCTYPE (external entity)',
    {
      operation: 'saveTaskActivityLog',
      given: {
        method: 'POST',
        path: '/api/TaskActivityLog/Save',
        contentType: 'text/xml',
        body: `<?xml version="1.0"?><!DOCTYPE t [<!ENTITY x SYSTEM "file:///etc/passwd">]><task_activity_log><subject>&x;</subject><task_id>${ids.task}</task_id></task_activity_log>`,
      },
      want: { status: 400, error: 'malformed-body' },
    },
  ],
  [
    'XML with the wrong root element',
    {
      operation: 'updateTask',
      given: {
        path: taskPath,
        contentType: 'application/xml',
        body: '<jobs><name>not a task</name></jobs>',
      },
      want: { status: 400, error: 'validation-failed' },
    },
  ],
  [
    'a wrong content type',
    {
      operation: 'updateTask',
      given: { path: taskPath, contentType: 'text/plain', body: JSON.stringify(valid) },
      want: { status: 415, error: 'unsupported-media-type' },
    },
  ],
  [
    'form data',
    {
      operation: 'updateTask',
      given: { path: taskPath, contentType: 'application/x-www-form-urlencoded', body: 'subject=x' },
      want: { status: 415, error: 'unsupported-media-type' },
    },
  ],
  [
    'an oversized body',
    {
      operation: 'updateTask',
      given: { path: taskPath, body: JSON.stringify({ ...valid, remark: 'r'.repeat(BODY_LIMIT) }) },
      want: { status: 413, error: 'payload-too-large' },
    },
  ],
  [
    'a key that is not a GUID',
    {
      operation: 'updateTask',
      given: { path: '/api/Task(42)', body: valid },
      want: { status: 400, error: 'validation-failed', target: 'id' },
    },
  ],
  [
    'a quoted key',
    {
      operation: 'getTask',
      given: { path: `/api/Task('${ids.task}')` },
      want: { status: 400, error: 'validation-failed', target: 'id' },
    },
  ],
  [
    'wrong types in the body',
    {
      operation: 'updateTask',
      given: { path: taskPath, body: { ...valid, archived: 'yes', id2: 'one', task_type_id: 'type-1' } },
      want: { status: 400, error: 'validation-failed', target: 'id2' },
    },
  ],
  [
    'an Accept the API cannot answer',
    {
      operation: 'updateTask',
      given: { path: taskPath, body: valid, accept: 'text/html' },
      want: { status: 406, error: 'not-acceptable' },
    },
  ],
  [
    'an OData query option the sandbox lacks',
    {
      operation: 'updateTask',
      given: { path: `${taskPath}?$expand=task_type`, body: valid },
      want: { status: 501, error: 'not-implemented', target: '$expand' },
    },
  ],
  [
    'Prefer: return=minimal',
    {
      operation: 'updateTask',
      given: { path: taskPath, body: valid, headers: { prefer: 'return=minimal' } },
      want: { status: 501, error: 'not-implemented' },
    },
  ],
];

describe('bad input', () => {
  it.each(cases)('%s', async (_name, { operation, given, want }) => {
    const before = await send(base, 'getTask', { path: taskPath });
    const got = await send(base, operation, given);
    await expectError(got, want);
    const after = await send(base, 'getTask', { path: taskPath });
    expect(after.body).toEqual(before.body);
  });

  it('an X-Api-Version of any value is ignored, not refused (the version is chosen by host)', async () => {
    for (const version of ['1', 'v1', '2.0']) {
      const got = await send(base, 'getTask', { path: taskPath, headers: { 'x-api-version': version } });
      expect(got.status, version).toBe(200);
    }
  });

  it('an unknown path is 404 in the OData shape', async () => {
    const res = await call(base, { path: '/api/Tasks' });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'NotFound' } });
  });

  it('arbitrary fields in a task body answer 200 or a 4xx that conforms, never a 5xx', async () => {
    const credentials = { user: 'sandbox+fuzz' };
    const known = ['subject', 'archived', 'id2', 'task_type', 'date_create', 'company_code', 'to_id_in_table'];
    const key = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom(...known));
    await fc.assert(
      fc.asyncProperty(fc.dictionary(key, fc.jsonValue({ maxDepth: 2 })), async (extra) => {
        const got = await send(base, 'updateTask', { path: taskPath, body: { ...valid, ...extra }, credentials });
        expect(got.status === 200 || (got.status >= 400 && got.status < 500), got.text).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});
