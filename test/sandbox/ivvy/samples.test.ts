/**
 * The vendor page's samples (mocks/ivvy), replayed byte for byte as their manifests say, signed as a partner
 * would: each gets the answer its manifest expects, and the task it saved reads back with getTaskList.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { listSamples } from '../../../src/spec/index.ts';
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
