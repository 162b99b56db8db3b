/**
 * Every `x-rules` id of the iVvy spec, with an accepted and a refused request each. A refused one must answer the
 * x-errors entry its rule names (status = errorCode, specificCode) with an additional message naming the field;
 * every answer is checked against the spec; a refusal changes nothing.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listRules, loadSpec } from '../../../src/spec/index.ts';
import { credentials as ivvyCredentials } from '../../../src/vendors/ivvy/settings.ts';
import { type RunningSandbox, startSandbox } from '../../support/sandbox.ts';
import { config, exchange, expectError, listTasks, partnerKey, type Task, type TaskList } from './helpers.ts';

const doc = await loadSpec('ivvy');
const schemas = doc.components?.schemas as Record<string, { enum: unknown[] }>;
const priorities = schemas.TaskPriority?.enum as string[];
const statuses = schemas.TaskStatus?.enum as number[];

let sandbox: RunningSandbox;
let base: string;
beforeAll(async () => {
  sandbox = await startSandbox();
  base = sandbox.base.ivvy as string;
});
afterAll(() => sandbox.close());

const end = '2021-11-01 17:00:00';

interface Accept {
  name: string;
  body: Record<string, unknown>;
  /** What the saved task (addOrUpdateTask) or the answer (getTaskList) must hold. */
  want?: Partial<Task> | ((got: TaskList) => void);
}
interface Reject {
  name: string;
  body: Record<string, unknown>;
  specificCode: number;
  fields: string[];
  /** The exact message and additional messages, where the case checks the vendor's wording. */
  message?: string;
  additionalMessages?: string[];
}
interface RuleCases {
  action: 'addOrUpdateTask' | 'getTaskList';
  accept: Accept[];
  reject: Reject[];
}

const cases: Record<string, RuleCases> = {
  'ivvy.task.add-requires-name-and-end': {
    action: 'addOrUpdateTask',
    accept: [{ name: 'name and endDatetime, no id', body: { name: 'New', endDatetime: end }, want: { name: 'New' } }],
    reject: [
      {
        name: 'no name',
        body: { endDatetime: end, leadId: 2665 },
        specificCode: 24395,
        fields: ['name'],
        message: 'The request contains invalid data',
        additionalMessages: ["name: *Value is required and can't be empty*"],
      },
      { name: 'no endDatetime', body: { name: 'New', leadId: 2665 }, specificCode: 24395, fields: ['endDatetime'] },
      {
        name: 'neither (only the add fields are named, not id)',
        body: { leadId: 2665 },
        specificCode: 24395,
        fields: ['name'],
        additionalMessages: [
          "name: *Value is required and can't be empty*",
          "endDatetime: *Value is required and can't be empty*",
        ],
      },
      { name: 'an empty name', body: { name: '', endDatetime: end }, specificCode: 24395, fields: ['name'] },
    ],
  },
  'ivvy.task.update-requires-known-id': {
    action: 'addOrUpdateTask',
    accept: [
      {
        name: 'a known id, only the fields sent change',
        body: { id: 3269, description: 'updated' },
        want: { id: 3269, description: 'updated', name: 'Call back about the site visit', contactId: 45219 },
      },
    ],
    reject: [
      {
        name: 'an unknown id',
        body: { id: 999999, name: 'x' },
        specificCode: 24392,
        fields: ['id'],
        message: 'The task does not exist',
      },
    ],
  },
  'ivvy.task.lead-exists': {
    action: 'addOrUpdateTask',
    accept: [
      {
        name: 'a known lead; the task takes its venue',
        body: { name: 'On a lead', endDatetime: end, leadId: 2668 },
        want: { leadId: 2668, venueId: 2, contactId: null, companyId: null },
      },
    ],
    reject: [
      {
        name: 'an unknown lead',
        body: { name: 'x', endDatetime: end, leadId: 99999 },
        specificCode: 24389,
        fields: ['leadId'],
      },
    ],
  },
  'ivvy.task.contact-exists': {
    action: 'addOrUpdateTask',
    accept: [
      {
        name: 'a known contact',
        body: { name: 'On a contact', endDatetime: end, contactId: 45220 },
        want: { contactId: 45220, leadId: null, companyId: null, venueId: null },
      },
    ],
    reject: [
      {
        name: 'an unknown contact',
        body: { name: 'x', endDatetime: end, contactId: 99999 },
        specificCode: 24390,
        fields: ['contactId'],
      },
      {
        name: 'an unknown contact with a known company',
        body: { name: 'x', endDatetime: end, companyId: 854, contactId: 99999 },
        specificCode: 24390,
        fields: ['contactId'],
      },
    ],
  },
  'ivvy.task.company-exists': {
    action: 'addOrUpdateTask',
    accept: [
      {
        name: 'a known company',
        body: { name: 'On a company', endDatetime: end, companyId: 855 },
        want: { companyId: 855, companyContactId: null, contactId: null, leadId: null },
      },
    ],
    reject: [
      {
        name: 'an unknown company',
        body: { name: 'x', endDatetime: end, companyId: 99999 },
        specificCode: 24391,
        fields: ['companyId'],
      },
    ],
  },
  'ivvy.task.single-owner': {
    action: 'addOrUpdateTask',
    accept: [
      {
        name: 'company + contact: the contact joins the company, the task belongs to the company',
        body: { name: 'Company contact', endDatetime: end, companyId: 854, contactId: 45219 },
        want: { companyId: 854, companyContactId: 45219, contactId: null, leadId: null },
      },
      {
        name: 'an update with a new owner replaces the old one',
        body: { id: 3269, leadId: 2665 },
        want: { id: 3269, leadId: 2665, contactId: null, companyId: null, companyContactId: null },
      },
      {
        name: 'the same company sent back alone keeps the company contact (an SDK round trip)',
        body: { id: 3267, companyId: 855, companyContactId: 45220, name: 'Send the new rate card' },
        want: { id: 3267, companyId: 855, companyContactId: 45220, name: 'Send the new rate card' },
      },
    ],
    reject: [
      {
        name: 'lead + contact',
        body: { name: 'x', endDatetime: end, leadId: 2665, contactId: 45219 },
        specificCode: 24396,
        fields: ['leadId', 'contactId'],
      },
      {
        name: 'lead + company',
        body: { name: 'x', endDatetime: end, leadId: 2665, companyId: 854 },
        specificCode: 24396,
        fields: ['leadId', 'companyId'],
      },
    ],
  },
  'ivvy.task.venue-required-for-opportunity': {
    action: 'addOrUpdateTask',
    accept: [
      {
        name: 'an opportunity with its venue',
        body: { name: 'Opportunity', endDatetime: end, leadId: 2667, venueId: 2 },
        want: { leadId: 2667, venueId: 2 },
      },
      {
        name: 'a plain lead without venue (the page’s add sample)',
        body: { name: 'Lead', endDatetime: end, leadId: 2665 },
        want: { leadId: 2665, venueId: 1 },
      },
    ],
    reject: [
      {
        name: 'an opportunity without venueId',
        body: { name: 'x', endDatetime: end, leadId: 2666 },
        specificCode: 24395,
        fields: ['venueId'],
      },
      {
        name: 'an opportunity with another venue than its own',
        body: { name: 'x', endDatetime: end, leadId: 2666, venueId: 2 },
        specificCode: 24395,
        fields: ['leadId'],
        additionalMessages: ['leadId: *Invalid item selected*'],
      },
      {
        name: "moving an opportunity's task to another venue",
        body: { id: 3268, venueId: 2 },
        specificCode: 24395,
        fields: ['leadId'],
      },
    ],
  },
  'ivvy.task.priority-enum': {
    action: 'addOrUpdateTask',
    accept: priorities.map((priority) => ({
      name: `priority ${priority}`,
      body: { name: 'p', endDatetime: end, priority },
      want: { priority: priority as Task['priority'] },
    })),
    reject: [
      {
        name: 'an unknown priority',
        body: { name: 'x', endDatetime: end, priority: 'urgent' },
        specificCode: 24395,
        fields: ['priority'],
        additionalMessages: ['priority: *Invalid item selected*'],
      },
      {
        name: 'a capitalised priority',
        body: { name: 'x', endDatetime: end, priority: 'High' },
        specificCode: 24395,
        fields: ['priority'],
      },
    ],
  },
  'ivvy.task.status-enum': {
    action: 'addOrUpdateTask',
    accept: statuses.map((status) => ({
      name: `status ${status}`,
      body: { name: 's', endDatetime: end, status },
      want: { status: status as Task['status'] },
    })),
    reject: [
      { name: 'status 5', body: { name: 'x', endDatetime: end, status: 5 }, specificCode: 24395, fields: ['status'] },
      {
        name: 'status "1"',
        body: { name: 'x', endDatetime: end, status: '1' },
        specificCode: 24395,
        fields: ['status'],
      },
    ],
  },
  'ivvy.task.end-datetime-format': {
    action: 'addOrUpdateTask',
    accept: [
      {
        name: 'Y-m-d H:i:s, listed with UTC',
        body: { name: 'd', endDatetime: '2024-02-29 23:59:59' },
        want: { endDatetime: '2024-02-29 23:59:59 UTC' },
      },
      {
        name: "Y-m-d H:i:s UTC (the vendor's SDK's form), listed once with UTC",
        body: { name: 'd', endDatetime: '2024-02-29 23:59:59 UTC' },
        want: { endDatetime: '2024-02-29 23:59:59 UTC' },
      },
    ],
    reject: [
      {
        name: 'RFC 3339',
        body: { name: 'x', endDatetime: '2021-11-01T17:00:00Z' },
        specificCode: 24395,
        fields: ['endDatetime'],
      },
      {
        name: 'a date only',
        body: { name: 'x', endDatetime: '2021-11-01' },
        specificCode: 24395,
        fields: ['endDatetime'],
      },
      {
        name: '30 February',
        body: { name: 'x', endDatetime: '2021-02-30 10:00:00' },
        specificCode: 24395,
        fields: ['endDatetime'],
        additionalMessages: ['endDatetime: *Value must be a timestamp: Y-m-d H:i:s, optionally followed by UTC*'],
      },
      {
        name: 'another zone than UTC',
        body: { name: 'x', endDatetime: '2021-11-01 17:00:00 AEST' },
        specificCode: 24395,
        fields: ['endDatetime'],
      },
    ],
  },
  'ivvy.task.ids-whole-numbers': {
    action: 'addOrUpdateTask',
    accept: [
      {
        name: 'every id of the page as an integer',
        body: { venueId: 1, leadId: 2666, assignedUserId: 2, name: 'Ints', endDatetime: end },
        want: { venueId: 1, leadId: 2666, assignedUserId: 2, assignedUserFullName: 'Sandbox Planner' },
      },
      {
        name: 'ids as strings of digits (the form of the vendor’s getTaskList example)',
        body: { venueId: '1', leadId: '2666', assignedUserId: '2', name: 'Strings', endDatetime: end },
        want: { venueId: 1, leadId: 2666, assignedUserId: 2 },
      },
      {
        name: 'an update by a string id',
        body: { id: '3269', description: 'x' },
        want: { id: 3269, description: 'x' },
      },
    ],
    reject: [
      {
        name: 'an id that is no number',
        body: { name: 'x', endDatetime: end, leadId: 'abc' },
        specificCode: 24395,
        fields: ['leadId'],
        message: 'The request contains invalid data',
        additionalMessages: ['leadId: *Value must be a whole number*'],
      },
      {
        name: 'a fraction',
        body: { name: 'x', endDatetime: end, contactId: 45219.5 },
        specificCode: 24395,
        fields: ['contactId'],
      },
      {
        name: 'id 0',
        body: { id: 0, name: 'x' },
        specificCode: 24395,
        fields: ['id'],
        additionalMessages: ['id: *Value must be 1 or more*'],
      },
      { name: 'a negative id as a string', body: { id: '-3', name: 'x' }, specificCode: 24395, fields: ['id'] },
    ],
  },
  'ivvy.task.field-types': {
    action: 'addOrUpdateTask',
    accept: [
      {
        name: 'every field of the page',
        body: {
          venueId: 1,
          leadId: 2666,
          name: 'All fields',
          endDatetime: end,
          priority: priorities[0],
          assignedUserId: 2,
          status: statuses[0],
          description: '<p>this is description</p>',
        },
        want: { assignedUserId: 2, assignedUserFullName: 'Sandbox Planner', description: '<p>this is description</p>' },
      },
      {
        name: 'fields the page does not list are accepted and ignored (a misspelling too)',
        body: { name: 'Extra', endDatetime: end, endDateTime: '2030-01-01 00:00:00', progress: 'lots', bookingId: 9 },
        want: { name: 'Extra', endDatetime: `${end} UTC`, progress: 0, bookingId: null },
      },
    ],
    reject: [
      {
        name: 'a name that is no string',
        body: { name: 12, endDatetime: end },
        specificCode: 24395,
        fields: ['name'],
        additionalMessages: ['name: *Value must be of type string*'],
      },
      {
        name: 'status "1"',
        body: { name: 'x', endDatetime: end, status: '1' },
        specificCode: 24395,
        fields: ['status'],
      },
      {
        name: 'every field that does not validate gets one line',
        body: { name: 'x', endDatetime: end, description: 1, priority: 2 },
        specificCode: 24395,
        fields: ['description', 'priority'],
        additionalMessages: ['description: *Value must be of type string*', 'priority: *Value must be of type string*'],
      },
    ],
  },
  'ivvy.task-list.venue-exists': {
    action: 'getTaskList',
    accept: [
      {
        name: 'a known venue: only its tasks',
        body: { venueId: 2 },
        want: (got) => {
          expect(got.results.length).toBeGreaterThan(0);
          expect(got.results.every((t) => t.venueId === 2)).toBe(true);
        },
      },
    ],
    reject: [
      {
        name: 'an unknown venue',
        body: { venueId: 99 },
        specificCode: 23016,
        fields: ['venueId'],
        message: "'venueId' does not validate",
        additionalMessages: ['Invalid item selected'],
      },
      { name: 'an unknown venue as a string', body: { venueId: '99' }, specificCode: 23016, fields: ['venueId'] },
    ],
  },
  'ivvy.task-list.paging': {
    action: 'getTaskList',
    accept: [
      {
        name: 'start and perPage',
        body: { start: 1, perPage: 1 },
        want: (got) => {
          expect(got.meta).toMatchObject({ start: 1, perPage: 1, count: 1 });
          expect(got.meta.totalResults).toBeGreaterThan(1);
        },
      },
      {
        name: 'the defaults',
        body: {},
        want: (got) => expect(got.meta).toMatchObject({ start: 0, perPage: 100, count: got.results.length }),
      },
      {
        name: 'past the end',
        body: { start: 1000 },
        want: (got) => expect(got.meta).toMatchObject({ start: 1000, count: 0 }),
      },
      {
        name: 'perPage 101: above the cap, no effect (the page holds at most 100)',
        body: { perPage: 101 },
        want: (got) => expect(got.meta).toMatchObject({ perPage: 100, count: got.meta.totalResults }),
      },
      {
        name: 'perPage 100000',
        body: { perPage: 100_000, start: 1 },
        want: (got) => expect(got.meta).toMatchObject({ perPage: 100, start: 1 }),
      },
    ],
    reject: [
      {
        name: 'perPage 0',
        body: { perPage: 0 },
        specificCode: 23016,
        fields: ['perPage'],
        message: "'perPage' does not validate",
        additionalMessages: ['Value must be 1 or more'],
      },
      { name: 'start -1', body: { start: -1 }, specificCode: 23016, fields: ['start'] },
      {
        name: 'perPage "x" (the vendor’s example form)',
        body: { perPage: 'x' },
        specificCode: 23016,
        fields: ['perPage'],
        message: "'perPage' does not validate",
        additionalMessages: ['Value must be a whole number'],
      },
      {
        name: 'two invalid parameters: only the first is named',
        body: { perPage: 'x', start: -1 },
        specificCode: 23016,
        fields: ['perPage'],
        message: "'perPage' does not validate",
        additionalMessages: ['Value must be a whole number'],
      },
    ],
  },
  'ivvy.task-list.field-types': {
    action: 'getTaskList',
    accept: [
      { name: 'venueId, start and perPage', body: { venueId: 1, start: 0, perPage: 10 } },
      {
        name: 'venueId as a string (as the vendor example sends it)',
        body: { venueId: '1' },
        want: (got) => expect(got.results.map((t) => t.venueId)).toEqual([1, 1]),
      },
      {
        name: 'fields the action does not know are ignored',
        body: { perPage: 1, sort: 'name', includeDeleted: true },
        want: (got) => expect(got.meta).toMatchObject({ perPage: 1, count: 1 }),
      },
    ],
    reject: [
      {
        name: 'venueId not a whole number',
        body: { venueId: 'one' },
        specificCode: 23016,
        fields: ['venueId'],
        message: "'venueId' does not validate",
        additionalMessages: ['Value must be a whole number'],
      },
      { name: 'venueId 0', body: { venueId: 0 }, specificCode: 23016, fields: ['venueId'] },
    ],
  },
  'ivvy.task-list.filter': {
    action: 'getTaskList',
    accept: [
      {
        name: 'equality, without letter case',
        body: { filter: { name: 'send the RATE card' } },
        want: (got) => expect(ids(got)).toEqual([3267]),
      },
      { name: 'a number', body: { filter: { status: 4 } }, want: (got) => expect(ids(got)).toEqual([3267]) },
      {
        name: 'a number as text',
        body: { filter: { venueId: '1' } },
        want: (got) => expect(ids(got)).toEqual([3268, 3269]),
      },
      {
        name: '__CONTAINS and __NOTCONTAINS',
        body: { filter: { name__CONTAINS: 'THE', name__NOTCONTAINS: 'launch' } },
        want: (got) => expect(ids(got)).toEqual([3267, 3269]),
      },
      {
        name: '__BEGINS',
        body: { filter: { name__BEGINS: 'call' } },
        want: (got) => expect(ids(got)).toEqual([3269]),
      },
      {
        name: '__ENDS',
        body: { filter: { description__ENDS: 'options</p>' } },
        want: (got) => expect(ids(got)).toEqual([3268]),
      },
      {
        name: '__LESSTHAN and __GREATERTHAN are inclusive',
        body: { filter: { progress__LESSTHAN: 0, id__GREATERTHAN: 3269 } },
        want: (got) => expect(ids(got)).toEqual([3269]),
      },
      {
        name: 'timestamps compare with or without UTC',
        body: {
          filter: { endDatetime__LESSTHAN: '2021-10-29 15:00:00', createdDate__GREATERTHAN: '2021-10-18 09:00:00 UTC' },
        },
        want: (got) => expect(ids(got)).toEqual([3267, 3269]),
      },
      { name: '__NOT', body: { filter: { status__NOT: 4 } }, want: (got) => expect(ids(got)).toEqual([3268, 3269]) },
      {
        name: '__ISNULL__ and __NOT __ISNULL__',
        body: { filter: { leadId: '__ISNULL__', companyId__NOT: '__ISNULL__' } },
        want: (got) => expect(ids(got)).toEqual([3267]),
      },
      { name: 'null', body: { filter: { description: null } }, want: (got) => expect(ids(got)).toEqual([3267, 3269]) },
      {
        name: '__EMPTY true and false',
        body: { filter: { description__EMPTY: true, contactId__EMPTY: false } },
        want: (got) => expect(ids(got)).toEqual([3269]),
      },
      {
        name: 'a key naming no task field is ignored',
        body: { filter: { colour: 'red', status__NOT: 4 } },
        want: (got) => expect(ids(got)).toEqual([3268, 3269]),
      },
      {
        name: 'with venueId and paging: totalResults counts the matches',
        body: { venueId: 1, perPage: 1, start: 1, filter: { status: 0 } },
        want: (got) => {
          expect(ids(got)).toEqual([3269]);
          expect(got.meta).toMatchObject({ totalResults: 2, start: 1, perPage: 1, count: 1 });
        },
      },
      { name: 'null: no filter', body: { filter: null }, want: (got) => expect(ids(got)).toEqual([3267, 3268, 3269]) },
    ],
    reject: [
      {
        name: 'a filter that is no object',
        body: { filter: 'name=x' },
        specificCode: 23016,
        fields: ['filter'],
        message: "'filter' does not validate",
      },
      {
        name: 'a filter value that is an object',
        body: { filter: { name: { like: 'x' } } },
        specificCode: 23016,
        fields: ['filter'],
        message: "'filter' does not validate",
      },
    ],
  },
};

const ids = (got: TaskList): number[] => got.results.map((t) => t.id);

const rules = listRules(doc);

it('every x-rules id of the spec has accept and reject cases here, and nothing else is here', () => {
  expect(Object.keys(cases).sort()).toEqual(rules.map((r) => r.rule.id).sort());
  for (const { rule, action } of rules) {
    expect(cases[rule.id]?.action, rule.id).toBe(action);
    expect(cases[rule.id]?.accept.length, rule.id).toBeGreaterThan(0);
    expect(cases[rule.id]?.reject.length, rule.id).toBeGreaterThan(0);
  }
});

describe.each(rules.map(({ rule }) => [rule.id, rule] as const))('%s', (id, rule) => {
  const ruleCases = cases[id] as RuleCases;
  const entry = doc['x-errors']?.[rule.error ?? ''];

  it.each(ruleCases.accept.map((c) => [c.name, c] as const))('accepts: %s', async (_name, c) => {
    const apiKey = partnerKey(`${id}-accept`);
    const got = await exchange<{ success: boolean; id: number } | TaskList>(base, ruleCases.action, {
      action: ruleCases.action,
      apiKey,
      body: JSON.stringify(c.body),
    });
    expect(got.status, JSON.stringify(got.body)).toBe(200);
    if (ruleCases.action === 'getTaskList') {
      if (typeof c.want === 'function') c.want(got.body as TaskList);
      return;
    }
    const saved = got.body as { success: boolean; id: number };
    expect(saved.success).toBe(true);
    if (typeof c.body.id === 'number') expect(saved.id).toBe(c.body.id);
    const task = (await listTasks(base, apiKey)).results.find((t) => t.id === saved.id);
    expect(task).toMatchObject(typeof c.want === 'object' ? c.want : {});
  });

  it.each(ruleCases.reject.map((c) => [c.name, c] as const))('rejects: %s', async (_name, c) => {
    expect(entry, `rule ${id} names the x-errors key ${rule.error}`).toBeDefined();
    expect(c.specificCode).toBe(entry?.specificCode);
    const apiKey = partnerKey(`${id}-reject`);
    const before = await listTasks(base, apiKey);
    const got = await exchange(base, ruleCases.action, {
      action: ruleCases.action,
      apiKey,
      body: JSON.stringify(c.body),
    });
    expectError(got, {
      status: entry?.status as number,
      specificCode: c.specificCode,
      fields: c.fields,
      ...(c.message !== undefined ? { message: c.message } : {}),
      ...(c.additionalMessages !== undefined ? { additionalMessages: c.additionalMessages } : {}),
    });
    expect(await listTasks(base, apiKey)).toEqual(before);
  });
});

it('adding a company contact keeps the task readable and the contact a contact of the company', async () => {
  const apiKey = partnerKey('company-contact');
  const got = await exchange<{ id: number }>(base, 'addOrUpdateTask', {
    action: 'addOrUpdateTask',
    apiKey,
    body: JSON.stringify({ name: 'Joins', endDatetime: end, companyId: 855, contactId: 45219 }),
  });
  expect(got.status).toBe(200);
  const link = await sandbox.store.get(`ivvy:${apiKey}`, 'ivvy.companyContact', '855:45219');
  expect(link).toEqual({ id: '855:45219', companyId: 855, contactId: 45219 });
  expect(
    await sandbox.store.get(`ivvy:${ivvyCredentials(config).apiKey}`, 'ivvy.companyContact', '855:45219'),
  ).toBeUndefined();
});
