/**
 * TaskCategoryWrapper's relativeItemsCount (the vendor's count of the category's tasks) as the sandbox keeps it: one
 * record per partner moved with each task write (src/vendors/r7-office/category-counts.ts). Each answer's count must
 * equal a fresh count of the tasks the partner sees, after moves, new tasks, concurrent writes, another partner's
 * writes and a reset.
 */
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { sandboxData } from '../../../src/vendors/r7-office/seed.ts';
import { type RunningSandbox, startSandbox } from '../../support/sandbox.ts';
import { putTask, readTask, tokenFor, USER, validBody } from './helpers.ts';

let sandbox: RunningSandbox;
let base: string;
let token: string;

beforeAll(async () => {
  sandbox = await startSandbox({ rateLimit: false });
  base = sandbox.base['r7-office'] as string;
  token = await tokenFor(base);
});
afterAll(() => sandbox.close());
beforeEach(async () => {
  await fetch(`${sandbox.origin}/_sandbox/reset`, { method: 'POST' });
});

/** Each category's count as the sandbox data's tasks hold it. */
const seedCount = (category: number) => sandboxData.tasks.filter((t) => t.categoryid === category).length;
/** The count the answer for task `id` carries (0 when the member is left out, as the vendor leaves out a 0). */
const countIn = async (as: string, id: number) =>
  (await readTask(base, as, id)).response.category?.relativeItemsCount ?? 0;

it('moves a task between categories: the old one loses it, the new one gains it, the others keep theirs', async () => {
  // Task 1235 is in category 30; 1237 and 1238 in 32; 1236 in 31.
  expect(await countIn(token, 1235)).toBe(seedCount(30));
  const moved = await putTask(base, token, validBody({ categoryid: 32 }), 1235);
  expect(moved.body.response.category?.relativeItemsCount).toBe(seedCount(32) + 1);
  expect(await countIn(token, 1237)).toBe(seedCount(32) + 1);
  expect(await countIn(token, 1236)).toBe(seedCount(31));
  // Back again: each category as in the sandbox data.
  await putTask(base, token, validBody({ categoryid: 30 }), 1235);
  expect(await countIn(token, 1235)).toBe(seedCount(30));
  expect(await countIn(token, 1237)).toBe(seedCount(32));
});

it('counts new tasks (PUT of id 0 and of an unknown id) and an update that keeps its category once', async () => {
  await putTask(base, token, validBody({ categoryid: 31 }), 0);
  await putTask(base, token, validBody({ categoryid: 31 }), 987_654);
  await putTask(base, token, validBody({ categoryid: 31, title: 'Again' }), 1236);
  expect(await countIn(token, 1236)).toBe(seedCount(31) + 2);
});

it('keeps the count right under concurrent writes of one partner: 30 new tasks and 10 moves at once', async () => {
  const writes = [
    ...Array.from({ length: 30 }, () => putTask(base, token, validBody({ categoryid: 31 }), 0)),
    ...Array.from({ length: 10 }, (_, i) => putTask(base, token, validBody({ categoryid: i % 2 ? 31 : 32 }), 1237)),
  ];
  for (const { status } of await Promise.all(writes)) expect(status).toBe(200);
  // Task 1237 (seed category 32) ends in 31 or 32, whichever write came last.
  const last = (await readTask(base, token, 1237)).response.category?.id;
  const movedTo31 = last === 31 ? 1 : 0;
  expect(await countIn(token, 1236)).toBe(seedCount(31) + 30 + movedTo31);
  expect(await countIn(token, 1238)).toBe(seedCount(32) - movedTo31);
});

it("another partner sees the sandbox data's counts, not the first partner's writes; a reset forgets them", async () => {
  await putTask(base, token, validBody({ categoryid: 31 }), 0);
  const other = await tokenFor(base, USER.replace('@', '+counts@'));
  expect(await countIn(other, 1236)).toBe(seedCount(31));
  expect(await countIn(token, 1236)).toBe(seedCount(31) + 1);
  await fetch(`${sandbox.origin}/_sandbox/reset`, { method: 'POST' });
  expect(await countIn(token, 1236)).toBe(seedCount(31));
});
