/** The cases of the rules of getTaskList (see rule-cases.ts): the venue, paging, field types and the filter. */
import { expect } from 'vitest';
import type { TaskList } from './helpers.ts';
import type { RuleCases } from './rule-cases.ts';

const ids = (got: TaskList): number[] => got.results.map((t) => t.id);

export const taskListRuleCases: Record<string, RuleCases> = {
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
