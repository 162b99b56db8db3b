/**
 * What the reliability tests share around a running sandbox: a private temp folder, the check that it still answers
 * (every vendor, after whatever was thrown at it), that no prototype was polluted, and a bounded worker pool.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Store, StoredRow } from '../../../src/store/store.ts';
import { answerProblems } from './checks.ts';
import { exchange } from './client.ts';
import { tasks } from './writes.ts';

/** A fresh folder under the OS temp dir, removed by the returned function. */
export function tempFolder(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `reliability-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The marker the pollution attempts carry: found anywhere afterwards, something was polluted or stored. */
export const POLLUTED = 'polluted';

/** Valid reads, one per vendor, with the operation their answers are checked against. */
const probes = [
  { vendor: 'odyssee', operation: 'getTask', path: `/api/Task(${tasks.odyssee[0]})` },
  { vendor: 'r7-office', operation: 'getTask', path: `/api/2.0/crm/task/${tasks.r7[0]}` },
] as const;

/**
 * Problems with a sandbox after an ordeal: the health check must answer 200, and a valid read of every vendor
 * (iVvy's getTaskList included) must answer 200 in the vendor's shape.
 */
export async function stillAnswers(origin: string, base: Record<string, string>): Promise<string[]> {
  const problems: string[] = [];
  const health = await fetch(`${origin}/_sandbox/health`, { signal: AbortSignal.timeout(10_000) });
  if (health.status !== 200) problems.push(`health check: ${health.status}`);
  const reads = [
    ...probes.map((p) => ({ ...p, method: 'GET', body: undefined as string | undefined, headers: {} })),
    {
      vendor: 'ivvy',
      operation: 'getTaskList',
      path: '/api/1.0/crm?action=getTaskList',
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    },
  ];
  for (const read of reads) {
    const answer = await exchange(read.vendor, base[read.vendor] as string, read, 10_000);
    if (answer.status !== 200) problems.push(`${read.vendor} ${read.operation}: ${answer.status} ${answer.body}`);
    problems.push(...(await answerProblems(read.vendor, read.operation, answer)));
  }
  return problems;
}

const watched = { Object, Array, Function, String, Number, Boolean, Promise, RegExp } as const;

export type PrototypeSnapshot = Record<string, Map<string | symbol, unknown>>;

/** The own properties of the built-in prototypes (each value, getter and setter), to compare after a run. */
export function prototypeSnapshot(): PrototypeSnapshot {
  const snapshot: PrototypeSnapshot = {};
  for (const [name, ctor] of Object.entries(watched)) {
    const properties = new Map<string | symbol, unknown>();
    for (const key of Reflect.ownKeys(ctor.prototype)) {
      const d = Object.getOwnPropertyDescriptor(ctor.prototype, key);
      properties.set(key, [d?.value, d?.get, d?.set]);
    }
    snapshot[name] = properties;
  }
  return snapshot;
}

/** What changed on one built-in prototype: properties gained, replaced or lost. */
function prototypeChanges(
  name: string,
  was: Map<string | symbol, unknown>,
  now: Map<string | symbol, unknown>,
): string[] {
  const problems: string[] = [];
  for (const [key, value] of now) {
    const old = was.get(key) as unknown[] | undefined;
    if (!old) problems.push(`${name}.prototype gained ${String(key)}`);
    else if ((value as unknown[]).some((v, i) => v !== old[i]))
      problems.push(`${name}.prototype.${String(key)} changed`);
  }
  for (const key of was.keys()) if (!now.has(key)) problems.push(`${name}.prototype lost ${String(key)}`);
  return problems;
}

/** What changed on the built-in prototypes since `before` (added, removed or replaced), and `({}).polluted`. */
export function pollutionSince(before: PrototypeSnapshot): string[] {
  const after = prototypeSnapshot();
  const problems = Object.keys(watched).flatMap((name) =>
    prototypeChanges(name, before[name] ?? new Map(), after[name] ?? new Map()),
  );
  if (({} as Record<string, unknown>)[POLLUTED] !== undefined) problems.push('({}).polluted is defined');
  return problems;
}

/**
 * Stored records (every tenant, every kind) that kept a pollution attempt: a `__proto__` key, a
 * `constructor.prototype` chain, or the marker the attempts carry.
 */
export async function pollutedRecords(store: Store): Promise<string[]> {
  const rows: StoredRow[] = [];
  for await (const row of store.records()) rows.push(row);
  return rows
    .filter((r) => /"__proto__"\s*:|"constructor"\s*:\s*\{[^}]*"prototype"/.test(r.body) || r.body.includes(POLLUTED))
    .map((r) => `${r.tenant}/${r.kind}/${r.id}: ${r.body.slice(0, 200)}`);
}

/** Runs `work` over `items` with at most `concurrency` in flight; stops starting new ones once `deadline` passes. */
export async function pool<T>(
  items: readonly T[],
  concurrency: number,
  deadline: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<number> {
  let next = 0;
  let done = 0;
  const lane = async () => {
    while (next < items.length && Date.now() < deadline) {
      const index = next++;
      await work(items[index] as T, index);
      done++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
  return done;
}
