/**
 * The requests iVvy's own documentation (ivvycode/apidocs) shows, sent to the sandbox as printed (signed with the
 * sandbox's credentials and today's date); each test names the page it mirrors. Signing is done here from the
 * page's pseudo-code, not with src/vendors/ivvy.
 */

import { createHash, createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.ts';
import { credentials as ivvyCredentials } from '../../../src/vendors/ivvy/settings.ts';
import { type RunningSandbox, startSandbox } from '../../support/sandbox.ts';
import { expectConforms } from '../../support/spec-check.ts';
import { formatDateTime } from './dotnet-sdk.ts';

const config = loadConfig([], {});
let sandbox: RunningSandbox;
let base: string;
beforeAll(async () => {
  sandbox = await startSandbox();
  base = sandbox.base.ivvy as string;
});
afterAll(() => sandbox.close());

interface DocsRequest {
  action: string;
  body: string;
  /** Headers as the page prints them; `IVVY-Date` / `Date` filled with now unless given. */
  headers?: Record<string, string>;
  partner: string;
  /** When the request says it was made (now by default). */
  at?: Date;
}

/**
 * mirrors apidocs getting-started/creating-the-request/signing-the-request.md: method + md5(body) + Content-Type +
 * date (empty with IVVY-Date) + request string + api version + `ivvydate=<value>`, lower-cased, HMAC-SHA1 in hex.
 */
async function sendAsDocumented(request: DocsRequest): Promise<{ status: number; body: Record<string, unknown> }> {
  const at = request.at ?? new Date();
  const requestUri = `/api/1.0/crm?action=${request.action}`;
  const contentType = request.headers?.['Content-Type'] ?? 'application/json';
  const md5 = createHash('md5').update(request.body, 'utf8').digest('hex');
  const ivvyDate = formatDateTime(at).replace(/ UTC$/, '');
  const toSign = `post${md5}${contentType}${requestUri}1.0ivvydate=${ivvyDate}`.toLowerCase();
  const apiKey = `${ivvyCredentials(config).apiKey}+${request.partner}`;
  const res = await fetch(`${base}${requestUri}`, {
    method: 'POST',
    headers: {
      Date: at.toUTCString().replace(/GMT$/, 'UTC'),
      'Content-MD5': md5,
      'Content-Type': contentType,
      'X-Api-Version': '1.0',
      'IVVY-Date': ivvyDate,
      'X-Api-Authorization': `IWS ${apiKey}:${createHmac('sha1', ivvyCredentials(config).apiSecret).update(toSign).digest('hex')}`,
      ...request.headers,
    },
    body: request.body,
  });
  const text = await expectConforms('ivvy', request.action, res);
  return { status: res.status, body: JSON.parse(text) as Record<string, unknown> };
}

type ListBody = { meta: Record<string, number>; results: { id: number; venueId: number | null }[] };

describe('signing-the-request.md', () => {
  // mirrors apidocs getting-started/creating-the-request/signing-the-request.md: its example request carries Date,
  // Content-MD5, Content-Type, X-Api-Version: 1.0 and IVVY-Date, and signs an empty date part.
  it('its example request, with today’s dates, is accepted', async () => {
    const got = await sendAsDocumented({ action: 'getTaskList', body: '{}', partner: 'docs-signing' });
    expect(got.status, JSON.stringify(got.body)).toBe(200);
  });
});

describe('crm/get-task-list.md', () => {
  // mirrors apidocs crm/get-task-list.md "Example Request": { "venueId": "1", } (its trailing comma is not JSON;
  // sent without it).
  it('its example request, venueId as the string "1", lists venue 1’s tasks', async () => {
    const got = await sendAsDocumented({ action: 'getTaskList', body: '{\n  "venueId": "1"\n}', partner: 'docs-list' });
    expect(got.status, JSON.stringify(got.body)).toBe(200);
    const list = got.body as unknown as ListBody;
    expect(list.results.map((t) => t.venueId)).toEqual([1, 1]);
  });

  // mirrors apidocs crm/get-task-list.md: the 200 sample's item fields (userFullName, userEmail and startDatetime were
  // removed from it in apidocs commit aabc6ac).
  it('answers items with exactly the fields of its 200 sample, in its order', async () => {
    const got = await sendAsDocumented({ action: 'getTaskList', body: '{}', partner: 'docs-fields' });
    const list = got.body as unknown as { results: Record<string, unknown>[] };
    expect(Object.keys(list.results[0] ?? {})).toEqual([
      'id',
      'venueId',
      'bookingId',
      'leadId',
      'name',
      'description',
      'status',
      'contactId',
      'companyId',
      'companyContactId',
      'assignedUserId',
      'assignedUserFullName',
      'assignedUserEmail',
      'priority',
      'endDatetime',
      'progress',
      'createdDate',
      'modifiedDate',
    ]);
    expect(Object.keys(got.body.meta as object)).toEqual(['totalResults', 'start', 'perPage', 'count']);
  });
});

describe('crm/add-or-update-task.md', () => {
  // mirrors apidocs crm/add-or-update-task.md "Add Task" and "Update Task", as printed (its odd indentation too).
  it.each([
    [
      'Add Task',
      '{\n  "name": "Test Task API",\n  "endDatetime": "2021-11-01 17:00:00",\n  "status": 1,\n  "assignedUserId": 1,\n  "leadId": 2665\n}',
    ],
    [
      'Update Task',
      '{\n  "id": 3269,\n  "venueId": 1,\n    "name": "Test Task API",\n  "endDatetime": "2021-11-01 17:00:00",\n  "status": 1,\n  "assignedUserId": 1,\n  "contactId": 45219,\n  "companyId": 854\n}',
    ],
  ])('%s is accepted: {"success": true, "id"}', async (name, body) => {
    const got = await sendAsDocumented({ action: 'addOrUpdateTask', body, partner: `docs-${name}` });
    expect(got.status, JSON.stringify(got.body)).toBe(200);
    expect(got.body).toEqual({ success: true, id: name === 'Update Task' ? 3269 : 3270 });
  });
});

describe('development-reference/timestamp-format.md', () => {
  // mirrors apidocs development-reference/timestamp-format.md: "UTC is optional text at the end", its examples.
  it.each([['2020-11-24 15:33:46'], ['2021-05-13 07:05:33 UTC'], ['2019-01-01 21:47:04']])(
    'endDatetime %s is accepted',
    async (endDatetime) => {
      const body = JSON.stringify({ name: 'Timestamp', endDatetime, contactId: 45219 });
      const got = await sendAsDocumented({ action: 'addOrUpdateTask', body, partner: 'docs-timestamps' });
      expect(got.status, JSON.stringify(got.body)).toBe(200);
    },
  );

  it('IVVY-Date with the trailing UTC is accepted (signed as sent)', async () => {
    const at = new Date();
    const requestUri = '/api/1.0/crm?action=getTaskList';
    const md5 = createHash('md5').update('{}').digest('hex');
    const ivvyDate = formatDateTime(at);
    const toSign = `post${md5}application/json${requestUri}1.0ivvydate=${ivvyDate}`.toLowerCase();
    const apiKey = `${ivvyCredentials(config).apiKey}+docs-utc`;
    const res = await fetch(`${base}${requestUri}`, {
      method: 'POST',
      headers: {
        'Content-MD5': md5,
        'Content-Type': 'application/json',
        'IVVY-Date': ivvyDate,
        'X-Api-Authorization': `IWS ${apiKey}:${createHmac('sha1', ivvyCredentials(config).apiSecret).update(toSign).digest('hex')}`,
      },
      body: '{}',
    });
    expect(res.status, await expectConforms('ivvy', 'getTaskList', res)).toBe(200);
  });
});

describe('getting-started/interpreting-the-response', () => {
  // mirrors apidocs getting-started/interpreting-the-response/pagination.md: a perPage above the cap "will not have
  // any effect"; start is the zero-based record to start from, not a page.
  it('pagination.md: perPage above the cap is no error; start is a record index', async () => {
    const got = await sendAsDocumented({
      action: 'getTaskList',
      body: '{"perPage": 5000, "start": 1}',
      partner: 'docs-paging',
    });
    expect(got.status, JSON.stringify(got.body)).toBe(200);
    const list = got.body as unknown as ListBody;
    expect(list.meta).toEqual({ totalResults: 3, start: 1, perPage: 100, count: 2 });
    expect(list.results.map((t) => t.id)).toEqual([3268, 3269]);
  });

  // mirrors apidocs getting-started/interpreting-the-response/filtering.md: its three example forms (equality,
  // __BEGINS, the __ISNULL__ value), on task fields.
  it.each<[string, Record<string, unknown>, number[]]>([
    ['equality', { filter: { name: 'Send the rate card' } }, [3267]],
    ['__BEGINS', { filter: { name__BEGINS: 'C' } }, [3269]],
    ['__ISNULL__', { filter: { leadId: '__ISNULL__' } }, [3267, 3269]],
  ])('filtering.md: %s', async (_name, body, ids) => {
    const got = await sendAsDocumented({ action: 'getTaskList', body: JSON.stringify(body), partner: 'docs-filter' });
    expect(got.status, JSON.stringify(got.body)).toBe(200);
    expect((got.body as unknown as ListBody).results.map((t) => t.id)).toEqual(ids);
  });

  // mirrors apidocs getting-started/interpreting-the-response/exceptions.md, its three examples in their form.
  it('exceptions.md 23016: "\'<param>\' does not validate" with the validator’s message', async () => {
    const got = await sendAsDocumented({ action: 'getTaskList', body: '{"venueId":"wrong"}', partner: 'docs-23016' });
    expect(got).toEqual({
      status: 400,
      body: {
        errorCode: 400,
        message: "'venueId' does not validate",
        specificCode: 23016,
        additionalMessages: ['Value must be a whole number'],
      },
    });
  });

  it('exceptions.md 23017: "\'<param>\' is required", no additional messages', async () => {
    // Signed, but without Content-MD5 (nor a date): the first missing parameter is named.
    const res = await fetch(`${base}/api/1.0/crm?action=getTaskList`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-Api-Authorization': `IWS ${ivvyCredentials(config).apiKey}:${'0'.repeat(40)}`,
      },
      body: '{}',
    });
    const text = await expectConforms('ivvy', 'getTaskList', res);
    expect({ status: res.status, body: JSON.parse(text) }).toEqual({
      status: 400,
      body: { errorCode: 400, message: "'Content-MD5' is required", specificCode: 23017 },
    });
  });

  it('exceptions.md 23005: a date outside 5 minutes of UTC is "Request is stale"', async () => {
    const got = await sendAsDocumented({
      action: 'getTaskList',
      body: '{}',
      partner: 'docs-23005',
      at: new Date(Date.UTC(2000, 5, 1)),
    });
    expect(got).toEqual({ status: 401, body: { errorCode: 401, message: 'Request is stale', specificCode: 23005 } });
  });
});
