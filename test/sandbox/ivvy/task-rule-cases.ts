/** The cases of the rules of addOrUpdateTask (see rule-cases.ts): required fields, owners, enums, formats, types. */
import type { Task } from './helpers.ts';
import { doc, end, type RuleCases } from './rule-cases.ts';

const schemas = doc.components?.schemas as Record<string, { enum: unknown[] }>;
const priorities = schemas.TaskPriority?.enum as string[];
const statuses = schemas.TaskStatus?.enum as number[];

export const taskRuleCases: Record<string, RuleCases> = {
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
};
