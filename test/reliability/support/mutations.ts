/**
 * One-field mutations of a valid body: every field (at any depth, bounded) removed, set to another type, to a huge
 * string, to null, to a nested object, to an array, to an empty string or to an object carrying `__proto__`.
 */
import { objectOf } from './arbitraries.ts';
import type { Json, JsonObject } from './targets.ts';

export type FieldPath = readonly (string | number)[];

export interface Mutation {
  name: string;
  /** The new value for the current one; `removed` deletes the field. */
  apply: (current: Json) => Json | typeof removed;
}

export const removed: unique symbol = Symbol('removed');

/** A value of another JSON type than `value`. */
export function anotherType(value: Json): Json {
  if (typeof value === 'string') return 12345;
  if (typeof value === 'number') return 'not a number';
  if (typeof value === 'boolean') return 'true';
  if (value === null) return 0;
  if (Array.isArray(value)) return { not: 'an array' };
  return 'not an object';
}

export function mutations(hugeLength: number): Mutation[] {
  return [
    { name: 'removed', apply: () => removed },
    { name: 'another type', apply: anotherType },
    { name: 'a huge string', apply: () => 'x'.repeat(hugeLength) },
    { name: 'null', apply: () => null },
    { name: 'a nested object', apply: (current) => ({ nested: { deeper: { value: current } } }) },
    { name: 'an array', apply: (current) => [current, current] },
    { name: 'an empty string', apply: () => '' },
    {
      name: 'an object with __proto__ and constructor keys',
      apply: () =>
        objectOf([
          ['__proto__', { polluted: 'yes' }],
          ['constructor', { prototype: { polluted: 'yes' } }],
        ]) as Json,
    },
  ];
}

/** Paths of every field of `value` (object properties and array items), down to `maxDepth` levels. */
export function fieldPaths(value: Json, maxDepth = 3, prefix: FieldPath = []): FieldPath[] {
  if (prefix.length >= maxDepth || value === null || typeof value !== 'object') return [];
  const entries: [string | number, Json][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return entries.flatMap(([key, child]) => {
    const path = [...prefix, key];
    return [path, ...fieldPaths(child, maxDepth, path)];
  });
}

/** A deep copy of `base` with the field at `path` replaced by `value` (or removed). */
export function withField(base: JsonObject, path: FieldPath, value: Json | typeof removed): JsonObject {
  const copy = structuredClone(base);
  let parent: Json = copy;
  for (const key of path.slice(0, -1)) parent = (parent as Record<string | number, Json>)[key] as Json;
  const last = path[path.length - 1] as string | number;
  if (Array.isArray(parent)) {
    if (value === removed) parent.splice(last as number, 1);
    else parent[last as number] = value;
  } else if (parent !== null && typeof parent === 'object') {
    if (value === removed) delete (parent as JsonObject)[last as string];
    else Object.defineProperty(parent, last, { value, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

export function fieldAt(base: JsonObject, path: FieldPath): Json {
  let node: Json = base;
  for (const key of path) node = (node as Record<string | number, Json>)[key] as Json;
  return node;
}
