/**
 * What the suite covered of a spec: per operation (an iVvy action counts as an operation), its documented statuses
 * against the statuses observed, its x-rules against the rules the cases exercised, and the top-level request body
 * fields against the fields the cases exercised. Everything is read from the spec; nothing names a vendor's path.
 */
import {
  deref,
  findOperation,
  listActions,
  listOperations,
  listRules,
  type OpenApiDocument,
  type RequestBodyObject,
  requestSchemaPointer,
  resolvePointer,
} from '../spec/index.ts';
import { flatten } from './cases.ts';

export type Outcome = 'passed' | 'failed' | 'expected-failure' | 'skipped';

/** One test of the suite as the reports show it. */
export interface CaseRecord {
  id: string;
  vendor: string;
  operation: string;
  kind: string;
  title: string;
  rule?: string;
  /** Further rules the record exercised, besides `rule` (an exchange of the proxy may break several). */
  rules?: string[];
  fields: string[];
  outcome: Outcome;
  /** Why a failure is expected: what the target does not offer. */
  reason?: string;
  problems: string[];
  /** Expected and actual result and the curl command that reproduces it (describeFailure), or the error thrown. */
  failure?: string;
  /** Each answered step: the operation its answer was checked against, and its status. */
  exchanges: { operation: string; status: number }[];
  durationMs?: number;
}

/** An operation of a spec as the coverage report counts it. */
export interface SpecOperation {
  name: string;
  method: string;
  path: string;
  /** Documented response keys (`200`, `4XX`, `default`), the action's own and its operation's. */
  statuses: string[];
  rules: string[];
  /** Top-level fields of the request body (JSON if the operation takes it). */
  fields: string[];
}

export interface Ratio {
  covered: number;
  total: number;
}

export interface Totals {
  cases: number;
  passed: number;
  failed: number;
  expectedFailures: number;
  skipped: number;
}

export interface OperationReport extends Omit<SpecOperation, 'statuses' | 'rules' | 'fields'> {
  /** At least one case or step of the run exercised it. */
  covered: boolean;
  totals: Totals;
  statuses: { status: string; observed: boolean }[];
  /** Statuses the target answered that the operation does not document. */
  undocumented: number[];
  rules: { id: string; outcome: Outcome | 'not exercised' }[];
  fields: { name: string; exercised: boolean }[];
  cases: CaseRecord[];
}

export interface VendorReport {
  vendor: string;
  title: string;
  baseUrl: string;
  totals: Totals;
  coverage: { operations: Ratio; statuses: Ratio; rules: Ratio; fields: Ratio };
  operations: OperationReport[];
}

/** Every operation of a spec, x-actions expanded, with what it documents. */
export function specOperations(doc: OpenApiDocument): SpecOperation[] {
  const out: SpecOperation[] = [];
  for (const entry of listOperations(doc)) {
    const actions = listActions(entry.operation);
    const own = (entry.operation['x-rules'] ?? []).map((r) => r.id);
    const base = Object.keys(entry.operation.responses);
    const items = actions.length
      ? actions.map(([name, action]) => ({
          name,
          path: `${entry.path}?action=${name}`,
          statuses: [...Object.keys(action.responses ?? {}), ...base],
          rules: [...own, ...(action['x-rules'] ?? []).map((r) => r.id)],
        }))
      : [{ name: entry.operationId, path: entry.path, statuses: base, rules: own }];
    for (const item of items)
      out.push({
        ...item,
        method: entry.method.toUpperCase(),
        statuses: [...new Set(item.statuses)].sort(),
        rules: [...new Set(item.rules)],
        fields: requestFields(doc, item.name),
      });
  }
  return out;
}

/** The top-level request body fields of an operation or action (properties, allOf parts included). */
export function requestFields(doc: OpenApiDocument, name: string): string[] {
  const located = findOperation(doc, name);
  if (!located) return [];
  const body = located.entry.operation.requestBody;
  const media = body ? Object.keys(deref<RequestBodyObject>(doc, body).content) : [];
  const mediaType = media.includes('application/json') ? 'application/json' : media[0];
  if (!located.action && !mediaType) return [];
  const pointer = requestSchemaPointer(doc, located, mediaType ?? 'application/json');
  return pointer ? Object.keys(flatten(doc, resolvePointer(doc, pointer)).properties) : [];
}

/** `1 expected failure`, `2 expected failures`. */
export const expectedFailures = (n: number): string => `${n} expected failure${n === 1 ? '' : 's'}`;

export function totals(cases: CaseRecord[]): Totals {
  const count = (o: Outcome) => cases.filter((c) => c.outcome === o).length;
  return {
    cases: cases.length,
    passed: count('passed'),
    failed: count('failed'),
    expectedFailures: count('expected-failure'),
    skipped: count('skipped'),
  };
}

/** The documented response key an observed status falls under, as check-response.ts matches it. */
export function documentedKey(documented: string[], status: number): string | undefined {
  const s = String(status);
  return [s, `${s[0]}XX`, 'default'].find((k) => documented.includes(k));
}

/** The worst outcome of a list: a failure outweighs an expected failure, which outweighs a pass. */
function worst(outcomes: Outcome[]): Outcome | 'not exercised' {
  for (const o of ['failed', 'expected-failure', 'passed'] as const) if (outcomes.includes(o)) return o;
  return 'not exercised';
}

/** Whether a record exercised a rule: its own rule or one of its further rules. */
const exercises = (record: CaseRecord, id: string): boolean => record.rule === id || !!record.rules?.includes(id);

/** One vendor's part of the report: its cases placed under the spec's operations, and what they covered. */
export function vendorReport(
  vendor: string,
  doc: OpenApiDocument,
  baseUrl: string,
  records: CaseRecord[],
): VendorReport {
  const ran = records.filter((r) => r.outcome !== 'skipped');
  const spec = specOperations(doc);
  const operations: OperationReport[] = spec.map((op) => {
    const cases = records.filter((r) => r.operation === op.name);
    const observed = ran.flatMap((r) => r.exchanges.filter((e) => e.operation === op.name).map((e) => e.status));
    const keys = new Set(observed.map((s) => documentedKey(op.statuses, s)));
    const exercisedFields = new Set(cases.filter((c) => c.outcome !== 'skipped').flatMap((c) => c.fields));
    return {
      name: op.name,
      method: op.method,
      path: op.path,
      covered: cases.some((c) => c.outcome !== 'skipped') || observed.length > 0,
      totals: totals(cases),
      statuses: op.statuses.map((status) => ({ status, observed: keys.has(status) })),
      undocumented: [...new Set(observed.filter((s) => documentedKey(op.statuses, s) === undefined))].sort(),
      rules: op.rules.map((id) => ({
        id,
        outcome: worst(cases.filter((c) => exercises(c, id) && c.outcome !== 'skipped').map((c) => c.outcome)),
      })),
      fields: op.fields.map((name) => ({ name, exercised: exercisedFields.has(name) })),
      cases,
    };
  });
  const ratio = (covered: number, total: number): Ratio => ({ covered, total });
  const sum = (f: (o: OperationReport) => Ratio) =>
    operations.map(f).reduce((a, b) => ratio(a.covered + b.covered, a.total + b.total), ratio(0, 0));
  const ruleIds = new Set(listRules(doc).map((r) => r.rule.id));
  const exercisedRules = new Set(
    ran.flatMap((r) => [...(r.rule ? [r.rule] : []), ...(r.rules ?? [])].filter((id) => ruleIds.has(id))),
  );
  const known = new Set(operations.map((o) => o.name));
  const stray = records.filter((r) => !known.has(r.operation));
  if (stray.length)
    operations.push({
      name: '(not in the spec)',
      method: '',
      path: '',
      covered: false,
      totals: totals(stray),
      statuses: [],
      undocumented: [],
      rules: [],
      fields: [],
      cases: stray,
    });
  return {
    vendor,
    title: doc.info.title,
    baseUrl,
    totals: totals(records),
    coverage: {
      operations: ratio(operations.filter((o) => o.covered).length, spec.length),
      statuses: sum((o) => ratio(o.statuses.filter((s) => s.observed).length, o.statuses.length)),
      rules: ratio(exercisedRules.size, ruleIds.size),
      fields: sum((o) => ratio(o.fields.filter((f) => f.exercised).length, o.fields.length)),
    },
    operations,
  };
}
