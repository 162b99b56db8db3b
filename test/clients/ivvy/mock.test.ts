/**
 * The Prism mock takes iVvy's own .NET SDK's requests (./dotnet-sdk.ts, ivvycode/ivvy-sdk-net) and the vendor docs'
 * samples, and answers so that the SDK can read them: what a stateless mock can honour (it checks the form of a
 * request, not its signature or any state).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningMock } from '../../../src/mock/index.ts';
import { startTestMock } from '../../support/mock-client.ts';
import { expectConforms } from '../../support/spec-check.ts';
import { EventStatusOptions, type EventTask, IvvySdk, newEventTask, parseDateTime } from './dotnet-sdk.ts';

let mock: RunningMock;
let sdk: IvvySdk;
beforeAll(async () => {
  mock = await startTestMock();
  sdk = new IvvySdk({ baseUrl: mock.bases.ivvy as string, apiKey: 'sandbox-key', apiSecret: 'sandbox-secret' });
});
afterAll(() => mock?.close());

async function conforms(action: string, got: { status: number; text: string }): Promise<void> {
  const res = new Response(got.text, { status: got.status, headers: { 'content-type': 'application/json' } });
  await expectConforms('ivvy', action, res);
}

/** A task as the SDK holds it after reading one: every field of the model set. */
const readTask = (): EventTask =>
  newEventTask({
    Id: 3268,
    VenueId: 1,
    LeadId: 2666,
    Name: 'Prepare the launch proposal (edited)',
    Description: '<p>Floor plan and catering options</p>',
    Status: EventStatusOptions.NotStarted,
    Priority: 'high',
    AssignedUserId: 1,
    AssignedUserFullName: 'Sandbox User',
    AssignedUserEmail: 'sandbox.user@example.com',
    EndDatetime: new Date(Date.UTC(2021, 10, 5, 12)),
    Progress: 0,
    CreatedDate: new Date(Date.UTC(2021, 9, 25, 9, 30)),
    ModifiedDate: new Date(Date.UTC(2021, 9, 25, 9, 30)),
  });

describe('the .NET SDK against the mock', () => {
  // mirrors ivvycode/ivvy-sdk-net src/ApiClient.cs CallAsync (headers: charset content type, IVVY-Date with UTC,
  // no X-Api-Version) and src/Crm/ApiClient.cs AddOrUpdateTaskAsync with a new EventTask
  it('AddOrUpdateTaskAsync with a new task: 200, a ResultObject', async () => {
    const got = await sdk.addOrUpdateTaskAsync(
      newEventTask({ LeadId: 2665, Name: 'Call the caterer', EndDatetime: new Date(Date.UTC(2021, 10, 1, 17)) }),
    );
    expect(got.status, got.text).toBe(200);
    await conforms('addOrUpdateTask', got);
    expect(got.IsSuccess()).toBe(true);
    expect(got.Result?.Success).toBe(true);
  });

  // mirrors ivvycode/ivvy-sdk-net src/Crm/ApiClient.cs AddOrUpdateTaskAsync with an EventTask read by
  // GetTaskListAsync: read-only fields (createdDate, progress, assignedUserFullName…) are sent back
  it('AddOrUpdateTaskAsync with a task it read (every field of the model): 200', async () => {
    const got = await sdk.addOrUpdateTaskAsync(readTask());
    expect(sdk.last?.body).toContain('"createdDate":"2021-10-25 09:30:00 UTC"');
    expect(got.status, got.text).toBe(200);
    expect(got.IsSuccess()).toBe(true);
  });

  // mirrors ivvycode/ivvy-sdk-net src/Crm/ApiClient.cs GetTaskListAsync and src/Json/Converters/ResponseConverter.cs
  it('GetTaskListAsync(100, 0): 200, and every date reads with the SDK’s format', async () => {
    const got = await sdk.getTaskListAsync(100, 0);
    expect(got.status, got.text).toBe(200);
    await conforms('getTaskList', got);
    expect(got.Result?.Results?.length).toBeGreaterThan(0);
    for (const task of (JSON.parse(got.text) as { results: Record<string, string>[] }).results) {
      for (const field of ['endDatetime', 'createdDate', 'modifiedDate']) {
        expect(() => parseDateTime(String(task[field]))).not.toThrow();
      }
    }
  });

  it('GetTaskListAsync with a filter and a perPage above the cap: 200', async () => {
    const got = await sdk.getTaskListAsync(1000, 0, { name__BEGINS: 'Prepare', status__NOT: 4 });
    expect(got.status, got.text).toBe(200);
    await conforms('getTaskList', got);
  });

  // mirrors ivvycode/ivvy-sdk-net src/ApiClient.cs CallAsync with null request data: an empty body, the MD5 of ""
  it('CallAsync with no request data (an empty body): 200', async () => {
    const got = await sdk.callAsync('crm', 'getTaskList', null, (json) => json);
    expect(sdk.last?.body).toBe('');
    expect(got.status, got.text).toBe(200);
  });

  it('still refuses what the vendor refuses: a new task without a name, perPage that is no whole number', async () => {
    const add = await sdk.addOrUpdateTaskAsync(newEventTask({ LeadId: 2665 }));
    expect(add.status, add.text).toBe(400);
    expect(add).toMatchObject({ ErrorCode: '400', ErrorCodeSpecific: '24395' });
    const list = await sdk.callAsync('crm', 'getTaskList', '{"perPage":"x","start":0}', (json) => json);
    expect(list.status, list.text).toBe(400);
    expect(list).toMatchObject({ ErrorCode: '400', ErrorCodeSpecific: '23016' });
  });

  it('refuses a request without X-Api-Authorization with the documented 401', async () => {
    const request = sdk.buildCall('crm', 'getTaskList', '{"perPage":10,"start":0}');
    const { 'X-Api-Authorization': _dropped, ...headers } = request.headers;
    const res = await fetch(request.url, { method: 'POST', headers, body: request.body });
    expect(res.status).toBe(401);
    await expectConforms('ivvy', 'getTaskList', res);
  });
});

describe('the vendor docs’ samples against the mock', () => {
  const headers = (body: string) => {
    const request = sdk.buildCall('crm', 'getTaskList', body);
    return { url: request.url, headers: request.headers, body };
  };

  // mirrors apidocs crm/get-task-list.md "Example Request" ({"venueId": "1"}, without its trailing comma)
  it('getTaskList with venueId as the string "1": 200', async () => {
    const request = headers('{\n  "venueId": "1"\n}');
    const res = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body });
    expect(res.status, await res.clone().text()).toBe(200);
    await expectConforms('ivvy', 'getTaskList', res);
  });

  // mirrors apidocs development-reference/timestamp-format.md: "UTC is optional text at the end"
  it.each([['2021-11-01 17:00:00'], ['2021-11-01 17:00:00 UTC']])(
    'addOrUpdateTask with endDatetime %s: 200',
    async (end) => {
      const request = sdk.buildCall(
        'crm',
        'addOrUpdateTask',
        JSON.stringify({ name: 'x', endDatetime: end, leadId: 2665 }),
      );
      const res = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body });
      expect(res.status, await res.clone().text()).toBe(200);
    },
  );
});
