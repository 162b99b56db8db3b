/**
 * Request validation as Prism does it (security, parameters, body, content type), answered with the spec's own
 * documented errors; strict mode answering problem+json with every violation instead; Prism's routing errors.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningMock } from '../../src/mock/index.ts';
import { mocksDir, type OpenApiDocument } from '../../src/spec/index.ts';
import { testVendor, testVendorErrors } from '../fixtures/test-vendor/index.ts';
import { authHeaders, startTestMock } from '../support/mock-client.ts';
import { type RunningSandbox, startSandbox } from '../support/sandbox.ts';
import { expectConforms } from '../support/spec-check.ts';

const taskPath = '/api/Task(f7d828f8-7316-428f-9ae8-f04ecefda91e)';
const json = { 'content-type': 'application/json', accept: 'application/json' };
const validTask = readFileSync(join(mocksDir, 'odyssee/updateTask/seed.request.json'), 'utf8');
/** The vendor's own task sample with one field broken. */
const badTask = validTask.replace(
  '"task_type_id": "86819a15-5d35-412e-9ba1-be52c6ea1a85"',
  '"task_type_id": "not-a-guid"',
);

let mock: RunningMock;
let strict: RunningMock;
beforeAll(async () => {
  [mock, strict] = await Promise.all([startTestMock(), startTestMock({ strict: true })]);
});
afterAll(async () => {
  await mock?.close();
  await strict?.close();
});

const putTask = (base: string, body: string, headers: Record<string, string>) =>
  fetch(`${base}${taskPath}`, { method: 'PUT', headers, body });

describe('invalid requests, answered as the spec documents', () => {
  it('answers a body that fails the schema with the vendor error naming the field, not the 422 Prism would pick', async () => {
    const res = await putTask(mock.bases.odyssee as string, badTask, { ...authHeaders.odyssee, ...json });
    expect(res.status).toBe(400);
    const violations = JSON.parse(res.headers.get('sl-violations') ?? '[]') as { location: string[] }[];
    expect(violations.map((v) => v.location.join('.'))).toEqual(['request.body.task_type_id']);
    const body = JSON.parse(await expectConforms('odyssee', 'updateTask', res)) as {
      error: { code: string; details: { target?: string }[] };
    };
    expect(body.error.code).toBe('ValidationFailed');
    expect(body.error.details.map((d) => d.target)).toEqual(['task_type_id']);
  });

  it.each([
    ['due_date', '"due_date": "tomorrow"'],
    ['subject', `"subject": "${'s'.repeat(151)}"`],
  ])('names %s, the field that is wrong, and nothing else', async (field, member) => {
    const sent = { ...JSON.parse(validTask), ...JSON.parse(`{${member}}`) };
    const res = await putTask(mock.bases.odyssee as string, JSON.stringify(sent), {
      ...authHeaders.odyssee,
      ...json,
    });
    expect(res.status).toBe(400);
    const answer = JSON.parse(await expectConforms('odyssee', 'updateTask', res)) as {
      error: { details: { target?: string }[] };
    };
    expect(answer.error.details.map((d) => d.target)).toEqual([field]);
  });

  it.each([
    ['odyssee', taskPath, {}],
    ['r7-office', '/api/2.0/crm/task/1234', {}],
  ])('answers %s without credentials with its documented 401', async (vendor, path) => {
    const res = await fetch(`${mock.bases[vendor]}${path}`);
    expect(res.status).toBe(401);
    await expectConforms(vendor, vendor === 'odyssee' ? 'getTask' : 'getTask', res);
  });

  it('answers an unsupported content type with the documented 415', async () => {
    const res = await putTask(mock.bases.odyssee as string, 'x', {
      ...authHeaders.odyssee,
      'content-type': 'text/plain',
      accept: 'application/json',
    });
    expect(res.status).toBe(415);
    await expectConforms('odyssee', 'updateTask', res);
  });

  it('answers a path parameter that fails its schema with the documented error', async () => {
    const res = await fetch(`${mock.bases['r7-office']}/api/2.0/crm/task/abc`, { headers: authHeaders['r7-office'] });
    // R7-Office's route constraint {taskid:[0-9]+}: no route, the host's 404 page (r7-office.task.taskid-route).
    expect(res.status).toBe(404);
    await expectConforms('r7-office', 'getTask', res);
  });
});

describe('strict mode', () => {
  it('answers an invalid body with problem+json listing every violation', async () => {
    const res = await putTask(strict.bases.odyssee as string, badTask, { ...authHeaders.odyssee, ...json });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const problem = (await res.json()) as { type: string; validation: { location: string[] }[] };
    expect(problem.type).toBe('https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY');
    expect(problem.validation.map((v) => v.location.join('.'))).toEqual(['body.task_type_id']);
  });

  it('answers a missing credential with a 401 problem', async () => {
    const res = await fetch(`${strict.bases.odyssee}${taskPath}`);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });

  it("keeps Prism's routing problem for a path the API does not have", async () => {
    const res = await fetch(`${strict.bases.odyssee}/api/Nope`, { headers: authHeaders.odyssee });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { type: string }).type).toBe(
      'https://stoplight.io/prism/errors#NO_PATH_MATCHED_ERROR',
    );
  });

  it('answers a valid request as usual', async () => {
    const res = await fetch(`${strict.bases.odyssee}${taskPath}`, { headers: { ...authHeaders.odyssee, ...json } });
    expect(res.status).toBe(200);
    await expectConforms('odyssee', 'getTask', res);
  });
});

describe('routing', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(() => sandbox?.close());

  it.each([
    ['odyssee', '/odyssee/api/Nope', 'GET', 404],
    ['ivvy', '/ivvy/api/1.0/nope', 'GET', 404],
    ['r7-office', '/r7/api/2.0/crm/nope', 'GET', 404],
    ['odyssee', `/odyssee${taskPath}`, 'DELETE', 404],
    ['ivvy', '/ivvy/api/1.0/crm?action=getTaskList', 'PUT', 405],
  ])("answers %s's %s %s as the sandbox does (the vendor's own answer)", async (_vendor, path, method, status) => {
    const ask = (origin: string) => fetch(`${origin}${path}`, { method, headers: authHeaders.odyssee });
    const [fromMock, fromSandbox] = await Promise.all([ask(mock.url), ask(sandbox.origin)]);
    expect(fromMock.status).toBe(status);
    expect(fromMock.status).toBe(fromSandbox.status);
    expect(fromMock.headers.get('content-type')).toBe(fromSandbox.headers.get('content-type'));
    expect(await fromMock.text()).toBe(await fromSandbox.text());
  });

  it('answers an unknown prefix with a problem', async () => {
    const res = await fetch(`${mock.url}/nope`, { headers: authHeaders.odyssee });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(((await res.json()) as { type: string }).type).toBe(
      'https://stoplight.io/prism/errors#NO_PATH_MATCHED_ERROR',
    );
  });

  it('answers CORS preflights and allows any origin, as Prism does (and the sandbox: one pipeline)', async () => {
    const preflight = await fetch(`${mock.bases.odyssee}${taskPath}`, {
      method: 'OPTIONS',
      headers: { origin: 'http://app.example', 'access-control-request-method': 'PUT' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('PUT');
    const res = await fetch(`${mock.bases.odyssee}${taskPath}`, {
      headers: { ...authHeaders.odyssee, origin: 'http://app.example' },
    });
    expect(res.headers.get('access-control-allow-origin')).toBe('http://app.example');
  });
});

describe('a response the mock cannot make valid', () => {
  /** The test vendor with an API whose only answer no value can satisfy (a string that is not a string). */
  async function impossible(): Promise<OpenApiDocument> {
    return {
      openapi: '3.1.0',
      info: { title: 'impossible', version: '1' },
      servers: [{ url: 'http://127.0.0.1:3000/test' }],
      'x-errors': testVendorErrors,
      paths: {
        '/thing': {
          get: {
            operationId: 'getThing',
            responses: {
              '200': {
                description: 'never valid',
                content: { 'application/json': { schema: { type: 'string', not: { type: 'string' } } } },
              },
            },
          },
        },
      },
    };
  }

  it('reports it at start-up, flags a dynamic answer in sl-violations and fails it in strict mode', async () => {
    const doc = await impossible();
    const [lenient, failing] = await Promise.all([
      startTestMock({ vendors: [testVendor], docs: { 'test-vendor': doc } }),
      startTestMock({ vendors: [testVendor], docs: { 'test-vendor': doc }, strict: true }),
    ]);
    try {
      expect(lenient.warnings.filter((w) => w.includes('no valid example'))).toEqual([
        'test-vendor: no valid example for GET /thing 200 application/json',
      ]);
      expect(lenient.missingExamples.filter((m) => m.vendor === 'test-vendor')).toMatchObject([
        { operation: 'getThing', status: '200' },
      ]);
      const res = await fetch(`${lenient.bases['test-vendor']}/thing`, { headers: { prefer: 'dynamic=true' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('sl-violations')).toContain('"response"');
      const refused = await fetch(`${failing.bases['test-vendor']}/thing`, { headers: { prefer: 'dynamic=true' } });
      expect(refused.status).toBe(500);
      expect(((await refused.json()) as { type: string }).type).toBe('https://stoplight.io/prism/errors#VIOLATIONS');
    } finally {
      await Promise.all([lenient.close(), failing.close()]);
    }
  });
});
