/** `POST /api/TaskActivityLog/Save`: add or update a task activity log (vendor page seed 003). */
import { randomUUID } from 'node:crypto';
import { VendorError } from '../../server/errors.ts';
import type { HandlerContext, HandlerResult } from '../../server/vendor-module.ts';
import { refuseUnsupported } from './common.ts';
import { declaredFields, entityShape, kind, type StoredRecord, type TaskActivityLog, vendorDate } from './model.ts';

const rule = {
  taskExists: 'odyssee.task-activity-log.task-exists',
} as const;

/**
 * odyssee.task-activity-log.save-adds-or-updates: an unknown (or absent, then generated) id adds the log, a known
 * id updates it (fields left out keep their stored value); 200 with the log as stored, in JSON without
 * `@odata.context` as the vendor page shows it. odyssee.task-activity-log.task-exists: a task_id sent must name a task.
 */
export async function saveTaskActivityLog(ctx: HandlerContext): Promise<HandlerResult> {
  refuseUnsupported(ctx);
  const shape = await entityShape('TaskActivityLog');
  const body = ctx.body as TaskActivityLog & Record<string, unknown>;
  const id = body.id?.toLowerCase() ?? randomUUID();
  const log = ctx.store.transaction(() => {
    const stored = ctx.store.get<StoredRecord>(ctx.tenant, kind('task_activity_log'), id);
    const next: StoredRecord = { ...stored, ...declaredFields(shape, body), id };
    if (body.task_id !== undefined) {
      const task = ctx.store.get<StoredRecord>(ctx.tenant, kind('task'), body.task_id.toLowerCase());
      if (!task) {
        throw new VendorError('foreign-key-not-found', [
          { target: 'task_id', message: `no task with id ${body.task_id}`, rule: rule.taskExists },
        ]);
      }
      next.task_id = task.id;
    }
    next.modified_dateutc = vendorDate();
    ctx.store.put(ctx.tenant, kind('task_activity_log'), id, next);
    return next;
  });
  return { status: 200, body: log };
}
