/**
 * The report of one run, built once from vitest's results and rendered by every reporter (console, JSON, HTML):
 * the target, each case with its outcome, and per vendor what the run covered of the spec.
 */
import type { TestCase, TestModule, TestSuite } from 'vitest/node';
import { loadSpec } from '../spec/index.ts';
import { type CaseRecord, type Outcome, type Totals, totals, type VendorReport, vendorReport } from './coverage.ts';
import type { Target } from './run-case.ts';
import type { ContractMeta } from './suite.ts';
import { publicTarget } from './target.ts';

export interface ContractReport {
  target: ReturnType<typeof publicTarget>;
  generatedAt: string;
  durationMs: number;
  totals: Totals;
  vendors: VendorReport[];
  /** Errors outside any case: a suite that did not load, an unhandled rejection. */
  errors: string[];
}

/** A vitest test of the contract suite as a report record (meta from suite.ts; names if the meta is missing). */
export function caseRecord(test: TestCase): CaseRecord {
  const meta: ContractMeta | undefined = test.meta().contract;
  const outcome = outcomeOf(test, meta);
  const failure = failureOf(test, meta, outcome);
  return {
    ...describedCase(test, meta),
    outcome,
    ...(outcome === 'expected-failure' && meta?.expectedFailure ? { reason: meta.expectedFailure } : {}),
    problems: meta?.problems ?? [],
    ...(failure !== undefined ? { failure } : {}),
    exchanges: meta?.exchanges ?? [],
    ...(test.diagnostic() ? { durationMs: Math.round(test.diagnostic()?.duration ?? 0) } : {}),
  };
}

/** What a case is: from its meta, or from the names vitest has (the describe() names, the test's name). */
function describedCase(
  test: TestCase,
  meta: ContractMeta | undefined,
): Pick<CaseRecord, 'id' | 'vendor' | 'operation' | 'kind' | 'title' | 'rule' | 'fields'> {
  const [vendor = '?', operation = '?'] = suiteNames(test);
  return {
    id: meta?.id ?? `${vendor}/${operation}/${test.name}`,
    vendor: meta?.vendor ?? vendor,
    operation: meta?.operation ?? operation,
    kind: meta?.kind ?? test.name.split(':')[0] ?? '?',
    title: meta?.title ?? test.name,
    ...(meta?.rule ? { rule: meta.rule } : {}),
    fields: meta?.fields ?? [],
  };
}

/** vitest's state, with a case marked as an expected failure that did not pass reported as one (not as passed). */
function outcomeOf(test: TestCase, meta: ContractMeta | undefined): Outcome {
  const { state } = test.result();
  if (state === 'skipped' || state === 'pending') return 'skipped';
  if (state === 'failed') return 'failed';
  return meta?.expectedFailure && !meta.passed ? 'expected-failure' : 'passed';
}

/** Why a case failed: the contract's words (meta), else what the test threw. */
function failureOf(test: TestCase, meta: ContractMeta | undefined, outcome: Outcome): string | undefined {
  const failure = outcome === 'failed' || outcome === 'expected-failure' ? meta?.failure : undefined;
  const thrown =
    outcome === 'failed' && !meta?.failure ? (test.result().errors ?? []).map((e) => e.message).join('\n') : undefined;
  return failure || thrown ? (failure ?? thrown) : undefined;
}

/** The describe() names above a test, outermost first: vendor, then operation. */
function suiteNames(test: TestCase): string[] {
  const names: string[] = [];
  for (let p = test.parent; p.type === 'suite'; p = p.parent) names.unshift(p.name);
  return names;
}

export function moduleErrors(modules: ReadonlyArray<TestModule>, unhandled: ReadonlyArray<{ message?: string }>) {
  return [
    ...modules.flatMap((m) => m.errors().map((e) => `${m.moduleId}: ${e.message}`)),
    ...unhandled.map((e) => e.message ?? String(e)),
  ];
}

/** The whole report: records grouped by vendor under the target's vendors, with the specs' coverage. */
export async function buildReport(
  target: Target,
  records: CaseRecord[],
  options: { errors?: string[]; durationMs?: number } = {},
): Promise<ContractReport> {
  const vendors = await Promise.all(
    Object.entries(target.vendors).map(async ([vendor, { baseUrl }]) =>
      vendorReport(
        vendor,
        await loadSpec(vendor),
        baseUrl,
        records.filter((r) => r.vendor === vendor),
      ),
    ),
  );
  return {
    target: publicTarget(target),
    generatedAt: new Date().toISOString(),
    durationMs: options.durationMs ?? 0,
    totals: totals(records),
    vendors,
    errors: options.errors ?? [],
  };
}

/**
 * Whether the run selected a test: vitest marks a test `--grep` (testNamePattern) filtered out as `skip` before it
 * runs. The suite declares no skipped test, so such a test is left out of every report rather than counted.
 */
export const selected = (test: TestCase): boolean => test.options.mode !== 'skip' && test.options.mode !== 'todo';

/** The tests of a module or suite the run selected, in the order they were declared. */
export const selectedTests = (parent: TestModule | TestSuite): TestCase[] =>
  [...parent.children.allTests()].filter(selected);

/** Records of every selected test of the run, in the order they were declared. */
export function recordsOf(modules: ReadonlyArray<TestModule>): CaseRecord[] {
  return modules.flatMap((m) => selectedTests(m).map(caseRecord));
}

export const percent = ({ covered, total }: { covered: number; total: number }): string =>
  total === 0 ? '–' : `${Math.round((covered / total) * 100)}%`;
