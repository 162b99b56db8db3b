/**
 * Concurrent writes against a sandbox on a SQLite file (WAL), all sent at once:
 *
 * - N concurrent PUTs with distinct subjects (titles, names) on one task, per vendor: every write is acknowledged,
 *   and the task ends as exactly one acknowledged write left it (the read equals that write's answer: no field
 *   of another write mixed in, nothing lost);
 * - the same on several tasks at once, interleaved;
 * - N parallel adds (iVvy tasks, Odyssee activity logs): N new records, ids unique, each with its own name;
 * - every vendor at once.
 *
 * Bounded by `bounds.concurrentWrites`, `bounds.concurrentPerTask` and `bounds.parallelAdds`.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSandbox, startSandbox } from '../support/sandbox.ts';
import { stillAnswers, tempFolder } from './support/harness.ts';
import { bounds, timeoutFor } from './support/settings.ts';
import {
  ivvyAdd,
  ivvyList,
  ivvyUpdate,
  ivvyUpdateFields,
  odysseeAddLog,
  odysseeRead,
  odysseeUpdate,
  r7Read,
  r7Update,
  tasks,
  type Written,
} from './support/writes.ts';

const folder = tempFolder('concurrency');
const dataFile = join(folder.dir, 'sandbox.sqlite');
let sandbox: RunningSandbox;
let base: Record<string, string>;

beforeAll(async () => {
  // Rate limits off: the load is what this file is about, not the vendors' 429/503 (test/sandbox/rate-limit.test.ts).
  sandbox = await startSandbox({ dataFile, rateLimit: false });
  base = sandbox.base;
});
afterAll(async () => {
  await sandbox?.close();
  folder.remove();
});

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
/** An answer without the OData context (it names the port). */
const entity = (body: Record<string, unknown> | undefined) => {
  const { '@odata.context': _context, ...rest } = body ?? {};
  return rest;
};
const statuses = (written: Written[]) => [...new Set(written.map((w) => w.answer.status))];
/**
 * An R7-Office answer without its category's relativeItemsCount: the vendor counts the category's tasks when it
 * answers, so the count in a write's answer changes as the other tasks are written.
 */
const r7Task = (body: Record<string, unknown>) => {
  const { category, ...task } = (body.response ?? {}) as { category?: Record<string, unknown> };
  const { relativeItemsCount: _count, ...rest } = category ?? {};
  return { ...body, response: { ...task, category: rest } };
};

/**
 * Asserts that every write was acknowledged and that `final` is what exactly one of them answered: the write whose
 * distinct value (`distinct`) the final state carries.
 */
function expectOneOfTheWrites(
  writes: { value: string; written: Written }[],
  final: Record<string, unknown>,
  distinct: (body: Record<string, unknown>) => unknown,
  comparable: (body: Record<string, unknown>) => unknown = (b) => b,
): void {
  expect(statuses(writes.map((w) => w.written))).toEqual([200]);
  const winner = writes.filter((w) => w.written.body && distinct(w.written.body) === distinct(final));
  expect(winner, `final value ${String(distinct(final))} is one acknowledged write`).toHaveLength(1);
  expect(comparable(final)).toEqual(comparable(winner[0]?.written.body as Record<string, unknown>));
}

describe('one task, many concurrent writes', () => {
  it(
    `Odyssee: ${bounds.concurrentWrites} PUTs with distinct subjects on one task`,
    async () => {
      const id = tasks.odyssee[0];
      const writes = await Promise.all(
        range(bounds.concurrentWrites).map(async (i) => ({
          value: `concurrent subject ${i}`,
          written: await odysseeUpdate(base, id, `concurrent subject ${i}`),
        })),
      );
      const final = await odysseeRead(base, id);
      expectOneOfTheWrites(writes, final.body ?? {}, (b) => b.subject, entity);
    },
    timeoutFor(30_000),
  );

  it(
    `R7-Office: ${bounds.concurrentWrites} PUTs with distinct titles on one task`,
    async () => {
      const id = tasks.r7[0];
      const writes = await Promise.all(
        range(bounds.concurrentWrites).map(async (i) => ({
          value: `concurrent title ${i}`,
          written: await r7Update(base, id, `concurrent title ${i}`),
        })),
      );
      const final = await r7Read(base, id);
      const title = (b: Record<string, unknown>) => (b.response as { title?: string } | undefined)?.title;
      expectOneOfTheWrites(writes, final.body ?? {}, title);
    },
    timeoutFor(30_000),
  );

  it(
    `iVvy: ${bounds.concurrentWrites} updates with distinct names of one task`,
    async () => {
      const apiKey = 'sandbox-key+one-task';
      const id = tasks.ivvy[2];
      const writes = await Promise.all(
        range(bounds.concurrentWrites).map(async (i) => ({
          value: `concurrent name ${i}`,
          written: await ivvyUpdate(base, apiKey, id, `concurrent name ${i}`),
        })),
      );
      expect(statuses(writes.map((w) => w.written))).toEqual([200]);
      const listed = (await ivvyList(base, apiKey)).filter((t) => t.id === id);
      expect(listed).toHaveLength(1);
      expect(writes.map((w) => w.value)).toContain(listed[0]?.name);
    },
    timeoutFor(30_000),
  );
});

describe('concurrent updates of different fields', () => {
  it(
    'iVvy: 20 rounds of five concurrent one-field updates of one task keep all five (no lost update)',
    async () => {
      // Each update sends one field and the task keeps the others: an update that read the task before another one
      // committed and then wrote it back whole would put that field's old value back.
      const apiKey = 'sandbox-key+fields';
      const id = tasks.ivvy[1];
      const lost: string[] = [];
      for (const round of range(20)) {
        const fields: Record<string, unknown> = {
          name: `name ${round}`,
          description: `description ${round}`,
          status: [1, 2][round % 2],
          priority: ['low', 'high'][round % 2],
          endDatetime: `2030-01-${String(round + 1).padStart(2, '0')} 10:00:00`,
        };
        const written = await Promise.all(
          Object.entries(fields).map(([field, value]) => ivvyUpdateFields(base, apiKey, { id, [field]: value })),
        );
        expect(statuses(written)).toEqual([200]);
        const task = (await ivvyList(base, apiKey)).find((t) => t.id === id) as unknown as Record<string, unknown>;
        for (const [field, value] of Object.entries({ ...fields, endDatetime: `${fields.endDatetime} UTC` })) {
          if (task[field] !== value)
            lost.push(`round ${round}: ${field} is ${String(task[field])}, not ${String(value)}`);
        }
      }
      expect(lost).toEqual([]);
    },
    timeoutFor(30_000),
  );
});

describe('many tasks, interleaved concurrent writes', () => {
  it(
    `Odyssee and R7-Office: ${bounds.concurrentPerTask} PUTs on each of their tasks, all at once`,
    async () => {
      const odyssee = tasks.odyssee.flatMap((id) => range(bounds.concurrentPerTask).map((i) => ({ id, i })));
      const r7 = tasks.r7.flatMap((id) => range(bounds.concurrentPerTask).map((i) => ({ id, i })));
      const [odysseeWrites, r7Writes] = await Promise.all([
        Promise.all(
          odyssee.map(async ({ id, i }) => ({
            id,
            value: `${id.slice(0, 8)} #${i}`,
            written: await odysseeUpdate(base, id, `${id.slice(0, 8)} #${i}`),
          })),
        ),
        Promise.all(
          r7.map(async ({ id, i }) => ({ id, value: `${id} #${i}`, written: await r7Update(base, id, `${id} #${i}`) })),
        ),
      ]);
      for (const id of tasks.odyssee) {
        const final = await odysseeRead(base, id);
        expectOneOfTheWrites(
          odysseeWrites.filter((w) => w.id === id),
          final.body ?? {},
          (b) => b.subject,
          entity,
        );
      }
      for (const id of tasks.r7) {
        const final = await r7Read(base, id);
        const title = (b: Record<string, unknown>) => (b.response as { title?: string } | undefined)?.title;
        expectOneOfTheWrites(
          r7Writes.filter((w) => w.id === id),
          final.body ?? {},
          title,
          r7Task,
        );
      }
    },
    timeoutFor(30_000),
  );
});

describe('parallel adds', () => {
  it(
    `iVvy: ${bounds.parallelAdds} adds at once make as many new tasks, ids unique, each with its name`,
    async () => {
      const apiKey = 'sandbox-key+parallel-adds';
      const before = await ivvyList(base, apiKey);
      const adds = await Promise.all(
        range(bounds.parallelAdds).map(async (i) => ({
          name: `parallel add ${i}`,
          written: await ivvyAdd(base, apiKey, `parallel add ${i}`),
        })),
      );
      expect(statuses(adds.map((a) => a.written))).toEqual([200]);
      const ids = adds.map((a) => a.written.body?.id);
      expect(new Set(ids).size).toBe(bounds.parallelAdds);
      const after = await ivvyList(base, apiKey);
      expect(after).toHaveLength(before.length + bounds.parallelAdds);
      expect(new Set(after.map((t) => t.id)).size).toBe(after.length);
      const byId = new Map(after.map((t) => [t.id, t.name]));
      for (const add of adds) expect(byId.get(add.written.body?.id as number)).toBe(add.name);
    },
    timeoutFor(30_000),
  );

  it(
    `Odyssee: ${bounds.parallelAdds} activity logs saved at once without an id get distinct ids and keep their subjects`,
    async () => {
      const adds = await Promise.all(
        range(bounds.parallelAdds).map(async (i) => ({
          subject: `log ${i}`,
          written: await odysseeAddLog(base, `log ${i}`),
        })),
      );
      expect(statuses(adds.map((a) => a.written))).toEqual([200]);
      expect(new Set(adds.map((a) => a.written.body?.id)).size).toBe(bounds.parallelAdds);
      for (const add of adds) {
        const stored = await sandbox.store.get<{ subject: string }>(
          'odyssee:sandbox',
          'odyssee.task_activity_log',
          add.written.body?.id as string,
        );
        expect(stored?.subject).toBe(add.subject);
      }
    },
    timeoutFor(30_000),
  );
});

describe('every vendor at once', () => {
  it(
    'concurrent updates on Odyssee, R7-Office and iVvy and iVvy adds, interleaved, lose nothing',
    async () => {
      const n = Math.floor(bounds.concurrentWrites / 2);
      const apiKey = 'sandbox-key+every-vendor';
      const [odyssee, r7, adds] = await Promise.all([
        Promise.all(
          range(n).map(async (i) => ({
            value: `mixed ${i}`,
            written: await odysseeUpdate(base, tasks.odyssee[1], `mixed ${i}`),
          })),
        ),
        Promise.all(
          range(n).map(async (i) => ({
            value: `mixed ${i}`,
            written: await r7Update(base, tasks.r7[1], `mixed ${i}`),
          })),
        ),
        Promise.all(
          range(n).map(async (i) => ({ name: `mixed ${i}`, written: await ivvyAdd(base, apiKey, `mixed ${i}`) })),
        ),
      ]);
      expectOneOfTheWrites(odyssee, (await odysseeRead(base, tasks.odyssee[1])).body ?? {}, (b) => b.subject, entity);
      const title = (b: Record<string, unknown>) => (b.response as { title?: string } | undefined)?.title;
      expectOneOfTheWrites(r7, (await r7Read(base, tasks.r7[1])).body ?? {}, title, r7Task);
      expect(statuses(adds.map((a) => a.written))).toEqual([200]);
      const listed = new Map((await ivvyList(base, apiKey)).map((t) => [t.id, t.name]));
      for (const add of adds) expect(listed.get(add.written.body?.id as number)).toBe(add.name);
      expect(await stillAnswers(sandbox.origin, base)).toEqual([]);
    },
    timeoutFor(30_000),
  );
});
