/**
 * Input the schema cannot describe (bodies that do not parse, wrong content types, oversized bodies, path ids that
 * are no positive integers): always a 4xx in R7's envelope (XML on the `.xml` path), never a 5xx, and the stored
 * task unchanged.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BODY_LIMIT } from '../../../src/server/app.ts';
import { type RunningSandbox, startSandbox } from '../../support/sandbox.ts';
import { answer, call, expectError, readTask, type TaskEnvelope, tokenFor, validBody } from './helpers.ts';

let sandbox: RunningSandbox;
let base: string;
let token: string;
let before: TaskEnvelope;

beforeAll(async () => {
  sandbox = await startSandbox();
  base = sandbox.base['r7-office'] as string;
  token = await tokenFor(base);
  before = await readTask(base, token);
});
afterAll(() => sandbox.close());
beforeEach(async () => {
  expect(await readTask(base, token)).toEqual(before);
});

const validation = (field: string) => `Request validation failed: ${field}`;
const big = JSON.stringify(validBody({ description: 'x'.repeat(BODY_LIMIT) }));

type Case = [
  name: string,
  request: { id?: string | number; body?: unknown; headers?: Record<string, string> },
  key: string,
  message: string | RegExp,
];
const cases: Case[] = [
  ['malformed JSON', { body: '{"title": "x",' }, 'malformed-body', 'The request body is not valid JSON.'],
  ['an empty JSON body', { body: '' }, 'malformed-body', 'The request body is not valid JSON.'],
  ['no body at all', { headers: {} }, 'malformed-body', 'The request body is not valid JSON.'],
  ['a JSON array', { body: '[]' }, 'validation-failed', /^Request validation failed: /],
  ['JSON null', { body: 'null' }, 'validation-failed', /^Request validation failed: /],
  [
    'a __proto__ key',
    { body: '{"__proto__": {"x": 1}, "title": "t"}' },
    'malformed-body',
    'The request body is not valid JSON.',
  ],
  [
    'text/plain',
    { body: JSON.stringify(validBody()), headers: { 'content-type': 'text/plain' } },
    'unsupported-media-type',
    'The request content type is not supported. Send application/json.',
  ],
  [
    'form-urlencoded',
    {
      body: 'title=x&deadline=2025-01-01T00:00:00Z&categoryid=1234',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    },
    'unsupported-media-type',
    'The request content type is not supported. Send application/json.',
  ],
  [
    'an XML body',
    { body: '<task><title>x</title></task>', headers: { 'content-type': 'application/xml' } },
    'unsupported-media-type',
    'The request content type is not supported. Send application/json.',
  ],
  [
    'malformed XML',
    { body: '<task><title>x</task>', headers: { 'content-type': 'text/xml' } },
    'malformed-body',
    'The request body is not valid JSON.',
  ],
  [
    'XML with a DOCTYPE',
    { body: '<!DOCTYPE t [<!ENTITY x "y">]><t>&x;</t>', headers: { 'content-type': 'application/xml' } },
    'malformed-body',
    'The request body is not valid JSON.',
  ],
  ['a body over 1 MiB', { body: big }, 'payload-too-large', 'The request body is too large.'],
  ['taskid that is no number', { id: 'abc', body: validBody() }, 'validation-failed', validation('taskid')],
  ['a negative taskid', { id: -1234, body: validBody() }, 'validation-failed', validation('taskid')],
  ['taskid 0', { id: 0, body: validBody() }, 'validation-failed', validation('taskid')],
  ['taskid beyond int32', { id: '99999999999999999999', body: validBody() }, 'validation-failed', validation('taskid')],
  ['a fractional taskid', { id: '12.5', body: validBody() }, 'task-not-found', 'Task is not found'],
  ['taskid with .json', { id: '1234.json', body: validBody() }, 'task-not-found', 'Task is not found'],
  [
    'an Accept the path cannot answer',
    { body: validBody(), headers: { accept: 'text/html' } },
    'validation-failed',
    /^Request validation failed: cannot answer in text\/html/,
  ],
];

describe.each([
  ['JSON', false],
  ['XML', true],
])('%s path', (_label, xml) => {
  it.each(cases)('%s → 4xx in the envelope', async (_name, request, key, message) => {
    const res = await call(base, { method: 'PUT', token, xml, ...request });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.headers.get('content-type')).toMatch(xml ? /^text\/xml/ : /^application\/json/);
    await expectError(res, xml ? 'updateTaskXml' : 'updateTask', key, message);
  });
});

it('errors on the .xml path honour Accept: application/xml', async () => {
  const res = await call(base, { id: 999_999, xml: true, token, headers: { accept: 'application/xml' } });
  expect(res.headers.get('content-type')).toBe('application/xml; charset=utf-8');
  await expectError(res, 'getTaskXml', 'task-not-found', 'Task is not found');
});

it('unknown members of the body are ignored, as the vendor’s model binder ignores them', async () => {
  const res = await call(base, {
    method: 'PUT',
    token,
    body: validBody({ title: 'Extra', taskid: 1, foo: { bar: 1 } }),
  });
  expect((await answer<TaskEnvelope>(res, 'updateTask')).body.response).toMatchObject({ id: 1234, title: 'Extra' });
  await fetch(`${sandbox.origin}/_sandbox/reset`, { method: 'POST' });
});

it('GET reads back exactly what PUT answered', async () => {
  const { body: put } = await answer<TaskEnvelope>(
    await call(base, {
      method: 'PUT',
      id: 1236,
      token,
      body: validBody({ title: 'Read back', alertValue: 15, entityType: 'case', entityid: 502 }),
    }),
    'updateTask',
  );
  expect(await readTask(base, token, 1236)).toEqual(put);
  const { text } = await answer(await call(base, { id: 1236, xml: true, token }), 'getTaskXml');
  expect(text).toContain('<title>Read back</title>');
  expect(text).toContain('<alertValue>15</alertValue>');
  expect(text).not.toContain('<isClosed>'); // open: the default, omitted
  await fetch(`${sandbox.origin}/_sandbox/reset`, { method: 'POST' });
});
