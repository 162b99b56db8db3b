/**
 * Every x-rules id of the R7-Office spec with cases the vendor accepts and cases it refuses (or, for a rule that
 * checks nothing, what it lets through), on the JSON and the XML path; then the vendor's order of checks
 * (CRMApi.UpdateTask and TaskDao.SaveOrUpdateTask): route → authentication → binding → entityType and categoryid →
 * the category → title, deadline → insert, or update with CanEdit.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { listRules, loadSpec } from '../../../src/spec/index.ts';
import { type RunningSandbox, startSandbox } from '../../support/sandbox.ts';
import {
  answer,
  call,
  data,
  type ErrorEnvelope,
  expectError,
  expectPage,
  form,
  operationOf,
  readTask,
  type Suffix,
  signIn,
  type TaskEnvelope,
  tokenFor,
  validBody,
  xmlBody,
} from './helpers.ts';

interface Case {
  method: 'GET' | 'PUT';
  id?: number | string;
  /** An object is sent as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
}
type Task = TaskEnvelope['response'];
type Accept = [rule: string, name: string, request: Case, check: (task: Task) => void];
type Reject = [rule: string, name: string, request: Case, key: string, message?: string];

const put = (over: Record<string, unknown> = {}, id: number | string = 1234): Case => ({
  method: 'PUT',
  id,
  body: validBody(over),
});
const raw = (body: string, headers: Record<string, string>, id: number | string = 1234): Case => ({
  method: 'PUT',
  id,
  body,
  headers,
});
const get = (id: number | string = 1234): Case => ({ method: 'GET', id });
const RANGE = 'Value does not fall within the expected range.';
const without = (key: string) => {
  const body = validBody();
  delete body[key];
  return { method: 'PUT', id: 1234, body } as Case;
};

const accepts: Accept[] = [
  [
    'r7-office.request.content-type',
    'application/json; charset=utf-8',
    raw(JSON.stringify(validBody({ title: 'Charset' })), { 'content-type': 'application/json; charset=utf-8' }),
    (t) => expect(t.title).toBe('Charset'),
  ],
  [
    'r7-office.request.xml-body',
    'a text/xml body',
    raw(xmlBody({ title: 'XML', deadline: '2027-05-06', categoryid: '30' }).body, { 'content-type': 'text/xml' }),
    (t) => expect(t.title).toBe('XML'),
  ],
  ['r7-office.request.json-body', 'a JSON object', put({ title: 'JSON' }), (t) => expect(t.title).toBe('JSON')],
  [
    'r7-office.request.form-body',
    'a form',
    raw(form({ title: 'Form', deadline: '2027-05-06', categoryid: '30' }).body, {
      'content-type': 'application/x-www-form-urlencoded',
    }),
    (t) => expect(t.title).toBe('Form'),
  ],
  [
    'r7-office.request.binding',
    'categoryid " 30 " and responsibleid in braces',
    put({ categoryid: ' 30 ', responsibleid: `{${data.anna}}` }),
    (t) => expect(t).toMatchObject({ category: { id: 30 }, responsible: { id: data.anna } }),
  ],
  ['r7-office.task.taskid-route', 'taskid with leading zeros', get('001234'), (t) => expect(t.id).toBe(1234)],
  [
    'r7-office.task.taskid-int32',
    'taskid 2147483647 (an Int32; no such task: created)',
    put({}, 2147483647),
    (t) => expect(t.id).toBeGreaterThan(1238),
  ],
  ['r7-office.task.taskid-positive', 'GET taskid 1234', get(1234), (t) => expect(t.id).toBe(1234)],
  ['r7-office.task.task-exists', 'GET a task of the sandbox data', get(1236), (t) => expect(t.id).toBe(1236)],
  [
    'r7-office.task.response',
    'every reference of task 1234 resolved',
    get(1234),
    (t) => {
      expect(t.createBy).toMatchObject({ id: data.caller, displayName: 'Sandbox User' });
      expect(t.responsible).toMatchObject({ id: data.mike, displayName: 'Mike Zanyatski', title: 'Manager' });
      expect(t.category).toMatchObject({ id: 1234, title: 'Call' });
      expect(t.contact).toMatchObject({ id: 1234, displayName: 'Ivan Petrov' });
      expect(t.entity).toEqual({ entityType: 'opportunity', entityId: 1234, entityTitle: 'Sale of 10 licences' });
      expect(t.canEdit).toBe(true);
    },
  ],
  [
    'r7-office.task.deadline-format',
    'the date alone',
    put({ deadline: '2027-05-06' }),
    (t) => expect(t.deadLine).toBe('2027-05-06T00:00:00.0000000Z'),
  ],
  [
    'r7-office.task.deadline-format',
    'the page’s hyphen form',
    put({ deadline: '2008-04-10T06-30-00.000Z' }),
    (t) => expect(t.deadLine).toBe('2008-04-10T06:30:00.0000000Z'),
  ],
  ...(['opportunity', 'Opportunity', 'CaSe'] as const).map(
    (v): Accept => [
      'r7-office.task.entity-type',
      `entityType ${v}`,
      put({ entityType: v, entityid: 1234 }),
      () => undefined,
    ],
  ),
  [
    'r7-office.task.entity-type',
    'an empty entityType: no entity',
    put({ entityType: '', entityid: 1234 }),
    (t) => expect(t).not.toHaveProperty('entity'),
  ],
  [
    'r7-office.task.category-positive',
    'categoryid 30',
    put({ categoryid: 30 }),
    (t) => expect(t.category?.id).toBe(30),
  ],
  ['r7-office.task.category-exists', 'categoryid 31', put({ categoryid: 31 }), (t) => expect(t.category?.id).toBe(31)],
  ['r7-office.task.required-fields', 'a title of white space', put({ title: '  ' }), (t) => expect(t.title).toBe('  ')],
  [
    'r7-office.task.required-fields',
    'a deadline in the past',
    put({ deadline: '2001-01-01' }),
    (t) => expect(t.deadLine).toBe('2001-01-01T00:00:00.0000000Z'),
  ],
  [
    'r7-office.task.upsert',
    'taskid 0: a new task',
    put({ title: 'New' }, 0),
    (t) => expect(t).toMatchObject({ title: 'New', createBy: { id: data.caller } }),
  ],
  [
    'r7-office.task.upsert',
    'an id the data does not hold: a new task with a new id',
    put({ title: 'New' }, 99999),
    (t) => expect(t.id).not.toBe(99999),
  ],
  [
    'r7-office.task.can-edit',
    'a task the sandbox user is responsible for',
    put({ title: 'Mine' }, 1235),
    (t) => expect(t.title).toBe('Mine'),
  ],
  [
    'r7-office.task.can-edit',
    'a task the sandbox user created',
    put({ title: 'Mine too', responsibleid: data.mike }, 1237),
    (t) => expect(t.canEdit).toBe(true),
  ],
  [
    'r7-office.task.contact-exists',
    'an unknown contact: stored, not answered',
    put({ contactid: 999_999 }),
    (t) => expect(t).not.toHaveProperty('contact'),
  ],
  ['r7-office.task.contact-exists', 'any alertValue', put({ alertValue: -5 }), (t) => expect(t.alertValue).toBe(-5)],
  [
    'r7-office.task.responsible-exists',
    'an unknown user: the vendor’s lost user',
    put({ responsibleid: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee' }),
    (t) => expect(t.responsible).toMatchObject({ id: data.lostUser, displayName: 'Profile has been removed' }),
  ],
];

const rejects: Reject[] = [
  [
    'r7-office.request.content-type',
    'a Content-Type that cannot be read',
    raw('{}', { 'content-type': 'json' }),
    'invalid-content-type',
  ],
  [
    'r7-office.request.xml-body',
    'XML that is not well-formed',
    raw('<task><title>x</task>', { 'content-type': 'text/xml' }),
    'malformed-xml',
    "The 'title' start tag on line 1 position 8 does not match the end tag of 'task'. Line 1, position 17.",
  ],
  [
    'r7-office.request.json-body',
    'a JSON array',
    raw('[]', { 'content-type': 'application/json' }),
    'malformed-json',
    "XmlNodeConverter can only convert JSON that begins with an object. Path '', line 1, position 1.",
  ],
  [
    'r7-office.request.form-body',
    'application/xml (read as a form: nothing bound)',
    raw(xmlBody({ title: 'X', deadline: '2027-05-06', categoryid: '30' }).body, { 'content-type': 'application/xml' }),
    'invalid-argument',
    RANGE,
  ],
  ['r7-office.request.binding', 'categoryid "abc"', put({ categoryid: 'abc' }), 'format-error'],
  [
    'r7-office.request.binding',
    'isNotify "1"',
    put({ isNotify: '1' }),
    'format-error',
    'String was not recognized as a valid Boolean.',
  ],
  ['r7-office.task.taskid-int32', 'GET taskid 2147483648', get('2147483648'), 'overflow'],
  ['r7-office.task.taskid-int32', 'PUT taskid 99999999999', put({}, '99999999999'), 'overflow'],
  ['r7-office.task.taskid-positive', 'GET taskid 0', get(0), 'invalid-argument', RANGE],
  ['r7-office.task.task-exists', 'GET an unknown task', get(99999), 'task-not-found', 'Not found'],
  [
    'r7-office.task.deadline-format',
    'deadline "2008-04-10 06:30:00"',
    put({ deadline: '2008-04-10 06:30:00' }),
    'invalid-argument',
    'invalid date time format: 2008-04-10 06:30:00',
  ],
  [
    'r7-office.task.deadline-format',
    'deadline "2008-04-10T06:30:00.12345678Z"',
    put({ deadline: '2008-04-10T06:30:00.12345678Z' }),
    'invalid-argument',
    'invalid date time format: 2008-04-10T06:30:00.12345678Z',
  ],
  ...(['some text', 'contact', 'opportunities', ' case'] as const).map(
    (v): Reject => [
      'r7-office.task.entity-type',
      `entityType "${v}"`,
      put({ entityType: v }),
      'invalid-argument',
      RANGE,
    ],
  ),
  ['r7-office.task.category-positive', 'categoryid 0', put({ categoryid: 0 }), 'invalid-argument', RANGE],
  ['r7-office.task.category-positive', 'categoryid -5', put({ categoryid: -5 }), 'invalid-argument', RANGE],
  ['r7-office.task.category-positive', 'no categoryid', without('categoryid'), 'invalid-argument', RANGE],
  [
    'r7-office.task.category-exists',
    'categoryid 999',
    put({ categoryid: 999 }),
    'category-not-found',
    'Category is not found',
  ],
  [
    'r7-office.task.category-exists',
    'an unknown category and no title',
    { method: 'PUT', id: 1234, body: { deadline: '2027-05-06', categoryid: 999 } },
    'category-not-found',
  ],
  ['r7-office.task.required-fields', 'no title', without('title'), 'invalid-argument', RANGE],
  ['r7-office.task.required-fields', 'an empty title', put({ title: '' }), 'invalid-argument', RANGE],
  ['r7-office.task.required-fields', 'no deadline', without('deadline'), 'invalid-argument', RANGE],
  [
    'r7-office.task.required-fields',
    'deadline 0001-01-01T00:00:00',
    put({ deadline: '0001-01-01T00:00:00' }),
    'invalid-argument',
    RANGE,
  ],
  ['r7-office.task.can-edit', 'a task of another user', put({}, data.notEditable), 'forbidden', 'Access Denied'],
];

/** Rules that check nothing and so refuse nothing: what they let through instead. */
const lenient: Record<string, string> = {
  'r7-office.task.upsert': 'an unknown id is no error (accepts)',
  'r7-office.task.contact-exists': 'an unknown contact is no error (accepts)',
  'r7-office.task.responsible-exists': 'an unknown user is no error (accepts)',
  'r7-office.task.response': 'the answer’s shape (response.test.ts)',
};

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

const send = (request: Case, xml: Suffix) => call(base, { ...request, xml, token });

describe.each([
  ['JSON', ''],
  ['XML', '.xml'],
] as const)('%s path', (_label, suffix) => {
  it.each(accepts)('%s accepts %s', async (_rule, _name, request, check) => {
    const res = await send(request, suffix);
    const { status, body, text } = await answer<TaskEnvelope>(res, operationOf(request.method, suffix));
    expect(status, text).toBe(200);
    // The .xml path answers JSON to a JSON request (JsonNetSerializer.IsXmlRequest).
    const json =
      suffix === '' ||
      /^application\/json(;|$)/.test(
        request.headers?.['content-type'] ?? (typeof request.body === 'object' ? 'application/json' : ''),
      );
    if (json) {
      expect(res.headers.get('content-type')).toBe('application/json; charset=UTF-8');
      expect(body).toMatchObject({ count: 1, status: 0, statusCode: 200 });
      check(body.response);
    } else {
      expect(res.headers.get('content-type')).toBe('text/xml; charset=UTF-8');
      expect(text).toMatch(/^<result><count>1<\/count><status>0<\/status><statusCode>200<\/statusCode><response>/);
    }
  });

  it.each(rejects)('%s refuses %s', async (_rule, _name, request, key, message) => {
    const before = await readTask(base, token, 1234);
    const res = await send(request, suffix);
    // On the .xml path a Content-Type the serializer cannot read fails the answer as well: the host's 500 page.
    if (suffix === '.xml' && key === 'invalid-content-type')
      await expectPage(res, operationOf(request.method, suffix), 'server-error-page');
    else await expectError(res, operationOf(request.method, suffix), key, message);
    expect(await readTask(base, token, 1234)).toEqual(before);
  });
});

describe('rules outside the method', () => {
  it('r7-office.task.taskid-route refuses -1, abc and 1.5 with the host’s 404 page', async () => {
    for (const id of ['-1', 'abc', '1.5', '%20']) {
      await expectPage(await call(base, { id, token }), 'getTask', 'no-route');
      await expectPage(await call(base, { id, token, method: 'PUT', body: validBody() }), 'updateTask', 'no-route');
    }
  });

  it('r7-office.auth.credentials accepts the sandbox user and refuses a wrong password with 500', async () => {
    expect((await answer(await signIn(base), 'authenticate')).status).toBe(201);
    await expectError(
      await signIn(base, 'sandbox+rules@example.com', 'wrong'),
      'authenticate',
      'authentication-failed',
      'User authentication failed',
    );
  });

  it('r7-office.auth.brute-force accepts five failures and refuses the sixth attempt', async () => {
    for (let i = 0; i < 5; i++)
      await expectError(
        await signIn(base, 'sandbox+rules-bf@example.com', 'wrong'),
        'authenticate',
        'authentication-failed',
      );
    await expectError(await signIn(base, 'sandbox+rules-bf@example.com'), 'authenticate', 'login-blocked');
  });
});

describe('the order of checks', () => {
  const reasonOf = (res: Response) => res.headers.get('x-sandbox-reason') ?? '';
  const cases: [name: string, request: Case & { token?: string }, key: string, reason: RegExp][] = [
    ['the route before authentication', { method: 'GET', id: 'abc', token: '' }, 'no-route', /taskid-route/],
    [
      'authentication before binding',
      { ...raw('{"title":', { 'content-type': 'application/json' }), token: '' },
      'unauthorized',
      /carries no credential/,
    ],
    [
      'binding before entityType',
      put({ entityType: 'x', categoryid: 'abc' }),
      'format-error',
      /categoryid "abc".*request\.binding/,
    ],
    [
      'entityType before categoryid',
      put({ entityType: 'x', categoryid: 0 }),
      'invalid-argument',
      /entityType.*entity-type/,
    ],
    [
      'categoryid before the category lookup and the title',
      { method: 'PUT', id: 1234, body: { categoryid: 0 } },
      'invalid-argument',
      /categoryid 0.*category-positive/,
    ],
    [
      'the category before the title and the deadline',
      { method: 'PUT', id: 1234, body: { categoryid: 999 } },
      'category-not-found',
      /category-exists/,
    ],
    [
      'the title before the deadline',
      { method: 'PUT', id: 1234, body: { categoryid: 30 } },
      'invalid-argument',
      /title.*required-fields/,
    ],
    [
      'the DAO’s checks before CanEdit',
      { method: 'PUT', id: data.notEditable, body: { categoryid: 30, title: 'T' } },
      'invalid-argument',
      /deadline.*required-fields/,
    ],
    [
      'an unknown category before CanEdit',
      put({ categoryid: 999 }, data.notEditable),
      'category-not-found',
      /category-exists/,
    ],
    ['CanEdit last', put({}, data.notEditable), 'forbidden', /can-edit/],
  ];

  it.each(cases)('%s', async (_name, request, key, reason) => {
    const res = await call(base, { ...request, token: request.token ?? token });
    expect(reasonOf(res)).toMatch(reason);
    if (key === 'no-route' || key === 'unauthorized') await expectPage(res, operationOf(request.method, ''), key);
    else await expectError(res, operationOf(request.method, ''), key);
  });

  it('an insert skips CanEdit but not the other checks', async () => {
    await expectError(await call(base, { ...put({ title: '' }, 0), token }), 'updateTask', 'invalid-argument');
    await expectError(
      await call(base, { ...put({ categoryid: 999 }, 99999), token }),
      'updateTask',
      'category-not-found',
    );
  });

  it('every error body is the vendor’s: no field names, no reason (those are in X-Sandbox-Reason only)', async () => {
    const res = await call(base, { ...put({ categoryid: 0 }), token });
    const body = (await answer<ErrorEnvelope>(res, 'updateTask')).body;
    expect(body).toEqual({ status: 1, statusCode: 400, error: { message: RANGE, hresult: -2147024809, data: {} } });
    expect(reasonOf(res)).toMatch(/categoryid/);
  });
});

it('every x-rules id of the spec has accept and reject (or lenient) cases here', async () => {
  const ids = new Set(listRules(await loadSpec('r7-office')).map((r) => r.rule.id));
  const outside = ['r7-office.auth.credentials', 'r7-office.auth.brute-force', 'r7-office.task.taskid-route'];
  const accepted = new Set([...accepts.map((a) => a[0]), ...outside]);
  const rejected = new Set([...rejects.map((r) => r[0]), ...Object.keys(lenient), ...outside]);
  expect([...accepted].sort()).toEqual([...ids].sort());
  expect([...rejected].sort()).toEqual([...ids].sort());
});

it('the refusals of every rule with an error raise the x-errors key it names', async () => {
  const doc = await loadSpec('r7-office');
  const raised: [string, string][] = [
    ...rejects.map((r): [string, string] => [r[0], r[3]]),
    ['r7-office.auth.credentials', 'authentication-failed'],
    ['r7-office.auth.brute-force', 'login-blocked'],
    ['r7-office.task.taskid-route', 'no-route'],
  ];
  for (const { rule } of listRules(doc)) {
    const keys = new Set(raised.filter(([id]) => id === rule.id).map(([, key]) => key));
    if (rule.error) expect([...keys], rule.id).toContain(rule.error);
    else expect(Object.keys(lenient).concat('r7-office.request.form-body'), rule.id).toContain(rule.id);
  }
});
