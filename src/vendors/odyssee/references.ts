/**
 * Foreign keys: how a task or a job names the entities it refers to, and how a write resolves them.
 *
 * An entity is named by its id (`task_type_id`), by its ERP key (`task_type_code` → the type's `code`) or embedded
 * whole (`task_type`). Every id and key sent must name an existing entity (one 422 detail per field that does not);
 * when both are sent the id wins. An embedded entity counts only when neither id nor key is sent: it is added or
 * updated by its id (by its key when it has no id; a new id otherwise), the vendor's "Embedded entities". A value
 * that means "not given" (`null`, `""`, the empty GUID: model.ts isUnset) names nothing and is not checked. The
 * stored record keeps only the resolved id (a column); the key and the embedded object are helpers, never stored
 * (the embedded entity lives in its own kind).
 */
import { randomUUID } from 'node:crypto';
import type { ErrorDetail } from '../../server/errors.ts';
import type { Records } from '../../store/store.ts';
import { isUnset, type Job, kind, type StoredRecord, type Task, vendorDate } from './model.ts';

type Field<T> = Extract<keyof T, string>;

export interface Reference<T> {
  /** The entity referred to (store kind `odyssee.<entity>`). */
  entity: string;
  /** The field holding the entity's id. */
  id: Field<T>;
  /** The field naming the entity by an ERP key, and that key's field on the entity. */
  key?: { field: Field<T>; by: string };
  /** The property that may embed the entity. */
  embedded?: Field<T>;
}

/** A task's foreign keys (odyssee.task.foreign-keys-exist); to_id_in_table is checked against its table. */
export const taskReferences: readonly Reference<Task>[] = [
  { entity: 'task_type', id: 'task_type_id', key: { field: 'task_type_code', by: 'code' }, embedded: 'task_type' },
  {
    entity: 'task_status',
    id: 'task_status_id',
    key: { field: 'task_status_reference_back_office', by: 'reference_back_office' },
    embedded: 'task_status',
  },
  {
    entity: 'task_priority',
    id: 'task_priority_id',
    key: { field: 'task_priority_code', by: 'code' },
    embedded: 'task_priority',
  },
  { entity: 'company', id: 'company_id', key: { field: 'company_code', by: 'code' }, embedded: 'company' },
  { entity: 'contact', id: 'contact_id', key: { field: 'contact_code', by: 'code' }, embedded: 'contact' },
  {
    entity: 'company',
    id: 'requested_by_company_id',
    key: { field: 'requested_by_company_code', by: 'code' },
    embedded: 'requested_by_company',
  },
  { entity: 'user', id: 'assigned_to_user_id' },
  { entity: 'user_group', id: 'assigned_to_user_group_id' },
  { entity: 'db_table', id: 'to_db_table_id', key: { field: 'to_db_table_name', by: 'name' } },
];

/** A job's foreign keys (odyssee.job.foreign-keys-exist). */
export const jobReferences: readonly Reference<Job>[] = [
  {
    entity: 'job',
    id: '_parent_id',
    key: { field: '_parent_jobs_reference_back_office', by: 'reference_back_office' },
    embedded: '_parent_job',
  },
  {
    entity: 'project',
    id: 'project_id',
    key: { field: 'project_reference_back_office', by: 'reference_back_office' },
    embedded: 'project',
  },
  { entity: 'job_type', id: 'job_type_id', key: { field: 'job_type_code', by: 'code' }, embedded: 'job_type' },
  {
    entity: 'job_priority',
    id: 'job_priority_id',
    key: { field: 'job_priority_code', by: 'code' },
    embedded: 'job_priority',
  },
  { entity: 'job_status', id: 'job_status_id', key: { field: 'job_status_code', by: 'code' } },
  { entity: 'db_address', id: 'db_address_id' },
  { entity: 'contact', id: 'contact_id' },
  { entity: 'company', id: 'requested_by_company_id' },
  { entity: 'contact', id: 'requested_by_contact_id' },
  {
    entity: 'user',
    id: 'suggested_user_id',
    key: { field: 'suggested_user_code', by: 'code' },
    embedded: 'suggested_user',
  },
  { entity: 'skill', id: 'skill_id', key: { field: 'skill_code', by: 'code' }, embedded: 'skill' },
  { entity: 'user', id: 'approval_responsible_user_id' },
  { entity: 'company', id: 'company_id', key: { field: 'company_code', by: 'code' } },
  {
    entity: 'db_country',
    id: 'db_address_db_country_id',
    key: { field: 'db_address_db_country_code', by: 'code' },
  },
];

export interface Resolution {
  /** The id column of each reference the body names, resolved (`task_type_id` for a `task_type_code`). */
  fields: Record<string, unknown>;
  /** The entity each reference the body touched resolved to, by its id field. */
  resolved: Map<string, StoredRecord>;
  /** One entry per id or key that names nothing. */
  missing: ErrorDetail[];
}

export async function findBy(store: Records, tenant: string, entity: string, by: string, value: unknown) {
  return store.find<StoredRecord>(tenant, kind(entity), by, value);
}

/**
 * Resolves every reference `body` touches. Embedded entities are written (call it inside the write's transaction:
 * when `missing` is not empty the caller throws and the transaction rolls them back).
 */
export async function resolveReferences<T>(
  store: Records,
  tenant: string,
  body: Record<string, unknown>,
  references: readonly Reference<T>[],
  rule: string,
): Promise<Resolution> {
  const fields: Record<string, unknown> = {};
  const resolved = new Map<string, StoredRecord>();
  const missing: ErrorDetail[] = [];
  const lookup: Lookup = { store, tenant, rule, missing };
  for (const ref of references) {
    const entity = await resolveReference(lookup, body, ref);
    if (!entity) continue;
    resolved.set(ref.id, entity);
    fields[ref.id] = entity.id;
  }
  return { fields, resolved, missing };
}

/** Where a write looks its references up, the rule a reference that names nothing breaks, and those found so. */
interface Lookup {
  store: Records;
  tenant: string;
  rule: string;
  missing: ErrorDetail[];
}

/**
 * The entity one reference of `body` resolves to: the one its id names (the id wins), else the embedded entity
 * written when neither id nor key is sent, else the one its key names.
 */
async function resolveReference<T>(
  lookup: Lookup,
  body: Record<string, unknown>,
  ref: Reference<T>,
): Promise<StoredRecord | undefined> {
  const id = body[ref.id];
  const key = ref.key ? body[ref.key.field] : undefined;
  const byId = await namedById(lookup, ref, id);
  const byKey = await namedByKey(lookup, ref, key);
  const embedded = isUnset(id) && isUnset(key) ? embeddedIn(body, ref) : undefined;
  const written = embedded && (await upsertEmbedded(lookup.store, lookup.tenant, ref, embedded));
  return byId ?? written ?? byKey;
}

/** The entity the id sent names; an id that names nothing is missing. */
async function namedById<T>(lookup: Lookup, ref: Reference<T>, id: unknown): Promise<StoredRecord | undefined> {
  if (typeof id !== 'string' || isUnset(id)) return undefined;
  const entity = await lookup.store.get<StoredRecord>(lookup.tenant, kind(ref.entity), id.toLowerCase());
  if (!entity) lookup.missing.push({ target: ref.id, message: `no ${ref.entity} with id ${id}`, rule: lookup.rule });
  return entity;
}

/** The entity the ERP key sent names; a key that names nothing is missing. */
async function namedByKey<T>(lookup: Lookup, ref: Reference<T>, key: unknown): Promise<StoredRecord | undefined> {
  if (!ref.key || isUnset(key)) return undefined;
  const entity = await findBy(lookup.store, lookup.tenant, ref.entity, ref.key.by, key);
  if (!entity) {
    const message = `no ${ref.entity} with ${ref.key.by} "${key}"`;
    lookup.missing.push({ target: ref.key.field, message, rule: lookup.rule });
  }
  return entity;
}

/** The entity `body` embeds for the reference, when it embeds one (an object). */
function embeddedIn<T>(body: Record<string, unknown>, ref: Reference<T>): Record<string, unknown> | undefined {
  const embedded = ref.embedded ? body[ref.embedded] : undefined;
  return typeof embedded === 'object' && embedded !== null ? (embedded as Record<string, unknown>) : undefined;
}

async function upsertEmbedded<T>(
  store: Records,
  tenant: string,
  ref: Reference<T>,
  embedded: Record<string, unknown>,
): Promise<StoredRecord> {
  const entityKind = kind(ref.entity);
  const id = typeof embedded.id === 'string' && !isUnset(embedded.id) ? embedded.id.toLowerCase() : undefined;
  const existing =
    (id ? await store.get<StoredRecord>(tenant, entityKind, id) : undefined) ??
    (!id && ref.key && !isUnset(embedded[ref.key.by])
      ? await findBy(store, tenant, ref.entity, ref.key.by, embedded[ref.key.by])
      : undefined);
  const record: StoredRecord = {
    ...existing,
    ...embedded,
    id: id ?? existing?.id ?? randomUUID(),
    modified_dateutc: vendorDate(),
  };
  await store.put(tenant, entityKind, record.id, record);
  return record;
}
