/**
 * Requests the sandbox must refuse in iVvy's error shape, never with a 5xx, and without changing stored data:
 * malformed JSON, wrong content type, an oversized body, unknown or missing action, a body that is no object.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningSandbox, startSandbox } from '../../support/sandbox.ts';
import { expectConforms } from '../../support/spec-check.ts';
import { type Call, crmPath, expectError, listTasks, partnerKey, send, type WantedError } from './helpers.ts';

let sandbox: RunningSandbox;
let base: string;
beforeAll(async () => {
  sandbox = await startSandbox();
  base = sandbox.base.ivvy as string;
});
afterAll(() => sandbox.close());

const apiKey = partnerKey('bad-input');
const oversized = `{"name":"${'x'.repeat(1024 * 1024)}","endDatetime":"2021-11-01 17:00:00"}`;

const notJson = { status: 400, specificCode: 23016, message: "'body' does not validate" };
const notObject = { ...notJson, additionalMessages: ['Value must be of type object'] };

it.each<[string, string, Call, WantedError]>([
  ['malformed JSON', 'addOrUpdateTask', { action: 'addOrUpdateTask', body: '{"name": "x",' }, notJson],
  [
    'an empty JSON body to addOrUpdateTask: no request data, so no name and no endDatetime',
    'addOrUpdateTask',
    { action: 'addOrUpdateTask', body: '' },
    { status: 400, specificCode: 24395, fields: ['name', 'endDatetime'] },
  ],
  ['whitespace only', 'getTaskList', { action: 'getTaskList', body: '  ' }, notJson],
  ['a JSON array', 'addOrUpdateTask', { action: 'addOrUpdateTask', body: '[]' }, notObject],
  ['JSON null', 'getTaskList', { action: 'getTaskList', body: 'null' }, notObject],
  ['a JSON string', 'getTaskList', { action: 'getTaskList', body: '"x"' }, notObject],
  [
    'text/plain',
    'addOrUpdateTask',
    { action: 'addOrUpdateTask', signWith: { contentType: 'text/plain' } },
    { status: 415, fields: ['Content-Type'] },
  ],
  [
    'a form body',
    'addOrUpdateTask',
    { action: 'addOrUpdateTask', body: 'name=x', signWith: { contentType: 'application/x-www-form-urlencoded' } },
    { status: 415 },
  ],
  [
    'XML',
    'addOrUpdateTask',
    { action: 'addOrUpdateTask', body: '<task><name>x</name></task>', signWith: { contentType: 'application/xml' } },
    { status: 415 },
  ],
  ['no Content-Type', 'getTaskList', { headers: { 'Content-Type': null } }, { status: 415 }],
  ['a body over 1 MiB', 'addOrUpdateTask', { action: 'addOrUpdateTask', body: oversized }, { status: 413 }],
  ['an unknown action', 'crm', { action: 'deleteTask' }, { status: 404, fields: ['action'] }],
  ['an action in another case', 'crm', { action: 'getTasklist' }, { status: 404, fields: ['action'] }],
  ['no action', 'crm', { action: null }, { status: 404, fields: ['action'] }],
  ['Accept: application/xml', 'getTaskList', { headers: { Accept: 'application/xml' } }, { status: 406 }],
])('%s is refused', async (_name, operation, call, want) => {
  const tenant = `ivvy:${apiKey}`;
  const before = await sandbox.store.list(tenant, 'ivvy.task');
  const res = await send(base, { apiKey, ...call });
  expect(res.status).toBeLessThan(500);
  const text = await expectConforms('ivvy', operation, res);
  expectError({ status: res.status, body: JSON.parse(text) }, want);
  expect(await sandbox.store.list(tenant, 'ivvy.task')).toEqual(before);
});

it('a refused request leaves what getTaskList answers unchanged', async () => {
  const before = await listTasks(base, apiKey);
  for (const call of [
    { action: 'addOrUpdateTask', body: '{"name":"half' },
    {
      action: 'addOrUpdateTask',
      body: '{"name":"x","endDatetime":"2021-11-01 17:00:00","leadId":2665,"contactId":45219}',
    },
    { path: `${crmPath('addOrUpdateTask')}&action=getTaskList` },
  ] satisfies Call[]) {
    const res = await send(base, { apiKey, ...call });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    await res.arrayBuffer();
  }
  expect(await listTasks(base, apiKey)).toEqual(before);
});

it('an empty JSON body is a call with no request data (ivvy-sdk-net CallAsync sends "" when it has none)', async () => {
  const res = await send(base, { apiKey, action: 'getTaskList', body: '' });
  const text = await expectConforms('ivvy', 'getTaskList', res);
  expect(res.status, text).toBe(200);
  expect(JSON.parse(text)).toEqual(await listTasks(base, apiKey));
});
