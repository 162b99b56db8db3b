/** The x-rules of getTaskList, accepted and refused (rule-cases.ts). */
import { describeRuleCases, useRulesSandbox } from './rule-cases.ts';
import { taskListRuleCases } from './task-list-rule-cases.ts';

describeRuleCases(taskListRuleCases, useRulesSandbox());
