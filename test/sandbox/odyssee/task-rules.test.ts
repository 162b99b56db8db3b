/** The x-rules of the task operations and of saveTaskActivityLog, accepted and refused (rule-cases.ts). */
import { describeRuleCases, useRulesSandbox } from './rule-cases.ts';
import { taskRuleCases } from './task-rule-cases.ts';

describeRuleCases(taskRuleCases, useRulesSandbox());
