/**
 * Every `x-rules` entry of every Odyssee operation has a case: the cases are split by entity (task-rule-cases.ts,
 * tested in task-rules.test.ts; job-rule-cases.ts, in job-rules.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { listRules, loadSpec } from '../../../src/spec/index.ts';
import { jobRuleCases } from './job-rule-cases.ts';
import type { RuleCase } from './rule-cases.ts';
import { taskRuleCases } from './task-rule-cases.ts';

const cases: Record<string, RuleCase> = { ...taskRuleCases, ...jobRuleCases };

describe('x-rules of the Odyssee spec', () => {
  it('every rule of every operation has a case here, and only those', async () => {
    const rules = listRules(await loadSpec('odyssee'));
    expect(Object.keys(taskRuleCases).filter((id) => id in jobRuleCases)).toEqual([]);
    expect(Object.keys(cases).sort()).toEqual(rules.map((r) => r.rule.id).sort());
    for (const { operationId, rule } of rules) {
      expect(cases[rule.id]?.operation, rule.id).toBe(operationId);
      // Only a server-set field may refuse nothing.
      if ('never' in (cases[rule.id]?.reject ?? {})) expect(rule.enforcedBy, rule.id).toBe('server');
    }
  });
});
