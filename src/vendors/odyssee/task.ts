/** `PUT`/`GET /api/Task({id})`: the task rules of vendor page seed 000 (x-rules `odyssee.task.*`). */
import { VendorError } from '../../server/errors.ts';
import type { HandlerContext, HandlerResult } from '../../server/vendor-module.ts';
import type { Store } from '../../store/store.ts';
import { checkBodyKey, existing, refuseUnsupported, urlKey } from './common.ts';
import {
  declaredFields,
  entityShape,
  kind,
  odataContext,
  type StoredRecord,
  type Task,
  type TaskStatus,
  vendorDate,
} from './model.ts';
import { resolveReferences, taskReferences } from './references.ts';

const rule = {
  exists: 'odyssee.task.exists',
  keyMatchesPath: 'odyssee.task.key-matches-path',
  foreignKeysExist: 'odyssee.task.foreign-keys-exist',
} as const;

/** The task status name that archives a task (odyssee.task.archived-follows-status: "a 'Completed' status"). */
const COMPLETED: NonNullable<TaskStatus['name']> = 'Completed';

const answer = (ctx: HandlerContext, task: StoredRecord): HandlerResult => ({
  status: 200,
  body: { '@odata.context': odataContext(ctx.request, 'Task/$entity'), ...task },
});

export function getTask(ctx: HandlerContext): HandlerResult {
  refuseUnsupported(ctx);
  return answer(ctx, existing(ctx, 'task', urlKey(ctx), rule.exists));
}

export async function updateTask(ctx: HandlerContext): Promise<HandlerResult> {
  refuseUnsupported(ctx);
  const shape = await entityShape('Task');
  const key = urlKey(ctx);
  const body = ctx.body as Task & Record<string, unknown>;
  checkBodyKey(body, key, rule.keyMatchesPath);
  const task = ctx.store.transaction(() => {
    const stored = existing(ctx, 'task', key, rule.exists);
    const refs = resolveReferences(ctx.store, ctx.tenant, body, taskReferences, rule.foreignKeysExist);
    const next: StoredRecord = { ...stored, ...declaredFields(shape, body), ...refs.fields, id: stored.id };
    const missing = [...refs.missing, ...linkedObjectMissing(ctx.store, ctx.tenant, next, body)];
    if (missing.length > 0) throw new VendorError('foreign-key-not-found', missing);

    const now = vendorDate();
    // odyssee.task.date-create-default: filled when absent, kept from the stored task on update.
    next.date_create = body.date_create !== undefined ? vendorDate(body.date_create) : (stored.date_create ?? now);
    // odyssee.task.date-assigned: server-set when a user is assigned, again whenever the assignee changes.
    const assignee = next.assigned_to_user_id;
    if (assignee === undefined) next.date_assigned = undefined;
    else if (assignee !== stored.assigned_to_user_id || !stored.date_assigned) next.date_assigned = now;
    else next.date_assigned = stored.date_assigned;
    // odyssee.task.archived-follows-status: a Completed status archives and stamps date_closed, once.
    const status = ctx.store.get<TaskStatus>(ctx.tenant, kind('task_status'), String(next.task_status_id));
    const completed = status?.name === COMPLETED;
    next.archived = completed;
    const closedBefore = stored.archived === true ? stored.date_closed : undefined;
    next.date_closed = completed ? (closedBefore ?? now) : undefined;
    // odyssee.task.modified-dateutc: server-set on every write.
    next.modified_dateutc = now;

    const clean = JSON.parse(JSON.stringify(next)) as StoredRecord;
    ctx.store.put(ctx.tenant, kind('task'), clean.id, clean);
    return clean;
  });
  return answer(ctx, task);
}

/**
 * `to_id_in_table` names an object of the table `to_db_table_id` / `to_db_table_name` names (a project, a job, …);
 * without a table it must name an object of one of the known tables.
 */
function linkedObjectMissing(store: Store, tenant: string, next: StoredRecord, body: Task) {
  if (body.to_id_in_table === undefined && body.to_db_table_id === undefined && body.to_db_table_name === undefined)
    return [];
  const target = next.to_id_in_table;
  if (typeof target !== 'string') return [];
  const table =
    typeof next.to_db_table_id === 'string'
      ? store.get<StoredRecord>(tenant, kind('db_table'), next.to_db_table_id)
      : undefined;
  const tables = table ? [table] : store.list<StoredRecord>(tenant, kind('db_table'));
  const entities = [...new Set(tables.map((t) => String(t.sandbox_entity)))];
  if (entities.some((entity) => store.has(tenant, kind(entity), target.toLowerCase()))) return [];
  return [
    {
      target: 'to_id_in_table',
      message: `no ${table ? `${table.name} object` : 'object of a known table'} with id ${target}`,
      rule: rule.foreignKeysExist,
    },
  ];
}
