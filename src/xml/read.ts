/**
 * Reading a parsed XML value against its schema: one reader for the sandbox's request bodies, the mock's XML
 * examples and the contract suite's XML answers, so a body cannot pass one and fail another.
 *
 * XML does not say what JSON says. The parser (parse.ts) gives every leaf as a string and every element with
 * children as an object; the schema says what each is. The validator coerces the scalars (`<is_closed>true` is
 * `true`: AJV's `coerceTypes`); this reader does the rest where the schema wants an object or an array: an empty
 * element (`<data></data>`, parsed as '') is an empty object or array, a wrapper element
 * (`<details><detail>…</detail></details>`, .NET's DataContract form of a list) is the list of its children, and a
 * single element where a list is wanted is a list of one.
 */
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { isObject, parsePointer } from '../spec/json.ts';

/** Rounds of reading again; each changes at least one element, so a body of n elements needs at most n. */
const MAX_ROUNDS = 100;

/**
 * Validates a parsed XML value with a coercing validator, reading it again where the schema wants an object or an
 * array (in place). Returns whether it is valid; the validator's `errors` are the last round's.
 */
export function validateXmlValue(value: unknown, validate: ValidateFunction): boolean {
  for (let round = 0; round < MAX_ROUNDS; round++) {
    if (validate(value)) return true;
    if (!readAgain(value, validate.errors ?? [])) return false;
  }
  return false;
}

/** Reads again every element a `type` error says should be an object or an array; whether any changed. */
function readAgain(value: unknown, errors: readonly ErrorObject[]): boolean {
  let changed = false;
  for (const e of errors) {
    if (e.keyword === 'type' && e.instancePath !== '' && readElementAgain(value, e)) changed = true;
  }
  return changed;
}

/** The element one `type` error points at, read again as the object or array it wants; whether it changed. */
function readElementAgain(value: unknown, error: ErrorObject): boolean {
  const wanted = (error.params as { type?: string | string[] }).type;
  const types = Array.isArray(wanted) ? wanted : [wanted];
  const keys = parsePointer(error.instancePath);
  const last = keys.pop() as string;
  const container = containerAt(value, keys);
  if (!container) return false;
  const read = asSchemaType(container[last], types);
  if (read === undefined) return false;
  container[last] = read;
  return true;
}

/** The object or array at a path of keys; undefined when the path leads elsewhere. */
function containerAt(value: unknown, keys: readonly string[]): Record<string, unknown> | undefined {
  let parent: unknown = value;
  for (const key of keys) parent = isObject(parent) || Array.isArray(parent) ? (parent as never)[key] : undefined;
  return isObject(parent) || Array.isArray(parent) ? (parent as Record<string, unknown>) : undefined;
}

function asSchemaType(current: unknown, types: readonly (string | undefined)[]): unknown {
  if (types.includes('array') && !Array.isArray(current)) {
    if (current === '') return [];
    const keys = isObject(current) ? Object.keys(current) : [];
    if (isObject(current) && keys.length === 1) {
      const inner = current[keys[0] as string];
      return Array.isArray(inner) ? inner : [inner];
    }
    return [current];
  }
  if (types.includes('object') && current === '') return {};
  return undefined;
}
