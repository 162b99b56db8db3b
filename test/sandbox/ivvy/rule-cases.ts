/**
 * The shape of the iVvy rule cases (an accepted and a refused request for every `x-rules` id) and the tests they
 * run: a refused one must answer the x-errors entry its rule names (status = errorCode, specificCode) with an
 * additional message naming the field; every answer is checked against the spec; a refusal changes nothing. The
 * cases are split by action (task-rule-cases.ts, task-list-rule-cases.ts); rules.test.ts checks they cover every id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listRules, loadSpec } from '../../../src/spec/index.ts';
import { type RunningSandbox, startSandbox } from '../../support/sandbox.ts';
import { exchange, expectError, listTasks, partnerKey, type Task, type TaskList } from './helpers.ts';

export const doc = await loadSpec('ivvy');
export const rules = listRules(doc);

export const end = '2021-11-01 17:00:00';

export interface Accept {
  name: string;
  body: Record<string, unknown>;
  /** What the saved task (addOrUpdateTask) or the answer (getTaskList) must hold. */
  want?: Partial<Task> | ((got: TaskList) => void);
}
export interface Reject {
  name: string;
  body: Record<string, unknown>;
  specificCode: number;
  fields: string[];
  /** The exact message and additional messages, where the case checks the vendor's wording. */
  message?: string;
  additionalMessages?: string[];
}
export interface RuleCases {
  action: 'addOrUpdateTask' | 'getTaskList';
  accept: Accept[];
  reject: Reject[];
}

/** The sandbox of a file's rule tests, started before and closed after them. */
export function useRulesSandbox(): { sandbox: RunningSandbox; base: string } {
  const env = {} as { sandbox: RunningSandbox; base: string };
  beforeAll(async () => {
    env.sandbox = await startSandbox();
    env.base = env.sandbox.base.ivvy as string;
  });
  afterAll(() => env.sandbox.close());
  return env;
}

/** The accept and reject tests of the rules `cases` has, in the spec's order, one describe block per rule id. */
export function describeRuleCases(cases: Record<string, RuleCases>, env: { base: string }): void {
  const own = rules.filter(({ rule }) => rule.id in cases);
  describe.each(own.map(({ rule }) => [rule.id, rule] as const))('%s', (id, rule) => {
    const ruleCases = cases[id] as RuleCases;
    const entry = doc['x-errors']?.[rule.error ?? ''];

    it.each(ruleCases.accept.map((c) => [c.name, c] as const))('accepts: %s', async (_name, c) => {
      const apiKey = partnerKey(`${id}-accept`);
      const got = await exchange<{ success: boolean; id: number } | TaskList>(env.base, ruleCases.action, {
        action: ruleCases.action,
        apiKey,
        body: JSON.stringify(c.body),
      });
      expect(got.status, JSON.stringify(got.body)).toBe(200);
      if (ruleCases.action === 'getTaskList') {
        if (typeof c.want === 'function') c.want(got.body as TaskList);
        return;
      }
      const saved = got.body as { success: boolean; id: number };
      expect(saved.success).toBe(true);
      if (typeof c.body.id === 'number') expect(saved.id).toBe(c.body.id);
      const task = (await listTasks(env.base, apiKey)).results.find((t) => t.id === saved.id);
      expect(task).toMatchObject(typeof c.want === 'object' ? c.want : {});
    });

    it.each(ruleCases.reject.map((c) => [c.name, c] as const))('rejects: %s', async (_name, c) => {
      expect(entry, `rule ${id} names the x-errors key ${rule.error}`).toBeDefined();
      expect(c.specificCode).toBe(entry?.specificCode);
      const apiKey = partnerKey(`${id}-reject`);
      const before = await listTasks(env.base, apiKey);
      const got = await exchange(env.base, ruleCases.action, {
        action: ruleCases.action,
        apiKey,
        body: JSON.stringify(c.body),
      });
      expectError(got, {
        status: entry?.status as number,
        specificCode: c.specificCode,
        fields: c.fields,
        ...(c.message !== undefined ? { message: c.message } : {}),
        ...(c.additionalMessages !== undefined ? { additionalMessages: c.additionalMessages } : {}),
      });
      expect(await listTasks(env.base, apiKey)).toEqual(before);
    });
  });
}
