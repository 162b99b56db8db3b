/**
 * The `crm` actions, one handler per `x-actions` entry (specs/ivvy/paths/api_1.0_crm.yaml). The core has already
 * checked the signature and validated the body against the action's schema (the schema-enforced rules); these
 * enforce the server rules, each raising the x-errors key its rule names.
 */
import type { components } from '../../generated/ivvy.ts';
import { type ErrorDetail, VendorError } from '../../server/errors.ts';
import type { Handler } from '../../server/vendor-module.ts';
import { deref, loadSpec } from '../../spec/index.ts';
import {
  type CompanyContact,
  companyContactId,
  KEY_USER_ID,
  KIND,
  type Lead,
  type Task,
  taskIdFloor,
  type User,
} from './seed.ts';
import { ivvyTimestamp } from './signing.ts';

type AddOrUpdateTaskRequest = components['schemas']['AddOrUpdateTaskRequest'];
type AddOrUpdateTaskResponse = components['schemas']['AddOrUpdateTaskResponse'];
type GetTaskListRequest = Partial<components['schemas']['GetTaskListRequest']>;
type TaskListResponse = components['schemas']['TaskListResponse'];
type Owner = Pick<Task, 'leadId' | 'contactId' | 'companyId' | 'companyContactId'>;

/** A new task's status when none is sent: Not Started (a member of the spec's TaskStatus enum, checked by tsc). */
const NOT_STARTED: Task['status'] = 0;
const INVALID_ITEM = 'Invalid item selected';
const REQUIRED = "Value is required and can't be empty";

/** `Y-m-d H:i:s UTC`, the form getTaskList answers dates in. */
const listDate = (timestamp: string): string => `${timestamp} UTC`;

/** Whether a `Y-m-d H:i:s` (already matching the schema's pattern) names a real instant: no 30 February. */
function isRealTimestamp(value: string): boolean {
  const ms = Date.parse(`${value.replace(' ', 'T')}Z`);
  return !Number.isNaN(ms) && ivvyTimestamp(new Date(ms)) === value;
}

/** The detail of a "does not exist" error: the field and the id it names. */
const unknown = (field: string, id: number): ErrorDetail[] => [
  { target: field, message: `${INVALID_ITEM} (${id} does not exist)` },
];

/**
 * Who the task belongs to after this request (rule ivvy.task.single-owner): one of lead/opportunity, contact and
 * company; company + contact makes the contact a company contact and gives the task to the company. An owner sent
 * replaces the task's owner; none sent keeps it.
 */
function owner(req: AddOrUpdateTaskRequest, current: Task | undefined): Owner {
  const none: Owner = { leadId: null, contactId: null, companyId: null, companyContactId: null };
  if (req.leadId !== undefined) return { ...none, leadId: req.leadId };
  if (req.companyId !== undefined)
    return { ...none, companyId: req.companyId, companyContactId: req.contactId ?? null };
  if (req.contactId !== undefined) return { ...none, contactId: req.contactId };
  if (!current) return none;
  const { leadId, contactId, companyId, companyContactId } = current;
  return { leadId, contactId, companyId, companyContactId };
}

const addOrUpdateTask: Handler = (ctx) => {
  const req = ctx.body as AddOrUpdateTaskRequest;
  const { store, tenant } = ctx;
  const run = (): AddOrUpdateTaskResponse => {
    // ivvy.task.update-requires-known-id
    const current = req.id === undefined ? undefined : store.get<Task>(tenant, KIND.task, req.id);
    if (req.id !== undefined && !current) throw new VendorError('task-not-found', unknown('id', req.id));
    // ivvy.task.end-datetime-format: the pattern passes impossible days; the server refuses them.
    if (req.endDatetime !== undefined && !isRealTimestamp(req.endDatetime)) {
      throw new VendorError('invalid-data', [
        { target: 'endDatetime', message: `${req.endDatetime} is not a real date` },
      ]);
    }
    // ivvy.task.single-owner
    if (req.leadId !== undefined && (req.contactId !== undefined || req.companyId !== undefined)) {
      const others = ['contactId', 'companyId'].filter((f) => req[f as 'contactId' | 'companyId'] !== undefined);
      throw new VendorError(
        'single-owner',
        others.map((f) => ({ target: 'leadId', message: `cannot be sent with ${f}` })),
      );
    }
    // ivvy.task.lead-exists, ivvy.task.contact-exists, ivvy.task.company-exists
    const lead = req.leadId === undefined ? undefined : store.get<Lead>(tenant, KIND.lead, req.leadId);
    if (req.leadId !== undefined && !lead) throw new VendorError('lead-not-found', unknown('leadId', req.leadId));
    if (req.contactId !== undefined && !store.has(tenant, KIND.contact, req.contactId)) {
      throw new VendorError('contact-not-found', unknown('contactId', req.contactId));
    }
    if (req.companyId !== undefined && !store.has(tenant, KIND.company, req.companyId)) {
      throw new VendorError('company-not-found', unknown('companyId', req.companyId));
    }

    const owned = owner(req, current);
    const venueId = req.venueId ?? lead?.venueId ?? current?.venueId ?? null;
    // ivvy.task.venue-required-for-opportunity: judged on the task as it will be, so an update cannot move an
    // opportunity's task to another venue either.
    const opportunity = lead ?? (owned.leadId !== null ? store.get<Lead>(tenant, KIND.lead, owned.leadId) : undefined);
    if (opportunity?.stage === 'opportunity') {
      if (req.leadId !== undefined && req.venueId === undefined) {
        throw new VendorError('invalid-data', [{ target: 'venueId', message: REQUIRED }]);
      }
      if (venueId !== opportunity.venueId) {
        throw new VendorError('invalid-data', [{ target: 'leadId', message: INVALID_ITEM }]);
      }
    }

    const assignedUserId = req.assignedUserId ?? current?.assignedUserId ?? null;
    const assigned = assignedUserId === null ? undefined : store.get<User>(tenant, KIND.user, assignedUserId);
    const creator = current ? undefined : store.get<User>(tenant, KIND.user, KEY_USER_ID);
    const now = listDate(ivvyTimestamp(new Date()));
    const id = current?.id ?? store.nextId(tenant, KIND.task, taskIdFloor);
    const task: Task = {
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
      userFullName: current ? current.userFullName : (creator?.fullName ?? null),
      userEmail: current ? current.userEmail : (creator?.email ?? null),
      priority: req.priority ?? current?.priority ?? null,
      startDatetime: current?.startDatetime ?? null,
      endDatetime: req.endDatetime !== undefined ? listDate(req.endDatetime) : (current?.endDatetime ?? now),
      progress: current?.progress ?? 0,
      createdDate: current?.createdDate ?? now,
      modifiedDate: now,
    };
    if (req.companyId !== undefined && req.contactId !== undefined) {
      // The contact becomes a contact of the company (rule ivvy.task.single-owner).
      const link: CompanyContact = {
        id: companyContactId(req.companyId, req.contactId),
        companyId: req.companyId,
        contactId: req.contactId,
      };
      store.put(tenant, KIND.companyContact, link.id, link);
    }
    store.put(tenant, KIND.task, id, task);
    return { success: true, id };
  };
  try {
    return { status: 200, body: store.transaction(run) };
  } catch (error) {
    if (error instanceof VendorError) throw error;
    // error-occurred: the task passed validation but the store failed to save it.
    ctx.request.log.error({ err: error }, 'ivvy: saving a task failed');
    throw new VendorError('error-occurred', [{ message: 'the task could not be saved' }]);
  }
};

type PagingSchema = { properties: Record<'start' | 'perPage', { default: number }> };

/** `start` and `perPage` when the body leaves them out: the defaults of the spec's GetTaskListRequest schema. */
let paging: Promise<{ start: number; perPage: number }> | undefined;
function pagingDefaults(): Promise<{ start: number; perPage: number }> {
  paging ??= loadSpec('ivvy').then((doc) => {
    const { properties } = deref<PagingSchema>(doc, doc.components?.schemas?.GetTaskListRequest as PagingSchema);
    return { start: properties.start.default, perPage: properties.perPage.default };
  });
  return paging;
}

const getTaskList: Handler = async (ctx) => {
  const req = ctx.body as GetTaskListRequest;
  const defaults = await pagingDefaults();
  const start = req.start ?? defaults.start;
  const perPage = req.perPage ?? defaults.perPage;
  // ivvy.task-list.venue-exists
  if (req.venueId !== undefined && !ctx.store.has(ctx.tenant, KIND.venue, req.venueId)) {
    throw new VendorError('parameter-invalid', [{ target: 'venueId', message: INVALID_ITEM }]);
  }
  const tasks = ctx.store
    .list<Task>(ctx.tenant, KIND.task)
    .filter((t) => req.venueId === undefined || t.venueId === req.venueId)
    .sort((a, b) => a.id - b.id);
  const results = tasks.slice(start, start + perPage);
  const body: TaskListResponse = {
    meta: { totalResults: tasks.length, start, perPage, count: results.length },
    results,
  };
  return { status: 200, body };
};

export const handlers: Record<string, Handler> = { addOrUpdateTask, getTaskList };
