/** `PUT`/`GET /api/Task({id})`: the task rules of vendor page seed 000 (x-rules `odyssee.task.*`). */
import { VendorError } from '../../server/errors.ts';
import type { HandlerContext, HandlerResult } from '../../server/vendor-module.ts';
import type { Records } from '../../store/store.ts';
import { checkBodyKey, checkGroups, existing, refuseUnsupported, urlKey } from './common.ts';
import {
  answerOf,
  columnsOf,
  completeRecord,
  type EntityShape,
  entityShape,
  isUnset,
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

const answer = (ctx: HandlerContext, shape: EntityShape, task: StoredRecord): HandlerResult => ({
  status: 200,
  body: { '@odata.context': odataContext(ctx.request, 'Task/$entity'), ...answerOf(shape, task) },
});

export async function getTask(ctx: HandlerContext): Promise<HandlerResult> {
  refuseUnsupported(ctx);
  const shape = entityShape(ctx.doc, 'Task');
  return answer(ctx, shape, await existing(ctx.store, ctx.tenant, 'task', urlKey(ctx), rule.exists));
}

/**
 * The PUT replaces the task (updateTask's x-choice): every column the body leaves out takes its default, except the
 * server-managed ones, which follow their own rules (id, id2, date_create, date_assigned, archived, date_closed,
 * modified_dateutc) and task_status_id, which falls back to the default task status.
 */
export async function updateTask(ctx: HandlerContext): Promise<HandlerResult> {
  refuseUnsupported(ctx);
  const shape = entityShape(ctx.doc, 'Task');
  const key = urlKey(ctx);
  const body = ctx.body as Task & Record<string, unknown>;
  checkBodyKey(body, key, rule.keyMatchesPath);
  checkGroups(ctx, body);
  const task = await ctx.store.transaction(ctx.tenant, async (tx) => {
    const stored = completeRecord(shape, await existing(tx, ctx.tenant, 'task', key, rule.exists));
    const next = await taskSent(tx, ctx.tenant, shape, body);
    const change: TaskChange = { store: tx, tenant: ctx.tenant, shape, body, stored, next, now: vendorDate() };
    keepIdentity(change);
    stampDateCreate(change);
    await defaultStatus(change);
    stampDateAssigned(change);
    await followStatus(change);
    // odyssee.task.modified-dateutc: server-set on every write.
    next.modified_dateutc = change.now;

    const clean = completeRecord(shape, next);
    await tx.put(ctx.tenant, kind('task'), clean.id, clean);
    return clean;
  });
  return answer(ctx, shape, task);
}

/**
 * The task as the body sends it, its references resolved (embedded entities written); a foreign key or linked
 * object that names nothing refuses the write (odyssee.task.foreign-keys-exist).
 */
async function taskSent(store: Records, tenant: string, shape: EntityShape, body: Task & Record<string, unknown>) {
  const refs = await resolveReferences(store, tenant, body, taskReferences, rule.foreignKeysExist);
  const next = completeRecord(shape, { ...columnsOf(shape, body), ...refs.fields });
  const missing = [...refs.missing, ...(await linkedObjectMissing(store, tenant, next, body))];
  if (missing.length > 0) throw new VendorError('foreign-key-not-found', missing);
  return next;
}

/** One PUT of a task: what was stored, what comes next (the body's columns) and the write's time. */
interface TaskChange {
  store: Records;
  tenant: string;
  shape: EntityShape;
  body: Task & Record<string, unknown>;
  stored: StoredRecord;
  next: StoredRecord;
  now: string;
}

/** The id stays; id2 is the task's internal number: kept, a value sent is ignored (updateTask's x-choice). */
function keepIdentity({ stored, next }: TaskChange): void {
  next.id = stored.id;
  next.id2 = stored.id2;
}

/** odyssee.task.date-create-default: the date sent, else the stored one, else now (filled when it has none). */
function stampDateCreate({ shape, body, stored, next, now }: TaskChange): void {
  if (!isUnset(body.date_create)) return;
  next.date_create = stored.date_create !== shape.defaults.date_create ? stored.date_create : now;
}

/** "If nothing specified, the system will uses the default task_status available" (seed 000). */
async function defaultStatus({ store, tenant, next }: TaskChange): Promise<void> {
  if (isUnset(next.task_status_id)) next.task_status_id = (await defaultTaskStatus(store, tenant))?.id;
}

/** odyssee.task.date-assigned: server-set when a user is assigned, again whenever the assignee changes. */
function stampDateAssigned({ shape, stored, next, now }: TaskChange): void {
  const assignee = next.assigned_to_user_id;
  // The empty date: DateTime's default, which every date column has.
  const empty = shape.defaults.date_create;
  if (isUnset(assignee)) next.date_assigned = shape.defaults.date_assigned;
  else if (assignee !== stored.assigned_to_user_id || stored.date_assigned === empty) {
    next.date_assigned = now;
  } else next.date_assigned = stored.date_assigned;
}

/** odyssee.task.archived-follows-status: a Completed status archives and stamps date_closed, once. */
async function followStatus({ store, tenant, shape, stored, next, now }: TaskChange): Promise<void> {
  const status = await store.get<TaskStatus>(tenant, kind('task_status'), String(next.task_status_id));
  const completed = status?.name === COMPLETED;
  next.archived = completed;
  const closedBefore = stored.archived === true ? stored.date_closed : undefined;
  next.date_closed = completed ? (closedBefore ?? now) : shape.defaults.date_closed;
}

/** The task status a task gets when none is named: the one marked `is_default`. */
async function defaultTaskStatus(store: Records, tenant: string): Promise<TaskStatus | undefined> {
  return store.find<TaskStatus>(tenant, kind('task_status'), 'is_default', true);
}

/**
 * `to_id_in_table` names an object of the table `to_db_table_id` / `to_db_table_name` names (a project, a job, …);
 * without a table it must name an object of one of the known tables.
 */
async function linkedObjectMissing(store: Records, tenant: string, next: StoredRecord, body: Task) {
  const target = next.to_id_in_table;
  if (isUnset(target) || isUnset(body.to_id_in_table) || typeof target !== 'string') return [];
  const table = isUnset(next.to_db_table_id)
    ? undefined
    : await store.get<StoredRecord>(tenant, kind('db_table'), String(next.to_db_table_id));
  const tables = table ? [table] : await store.list<StoredRecord>(tenant, kind('db_table'));
  const entities = [...new Set(tables.map((t) => String(t.sandbox_entity)))];
  for (const entity of entities) if (await store.has(tenant, kind(entity), target.toLowerCase())) return [];
  return [
    {
      target: 'to_id_in_table',
      message: `no ${table ? `${table.name} object` : 'object of a known table'} with id ${target}`,
      rule: rule.foreignKeysExist,
    },
  ];
}
