/**
 * Every `x-rules` id of the iVvy spec has an accepted and a refused request: the cases are split by action
 * (task-rule-cases.ts, tested in task-rules.test.ts; task-list-rule-cases.ts, in task-list-rules.test.ts).
 */
import { expect, it } from 'vitest';
import { type RuleCases, rules } from './rule-cases.ts';
import { taskListRuleCases } from './task-list-rule-cases.ts';
import { taskRuleCases } from './task-rule-cases.ts';

const cases: Record<string, RuleCases> = { ...taskRuleCases, ...taskListRuleCases };

it('every x-rules id of the spec has accept and reject cases here, and nothing else is here', () => {
  expect(Object.keys(taskRuleCases).filter((id) => id in taskListRuleCases)).toEqual([]);
  expect(Object.keys(cases).sort()).toEqual(rules.map((r) => r.rule.id).sort());
  for (const { rule, action } of rules) {
    expect(cases[rule.id]?.action, rule.id).toBe(action);
    expect(cases[rule.id]?.accept.length, rule.id).toBeGreaterThan(0);
    expect(cases[rule.id]?.reject.length, rule.id).toBeGreaterThan(0);
  }
});
