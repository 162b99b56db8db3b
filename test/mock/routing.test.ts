/**
 * Which operation answers and how: `x-aliases` route to their path's operation (R7-Office's `.json` and `.tml`), the
 * vendor's own choice of the answer's media type (R7-Office answers by the path's suffix and the request's
 * Content-Type, never by `Accept`), and a success answer carries the URL's id. The mock routes and checks with the
 * sandbox's own pipeline, so these also hold for the sandbox.
 */
import { describe, expect } from 'vitest';
import type { RunningMock } from '../../src/mock/index.ts';
import { pathIds, withPathIds } from '../../src/mock/path-ids.ts';
import { findOperation, loadSpec, type OpenApiDocument } from '../../src/spec/index.ts';
import { useMock } from '../support/fixtures.ts';
import { authFor, authHeaders, startTestMock } from '../support/mock-client.ts';

// biome-ignore lint/suspicious/noExplicitAny: the tests edit copies of the specs
type Doc = Record<string, any>;
const json = 'application/json';

// One mock with the specs as they are for the file; a test that edits a spec starts its own.
const it = useMock();

describe("x-aliases and the vendor's own choice of media type (R7-Office)", () => {
  const get = (mock: RunningMock, path: string, headers: Record<string, string> = {}) =>
    fetch(`${mock.bases['r7-office']}/api/2.0/crm/task/${path}`, {
      headers: { ...authHeaders['r7-office'], ...headers },
    });

  it.for([
    ['1234', {}, 'application/json; charset=UTF-8'],
    ['1234.json', {}, 'application/json; charset=UTF-8'],
    ['1234.xml', {}, 'text/xml; charset=UTF-8'],
    ['1234.tml', {}, 'text/xml; charset=UTF-8'],
    ['1234.tml', { 'content-type': json }, 'application/json; charset=UTF-8'],
    ['1234', { accept: 'application/xml' }, 'application/json; charset=UTF-8'],
  ] as [string, Record<string, string>, string][])(
    'GET %s with %j answers %s',
    async ([path, headers, contentType], { mock }) => {
      const res = await get(mock, path, headers);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe(contentType);
      const body = await res.text();
      if (contentType.startsWith('text/xml')) expect(body).toMatch(/^<result>/);
      else expect(() => JSON.parse(body)).not.toThrow();
    },
  );

  it('answers an id that is not digits as the vendor does, on the path and its aliases alike', async ({ mock }) => {
    const [plain, alias] = await Promise.all([get(mock, 'abc'), get(mock, 'abc.json')]);
    expect(alias.status).toBe(plain.status);
    expect(await alias.text()).toBe(await plain.text());
  });
});

describe("the URL's id in a success answer", () => {
  it.each([
    [
      'an object',
      { id: 'a', job_id: 'a', parent: { id: 'b', taskId: 'a' }, list: [{ ID: 'a' }], name: 'a' },
      { id: 'z', job_id: 'z', parent: { id: 'b', taskId: 'z' }, list: [{ ID: 'z' }], name: 'a' },
    ],
    ['a number kept a number', { response: { id: 1234, count: 1234 } }, { response: { id: 7, count: 1234 } }],
    [
      'XML elements',
      '<r><id>1234</id><x:taskid>1234</x:taskid><title>1234</title></r>',
      '<r><id>7</id><x:taskid>7</x:taskid><title>1234</title></r>',
    ],
  ])('replaces id-named values equal to the example in %s', (_name, given, want) => {
    const example = typeof given === 'string' || 'response' in given ? 1234 : 'a';
    const url = typeof example === 'number' ? '7' : 'z';
    expect(withPathIds(given, [{ name: 'p', example }], { p: url })).toEqual(want);
  });

  it('reads each path parameter example from the spec', async () => {
    const doc = await loadSpec('odyssee');
    const located = findOperation(doc, 'getTask');
    expect(pathIds(doc, located?.entry as never)).toEqual([
      { name: 'id', example: 'f7d828f8-7316-428f-9ae8-f04ecefda91e' },
    ]);
  });

  it("answers an Odyssee task under the URL's key when its example is the path's example task", async ({
    mock: real,
  }) => {
    const key = 'f7d828f8-7316-428f-9ae8-f04ecefda91e';
    const res = await fetch(`${real.bases.odyssee}/api/Task(${key})`, {
      headers: { ...authFor('odyssee'), accept: json },
    });
    const task = (await res.json()) as Record<string, unknown>;
    const doc = structuredClone(await loadSpec('odyssee')) as Doc;
    doc.components.responses.TaskOk.content[json].examples = { 'getTask-seed': { value: { ...task, id: key } } };
    const mock = await startTestMock({ docs: { odyssee: doc as OpenApiDocument } });
    try {
      const other = '0e1d2c3b-4a59-4687-9a0b-1c2d3e4f5a6b';
      for (const prefer of [{}, { prefer: 'example=getTask-seed' }]) {
        const res = await fetch(`${mock.bases.odyssee}/api/Task(${other})`, {
          headers: { ...authFor('odyssee'), accept: json, ...prefer },
        });
        expect(res.status).toBe(200);
        expect(await res.json()).toEqual({ ...task, id: other });
      }
    } finally {
      await mock.close();
    }
  });
});
