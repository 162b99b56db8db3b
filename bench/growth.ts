/**
 * How an update's cost grows with the store (issue 11): the headline case on the sandbox with few tasks in its
 * store, then with many (1 000 and 100 000 by default). Each size gets a data file of its own: the sandbox starts
 * once to seed it and stops, the tasks are added to the sandbox data (which every partner reads through) straight
 * into the file, and the sandbox starts again on it to be loaded as any case. An update reads and writes one task by
 * its key, so its throughput must not fall as the store grows.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteStore } from '../src/store/sqlite.ts';
import { kind } from '../src/vendors/odyssee/model.ts';
import type { PreparedCase } from './cases.ts';
import { log, measureCase, type Settings } from './measure.ts';
import type { Pinning } from './pinning.ts';
import type { Growth } from './report.ts';
import { SANDBOX_DATA_FILE, startServer } from './servers.ts';

export const DEFAULT_GROWTH_SIZES = [1000, 100_000] as const;

/** The store kind whose records grow: the Odyssee tasks the headline case updates. */
const TASKS = kind('task');

/** Tasks added per transaction while filling a store: bounded work per commit. */
const BATCH = 10_000;

export interface GrowthOptions {
  /** The case loaded at each size: an update of one Odyssee task. */
  case: PreparedCase;
  /** The numbers of tasks the store holds in turn. */
  sizes: readonly number[];
  settings: Settings;
  pinning: Pinning;
  /** A scratch folder: each size's data file goes in a folder of its own under it. */
  tmp: string;
}

/** A task id of the vendor's form (a GUID), the nth of those the bench adds. */
const taskId = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

/**
 * Adds copies of the sandbox data's first task to the sandbox data until it holds `total` tasks (each with an id
 * and an internal number of its own); the sandbox must not be running on the file (it holds it exclusively).
 */
export async function fillTasks(file: string, total: number): Promise<number> {
  const store = await SqliteStore.open(file);
  try {
    const tasks = await store.list<Record<string, unknown>>('', TASKS);
    const template = tasks[0];
    if (!template) throw new Error(`the sandbox data has no ${TASKS} to copy`);
    let count = tasks.length;
    for (let batch = 0; count < total && batch <= total / BATCH; batch++) {
      const last = Math.min(total, count + BATCH);
      await store.transaction('', async (tx) => {
        for (let n = count; n < last; n++)
          await tx.put('', TASKS, taskId(n), { ...template, id: taskId(n), id2: n + 1e6 });
      });
      count = last;
    }
    return count;
  } finally {
    await store.close();
  }
}

/** The case on the sandbox at each size of the store, one after the other. */
export async function measureGrowth(options: GrowthOptions): Promise<Growth> {
  const c = options.case;
  const growth: Growth = { caseId: c.id, kind: TASKS, results: [] };
  if (c.vendor !== 'odyssee') return { ...growth, error: `${c.id} does not update an Odyssee task` };
  try {
    for (const tasks of options.sizes) {
      const dir = join(options.tmp, `growth-${tasks}`);
      mkdirSync(dir, { recursive: true });
      const seeding = await startServer({ name: 'sandbox', pinning: options.pinning, tmp: dir });
      await seeding.stop();
      const held = await fillTasks(join(dir, SANDBOX_DATA_FILE), tasks);
      log(`${c.id} with ${held} tasks in the store`);
      const running = await startServer({ name: 'sandbox', pinning: options.pinning, tmp: dir });
      try {
        const started = [{ label: 'sandbox', server: running }];
        const [measurement] = await measureCase(c, started, options.settings, options.pinning);
        if (measurement) growth.results.push({ tasks: held, measurement });
      } finally {
        await running.stop();
      }
    }
  } catch (error) {
    growth.error = (error as Error).message.split('\n')[0]?.slice(0, 300) ?? 'failed';
    log(`store growth: ${growth.error}`);
  }
  return growth;
}
