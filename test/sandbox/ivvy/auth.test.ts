/**
 * Request signing as the sandbox checks it (the `ivvySignature` scheme and the `crm` operation's order of checks):
 * every answer is checked against the spec.
 */

import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentials as ivvyCredentials } from '../../../src/vendors/ivvy/settings.ts';
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
  type WantedError,
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
    [
      "with IVVY-Date ending in ' UTC' (the vendor's .NET SDK's form)",
      () => ({ signWith: { ivvyDate: `${ivvyTimestamp(new Date())} UTC` } }),
    ],
    ['without X-Api-Version (the path’s version signed, as the SDK does)', { signWith: {} }],
    ['with X-Api-Version: 1.0 sent and signed (the vendor’s signing example)', { signWith: { apiVersion: '1.0' } }],
    [
      'with X-Api-Version: 2.0 sent but the path’s 1.0 signed (the header is not read)',
      { signWith: {}, headers: { 'X-Api-Version': '2.0' } },
    ],
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

// Requests built exactly as the vendor's .NET SDK builds them: test/clients/ivvy/.

describe('a request that is not correctly signed', () => {
  const wrongSecret = { signWith: { secret: 'not-the-secret' } } satisfies Call;
  it.each<[string, Timed, WantedError]>([
    [
      'no X-Api-Authorization',
      { headers: { 'X-Api-Authorization': null } },
      { status: 401, message: 'Unauthorized', fields: ['X-Api-Authorization'] },
    ],
    ['a wrong signature (another secret)', wrongSecret, { status: 401, fields: ['X-Api-Authorization'] }],
    [
      'a malformed X-Api-Authorization',
      { headers: { 'X-Api-Authorization': 'Bearer sandbox-key' } },
      { status: 401, fields: ['X-Api-Authorization'] },
    ],
    ['an unknown key', { signWith: { key: 'somebody-else' } }, { status: 401, fields: ['X-Api-Authorization'] }],
    ['an empty partner suffix', { signWith: { key: `${ivvyCredentials(config).apiKey}+` } }, { status: 401 }],
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
      'X-Api-Version 2.0 sent and signed (the path’s 1.0 is what is signed)',
      { signWith: { apiVersion: '2.0' } },
      { status: 401, fields: ['X-Api-Authorization'] },
    ],
    [
      'a wrong Content-MD5 (signed consistently, but not the MD5 of the body sent)',
      { signWith: { body: '{"start":1}' } },
      {
        status: 400,
        specificCode: 23016,
        message: "'Content-MD5' does not validate",
        additionalMessages: ['Value must be the hex MD5 of the request body'],
      },
    ],
    [
      'a Content-MD5 that is not hex MD5',
      { headers: { 'Content-MD5': 'qr5fR/3jp6tyDmd6JZ6K8Q==' } },
      {
        status: 400,
        specificCode: 23016,
        message: "'Content-MD5' does not validate",
        additionalMessages: ['Value must be the hex MD5 of the request body'],
      },
    ],
    [
      'no Content-MD5',
      { headers: { 'Content-MD5': null } },
      { status: 400, specificCode: 23017, message: "'Content-MD5' is required", additionalMessages: null },
    ],
    [
      'no Content-MD5 and no date: only the first missing header is named',
      { headers: { 'Content-MD5': null, 'IVVY-Date': null } },
      { status: 400, specificCode: 23017, message: "'Content-MD5' is required", additionalMessages: null },
    ],
    [
      'neither Date nor IVVY-Date',
      { headers: { 'IVVY-Date': null } },
      { status: 400, specificCode: 23017, message: "'Date' is required", additionalMessages: null },
    ],
    [
      'an IVVY-Date that is no date',
      { signWith: { ivvyDate: '2021-02-30 10:00:00' } },
      {
        status: 400,
        specificCode: 23016,
        message: "'IVVY-Date' does not validate",
        additionalMessages: ['Value must be a timestamp: Y-m-d H:i:s, optionally followed by UTC'],
      },
    ],
    [
      'an IVVY-Date in ISO form',
      { signWith: { ivvyDate: '2021-11-01T09:00:00Z' } },
      { status: 400, specificCode: 23016, message: "'IVVY-Date' does not validate" },
    ],
    [
      'a Date in another form',
      { signWith: { date: '2021-11-01T09:00:00Z' } },
      {
        status: 400,
        specificCode: 23016,
        message: "'Date' does not validate",
        additionalMessages: ['Value must be a date such as Tue, 03 Apr 2012 22:23:24 UTC'],
      },
    ],
    [
      'a stale IVVY-Date (6 minutes old)',
      () => ({ signWith: { ivvyDate: ivvyTimestamp(minutes(-6)) } }),
      { status: 401, specificCode: 23005, message: 'Request is stale', additionalMessages: null },
    ],
    [
      "a stale IVVY-Date in the SDK's form (6 minutes old)",
      () => ({ signWith: { ivvyDate: `${ivvyTimestamp(minutes(-6))} UTC` } }),
      { status: 401, specificCode: 23005, message: 'Request is stale' },
    ],
    [
      'a stale Date (1 hour old)',
      () => ({ signWith: { date: httpDate(minutes(-60)) } }),
      { status: 401, specificCode: 23005, message: 'Request is stale', additionalMessages: null },
    ],
    [
      'a date 6 minutes ahead',
      () => ({ signWith: { ivvyDate: ivvyTimestamp(minutes(6)) } }),
      { status: 401, specificCode: 23005, message: 'Request is stale' },
    ],
    [
      "the vendor's own example date (2012)",
      { signWith: { ivvyDate: '2012-04-03 22:23:24' } },
      { status: 401, specificCode: 23005, message: 'Request is stale' },
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

  it('answers an unknown action 404 once the request is signed', async () => {
    const path = crmPath('deleteEverything');
    const res = await send(base, { path, signWith: { path } });
    const text = await expectConforms('ivvy', 'crm', res);
    expectError({ status: res.status, body: JSON.parse(text) }, { status: 404, fields: ['action'] });
  });
});

/**
 * A call without X-Api-Authorization is 401 whatever else is wrong with it (the `crm` operation's order of checks):
 * it is answered before the body is read, the action looked up or any other header checked.
 */
describe('a call without X-Api-Authorization', () => {
  const noAuth = { 'X-Api-Authorization': null };
  it.each<[string, Call]>([
    ['an unknown action', { action: 'deleteEverything', headers: noAuth }],
    ['no action', { action: null, headers: noAuth }],
    ['no signing headers at all', { headers: { ...noAuth, 'Content-MD5': null, 'IVVY-Date': null } }],
    ['malformed JSON', { action: 'addOrUpdateTask', body: '{"name": ', headers: noAuth }],
    ['a JSON array', { action: 'addOrUpdateTask', body: '[]', headers: noAuth }],
    [
      'a text/plain body',
      { action: 'addOrUpdateTask', body: 'x', headers: { ...noAuth, 'Content-Type': 'text/plain' } },
    ],
    ['no Content-Type', { headers: { ...noAuth, 'Content-Type': null } }],
    [
      'a body over 1 MiB',
      { action: 'addOrUpdateTask', body: `{"name":"${'x'.repeat(1024 * 1024)}"}`, headers: noAuth },
    ],
    ['Accept: application/xml', { headers: { ...noAuth, Accept: 'application/xml' } }],
    [
      'a malformed X-Api-Authorization and no Content-MD5',
      { headers: { 'X-Api-Authorization': 'IWS x', 'Content-MD5': null } },
    ],
  ])('is 401: %s', async (_name, call) => {
    const res = await send(base, call);
    const text = await expectConforms('ivvy', 'crm', res);
    expectError({ status: res.status, body: JSON.parse(text) }, { status: 401, fields: ['X-Api-Authorization'] });
  });

  it('is not what a wrong method gets: the core answers that (405), not the signature check', async () => {
    const res = await fetch(`${base}${crmPath('getTaskList')}`, { method: 'GET' });
    expect(res.status).not.toBe(401);
    await res.arrayBuffer();
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
    expect(await namesOf(ivvyCredentials(config).apiKey)).not.toContain('only for A');

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
