/**
 * What the Odyssee handlers share: the entity kinds the store keeps, what the spec says about an entity's fields
 * (read from the bundled spec, never re-typed), the vendor's date form, column defaults and the OData context URL.
 */
import type { FastifyRequest } from 'fastify';
import type { components } from '../../generated/odyssee.ts';
import { deref, isRef, type JsonSchema, type OpenApiDocument } from '../../spec/index.ts';

export type Task = components['schemas']['Task'];
export type Job = components['schemas']['Job'];
export type JobPlanning = components['schemas']['JobPlanning'];
export type TaskActivityLog = components['schemas']['TaskActivityLog'];
export type TaskStatus = components['schemas']['TaskStatus'];

/** A stored record: a JSON document with its id. */
export type StoredRecord = Record<string, unknown> & { id: string };

/** The store kind of an Odyssee entity: `odyssee.task`, `odyssee.job_status`, … */
export const kind = (entity: string): string => `odyssee.${entity}`;

/** .NET's `Guid.Empty`: what the vendor answers for a foreign key that is not set (HandlingErrors' examples). */
export const EMPTY_GUID = '00000000-0000-0000-0000-000000000000';

/** The component every date field `$ref`s (its pattern is the accepted forms, its `default` the empty date). */
const DATE_TIME = '#/components/schemas/DateTime';

/** What the spec declares about one entity schema (a component such as `Task`). */
export interface EntityShape {
  /** Every declared property, in the spec's order: what an answer carries. */
  readonly properties: readonly string[];
  /** Properties `$ref`ing DateTime: written back in the vendor's date form. */
  readonly dates: ReadonlySet<string>;
  /** Properties that embed another entity (a `$ref` to an object schema). */
  readonly embedded: ReadonlySet<string>;
  /**
   * `x-helper` properties: an ERP key or an embedded entity, not a column; never stored. An answer carries the ERP
   * keys as `null` and leaves the embedded entities out.
   */
  readonly helpers: ReadonlySet<string>;
  /** Each column's value when it was never set (the schema's `default`, else the vendor's default of its type). */
  readonly defaults: Readonly<Record<string, unknown>>;
}

/** Each document's entity shapes by schema name, worked out once per document (handlers get it as `ctx.doc`). */
const shapes = new WeakMap<OpenApiDocument, Map<string, EntityShape>>();

/** The shape of the component schema `name` in `doc`, the Odyssee spec the pipeline loaded. */
export function entityShape(doc: OpenApiDocument, name: string): EntityShape {
  let known = shapes.get(doc);
  if (!known) {
    known = new Map();
    shapes.set(doc, known);
  }
  let shape = known.get(name);
  if (!shape) {
    shape = shapeOf(doc, name);
    known.set(name, shape);
  }
  return shape;
}

type Schema = Record<string, unknown>;

/** Whether a property embeds another entity: a `$ref` to an object schema (`task_type` → TaskType). */
function embeds(doc: OpenApiDocument, raw: Schema): boolean {
  return isRef(raw) && deref<Schema>(doc, raw).type === 'object';
}

/**
 * The vendor's default of a column (LinkErp: "There are no null values on the database, all fields have a default
 * value (boolean=false,numeric=0,datetime=1980-1-1)"; its answers show `""` for a string and the empty GUID for a
 * foreign key): the schema's own `default` first (DateTime, Int32), else by type.
 */
function defaultOf(doc: OpenApiDocument, raw: Schema): unknown {
  const schema = deref<Schema>(doc, raw);
  if (schema.default !== undefined) return schema.default;
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type === 'boolean') return false;
  if (type === 'integer' || type === 'number') return 0;
  if (type === 'string') return schema.format === 'uuid' ? EMPTY_GUID : '';
  return null;
}

/** The properties of an object schema, its own and those of its `allOf` parts (`Task` = TaskFields + rules). */
function propertiesOf(doc: OpenApiDocument, raw: unknown): Record<string, JsonSchema> {
  const schema = isRef(raw) ? deref<Schema>(doc, raw) : (raw as Schema | undefined);
  if (typeof schema !== 'object' || schema === null) return {};
  const parts = Array.isArray(schema.allOf) ? schema.allOf : [];
  return Object.assign(
    {},
    ...parts.map((part) => propertiesOf(doc, part)),
    (schema.properties ?? {}) as Record<string, JsonSchema>,
  );
}

export function shapeOf(doc: OpenApiDocument, name: string): EntityShape {
  const all = propertiesOf(doc, doc.components?.schemas?.[name]);
  if (Object.keys(all).length === 0) throw new Error(`odyssee: the spec has no object schema ${name}`);
  const properties: string[] = [];
  const dates = new Set<string>();
  const embedded = new Set<string>();
  const helpers = new Set<string>();
  const defaults: Record<string, unknown> = {};
  for (const [property, raw] of Object.entries(all)) {
    properties.push(property);
    if (typeof raw !== 'object') continue;
    const prop = raw as Schema;
    if (embeds(doc, prop)) embedded.add(property);
    if (isRef(prop) && prop.$ref === DATE_TIME) dates.add(property);
    if (prop['x-helper'] === true) helpers.add(property);
    else defaults[property] = defaultOf(doc, prop);
  }
  return { properties, dates, embedded, helpers, defaults };
}

/** Whether a value sent for a field means "not given": absent, `null`, `""` or the empty GUID. */
export function isUnset(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    value === '' ||
    (typeof value === 'string' && value.toLowerCase() === EMPTY_GUID)
  );
}

/** The columns `body` sends (declared, not helpers), dates in the vendor's form. Unknown fields are left out. */
export function columnsOf(shape: EntityShape, body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(body)) {
    if (!(field in shape.defaults) || value === undefined || value === null) continue;
    out[field] = shape.dates.has(field) && typeof value === 'string' ? vendorDate(value) : value;
  }
  return out;
}

/** A stored record with every column: what it has, each missing column at its default; helpers left out. */
export function completeRecord(shape: EntityShape, record: Record<string, unknown>): StoredRecord {
  const out: Record<string, unknown> = {};
  for (const property of shape.properties) {
    if (shape.helpers.has(property)) continue;
    const value = record[property];
    out[property] = value === undefined || value === null ? shape.defaults[property] : value;
  }
  return out as StoredRecord;
}

/**
 * An entity as an answer carries it (TaskAnswer, JobAnswer, …): every property in the spec's order, each column
 * with its stored value or its default, each ERP-key helper `null`; the embedded entities are left out.
 */
export function answerOf(shape: EntityShape, record: Record<string, unknown>): StoredRecord {
  const complete = completeRecord(shape, record);
  return Object.fromEntries(
    shape.properties
      .filter((p) => !(shape.helpers.has(p) && shape.embedded.has(p)))
      .map((p) => [p, shape.helpers.has(p) ? null : complete[p]]),
  ) as StoredRecord;
}

const dateTime = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * A date-time in the vendor's answer form: UTC, 7 fractional digits, `+00:00` (`2026-06-02T05:45:07.0236252+00:00`).
 * A value without a zone is UTC (the DateTime schema's x-choice). The fraction is kept digit for digit (an offset
 * never changes it). A value the DateTime schema does not take (it has refused it before a handler runs), or one
 * whose instant falls outside the years 1 to 9999, is returned as it is.
 */
export function vendorDate(value: string | Date = new Date()): string {
  if (value instanceof Date) return `${value.toISOString().slice(0, -1)}0000+00:00`;
  // The same dates come back request after request (a partner resends its task): each is worked out once.
  let known = vendorDates.get(value);
  if (known === undefined) {
    known = toVendorDate(value);
    if (vendorDates.size >= VENDOR_DATES) vendorDates.delete(vendorDates.keys().next().value as string);
    vendorDates.set(value, known);
  }
  return known;
}

/** Date-time values sent → their vendor form; at most VENDOR_DATES of them, the oldest going first. */
const vendorDates = new Map<string, string>();
const VENDOR_DATES = 1000;

function toVendorDate(value: string): string {
  const match = dateTime.exec(value);
  if (!match) return value;
  const [, day, time, fraction = '', zone = 'Z'] = match;
  const instant = new Date(`${day}T${time}${zone}`);
  const iso = Number.isNaN(instant.getTime()) ? '' : instant.toISOString();
  if (!/^\d{4}-/.test(iso) || iso.startsWith('0000')) return value;
  return `${iso.slice(0, 19)}.${fraction.padEnd(7, '0').slice(0, 7)}+00:00`;
}

/** `date` (a DateTime value) plus `minutes`, in the vendor's form, its fractional digits kept. */
export function addMinutes(date: string, minutes: number): string {
  const normal = vendorDate(date);
  const instant = new Date(`${normal.slice(0, 19)}Z`);
  instant.setUTCMinutes(instant.getUTCMinutes() + minutes);
  return `${instant.toISOString().slice(0, 19)}${normal.slice(19)}`;
}

/** The service root of this request, where it came in up to `/api/` (`http://127.0.0.1:3000/odyssee`). */
export function serviceRoot(request: FastifyRequest): string {
  const path = request.url.split('?')[0] ?? '';
  return `${request.protocol}://${request.host}${path.slice(0, Math.max(0, path.indexOf('/api/')))}`;
}

/** The OData context URL of an answer: `<service root>/api/$metadata#<fragment>` (`Task/$entity`, `job_planning`). */
export function odataContext(request: FastifyRequest, fragment: string): string {
  return `${serviceRoot(request)}/api/$metadata#${fragment}`;
}
