/**
 * Request signing as the sandbox checks it (the `ivvySignature` scheme and the `crm` operation's order of checks):
 * every answer is checked against the spec.
 */
import { createHash, createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpDate, ivvyTimestamp } from '../../../src/vendors/ivvy/signing.ts';
import { type RunningSandbox, startSandbox } from '../../support/sandbox.ts';
import { expectConforms } from '../../support/spec-check.ts';
import {
  type Call,
  config,
  crmPath,
  exchange,
  expectError,
  listTasks,
  partnerKey,
  send,
  type TaskList,
} from './helpers.ts';

let sandbox: RunningSandbox;
let base: string;
beforeAll(async () => {
  sandbox = await startSandbox();
  base = sandbox.base.ivvy as string;
});
afterAll(() => sandbox.close());

const minutes = (n: number) => new Date(Date.now() + n * 60_000);
/** A request, or one built when the test runs (dates relative to then, not to when the file was collected). */
type Timed = Call | (() => Call);
const now = (call: Timed): Call => (typeof call === 'function' ? call() : call);

describe('a correctly signed request', () => {
  it.each<[string, Timed]>([
    ['signed by the client (IVVY-Date = now)', {}],
    ['with Date instead of IVVY-Date', () => ({ signWith: { date: httpDate(new Date()) } })],
    ['with Date in GMT', () => ({ signWith: { date: new Date().toUTCString() } })],
    [
      'with both Date and IVVY-Date (IVVY-Date signed)',
      () => ({ signWith: { date: httpDate(minutes(-60)), ivvyDate: ivvyTimestamp(new Date()) } }),
    ],
    ['with a date 4 minutes old', () => ({ signWith: { ivvyDate: ivvyTimestamp(minutes(-4)) } })],
    ['with another partner key', { apiKey: partnerKey('auth-other') }],
  ])('is answered: %s', async (_name, call) => {
    const got = await exchange<TaskList>(base, 'getTaskList', { action: 'getTaskList', ...now(call) });
    expect(got.status, JSON.stringify(got.body)).toBe(200);
    expect(got.body.meta.totalResults).toBeGreaterThan(0);
  });

  it('accepts Content-MD5 in upper-case hex (the string to sign is lower-cased anyway)', async () => {
    const body = '{}';
    const md5 = createHash('md5').update(body).digest('hex').toUpperCase();
    const got = await exchange(base, 'getTaskList', { body, signWith: {}, headers: { 'Content-MD5': md5 } });
    expect(got.status, JSON.stringify(got.body)).toBe(200);
  });
});

/**
 * The vendor's .NET SDK signs `Content-Type: application/json; charset=utf-8` and builds the request URI as
 * `/api/<version>/<namespace>?action=<action>` whatever its base URL, so against the sandbox it signs the vendor's
 * path while calling `/ivvy/...`. Computed here independently of src/vendors/ivvy/signing.ts.
 */
it('accepts a request signed exactly as the vendor .NET SDK signs it', async () => {
  const body = JSON.stringify({ name: 'From the .NET SDK', endDatetime: '2021-11-01 17:00:00', leadId: 2665 });
  const contentType = 'application/json; charset=utf-8';
  const md5 = createHash('md5').update(body, 'utf8').digest('hex');
  const ivvyDate = new Date().toISOString().slice(0, 19).replace('T', ' ');
  const requestUri = '/api/1.0/crm?action=addOrUpdateTask';
  const toSign = `post${md5}${contentType}${requestUri}1.0ivvydate=${ivvyDate}`.toLowerCase();
  const apiKey = partnerKey('dotnet');
  const hmac = createHmac('sha1', config.ivvySecret).update(toSign).digest('hex');
  const res = await fetch(`${base}${requestUri}`, {
    method: 'POST',
    headers: {
      'Content-Type': contentType,
      'Content-MD5': md5,
      'IVVY-Date': ivvyDate,
      'X-Api-Version': '1.0',
      'X-Api-Authorization': `IWS ${apiKey}:${hmac}`,
    },
    body: Buffer.from(body, 'utf8'),
  });
  const text = await expectConforms('ivvy', 'addOrUpdateTask', res);
  expect(res.status, text).toBe(200);
  const { id } = JSON.parse(text) as { id: number };
  const list = await listTasks(base, apiKey);
  expect(list.results.find((t) => t.id === id)?.name).toBe('From the .NET SDK');
});

describe('a request that is not correctly signed', () => {
  const wrongSecret = { signWith: { secret: 'not-the-secret' } } satisfies Call;
  it.each<[string, Timed, { status: number; specificCode?: number; fields?: string[] }]>([
    [
      'no X-Api-Authorization',
      { headers: { 'X-Api-Authorization': null } },
      { status: 401, fields: ['X-Api-Authorization'] },
    ],
    ['a wrong signature (another secret)', wrongSecret, { status: 401, fields: ['X-Api-Authorization'] }],
    [
      'a malformed X-Api-Authorization',
      { headers: { 'X-Api-Authorization': 'Bearer sandbox-key' } },
      { status: 401, fields: ['X-Api-Authorization'] },
    ],
    ['an unknown key', { signWith: { key: 'somebody-else' } }, { status: 401, fields: ['X-Api-Authorization'] }],
    ['an empty partner suffix', { signWith: { key: `${config.ivvyKey}+` } }, { status: 401 }],
    [
      'the prefixed path signed (/ivvy/api/1.0/crm…)',
      { signWith: { path: `/ivvy${crmPath('getTaskList')}` } },
      { status: 401, fields: ['X-Api-Authorization'] },
    ],
    [
      'another action signed than sent',
      { signWith: { path: crmPath('addOrUpdateTask') } },
      { status: 401, fields: ['X-Api-Authorization'] },
    ],
    [
      'a Content-Type sent other than signed',
      { signWith: { contentType: 'application/json; charset=utf-8' }, headers: { 'Content-Type': 'application/json' } },
      { status: 401, fields: ['X-Api-Authorization'] },
    ],
    [
      'a wrong Content-MD5 (signed consistently, but not the MD5 of the body sent)',
      { signWith: { body: '{"start":1}' } },
      { status: 400, specificCode: 23016, fields: ['Content-MD5'] },
    ],
    [
      'a Content-MD5 that is not hex MD5',
      { headers: { 'Content-MD5': 'qr5fR/3jp6tyDmd6JZ6K8Q==' } },
      { status: 400, specificCode: 23016, fields: ['Content-MD5'] },
    ],
    [
      'no Content-MD5',
      { headers: { 'Content-MD5': null } },
      { status: 400, specificCode: 23017, fields: ['Content-MD5'] },
    ],
    [
      'no X-Api-Version',
      { headers: { 'X-Api-Version': null } },
      { status: 400, specificCode: 23017, fields: ['X-Api-Version'] },
    ],
    [
      'X-Api-Version 2.0',
      { signWith: { apiVersion: '2.0' } },
      { status: 400, specificCode: 23016, fields: ['X-Api-Version'] },
    ],
    [
      'neither Date nor IVVY-Date',
      { headers: { 'IVVY-Date': null } },
      { status: 400, specificCode: 23017, fields: ['Date'] },
    ],
    [
      'an IVVY-Date that is no date',
      { signWith: { ivvyDate: '2021-02-30 10:00:00' } },
      { status: 400, specificCode: 23016, fields: ['IVVY-Date'] },
    ],
    [
      'a Date in another form',
      { signWith: { date: '2021-11-01T09:00:00Z' } },
      { status: 400, specificCode: 23016, fields: ['Date'] },
    ],
    [
      'a stale IVVY-Date (6 minutes old)',
      () => ({ signWith: { ivvyDate: ivvyTimestamp(minutes(-6)) } }),
      { status: 401, specificCode: 23005, fields: ['IVVY-Date'] },
    ],
    [
      'a stale Date (1 hour old)',
      () => ({ signWith: { date: httpDate(minutes(-60)) } }),
      { status: 401, specificCode: 23005, fields: ['Date'] },
    ],
    [
      'a date 6 minutes ahead',
      () => ({ signWith: { ivvyDate: ivvyTimestamp(minutes(6)) } }),
      { status: 401, specificCode: 23005, fields: ['IVVY-Date'] },
    ],
    [
      "the vendor's own example date (2012)",
      { signWith: { ivvyDate: '2012-04-03 22:23:24' } },
      { status: 401, specificCode: 23005 },
    ],
  ])('is refused: %s', async (_name, call, want) => {
    const apiKey = partnerKey('refused');
    const before = await listTasks(base, apiKey);
    const got = await exchange(base, 'getTaskList', { action: 'getTaskList', ...now(call) });
    expectError(got, want);
    expect(await listTasks(base, apiKey)).toEqual(before);
  });

  it('checks the signature before staleness, and staleness before the body', async () => {
    const stale = { ivvyDate: ivvyTimestamp(minutes(-30)) };
    expectError(await exchange(base, 'getTaskList', { signWith: { ...stale, secret: 'x' } }), { status: 401 });
    expectError(await exchange(base, 'getTaskList', { signWith: stale, body: '[]' }), {
      status: 401,
      specificCode: 23005,
    });
  });

  it('answers an unknown action 404 before looking at the signature', async () => {
    const res = await send(base, { action: 'deleteEverything', headers: { 'X-Api-Authorization': null } });
    const text = await expectConforms('ivvy', 'crm', res);
    expectError({ status: res.status, body: JSON.parse(text) }, { status: 404, fields: ['action'] });
  });
});

describe('partners', () => {
  it('two keys never see each other’s tasks', async () => {
    const [a, b] = [partnerKey('isolation-a'), partnerKey('isolation-b')];
    const add = (apiKey: string, name: string) =>
      exchange<{ id: number }>(base, 'addOrUpdateTask', {
        action: 'addOrUpdateTask',
        apiKey,
        body: JSON.stringify({ name, endDatetime: '2021-11-01 17:00:00', contactId: 45219 }),
      });
    const fromA = await add(a, 'only for A');
    const secondOfA = await add(a, 'also only for A');
    const fromB = await add(b, 'only for B');
    expect([fromA.status, secondOfA.status, fromB.status]).toEqual([200, 200, 200]);
    const namesOf = async (apiKey: string) => (await listTasks(base, apiKey)).results.map((t) => t.name);
    expect(await namesOf(a)).toEqual(expect.arrayContaining(['only for A', 'also only for A']));
    expect(await namesOf(a)).not.toContain('only for B');
    expect(await namesOf(b)).toContain('only for B');
    expect(await namesOf(b)).not.toContain('only for A');
    expect(await namesOf(b)).not.toContain('also only for A');
    expect(await namesOf(config.ivvyKey)).not.toContain('only for A');

    // Ids are per key: B has no task with the id of A's second one, so to B it does not exist.
    expect((await listTasks(base, b)).results.map((t) => t.id)).not.toContain(secondOfA.body.id);
    const foreign = await exchange(base, 'addOrUpdateTask', {
      action: 'addOrUpdateTask',
      apiKey: b,
      body: JSON.stringify({ id: secondOfA.body.id, name: 'taken over' }),
    });
    expectError(foreign, { status: 400, specificCode: 24392, fields: ['id'] });
    expect((await listTasks(base, a)).results.find((t) => t.id === secondOfA.body.id)?.name).toBe('also only for A');
  });

  it("a partner's update of a sandbox task is its own", async () => {
    const [a, b] = [partnerKey('cow-a'), partnerKey('cow-b')];
    const got = await exchange(base, 'addOrUpdateTask', {
      action: 'addOrUpdateTask',
      apiKey: a,
      body: JSON.stringify({ id: 3268, name: 'renamed by A', leadId: 2666, venueId: 1 }),
    });
    expect(got.status, JSON.stringify(got.body)).toBe(200);
    const nameIn = async (apiKey: string) => (await listTasks(base, apiKey)).results.find((t) => t.id === 3268)?.name;
    expect(await nameIn(a)).toBe('renamed by A');
    expect(await nameIn(b)).toBe('Prepare the launch proposal');
  });
});
