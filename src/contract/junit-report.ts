/**
 * The JUnit report (`junit.xml`, for CI), written from the report model like the JSON and HTML ones: one testsuite
 * per vendor, each case a testcase classed `<vendor>.<operation>`; a failure carries its problems (message) and what
 * came back with the curl command that reproduces it (text); an expected failure is `<skipped>` with its reason.
 * Cases a `--grep` left out are not in the model, so not here either. vitest's own JUnit reporter cannot do this:
 * its testcases are classed by file only, it has no skip message, and it counts filtered-out tests as skipped.
 */
import type { CaseRecord, VendorReport } from './coverage.ts';
import type { ContractReport } from './report-model.ts';

/** What XML 1.0 cannot carry at all (answers from a broken target may hold anything): left out. */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '\n': '&#10;',
  '\r': '&#13;',
  '\t': '&#9;',
};

const xmlText = (s: string): string => s.replace(NOT_XML, '').replace(/[&<>]/g, (c) => ENTITIES[c] ?? c);
/** An attribute value; line breaks kept as character references, which attribute normalisation leaves alone. */
const xmlAttr = (s: string): string => s.replace(NOT_XML, '').replace(/[&<>"\n\r\t]/g, (c) => ENTITIES[c] ?? c);

/**
 * An element at depth `depth` (two spaces a level): with child elements (each already at depth + 1), with text
 * (kept exactly as it is), or empty.
 */
function element(
  depth: number,
  name: string,
  attrs: Record<string, string | number>,
  children: string[] | string = [],
): string {
  const indent = '  '.repeat(depth);
  const open = `${indent}<${name}${Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${xmlAttr(String(v))}"`)
    .join('')}`;
  if (typeof children === 'string') return `${open}>${xmlText(children)}</${name}>`;
  return children.length ? `${open}>\n${children.join('\n')}\n${indent}</${name}>` : `${open}/>`;
}

const seconds = (ms: number | undefined): string => ((ms ?? 0) / 1000).toFixed(3);

/** What a testcase holds beside its name: a failure, an expected failure as skipped, or nothing. */
function outcomeElements(r: CaseRecord): string[] {
  const detail = r.failure ?? r.problems.join('\n');
  if (r.outcome === 'failed') {
    const message = r.problems.length ? r.problems.join('; ') : (detail.split('\n')[0] ?? 'failed');
    return [element(3, 'failure', { message, type: 'contract' }, detail)];
  }
  if (r.outcome === 'expected-failure')
    return [
      element(3, 'skipped', { message: `expected failure: ${r.reason ?? 'the target cannot honour it'}` }, detail),
    ];
  if (r.outcome === 'skipped') return [element(3, 'skipped', { message: 'skipped' })];
  return [];
}

function testcase(r: CaseRecord): string {
  const attrs = { classname: `${r.vendor}.${r.operation}`, name: `${r.kind}: ${r.title}`, time: seconds(r.durationMs) };
  return element(2, 'testcase', attrs, outcomeElements(r));
}

/** JUnit's counts: tests, failures, errors, skipped (expected failures). */
function counts(records: CaseRecord[], errors = 0) {
  return {
    tests: records.length + errors,
    failures: records.filter((r) => r.outcome === 'failed').length,
    errors,
    skipped: records.filter((r) => r.outcome === 'expected-failure' || r.outcome === 'skipped').length,
  };
}

function vendorSuite(v: VendorReport, report: ContractReport, hostname: string): string {
  const records = v.operations.flatMap((o) => o.cases);
  const time = seconds(records.reduce((sum, r) => sum + (r.durationMs ?? 0), 0));
  const attrs = { name: v.vendor, ...counts(records), time, timestamp: report.generatedAt, hostname };
  return element(1, 'testsuite', attrs, records.map(testcase));
}

/** Errors outside any case (a suite that did not load) as one testsuite of errored testcases. */
function errorSuite(report: ContractReport, hostname: string): string[] {
  if (report.errors.length === 0) return [];
  const cases = report.errors.map((e, i) =>
    element(2, 'testcase', { classname: 'contract', name: `error outside the cases ${i + 1}`, time: seconds(0) }, [
      element(3, 'error', { message: e.split('\n')[0] ?? e, type: 'error' }, e),
    ]),
  );
  const attrs = { name: 'errors outside the cases', ...counts([], report.errors.length), time: seconds(0) };
  return [element(1, 'testsuite', { ...attrs, timestamp: report.generatedAt, hostname }, cases)];
}

/** The whole `junit.xml`. */
export function renderJUnit(report: ContractReport, options: { suiteName: string; hostname?: string }): string {
  const hostname = options.hostname ?? 'contract';
  const records = report.vendors.flatMap((v) => v.operations.flatMap((o) => o.cases));
  const attrs = { name: options.suiteName, ...counts(records, report.errors.length), time: seconds(report.durationMs) };
  const suites = [...report.vendors.map((v) => vendorSuite(v, report, hostname)), ...errorSuite(report, hostname)];
  return `<?xml version="1.0" encoding="UTF-8"?>\n${element(0, 'testsuites', attrs, suites)}\n`;
}
