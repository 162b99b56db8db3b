/**
 * The `crm` actions, one handler per `x-actions` entry (specs/ivvy/paths/api_1.0_crm.yaml). The core has already
 * checked the signature and validated the body against the action's schema (the schema-enforced rules); these
 * enforce the server rules, each raising the x-errors key its rule names. Fields the spec does not list are
 * accepted and ignored: only the page's fields are read.
 */
import type { components } from '../../generated/ivvy.ts';
import { type ErrorDetail, VendorError } from '../../server/errors.ts';
import type { Handler } from '../../server/vendor-module.ts';
import { deref, type OpenApiDocument } from '../../spec/index.ts';
import type { Records } from '../../store/store.ts';
import { type FilterValue, matchesFilter } from './filter.ts';
import { reason, reasonFor } from './messages.ts';
import { perDocument } from './per-document.ts';
import { type CompanyContact, companyContactId, KIND, type Lead, type Task, taskIdFloor, type User } from './seed.ts';
import { ivvyTimestamp } from './signing.ts';

type Id = components['schemas']['Id'];
type AddOrUpdateTaskBody = components['schemas']['AddOrUpdateTaskRequest'];
type AddOrUpdateTaskResponse = components['schemas']['AddOrUpdateTaskResponse'];
type GetTaskListBody = Partial<components['schemas']['GetTaskListRequest']>;
type TaskListResponse = components['schemas']['TaskListResponse'];
type Owner = Pick<Task, 'leadId' | 'contactId' | 'companyId' | 'companyContactId'>;
type Schema = Record<string, unknown>;

/** The page's fields of an addOrUpdateTask body, ids as numbers (the spec's `Id` also takes strings of digits). */
interface AddOrUpdateTaskRequest {
  id?: number;
  venueId?: number;
  leadId?: number;
  contactId?: number;
  companyId?: number;
  assignedUserId?: number;
  name?: string;
  description?: string;
  status?: Task['status'];
  priority?: NonNullable<Task['priority']>;
  endDatetime?: string;
}

/** A new task's status when none is sent: Not Started (a member of the spec's TaskStatus enum, checked by tsc). */
const NOT_STARTED: Task['status'] = 0;

/** An id as the schema took it (`2665` or `"2665"`) as a number. */
const toId = (id: Id | undefined): number | undefined => (id === undefined ? undefined : Number(id));

/** iVvy's timestamp (`Y-m-d H:i:s`, optionally ` UTC`, as the schema took it) without its ` UTC`. */
const withoutUtc = (timestamp: string): string => timestamp.replace(/ UTC$/, '');

/** `Y-m-d H:i:s UTC`, the form getTaskList answers dates in. */
const listDate = (timestamp: string): string => `${withoutUtc(timestamp)} UTC`;

/** Whether a timestamp (already matching the schema's pattern) names a real instant: no 30 February. */
function isRealTimestamp(value: string): boolean {
  const timestamp = withoutUtc(value);
  const ms = Date.parse(`${timestamp.replace(' ', 'T')}Z`);
  return !Number.isNaN(ms) && ivvyTimestamp(new Date(ms)) === timestamp;
}

/** The page's fields of the body, ids as numbers; every other field is ignored. */
function pageFields(body: AddOrUpdateTaskBody): AddOrUpdateTaskRequest {
  const ids = {
    id: toId(body.id),
    venueId: toId(body.venueId),
    leadId: toId(body.leadId),
    contactId: toId(body.contactId),
    companyId: toId(body.companyId),
    assignedUserId: toId(body.assignedUserId),
  };
  const { name, description, status, priority, endDatetime } = body;
  const all = { ...ids, name, description, status, priority, endDatetime };
  return Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined)) as AddOrUpdateTaskRequest;
}

const requestSchema = (doc: OpenApiDocument, name: string): Schema =>
  deref<Schema>(doc, doc.components?.schemas?.[name] as Schema);

/** The reason an impossible `endDatetime` gets: the one of its schema (`Timestamp`). */
const endReason = perDocument((doc) =>
  reasonFor(doc, (requestSchema(doc, 'AddOrUpdateTaskRequest').properties as Schema).endDatetime),
);

/** The detail of a "does not exist" error: the field, with the vendor's message for an unknown record. */
const unknown = (doc: OpenApiDocument, field: string): ErrorDetail[] => [
  { target: field, message: reason(doc, 'invalidItem') },
];

/**
 * Who the task belongs to after this request (rule ivvy.task.single-owner): one of lead/opportunity, contact and
 * company; company + contact makes the contact a company contact and gives the task to the company. An owner sent
 * replaces the task's owner; none sent keeps it; the same company sent back alone keeps its company contact (the
 * vendor's SDK sends a task it read back with `companyId` and `companyContactId`, which is ignored).
 */
function owner(req: AddOrUpdateTaskRequest, current: Task | undefined): Owner {
  const none: Owner = { leadId: null, contactId: null, companyId: null, companyContactId: null };
  if (req.leadId !== undefined) return { ...none, leadId: req.leadId };
  if (req.companyId !== undefined) {
    const kept = req.companyId === current?.companyId ? current.companyContactId : null;
    return { ...none, companyId: req.companyId, companyContactId: req.contactId ?? kept };
  }
  if (req.contactId !== undefined) return { ...none, contactId: req.contactId };
  if (!current) return none;
  const { leadId, contactId, companyId, companyContactId } = current;
  return { leadId, contactId, companyId, companyContactId };
}

/** One addOrUpdateTask request inside its transaction: who asks, what they sent, the store and the spec. */
interface TaskWrite {
  readonly tenant: string;
  readonly req: AddOrUpdateTaskRequest;
  readonly store: Records;
  readonly doc: OpenApiDocument;
}

/** ivvy.task.update-requires-known-id: the task an `id` names, which must exist; undefined for a new task. */
async function currentTask({ tenant, req, store, doc }: TaskWrite): Promise<Task | undefined> {
  if (req.id === undefined) return undefined;
  const current = await store.get<Task>(tenant, KIND.task, req.id);
  if (!current) throw new VendorError('task-not-found', unknown(doc, 'id'));
  return current;
}

/** ivvy.task.end-datetime-format: the pattern passes impossible days; the server refuses them. */
function checkEndDatetime({ req, doc }: TaskWrite): void {
  if (req.endDatetime !== undefined && !isRealTimestamp(req.endDatetime)) {
    throw new VendorError('invalid-data', [{ target: 'endDatetime', message: endReason(doc) }]);
  }
}

/** ivvy.task.single-owner: a lead is sent alone, without a contact or a company. */
function checkSingleOwner({ req }: TaskWrite): void {
  if (req.leadId === undefined || (req.contactId === undefined && req.companyId === undefined)) return;
  const others = (['contactId', 'companyId'] as const).filter((f) => req[f] !== undefined);
  throw new VendorError(
    'single-owner',
    others.map((f) => ({ target: f, message: 'cannot be sent with leadId' })),
  );
}

/** ivvy.task.lead-exists, ivvy.task.contact-exists, ivvy.task.company-exists: the lead sent, when one is. */
async function checkOwnersExist({ tenant, req, store, doc }: TaskWrite): Promise<Lead | undefined> {
  const lead = req.leadId === undefined ? undefined : await store.get<Lead>(tenant, KIND.lead, req.leadId);
  if (req.leadId !== undefined && !lead) throw new VendorError('lead-not-found', unknown(doc, 'leadId'));
  if (req.contactId !== undefined && !(await store.has(tenant, KIND.contact, req.contactId))) {
    throw new VendorError('contact-not-found', unknown(doc, 'contactId'));
  }
  if (req.companyId !== undefined && !(await store.has(tenant, KIND.company, req.companyId))) {
    throw new VendorError('company-not-found', unknown(doc, 'companyId'));
  }
  return lead;
}

/**
 * ivvy.task.venue-required-for-opportunity: judged on the task as it will be, so an update cannot move an
 * opportunity's task to another venue either.
 */
async function checkOpportunityVenue(
  { tenant, req, store, doc }: TaskWrite,
  lead: Lead | undefined,
  owned: Owner,
  venueId: number | null,
): Promise<void> {
  const opportunity =
    lead ?? (owned.leadId !== null ? await store.get<Lead>(tenant, KIND.lead, owned.leadId) : undefined);
  if (opportunity?.stage !== 'opportunity') return;
  if (req.leadId !== undefined && req.venueId === undefined) {
    throw new VendorError('invalid-data', [{ target: 'venueId', message: reason(doc, 'required') }]);
  }
  if (venueId !== opportunity.venueId) {
    throw new VendorError('invalid-data', [{ target: 'leadId', message: reason(doc, 'invalidItem') }]);
  }
}

/** The task as it is saved: the fields sent, else the task's own, else a new task's; the assigned user's name read. */
async function taskToSave(
  { tenant, req, store }: TaskWrite,
  current: Task | undefined,
  owned: Owner,
  venueId: number | null,
): Promise<Task> {
  const assignedUserId = req.assignedUserId ?? current?.assignedUserId ?? null;
  const assigned = assignedUserId === null ? undefined : await store.get<User>(tenant, KIND.user, assignedUserId);
  const now = listDate(ivvyTimestamp(new Date()));
  const id = current?.id ?? (await store.nextId(tenant, KIND.task, taskIdFloor));
  // The fields and their order of the vendor's getTaskList sample (schema Task).
  return {
    id,
    venueId,
    bookingId: current?.bookingId ?? null,
    leadId: owned.leadId,
    name: req.name ?? current?.name ?? '',
    description: req.description ?? current?.description ?? null,
    status: req.status ?? current?.status ?? NOT_STARTED,
    contactId: owned.contactId,
    companyId: owned.companyId,
    companyContactId: owned.companyContactId,
    assignedUserId,
    assignedUserFullName: assigned?.fullName ?? null,
    assignedUserEmail: assigned?.email ?? null,
    priority: req.priority ?? current?.priority ?? null,
    endDatetime: req.endDatetime !== undefined ? listDate(req.endDatetime) : (current?.endDatetime ?? now),
    progress: current?.progress ?? 0,
    createdDate: current?.createdDate ?? now,
    modifiedDate: now,
  };
}

/** A company sent with a contact: the contact becomes a contact of the company (rule ivvy.task.single-owner). */
async function linkCompanyContact({ tenant, req, store }: TaskWrite): Promise<void> {
  if (req.companyId === undefined || req.contactId === undefined) return;
  const link: CompanyContact = {
    id: companyContactId(req.companyId, req.contactId),
    companyId: req.companyId,
    contactId: req.contactId,
  };
  await store.put(tenant, KIND.companyContact, link.id, link);
}

/** The server rules in the vendor's order, then the task and its company contact saved. */
async function writeTask(write: TaskWrite): Promise<AddOrUpdateTaskResponse> {
  const current = await currentTask(write);
  checkEndDatetime(write);
  checkSingleOwner(write);
  const lead = await checkOwnersExist(write);
  const owned = owner(write.req, current);
  const venueId = write.req.venueId ?? lead?.venueId ?? current?.venueId ?? null;
  await checkOpportunityVenue(write, lead, owned, venueId);
  const task = await taskToSave(write, current, owned, venueId);
  await linkCompanyContact(write);
  await write.store.put(write.tenant, KIND.task, task.id, task);
  return { success: true, id: task.id };
}

const addOrUpdateTask: Handler = async (ctx) => {
  const req = pageFields(ctx.body as AddOrUpdateTaskBody);
  const { tenant, doc } = ctx;
  try {
    return {
      status: 200,
      body: await ctx.store.transaction(tenant, (store) => writeTask({ tenant, req, store, doc })),
    };
  } catch (error) {
    if (error instanceof VendorError) throw error;
    // error-occurred: the task passed validation but the store failed to save it.
    ctx.request.log.error({ err: error }, 'ivvy: saving a task failed');
    throw new VendorError('error-occurred', [{ message: 'the task could not be saved' }]);
  }
};

type PagingSchema = { properties: Record<'start' | 'perPage', { default: number; 'x-cap'?: number }> };

/** `start` and `perPage` when the body leaves them out, and the cap on `perPage`: the spec's GetTaskListRequest. */
const paging = perDocument((doc) => {
  const { properties } = requestSchema(doc, 'GetTaskListRequest') as PagingSchema;
  return {
    start: properties.start.default,
    perPage: properties.perPage.default,
    cap: properties.perPage['x-cap'] ?? Number.POSITIVE_INFINITY,
  };
});

const getTaskList: Handler = async (ctx) => {
  const req = ctx.body as GetTaskListBody;
  const defaults = paging(ctx.doc);
  const start = req.start ?? defaults.start;
  // "A perPage option greater than that cap will not have any effect" (rule ivvy.task-list.paging).
  const perPage = Math.min(req.perPage ?? defaults.perPage, defaults.cap);
  const venueId = toId(req.venueId);
  // ivvy.task-list.venue-exists
  if (venueId !== undefined && !(await ctx.store.has(ctx.tenant, KIND.venue, venueId))) {
    throw new VendorError('parameter-invalid', unknown(ctx.doc, 'venueId'));
  }
  const filter = req.filter as Record<string, FilterValue> | null | undefined;
  const tasks = (await ctx.store.list<Task>(ctx.tenant, KIND.task))
    .filter((t) => (venueId === undefined || t.venueId === venueId) && matchesFilter(ctx.doc, t, filter))
    .sort((a, b) => a.id - b.id);
  const results = tasks.slice(start, start + perPage);
  const body: TaskListResponse = {
    meta: { totalResults: tasks.length, start, perPage, count: results.length },
    results,
  };
  return { status: 200, body };
};

export const handlers: Record<string, Handler> = { addOrUpdateTask, getTaskList };
