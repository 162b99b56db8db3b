import type { Store } from '../../store/store.ts';
import {
  type ContactRef,
  type EntityRef,
  type EntityType,
  entityKinds,
  kinds,
  type StoredEntity,
  type StoredTask,
  type Task,
  type TaskCategory,
  type TaskEnvelope,
  type UserRef,
} from './model.ts';

/** Keys the vendor writes even when they hold a default value: the envelope's status and every id (the sample's `id: 0`). */
const alwaysWritten = new Set(['status', 'id']);

/**
 * The vendor's serialiser leaves out every member that holds its default value (null, false, 0), at every level:
 * `isClosed: false`, `alertValue: 0`, `isCompany: false`, `sortOrder: 0` do not appear. Empty strings stay
 * (the page's sample has `"profileUrl": ""`). Key order is kept.
 */
export function omitDefaults<T>(value: T): T {
  if (Array.isArray(value)) return value.map(omitDefaults) as T;
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const isDefault = child === undefined || child === null || child === false || child === 0;
    if (isDefault && !alwaysWritten.has(key)) continue;
    out[key] = omitDefaults(child);
  }
  return out as T;
}

function user(store: Store, tenant: string, id: string): UserRef {
  // r7-office.task.responsible-exists: an unknown user (or the empty GUID) is answered with the stored id only.
  return store.get<UserRef>(tenant, kinds.user, id.toLowerCase()) ?? { id: id.toLowerCase() };
}

function entity(store: Store, tenant: string, task: StoredTask): EntityRef | undefined {
  const type = task.entityType.toLowerCase() as EntityType | '';
  if (type === '' || !(type in entityKinds) || task.entityid === 0) return undefined;
  const found = store.get<StoredEntity>(tenant, entityKinds[type], task.entityid);
  return found && { entityType: type, entityId: found.id, entityTitle: found.title };
}

/**
 * r7-office.task.response-resolves-references: the stored task as the vendor answers it, in its wire order, with
 * responsible, createBy, category, contact and entity resolved from the caller's data and defaults left out.
 */
export function taskView(store: Store, tenant: string, task: StoredTask): Task {
  const contact = task.contactid ? store.get<ContactRef>(tenant, kinds.contact, task.contactid) : undefined;
  const category = store.get<TaskCategory>(tenant, kinds.category, task.categoryid) ?? { id: task.categoryid };
  return omitDefaults({
    createBy: user(store, tenant, task.createBy),
    created: task.created,
    contact,
    title: task.title,
    description: task.description || undefined,
    deadLine: task.deadline,
    alertValue: task.alertValue,
    responsible: user(store, tenant, task.responsibleid),
    isClosed: task.isClosed,
    category,
    entity: entity(store, tenant, task),
    canEdit: true, // the sandbox user administers the CRM
    id: task.id,
  });
}

/** A task in the vendor's envelope, fields in the vendor's order (count, status, statusCode, response). */
export function taskEnvelope(store: Store, tenant: string, task: StoredTask): TaskEnvelope {
  return { count: 1, status: 0, statusCode: 200, response: taskView(store, tenant, task) };
}
