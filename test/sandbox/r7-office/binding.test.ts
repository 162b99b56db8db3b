/**
 * ApiArgumentBuilder (module/ASC.Api/ASC.Api/Impl/ApiArgumentBuilder.cs): how the vendor reads a request into
 * UpdateTask's and GetTaskByID's parameters — the body by its media type, names in any case, route before query
 * before body, every value through its text and .NET's TypeConverter, parameters in declaration order — and the
 * answers for what it cannot read.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningSandbox, startSandbox } from '../../support/sandbox.ts';
import {
  answer,
  call,
  data,
  expectError,
  form,
  putTask,
  readTask,
  type TaskEnvelope,
  tokenFor,
  validBody,
  xmlBody,
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

const put = (body: unknown, headers: Record<string, string> = {}, query?: string) =>
  call(base, { method: 'PUT', token, body, headers, ...(query ? { query } : {}) });
const accepted = async (res: Response) => {
  const { status, body, text } = await answer<TaskEnvelope>(res, 'updateTask');
  expect(status, text).toBe(200);
  return body.response;
};
const GUID_MESSAGE = 'Guid should contain 32 digits with 4 dashes (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx).';
const BOOL_MESSAGE = 'String was not recognized as a valid Boolean.';

describe('Int32 values (Int32Converter): categoryid', () => {
  it.each([
    ['"1234"', '1234'],
    ['" 1234 " (white space trimmed)', ' 1234 '],
    ['"+1234"', '+1234'],
    ['"0x4D2" (hexadecimal)', '0x4D2'],
    ['"#4d2" (hexadecimal)', '#4d2'],
    ['"&H4D2" (hexadecimal)', '&H4D2'],
    ['"001234"', '001234'],
    ['the JSON number 1234.0, written as "1234"', 1234.0],
  ])('accepts %s', async (_name, value) => {
    const body = `{"title":"T","deadline":"2027-05-06","categoryid":${typeof value === 'number' ? '1234.0' : JSON.stringify(value)}}`;
    expect((await accepted(await put(body))).category?.id).toBe(1234);
  });

  it('reads the JSON number 1e3 as "1000": an unknown category, 404', async () => {
    await expectError(
      await put('{"title":"T","deadline":"2027-05-06","categoryid":1e3}'),
      'updateTask',
      'category-not-found',
    );
  });

  it.each([
    ['"1234.0"', '"1234.0"', 'format-error', 'Input string was not in a correct format.'],
    ['"1e3"', '"1e3"', 'format-error', 'Input string was not in a correct format.'],
    ['30.5', '30.5', 'format-error', 'Input string was not in a correct format.'],
    ['"abc"', '"abc"', 'format-error', 'Input string was not in a correct format.'],
    ['true', 'true', 'format-error', 'Input string was not in a correct format.'],
    ['"99999999999"', '"99999999999"', 'overflow', 'Value was either too large or too small for an Int32.'],
    ['99999999999', '99999999999', 'overflow', 'Value was either too large or too small for an Int32.'],
    ['"-2147483649"', '"-2147483649"', 'overflow', 'Value was either too large or too small for an Int32.'],
    ['"" (the default 0)', '""', 'invalid-argument', 'Value does not fall within the expected range.'],
    ['null (the default 0)', 'null', 'invalid-argument', 'Value does not fall within the expected range.'],
    ['"0"', '"0"', 'invalid-argument', 'Value does not fall within the expected range.'],
    ['"-5"', '"-5"', 'invalid-argument', 'Value does not fall within the expected range.'],
  ])('refuses %s', async (_name, json, key, message) => {
    await expectError(
      await put(`{"title":"T","deadline":"2027-05-06","categoryid":${json}}`),
      'updateTask',
      key,
      message,
    );
  });
});

describe('Boolean values (BooleanConverter): isNotify', () => {
  it.each(['true', 'True', ' TRUE ', 'false', 'FALSE'])('accepts "%s"', async (value) => {
    await accepted(await put(validBody({ isNotify: value })));
  });

  it.each([
    ['"1"', '"1"'],
    ['"yes"', '"yes"'],
    ['the JSON number 1', '1'],
  ])('refuses %s with 400 "%s"', async (_name, json) => {
    await expectError(
      await put(`{"title":"T","deadline":"2027-05-06","categoryid":1234,"isNotify":${json}}`),
      'updateTask',
      'format-error',
      BOOL_MESSAGE,
    );
  });
});

describe('Guid values (GuidConverter): responsibleid', () => {
  it.each([
    ['dashed, mixed case', '9924256A-739C-462b-AF15-E652A3B1B6EB'],
    ['in braces', '{9924256a-739c-462b-af15-e652a3b1b6eb}'],
    ['in parentheses', '(9924256a-739c-462b-af15-e652a3b1b6eb)'],
    ['32 hexadecimal digits', '9924256a739c462baf15e652a3b1b6eb'],
    ['with white space around', '  9924256a-739c-462b-af15-e652a3b1b6eb '],
  ])('accepts the GUID %s', async (_name, value) => {
    const task = await accepted(await put(validBody({ responsibleid: value })));
    expect(task.responsible).toMatchObject({ id: data.anna, displayName: 'Anna Sokolova' });
  });

  it.each([
    'xyz',
    '9924256a-739c-462b-af15',
    '9924256a-739c-462b-af15-e652a3b1b6ebaa',
    '{9924256a-739c-462b-af15-e652a3b1b6eb',
  ])('refuses "%s"', async (value) => {
    await expectError(await put(validBody({ responsibleid: value })), 'updateTask', 'format-error', GUID_MESSAGE);
  });

  it('an empty responsibleid is the empty GUID: the lost user is answered', async () => {
    const task = await accepted(await put(validBody({ responsibleid: '' })));
    expect(task.responsible).toMatchObject({ id: data.lostUser, displayName: 'Profile has been removed' });
  });
});

describe('names, precedence and order', () => {
  it('finds parameters by name in any letter case and ignores unknown ones', async () => {
    const task = await accepted(
      await put({ TITLE: 'Upper', DeadLine: '2027-05-06', CATEGORYID: '30', colour: 'red', id: 99, taskid: 1235 }),
    );
    expect(task).toMatchObject({ id: 1234, title: 'Upper', category: { id: 30 } });
  });

  it('takes the route’s taskid before the query’s and the body’s, and the query’s fields before the body’s', async () => {
    const task = await accepted(
      await put(validBody({ taskid: 1236, categoryid: 1234 }), {}, 'taskid=1235&categoryid=30&title=From+query'),
    );
    expect(task).toMatchObject({ id: 1234, title: 'From query', category: { id: 30 } });
    expect((await readTask(base, token, 1235)).response.title).not.toBe('From query');
  });

  it('binds the query string of a GET too, after the route', async () => {
    const res = await call(base, { id: 1235, token, query: 'taskid=1234' });
    expect((await answer<TaskEnvelope>(res, 'getTask')).body.response.id).toBe(1235);
  });

  it('takes a missing parameter from a cookie of the same name (HttpRequest[name])', async () => {
    const task = await accepted(await put({ title: 'T', deadline: '2027-05-06' }, { cookie: 'categoryid=30' }));
    expect(task.category?.id).toBe(30);
  });

  it('binds the first value of a JSON array', async () => {
    const task = await accepted(await put(validBody({ title: ['First', 'Second'] })));
    expect(task.title).toBe('First');
  });

  it('flattens a nested object: "title": {"x": …} is title[x], so no title (400 from the DAO)', async () => {
    await expectError(await put(validBody({ title: { x: 'Nested' } })), 'updateTask', 'invalid-argument');
  });

  it('leaves members starting with @ out (they become XML attributes)', async () => {
    await expectError(
      await put({ title: 'T', deadline: '2027-05-06', '@categoryid': 30 }),
      'updateTask',
      'invalid-argument',
    );
  });

  it.each([
    [
      'deadline before responsibleid',
      { deadline: 'next week', responsibleid: 'x', categoryid: 'x' },
      'invalid date time format: next week',
    ],
    ['responsibleid before categoryid', { responsibleid: 'x', categoryid: 'x', isNotify: 'yes' }, GUID_MESSAGE],
    [
      'categoryid before contactid',
      { categoryid: 'x', contactid: '99999999999' },
      'Input string was not in a correct format.',
    ],
    [
      'entityid before isNotify',
      { entityid: '99999999999', isNotify: 'yes' },
      'Value was either too large or too small for an Int32.',
    ],
    ['isNotify before alertValue', { isNotify: 'yes', alertValue: 'x' }, BOOL_MESSAGE],
    [
      'binding before every check of the method',
      { title: '', categoryid: 0, alertValue: 'x' },
      'Input string was not in a correct format.',
    ],
  ])('answers the first parameter that cannot be bound, in declaration order: %s', async (_name, over, message) => {
    const res = await put(validBody(over));
    const body = await answer(res, 'updateTask');
    expect(body.status).toBe(400);
    expect((body.body as { error: { message: string } }).error.message).toBe(message);
  });
});

describe('bodies by media type', () => {
  it('application/json with a charset', async () => {
    const task = await accepted(
      await put(JSON.stringify(validBody({ title: 'With charset' })), {
        'content-type': 'application/json; charset=utf-8',
      }),
    );
    expect(task.title).toBe('With charset');
  });

  it('a form: application/x-www-form-urlencoded, the media type in any case', async () => {
    const body = form({ title: 'By form', deadline: '2027-05-06T10:00:00.120Z', categoryid: '30' });
    const task = await accepted(await put(body.body, { 'content-type': 'Application/X-WWW-Form-Urlencoded' }));
    // No Json.NET on the way: the 3-digit fraction reaches ApiDateTime as sent.
    expect(task).toMatchObject({ title: 'By form', deadLine: '2027-05-06T10:00:00.1200000Z', category: { id: 30 } });
  });

  it('multipart/form-data', async () => {
    const fd = new FormData();
    fd.set('title', 'By multipart');
    fd.set('deadline', '2027-05-06');
    fd.set('categoryid', '30');
    const res = await fetch(`${base}/api/2.0/crm/task/1234`, {
      method: 'PUT',
      headers: { authorization: token },
      body: fd,
    });
    expect((await accepted(res)).title).toBe('By multipart');
  });

  it('text/xml: the root’s children, whatever the root is called', async () => {
    const body = xmlBody({ title: 'By XML', deadline: '2027-05-06T10:00:00.120Z', CategoryId: '30' }, 'anything');
    const task = await accepted(await put(body.body, body.headers));
    expect(task).toMatchObject({ title: 'By XML', deadLine: '2027-05-06T10:00:00.1200000Z', category: { id: 30 } });
  });

  it.each([
    ['Application/JSON (the media type compared case-sensitively)', 'Application/JSON'],
    ['text/json', 'text/json'],
    ['application/xml (only text/xml is XML)', 'application/xml'],
    ['text/plain', 'text/plain'],
  ])('binds nothing from %s: 400 from categoryid', async (_name, type) => {
    const res = await put(JSON.stringify(validBody()), { 'content-type': type });
    await expectError(res, 'updateTask', 'invalid-argument');
  });

  it('binds nothing from a body without Content-Type (read as text/plain)', async () => {
    const res = await fetch(`${base}/api/2.0/crm/task/1234`, {
      method: 'PUT',
      headers: { authorization: token },
      body: new Uint8Array(Buffer.from(JSON.stringify(validBody()))),
    });
    await expectError(res, 'updateTask', 'invalid-argument');
  });

  it.each(['', '   ', 'null', ' null '])('binds nothing from the JSON body %j: 400 from categoryid', async (body) => {
    await expectError(await put(body), 'updateTask', 'invalid-argument');
  });
});

describe('bodies the vendor cannot read', () => {
  it.each([
    [
      'an array',
      '[1]',
      "XmlNodeConverter can only convert JSON that begins with an object. Path '', line 1, position 1.",
    ],
    [
      'a bare string',
      '"text"',
      "XmlNodeConverter can only convert JSON that begins with an object. Path '', line 1, position 6.",
    ],
    [
      'a cut-off object',
      '{"title":"T","deadline":',
      "Unexpected end when reading JSON. Path 'deadline', line 1, position 24.",
    ],
    ['an unquoted name', '{bad', "Unexpected end while parsing unquoted property name. Path '', line 1, position 4."],
    [
      'text after the object',
      '{"title":"T"} x',
      "Additional text encountered after finished reading JSON content: x. Path '', line 1, position 14.",
    ],
  ])('answers JSON that is %s with 400 and Json.NET’s message', async (_name, body, message) => {
    await expectError(await put(body), 'updateTask', 'malformed-json', message);
  });

  it('answers a JSON name XML cannot hold with 400 and System.Xml’s message', async () => {
    await expectError(
      await put('{"a:b:c":1}'),
      'updateTask',
      'json-name-not-xml',
      "The ':' character, hexadecimal value 0x3A, cannot be included in a name.",
    );
  });

  it.each([
    ['no body at all', '', 'Root element is missing.'],
    [
      'a cut-off document',
      '<task><title>T</title>',
      /^Unexpected end of file has occurred\. The following elements are not closed: task\. Line 1, position 23\.$/,
    ],
    [
      'mismatched tags',
      '<task><title>T</task>',
      /^The 'title' start tag on line 1 position 8 does not match the end tag of 'task'\. Line 1, position 17\.$/,
    ],
  ])('answers text/xml with %s with 500 and System.Xml’s message', async (_name, body, message) => {
    await expectError(await put(body, { 'content-type': 'text/xml' }), 'updateTask', 'malformed-xml', message);
  });

  it('answers a Content-Type System.Net.Mime cannot read with 500', async () => {
    await expectError(await put('{}', { 'content-type': 'json' }), 'updateTask', 'invalid-content-type');
  });

  it('answers a Content-Type with the same parameter twice with 500', async () => {
    await expectError(
      await put('{}', { 'content-type': 'application/json; charset=utf-8; charset=utf-8' }),
      'updateTask',
      'content-type-parameter-twice',
    );
  });

  it('reads the JSON body of a GET as well: unreadable JSON there is 400 too', async () => {
    const url = new URL(`${base}/api/2.0/crm/task/1234`);
    const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = httpRequest(
        url,
        { method: 'GET', headers: { authorization: token, 'content-type': 'application/json', 'content-length': '1' } },
        (res) => {
          let text = '';
          res.on('data', (c) => {
            text += c;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
      req.end('[');
    });
    expect(status).toBe(400);
    expect(JSON.parse(text).error.message).toMatch(
      /^XmlNodeConverter can only convert JSON that begins with an object\./,
    );
  });

  it('none of these changes the task', async () => {
    const before = await readTask(base, token);
    for (const body of ['[1]', '{bad', '{"title":"X","categoryid":"x"}']) await put(body);
    await put('<task><title>X</task>', { 'content-type': 'text/xml' });
    expect(await readTask(base, token)).toEqual(before);
  });
});

it('a PUT through the helper putTask keeps its answer shape', async () => {
  const { status } = await putTask(base, token, validBody());
  expect(status).toBe(200);
});
