/**
 * The vendor page's samples (mocks/r7-office): each request replayed byte for byte through the client a partner
 * would use (r7Client), with the outcome its manifest expects; the answers shaped like the page's response samples.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { listRules, listSamples, loadSpec } from '../../../src/spec/index.ts';
import { r7Client } from '../../../src/vendors/r7-office/client.ts';
import { parseXml } from '../../../src/xml/parse.ts';
import { type RunningSandbox, startSandbox } from '../../support/sandbox.ts';
import { answer, data, expectError, readTask, type TaskEnvelope, taskPath, tokenFor } from './helpers.ts';

const samples = listSamples().filter((s) => s.vendor === 'r7-office');
const requests = samples.filter((s) => s.manifest.side === 'request');
const sampleResponse = (operation: string) => {
  const found = samples.find((s) => s.manifest.side === 'response' && s.manifest.operation === operation);
  if (!found) throw new Error(`no response sample for ${operation}`);
  return found.bytes.toString('utf8');
};

let sandbox: RunningSandbox;
let base: string;

beforeAll(async () => {
  sandbox = await startSandbox();
  base = sandbox.base['r7-office'] as string;
});
afterAll(() => sandbox.close());
beforeEach(async () => {
  await fetch(`${sandbox.origin}/_sandbox/reset`, { method: 'POST' });
});

async function replay(sample: (typeof requests)[number]): Promise<Response> {
  const { operation, mediaType, replay: how } = sample.manifest;
  const doc = await loadSpec('r7-office');
  const entry = Object.entries(doc.paths).find(([, item]) =>
    Object.values(item).some((op) => (op as { operationId?: string }).operationId === operation),
  );
  if (!entry) throw new Error(`no path for ${operation}`);
  const [template, item] = entry;
  const method = Object.entries(item).find(([, op]) => (op as { operationId?: string }).operationId === operation)?.[0];
  const path = template.replace(/\{(\w+)\}/g, (_m, name: string) => String(how?.path?.[name]));
  const request = {
    method: String(method).toUpperCase(),
    path,
    headers: { 'content-type': mediaType },
    body: sample.bytes,
  };
  const auth = await r7Client.authorize(request, { baseUrl: base });
  return fetch(base + path, { method: request.method, headers: { ...request.headers, ...auth }, body: sample.bytes });
}

describe('request samples, replayed as they are', () => {
  it('there are samples to replay', () =>
    expect(requests.map((s) => s.id).sort()).toEqual([
      'r7-office/updateTask/corrected.request.json',
      'r7-office/updateTask/seed.request.json',
    ]));

  it.each(requests.map((s) => [s.id, s] as const))('%s: the outcome its manifest expects', async (_id, sample) => {
    const expected = sample.manifest.expect;
    if (!expected) throw new Error(`${sample.id} has no expect`);
    const res = await replay(sample);
    if (expected.outcome === 'accepted') {
      const { status, body } = await answer<TaskEnvelope>(res, sample.manifest.operation);
      expect(status).toBe(expected.status);
      expect(body).toMatchObject({ count: 1, status: 0, statusCode: 200 });
      return;
    }
    const doc = await loadSpec('r7-office');
    const rule = listRules(doc).find((r) => r.rule.id === expected.rule)?.rule;
    if (!rule?.error) throw new Error(`${sample.id}: rule ${expected.rule} has no error key`);
    expect(doc['x-errors']?.[rule.error]?.status).toBe(expected.status);
    await expectError(res, sample.manifest.operation, rule.error, 'Value does not fall within the expected range.');
  });

  it('the corrected sample stores what it sent, and GET reads it back', async () => {
    const corrected = requests.find((s) => s.manifest.example === 'updateTask-corrected');
    if (!corrected) throw new Error('no corrected sample');
    const sent = JSON.parse(corrected.bytes.toString('utf8')) as Record<string, unknown>;
    const { body: put } = await answer<TaskEnvelope>(await replay(corrected), 'updateTask');
    const got = await readTask(base, await tokenFor(base), 1234);
    expect(got).toEqual(put);
    expect(got.response).toMatchObject({
      id: 1234,
      title: sent.title,
      description: sent.description,
      deadLine: '2008-04-10T06:30:00.0000000Z', // the page's hyphenated form, normalised
      alertValue: sent.alertValue,
      responsible: { id: data.anna, displayName: 'Anna Sokolova' },
      category: { id: 1234, title: 'Call' },
      contact: { id: 1234, displayName: 'Ivan Petrov' },
      entity: { entityType: 'opportunity', entityId: 1234, entityTitle: 'Sale of 10 licences' },
      canEdit: true,
    });
  });

  it('the seed sample leaves the task as it was', async () => {
    const token = await tokenFor(base);
    const before = await readTask(base, token);
    const seed = requests.find((s) => s.manifest.example === 'updateTask-seed');
    if (!seed) throw new Error('no seed sample');
    expect((await replay(seed)).status).toBe(400);
    expect(await readTask(base, token)).toEqual(before);
  });
});

/** Key paths in document order: `response.createBy.id` … (one entry per member). */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([k, v]) => [`${prefix}${k}`, ...keyPaths(v, `${prefix}${k}.`)]);
}

/** Element paths in document order, from the XML text itself: `result.response.createBy.id` … */
function elementPaths(xml: string): string[] {
  const stack: string[] = [];
  const out: string[] = [];
  for (const [, close, name] of xml.matchAll(/<(\/?)([A-Za-z_][\w.-]*)[^>]*>/g)) {
    if (close) stack.pop();
    else {
      stack.push(name as string);
      out.push(stack.join('.'));
    }
  }
  return out;
}

describe('answers shaped like the page’s response samples', () => {
  // Task 1237 updated like the page's answer: Mike responsible, category 30 "Appointment", no contact, entity,
  // description or alert. Only the envelope's count and statusCode are more than the page prints (the vendor's
  // servers send them; the spec allows both).
  const likeThePage = {
    title: 'Send a commercial offer',
    deadline: '2022-10-09T20:03:09.6137431Z',
    responsibleid: data.mike,
    categoryid: 30,
    entityType: '',
  };
  // The .xml path answers XML to anything but a JSON request: send the same fields as a form there.
  const put = async (xml: boolean, token: string) =>
    fetch(base + taskPath(1237, xml), {
      method: 'PUT',
      headers: {
        authorization: token,
        'content-type': xml ? 'application/x-www-form-urlencoded' : 'application/json',
      },
      body: xml
        ? new URLSearchParams(Object.entries(likeThePage).map(([k, v]): [string, string] => [k, String(v)])).toString()
        : JSON.stringify(likeThePage),
    });
  // The page's sample predates (or leaves out) what the vendor's code adds: the envelope's count and statusCode,
  // and the single-task answer's category.relativeItemsCount (CRMApi.ToTaskCategoryWrapper).
  const notOnThePage = ['count', 'statusCode', 'response.category.relativeItemsCount'];

  it('JSON: the same members in the same order as the page’s sample, defaults omitted', async () => {
    const { body } = await answer<TaskEnvelope>(await put(false, await tokenFor(base)), 'updateTask');
    const page = JSON.parse(sampleResponse('updateTask')) as TaskEnvelope;
    const ours = keyPaths(body).filter((k) => !notOnThePage.includes(k));
    expect(ours).toEqual(keyPaths(page));
    expect(body.response).toMatchObject({
      title: page.response.title,
      deadLine: page.response.deadLine,
      responsible: { displayName: 'Mike Zanyatski', title: 'Manager' },
      category: { id: 30, title: 'Appointment', description: '', sortOrder: 2 },
      canEdit: true,
    });
  });

  it('XML (.xml path): root <result>, the same elements in the same order as the page’s text/xml sample', async () => {
    const res = await put(true, await tokenFor(base));
    const { text } = await answer(res, 'updateTaskXml');
    expect(res.headers.get('content-type')).toBe('text/xml; charset=UTF-8');
    expect(text.startsWith('<result>')).toBe(true);
    const page = sampleResponse('updateTaskXml');
    const ours = elementPaths(text).filter((p) => !notOnThePage.includes(p.replace(/^result\./, '')));
    expect(ours).toEqual(elementPaths(page));
    const parsed = parseXml(text).value as { response: Record<string, unknown> };
    expect(parsed.response.title).toBe('Send a commercial offer');
    expect(parsed.response.deadLine).toBe('2022-10-09T20:03:09.6137431Z');
  });
});
