/**
 * PUT task/{taskid} as TaskDao.SaveOrUpdateTaskInDb runs it: taskid 0, or an id the caller's portal does not hold,
 * INSERTs a task whose id is the next value of crm_task's AUTO_INCREMENT — one counter for every portal of the
 * server — with the caller as author, now as creation time, open, and no permission check.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningSandbox, startSandbox } from '../../support/sandbox.ts';
import {
  answer,
  call,
  data,
  expectError,
  putTask,
  readTask,
  type TaskEnvelope,
  tokenFor,
  validBody,
} from './helpers.ts';

let sandbox: RunningSandbox;
let base: string;
let token: string;

beforeAll(async () => {
  sandbox = await startSandbox();
  base = sandbox.base['r7-office'] as string;
  token = await tokenFor(base);
});
afterAll(() => sandbox.close());
beforeEach(async () => {
  await fetch(`${sandbox.origin}/_sandbox/reset`, { method: 'POST' });
});

const HIGHEST_SEED_ID = 1238;

describe('an insert', () => {
  it.each([
    ['taskid 0', 0],
    ['an id no task has', 99_999],
    ['an id at the top of Int32', 2_147_483_647],
  ])(
    '%s: 200 with a new id above the sandbox data, the caller as author, now as creation time, open',
    async (_n, id) => {
      const before = Date.now();
      const { status, body } = await putTask(base, token, validBody({ title: 'Inserted' }), id);
      expect(status).toBe(200);
      const task = body.response;
      expect(task.id).toBe(HIGHEST_SEED_ID + 1);
      expect(task.createBy).toMatchObject({ id: data.caller, displayName: 'Sandbox User' });
      expect(task).not.toHaveProperty('isClosed');
      expect(task.canEdit).toBe(true);
      const created = Date.parse(task.created as string);
      expect(created).toBeGreaterThanOrEqual(before - 1000);
      expect(created).toBeLessThanOrEqual(Date.now() + 1000);
      expect(task.created).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/);
      // The URL's id stays unknown.
      if (id !== 0) await expectError(await call(base, { id, token }), 'getTask', 'task-not-found', 'Not found');
      const stored = await readTask(base, token, task.id);
      expect(stored.response).toMatchObject({ id: task.id, title: 'Inserted', createBy: { id: data.caller } });
    },
  );

  it('numbers the inserts one after the other', async () => {
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await putTask(base, token, validBody(), 0)).body.response.id);
    expect(ids).toEqual([1239, 1240, 1241]);
  });

  it('needs no right to edit: a new task is the caller’s', async () => {
    const { status, body } = await putTask(base, token, validBody({ responsibleid: data.mike }), 0);
    expect(status).toBe(200);
    expect(body.response.canEdit).toBe(true);
  });

  it('still runs every other check: category, title, deadline', async () => {
    await expectError(
      await call(base, { method: 'PUT', id: 0, token, body: validBody({ categoryid: 999 }) }),
      'updateTask',
      'category-not-found',
    );
    await expectError(
      await call(base, { method: 'PUT', id: 0, token, body: validBody({ title: '' }) }),
      'updateTask',
      'invalid-argument',
    );
    await expectError(
      await call(base, { method: 'PUT', id: 0, token, body: validBody({ deadline: '' }) }),
      'updateTask',
      'invalid-argument',
    );
    // Nothing was inserted: the next id is still the first one.
    expect((await putTask(base, token, validBody(), 0)).body.response.id).toBe(HIGHEST_SEED_ID + 1);
  });

  it('a later PUT on the new id updates it', async () => {
    const id = (await putTask(base, token, validBody({ title: 'First' }), 0)).body.response.id;
    const again = await putTask(base, token, validBody({ title: 'Second' }), id);
    expect(again.body.response).toMatchObject({ id, title: 'Second' });
    expect((await readTask(base, token, id)).response.title).toBe('Second');
  });
});

describe('ids are unique across partners and under concurrency (one AUTO_INCREMENT for the whole table)', () => {
  it('two partners never get the same id, and neither sees the other’s task', async () => {
    const other = await tokenFor(base, 'sandbox+upsert@example.com');
    const mine = (await putTask(base, token, validBody({ title: 'Mine' }), 0)).body.response.id;
    const theirs = (await putTask(base, other, validBody({ title: 'Theirs' }), 0)).body.response.id;
    expect(theirs).not.toBe(mine);
    await expectError(await call(base, { id: mine, token: other }), 'getTask', 'task-not-found');
    await expectError(await call(base, { id: theirs, token }), 'getTask', 'task-not-found');
    // The other partner's PUT on my id inserts another task for them; mine is untouched.
    const third = (await putTask(base, other, validBody({ title: 'Not yours' }), mine)).body.response.id;
    expect([mine, theirs]).not.toContain(third);
    expect((await readTask(base, token, mine)).response.title).toBe('Mine');
  });

  it('100 inserts at once from two partners: 100 distinct ids, each readable by its partner only', async () => {
    const other = await tokenFor(base, 'sandbox+upsert2@example.com');
    const results = await Promise.all(
      Array.from({ length: 100 }, async (_v, i) => {
        const who = i % 2 === 0 ? token : other;
        const res = await call(base, {
          method: 'PUT',
          id: i % 3 === 0 ? 0 : 500_000 + i,
          token: who,
          body: validBody({ title: `T${i}` }),
        });
        const { status, body } = await answer<TaskEnvelope>(res, 'updateTask');
        expect(status).toBe(200);
        return { who, id: body.response.id, title: `T${i}` };
      }),
    );
    expect(new Set(results.map((r) => r.id)).size).toBe(100);
    for (const r of results) expect((await readTask(base, r.who, r.id)).response.title).toBe(r.title);
  });

  it('the counter survives a restart on the same data file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'r7-upsert-'));
    try {
      const dataFile = join(dir, 'sandbox.sqlite');
      const first = await startSandbox({ dataFile });
      const b1 = first.base['r7-office'] as string;
      const t1 = await tokenFor(b1);
      const a = (await putTask(b1, t1, validBody(), 0)).body.response.id;
      await first.close();
      const second = await startSandbox({ dataFile });
      try {
        const b2 = second.base['r7-office'] as string;
        const b = (await putTask(b2, await tokenFor(b2, 'sandbox+restart@example.com'), validBody(), 0)).body.response
          .id;
        expect(b).toBe(a + 1);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
