/** Prism's `Prefer` header (and its `__code`-style query form) picks a status, a named example or a dynamic answer. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningMock } from '../../src/mock/index.ts';
import { parsePrefer, readPreferences } from '../../src/mock/prefer.ts';
import { mocksDir } from '../../src/spec/index.ts';
import { authFor, authHeaders, responseExample, startTestMock } from '../support/mock-client.ts';
import { expectConforms } from '../support/spec-check.ts';

const taskId = 'f7d828f8-7316-428f-9ae8-f04ecefda91e';
const odyssee = { ...authHeaders.odyssee, accept: 'application/json' };
const ivvy = { ...authFor('ivvy', '{"id": 1}'), 'content-type': 'application/json', accept: 'application/json' };
const r7 = { ...authHeaders['r7-office'], 'content-type': 'application/json' };

let mock: RunningMock;
beforeAll(async () => {
  mock = await startTestMock();
});
afterAll(() => mock?.close());

const get = (vendor: string, path: string, headers: Record<string, string>) =>
  fetch(`${mock.bases[vendor]}${path}`, { headers });
const post = (vendor: string, path: string, headers: Record<string, string>, body: string, method = 'POST') =>
  fetch(`${mock.bases[vendor]}${path}`, { method, headers, body });

describe('Prefer: code=<status>', () => {
  it.each([
    ['404 with its documented example', 'code=404', 404, 'not-found'],
    ['406 with its documented example', 'code=406', 406, 'not-acceptable'],
    ['500 with its documented example', 'code=500', 500, 'internal-error'],
  ])('%s', async (_name, prefer, status, example) => {
    const res = await get('odyssee', `/api/Task(${taskId})`, { ...odyssee, prefer });
    expect(res.status).toBe(status);
    const body = await expectConforms('odyssee', 'getTask', res);
    expect(JSON.parse(body)).toEqual(
      await responseExample('odyssee', 'getTask', String(status), 'application/json', example),
    );
  });

  it('takes the query form __code when there is no Prefer header', async () => {
    const res = await get('odyssee', `/api/Task(${taskId})?__code=404`, odyssee);
    expect(res.status).toBe(404);
    await expectConforms('odyssee', 'getTask', res);
  });

  it('answers a status the operation does not document with a Prism problem', async () => {
    const res = await get('odyssee', `/api/Task(${taskId})`, { ...odyssee, prefer: 'code=418' });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({ type: 'https://stoplight.io/prism/errors#NOT_FOUND' });
  });

  it('refuses a malformed preference like Prism (422 problem+json)', async () => {
    const res = await get('odyssee', `/api/Task(${taskId})`, { ...odyssee, prefer: 'code=abc' });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });
});

describe('Prefer: example=<name>', () => {
  it('answers a named request/response example of the spec', async () => {
    const res = await post(
      'r7-office',
      '/api/2.0/crm/task/1234',
      { ...r7, prefer: 'example=updateTask-corrected' },
      corrected,
      'PUT',
    );
    expect(res.status).toBe(200);
    const body = await expectConforms('r7-office', 'updateTask', res);
    expect(JSON.parse(body)).toEqual(
      await responseExample('r7-office', 'updateTask', '200', 'application/json', 'updateTask-corrected'),
    );
  });

  it('picks a named error example together with code', async () => {
    const res = await post(
      'ivvy',
      '/api/1.0/crm?action=addOrUpdateTask',
      { ...ivvy, prefer: 'code=400, example=addOrUpdateTask-24392' },
      '{"id": 1}',
    );
    expect(res.status).toBe(400);
    const body = await expectConforms('ivvy', 'addOrUpdateTask', res);
    expect(JSON.parse(body)).toMatchObject({ errorCode: 400, specificCode: 24392 });
  });

  it('answers in the media type that holds the example when Accept does not choose', async () => {
    const res = await post(
      'odyssee',
      '/api/TaskActivityLog/Save',
      { ...authHeaders.odyssee, 'content-type': 'application/json', prefer: 'example=saveTaskActivityLog-seed-xml' },
      '{"task_id": "ec77bdfe-882b-4254-84a2-979f5c2b20a9"}',
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/xml; charset=utf-8');
    const body = await expectConforms('odyssee', 'saveTaskActivityLog', res);
    expect(body).toBe(
      await responseExample('odyssee', 'saveTaskActivityLog', '200', 'application/xml', 'saveTaskActivityLog-seed-xml'),
    );
  });

  it('answers an example the operation does not have with a Prism problem (404)', async () => {
    const res = await get('odyssee', `/api/Task(${taskId})`, { ...odyssee, prefer: 'example=nope' });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });
});

describe('Prefer: dynamic=true', () => {
  it('generates an answer from the schema that conforms, and differs from the static one', async () => {
    const path = `/api/Jobs(${taskId})`;
    const staticBody = await expectConforms('odyssee', 'getJob', await get('odyssee', path, odyssee));
    const res = await get('odyssee', path, { ...odyssee, prefer: 'dynamic=true' });
    expect(res.status).toBe(200);
    expect(res.headers.get('sl-violations')).toBeNull();
    const body = await expectConforms('odyssee', 'getJob', res);
    expect(body).not.toBe(staticBody);
  });

  it('repeats itself for the same seed', async () => {
    const path = `/api/Task(${taskId})`;
    const once = await get('odyssee', path, { ...odyssee, prefer: 'dynamic=true, seed=42' });
    const twice = await get('odyssee', path, { ...odyssee, prefer: 'dynamic=true, seed=42' });
    expect(await expectConforms('odyssee', 'getTask', once)).toBe(await expectConforms('odyssee', 'getTask', twice));
  });

  it('generates an XML answer when Accept asks for XML', async () => {
    const res = await get('odyssee', `/api/Task(${taskId})`, {
      ...odyssee,
      accept: 'application/xml',
      prefer: 'dynamic=true',
    });
    expect(res.status).toBe(200);
    expect(await expectConforms('odyssee', 'getTask', res)).toMatch(/^<task xmlns:i=/);
  });
});

describe('reading Prefer', () => {
  it.each([
    ['several preferences', { given: 'code=404, example=x', want: { code: '404', example: 'x' } }],
    [
      'parameters and quotes',
      { given: 'example="a,b"; foo=1, dynamic=true', want: { example: 'a,b', dynamic: 'true' } },
    ],
    ['the first of a token wins', { given: 'code=200, code=404', want: { code: '200' } }],
    ['other preferences pass through', { given: 'return=minimal', want: { return: 'minimal' } }],
  ])('%s', (_name, { given, want }) => {
    expect(parsePrefer(given)).toEqual(want);
  });

  it.each([
    [
      'header',
      { prefer: 'code=201, dynamic=false, seed=7', query: '', want: { code: 201, dynamic: false, seed: '7' } },
    ],
    ['query form', { prefer: undefined, query: '__code=404&__example=e', want: { code: 404, example: 'e' } }],
    ['header wins over query', { prefer: 'code=200', query: '__code=404', want: { code: 200 } }],
  ])('decodes the %s', (_name, { prefer, query, want }) => {
    expect(readPreferences(prefer, new URLSearchParams(query))).toEqual({ ok: true, value: want });
  });

  it.each([['code=20x'], ['dynamic=yes']])('refuses %s', (prefer) => {
    expect(readPreferences(prefer, new URLSearchParams()).ok).toBe(false);
  });
});

/** The R7-Office task sample that the vendor's own rules accept. */
const corrected = readFileSync(join(mocksDir, 'r7-office/updateTask/corrected.request.json'), 'utf8');
