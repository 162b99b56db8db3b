/**
 * iVvy's error bodies, filled from the spec's catalogue (`x-errors`: each entry's `message` and the form of its
 * `additionalMessages`, `{param}` the parameter and `{reason}` the validator's message) and the validator's messages
 * (`x-reasons`). Which reason a failure gets is said by the schema that fails (`x-reason`) or by the failing keyword.
 *
 *   23016 `'perPage' does not validate` + ["Value must be a whole number"]      the first invalid parameter only
 *   23017 `'Content-MD5' is required`                                            the first missing one, no lines
 *   24395 `The request contains invalid data` + ["leadId: *Invalid item selected*"]   every field, its first reason
 */

import type { CatalogueEntry, ErrorDetail } from '../../server/errors.ts';
import type { ErrorContext } from '../../server/vendor-module.ts';
import { deref, findOperation, type OpenApiDocument, requestSchemaPointer, resolvePointer } from '../../spec/index.ts';
import { perDocument } from './per-document.ts';

type Schema = Record<string, unknown>;
const isSchema = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The keys of the spec's `x-reasons` the code names (each is checked to exist when the module loads). */
export type ReasonKey =
  | 'required'
  | 'wholeNumber'
  | 'invalidItem'
  | 'atLeast'
  | 'type'
  | 'timestamp'
  | 'md5'
  | 'httpDate';
const REASON_KEYS: readonly ReasonKey[] = [
  'required',
  'wholeNumber',
  'invalidItem',
  'atLeast',
  'type',
  'timestamp',
  'md5',
  'httpDate',
];

/** The spec's `x-reasons`, each key the code names checked to have a text (the vendor's plugin asks at start-up). */
export const reasonTexts = perDocument((doc): Readonly<Record<ReasonKey, string>> => {
  const reasons = (doc as unknown as { 'x-reasons'?: Record<string, unknown> })['x-reasons'] ?? {};
  for (const key of REASON_KEYS) {
    if (typeof reasons[key] !== 'string') throw new Error(`specs/ivvy: x-reasons has no text for ${key}`);
  }
  return reasons as Record<ReasonKey, string>;
});
const isReasonKey = (key: unknown): key is ReasonKey => REASON_KEYS.includes(key as ReasonKey);

const fill = (template: string, vars: Readonly<Record<string, string | number | undefined>>): string =>
  template.replace(/\{(\w+)\}/g, (whole, name: string) => (vars[name] === undefined ? whole : String(vars[name])));

/** A validator message of the spec (`x-reasons`), its `{placeholders}` filled. */
export function reason(
  doc: OpenApiDocument,
  key: ReasonKey,
  vars: Readonly<Record<string, string | number>> = {},
): string {
  return fill(reasonTexts(doc)[key], vars);
}

/** The reason a value that does not match `schema` (by type or form) gets: the schema's own `x-reason`, else its type. */
export function reasonFor(doc: OpenApiDocument, schema: unknown): string {
  const s = isSchema(schema) ? deref<Schema>(doc, schema) : {};
  if (isReasonKey(s['x-reason'])) return reason(doc, s['x-reason']);
  const type = Array.isArray(s.type) ? s.type.join(', ') : String(s.type ?? 'its schema');
  return reason(doc, 'type', { type });
}

/** A property of an object schema, `$ref`s and `allOf` parts followed; an undeclared one is `additionalProperties`. */
function child(doc: OpenApiDocument, schema: unknown, name: string, depth = 0): Schema | undefined {
  const s = isSchema(schema) ? deref<Schema>(doc, schema) : undefined;
  if (!s || depth > 8) return undefined;
  const own = isSchema(s.properties) ? s.properties[name] : undefined;
  if (isSchema(own)) return deref<Schema>(doc, own);
  for (const part of Array.isArray(s.allOf) ? s.allOf : []) {
    const found = child(doc, part, name, depth + 1);
    if (found) return found;
  }
  return isSchema(s.additionalProperties) ? deref<Schema>(doc, s.additionalProperties) : undefined;
}

/** The request body schema of the action the request names (`?action=`), when it names one. */
function bodySchema({ request, doc }: ErrorContext): Schema | undefined {
  const action = (request?.query as Record<string, unknown> | undefined)?.action;
  const located = typeof action === 'string' ? findOperation(doc, action) : undefined;
  const pointer = located ? requestSchemaPointer(doc, located, 'application/json') : undefined;
  return pointer ? deref<Schema>(doc, resolvePointer(doc, pointer) as Schema) : undefined;
}

/** The schema a failing target has: a header parameter's, or the body's field (`filter.name` through `filter`). */
function targetSchema(target: string, context: ErrorContext): Schema | undefined {
  const header = context.route?.entry.parameters.find(
    (p) => p.in === 'header' && p.name.toLowerCase() === target.toLowerCase(),
  );
  if (header) return isSchema(header.schema) ? deref<Schema>(context.doc, header.schema) : undefined;
  let node: Schema | undefined = bodySchema(context);
  for (const segment of target.split(/[.[\]]/).filter(Boolean)) node = node && child(context.doc, node, segment);
  return node;
}

/**
 * The `required` lists of every `anyOf` whose branches all require fields, the group's or the body's own (`allOf`
 * parts followed): the branches of an "Optionally required" group.
 */
function groupBranches(doc: OpenApiDocument, schema: unknown, fits: (field: string) => boolean, depth = 0): string[][] {
  const s = isSchema(schema) ? deref<Schema>(doc, schema) : undefined;
  if (!s || depth > 8) return [];
  const branches: string[][] = [];
  if (Array.isArray(s.anyOf) && s.anyOf.every((b) => isSchema(b) && Array.isArray(b.required))) {
    const fields = (s.anyOf as Schema[]).map((b) => b.required as string[]);
    if (fields.every((f) => f.every(fits))) branches.push(...fields);
  }
  for (const part of Array.isArray(s.allOf) ? s.allOf : []) branches.push(...groupBranches(doc, part, fits, depth + 1));
  return branches;
}

/**
 * The fields an "Optionally required" group (rule ivvy.task.add-requires-name-and-end) misses, as the vendor says
 * it: "Required when id is missing", so the missing fields of the group's largest branch (`name`, `endDatetime`),
 * not the `id` of the branch that would have made it an update.
 */
function groupMisses(detail: ErrorDetail, context: ErrorContext): string[] {
  const group = detail.group ?? [];
  const body = isSchema(context.request?.body) ? context.request.body : {};
  const branches = groupBranches(context.doc, bodySchema(context), (name) => group.includes(name) || name in body);
  const largest = branches.reduce<string[]>((a, b) => (b.length > a.length ? b : a), []);
  const missing = largest.filter((f) => !(f in body));
  return missing.length > 0 ? missing : group;
}

interface Line {
  param: string | undefined;
  reason: string;
}

/** Each detail as the parameter it is about and the validator's message for it. */
function lines(details: readonly ErrorDetail[], context: ErrorContext): Line[] {
  const { doc } = context;
  return details.flatMap((d): Line[] => {
    if (d.keyword === undefined) return [{ param: d.target, reason: d.message }];
    if (d.keyword === 'anyOf' || d.keyword === 'oneOf') {
      return groupMisses(d, context).map((param) => ({ param, reason: reason(doc, 'required') }));
    }
    const schema = d.target ? targetSchema(d.target, context) : undefined;
    switch (d.keyword) {
      case 'required':
      case 'minLength':
        return [{ param: d.target, reason: reason(doc, 'required') }];
      case 'enum':
      case 'const':
        return [{ param: d.target, reason: reason(doc, 'invalidItem') }];
      case 'minimum':
        return [{ param: d.target, reason: reason(doc, 'atLeast', { limit: String(schema?.minimum ?? '') }) }];
      default:
        return [{ param: d.target, reason: reasonFor(doc, schema) }];
    }
  });
}

/** `filter.name` → `filter`: the parameter a nested failure belongs to. */
const topLevel = (param: string | undefined): string | undefined => param?.split(/[.[]/)[0];

/**
 * The error body of a catalogue entry. A message that names the parameter (`{param}`) is about the first failing
 * parameter only, with every reason for it (the vendor's 23016 is "thrown when the first invalid parameter is
 * found"); a `body` failure without a field is the parameter `body`. Otherwise every failing parameter gets one
 * line, with its first reason, in the entry's `additionalMessages` form; an entry without one sends none.
 */
export function errorBody(entry: CatalogueEntry, details: readonly ErrorDetail[], context: ErrorContext): unknown {
  const all = lines(details, context);
  const namesParam = entry.message.includes('{param}');
  const param = namesParam ? (topLevel(all.find((l) => l.param)?.param) ?? 'body') : undefined;
  const chosen = namesParam
    ? all.filter((l) => (topLevel(l.param) ?? 'body') === param)
    : all.filter((l, i) => l.param === undefined || all.findIndex((o) => o.param === l.param) === i);
  const form = typeof entry.additionalMessages === 'string' ? entry.additionalMessages : undefined;
  const messages = [
    ...new Set(
      chosen.map((l) => {
        if (!form) return '';
        // A line about no parameter in particular (`the task could not be saved`) is its reason alone.
        return fill(l.param === undefined ? form.replace('{param}: ', '') : form, { param: l.param, reason: l.reason });
      }),
    ),
  ].filter((m) => m !== '');
  return {
    errorCode: entry.errorCode ?? entry.status,
    message: fill(entry.message, { param }),
    ...(entry.specificCode !== undefined ? { specificCode: entry.specificCode } : {}),
    ...(messages.length > 0 ? { additionalMessages: messages } : {}),
  };
}
