/**
 * The vendor page's samples (mocks/ivvy), replayed byte for byte as their manifests say, signed as a partner
 * would: each gets the answer its manifest expects, and the task it saved reads back with getTaskList.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  findOperation,
  type Located,
  listSamples,
  loadSpec,
  mediaExamples,
  requestMedia,
  response,
} from '../../../src/spec/index.ts';
import { type RunningSandbox, startSandbox } from '../../support/sandbox.ts';
import { exchange, listTasks, partnerKey } from './helpers.ts';

const requests = listSamples().filter((s) => s.vendor === 'ivvy' && s.manifest.side === 'request');

let sandbox: RunningSandbox;
let base: string;
beforeAll(async () => {
  sandbox = await startSandbox();
  base = sandbox.base.ivvy as string;
});
afterAll(() => sandbox.close());

it('there are samples to replay', () => {
  expect(requests.map((s) => s.id).sort()).toEqual([
    'ivvy/addOrUpdateTask/seed-add.request.json',
    'ivvy/addOrUpdateTask/seed-update.request.json',
  ]);
});

it.each(requests.map((s) => [s.id, s] as const))('%s is answered as its manifest says', async (id, sample) => {
  const apiKey = partnerKey(`sample-${id.replace(/\W+/g, '-')}`);
  const query = new URLSearchParams(sample.manifest.replay?.query ?? {}).toString();
  const got = await exchange<{ success: boolean; id: number }>(base, sample.manifest.operation, {
    path: `/api/1.0/crm${query ? `?${query}` : ''}`,
    apiKey,
    body: sample.bytes,
  });
  expect(got.status, JSON.stringify(got.body)).toBe(sample.manifest.expect?.status);
  expect(got.body.success).toBe(true);

  const sent = JSON.parse(sample.bytes.toString('utf8')) as Record<string, unknown>;
  if (typeof sent.id === 'number') expect(got.body.id).toBe(sent.id);
  const task = (await listTasks(base, apiKey)).results.find((t) => t.id === got.body.id);
  expect(task).toMatchObject({
    name: sent.name,
    status: sent.status,
    assignedUserId: sent.assignedUserId,
    assignedUserFullName: 'Sandbox User',
    endDatetime: `${sent.endDatetime} UTC`,
  });
  if (sent.leadId !== undefined) expect(task).toMatchObject({ leadId: sent.leadId, venueId: 1 });
  if (sent.companyId !== undefined) {
    // The one allowed pair: the contact joins the company, the task belongs to the company.
    expect(task).toMatchObject({ companyId: sent.companyId, companyContactId: sent.contactId, contactId: null });
  }
});

/**
 * Every named request example of the spec (`<action>-<case>`) has a 200 example of the same name, and it is what
 * the sandbox answers to exactly that request from a partner that has written nothing: the mock answers
 * `Prefer: example=<name>` with the sandbox's own answer.
 */
const doc = await loadSpec('ivvy');
const crm = findOperation(doc, 'crm') as Located;
const requestExamples = mediaExamples(doc, requestMedia(doc, crm, 'application/json'));
const responseExamples = mediaExamples(doc, response(doc, crm, '200')?.response.content?.['application/json']);

it('has request examples of both actions, each with a response example of its name', () => {
  const names = Object.keys(requestExamples);
  expect(names.some((n) => n.startsWith('addOrUpdateTask-'))).toBe(true);
  expect(names.some((n) => n.startsWith('getTaskList-'))).toBe(true);
  for (const name of names) expect(Object.keys(responseExamples), name).toContain(name);
});

it.each(Object.entries(requestExamples))(
  'request example %s is answered with its response example',
  async (name, body) => {
    const action = name.split('-')[0] as string;
    const got = await exchange(base, action, {
      action,
      apiKey: partnerKey(`example-${name}`),
      body: JSON.stringify(body),
    });
    expect(got.status, JSON.stringify(got.body)).toBe(200);
    expect(got.body).toEqual(responseExamples[name]);
  },
);
