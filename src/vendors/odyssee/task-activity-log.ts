/** `POST /api/TaskActivityLog/Save`: add or update a task activity log (vendor page seed 003). */
import { randomUUID } from 'node:crypto';
import { VendorError } from '../../server/errors.ts';
import type { HandlerContext, HandlerResult } from '../../server/vendor-module.ts';
import { refuseUnsupported } from './common.ts';
import {
  answerOf,
  columnsOf,
  completeRecord,
  entityShape,
  isUnset,
  kind,
  type StoredRecord,
  type TaskActivityLog,
  vendorDate,
} from './model.ts';

const rule = {
  taskExists: 'odyssee.task-activity-log.task-exists',
} as const;

/**
 * odyssee.task-activity-log.save-adds-or-updates: an unknown (or absent, then generated) id adds the log, every
 * field it leaves out at its default; a known id updates it, the fields left out keeping their stored value (the
 * operation's x-choice). 200 with the log as stored, in JSON without `@odata.context` as the vendor page shows it.
 * odyssee.task-activity-log.task-exists: a task_id sent must name a task.
 */
export async function saveTaskActivityLog(ctx: HandlerContext): Promise<HandlerResult> {
  refuseUnsupported(ctx);
  const shape = entityShape(ctx.doc, 'TaskActivityLog');
  const body = ctx.body as TaskActivityLog & Record<string, unknown>;
  const id = isUnset(body.id) ? randomUUID() : String(body.id).toLowerCase();
  const log = await ctx.store.transaction(ctx.tenant, async (tx) => {
    const stored = await tx.get<StoredRecord>(ctx.tenant, kind('task_activity_log'), id);
    const next = completeRecord(shape, { ...stored, ...columnsOf(shape, body), id });
    if (!isUnset(body.task_id)) {
      const task = await tx.get<StoredRecord>(ctx.tenant, kind('task'), String(body.task_id).toLowerCase());
      if (!task) {
        throw new VendorError('foreign-key-not-found', [
          { target: 'task_id', message: `no task with id ${body.task_id}`, rule: rule.taskExists },
        ]);
      }
      next.task_id = task.id;
    }
    next.modified_dateutc = vendorDate();
    await tx.put(ctx.tenant, kind('task_activity_log'), id, next);
    return next;
  });
  return { status: 200, body: answerOf(shape, log) };
}
