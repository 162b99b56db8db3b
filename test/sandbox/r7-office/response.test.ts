/**
 * The answer as the vendor writes it (ApiStandartResponce, JsonNetSerializer with JsonStringConverter, TaskWrapper,
 * EmployeeWraper, ApiHttpHandlerBase.RespondTo): envelope and member order, defaults left out, `\/`, the lost
 * user, the PUT's in-memory task against the GET's stored one, ETag and Cache-Control, and XML as the JSON
 * converted under <result>, chosen by the path's suffix and the request's Content-Type, never by Accept.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sandboxData } from '../../../src/vendors/r7-office/seed.ts';
import { type RunningSandbox, startSandbox } from '../../support/sandbox.ts';
import {
  answer,
  call,
  data,
  expectError,
  expectPage,
  putTask,
  readTask,
  type Suffix,
  type TaskEnvelope,
  tokenFor,
  validBody,
} from './helpers.ts';

let sandbox: RunningSandbox;
let base: string;
let token: string;

beforeAll(async () => {
  sandbox = await startSandbox();
  base = sandbox.base['r7-office'] as string;
  token = await tokenFor(base);
});
afterAll(() => sandbox.close());
beforeEach(async () => {
  await fetch(`${sandbox.origin}/_sandbox/reset`, { method: 'POST' });
});

const JSON_TYPE = 'application/json; charset=UTF-8';
const XML_TYPE = 'text/xml; charset=UTF-8';

/** The vendor's XML for a JSON value, written here independently of the sandbox's writer (XElement's rules). */
function expectedXml(name: string, value: unknown): string {
  if (value === null) return `<${name} />`;
  if (Array.isArray(value)) return value.map((v) => expectedXml(name, v)).join('');
  if (typeof value === 'object') {
    const inner = Object.entries(value as object)
      .map(([k, v]) => expectedXml(k, v))
      .join('');
    return inner ? `<${name}>${inner}</${name}>` : `<${name} />`;
  }
  const text = String(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<${name}>${text}</${name}>`;
}

describe('JSON', () => {
  it('the envelope: count, status, statusCode, response; each wrapper’s id last, a user’s first', async () => {
    const res = await call(base, { token });
    const { body } = await answer<TaskEnvelope>(res, 'getTask');
    expect(Object.keys(body)).toEqual(['count', 'status', 'statusCode', 'response']);
    const task = body.response as unknown as Record<string, Record<string, unknown>>;
    expect(Object.keys(task)).toEqual([
      'createBy',
      'created',
      'contact',
      'title',
      'description',
      'deadLine',
      'alertValue',
      'responsible',
      'category',
      'entity',
      'canEdit',
      'id',
    ]);
    expect(Object.keys(task.category as object).at(-1)).toBe('id');
    expect(Object.keys(task.contact as object).at(-1)).toBe('id');
    expect(Object.keys(task.createBy as object)[0]).toBe('id');
    expect(Object.keys(task.responsible as object)[0]).toBe('id');
    expect(typeof body.status).toBe('number');
  });

  it('an error: status, statusCode, error {message, hresult, data {}}; no count', async () => {
    const body = await expectError(await call(base, { id: 99999, token }), 'getTask', 'task-not-found');
    expect(Object.keys(body)).toEqual(['status', 'statusCode', 'error']);
  });

  it('escapes / as \\/ in every string (JsonStringConverter), and reads back the same text', async () => {
    const res = await call(base, {
      method: 'PUT',
      token,
      body: validBody({ title: 'a/b </script>', description: 'x\\y "q"' }),
    });
    const { body, text } = await answer<TaskEnvelope>(res, 'updateTask');
    expect(text).toContain('"title":"a\\/b <\\/script>"');
    expect(text).toContain('"description":"x\\\\y \\"q\\""');
    expect(text).toContain('"profileUrl":"https:\\/\\/');
    expect(text).not.toMatch(/[^\\]\/(?![^"]*":)/);
    expect(body.response.title).toBe('a/b </script>');
  });

  it('leaves defaults out: false, 0 and null members (isClosed, alertValue, canEdit, a missing contact)', async () => {
    const { body } = await putTask(base, token, { title: 'Bare', deadline: '2027-05-06', categoryid: 30 }, 1237);
    for (const absent of ['isClosed', 'alertValue', 'contact', 'entity', 'description'])
      expect(body.response).not.toHaveProperty(absent);
    const other = await readTask(base, token, data.notEditable);
    expect(other.response).not.toHaveProperty('canEdit');
    const closed = await readTask(base, token, 1235);
    expect(closed.response.isClosed ?? false).toBe(sandboxData.tasks.find((t) => t.id === 1235)?.isClosed ?? false);
  });

  it('answers the PUT with the task as sent (deadline to the tick, no description when none was sent); GET reads the stored row', async () => {
    const { body: put } = await putTask(base, token, {
      title: 'T',
      deadline: '2027-05-06T10:00:00.4000001Z',
      categoryid: 30,
    });
    expect(put.response.deadLine).toBe('2027-05-06T10:00:00.4000001Z');
    expect(put.response).not.toHaveProperty('description');
    const got = (await readTask(base, token)).response;
    expect(got.deadLine).toBe('2027-05-06T10:00:00.0000000Z');
    expect(got.description).toBe('');
  });

  it('answers an unknown or empty responsible as the vendor’s lost user', async () => {
    for (const responsibleid of ['aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee', '']) {
      const { body } = await putTask(base, token, validBody({ responsibleid }));
      expect(body.response.responsible).toEqual({
        id: data.lostUser,
        displayName: 'Profile has been removed',
        avatarSmall: '/skins/default/images/default_user_photo_size_32-32.png',
        profileUrl: 'https://yourportal.r7-office.ru/Products/People/Profile.aspx?',
      });
    }
  });

  it('counts the category’s tasks in relativeItemsCount', async () => {
    const count = (id: number) => sandboxData.tasks.filter((t) => t.categoryid === id).length;
    expect((await readTask(base, token, 1234)).response.category?.relativeItemsCount).toBe(count(1234));
    const { body } = await putTask(base, token, validBody({ categoryid: 32 }), 1235);
    expect(body.response.category?.relativeItemsCount).toBe(count(32) + 1);
    expect((await readTask(base, token, 1234)).response.category?.relativeItemsCount).toBe(count(1234));
  });

  it('sends a fresh ETag and Cache-Control: private, max-age=0 with every envelope, errors included', async () => {
    const etags = new Set<string>();
    for (const res of [await call(base, { token }), await call(base, { token }), await call(base, { id: 0, token })]) {
      expect(res.headers.get('cache-control')).toBe('private, max-age=0');
      const etag = res.headers.get('etag') ?? '';
      expect(etag).toMatch(/^[0-9a-f]{32}$/);
      etags.add(etag);
      await res.text();
    }
    expect(etags.size).toBe(3);
  });
});

describe('the format: the suffix and the request’s Content-Type, never Accept', () => {
  const cases: [suffix: Suffix, contentType: string | undefined, accept: string | undefined, answered: string][] = [
    ['', undefined, 'application/xml', JSON_TYPE],
    ['.json', undefined, 'text/xml', JSON_TYPE],
    ['.xml', undefined, 'application/json', XML_TYPE],
    ['.tml', undefined, undefined, XML_TYPE],
    ['.xml', 'application/json', undefined, JSON_TYPE],
    ['.xml', 'application/json; charset=utf-8', undefined, JSON_TYPE],
    // Case-sensitive: not application/json, so XML.
    ['.xml', 'Application/JSON', undefined, XML_TYPE],
    ['.xml', 'text/plain', undefined, XML_TYPE],
    ['', 'text/plain', 'text/xml', JSON_TYPE],
  ];

  it.each(cases)(
    'task/1234%s with Content-Type %s and Accept %s answers %s',
    async (suffix, contentType, accept, answered) => {
      const res = await call(base, {
        xml: suffix,
        token,
        headers: { ...(contentType ? { 'content-type': contentType } : {}), ...(accept ? { accept } : {}) },
      });
      const { status } = await answer(res, suffix === '.xml' || suffix === '.tml' ? 'getTaskXml' : 'getTask');
      expect(status).toBe(200);
      expect(res.headers.get('content-type')).toBe(answered);
    },
  );
});

it('a GET declared text/xml is read as XML too: no body is 500 "Root element is missing."', async () => {
  await expectError(
    await call(base, { token, headers: { 'content-type': 'text/xml' } }),
    'getTask',
    'malformed-xml',
    'Root element is missing.',
  );
});

describe('XML: the JSON converted under <result>', () => {
  it.each([1234, 1235, 1236, 1237, 1238])(
    'task %i: the same content, no declaration, in the same order',
    async (id) => {
      const json = (await readTask(base, token, id)) as unknown;
      const res = await call(base, { id, xml: true, token });
      const { text } = await answer(res, 'getTaskXml');
      expect(text).toBe(expectedXml('result', json));
    },
  );

  it('an error envelope: <result> with <data />', async () => {
    const res = await call(base, { id: 99999, xml: '.tml', token });
    const { text } = await answer(res, 'getTaskXml');
    expect(text).toBe(
      '<result><status>1</status><statusCode>404</statusCode><error><message>Not found</message><hresult>-2147467259</hresult><data /></error></result>',
    );
  });

  it('escapes & < > in text, and writes / as it is', async () => {
    const res = await call(base, {
      method: 'PUT',
      xml: true,
      token,
      body: 'title=a%2Fb+%3C%26%3E&deadline=2027-05-06&categoryid=30',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    const { text } = await answer(res, 'updateTaskXml');
    expect(text).toContain('<title>a/b &lt;&amp;&gt;</title>');
  });

  it('a character XML cannot hold fails the XML answer with the host’s 500 page — after the task was saved', async () => {
    const res = await call(base, {
      method: 'PUT',
      xml: true,
      token,
      body: 'title=bell%07&deadline=2027-05-06&categoryid=30',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    await expectPage(res, 'updateTaskXml', 'server-error-page');
    const { text } = await answer(await call(base, { token }), 'getTask');
    expect(text).toContain('"title":"bell\\u0007"');
  });
});
