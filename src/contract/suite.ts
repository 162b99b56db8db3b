/**
 * The contract suite as vitest tests: one `describe` per vendor and operation, one test per case. Used by
 * `npm test` (against the sandbox and the mock, in-process) and by `npm run contract` (against any target).
 */
import { describe, expect, it } from 'vitest';
import type { VendorDefinition } from '../server/vendor-module.ts';
import { listSamples, loadSpec, SpecValidator } from '../spec/index.ts';
import { type ContractCase, negativeCases, sampleCases } from './cases.ts';
import { methodCases, rateLimitCases } from './limit-cases.ts';
import { type CaseResult, describeFailure, runCase, type Target, type VendorKit } from './run-case.ts';

/** What each test records for the reports (read by the HTML reporter). */
export interface ContractMeta {
  id: string;
  vendor: string;
  operation: string;
  kind: ContractCase['kind'];
  title: string;
  rule?: string;
  fields: string[];
  statuses: number[];
  /** Each answered step: the operation its answer was checked against and the status it got. */
  exchanges: { operation: string; status: number }[];
  expectedFailure?: string;
  passed: boolean;
  problems: string[];
  /** When the case did not pass: describeFailure's text (expected, actual, the curl command that reproduces it). */
  failure?: string;
}

declare module 'vitest' {
  interface TaskMeta {
    contract?: ContractMeta;
  }
}

export async function loadKit(definition: VendorDefinition): Promise<VendorKit> {
  const doc = await loadSpec(definition.name, definition.spec);
  return {
    doc,
    client: definition.client,
    validators: {
      strict: new SpecValidator(definition.name, doc),
      coercing: new SpecValidator(definition.name, doc, { coerceTypes: true }),
    },
  };
}

/**
 * Every case of a vendor: samples, generated negatives, methods a path does not have, flows, and last (so the quota it
 * spends matters to no other case) the rate-limit case, built on the first accepted sample.
 */
export async function contractCases(definition: VendorDefinition): Promise<ContractCase[]> {
  const vendor = definition.name;
  const doc = await loadSpec(vendor, definition.spec);
  const samples = listSamples();
  const sampled = sampleCases(vendor, doc, samples);
  const accepted = sampled.find((c) => !c.needs.includes('vendor-errors'));
  return [
    ...sampled,
    ...negativeCases(vendor, doc, samples),
    ...methodCases(vendor, doc),
    ...(definition.flows?.(doc, samples) ?? []),
    ...rateLimitCases(vendor, doc, accepted),
  ];
}

/** The cases a target can be given: those needing `rate-limit` only when it may be driven past its limits. */
export function applicable(cases: readonly ContractCase[], target: Target): ContractCase[] {
  return cases.filter((c) => !c.needs.includes('rate-limit') || target.capabilities.has('rate-limit'));
}

/** Which vendors a run covers: all, or those named. */
export function selectVendors(definitions: readonly VendorDefinition[], only?: readonly string[]): VendorDefinition[] {
  if (!only?.length) return [...definitions];
  const names = definitions.map((d) => d.name);
  return only.map((name) => {
    const found = definitions.find((d) => d.name === name);
    if (!found) throw new Error(`unknown vendor ${name}; known: ${names.join(', ')}`);
    return found;
  });
}

/**
 * Declares the suite. `target` is awaited in each test (the caller starts servers in its own beforeAll). A case the
 * target cannot honour (a stateless mock and a flow) still runs: its failure is reported as expected, with why.
 */
export function defineContractSuite(
  casesByVendor: Map<string, ContractCase[]>,
  target: () => Target,
  kits: () => Map<string, VendorKit>,
): void {
  for (const [vendor, cases] of casesByVendor) {
    describe(vendor, () => {
      for (const [operation, list] of Map.groupBy(cases, (c) => c.operation)) {
        describe(operation, () => {
          for (const c of list) {
            it(`${c.kind}: ${c.title}`, async ({ task, annotate }) => {
              const meta = caseMeta(c, vendor, operation);
              // Recorded before the run, so a case that throws is still attributed in the reports.
              task.meta.contract = meta;
              const kit = kits().get(vendor);
              if (!kit) throw new Error(`no kit for ${vendor}`);
              const result: CaseResult = await runCase(c, target(), kit);
              recordResult(meta, c, result);
              if (!result.passed && result.expectedFailure) {
                await annotate(
                  `expected failure: ${result.expectedFailure}\n${describeFailure(c, result)}`,
                  'expected-failure',
                );
                return;
              }
              expect(result.problems, describeFailure(c, result)).toEqual([]);
            });
          }
        });
      }
    });
  }
}

/** A case's meta before it runs: what it is, nothing yet of what it got. */
function caseMeta(c: ContractCase, vendor: string, operation: string): ContractMeta {
  return {
    id: c.id,
    vendor,
    operation,
    kind: c.kind,
    title: c.title,
    ...(c.rule ? { rule: c.rule } : {}),
    fields: c.fields,
    statuses: [],
    exchanges: [],
    passed: false,
    problems: [],
  };
}

/** What the case got, into its meta: each answer's status and operation, whether it passed, and why not. */
function recordResult(meta: ContractMeta, c: ContractCase, result: CaseResult): void {
  const steps = c.steps.slice(0, result.steps.length);
  Object.assign(meta, {
    statuses: result.steps.flatMap((s) => (s.response ? [s.response.status] : [])),
    exchanges: result.steps.flatMap((s, i) =>
      s.response ? [{ operation: steps[i]?.operation ?? meta.operation, status: s.response.status }] : [],
    ),
    ...(result.expectedFailure ? { expectedFailure: result.expectedFailure } : {}),
    passed: result.passed,
    problems: result.problems,
    ...(result.passed ? {} : { failure: describeFailure(c, result) }),
  });
}
