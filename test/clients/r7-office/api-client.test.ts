/**
 * Requests as ONLYOFFICE's own .NET client builds them.
 * mirrors ONLYOFFICE/CommunityServer module/ASC.Api/ASC.Api.Client/ApiClient.cs (Authorize, CreateWebRequest,
 * WriteUrlencoded, WriteMultipart, EnumerateParameters), ApiRequest.cs and ResponseParser.cs — ported in
 * asc-api-client.ts. Against the sandbox, then against the mock for what a stateless mock can honour.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningMock } from '../../../src/mock/index.ts';
import { startTestMock } from '../../support/mock-client.ts';
import { type RunningSandbox, startSandbox } from '../../support/sandbox.ts';
import { ApiClient, ApiErrorException, DotNetDateTime, HttpErrorException } from './asc-api-client.ts';

const ANNA = '9924256a-739c-462b-af15-e652a3b1b6eb';

/** UpdateTask's parameters as a .NET caller passes them to WithParameter; `over` replaces by name. */
function update(over: [string, unknown][] = []): [string, never][] {
  const base: [string, unknown][] = [
    ['title', 'Call back about the offer'],
    ['description', 'Discuss the price'],
    ['deadline', new DotNetDateTime('2027-05-06T10:00:00')],
    ['responsibleid', ANNA],
    ['categoryid', 30],
    ['isNotify', false],
    ['alertValue', 0],
  ];
  const replaced = new Map([...base, ...over]);
  return [...replaced] as [string, never][];
}

describe('against the sandbox', () => {
  let sandbox: RunningSandbox;
  let client: ApiClient;
  let token: string;

  beforeAll(async () => {
    sandbox = await startSandbox();
    client = new ApiClient(sandbox.base['r7-office'] as string);
    token = await client.authorize('sandbox@example.com', 'sandbox');
  });
  afterAll(() => sandbox.close());

  it('Authorize: POST authentication.xml with userName and password as a raw form, the token from the XML answer', () => {
    expect(token).toMatch(/^sbx\./);
  });

  it('Authorize with a wrong password fails with the API’s error message', async () => {
    await expect(client.authorize('sandbox+api-client@example.com', 'wrong')).rejects.toThrow(
      new ApiErrorException('User authentication failed'),
    );
  });

  it.each(['Xml', 'Json'] as const)(
    'GET crm/task/1234 (ResponseType %s) with the token raw in Authorization',
    async (type) => {
      const answer = await client.getResponse({ url: 'crm/task/1234', responseType: type, authToken: token });
      expect(answer.statusCode).toBe(200);
      expect(answer.count).toBe(1);
      expect(answer.response).toMatch(type === 'Xml' ? /^<response>.*<id>1234<\/id><\/response>$/ : /"id":1234}$/);
    },
  );

  it('PUT crm/task/1234 as a form: .NET’s True/False, a GUID, a DateTime in "o" form without a zone, values not URL-encoded', async () => {
    const answer = await client.getResponse({
      url: 'crm/task/1234',
      method: 'Put',
      authToken: token,
      parameters: update([['isNotify', true]]),
    });
    expect(answer.statusCode).toBe(200);
    expect(answer.response).toContain('<title>Call back about the offer</title>');
    // No zone: the portal's time, UTC in the sandbox.
    expect(answer.response).toContain('<deadLine>2027-05-06T10:00:00.0000000Z</deadLine>');
    expect(answer.response).toContain(`<responsible><id>${ANNA}</id>`);
  });

  it.each([
    ['Utc', 'Z', '2027-05-06T10:00:00.0000000Z'],
    ['Local, west of UTC', '-05:00', '2027-05-06T15:00:00.0000000Z'],
  ] as const)('PUT with a DateTime of Kind %s', async (kind, offset, stored) => {
    const date = new DotNetDateTime('2027-05-06T10:00:00', kind === 'Utc' ? 'Utc' : 'Local', offset);
    const answer = await client.getResponse({
      url: 'crm/task/1234.json',
      method: 'Put',
      authToken: token,
      parameters: update([['deadline', date]]),
    });
    expect(JSON.parse(answer.response).deadLine).toBe(stored);
  });

  it('a Local DateTime east of UTC fails: CreateQuery does not encode the "+", which the form reads as a space', async () => {
    const date = new DotNetDateTime('2027-05-06T10:00:00', 'Local', '+03:00');
    await expect(
      client.getResponse({
        url: 'crm/task/1234.json',
        method: 'Put',
        authToken: token,
        parameters: update([['deadline', date]]),
      }),
    ).rejects.toThrow(new ApiErrorException('invalid date time format: 2027-05-06T10:00:00.0000000 03:00'));
  });

  it('PUT as multipart/form-data (RequestType.Multipart), the boundary and CRLFs as WriteMultipart writes them', async () => {
    const answer = await client.getResponse({
      url: 'crm/task/1234',
      method: 'Put',
      requestType: 'Multipart',
      authToken: token,
      parameters: update([['title', 'By multipart']]),
    });
    expect(answer.response).toContain('<title>By multipart</title>');
  });

  it.each([
    ['taskid 0', 0],
    ['an id no task has', 987654],
  ])('PUT crm/task/{%s} creates a task with a new id', async (_name, id) => {
    const answer = await client.getResponse({
      url: `crm/task/${id}.json`,
      method: 'Put',
      authToken: token,
      parameters: update([['title', `Created through ${id}`]]),
    });
    const task = JSON.parse(answer.response) as { id: number; title: string };
    expect(task.id).toBeGreaterThan(1238);
    expect(task.id).not.toBe(id);
    const read = await client.getResponse({ url: `crm/task/${task.id}.json`, authToken: token });
    expect(JSON.parse(read.response).title).toBe(`Created through ${id}`);
  });

  it('an error of the method is an ApiErrorException with the vendor’s message, in XML and in JSON', async () => {
    for (const responseType of ['Xml', 'Json'] as const) {
      await expect(
        client.getResponse({
          url: 'crm/task/1234',
          method: 'Put',
          responseType,
          authToken: token,
          parameters: update([['categoryid', 999]]),
        }),
      ).rejects.toThrow(new ApiErrorException('Category is not found'));
    }
  });

  it('no token, or no route, is the host’s text/html page: an HttpErrorException', async () => {
    await expect(client.getResponse({ url: 'crm/task/1234' })).rejects.toThrow(new HttpErrorException(401));
    await expect(client.getResponse({ url: 'crm/task/abc', authToken: token })).rejects.toThrow(
      new HttpErrorException(404),
    );
  });
});

describe('against the mock (stateless: any token, the examples’ answers)', () => {
  let mock: RunningMock;
  let client: ApiClient;

  beforeAll(async () => {
    mock = await startTestMock();
    client = new ApiClient(mock.bases['r7-office'] as string);
  });
  afterAll(() => mock.close());

  it('GET crm/task/1234.xml', async () => {
    const answer = await client.getResponse({ url: 'crm/task/1234', authToken: 'sbx.any' });
    expect(answer.statusCode).toBe(200);
    expect(answer.response).toMatch(/^<response>[\s\S]*<\/response>$/);
  });

  it('PUT crm/task/1234.xml as a raw form and as multipart', async () => {
    for (const requestType of ['Urlencoded', 'Multipart'] as const) {
      const answer = await client.getResponse({
        url: 'crm/task/1234',
        method: 'Put',
        requestType,
        authToken: 'sbx.any',
        parameters: update(),
      });
      expect(answer.statusCode).toBe(200);
    }
  });

  it('PUT crm/task/0.xml (an insert)', async () => {
    const answer = await client.getResponse({
      url: 'crm/task/0',
      method: 'Put',
      authToken: 'sbx.any',
      parameters: update(),
    });
    expect(answer.statusCode).toBe(200);
  });

  it('no token: the host’s 401 page', async () => {
    await expect(client.getResponse({ url: 'crm/task/1234' })).rejects.toThrow(new HttpErrorException(401));
  });

  // The mock routes the x-aliases as the vendor does: `.json` paths and authentication.xml.
  it('GET crm/task/1234.json and Authorize on authentication.xml: the x-aliases route', async () => {
    await client.authorize('sandbox@example.com', 'sandbox');
    await client.getResponse({ url: 'crm/task/1234.json', authToken: 'sbx.any' });
  });
});
