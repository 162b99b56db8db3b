import { isObject } from './json.ts';
import { deref, isRef } from './load.ts';
import type { OpenApiDocument } from './types.ts';

type Schema = Record<string, unknown>;

/**
 * The keys of `value` (recursively, as `a.b[0].c` paths) that the schema does not describe: no `properties` entry
 * in the schema or any of its `allOf`/`anyOf`/`oneOf` branches, and no `additionalProperties` schema to cover them.
 */
export function undescribedKeys(doc: OpenApiDocument, schema: unknown, value: unknown, path = '$'): string[] {
  const schemas = expand(doc, schema);
  if (Array.isArray(value)) {
    const items = schemas.map((s) => s.items).filter((s) => s !== undefined);
    return value.flatMap((item, i) =>
      items.length ? intersect(items.map((s) => undescribedKeys(doc, s, item, `${path}[${i}]`))) : [],
    );
  }
  if (!isObject(value)) return [];
  const missing: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    const candidates = schemas.flatMap((s) => {
      if (isObject(s.properties) && key in s.properties) return [s.properties[key]];
      if (isObject(s.additionalProperties)) return [s.additionalProperties];
      return [];
    });
    if (candidates.length === 0) missing.push(`${path}.${key}`);
    else missing.push(...intersect(candidates.map((c) => undescribedKeys(doc, c, child, `${path}.${key}`))));
  }
  return missing;
}

/** The schema and every schema it is made of, refs followed. */
function expand(doc: OpenApiDocument, schema: unknown, seen = new Set<unknown>()): Schema[] {
  const resolved = isRef(schema) ? deref<unknown>(doc, schema) : schema;
  if (!isObject(resolved) || seen.has(resolved)) return [];
  seen.add(resolved);
  const parts: Schema[] = [resolved];
  for (const key of ['allOf', 'anyOf', 'oneOf']) {
    const list = resolved[key];
    if (Array.isArray(list)) for (const sub of list) parts.push(...expand(doc, sub, seen));
  }
  for (const key of ['then', 'else']) if (resolved[key]) parts.push(...expand(doc, resolved[key], seen));
  return parts;
}

function intersect(lists: string[][]): string[] {
  const [first, ...rest] = lists;
  return (first ?? []).filter((k) => rest.every((l) => l.includes(k)));
}
