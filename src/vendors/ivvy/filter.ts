/**
 * getTaskList's `filter` (spec: GetTaskListRequest `filter`, rule ivvy.task-list.filter): each key a task field with an
 * optional modifier, each value what the field must hold; a task is listed when it matches every key. Text compares
 * without letter case, numbers as numbers, timestamps with or without ` UTC`; a key that names no task field is
 * ignored.
 */
import { deref, type OpenApiDocument } from '../../spec/index.ts';
import { perDocument } from './per-document.ts';

export type FilterValue = string | number | boolean | null;
type Row = Readonly<Record<string, unknown>>;

type Schema = Record<string, unknown>;

const text = (v: unknown): string => (v === null || v === undefined ? '' : String(v).toLowerCase());
const TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}( UTC)?$/i;
const comparable = (v: unknown): string => {
  const t = text(v);
  return TIMESTAMP.test(t) ? t.replace(/ utc$/, '') : t;
};
const isNumber = (v: unknown): boolean =>
  (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim()));

/** <0, 0, >0: numbers as numbers, anything else as text without letter case (timestamps with or without ` UTC`). */
function compare(value: unknown, wanted: FilterValue): number {
  if (isNumber(value) && isNumber(wanted)) return Number(value) - Number(wanted);
  const [a, b] = [comparable(value), comparable(wanted)];
  return a < b ? -1 : a > b ? 1 : 0;
}

const isEmpty = (value: unknown): boolean => value === null || value === undefined || value === '';
const truthy = (wanted: FilterValue): boolean => ['true', '1'].includes(text(wanted));

type Test = (value: unknown, wanted: FilterValue) => boolean;

/**
 * What each modifier (the spec's `x-modifiers`) asks of a field's value; `''` is no modifier: equality. `isNull`
 * says whether a wanted value asks for null (null itself, or the spec's `x-null-value`).
 */
const testsFor = (isNull: (wanted: FilterValue) => boolean): Record<string, Test> => ({
  '': (value, wanted) => (isNull(wanted) ? value === null : value !== null && compare(value, wanted) === 0),
  __NOT: (value, wanted) => (isNull(wanted) ? value !== null : value === null || compare(value, wanted) !== 0),
  __CONTAINS: (value, wanted) => value !== null && text(value).includes(text(wanted)),
  __NOTCONTAINS: (value, wanted) => value === null || !text(value).includes(text(wanted)),
  __BEGINS: (value, wanted) => value !== null && text(value).startsWith(text(wanted)),
  __ENDS: (value, wanted) => value !== null && text(value).endsWith(text(wanted)),
  __LESSTHAN: (value, wanted) => value !== null && !isNull(wanted) && compare(value, wanted) <= 0,
  __GREATERTHAN: (value, wanted) => value !== null && !isNull(wanted) && compare(value, wanted) >= 0,
  __EMPTY: (value, wanted) => isEmpty(value) === truthy(wanted),
});

interface FilterRules {
  /** The fields a filter key may name: the properties of the spec's `Task`. */
  fields: ReadonlySet<string>;
  tests: Readonly<Record<string, Test>>;
  /** The modifiers longest first, so `__NOTCONTAINS` is not read as a field ending in `__NOT…`. */
  modifiers: readonly string[];
}

/**
 * The filter as the spec describes it (GetTaskListRequest `filter`, its `x-modifiers` and `x-null-value`), checked
 * to be the one implemented here (the vendor's plugin asks at start-up).
 */
export const filterRules = perDocument((doc: OpenApiDocument): FilterRules => {
  const schemas = doc.components?.schemas as Record<string, Schema>;
  const request = deref<Schema>(doc, schemas.GetTaskListRequest as Schema);
  const filterSchema = deref<Schema>(doc, (request.properties as Schema).filter as Schema);
  /** The value that matches null (`__ISNULL__`). */
  const nullValue = filterSchema['x-null-value'] as string;
  const tests = testsFor((wanted) => wanted === null || wanted === nullValue);
  const specModifiers = filterSchema['x-modifiers'] as string[];
  const implemented = Object.keys(tests).filter((m) => m !== '');
  if (typeof nullValue !== 'string' || [...specModifiers].sort().join() !== [...implemented].sort().join()) {
    throw new Error(
      `specs/ivvy: filter x-modifiers ${specModifiers.join(', ')} are not the ones implemented: ${implemented.join(', ')}`,
    );
  }
  return {
    fields: new Set(Object.keys(deref<Schema>(doc, schemas.Task as Schema).properties as Schema)),
    tests,
    modifiers: [...implemented].sort((a, b) => b.length - a.length),
  };
});

/** The field a filter key names and what it asks of it; undefined for a key that names no task field. */
function condition(rules: FilterRules, key: string): { field: string; test: Test } | undefined {
  const modifier = rules.modifiers.find((m) => key.endsWith(m) && key.length > m.length) ?? '';
  const field = key.slice(0, key.length - modifier.length);
  const test = rules.tests[modifier];
  return rules.fields.has(field) && test ? { field, test } : undefined;
}

/** Whether a task matches every key of the filter (keys naming no task field are ignored). */
export function matchesFilter(
  doc: OpenApiDocument,
  task: Row,
  filter: Readonly<Record<string, FilterValue>> | null | undefined,
): boolean {
  const rules = filterRules(doc);
  for (const [key, wanted] of Object.entries(filter ?? {})) {
    const found = condition(rules, key);
    if (found && !found.test(task[found.field], wanted)) return false;
  }
  return true;
}
