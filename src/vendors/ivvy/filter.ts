/**
 * getTaskList's `filter` (spec: GetTaskListRequest `filter`, rule ivvy.task-list.filter): each key a task field with an
 * optional modifier, each value what the field must hold; a task is listed when it matches every key. Text compares
 * without letter case, numbers as numbers, timestamps with or without ` UTC`; a key that names no task field is
 * ignored.
 */
import { deref } from '../../spec/index.ts';
import { spec } from './messages.ts';

export type FilterValue = string | number | boolean | null;
type Row = Readonly<Record<string, unknown>>;

type Schema = Record<string, unknown>;
const schemas = spec.components?.schemas as Record<string, Schema>;
const filterSchema = deref<Schema>(
  spec,
  (deref<Schema>(spec, schemas.GetTaskListRequest as Schema).properties as Schema).filter as Schema,
);

/** The fields a filter key may name: the properties of the spec's `Task`. */
const FIELDS = new Set(Object.keys(deref<Schema>(spec, schemas.Task as Schema).properties as Schema));
/** The value that matches null (`__ISNULL__`). */
const NULL_VALUE = filterSchema['x-null-value'] as string;

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

const isNull = (wanted: FilterValue): boolean => wanted === null || wanted === NULL_VALUE;
const isEmpty = (value: unknown): boolean => value === null || value === undefined || value === '';
const truthy = (wanted: FilterValue): boolean => ['true', '1'].includes(text(wanted));

/** What each modifier (the spec's `x-modifiers`) asks of a field's value; `''` is no modifier: equality. */
const TESTS: Record<string, (value: unknown, wanted: FilterValue) => boolean> = {
  '': (value, wanted) => (isNull(wanted) ? value === null : value !== null && compare(value, wanted) === 0),
  __NOT: (value, wanted) => (isNull(wanted) ? value !== null : value === null || compare(value, wanted) !== 0),
  __CONTAINS: (value, wanted) => value !== null && text(value).includes(text(wanted)),
  __NOTCONTAINS: (value, wanted) => value === null || !text(value).includes(text(wanted)),
  __BEGINS: (value, wanted) => value !== null && text(value).startsWith(text(wanted)),
  __ENDS: (value, wanted) => value !== null && text(value).endsWith(text(wanted)),
  __LESSTHAN: (value, wanted) => value !== null && !isNull(wanted) && compare(value, wanted) <= 0,
  __GREATERTHAN: (value, wanted) => value !== null && !isNull(wanted) && compare(value, wanted) >= 0,
  __EMPTY: (value, wanted) => isEmpty(value) === truthy(wanted),
};

const specModifiers = filterSchema['x-modifiers'] as string[];
const implemented = Object.keys(TESTS).filter((m) => m !== '');
if (typeof NULL_VALUE !== 'string' || [...specModifiers].sort().join() !== [...implemented].sort().join()) {
  throw new Error(
    `specs/ivvy: filter x-modifiers ${specModifiers.join(', ')} are not the ones implemented: ${implemented.join(', ')}`,
  );
}
/** Longest first, so `__NOTCONTAINS` is not read as a field ending in `__NOT…`. */
const MODIFIERS = [...implemented].sort((a, b) => b.length - a.length);

/** The field a filter key names and what it asks of it; undefined for a key that names no task field. */
function condition(key: string): { field: string; test: (value: unknown, wanted: FilterValue) => boolean } | undefined {
  const modifier = MODIFIERS.find((m) => key.endsWith(m) && key.length > m.length) ?? '';
  const field = key.slice(0, key.length - modifier.length);
  const test = TESTS[modifier];
  return FIELDS.has(field) && test ? { field, test } : undefined;
}

/** Whether a task matches every key of the filter (keys naming no task field are ignored). */
export function matchesFilter(task: Row, filter: Readonly<Record<string, FilterValue>> | null | undefined): boolean {
  for (const [key, wanted] of Object.entries(filter ?? {})) {
    const found = condition(key);
    if (found && !found.test(task[found.field], wanted)) return false;
  }
  return true;
}
