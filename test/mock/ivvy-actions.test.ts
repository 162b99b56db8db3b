/**
 * iVvy's one operation `POST /api/1.0/crm`, discriminated by `?action=`: each action answers its own example,
 * validates its own body and generates from its own schema; an unknown or missing action is the documented 404.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningMock } from '../../src/mock/index.ts';
import { mocksDir } from '../../src/spec/index.ts';
import { authFor, responseExample, startTestMock } from '../support/mock-client.ts';
import { expectConforms } from '../support/spec-check.ts';

const headers = { 'content-type': 'application/json', accept: 'application/json' };
const addBody = readFileSync(join(mocksDir, 'ivvy/addOrUpdateTask/seed-add.request.json'), 'utf8');

let mock: RunningMock;
beforeAll(async () => {
  mock = await startTestMock();
});
afterAll(() => mock?.close());

const crm = (query: string, body: string, extra: Record<string, string> = {}) =>
  fetch(`${mock.bases.ivvy}/api/1.0/crm${query}`, {
    method: 'POST',
    headers: { ...authFor('ivvy', body), ...headers, ...extra },
    body,
  });

describe('iVvy actions', () => {
  it.each([
    ['addOrUpdateTask', addBody, 'addOrUpdateTask-seed'],
    ['getTaskList', '{}', 'getTaskList-first-page'],
  ])('?action=%s answers its own example', async (action, body, example) => {
    const res = await crm(`?action=${action}`, body);
    expect(res.status).toBe(200);
    const text = await expectConforms('ivvy', action, res);
    expect(JSON.parse(text)).toEqual(await responseExample('ivvy', action, '200', 'application/json', example));
  });

  it.each([
    ['an unknown action', '?action=deleteEverything'],
    ['no action', ''],
    ['an action in the wrong case', '?action=gettasklist'],
  ])('answers %s with the documented 404', async (_name, query) => {
    const res = await crm(query, '{}');
    expect(res.status).toBe(404);
    const body = JSON.parse(await expectConforms('ivvy', 'crm', res)) as { additionalMessages?: string[] };
    expect(body).toMatchObject({ errorCode: 404, message: 'Not Found' });
    expect(body.additionalMessages?.[0]).toMatch(/^action: /);
    expect(res.headers.get('sl-violations')).toContain('action');
  });

  it("validates the body against the action's own schema", async () => {
    // A valid getTaskList body is not a valid addOrUpdateTask body (a new task needs name and endDatetime).
    const res = await crm('?action=addOrUpdateTask', '{"start": 0}');
    expect(res.status).toBe(400);
    expect(JSON.parse(await expectConforms('ivvy', 'addOrUpdateTask', res))).toMatchObject({ specificCode: 24395 });
    // Both actions ignore fields they do not know: this add body's `perPage` is nothing to addOrUpdateTask, and
    // invalid to getTaskList.
    const both = JSON.stringify({ ...(JSON.parse(addBody) as object), perPage: 0 });
    expect((await crm('?action=addOrUpdateTask', both)).status).toBe(200);
    const list = await crm('?action=getTaskList', both);
    expect(list.status).toBe(400);
    expect(JSON.parse(await expectConforms('ivvy', 'getTaskList', list))).toMatchObject({ specificCode: 23016 });
  });

  it("answers Prefer: code=400 with one of the action's own errors", async () => {
    const res = await crm('?action=getTaskList', '{}', { prefer: 'code=400' });
    expect(res.status).toBe(400);
    expect(JSON.parse(await expectConforms('ivvy', 'getTaskList', res))).toMatchObject({ specificCode: 23016 });
  });

  it("does not answer another action's example", async () => {
    const res = await crm('?action=getTaskList', '{}', { prefer: 'example=addOrUpdateTask-seed' });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });

  it.each([['addOrUpdateTask'], ['getTaskList']])(
    'generates a dynamic %s answer from its own schema',
    async (action) => {
      const res = await crm(`?action=${action}`, action === 'getTaskList' ? '{}' : addBody, { prefer: 'dynamic=true' });
      expect(res.status).toBe(200);
      const body = JSON.parse(await expectConforms('ivvy', action, res)) as Record<string, unknown>;
      expect(Object.keys(body)).toContain(action === 'getTaskList' ? 'results' : 'success');
    },
  );

  it('refuses a request with X-Api-Authorization but without the other signing headers as iVvy does (23017)', async () => {
    const res = await fetch(`${mock.bases.ivvy}/api/1.0/crm?action=getTaskList`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-authorization': `IWS sandbox-key:${'0'.repeat(40)}` },
      body: '{}',
    });
    expect(res.status).toBe(400);
    const body = JSON.parse(await expectConforms('ivvy', 'getTaskList', res)) as { message?: string };
    expect(body).toMatchObject({ specificCode: 23017, message: "'Content-MD5' is required" });
  });

  it('refuses a request without any signing header with 401 first, as the sandbox does', async () => {
    const res = await fetch(`${mock.bases.ivvy}/api/1.0/crm?action=getTaskList`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(401);
    expect(JSON.parse(await expectConforms('ivvy', 'getTaskList', res))).toMatchObject({ errorCode: 401 });
  });

  it('refuses a request with the signing headers but no X-Api-Authorization (401, documented)', async () => {
    const { 'x-api-authorization': _dropped, ...unsigned } = authFor('ivvy', '{}');
    const res = await fetch(`${mock.bases.ivvy}/api/1.0/crm?action=getTaskList`, {
      method: 'POST',
      headers: { ...unsigned, ...headers },
      body: '{}',
    });
    expect(res.status).toBe(401);
    await expectConforms('ivvy', 'getTaskList', res);
  });

  it('refuses a Content-MD5 that is not the MD5 of the body (23016), as iVvy does', async () => {
    const res = await crm('?action=getTaskList', '{}', { 'content-md5': authFor('ivvy', '{ }')['content-md5'] ?? '' });
    expect(res.status).toBe(400);
    expect(JSON.parse(await expectConforms('ivvy', 'getTaskList', res))).toMatchObject({
      specificCode: 23016,
      additionalMessages: ['Value must be the hex MD5 of the request body'],
    });
  });
});
