/**
 * Requests as the vendor's documentation shows them and as a partner's HTTP client sends them.
 * mirrors specs/sources/002_b62b319fb19244e1.txt (the PUT api/2.0/crm/task/{taskid} page: JSON, the hyphen
 * "Roundtrip format" deadline, Accept: application/json) and the server's readers of a request:
 * module/ASC.Api/ASC.Api/Impl/ApiArgumentBuilder.cs GetRequestParams (JSON, text/xml, form), ASC.Specific/
 * ApiDateTime.cs Formats, ASC.Specific/ASCCookieAuthorization.cs, ASCBasicAuthorization.cs,
 * ASCBearerAuthorization.cs, Impl/Serializers/JsonNetSerializer.cs GetSupportedExtensions (.json, .xml, .tml).
 * Against the sandbox, then against the mock for what a stateless mock can honour.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningMock } from '../../../src/mock/index.ts';
import { startTestMock } from '../../support/mock-client.ts';
import { type RunningSandbox, startSandbox } from '../../support/sandbox.ts';

interface Target {
  base: string;
  token: string;
}

type Body = { type: 'json' | 'form' | 'xml'; fields: Record<string, unknown> };

function encode({ type, fields }: Body): { contentType: string; body: string } {
  if (type === 'json') return { contentType: 'application/json', body: JSON.stringify(fields) };
  if (type === 'form')
    return {
      contentType: 'application/x-www-form-urlencoded',
      body: new URLSearchParams(Object.entries(fields).map(([k, v]): [string, string] => [k, String(v)])).toString(),
    };
  const inner = Object.entries(fields)
    .map(([k, v]) => `<${k}>${String(v).replace(/&/g, '&amp;').replace(/</g, '&lt;')}</${k}>`)
    .join('');
  return { contentType: 'text/xml', body: `<request>${inner}</request>` };
}

const put = (t: Target, path: string, b: Body, headers: Record<string, string> = { authorization: t.token }) => {
  const { contentType, body } = encode(b);
  return fetch(`${t.base}/api/2.0/${path}`, {
    method: 'PUT',
    headers: { accept: 'application/json', 'content-type': contentType, ...headers },
    body,
  });
};

/** The documentation page's sample with the vendor's allowed entityType (the page itself sends "some text"). */
const pageSample = {
  title: 'some text',
  description: 'some text',
  deadline: '2008-04-10T06-30-00.000Z',
  responsibleid: '9924256A-739C-462b-AF15-E652A3B1B6EB',
  categoryid: 1234,
  contactid: 1234,
  entityType: 'opportunity',
  entityid: 1234,
  isNotify: true,
  alertValue: 1234,
};
const minimal = (over: Record<string, unknown> = {}) => ({
  title: 'T',
  deadline: '2027-05-06',
  categoryid: 30,
  ...over,
});

/** Every ApiDateTime form a partner may send, with the instant the vendor reads (the portal is UTC). */
const dateForms: [string, string, string][] = [
  ['the date alone', '2027-05-06', '2027-05-06T00:00:00.0000000Z'],
  ['the page’s hyphen form', '2008-04-10T06-30-00.000Z', '2008-04-10T06:30:00.0000000Z'],
  ['hyphens, 7 digits, an offset', '2027-05-06T10-00-00.1234567+03:00', '2027-05-06T07:00:00.1234567Z'],
  ['hyphens, no fraction, no zone', '2027-05-06T10-00-00', '2027-05-06T10:00:00.0000000Z'],
  ['"o": colons, 7 digits, Z', '2027-05-06T10:00:00.1234567Z', '2027-05-06T10:00:00.1234567Z'],
  ['colons, no fraction, an offset without colon', '2027-05-06T10:00:00-0130', '2027-05-06T11:30:00.0000000Z'],
  ['colons, no zone', '2027-05-06T10:00:00', '2027-05-06T10:00:00.0000000Z'],
];

describe('against the sandbox', () => {
  let sandbox: RunningSandbox;
  let t: Target;

  beforeAll(async () => {
    sandbox = await startSandbox();
    const base = sandbox.base['r7-office'] as string;
    const res = await fetch(`${base}/api/2.0/authentication.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ userName: 'sandbox@example.com', password: 'sandbox' }),
    });
    t = { base, token: ((await res.json()) as { response: { token: string } }).response.token };
  });
  afterAll(() => sandbox.close());

  const task = async (res: Response) => {
    const text = await res.text();
    expect(res.status, text).toBe(200);
    return (JSON.parse(text) as { response: Record<string, unknown> }).response;
  };

  it('the documentation page’s request, entityType corrected, with the token raw in Authorization', async () => {
    const answer = await task(await put(t, 'crm/task/1234', { type: 'json', fields: pageSample }));
    expect(answer).toMatchObject({ id: 1234, deadLine: '2008-04-10T06:30:00.0000000Z', alertValue: 1234 });
  });

  describe.each(['json', 'form', 'xml'] as const)('every ApiDateTime form, as %s', (type) => {
    it.each(dateForms)('%s: %s', async (_name, deadline, read) => {
      const answer = await task(await put(t, 'crm/task/1234', { type, fields: minimal({ deadline }) }));
      expect(answer.deadLine).toBe(read);
    });
  });

  it('scalars as text in JSON: "30", "true", " 0 ", GUIDs in braces', async () => {
    const answer = await task(
      await put(t, 'crm/task/1234', {
        type: 'json',
        fields: minimal({
          categoryid: '30',
          isNotify: 'true',
          alertValue: ' 0 ',
          contactid: '1234',
          responsibleid: '{9924256a-739c-462b-af15-e652a3b1b6eb}',
        }),
      }),
    );
    expect(answer).toMatchObject({ category: { id: 30 }, contact: { id: 1234 } });
  });

  it.each([
    ['', 'application/json'],
    ['.json', 'application/json'],
    ['.xml', 'text/xml'],
    ['.tml', 'text/xml'],
  ])('GET crm/task/1234%s answers %s', async (suffix, type) => {
    const res = await fetch(`${t.base}/api/2.0/crm/task/1234${suffix}`, { headers: { authorization: t.token } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(`${type}; charset=UTF-8`);
  });

  it.each(['authentication', 'authentication.json', 'authentication.xml', 'authentication.tml'])(
    'POST %s signs in',
    async (path) => {
      const res = await fetch(`${t.base}/api/2.0/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'userName=sandbox%40example.com&password=sandbox',
      });
      expect(res.status).toBe(201);
      await res.text();
    },
  );

  it.each([
    [
      'HTTP Basic (curl -u user:password)',
      () => ({ authorization: `Basic ${Buffer.from('sandbox@example.com:sandbox').toString('base64')}` }),
    ],
    ['Authorization: Bearer <token>', () => ({ authorization: `Bearer ${t.token}` })],
    ['the asc_auth_key cookie', () => ({ cookie: `asc_auth_key=${t.token}` })],
  ])('authenticates with %s', async (_name, headers) => {
    await task(await put(t, 'crm/task/1234', { type: 'json', fields: minimal() }, headers()));
  });

  it('authenticates with asc_auth_key in the query string', async () => {
    const { body } = encode({ type: 'json', fields: minimal() });
    const res = await fetch(`${t.base}/api/2.0/crm/task/1234.json?asc_auth_key=${encodeURIComponent(t.token)}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body,
    });
    await task(res);
  });

  it.each([
    ['taskid 0', 0],
    ['an id no task has', 424242],
  ])('upserts on %s: a new task with a new id', async (_name, id) => {
    const answer = await task(
      await put(t, `crm/task/${id}`, { type: 'json', fields: minimal({ title: `New ${id}` }) }),
    );
    expect(answer.id).not.toBe(id);
    expect(answer.id).toBeGreaterThan(1238);
    const read = await fetch(`${t.base}/api/2.0/crm/task/${answer.id}`, { headers: { authorization: t.token } });
    expect((await task(read)).title).toBe(`New ${id}`);
  });

  it('a text/xml body, whatever its root element', async () => {
    const res = await fetch(`${t.base}/api/2.0/crm/task/1234.xml`, {
      method: 'PUT',
      headers: { authorization: t.token, 'content-type': 'text/xml; charset=utf-8' },
      body: '<?xml version="1.0" encoding="utf-8"?><task><title>From XML</title><deadline>2027-05-06</deadline><categoryid>30</categoryid></task>',
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<title>From XML</title>');
  });
});

describe('against the mock (stateless: any token, the examples’ answers)', () => {
  let mock: RunningMock;
  let t: Target;

  beforeAll(async () => {
    mock = await startTestMock();
    t = { base: mock.bases['r7-office'] as string, token: 'sbx.any' };
  });
  afterAll(() => mock.close());

  it('the documentation page’s request, entityType corrected', async () => {
    expect((await put(t, 'crm/task/1234', { type: 'json', fields: pageSample })).status).toBe(200);
  });

  describe.each(['json', 'form'] as const)('every ApiDateTime form, as %s', (type) => {
    it.each(dateForms)('%s: %s', async (_name, deadline) => {
      expect((await put(t, 'crm/task/1234', { type, fields: minimal({ deadline }) })).status).toBe(200);
    });
  });

  it('every ApiDateTime form in a text/xml body whose root is <request>', async () => {
    for (const [, deadline] of dateForms) {
      expect((await put(t, 'crm/task/1234.xml', { type: 'xml', fields: minimal({ deadline }) })).status).toBe(200);
    }
  });

  it('scalars as text in JSON', async () => {
    const res = await put(t, 'crm/task/1234', {
      type: 'json',
      fields: minimal({ categoryid: '30', isNotify: 'true', alertValue: '0' }),
    });
    expect(res.status).toBe(200);
  });

  it.each([
    ['HTTP Basic', { authorization: `Basic ${Buffer.from('sandbox@example.com:sandbox').toString('base64')}` }],
    ['Bearer', { authorization: 'Bearer sbx.any' }],
    ['the cookie', { cookie: 'asc_auth_key=sbx.any' }],
  ])('takes %s', async (_name, headers) => {
    expect((await put(t, 'crm/task/1234', { type: 'json', fields: minimal() }, headers)).status).toBe(200);
  });

  it('takes asc_auth_key in the query string', async () => {
    const res = await fetch(`${t.base}/api/2.0/crm/task/1234?asc_auth_key=sbx.any`);
    expect(res.status).toBe(200);
  });

  it.each([0, 424242])('answers PUT crm/task/%i (an insert) with 200', async (id) => {
    expect((await put(t, `crm/task/${id}`, { type: 'json', fields: minimal() })).status).toBe(200);
  });

  // The mock honours these as the vendor (and the sandbox) does.
  it('crm/task/1234.json and .tml: the x-aliases route', async () => {
    for (const suffix of ['.json', '.tml'])
      expect(
        (await fetch(`${t.base}/api/2.0/crm/task/1234${suffix}`, { headers: { authorization: t.token } })).status,
      ).toBe(200);
  });
  it('a text/xml body under a root element of any name, which the vendor ignores', async () => {
    const res = await fetch(`${t.base}/api/2.0/crm/task/1234.xml`, {
      method: 'PUT',
      headers: { authorization: t.token, 'content-type': 'text/xml' },
      body: '<task><title>T</title><deadline>2027-05-06</deadline><categoryid>30</categoryid></task>',
    });
    expect(res.status).toBe(200);
  });
});
