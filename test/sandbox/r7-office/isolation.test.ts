import { afterAll, beforeAll, expect, it } from 'vitest';
import { r7Client } from '../../../src/vendors/r7-office/client.ts';
import { type RunningSandbox, startSandbox } from '../../support/sandbox.ts';
import { answer, call, readTask, type TaskEnvelope, tokenFor, validBody } from './helpers.ts';

let sandbox: RunningSandbox;
let base: string;
let first: string;
let second: string;

beforeAll(async () => {
  sandbox = await startSandbox();
  base = sandbox.base['r7-office'] as string;
  first = await tokenFor(base);
  const partner = r7Client.otherPartner.user as string;
  second = await tokenFor(base, partner);
});
afterAll(() => sandbox.close());

it('two partners start from the same data', async () => {
  for (const id of [1234, 1235, 1236, 1237])
    expect(await readTask(base, second, id)).toEqual(await readTask(base, first, id));
});

it('neither partner sees the other’s updates, on the JSON or the XML path', async () => {
  const original = await readTask(base, second);
  const put = await call(base, {
    method: 'PUT',
    token: first,
    body: validBody({ title: 'First partner', contactid: 1241 }),
  });
  expect((await answer(put, 'updateTask')).status).toBe(200);
  expect((await readTask(base, first)).response.title).toBe('First partner');
  expect(await readTask(base, second)).toEqual(original);
  const xml = await answer<TaskEnvelope>(await call(base, { id: 1234, xml: true, token: second }), 'getTaskXml');
  expect(xml.body.response.title).toBe(original.response.title);

  const back = await call(base, {
    method: 'PUT',
    xml: true,
    token: second,
    body: validBody({ title: 'Second partner' }),
  });
  expect((await answer(back, 'updateTaskXml')).status).toBe(200);
  expect((await readTask(base, first)).response.title).toBe('First partner');
  expect((await readTask(base, second)).response.title).toBe('Second partner');
});

it('a reset of the sandbox data brings both back to the same start', async () => {
  await fetch(`${sandbox.origin}/_sandbox/reset`, { method: 'POST' });
  expect(await readTask(base, first)).toEqual(await readTask(base, second));
});
