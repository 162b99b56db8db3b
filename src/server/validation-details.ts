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
  for (const e of errors ?? []) {
    // An anyOf/oneOf failure is reported once, by its own message, not by each branch's.
    let target = parsePointer(e.instancePath).reduce(
      (path, seg) => (/^\d+$/.test(seg) ? `${path}[${seg}]` : path ? `${path}.${seg}` : seg),
      '',
    );
    let message = e.message ?? 'is invalid';
    if (e.keyword === 'required') {
      const missing = (e.params as { missingProperty: string }).missingProperty;
      if (e.schemaPath.includes('anyOf') || e.schemaPath.includes('oneOf')) continue;
      target = target ? `${target}.${missing}` : missing;
      message = 'is required';
    }
    if (e.keyword === 'enum') {
      const allowed = (e.params as { allowedValues?: unknown[] }).allowedValues ?? [];
      message = `must be one of: ${allowed.map(String).join(', ')}`;
    }
    let group: string[] = [];
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf') {
      group = groupNames(e, errors ?? []);
      message = group.length ? `one of ${group.join(', ')} must be provided` : (e.message ?? 'is invalid');
    }
    if (e.keyword === 'additionalProperties') {
      // Name the unknown field itself (`endDateTime`), not the object that holds it.
      const extra = (e.params as { additionalProperty: string }).additionalProperty;
      target = target ? `${target}.${extra}` : extra;
    }
    if (part !== 'body' && target === '') target = part;
    const key = `${target}|${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    details.push({
      ...(target ? { target } : {}),
      part,
      message,
      keyword: e.keyword,
      ...(group.length ? { group } : {}),
    });
  }
  return details;
}

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
