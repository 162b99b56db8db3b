/**
 * Every x-rules id of the R7-Office spec, each with accept and reject cases, on the JSON and the `.xml` path alike.
 * A reject case names the x-errors key it must raise and the message (which names the failing field where the
 * catalogue's message has room for it); the stored task must be unchanged afterwards.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { listRules, loadSpec } from '../../../src/spec/index.ts';
import { type RunningSandbox, startSandbox } from '../../support/sandbox.ts';
import {
  answer,
  type Call,
  call,
  data,
  expectError,
  operationOf,
  readTask,
  signIn,
  type TaskEnvelope,
  tokenFor,
  validBody,
} from './helpers.ts';

interface Case {
  method: 'GET' | 'PUT';
  id?: number | string;
  body?: Record<string, unknown>;
}
type Accept = [rule: string, name: string, request: Case, check: (answer: TaskEnvelope) => void];
type Reject = [rule: string, name: string, request: Case, key: string, message: string | RegExp];

const put = (over: Record<string, unknown> = {}, id: number | string = 1234): Case => ({
  method: 'PUT',
  id,
  body: validBody(over),
});
const get = (id: number | string = 1234): Case => ({ method: 'GET', id });
const validation = (fields: string) => `Request validation failed: ${fields}`;
const invalidDeadline = "Value does not fall within the expected range. (Parameter 'deadline')";

const accepts: Accept[] = [
  ['r7-office.task.taskid-positive', 'taskid 1234', get(1234), (a) => expect(a.response.id).toBe(1234)],
  ['r7-office.task.task-exists', 'GET an existing task', get(1235), (a) => expect(a.response.id).toBe(1235)],
  ['r7-office.task.task-exists', 'PUT an existing task', put(), (a) => expect(a.response.id).toBe(1234)],
  [
    'r7-office.task.response-resolves-references',
    'every reference of task 1234 resolved',
    get(1234),
    (a) => {
      expect(a.response.createBy?.displayName).toBe('Sandbox User');
      expect(a.response.responsible).toMatchObject({ id: data.mike, displayName: 'Mike Zanyatski', title: 'Manager' });
      expect(a.response.category).toMatchObject({ id: 1234, title: 'Call' });
      expect(a.response.contact).toMatchObject({ id: 1234, displayName: 'Ivan Petrov' });
      expect(a.response.entity).toEqual({
        entityType: 'opportunity',
        entityId: 1234,
        entityTitle: 'Sale of 10 licences',
      });
      expect(a.response.alertValue).toBe(60);
      expect(a.response.canEdit).toBe(true);
    },
  ],
  [
    'r7-office.task.response-resolves-references',
    'a case as entity, a closed task',
    get(1236),
    (a) =>
      expect(a.response.entity).toEqual({ entityType: 'case', entityId: 501, entityTitle: 'Printer warranty claim' }),
  ],
  [
    'r7-office.task.required-fields',
    'only title, deadline and categoryid: the rest falls back to defaults',
    { method: 'PUT', id: 1234, body: { title: 'T', deadline: '2025-06-01T10:00:00Z', categoryid: 1234 } },
    (a) => {
      expect(a.response.title).toBe('T');
      expect(a.response.responsible).toEqual({ id: data.emptyGuid });
      for (const absent of ['contact', 'entity', 'description', 'alertValue', 'isClosed'])
        expect(a.response).not.toHaveProperty(absent);
    },
  ],
  ...(['opportunity', 'Opportunity', 'OPPORTUNITY'] as const).map(
    (entityType): Accept => [
      'r7-office.task.entity-type',
      `entityType ${entityType}`,
      put({ entityType, entityid: 1300 }),
      (a) =>
        expect(a.response.entity).toEqual({
          entityType: 'opportunity',
          entityId: 1300,
          entityTitle: 'Annual support renewal',
        }),
    ],
  ),
  [
    'r7-office.task.entity-type',
    'entityType CaSe',
    put({ entityType: 'CaSe', entityid: 502 }),
    (a) => expect(a.response.entity).toMatchObject({ entityType: 'case', entityId: 502 }),
  ],
  [
    'r7-office.task.entity-type',
    'empty entityType: no entity',
    put({ entityType: '', entityid: 1234 }),
    (a) => expect(a.response).not.toHaveProperty('entity'),
  ],
  [
    'r7-office.task.category-positive',
    'categoryid 30',
    put({ categoryid: 30 }),
    (a) => expect(a.response.category).toMatchObject({ id: 30, title: 'Appointment', sortOrder: 2 }),
  ],
  ...(
    [
      ['2008-04-10T06-30-00.000Z', '2008-04-10T06:30:00.0000000Z'],
      ['2008-04-10T06:30:00.000Z', '2008-04-10T06:30:00.0000000Z'],
      ['2008-04-10T06:30:00', '2008-04-10T06:30:00.0000000Z'],
      ['2008-04-10T09:30:00+03:00', '2008-04-10T06:30:00.0000000Z'],
      ['2008-04-10T09-30-00.1234567+0300', '2008-04-10T06:30:00.1234567Z'],
      ['2008-04-09T23:30:00.5-07:00', '2008-04-10T06:30:00.5000000Z'],
    ] as const
  ).map(
    ([given, stored]): Accept => [
      'r7-office.task.deadline-format',
      `deadline ${given}`,
      put({ deadline: given }),
      (a) => expect(a.response.deadLine).toBe(stored),
    ],
  ),
  [
    'r7-office.task.deadline-valid',
    '29 February of a leap year',
    put({ deadline: '2024-02-29T12:00:00Z' }),
    (a) => expect(a.response.deadLine).toBe('2024-02-29T12:00:00.0000000Z'),
  ],
  [
    'r7-office.task.deadline-valid',
    'the last tick of 9999',
    put({ deadline: '9999-12-31T23:59:59.9999999Z' }),
    (a) => expect(a.response.deadLine).toBe('9999-12-31T23:59:59.9999999Z'),
  ],
  [
    'r7-office.task.category-exists',
    'categoryid 31',
    put({ categoryid: 31 }),
    (a) => expect(a.response.category).toMatchObject({ id: 31, title: 'Email', description: 'Write to the client' }),
  ],
  [
    'r7-office.task.contact-exists',
    'a known contact is answered with its data',
    put({ contactid: 1241 }),
    (a) => {
      expect(a.response.contact).toMatchObject({ id: 1241, displayName: 'Elena Volkova', isPrivate: true });
      expect(a.response.contact).not.toHaveProperty('isCompany'); // false: a default, omitted
    },
  ],
  [
    'r7-office.task.contact-exists',
    'an unknown contact is stored without error and not answered',
    put({ contactid: 999_999 }),
    (a) => expect(a.response).not.toHaveProperty('contact'),
  ],
  [
    'r7-office.task.responsible-exists',
    'a known user, GUID in the page’s mixed case',
    put({ responsibleid: '9924256A-739C-462b-AF15-E652A3B1B6EB' }),
    (a) => expect(a.response.responsible).toMatchObject({ id: data.anna, displayName: 'Anna Sokolova' }),
  ],
  [
    'r7-office.task.responsible-exists',
    'an unknown user is answered with the requested id only',
    put({ responsibleid: 'DEADBEEF-0000-4000-8000-000000000001' }),
    (a) => expect(a.response.responsible).toEqual({ id: 'deadbeef-0000-4000-8000-000000000001' }),
  ],
];

const rejects: Reject[] = [
  ['r7-office.task.taskid-positive', 'taskid 0', get(0), 'validation-failed', validation('taskid')],
  ['r7-office.task.taskid-positive', 'taskid -7', get(-7), 'validation-failed', validation('taskid')],
  ['r7-office.task.taskid-positive', 'taskid abc', get('abc'), 'validation-failed', validation('taskid')],
  ['r7-office.task.taskid-positive', 'PUT taskid 0', put({}, 0), 'validation-failed', validation('taskid')],
  ['r7-office.task.task-exists', 'GET an unknown task', get(999_999), 'task-not-found', 'Task is not found'],
  ['r7-office.task.task-exists', 'PUT an unknown task', put({}, 999_999), 'task-not-found', 'Task is not found'],
  ...(['title', 'deadline', 'categoryid'] as const).map(
    (field): Reject => [
      'r7-office.task.required-fields',
      `no ${field}`,
      put({ [field]: undefined }),
      'validation-failed',
      validation(field),
    ],
  ),
  ['r7-office.task.required-fields', 'an empty title', put({ title: '' }), 'validation-failed', validation('title')],
  [
    'r7-office.task.required-fields',
    'an empty object',
    { method: 'PUT', id: 1234, body: {} },
    'validation-failed',
    validation('title, deadline, categoryid'),
  ],
  ...(['some text', 'contact', 'opportunities', ' case'] as const).map(
    (entityType): Reject => [
      'r7-office.task.entity-type',
      `entityType "${entityType}"`,
      put({ entityType, entityid: 1234 }),
      'validation-failed',
      validation('entityType'),
    ],
  ),
  ...([0, -5, 1.5, '30'] as const).map(
    (categoryid): Reject => [
      'r7-office.task.category-positive',
      `categoryid ${JSON.stringify(categoryid)}`,
      put({ categoryid }),
      'validation-failed',
      validation('categoryid'),
    ],
  ),
  ...(
    [
      '2008-04-10 06:30:00',
      '10.04.2008',
      '2008-04-10',
      '2008-04-10T06:30-00.000Z',
      '2008-04-10T06:30:00.12345678Z',
      '2008-13-01T00:00:00Z',
      '2008-04-10T24:00:00Z',
      '',
    ] as const
  ).map(
    (deadline): Reject => [
      'r7-office.task.deadline-format',
      `deadline "${deadline}"`,
      put({ deadline }),
      'validation-failed',
      validation('deadline'),
    ],
  ),
  ...(
    [
      '2008-02-30T06:30:00Z',
      '2023-02-29T12:00:00Z',
      '2008-04-31T06-30-00.000Z',
      '0001-01-01T00:00:00',
      '0001-01-01T00:00:00.0000000Z',
      '0001-01-01T01:00:00+03:00',
      '9999-12-31T23:00:00-02:00',
    ] as const
  ).map(
    (deadline): Reject => [
      'r7-office.task.deadline-valid',
      `deadline ${deadline}`,
      put({ deadline }),
      'invalid-argument',
      invalidDeadline,
    ],
  ),
  [
    'r7-office.task.category-exists',
    'categoryid 999',
    put({ categoryid: 999 }),
    'category-not-found',
    'Category is not found',
  ],
  [
    'r7-office.task.category-exists',
    'an unknown category wins over an unknown task',
    put({ categoryid: 999 }, 999_999),
    'category-not-found',
    'Category is not found',
  ],
  [
    'r7-office.task.contact-exists',
    'contactid that is no integer',
    put({ contactid: 'Ivan' }),
    'validation-failed',
    validation('contactid'),
  ],
  [
    'r7-office.task.responsible-exists',
    'responsibleid that is no GUID',
    put({ responsibleid: 'mike' }),
    'validation-failed',
    validation('responsibleid'),
  ],
  [
    'r7-office.task.response-resolves-references',
    'no task to resolve',
    get(424_242),
    'task-not-found',
    'Task is not found',
  ],
];

/**
 * The reverse side of the rules that raise no error: what they leave out. Defaults are omitted, and references
 * that resolve to nothing are not invented.
 */
const omissions: [rule: string, name: string, request: Case, absent: string[], check?: (a: TaskEnvelope) => void][] = [
  [
    'r7-office.task.response-resolves-references',
    'a closed task without alert, entity or description',
    get(1235),
    ['alertValue', 'entity', 'description'],
    (a) => expect(a.response.isClosed).toBe(true),
  ],
  ['r7-office.task.response-resolves-references', 'an open task without contact', get(1237), ['isClosed', 'contact']],
  [
    'r7-office.task.response-resolves-references',
    'an entity id that names no case',
    put({ entityType: 'case', entityid: 999 }),
    ['entity'],
  ],
  ['r7-office.task.contact-exists', 'contactid 0 links no contact', put({ contactid: 0 }), ['contact']],
  [
    'r7-office.task.responsible-exists',
    'no responsibleid: the empty GUID, unresolved',
    put(),
    [],
    (a) => expect(a.response.responsible).toEqual({ id: data.emptyGuid }),
  ],
];

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

const send = (request: Case, xml: boolean) =>
  call(base, { ...request, xml, token, ...(request.body ? { body: request.body } : {}) } as Call);

describe.each([
  ['JSON', false],
  ['XML', true],
])('%s path', (_label, xml) => {
  it.each(accepts)('%s accepts %s', async (_rule, _name, request, check) => {
    const res = await send(request, xml);
    const { status, body } = await answer<TaskEnvelope>(res, operationOf(request.method, xml));
    expect(status).toBe(200);
    if (xml) {
      // Same content as the JSON answer: compare by reading it back as JSON.
      expect(String(body.response.id)).toBe(String(request.id));
      check(await readTask(base, token, request.id));
    } else {
      expect(body).toMatchObject({ count: 1, status: 0, statusCode: 200 });
      check(body);
    }
  });

  it.each(rejects)('%s rejects %s', async (_rule, _name, request, key, message) => {
    const before = await readTask(base, token, 1234);
    await expectError(await send(request, xml), operationOf(request.method, xml), key, message);
    expect(await readTask(base, token, 1234)).toEqual(before);
  });

  it.each(omissions)('%s leaves out what it must: %s', async (_rule, _name, request, absent, check) => {
    const { status, body } = await answer<TaskEnvelope>(await send(request, xml), operationOf(request.method, xml));
    expect(status).toBe(200);
    const json = xml ? await readTask(base, token, request.id) : body;
    for (const key of absent) expect(json.response).not.toHaveProperty(key);
    check?.(json);
  });
});

describe('r7-office.auth.credentials', () => {
  it('accepts the sandbox user', async () => {
    const { status, body } = await answer(await signIn(base), 'authenticate');
    expect(status).toBe(201);
    expect(body).toMatchObject({ count: 1, status: 0, statusCode: 201 });
  });

  it.each([
    ['a wrong password', 'sandbox@example.com', 'wrong'],
    ['an unknown user', 'nobody@example.com', 'sandbox'],
  ])('rejects %s', async (_name, userName, password) => {
    await expectError(
      await signIn(base, userName, password),
      'authenticate',
      'authentication-failed',
      'User authentication failed',
    );
  });
});

it('an unknown contact is stored as given (r7-office.task.contact-exists)', async () => {
  await answer(await call(base, { method: 'PUT', token, body: validBody({ contactid: 999_999 }) }), 'updateTask');
  const stored = sandbox.store.get<{ contactid: number }>('r7-office:sandbox@example.com', 'r7-office.task', 1234);
  expect(stored?.contactid).toBe(999_999);
});

it('every x-rules id of the spec has accept and reject cases here', async () => {
  const ids = new Set(listRules(await loadSpec('r7-office')).map((r) => r.rule.id));
  const accepted = new Set([...accepts.map((a) => a[0]), 'r7-office.auth.credentials']);
  const rejected = new Set([...rejects.map((r) => r[0]), ...omissions.map((o) => o[0]), 'r7-office.auth.credentials']);
  expect([...accepted].sort()).toEqual([...ids].sort());
  expect([...rejected].sort()).toEqual([...ids].sort());
});

it('the reject cases of every rule with an error raise the x-errors key it names', async () => {
  const doc = await loadSpec('r7-office');
  const cases: [string, string][] = [
    ...rejects.map((r): [string, string] => [r[0], r[3]]),
    ['r7-office.auth.credentials', 'authentication-failed'],
  ];
  for (const { rule } of listRules(doc)) {
    const raised = new Set(cases.filter(([id]) => id === rule.id).map(([, key]) => key));
    if (rule.error) expect([...raised], rule.id).toContain(rule.error);
  }
});
