import type { ErrorObject } from 'ajv';
import { parsePointer } from '../spec/json.ts';
import type { ErrorDetail } from './errors.ts';

/**
 * AJV errors as the failing fields they name (`subject`, `project.name`, `translations[0].value_translated`), each
 * with the keyword that failed, so a vendor can tell which `x-rules` entry it breaks (src/spec/rule-links.ts).
 */
export function validationDetails(
  errors: ErrorObject[] | null | undefined,
  part: 'body' | 'path' | 'query' | 'header',
): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  const seen = new Set<string>();
  // An anyOf/oneOf failure is reported once, by its own message, not by each branch's.
  for (const e of (errors ?? []).filter((e) => !branchOfGroup(e))) {
    const failed = describe(e, errors ?? []);
    const target = part !== 'body' && failed.target === '' ? part : failed.target;
    const key = `${target}|${failed.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    details.push({
      ...(target ? { target } : {}),
      part,
      message: failed.message,
      keyword: e.keyword,
      ...(failed.group.length ? { group: failed.group } : {}),
    });
  }
  return details;
}

/** One AJV error as the field it names, what is wrong with it, and, for an anyOf/oneOf, the fields of the group. */
function describe(e: ErrorObject, all: ErrorObject[]): { target: string; message: string; group: string[] } {
  const at = fieldPath(e.instancePath);
  const message = e.message ?? 'is invalid';
  switch (e.keyword) {
    case 'required':
      return {
        target: field(at, (e.params as { missingProperty: string }).missingProperty),
        message: 'is required',
        group: [],
      };
    case 'enum': {
      const allowed = (e.params as { allowedValues?: unknown[] }).allowedValues ?? [];
      return { target: at, message: `must be one of: ${allowed.map(String).join(', ')}`, group: [] };
    }
    case 'anyOf':
    case 'oneOf': {
      const group = groupNames(e, all);
      return { target: at, message: group.length ? `one of ${group.join(', ')} must be provided` : message, group };
    }
    case 'additionalProperties':
      // Name the unknown field itself (`endDateTime`), not the object that holds it.
      return { target: field(at, (e.params as { additionalProperty: string }).additionalProperty), message, group: [] };
    default:
      return { target: at, message, group: [] };
  }
}

/** A `required` failure inside an anyOf/oneOf: one branch's, which the group's own failure stands for. */
const branchOfGroup = (e: ErrorObject): boolean =>
  e.keyword === 'required' && (e.schemaPath.includes('anyOf') || e.schemaPath.includes('oneOf'));

/** A JSON pointer as a field path: `/translations/0/value` → `translations[0].value`. */
const fieldPath = (pointer: string): string =>
  parsePointer(pointer).reduce(
    (path, seg) => (/^\d+$/.test(seg) ? `${path}[${seg}]` : path ? `${path}.${seg}` : seg),
    '',
  );

/** A field of the object at `path` (the root when `path` is empty). */
const field = (path: string, name: string): string => (path ? `${path}.${name}` : name);

/** The fields of a failed "Optionally required" group: the `required` errors under that anyOf. */
function groupNames(group: ErrorObject, all: ErrorObject[]): string[] {
  return all
    .filter(
      (e) =>
        e.keyword === 'required' &&
        e.schemaPath.startsWith(`${group.schemaPath}/`) &&
        e.instancePath === group.instancePath,
    )
    .map((e) => (e.params as { missingProperty: string }).missingProperty);
}
