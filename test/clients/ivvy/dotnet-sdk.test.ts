/**
 * The sandbox takes iVvy's own .NET SDK's requests as the vendor does and answers so that the SDK can read them.
 * Every request here is built by the SDK's port in ./dotnet-sdk.ts (ivvycode/ivvy-sdk-net), not by the sandbox's
 * own signing code; each test names the SDK file it mirrors.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.ts';
import { credentials as ivvyCredentials } from '../../../src/vendors/ivvy/settings.ts';
import { type RunningSandbox, startSandbox } from '../../support/sandbox.ts';
import { expectConforms } from '../../support/spec-check.ts';
import {
  EventStatusOptions,
  type EventTask,
  getFilterCondition,
  IvvySdk,
  newEventTask,
  parseDateTime,
  readResult,
  serializeEventTask,
} from './dotnet-sdk.ts';

const config = loadConfig([], {});
let sandbox: RunningSandbox;
let base: string;
beforeAll(async () => {
  sandbox = await startSandbox();
  base = sandbox.base.ivvy as string;
});
afterAll(() => sandbox.close());

/** The SDK pointed at the sandbox (`ApiClient.BaseUrl`), as a partner of its own. */
const sdk = (partner: string, extra: { apiSecret?: string; now?: () => Date } = {}) =>
  new IvvySdk({
    baseUrl: base,
    apiKey: `${ivvyCredentials(config).apiKey}+${partner}`,
    apiSecret: ivvyCredentials(config).apiSecret,
    ...extra,
  });

/** The answer is what the spec says for the action (status and body). */
async function conforms(action: string, got: { status: number; text: string }): Promise<void> {
  await expectConforms(
    'ivvy',
    action,
    new Response(got.text, { status: got.status, headers: { 'content-type': 'application/json' } }),
  );
}

describe('the request the SDK builds', () => {
  // mirrors ivvycode/ivvy-sdk-net src/ApiClient.cs CallAsync, src/Crm/EventTask.cs, src/Json/ApiClientSerializer.cs
  it('is signed with the charset content type and IVVY-Date in UTC form, without X-Api-Version or Date', () => {
    const client = sdk('shape', { now: () => new Date(Date.UTC(2027, 1, 1, 8, 15, 0)) });
    const task = newEventTask({
      LeadId: 2665,
      Name: 'Call the caterer',
      EndDatetime: new Date(Date.UTC(2021, 10, 1, 17)),
    });
    const request = client.buildCall('crm', 'addOrUpdateTask', JSON.stringify({}));
    expect(Object.keys(request.headers)).toEqual(['Content-Type', 'Content-MD5', 'IVVY-Date', 'X-Api-Authorization']);
    expect(request.headers['Content-Type']).toBe('application/json; charset=utf-8');
    expect(request.headers['IVVY-Date']).toBe('2027-02-01 08:15:00 UTC');
    expect(request.url).toBe(`${base}/api/1.0/crm?action=addOrUpdateTask`);
    expect(request.stringToSign).toBe(
      'post99914b932bd37a50b983c5e7c90ae93bapplication/json; charset=utf-8/api/1.0/crm?action=addorupdatetask1.0ivvydate=2027-02-01 08:15:00 utc',
    );
    // Json.NET: declaration order, nulls and id 0 dropped, status (an integer) and progress always there.
    const body = client.buildCall('crm', 'addOrUpdateTask', serializeEventTask(task)).body;
    expect(body).toBe(
      '{"leadId":2665,"name":"Call the caterer","status":0,"endDatetime":"2021-11-01 17:00:00 UTC","progress":0}',
    );
  });
});

describe('AddOrUpdateTaskAsync', () => {
  // mirrors ivvycode/ivvy-sdk-net src/Crm/ApiClient.cs AddOrUpdateTaskAsync, src/Crm/EventTask.cs, src/ResultObject.cs
  it('adds a new task: 200, success and the new id, and the task reads back', async () => {
    const client = sdk('add');
    const got = await client.addOrUpdateTaskAsync(
      newEventTask({ LeadId: 2665, Name: 'Call the caterer', EndDatetime: new Date(Date.UTC(2021, 10, 1, 17)) }),
    );
    await conforms('addOrUpdateTask', got);
    expect(got.IsSuccess(), got.text).toBe(true);
    expect(got.Result).toMatchObject({ Success: true });
    const list = await client.getTaskListAsync(100, 0);
    const saved = list.Result?.Results?.find((t) => t.Id === got.Result?.Id);
    expect(saved).toMatchObject({
      Name: 'Call the caterer',
      LeadId: 2665,
      Status: EventStatusOptions.NotStarted,
      EndDatetime: new Date(Date.UTC(2021, 10, 1, 17)),
    });
  });

  it('adds a task with every field the model has, read-only ones included (they are ignored)', async () => {
    const client = sdk('add-all');
    const at = (day: number) => new Date(Date.UTC(2021, 10, day, 9));
    const got = await client.addOrUpdateTaskAsync(
      newEventTask({
        VenueId: 1,
        Name: 'Everything',
        Description: '<p>all of it</p>',
        Status: EventStatusOptions.InProgress,
        Priority: 'high',
        ContactId: 45219,
        CompanyId: 854,
        CompanyContactId: 123,
        AssignedUserId: 2,
        AssignedUserFullName: 'Someone Else',
        AssignedUserEmail: 'someone@example.com',
        EndDatetime: at(5),
        StartDatetime: at(2),
        Progress: 40,
        CreatedDate: at(1),
        ModifiedDate: at(1),
      }),
    );
    expect(got.IsSuccess(), got.text).toBe(true);
    expect(client.last?.body).toContain('"startDatetime":"2021-11-02 09:00:00 UTC","progress":40,"createdDate"');
    const saved = (await client.getTaskListAsync(100, 0)).Result?.Results?.find((t) => t.Id === got.Result?.Id);
    expect(saved).toMatchObject({
      Name: 'Everything',
      Status: EventStatusOptions.InProgress,
      Priority: 'high',
      CompanyId: 854,
      CompanyContactId: 45219,
      ContactId: null,
      AssignedUserId: 2,
      AssignedUserFullName: 'Sandbox Planner',
      Progress: 0,
    });
  });

  it('reports a vendor error the way the SDK reads it: codes as strings, the message, not a success', async () => {
    const got = await sdk('error').addOrUpdateTaskAsync(
      newEventTask({ LeadId: 99999, Name: 'x', EndDatetime: new Date(Date.UTC(2021, 10, 1)) }),
    );
    await conforms('addOrUpdateTask', got);
    expect(got.IsSuccess()).toBe(false);
    expect(got).toMatchObject({
      ErrorCode: '400',
      ErrorCodeSpecific: '24389',
      ErrorMessage: 'The lead/opportunity does not exist',
      Result: null,
    });
  });

  it('reports a missing name the vendor’s way (24395, one starred line per field)', async () => {
    const got = await sdk('error-name').addOrUpdateTaskAsync(newEventTask({ LeadId: 2665 }));
    expect(got).toMatchObject({
      ErrorCode: '400',
      ErrorCodeSpecific: '24395',
      ErrorMessage: 'The request contains invalid data',
      AdditionalMessages: [
        "name: *Value is required and can't be empty*",
        "endDatetime: *Value is required and can't be empty*",
      ],
    });
  });
});

describe('GetTaskListAsync', () => {
  // mirrors ivvycode/ivvy-sdk-net src/Crm/ApiClient.cs GetTaskListAsync, src/ResultList.cs,
  // src/Json/Converters/ResponseConverter.cs
  it('lists with perPage and start, no venueId and no filter; every date reads with the SDK’s format', async () => {
    const client = sdk('list');
    const got = await client.getTaskListAsync(100, 0);
    expect(client.last?.body).toBe('{"perPage":100,"start":0}');
    await conforms('getTaskList', got);
    expect(got.IsSuccess(), got.text).toBe(true);
    expect(got.Result?.Meta).toEqual({ TotalCount: 3, Start: 0, PerPage: 100, Count: 3 });
    expect(got.Result?.Results?.map((t) => t.Id)).toEqual([3267, 3268, 3269]);
    // ResponseConverter reads dates with DateFormatString "yyyy-MM-dd HH:mm:ss 'UTC'": the answer must keep ` UTC`.
    for (const task of (JSON.parse(got.text) as { results: Record<string, unknown>[] }).results) {
      for (const field of ['endDatetime', 'createdDate', 'modifiedDate']) {
        expect(() => parseDateTime(String(task[field]))).not.toThrow();
      }
    }
  });

  it('pages with start as a record index', async () => {
    const got = await sdk('page').getTaskListAsync(2, 1);
    expect(got.Result?.Meta).toEqual({ TotalCount: 3, Start: 1, PerPage: 2, Count: 2 });
    expect(got.Result?.Results?.map((t) => t.Id)).toEqual([3268, 3269]);
  });

  it('filters with the keys GetFilterCondition builds', async () => {
    const client = sdk('filter');
    const filter = {
      [getFilterCondition('name', 'Begins')]: 'Prepare',
      [getFilterCondition('status', 'Not')]: EventStatusOptions.Completed,
      venueId: 1,
    };
    const got = await client.getTaskListAsync(10, 0, filter);
    expect(client.last?.body).toBe(
      '{"perPage":10,"start":0,"filter":{"name__BEGINS":"Prepare","status__NOT":4,"venueId":1}}',
    );
    await conforms('getTaskList', got);
    expect(got.Result?.Results?.map((t) => t.Id)).toEqual([3268]);
    expect(got.Result?.Meta).toEqual({ TotalCount: 1, Start: 0, PerPage: 10, Count: 1 });
  });

  it('answers a perPage above the cap with the cap, not an error', async () => {
    const got = await sdk('cap').getTaskListAsync(1000, 0);
    expect(got.IsSuccess(), got.text).toBe(true);
    expect(got.Result?.Meta?.PerPage).toBe(100);
  });
});

describe('a task read with GetTaskListAsync, changed and saved with AddOrUpdateTaskAsync', () => {
  // mirrors ivvycode/ivvy-sdk-net src/Crm/ApiClient.cs (GetTaskListAsync, then AddOrUpdateTaskAsync with the same
  // EventTask): every field the model read is sent back, read-only ones included.
  it.each([[3267], [3268], [3269]])('task %i: only what was changed changes', async (id) => {
    const client = sdk(`round-trip-${id}`);
    const before = await client.getTaskListAsync(100, 0);
    const task = before.Result?.Results?.find((t) => t.Id === id) as EventTask;
    expect(task, before.text).toBeDefined();
    const saved = await client.addOrUpdateTaskAsync({ ...task, Name: `${task.Name} (edited)` });
    await conforms('addOrUpdateTask', saved);
    expect(saved.IsSuccess(), saved.text).toBe(true);
    expect(saved.Result).toMatchObject({ Success: true, Id: id });
    for (const field of [
      '"id":',
      '"status":',
      '"progress":',
      '"createdDate":',
      '"modifiedDate":',
      '"assignedUserEmail":',
    ]) {
      expect(client.last?.body).toContain(field);
    }

    const after = await client.getTaskListAsync(100, 0);
    const raw = (r: { text: string }) =>
      (JSON.parse(r.text) as { results: Record<string, unknown>[] }).results.find((t) => t.id === id);
    const { name, modifiedDate, ...rest } = raw(after) as Record<string, unknown>;
    const { name: oldName, modifiedDate: _old, ...oldRest } = raw(before) as Record<string, unknown>;
    expect(name).toBe(`${oldName} (edited)`);
    expect(rest).toEqual(oldRest);
    expect(() => parseDateTime(String(modifiedDate))).not.toThrow();
  });
});

describe('CallAsync with no request data', () => {
  // mirrors ivvycode/ivvy-sdk-net src/ApiClient.cs CallAsync: postData "" and the MD5 of "" (src/Test/ApiClient.cs
  // PingAsync calls CallAsync with null)
  it('sends an empty body, which is a call without parameters', async () => {
    const client = sdk('no-data');
    const got = await client.callAsync('crm', 'getTaskList', null, (json) => json);
    expect(client.last?.body).toBe('');
    expect(client.last?.headers['Content-MD5']).toBe('d41d8cd98f00b204e9800998ecf8427e');
    await conforms('getTaskList', got);
    expect(got.status, got.text).toBe(200);
  });
});

describe('signing failures, as the SDK reads them', () => {
  // mirrors ivvycode/ivvy-sdk-net src/ApiClient.cs CallAsync and src/ResultOrError.cs
  it('a clock 6 minutes behind: 401, 23005, "Request is stale"', async () => {
    const got = await sdk('stale', { now: () => new Date(Date.now() - 6 * 60_000) }).getTaskListAsync(10, 0);
    await conforms('getTaskList', got);
    expect(got.status).toBe(401);
    expect(JSON.parse(got.text)).toEqual({ errorCode: 401, message: 'Request is stale', specificCode: 23005 });
    expect(got).toMatchObject({ ErrorCode: '401', ErrorCodeSpecific: '23005', ErrorMessage: 'Request is stale' });
  });

  it('a wrong secret: 401 without a specific code', async () => {
    const got = await sdk('wrong-secret', { apiSecret: 'not-the-secret' }).getTaskListAsync(10, 0);
    await conforms('getTaskList', got);
    expect(got).toMatchObject({ status: 401, ErrorCode: '401', ErrorCodeSpecific: null });
  });
});

it('reads an answer the way ResponseConverter does (a self-check of the port)', () => {
  // mirrors ivvycode/ivvy-sdk-net src/Json/Converters/ResponseConverter.cs: errorCode decides; codes are strings.
  const error = readResult('{"errorCode":400,"message":"m","specificCode":23016,"additionalMessages":["r"]}', (j) => j);
  expect(error).toMatchObject({ ErrorCode: '400', ErrorCodeSpecific: '23016', ErrorMessage: 'm', Result: null });
  expect(error.IsSuccess()).toBe(false);
  expect(() => parseDateTime('2021-11-01 17:00:00')).toThrow();
  expect(parseDateTime('2021-11-01 17:00:00 UTC')).toEqual(new Date(Date.UTC(2021, 10, 1, 17)));
});
