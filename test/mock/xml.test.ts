/**
 * XML both ways, where Prism alone falls short: Odyssee's `TaskActivityLog/Save` reads XML bodies (Prism rejects
 * every XML body against an object schema, stoplightio/prism issue 2050) and answers XML on `Accept`; R7-Office
 * answers XML on its `.xml` paths.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningMock } from '../../src/mock/index.ts';
import { mocksDir } from '../../src/spec/index.ts';
import { authHeaders, responseExample, startTestMock } from '../support/mock-client.ts';
import { expectConforms } from '../support/spec-check.ts';

const sample = (file: string) => readFileSync(join(mocksDir, file), 'utf8');
const xmlSample = sample('odyssee/saveTaskActivityLog/seed-xml.request.xml');

let mock: RunningMock;
beforeAll(async () => {
  mock = await startTestMock();
});
afterAll(() => mock?.close());

const save = (body: string, headers: Record<string, string>) =>
  fetch(`${mock.bases.odyssee}/api/TaskActivityLog/Save`, {
    method: 'POST',
    headers: { ...authHeaders.odyssee, ...headers },
    body,
  });

describe('Odyssee TaskActivityLog/Save in XML', () => {
  it('accepts the documented XML sample and answers the documented XML example', async () => {
    const res = await save(xmlSample, { 'content-type': 'application/xml', accept: 'application/xml' });
    expect(res.status).toBe(200);
    // Written as the sandbox writes it (the vendor's XML, the charset the sandbox names).
    expect(res.headers.get('content-type')).toBe('application/xml; charset=utf-8');
    expect(res.headers.get('sl-violations')).toBeNull();
    const body = await expectConforms('odyssee', 'saveTaskActivityLog', res);
    expect(body).toBe(
      await responseExample('odyssee', 'saveTaskActivityLog', '200', 'application/xml', 'saveTaskActivityLog-seed-xml'),
    );
  });

  it.each([['text/xml'], ['application/xml']])('reads a %s body and answers JSON when asked', async (type) => {
    const res = await save(xmlSample, { 'content-type': type, accept: 'application/json' });
    expect(res.status).toBe(200);
    expect(JSON.parse(await expectConforms('odyssee', 'saveTaskActivityLog', res))).toEqual(
      await responseExample('odyssee', 'saveTaskActivityLog', '200', 'application/json', 'saveTaskActivityLog-seed'),
    );
  });

  it('answers text/xml with the same documented XML', async () => {
    const res = await save(xmlSample, { 'content-type': 'application/xml', accept: 'text/xml' });
    expect(res.headers.get('content-type')).toBe('text/xml; charset=utf-8');
    expect(await expectConforms('odyssee', 'saveTaskActivityLog', res)).toMatch(/^<task_activity_log /);
  });

  it.each([
    [
      'a value of the wrong type',
      xmlSample.replace('<is_closed>true</is_closed>', '<is_closed>maybe</is_closed>'),
      'is_closed',
      'ValidationFailed',
    ],
    [
      'a malformed id',
      xmlSample.replace(/<task_id>[^<]+<\/task_id>/, '<task_id>not-a-guid</task_id>'),
      'task_id',
      'ValidationFailed',
    ],
    ['another root element', xmlSample.replaceAll('task_activity_log', 'task'), 'root element', 'ValidationFailed'],
    ['malformed XML', '<task_activity_log><id>', 'malformed XML', 'MalformedBody'],
    ['a DOCTYPE', `<!DOCTYPE x [<!ENTITY e "e">]>${xmlSample}`, 'DOCTYPE', 'MalformedBody'],
  ])('refuses %s with the documented 400', async (_name, body, named, code) => {
    const res = await save(body, { 'content-type': 'application/xml', accept: 'application/json' });
    expect(res.status).toBe(400);
    expect(res.headers.get('sl-violations')).toContain(named);
    expect(JSON.parse(await expectConforms('odyssee', 'saveTaskActivityLog', res))).toMatchObject({
      error: { code },
    });
  });

  it('strict mode refuses an invalid XML body with a problem naming the field', async () => {
    const strict = await startTestMock({ strict: true });
    try {
      const res = await fetch(`${strict.bases.odyssee}/api/TaskActivityLog/Save`, {
        method: 'POST',
        headers: { ...authHeaders.odyssee, 'content-type': 'application/xml' },
        body: xmlSample.replace('<is_closed>true', '<is_closed>maybe'),
      });
      expect(res.status).toBe(422);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      const problem = (await res.json()) as { validation: { location: string[] }[] };
      expect(problem.validation.map((v) => v.location.join('.'))).toEqual(['body.is_closed']);
    } finally {
      await strict.close();
    }
  });
});

describe('Odyssee answers XML for any operation when Accept asks', () => {
  it('writes the generated task as DataContract XML that conforms', async () => {
    const res = await fetch(`${mock.bases.odyssee}/api/Task(f7d828f8-7316-428f-9ae8-f04ecefda91e)`, {
      headers: { ...authHeaders.odyssee, accept: 'application/xml' },
    });
    expect(res.status).toBe(200);
    expect(await expectConforms('odyssee', 'getTask', res)).toMatch(/^<task xmlns:i=/);
  });
});

describe('R7-Office .xml paths', () => {
  const r7 = (path: string, init: RequestInit = {}) =>
    fetch(`${mock.bases['r7-office']}/api/2.0/crm/task/1234${path}`, {
      ...init,
      headers: { ...authHeaders['r7-office'], 'content-type': 'application/json', ...(init.headers as object) },
    });

  it('answers PUT .xml with the documented text/xml example', async () => {
    // The vendor answers XML on .xml to anything but a JSON request: a form, as ONLYOFFICE's own clients send.
    const form = 'title=Call+back&deadline=2027-05-06T10%3A00%3A00&categoryid=30';
    const res = await r7('.xml', {
      method: 'PUT',
      body: form,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/xml; charset=UTF-8');
    const body = await expectConforms('r7-office', 'updateTaskXml', res);
    expect(body).toBe(await responseExample('r7-office', 'updateTaskXml', '200', 'text/xml', 'updateTaskXml-form'));
  });

  it('answers GET .xml with the task envelope as <result> XML that conforms', async () => {
    // No JSON Content-Type: the vendor answers a .xml path in XML (and in JSON to a JSON request).
    const res = await fetch(`${mock.bases['r7-office']}/api/2.0/crm/task/1234.xml`, {
      headers: authHeaders['r7-office'],
    });
    expect(res.status).toBe(200);
    expect(await expectConforms('r7-office', 'getTaskXml', res)).toMatch(/^<result><count>/);
  });

  it('answers the same path without .xml in JSON', async () => {
    const res = await r7('');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=UTF-8');
    await expectConforms('r7-office', 'getTask', res);
  });

  it('answers a refused .xml request with the documented XML error', async () => {
    const res = await r7('.xml', {
      method: 'PUT',
      body: 'title=T&deadline=2027-05-06&categoryid=30&entityType=some+text',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(400);
    expect(await expectConforms('r7-office', 'updateTaskXml', res)).toMatch(/^<result>/);
  });
});
