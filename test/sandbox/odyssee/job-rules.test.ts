/** The x-rules of the job operations and of listJobPlannings, accepted and refused (rule-cases.ts). */
import { jobRuleCases } from './job-rule-cases.ts';
import { describeRuleCases, useRulesSandbox } from './rule-cases.ts';

describeRuleCases(jobRuleCases, useRulesSandbox());
