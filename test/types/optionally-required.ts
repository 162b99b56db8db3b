/**
 * Type test, run by `npm run typecheck` (tsc): the generated types keep the vendors' "Optionally required" groups.
 * Each `@ts-expect-error` line MUST fail to compile; if the generated type accepted the body, tsc would report the
 * directive as unused and the typecheck (part of `npm test`) would fail. The accepted bodies must compile.
 */
import type { components as Ivvy } from '../../src/generated/ivvy.ts';
import type { components as Odyssee } from '../../src/generated/odyssee.ts';

type Task = Odyssee['schemas']['Task'];
type Job = Odyssee['schemas']['Job'];

const priority = { task_priority_code: 'P1' } as const;
const company = { company_code: 'C1' } as const;

// Accepted: each member of the task-type group on its own, with the other groups met.
export const byId: Task = {
  subject: 's',
  task_type_id: '86819a15-5d35-412e-9ba1-be52c6ea1a85',
  ...priority,
  ...company,
};
export const byCode: Task = { subject: 's', task_type_code: 'T1', ...priority, ...company };
export const byEntity: Task = { subject: 's', task_type: { code: 'T1' }, ...priority, ...company };

// @ts-expect-error: none of task_type_id, task_type_code, task_type
export const noTaskType: Task = { subject: 's', ...priority, ...company };

// @ts-expect-error: none of task_priority_id, task_priority_code, task_priority
export const noPriority: Task = { subject: 's', task_type_code: 'T1', ...company };

// @ts-expect-error: subject is required
export const noSubject: Task = { task_type_code: 'T1', ...priority, ...company };

// Jobs: project, job type and job status groups.
export const job: Job = { name: 'n', project_id: 'p', job_type_code: 't', job_status_code: 'Open' };
// @ts-expect-error: none of job_status_id, job_status_code
export const jobNoStatus: Job = { name: 'n', project_id: 'p', job_type_code: 't' };
export const jobBadStatus: Job = {
  name: 'n',
  project_id: 'p',
  job_type_code: 't',
  // @ts-expect-error: job_status_code outside the documented codes (seed 004's own sample)
  job_status_code: 'sample string 11',
};

// iVvy: adding needs name and endDatetime, updating needs id.
type AddOrUpdate = Ivvy['schemas']['AddOrUpdateTaskRequest'];
export const add: AddOrUpdate = { name: 'Test Task API', endDatetime: '2021-11-01 17:00:00' };
export const update: AddOrUpdate = { id: 3269 };
// @ts-expect-error: neither id nor name + endDatetime
export const neither: AddOrUpdate = { name: 'Test Task API' };
