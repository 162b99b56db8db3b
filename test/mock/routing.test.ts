/**
 * Which operation answers and how: `x-aliases` route to their path's operation, a vendor's own choice of the
 * answer's media type (`responseMediaType`) replaces `Accept` negotiation, and a success answer carries the URL's
 * id. The specs do not use aliases or the media-type hook yet and document few success examples with the path's
 * id, so these run on in-memory copies of the specs with exactly that added.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningMock } from '../../src/mock/index.ts';
import { pathIds, withPathIds } from '../../src/mock/path-ids.ts';
import { findRoute, templatePattern } from '../../src/mock/routes.ts';
import type { VendorModule } from '../../src/server/vendor-module.ts';
import { findOperation, loadSpec, mocksDir, type OpenApiDocument } from '../../src/spec/index.ts';
import { vendorModules } from '../../src/vendors/index.ts';
import { authFor, authHeaders, pathExample, startTestMock } from '../support/mock-client.ts';

// biome-ignore lint/suspicious/noExplicitAny: the tests edit copies of the specs
type Doc = Record<string, any>;
const json = 'application/json';
const taskPath = '/api/2.0/crm/task/{taskid}';
const corrected = readFileSync(join(mocksDir, 'r7-office/updateTask/corrected.request.json'), 'utf8');
const r7 = { ...authHeaders['r7-office'], 'content-type': json };

/** R7-Office with `.json` and `.tml` aliases on the task path, and its examples written for the path's example id. */
async function r7WithAliases(): Promise<OpenApiDocument> {
  const spec = structuredClone(await loadSpec('r7-office'));
  const located = findOperation(spec, 'updateTask');
  if (!located) throw new Error('r7-office has no updateTask');
  const id = pathExample(spec, located.entry, 'taskid');
  const doc = spec as Doc;
  doc.paths[taskPath]['x-aliases'] = [`${taskPath}.json`, `${taskPath}.tml`];
  doc.paths[taskPath].put.responses['200'].content[json].examples['updateTask-seed'].value.response.id = id;
  const xml = doc.paths[`${taskPath}.xml`].put.responses['200'].content['text/xml'].examples['updateTaskXml-seed'];
  xml.value = (xml.value as string).replace('<id>0</id>\n</response>', `<id>${id}</id>\n</response>`);
  // The JSON task path answers XML too: the vendor's own hook chooses (R7-Office by the path's suffix).
  doc.paths[taskPath].get.responses['200'].content['text/xml'] = {
    schema: { $ref: '#/components/schemas/TaskEnvelopeXml' },
  };
  return doc as OpenApiDocument;
}

describe('x-aliases', () => {
  let mock: RunningMock;
  beforeAll(async () => {
    mock = await startTestMock({ docs: { 'r7-office': await r7WithAliases() } });
  });
  afterAll(() => mock?.close());
  const at = (path: string, init: RequestInit = {}) =>
    fetch(`${mock.bases['r7-office']}/api/2.0/crm/task/${path}`, {
      ...init,
      headers: { ...r7, ...(init.headers as Record<string, string>) },
    });

  it.each([['77'], ['77.json'], ['77.tml']])('routes %s to updateTask, answering the URL id', async (path) => {
    const res = await at(path, { method: 'PUT', body: corrected, headers: { prefer: 'example=updateTask-seed' } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { response: { id: number } }).response.id).toBe(77);
  });

  it('refuses an alias with a malformed id exactly as the path itself', async () => {
    const [plain, alias] = await Promise.all([at('abc'), at('abc.json')]);
    expect(alias.status).toBe(400);
    expect({ status: alias.status, body: await alias.text() }).toEqual({
      status: plain.status,
      body: await plain.text(),
    });
  });

  it('prefers the most literal template: .xml is its own operation, not an id ending in .xml', async () => {
    const res = await at('77.xml', { method: 'PUT', body: corrected });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/xml');
    expect(await res.text()).toContain('<id>77</id>\n</response>');
  });

  it('matches templates as the sandbox does: a parameter holds no dot', () => {
    const routes = [
      {
        entry: { method: 'get', path: taskPath },
        templates: [taskPath, `${taskPath}.json`].map((t) => ({
          template: t,
          pattern: templatePattern(t),
          names: ['taskid'],
        })),
      },
    ];
    expect(findRoute(routes as never, 'GET', '/api/2.0/crm/task/5.json')).toMatchObject({
      params: { taskid: '5' },
      canonicalPath: '/api/2.0/crm/task/5',
    });
    expect(findRoute(routes as never, 'GET', '/api/2.0/crm/task/5.pdf')).toBeUndefined();
  });
});

describe("the vendor's own choice of the answer's media type", () => {
  const r7Module = vendorModules.find((m) => m.name === 'r7-office') as VendorModule & {
    responseMediaType?: VendorModule['responseMediaType'];
  };
  const own = r7Module.responseMediaType;
  let mock: RunningMock;
  beforeAll(async () => {
    // What R7-Office's module is to do: XML when the path ends in .xml or .tml and the body is not JSON.
    r7Module.responseMediaType = (request, _route, offered) => {
      const path = request.url.split('?')[0] ?? '';
      const xml = /\.(xml|tml)$/.test(path) && !/json/.test(String(request.headers['content-type'] ?? ''));
      return offered.find((m) => (xml ? /xml/.test(m) : /json/.test(m)));
    };
    mock = await startTestMock({ docs: { 'r7-office': await r7WithAliases() } });
  });
  afterAll(async () => {
    await mock?.close();
    if (own) r7Module.responseMediaType = own;
    else delete r7Module.responseMediaType;
  });
  const get = (path: string, headers: Record<string, string>) =>
    fetch(`${mock.bases['r7-office']}/api/2.0/crm/task/${path}`, {
      headers: { ...authHeaders['r7-office'], ...headers },
    });

  it.each([
    ['77.tml', {}, 'text/xml'],
    ['77.tml', { 'content-type': json }, json],
    ['77.json', {}, json],
    ['77', { accept: 'application/xml' }, json],
  ])('GET %s with %j answers %s', async (path, headers, mediaType) => {
    const res = await get(path, headers);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(mediaType);
    const body = await res.text();
    if (mediaType === 'text/xml') expect(body).toMatch(/^<result>/);
    else expect(() => JSON.parse(body)).not.toThrow();
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

  it("answers an Odyssee task under the URL's key when its example is the path's example task", async () => {
    const real = await startTestMock();
    const key = 'f7d828f8-7316-428f-9ae8-f04ecefda91e';
    let task: Record<string, unknown>;
    try {
      const res = await fetch(`${real.bases.odyssee}/api/Task(${key})`, {
        headers: { ...authFor('odyssee'), accept: json },
      });
      task = (await res.json()) as Record<string, unknown>;
    } finally {
      await real.close();
    }
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
