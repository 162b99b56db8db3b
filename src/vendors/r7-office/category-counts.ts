/**
 * How many of a partner's tasks each category has (TaskCategoryWrapper's `relativeItemsCount`, the vendor's
 * `SELECT count(*) FROM crm_task WHERE category_id = …`), kept as one record per partner beside its tasks and moved in
 * the same transaction as each task write. Counting by listing every task on each answer made an update cost grow
 * with the store; this keeps it constant. A partner that never wrote has no record: its counts are those of the
 * sandbox data's tasks, counted from them (a reset forgets every partner's record with its tasks).
 */
import type { Records } from '../../store/store.ts';
import { kinds, type StoredTask } from './model.ts';

/** The derived kind: one record (`all`) per partner, category id → tasks. */
const COUNTS = 'r7-office.categoryTaskCounts';
const ID = 'all';

type Counts = Record<string, number>;

/** The partner's tasks per category, from its record, else counted from the tasks it sees. */
export async function categoryCounts(records: Records, tenant: string): Promise<Counts> {
  const kept = await records.get<Counts>(tenant, COUNTS, ID);
  if (kept) return kept;
  const counts: Counts = {};
  for (const task of await records.list<StoredTask>(tenant, kinds.task))
    counts[task.categoryid] = (counts[task.categoryid] ?? 0) + 1;
  return counts;
}

/**
 * Inside the transaction that writes a task: moves it from its stored category (none for a new task) to its new one.
 * Call before the task is written (the first count of a partner is taken from the tasks as they were).
 */
export async function moveTaskCount(tx: Records, tenant: string, from: number | undefined, to: number): Promise<void> {
  const counts = await categoryCounts(tx, tenant);
  if (from === to) {
    // Nothing moves; the record is still written once, so later answers read it instead of counting.
    if (await tx.has(tenant, COUNTS, ID)) return;
  } else {
    if (from !== undefined) counts[from] = Math.max(0, (counts[from] ?? 0) - 1);
    counts[to] = (counts[to] ?? 0) + 1;
  }
  await tx.put(tenant, COUNTS, ID, counts);
}
