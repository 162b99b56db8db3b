/** The JUnit report from a report model: what CI tools read in it survives whatever a target answered. */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { CaseRecord, VendorReport } from '../../src/contract/coverage.ts';
import { renderJUnit } from '../../src/contract/junit-report.ts';
import type { ContractReport } from '../../src/contract/report-model.ts';

const record = (over: Partial<CaseRecord>): CaseRecord => ({
  id: 'acme/getThing/negative/x',
  vendor: 'acme',
  operation: 'getThing',
  kind: 'negative',
  title: 'refuses x',
  fields: [],
  outcome: 'passed',
  problems: [],
  exchanges: [],
  durationMs: 12,
  ...over,
});

function report(cases: CaseRecord[], errors: string[] = []): ContractReport {
  const vendor = { vendor: 'acme', operations: [{ cases }] } as unknown as VendorReport;
  return { vendors: [vendor], errors, generatedAt: '2025-01-01T00:00:00.000Z', durationMs: 1500 } as ContractReport;
}

// htmlEntities: numeric character references decoded, as every XML parser does.
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  htmlEntities: true,
  isArray: (n) => n === 'testcase',
});

function parse(xml: string) {
  expect(XMLValidator.validate(xml)).toBe(true);
  return parser.parse(xml).testsuites;
}

describe('renderJUnit', () => {
  it('classes each testcase by vendor and operation and counts failures and expected failures', () => {
    const xml = renderJUnit(
      report([
        record({ outcome: 'passed' }),
        record({ operation: 'putThing', outcome: 'failed', problems: ['expected 400, got 200'], failure: 'F' }),
        record({ outcome: 'expected-failure', reason: 'no state', failure: 'what came' }),
      ]),
      { suiteName: 'contract: t' },
    );
    const root = parse(xml);
    expect(root).toMatchObject({ name: 'contract: t', tests: '3', failures: '1', errors: '0', skipped: '1' });
    const cases = root.testsuite.testcase;
    expect(cases.map((c: { classname: string }) => c.classname)).toEqual([
      'acme.getThing',
      'acme.putThing',
      'acme.getThing',
    ]);
    expect(cases[0]).toEqual({ classname: 'acme.getThing', name: 'negative: refuses x', time: '0.012' });
    expect(cases[1].failure).toEqual({ message: 'expected 400, got 200', type: 'contract', '#text': 'F' });
    expect(cases[2].skipped).toEqual({ message: 'expected failure: no state', '#text': 'what came' });
  });

  it('keeps line breaks in messages and drops what XML cannot carry', () => {
    const body = 'got: 200 <a b="c">]]>\u0000\u001b[31m & \ud800 done';
    const xml = renderJUnit(
      report([record({ outcome: 'failed', problems: ['first', 'second\n"quoted"'], failure: `line 1\n${body}` })]),
      { suiteName: 's' },
    );
    const failure = parse(xml).testsuite.testcase[0].failure;
    expect(failure.message).toBe('first; second\n"quoted"');
    expect(failure['#text']).toBe('line 1\ngot: 200 <a b="c">]]>[31m &  done');
  });

  it('reports errors outside the cases as errored testcases', () => {
    const root = parse(renderJUnit(report([], ['suite.ts: boom\n  at x']), { suiteName: 's' }));
    expect(root).toMatchObject({ tests: '1', failures: '0', errors: '1' });
    const errors = [root.testsuite].flat().find((s: { name: string }) => s.name === 'errors outside the cases');
    expect(errors.testcase[0].error).toMatchObject({ message: 'suite.ts: boom', '#text': 'suite.ts: boom\n  at x' });
  });
});
