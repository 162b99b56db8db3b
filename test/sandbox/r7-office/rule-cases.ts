/**
 * The R7-Office rule cases: for every x-rules id, requests the vendor accepts and requests it refuses (or, for a
 * rule that checks nothing, what it lets through), sent on the JSON and the XML path by rules.test.ts; and the
 * sandbox those tests and check-order.test.ts share, reset before each test.
 */
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { type RunningSandbox, startSandbox } from '../../support/sandbox.ts';
import { data, form, type TaskEnvelope, tokenFor, validBody, xmlBody } from './helpers.ts';

export interface Case {
  method: 'GET' | 'PUT';
  id?: number | string;
  /** An object is sent as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
}
export type Task = TaskEnvelope['response'];
export type Accept = [rule: string, name: string, request: Case, check: (task: Task) => void];
export type Reject = [rule: string, name: string, request: Case, key: string, message?: string];

export const put = (over: Record<string, unknown> = {}, id: number | string = 1234): Case => ({
  method: 'PUT',
  id,
  body: validBody(over),
});
export const raw = (body: string, headers: Record<string, string>, id: number | string = 1234): Case => ({
  method: 'PUT',
  id,
  body,
  headers,
});
export const get = (id: number | string = 1234): Case => ({ method: 'GET', id });
export const RANGE = 'Value does not fall within the expected range.';
export const without = (key: string) => {
  const body = validBody();
  delete body[key];
  return { method: 'PUT', id: 1234, body } as Case;
};

export const accepts: Accept[] = [
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

export const rejects: Reject[] = [
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
export const lenient: Record<string, string> = {
  'r7-office.task.upsert': 'an unknown id is no error (accepts)',
  'r7-office.task.contact-exists': 'an unknown contact is no error (accepts)',
  'r7-office.task.responsible-exists': 'an unknown user is no error (accepts)',
  'r7-office.task.response': 'the answer’s shape (response.test.ts)',
};

/** The sandbox of a file's rule tests and a token of its user, the sandbox data restored before each test. */
export function useRulesSandbox(): { sandbox: RunningSandbox; base: string; token: string } {
  const env = {} as { sandbox: RunningSandbox; base: string; token: string };
  beforeAll(async () => {
    env.sandbox = await startSandbox();
    env.base = env.sandbox.base['r7-office'] as string;
    env.token = await tokenFor(env.base);
  });
  afterAll(() => env.sandbox.close());
  beforeEach(async () => {
    await fetch(`${env.sandbox.origin}/_sandbox/reset`, { method: 'POST' });
  });
  return env;
}
