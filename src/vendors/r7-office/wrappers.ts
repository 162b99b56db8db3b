/**
 * The vendor's answer objects, member by member in the order Json.NET writes them (derived class first, `id` of
 * ObjectWrapperBase last) and with DataMember(EmitDefaultValue = false) members left out when they hold their
 * default (null, 0, false; an empty string stays): TaskWrapper, EmployeeWraper, TaskCategoryWrapper,
 * ContactBaseWithEmailWrapper, EntityWrapper (module/ASC.Api/ASC.Api.CRM/Wrappers/, ASC.Employee/EmployeeWraper.cs),
 * filled as CRMApi.ToTaskWrapper fills them.
 */
import type { Records } from '../../store/store.ts';
import { formatApiDateTime } from './api-datetime.ts';
import { categoryCounts } from './category-counts.ts';
import { storedToTheSecond, type Ticks } from './dotnet/datetime.ts';
import { type Category, type Contact, EMPTY_GUID, type Entity, kinds, type StoredTask, type User } from './model.ts';
import { sandboxData } from './seed.ts';

/** The DAO's Task object: a stored row read back, or the task UpdateTask built and the DAO saved. */
export interface Task {
  id: number;
  title: string;
  /** Null when no description was bound (the PUT answer then leaves it out). */
  description: string | null;
  deadline: Ticks;
  responsibleid: string;
  categoryid: number;
  contactid: number;
  entityType: StoredTask['entityType'];
  entityid: number;
  alertValue: number;
  isClosed: boolean;
  createBy: string;
  created: Ticks;
}

const ticksFromText = (text: string): Ticks => {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{7})Z$/.exec(text);
  if (!m) throw new Error(`stored date ${text} is not round-trip UTC`);
  const date = new Date(0);
  date.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  date.setUTCHours(Number(m[4]), Number(m[5]), Number(m[6]), 0);
  return 621_355_968_000_000_000n + BigInt(date.getTime()) * 10_000n + BigInt(Number(m[7]));
};

/** TaskDao.ToTask: a row as the vendor reads it back (`Convert.ToString(DBNull)` is "", so a null description is ""). */
export function fromStored(row: StoredTask): Task {
  return {
    ...row,
    description: row.description ?? '',
    deadline: ticksFromText(row.deadline),
    created: ticksFromText(row.created),
  };
}

/** At most `bytes` bytes of UTF-8, cut at a character (MySQL `text`, non-strict mode). */
function utf8Prefix(text: string, bytes: number): string {
  if (Buffer.byteLength(text) <= bytes) return text;
  let out = '';
  let used = 0;
  for (const ch of text) {
    const size = Buffer.byteLength(ch);
    if (used + size > bytes) break;
    out += ch;
    used += size;
  }
  return out;
}

/**
 * What `crm_task` keeps of a saved task: the title cut to `varchar(255)` and the description to `text` (the vendor's
 * MySQL runs sql_mode NO_ENGINE_SUBSTITUTION, which truncates), dates to the second.
 */
export function toStored(task: Task): StoredTask {
  return {
    id: task.id,
    title: [...task.title].slice(0, 255).join(''),
    description: task.description === null ? null : utf8Prefix(task.description, 65_535),
    deadline: formatApiDateTime(storedToTheSecond(task.deadline)),
    responsibleid: task.responsibleid,
    categoryid: task.categoryid,
    contactid: task.contactid,
    entityType: task.entityType,
    entityid: task.entityid,
    alertValue: task.alertValue,
    isClosed: task.isClosed,
    createBy: task.createBy,
    created: formatApiDateTime(storedToTheSecond(task.created)),
  };
}

/** EmployeeWraper.Get(id): the user, or Constants.LostUser ("Profile has been removed") for an unknown id. */
export async function employee(store: Records, tenant: string, id: string): Promise<Record<string, unknown>> {
  const user = id === EMPTY_GUID ? undefined : await store.get<User>(tenant, kinds.user, id);
  const u = user ?? sandboxData.lostUser;
  return {
    id: u.id,
    displayName: u.displayName,
    ...(u.title ? { title: u.title } : {}),
    avatarSmall: u.avatarSmall,
    profileUrl: u.profileUrl,
  };
}

/** GetTaskCategoryByID → TaskCategoryWrapper: relativeItemsCount (tasks of the category) before the base members. */
async function category(store: Records, tenant: string, id: number): Promise<Record<string, unknown> | undefined> {
  const c = await store.get<Category>(tenant, kinds.category, id);
  if (!c) return undefined;
  const count = (await categoryCounts(store, tenant))[id] ?? 0;
  const out: Record<string, unknown> = {};
  if (count !== 0) out.relativeItemsCount = count;
  if (c.imagePath != null) out.imagePath = c.imagePath;
  if (c.title != null) out.title = c.title;
  if (c.description != null) out.description = c.description;
  if (c.color != null) out.color = c.color;
  if (c.sortOrder) out.sortOrder = c.sortOrder;
  out.id = c.id;
  return out;
}

/** ToEntityWrapper: an existing opportunity or case; nothing for any other type or an unknown id. */
async function entity(store: Records, tenant: string, task: Task): Promise<Record<string, unknown> | undefined> {
  if (task.entityid <= 0 || task.entityType === '') return undefined;
  const kind = task.entityType === 'case' ? kinds.case : kinds.opportunity;
  const found = await store.get<Entity>(tenant, kind, task.entityid);
  return found ? { entityType: task.entityType, entityId: task.entityid, entityTitle: found.title } : undefined;
}

/** CRMSecurity.CanEdit(task) for a user who is no CRM administrator: the task's responsible or its author. */
export const canEdit = (task: Pick<Task, 'responsibleid' | 'createBy'>, caller: string) =>
  task.responsibleid === caller || task.createBy === caller;

/** CRMApi.ToTaskWrapper(task): the task as the vendor answers it. */
export async function taskWrapper(
  store: Records,
  tenant: string,
  task: Task,
  caller: string,
): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  out.createBy = await employee(store, tenant, task.createBy);
  out.created = formatApiDateTime(task.created);
  if (task.contactid > 0) {
    const contact = await store.get<Contact>(tenant, kinds.contact, task.contactid);
    if (contact) out.contact = contact;
  }
  out.title = task.title;
  if (task.description !== null) out.description = task.description;
  out.deadLine = formatApiDateTime(task.deadline);
  if (task.alertValue !== 0) out.alertValue = task.alertValue;
  out.responsible = await employee(store, tenant, task.responsibleid);
  if (task.isClosed) out.isClosed = true;
  if (task.categoryid > 0) {
    const c = await category(store, tenant, task.categoryid);
    if (c) out.category = c;
  }
  const e = await entity(store, tenant, task);
  if (e) out.entity = e;
  if (canEdit(task, caller)) out.canEdit = true;
  out.id = task.id;
  return out;
}

/** The success envelope of one object (ApiStandartResponce: count, status, statusCode, response). */
export function envelope(statusCode: number, response: unknown): Record<string, unknown> {
  return { count: 1, status: 0, statusCode, response };
}
