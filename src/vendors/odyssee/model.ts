/**
 * What the Odyssee handlers share: the entity kinds the store keeps, what the spec says about an entity's fields
 * (read from the bundled spec, never re-typed), the vendor's date form and the OData context URL.
 */
import type { FastifyRequest } from 'fastify';
import type { components } from '../../generated/odyssee.ts';
import { deref, isRef, type JsonSchema, loadSpec, type OpenApiDocument } from '../../spec/index.ts';

export type Task = components['schemas']['Task'];
export type Job = components['schemas']['Job'];
export type JobPlanning = components['schemas']['JobPlanning'];
export type TaskActivityLog = components['schemas']['TaskActivityLog'];
export type TaskStatus = components['schemas']['TaskStatus'];

/** A stored record: a JSON document with its id. */
export type StoredRecord = Record<string, unknown> & { id: string };

/** The store kind of an Odyssee entity: `odyssee.task`, `odyssee.job_status`, … */
export const kind = (entity: string): string => `odyssee.${entity}`;

/** What the spec declares about one entity schema (a component such as `Task`). */
export interface EntityShape {
  /** Every declared property: what a write keeps (unknown fields are accepted and ignored, x-choice of the schema). */
  readonly properties: ReadonlySet<string>;
  /** Properties typed `format: date-time`: written back in the vendor's date form. */
  readonly dates: ReadonlySet<string>;
  /** Properties that embed another entity (a `$ref` to an object schema). */
  readonly embedded: ReadonlySet<string>;
}

const shapes = new Map<string, EntityShape>();

/** The shape of the component schema `name` in the Odyssee spec. */
export async function entityShape(name: string): Promise<EntityShape> {
  const known = shapes.get(name);
  if (known) return known;
  const doc = await loadSpec('odyssee');
  const shape = shapeOf(doc, name);
  shapes.set(name, shape);
  return shape;
}

export function shapeOf(doc: OpenApiDocument, name: string): EntityShape {
  const schema = doc.components?.schemas?.[name] as { properties?: Record<string, JsonSchema> } | undefined;
  if (!schema?.properties) throw new Error(`odyssee: the spec has no object schema ${name}`);
  const properties = new Set<string>();
  const dates = new Set<string>();
  const embedded = new Set<string>();
  for (const [property, raw] of Object.entries(schema.properties)) {
    properties.add(property);
    if (typeof raw !== 'object') continue;
    if (isRef(raw)) {
      const target = deref<Record<string, unknown>>(doc, raw);
      if (target.type === 'object') embedded.add(property);
    } else if (raw.format === 'date-time') dates.add(property);
  }
  return { properties, dates, embedded };
}

/** Keeps the declared properties of `body` and writes its dates in the vendor's form. */
export function declaredFields(shape: EntityShape, body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(body)) {
    if (!shape.properties.has(field) || value === undefined) continue;
    out[field] = shape.dates.has(field) && typeof value === 'string' ? vendorDate(value) : value;
  }
  return out;
}

const dateTime = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}(?::?\d{2})?)$/i;

/**
 * A date-time in the vendor's form: UTC, 7 fractional digits, `+00:00` (`2026-06-02T05:45:07.0236252+00:00`).
 * The fraction is kept digit for digit (an offset never changes it); a value that is not an RFC 3339 date-time is
 * returned as it is (the schema has refused it before a handler runs).
 */
export function vendorDate(value: string | Date = new Date()): string {
  if (value instanceof Date) return value.toISOString().replace(/Z$/, '0000+00:00');
  const match = dateTime.exec(value);
  if (!match) return value;
  const [, day, time, fraction = '', rawZone = 'Z'] = match;
  const zone =
    rawZone.toUpperCase() === 'Z' ? 'Z' : `${rawZone.slice(0, 3)}:${rawZone.slice(3).replace(':', '') || '00'}`;
  const instant = new Date(`${day}T${time}${zone}`);
  if (Number.isNaN(instant.getTime())) return value;
  return `${instant.toISOString().slice(0, 19)}.${fraction.padEnd(7, '0').slice(0, 7)}+00:00`;
}

/** `date` (any RFC 3339 date-time) plus `minutes`, in the vendor's form, its fractional digits kept. */
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
