import type { Handler } from '../../server/vendor-module.ts';
import { getJob, listJobPlannings, updateJob } from './job.ts';
import { getTask, updateTask } from './task.ts';
import { saveTaskActivityLog } from './task-activity-log.ts';

/** One handler per operationId of specs/odyssee/openapi.yaml. */
export const handlers: Record<string, Handler> = {
  updateTask,
  getTask,
  updateJob,
  getJob,
  listJobPlannings,
  saveTaskActivityLog,
};
