/**
 * `npm run contract` end to end: the CLI in a child process against the sandbox this test starts (narrowed to
 * R7-Office), then against a broken server in front of it; the console output and the JUnit, JSON and HTML reports
 * are checked for what QA reads in them.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContractReport } from '../../src/contract/report-model.ts';
import { applicable, contractCases } from '../../src/contract/suite.ts';
import { listOperations, listRules, loadSpec } from '../../src/spec/index.ts';
import { definitionOf } from '../../src/vendors/index.ts';
import { type RunningSandbox, startSandbox } from '../support/sandbox.ts';
import { dropsField, type RunningProxy, startProxy } from './fixtures/broken-servers.ts';
import { CLI_TIMEOUT_MS, type CliRun, runCli } from './fixtures/cli.ts';

const VENDOR = 'r7-office';
const doc = await loadSpec(VENDOR);
// The CLI without --rate-limit leaves out the rate-limit case (it would flood a vendor's host).
const caseCount = applicable(await contractCases(definitionOf(VENDOR)), {
  name: 'the CLI',
  vendors: {},
  capabilities: new Set(['state', 'vendor-errors']),
}).length;
const operations = listOperations(doc).map((o) => o.operationId);
const documentedStatuses = listOperations(doc).reduce((n, o) => n + Object.keys(o.operation.responses).length, 0);
const ruleCount = new Set(listRules(doc).map((r) => r.rule.id)).size;

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'testcase' });

interface JUnitCase {
  classname: string;
  name: string;
  failure?: { message: string; '#text'?: string };
  skipped?: { message: string; '#text'?: string } | '';
}

interface JUnit {
  tests: number;
  failures: number;
  skipped: number;
  /** The testsuite names: one per vendor. */
  suites: string[];
  cases: JUnitCase[];
}

type JUnitSuite = { name: string; tests: string; skipped: string; testcase?: JUnitCase[] };

function readJUnit(file: string): JUnit {
  const text = readFileSync(file, 'utf8');
  expect(XMLValidator.validate(text)).toBe(true);
  const root = xml.parse(text).testsuites as {
    tests: string;
    failures: string;
    skipped: string;
    testsuite: JUnitSuite | JUnitSuite[];
  };
  const suites = [root.testsuite].flat();
  for (const suite of suites) expect(Number(suite.tests)).toBe(suite.testcase?.length ?? 0);
  return {
    tests: Number(root.tests),
    failures: Number(root.failures),
    skipped: Number(root.skipped),
    suites: suites.map((s) => s.name),
    cases: suites.flatMap((s) => s.testcase ?? []),
  };
}

/** A self-contained page: no script, stylesheet, image or frame fetched from anywhere. */
function expectSelfContained(html: string): void {
  expect(html).toMatch(/^<!doctype html>/);
  expect(html).not.toMatch(/<script|<link|<img|<iframe|\ssrc=|url\(|@import/i);
  for (const [, href] of html.matchAll(/href="([^"]*)"/g)) expect(href).toMatch(/^#/);
}

/** Every reporter, written under `out`. */
const allReports = (out: string) => ['--reporter', 'console,junit,json,html', '--out', out];

const metric = (html: string, name: string) => html.match(new RegExp(`data-metric="${name}">(\\d+)/(\\d+)<`))?.slice(1);

let sandbox: RunningSandbox;
let proxy: RunningProxy;
const outs: string[] = [];
const outDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'contract-reports-'));
  outs.push(dir);
  return dir;
};

beforeAll(async () => {
  sandbox = await startSandbox();
  proxy = await startProxy(sandbox.origin, dropsField('response', /^\/r7\/api\/2\.0\/crm\/task\//));
});
afterAll(async () => {
  await proxy?.close();
  await sandbox?.close();
  for (const dir of outs) rmSync(dir, { recursive: true, force: true });
});

describe('against the sandbox (it honours the contract)', () => {
  let run: CliRun;
  let out: string;
  beforeAll(async () => {
    out = outDir();
    run = await runCli([
      '--target',
      sandbox.origin,
      '--vendor',
      VENDOR,
      '--reporter',
      'junit,html',
      '--reporter',
      'json',
      '--out',
      out,
    ]);
  }, CLI_TIMEOUT_MS);

  it('exits 0', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${caseCount} cases: ${caseCount} passed, 0 failed`);
    expect(run.stdout).toContain(join(out, 'index.html'));
  });

  it('writes a JUnit report with a passing testcase per case, classed by vendor and operation', () => {
    const junit = readJUnit(join(out, 'junit.xml'));
    expect(junit).toMatchObject({ tests: caseCount, failures: 0, skipped: 0, suites: [VENDOR] });
    expect(junit.cases).toHaveLength(caseCount);
    for (const c of junit.cases) {
      expect(c.classname).toMatch(new RegExp(`^${VENDOR}\\.(${operations.join('|')})$`));
      expect(c.name).toMatch(/^(sample|negative|flow): /);
      expect(c.failure).toBeUndefined();
      expect(c.skipped).toBeUndefined();
    }
    expect(new Set(junit.cases.map((c) => c.classname))).toEqual(new Set(operations.map((o) => `${VENDOR}.${o}`)));
  });

  it('writes a self-contained HTML report with the vendor, its operations and what the run covered', () => {
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expectSelfContained(html);
    expect(html).toContain(`data-vendor="${VENDOR}"`);
    expect(html).toContain(doc.info.title);
    for (const op of operations) expect(html).toContain(`data-operation="${op}"`);
    expect(metric(html, 'operations')).toEqual([String(operations.length), String(operations.length)]);
    const [observed, documented] = metric(html, 'statuses') ?? [];
    expect(Number(documented)).toBe(documentedStatuses);
    expect(Number(observed)).toBeGreaterThan(0);
    expect(metric(html, 'rules')?.[1]).toBe(String(ruleCount));
    expect(Number(metric(html, 'fields')?.[0])).toBeGreaterThan(0);
    expect(html.match(/<span class="badge passed">pass<\/span>/g)).toHaveLength(caseCount);
    expect(html).not.toMatch(/<tr class="case" data-outcome="(failed|expected-failure)"/);
  });

  it('writes the same numbers as JSON', () => {
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as ContractReport;
    expect(report.totals).toMatchObject({ cases: caseCount, passed: caseCount, failed: 0 });
    expect(report.target).toMatchObject({ capabilities: ['state', 'vendor-errors'] });
    expect(report.target).not.toHaveProperty('vendors.r7-office.credentials');
    const [vendor] = report.vendors;
    expect(vendor?.coverage.operations).toEqual({ covered: operations.length, total: operations.length });
    expect(vendor?.coverage.statuses.total).toBe(documentedStatuses);
  });
});

describe('against a broken server declared stateless (it drops R7-Office’s `response`)', () => {
  let run: CliRun;
  let out: string;
  beforeAll(async () => {
    out = outDir();
    run = await runCli([
      '--target',
      proxy.origin,
      '--vendor',
      'r7',
      '--stateless',
      '--reporter',
      'console,junit,json,html',
      '--out',
      out,
    ]);
  }, CLI_TIMEOUT_MS);
  const curl = () => `reproduce: curl -sS -i -X PUT '${proxy.origin}/r7/api/2.0/crm/task/`;

  it('exits 1 and prints progress, each failure with expected and actual result and its curl command', () => {
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/✗ r7-office › updateTask: \d+ cases: \d+ passed, [1-9]\d* failed/);
    expect(run.stdout).toMatch(/✓ r7-office › authenticate: \d+ cases: \d+ passed\n/);
    expect(run.stdout).toMatch(/Failures \([1-9]\d*\)/);
    expect(run.stdout).toContain("- body must have required property 'response'");
    expect(run.stdout).toMatch(/ {2}got: 200 application\/json/);
    expect(run.stdout).toContain(curl());
    expect(run.stdout).toMatch(/Expected failures \(\d+\): .* does not offer state/);
    expect(run.stdout).toMatch(/FAILED: [1-9]\d* of \d+ cases failed/);
  });

  it('writes a JUnit report whose failures carry the curl command, expected failures skipped with their reason', () => {
    const junit = readJUnit(join(out, 'junit.xml'));
    expect(junit.tests).toBe(caseCount);
    expect(junit.failures).toBeGreaterThan(0);
    const failing = junit.cases.filter((c) => c.failure);
    expect(failing).toHaveLength(junit.failures);
    for (const c of failing) {
      expect(c.failure?.message).toContain("must have required property 'response'");
      expect(c.failure?.['#text']).toContain(curl());
    }
    const skipped = junit.cases.filter((c) => c.skipped !== undefined);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as ContractReport;
    expect(skipped).toHaveLength(report.totals.expectedFailures);
    expect(junit.skipped).toBe(report.totals.expectedFailures);
    expect(skipped.length).toBeGreaterThan(0);
    for (const c of skipped) {
      expect(c.skipped).toMatchObject({
        message: expect.stringMatching(/^expected failure: .* does not offer state \(/),
      });
      expect(c.failure).toBeUndefined();
    }
    expect(junit.cases.length - failing.length - skipped.length).toBeGreaterThan(0);
  });

  it('writes an HTML report with each failure, its curl command, and expected failures with their reason', () => {
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expectSelfContained(html);
    expect(html).toContain('<span class="badge failed">failed</span></h1>');
    expect(html).toContain('<tr class="case" data-outcome="failed"');
    expect(html).toContain('<tr class="case" data-outcome="passed"');
    expect(html).toMatch(
      /<tr class="case" data-outcome="expected-failure"[\s\S]*?expected failure: .* does not offer state \(/,
    );
    expect(html).toContain(curl().replaceAll("'", '&#39;'));
    expect(html).toContain('must have required property &#39;response&#39;');
    expect(metric(html, 'operations')).toEqual([String(operations.length), String(operations.length)]);
    expect(html).toMatch(/<details class="op" data-operation="updateTask" open>/);
  });

  it('writes the failures and reasons as JSON', () => {
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as ContractReport;
    expect(report.target.capabilities).toEqual([]);
    const cases = report.vendors.flatMap((v) => v.operations.flatMap((o) => o.cases));
    const failed = cases.filter((c) => c.outcome === 'failed');
    expect(failed.length).toBe(report.totals.failed);
    for (const c of failed) expect(c.failure).toContain(curl());
    const expected = cases.filter((c) => c.outcome === 'expected-failure');
    expect(expected.length).toBeGreaterThan(0);
    for (const c of expected) expect(c.reason).toMatch(/does not offer state/);
  });
});

describe('--grep: the cases it leaves out are in no report', () => {
  const grep = 'updateTask sample';
  const matching = async () =>
    (await contractCases(definitionOf(VENDOR))).filter((c) => c.operation === 'updateTask' && c.kind === 'sample')
      .length;
  let run: CliRun;
  let out: string;
  beforeAll(async () => {
    out = outDir();
    run = await runCli(['--target', sandbox.origin, '--vendor', VENDOR, '--grep', grep, ...allReports(out)]);
  }, CLI_TIMEOUT_MS);

  it('counts only the matching cases in the console, none as skipped', async () => {
    const n = await matching();
    expect(n).toBeGreaterThan(0);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`✓ ${VENDOR} › updateTask: ${n} cases: ${n} passed\n`);
    expect(run.stdout).toContain(`  ${n} cases: ${n} passed\n`);
    expect(run.stdout).not.toMatch(/skipped/);
    expect(run.stdout).toContain(`in all ${n} cases run`);
  });

  it('writes only the matching cases to the JUnit, JSON and HTML reports', async () => {
    const n = await matching();
    const junit = readJUnit(join(out, 'junit.xml'));
    expect(junit).toMatchObject({ tests: n, failures: 0, skipped: 0 });
    for (const c of junit.cases) expect(`${c.classname} ${c.name}`).toMatch(/^r7-office\.updateTask sample: /);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as ContractReport;
    expect(report.totals).toEqual({ cases: n, passed: n, failed: 0, expectedFailures: 0, skipped: 0 });
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html.match(/<tr class="case"/g)).toHaveLength(n);
  });

  it('a --grep that matches no case exits 2 and says so', async () => {
    const none = await runCli([
      '--target',
      sandbox.origin,
      '--vendor',
      VENDOR,
      '--grep',
      'no such case',
      ...allReports(outDir()),
    ]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('contract: no case matches --grep "no such case"');
  });
});

describe('usage', () => {
  it('--help lists the flags and exits 0', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Usage: npm run contract -- --target <url>/);
  });

  it('an unreachable target exits 2 and says which vendor does not answer', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    const run = await runCli(['--target', `http://127.0.0.1:${port}`, '--vendor', VENDOR]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`r7-office at http://127.0.0.1:${port}/r7: ECONNREFUSED`);
  });

  it('a usage error exits 2', async () => {
    const run = await runCli(['--target', sandbox.origin, '--vendor', 'acme']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown vendor acme');
  });
});
