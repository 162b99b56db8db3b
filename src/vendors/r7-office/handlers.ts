/**
 * The vendor's methods behind the spec's operations, each after the vendor's binding (binding/): AuthenticationEntry
 * Point.AuthenticateMe, CRMApi.UpdateTask with TaskDao.SaveOrUpdateTaskInDb, CRMApi.GetTaskByID
 * (module/ASC.Api/ASC.Api.CRM/CRMApi.Tasks.cs, web/studio/ASC.Web.Studio/Products/CRM/Core/Dao/TaskDao.cs), in the
 * vendor's order of checks.
 */
import { randomFillSync } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { BODY_LIMIT } from '../../server/app.ts';
import type { RouteSpec } from '../../server/routes.ts';
import type { CheckContext, CheckStage, Handler, HandlerContext, HandlerResult } from '../../server/vendor-module.ts';
import { formatApiDateTime } from './api-datetime.ts';
import { issueToken, signIn } from './auth.ts';
import { type BoundValue, bindArguments, type ParameterSpec, requestCookies } from './binding/arguments.ts';
import { BindingFailure, requestParams } from './binding/request-params.ts';
import { BruteForceLimiter } from './brute-force.ts';
import { moveTaskCount } from './category-counts.ts';
import { fromEpochMilliseconds, MIN_TICKS, type Ticks, utcNow } from './dotnet/datetime.ts';
import { fixedError, invalidArgument, vendorError } from './errors.ts';
import { kinds, type StoredTask, TASK_ID_SEQUENCE } from './model.ts';
import { requestFacts } from './request-facts.ts';
import { sandboxData, taskIdFloor } from './seed.ts';
import { canEdit, envelope, fromStored, type Task, taskWrapper, toStored } from './wrappers.ts';

/** Every answer through the vendor's RespondTo: a fresh ETag and Cache-Control max-age 0 (ApiHttpHandlerBase). */
export const respondHeaders = (): Record<string, string> => ({
  ETag: freshETag(),
  'Cache-Control': 'private, max-age=0',
});

/** Random bytes drawn 4 KiB at a time, 16 per ETag: one call into the system's generator per 256 answers. */
const etagPool = Buffer.alloc(4096);
let etagNext = etagPool.length;

function freshETag(): string {
  if (etagNext === etagPool.length) {
    randomFillSync(etagPool);
    etagNext = 0;
  }
  etagNext += 16;
  return etagPool.toString('hex', etagNext - 16, etagNext);
}

/** The body as bytes; a GET's too (the vendor reads a GET's body as well), which Fastify leaves unread. */
async function rawBody(request: FastifyRequest): Promise<Buffer | undefined> {
  if (Buffer.isBuffer(request.body)) return request.body;
  if (request.method !== 'GET' || request.raw.readableEnded) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request.raw) {
    size += (chunk as Buffer).length;
    if (size > BODY_LIMIT) break;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The vendor method's parameters, in declaration order with their .NET types: the operation's `x-signature`. */
function signatureOf(route: RouteSpec): ParameterSpec[] {
  const signature = (route.entry.operation as { 'x-signature'?: ParameterSpec[] })['x-signature'];
  if (!signature) throw new Error(`${route.operationId} has no x-signature in the spec`);
  return signature;
}

/**
 * The binding check (GetRequestParams and BuildCallingArguments), after the credentials as the vendor binds after
 * authorising: the request becomes the arguments the vendor's method is called with, the handler's body.
 */
export async function bind({ request, route, state }: CheckContext): Promise<void> {
  const facts = requestFacts(request);
  const values = Object.fromEntries(Object.entries(state.params).map(([k, v]) => [k, String(v)]));
  try {
    const { params } = requestParams({
      method: request.method,
      route: values,
      query: facts.query,
      contentType: facts.contentType,
      body: await rawBody(request),
    });
    state.body = bindArguments(signatureOf(route), {
      params,
      method: request.method,
      cookies: requestCookies(request),
    });
  } catch (error) {
    if (error instanceof BindingFailure)
      throw vendorError(error.exception, error.status, { reason: error.reason, rule: error.rule });
    throw error;
  }
}

/** The bound arguments (the binding check has run). */
const argumentsOf = (ctx: HandlerContext) => ctx.body as Record<string, BoundValue>;

/** Set-Cookie as ASP.NET writes CookiesManager.SetCookies(AuthKey, token): expires, path, HttpOnly. */
function authCookie(token: string, expires: Date): string {
  const day = expires.toUTCString().slice(0, 3);
  const date = `${String(expires.getUTCDate()).padStart(2, '0')}-${expires.toUTCString().slice(8, 11)}-${expires.getUTCFullYear()}`;
  return `asc_auth_key=${token}; expires=${day}, ${date} ${expires.toISOString().slice(11, 19)} GMT; path=/; HttpOnly`;
}

/**
 * POST authentication (r7-office.auth.credentials): GetUser (a missing user name or password, an unknown user or a
 * wrong password: 500 "User authentication failed"; the brute-force limit: 500 "Login Fail. Too many attempts"),
 * then the token, 201.
 */
const authenticate: Handler = async (ctx): Promise<HandlerResult> => {
  const a = argumentsOf(ctx);
  const userName = a.userName as string | null;
  const password = a.password as string | null;
  const provider = a.provider as string | null;
  const failed = (reason: string) =>
    fixedError('authentication-failed', { rule: 'r7-office.auth.credentials', reason });
  if (provider && provider !== 'email') throw failed(`provider ${provider} is not available in the sandbox`);
  if (userName === null) throw failed('userName is missing');
  if (password === null) throw failed('password is missing');
  // The sign-in throttle is one of the vendor's limits: --no-rate-limit turns it off with the others.
  const limiter = ctx.config.rateLimit ? new BruteForceLimiter(ctx.store.counters) : undefined;
  if (limiter && !(await limiter.increment(userName, ctx.request.ip))) {
    throw fixedError('login-blocked', {
      rule: 'r7-office.auth.brute-force',
      reason: `more than 5 sign-in attempts of ${userName} from ${ctx.request.ip} within 60 s`,
    });
  }
  const user = signIn(userName, password, ctx.config);
  if (!user) throw failed('unknown user name or wrong password');
  await limiter?.decrement(userName, ctx.request.ip);
  const { token, expires } = issueToken(user, ctx.config);
  const expiresTicks: Ticks = fromEpochMilliseconds(expires.getTime());
  return {
    status: 201,
    body: envelope(201, { token, expires: formatApiDateTime(expiresTicks) }),
    headers: { ...respondHeaders(), 'Set-Cookie': authCookie(token, expires) },
  };
};

const isAscii = (text: string, word: string) => text.replace(/[A-Z]/g, (c) => c.toLowerCase()) === word;

/** CRMApi.ToEntityType for the two types UpdateTask lets through: opportunity, case, else Any. */
function entityTypeOf(text: string | null): StoredTask['entityType'] {
  const lower = (text ?? '').toLowerCase();
  return lower === 'opportunity' || lower === 'case' ? lower : '';
}

/**
 * PUT task/{taskid} (and its aliases): UpdateTask's checks (entityType, categoryid, the category), then the DAO's
 * (title, deadline, categoryid), then an INSERT when taskid is 0 or names no task of the caller's data — a new id
 * from the one sequence of all partners, the caller as author, now as creation time, open, no permission check —
 * or an UPDATE of the stored task, which the caller must be allowed to edit. The answer is the task as saved in
 * memory (deadline to the tick, no description when none was sent); a later GET reads the stored row.
 */
/** UpdateTask's own checks of its arguments, before it looks up the category: entityType, categoryid. */
function checkEntityAndCategory(a: Record<string, BoundValue>): void {
  const entityType = a.entityType as string | null;
  const categoryid = a.categoryid as number;
  if (entityType && !isAscii(entityType, 'opportunity') && !isAscii(entityType, 'case')) {
    throw invalidArgument({
      target: 'entityType',
      rule: 'r7-office.task.entity-type',
      reason: `entityType "${entityType}" is neither opportunity nor case`,
    });
  }
  if (categoryid <= 0) {
    throw invalidArgument({
      target: 'categoryid',
      rule: 'r7-office.task.category-positive',
      reason: `categoryid ${categoryid} is not positive (a missing or empty categoryid binds as 0)`,
    });
  }
}

/** The DAO's checks (SaveOrUpdateTaskInDb), after the category lookup: a title and a deadline. */
function checkTitleAndDeadline(a: Record<string, BoundValue>): void {
  const deadline = (a.deadline as Ticks | null) ?? MIN_TICKS;
  if (!a.title) {
    throw invalidArgument({
      target: 'title',
      rule: 'r7-office.task.required-fields',
      reason: 'title is missing or empty',
    });
  }
  if (deadline === MIN_TICKS) {
    throw invalidArgument({
      target: 'deadline',
      rule: 'r7-office.task.required-fields',
      reason: 'deadline is missing, empty or 0001-01-01T00:00:00 (DateTime.MinValue)',
    });
  }
}

/** GetTaskByID's own check: a positive taskid. */
function checkTaskId(a: Record<string, BoundValue>): void {
  const taskid = a.taskid as number;
  if (taskid <= 0) {
    throw invalidArgument({
      target: 'taskid',
      rule: 'r7-office.task.taskid-positive',
      reason: `taskid ${taskid} is not positive`,
    });
  }
}

/**
 * The methods' checks that need no stored data, for a stage that keeps none (the mock): what the sandbox's handlers
 * check in the vendor's order, stored data assumed there (the category exists). Every one is the same
 * ArgumentException, so their order among themselves changes no answer.
 */
export function statelessMethodChecks(ctx: CheckContext, stage: CheckStage): void {
  if (stage.stateful) return;
  const a = ctx.state.body as Record<string, BoundValue>;
  const operation = ctx.route.operationId;
  if (operation === 'updateTask' || operation === 'updateTaskXml') {
    checkEntityAndCategory(a);
    checkTitleAndDeadline(a);
  }
  if (operation === 'getTask' || operation === 'getTaskXml') checkTaskId(a);
}

const updateTask: Handler = async (ctx): Promise<HandlerResult> => {
  const a = argumentsOf(ctx);
  const caller = sandboxData.caller;
  const entityType = a.entityType as string | null;
  const categoryid = a.categoryid as number;
  checkEntityAndCategory(a);
  if (!(await ctx.store.has(ctx.tenant, kinds.category, categoryid))) {
    throw fixedError('category-not-found', {
      target: 'categoryid',
      rule: 'r7-office.task.category-exists',
      reason: `no list item has the id ${categoryid}`,
    });
  }
  checkTitleAndDeadline(a);
  const title = a.title as string;
  const deadline = a.deadline as Ticks;
  const taskid = a.taskid as number;
  return ctx.store.transaction(ctx.tenant, async (tx) => {
    const stored = taskid === 0 ? undefined : await tx.get<StoredTask>(ctx.tenant, kinds.task, taskid);
    const common = {
      title,
      description: a.description as string | null,
      deadline,
      responsibleid: a.responsibleid as string,
      categoryid,
      contactid: a.contactid as number,
      entityType: entityTypeOf(entityType),
      entityid: a.entityid as number,
      alertValue: a.alertValue as number,
    };
    let task: Task;
    if (!stored) {
      task = {
        ...common,
        id: await tx.nextId(TASK_ID_SEQUENCE, kinds.task, taskIdFloor),
        isClosed: false,
        createBy: caller,
        created: utcNow(),
      };
    } else {
      const old = fromStored(stored);
      if (!canEdit(old, caller)) {
        throw fixedError('forbidden', {
          target: 'taskid',
          rule: 'r7-office.task.can-edit',
          reason: `the sandbox user is neither the responsible nor the author of task ${taskid}`,
        });
      }
      task = { ...common, id: taskid, isClosed: old.isClosed, createBy: old.createBy, created: old.created };
    }
    await moveTaskCount(tx, ctx.tenant, stored?.categoryid, task.categoryid);
    await tx.put(ctx.tenant, kinds.task, task.id, toStored(task));
    return {
      status: 200,
      body: envelope(200, await taskWrapper(tx, ctx.tenant, task, caller)),
      headers: respondHeaders(),
    };
  });
};

/** GET task/{taskid}: taskid 0 is an ArgumentException, an id the caller's data lacks ItemNotFoundException ("Not found"). */
const getTask: Handler = async (ctx): Promise<HandlerResult> => {
  const a = argumentsOf(ctx);
  checkTaskId(a);
  const taskid = a.taskid as number;
  const stored = await ctx.store.get<StoredTask>(ctx.tenant, kinds.task, taskid);
  if (!stored) {
    throw fixedError('task-not-found', {
      target: 'taskid',
      rule: 'r7-office.task.task-exists',
      reason: `no task has the id ${taskid}`,
    });
  }
  return {
    status: 200,
    body: envelope(200, await taskWrapper(ctx.store, ctx.tenant, fromStored(stored), sandboxData.caller)),
    headers: respondHeaders(),
  };
};

export const handlers: Record<string, Handler> = {
  authenticate,
  updateTask,
  updateTaskXml: updateTask,
  getTask,
  getTaskXml: getTask,
};
