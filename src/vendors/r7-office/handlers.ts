import type { components } from '../../generated/r7-office.ts';
import { VendorError } from '../../server/errors.ts';
import type { Handler, HandlerContext, HandlerResult } from '../../server/vendor-module.ts';
import { issueToken, signIn } from './auth.ts';
import { normaliseDeadline } from './deadline.ts';
import { EMPTY_GUID, kinds, type StoredTask, type UpdateTaskRequest } from './model.ts';
import { taskEnvelope } from './task-view.ts';

type AuthRequest = components['schemas']['AuthRequest'];
type AuthEnvelope = components['schemas']['AuthEnvelope'];

/** A .NET round-trip date-time with an offset, as the vendor writes `expires`: `2026-01-31T12:00:00.0000000+00:00`. */
const roundTripWithOffset = (date: Date) =>
  `${date.toISOString().slice(0, 19)}.${date.toISOString().slice(20, 23)}0000+00:00`;

/** POST /api/2.0/authentication.json (r7-office.auth.credentials): 201 with a token, or authentication-failed. */
const authenticate: Handler = ({ body, config }) => {
  const { userName, password } = body as AuthRequest;
  const user = signIn(userName, password, config);
  if (!user)
    throw new VendorError('authentication-failed', [
      { target: 'userName', message: 'unknown user name or wrong password', rule: 'r7-office.auth.credentials' },
    ]);
  const { token, expires } = issueToken(user, config);
  const envelope: AuthEnvelope = {
    count: 1,
    response: { expires: roundTripWithOffset(expires), token },
    status: 0,
    statusCode: 201,
  };
  return { status: 201, body: envelope };
};

const taskId = (ctx: HandlerContext) => ctx.params.taskid as number;

function requireTask(ctx: HandlerContext, id: number): StoredTask {
  const task = ctx.store.get<StoredTask>(ctx.tenant, kinds.task, id);
  if (!task)
    throw new VendorError('task-not-found', [
      { target: 'taskid', message: `no task has the id ${id}`, rule: 'r7-office.task.task-exists' },
    ]);
  return task;
}

/**
 * PUT task/{taskid} and task/{taskid}.xml (one logic, two answers: the core writes JSON or XML from the route).
 * The schema has already enforced required-fields, entity-type, category-positive and deadline-format. Then, as the
 * vendor: deadline-valid (the deadline is bound before the method runs), category-exists, task-exists; then every
 * field of the body replaces the stored one (a left-out field becomes its default), keeping the author, the
 * creation time and whether the task is closed. contactid and responsibleid are stored unchecked, as the vendor
 * does (contact-exists, responsible-exists). isNotify sends nothing in the sandbox.
 */
const updateTask: Handler = (ctx): HandlerResult => {
  const body = ctx.body as UpdateTaskRequest;
  const id = taskId(ctx);
  return ctx.store.transaction(() => {
    const deadline = normaliseDeadline(body.deadline);
    if (!deadline) {
      throw new VendorError('invalid-argument', [
        {
          target: 'deadline',
          message: `${body.deadline} is not a date and time the portal can store`,
          rule: 'r7-office.task.deadline-valid',
        },
      ]);
    }
    if (!ctx.store.has(ctx.tenant, kinds.category, body.categoryid)) {
      throw new VendorError('category-not-found', [
        {
          target: 'categoryid',
          message: `no task category has the id ${body.categoryid}`,
          rule: 'r7-office.task.category-exists',
        },
      ]);
    }
    const current = requireTask(ctx, id);
    const updated: StoredTask = {
      id,
      title: body.title,
      ...(body.description ? { description: body.description } : {}),
      deadline,
      responsibleid: (body.responsibleid ?? EMPTY_GUID).toLowerCase(),
      categoryid: body.categoryid,
      contactid: body.contactid ?? 0,
      entityType: (body.entityType ?? '').toLowerCase(),
      entityid: body.entityid ?? 0,
      alertValue: body.alertValue ?? 0,
      isClosed: current.isClosed,
      createBy: current.createBy,
      created: current.created,
    };
    ctx.store.put(ctx.tenant, kinds.task, id, updated);
    return { status: 200, body: taskEnvelope(ctx.store, ctx.tenant, updated) };
  });
};

/** GET task/{taskid} and task/{taskid}.xml: the stored task, references resolved (task-exists). */
const getTask: Handler = (ctx) => ({
  status: 200,
  body: taskEnvelope(ctx.store, ctx.tenant, requireTask(ctx, taskId(ctx))),
});

export const handlers: Record<string, Handler> = {
  authenticate,
  updateTask,
  updateTaskXml: updateTask,
  getTask,
  getTaskXml: getTask,
};
