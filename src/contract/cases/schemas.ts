/** What the negative cases read of a request schema: its top-level shape, and values that break one keyword. */
import { deref, type JsonSchema, type OpenApiDocument } from '../../spec/index.ts';
import { isObject } from '../../spec/json.ts';

export { isObject };

export type Schema = Record<string, unknown>;

export type Flat = { properties: Record<string, Schema>; required: string[]; groups: string[][] };

/** An `anyOf` whose every branch only lists required fields ("one of these is required"). */
const isRequiredGroup = (anyOf: unknown): anyOf is Schema[] =>
  Array.isArray(anyOf) && anyOf.every((b) => isObject(b) && Array.isArray(b.required) && !b.properties);

/** Adds one schema's own properties, required fields and required groups to `out` (a property seen first wins). */
function collect(doc: OpenApiDocument, s: Schema, out: Flat): void {
  if (isObject(s.properties))
    for (const [k, v] of Object.entries(s.properties)) out.properties[k] ??= deref<Schema>(doc, v as Schema);
  if (Array.isArray(s.required)) out.required.push(...(s.required as string[]));
  if (isRequiredGroup(s.anyOf)) out.groups.push(s.anyOf.flatMap((b) => b.required as string[]));
}

/** The top-level view of an object schema: its properties, required fields and required-only anyOf groups. */
export function flatten(doc: OpenApiDocument, schema: unknown): Flat {
  const out: Flat = { properties: {}, required: [], groups: [] };
  const visit = (node: unknown, depth: number) => {
    const s = deref<unknown>(doc, node as Schema);
    if (!isObject(s) || depth > 6) return;
    collect(doc, s, out);
    if (Array.isArray(s.allOf)) for (const sub of s.allOf) visit(sub, depth + 1);
  };
  visit(schema, 0);
  return out;
}

/** JSON types and a value of each, for a schema that allows several types. */
const typedValues: [string, unknown][] = [
  ['integer', 12345],
  ['string', 'not a number'],
  ['boolean', true],
  ['object', {}],
  ['array', []],
  ['null', null],
];

/** A value of the wrong type for each single JSON type. */
const wrongForType: Record<string, unknown> = {
  string: 12345,
  integer: 'not a number',
  number: 'not a number',
  boolean: 'not a boolean',
  array: 'not an array',
  object: 'not an object',
};

/** A value of the wrong JSON type for a schema (for a list of types, one of a type the list does not allow). */
export function wrongType(schema: Schema): unknown {
  if (Array.isArray(schema.type)) {
    const allowed = new Set(schema.type as string[]);
    if (allowed.has('number')) allowed.add('integer');
    return typedValues.find(([type]) => !allowed.has(type))?.[1];
  }
  return typeof schema.type === 'string' && Object.hasOwn(wrongForType, schema.type)
    ? wrongForType[schema.type]
    : undefined;
}

/** A value outside an enum, of the enum's own type. */
export function outsideEnum(values: unknown[]): unknown {
  if (values.every((v) => typeof v === 'number')) return Math.max(...(values as number[])) + 1000;
  return `${String(values[0] ?? 'x')}-not-allowed`;
}

/** The allowed values of a schema: its `enum`, or an allOf/anyOf/oneOf of `const`s, at any depth of those. */
export function schemaEnum(doc: OpenApiDocument, schema: Schema): unknown[] | undefined {
  if (Array.isArray(schema.enum)) return schema.enum;
  for (const key of ['allOf', 'anyOf', 'oneOf']) {
    const list = schema[key];
    if (!Array.isArray(list)) continue;
    const consts = list.map((b) => deref<Schema>(doc, b as Schema)).filter((b) => 'const' in b);
    if (consts.length === list.length && consts.length > 0) return consts.map((b) => b.const);
    for (const b of list) {
      const found = schemaEnum(doc, deref<Schema>(doc, b as Schema));
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * The keyword a malformed path parameter (`not-valid`) fails: `type` for a number, else its `format` or `pattern`.
 */
export function malformedKeyword(schema: JsonSchema | undefined): string | undefined {
  if (!isObject(schema)) return undefined;
  if (schema.type === 'integer' || schema.type === 'number') return 'type';
  if (schema.format) return 'format';
  return schema.pattern ? 'pattern' : undefined;
}
