/**
 * The reporters of `npm run contract`: `console` (a progress line, then every failure with its curl command and a
 * coverage summary), `junit` (for CI), `json` and `html`, all from the report model of report-model.ts. One vitest
 * reporter builds the model once and writes every requested form of it. Cases a `--grep` filtered out are in none.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { styleText } from 'node:util';
import type { Reporter, TestCase, TestModule, TestRunEndReason, TestSuite } from 'vitest/node';
import { type CaseRecord, expectedFailures, type Totals, totals, type VendorReport } from './coverage.ts';
import { renderHtml } from './html-report.ts';
import { renderJUnit } from './junit-report.ts';
import {
  buildReport,
  type ContractReport,
  caseRecord,
  moduleErrors,
  percent,
  recordsOf,
  selected,
  selectedTests,
} from './report-model.ts';
import type { Target } from './run-case.ts';

export const reporterNames = ['console', 'junit', 'json', 'html'] as const;
export type ReporterName = (typeof reporterNames)[number];

/** The file each file-writing reporter writes under `--out`. */
export const reportFiles = { junit: 'junit.xml', json: 'report.json', html: 'index.html' } as const;

type Stream = NodeJS.WriteStream | (NodeJS.WritableStream & { isTTY?: boolean });

export interface ContractReporterOptions {
  target: Target;
  console?: boolean;
  htmlFile?: string;
  jsonFile?: string;
  junitFile?: string;
  stream?: Stream;
}

/** Counts so far, for the progress line. */
interface Progress {
  total: number;
  done: number;
  passed: number;
  failed: number;
  expected: number;
}

export class ContractReporter implements Reporter {
  readonly #options: ContractReporterOptions;
  readonly #out: Stream;
  readonly #tty: boolean;
  #started = performance.now();
  #progress: Progress = { total: 0, done: 0, passed: 0, failed: 0, expected: 0 };
  #progressShown = false;
  /** The report of the last run, once written (for the CLI's summary). */
  report?: ContractReport;

  constructor(options: ContractReporterOptions) {
    this.#options = options;
    this.#out = options.stream ?? process.stdout;
    this.#tty = Boolean(this.#out.isTTY) && !process.env.CI;
  }

  #color(format: Parameters<typeof styleText>[0], text: string): string {
    return this.#tty && !process.env.NO_COLOR ? styleText(format, text, { validateStream: false }) : text;
  }

  #write(text: string): void {
    if (!this.#options.console) return;
    if (this.#progressShown) {
      this.#out.write('\r\x1b[2K');
      this.#progressShown = false;
    }
    this.#out.write(text);
  }

  #drawProgress(where: string): void {
    if (!this.#options.console || !this.#tty) return;
    const p = this.#progress;
    const width = String(p.total).length;
    const line = `[${String(p.done).padStart(width)}/${p.total}] ${p.passed} passed · ${p.failed} failed · ${expectedFailures(p.expected)}  ${where}`;
    this.#out.write(`\r\x1b[2K${line.slice(0, (this.#out as NodeJS.WriteStream).columns || 120)}`);
    this.#progressShown = true;
  }

  onTestRunStart(): void {
    this.#started = performance.now();
    this.#progress = { total: 0, done: 0, passed: 0, failed: 0, expected: 0 };
  }

  onTestModuleCollected(module: TestModule): void {
    this.#progress.total += selectedTests(module).length;
  }

  onTestCaseResult(test: TestCase): void {
    if (!selected(test)) return;
    const record = caseRecord(test);
    const p = this.#progress;
    p.done++;
    if (record.outcome === 'passed') p.passed++;
    else if (record.outcome === 'failed') p.failed++;
    else if (record.outcome === 'expected-failure') p.expected++;
    this.#drawProgress(`${record.vendor} › ${record.operation}`);
  }

  /** One line per operation as it finishes: the progress of a run without a terminal (CI logs). */
  onTestSuiteResult(suite: TestSuite): void {
    if (suite.parent.type !== 'suite') return;
    const records = selectedTests(suite).map(caseRecord);
    if (records.length === 0) return;
    const mark = records.some((r) => r.outcome === 'failed') ? this.#color('red', '✗') : this.#color('green', '✓');
    this.#write(`${mark} ${suite.parent.name} › ${suite.name}: ${summary(totals(records))}\n`);
    this.#drawProgress('');
  }

  async onTestRunEnd(
    modules: ReadonlyArray<TestModule>,
    unhandled: ReadonlyArray<{ message?: string }>,
    _reason: TestRunEndReason,
  ): Promise<void> {
    const report = await buildReport(this.#options.target, recordsOf(modules), {
      errors: moduleErrors(modules, unhandled),
      durationMs: performance.now() - this.#started,
    });
    this.report = report;
    const { htmlFile, jsonFile, junitFile, target } = this.#options;
    if (htmlFile) writeReport(htmlFile, renderHtml(report));
    if (jsonFile) writeReport(jsonFile, `${JSON.stringify(report, null, 2)}\n`);
    if (junitFile) writeReport(junitFile, renderJUnit(report, { suiteName: `contract: ${target.name}` }));
    if (this.#options.console) this.#write(this.#consoleSummary(report));
  }

  #consoleSummary(report: ContractReport): string {
    const records = report.vendors.flatMap((v) => v.operations.flatMap((o) => o.cases));
    const lines = [
      '',
      ...this.#errorLines(report.errors),
      ...this.#failureLines(records.filter((r) => r.outcome === 'failed')),
      ...this.#expectedLines(records.filter((r) => r.outcome === 'expected-failure')),
      ...report.vendors.flatMap((v) => this.#vendorLines(v)),
    ];
    lines.push('', this.#verdict(report), '');
    return lines.join('\n');
  }

  #errorLines(errors: string[]): string[] {
    if (errors.length === 0) return [];
    return [
      this.#color(['bold', 'red'], `Errors outside the cases (${errors.length})`),
      '',
      ...errors.flatMap((e) => [e, '']),
    ];
  }

  #failureLines(failed: CaseRecord[]): string[] {
    if (failed.length === 0) return [];
    const mark = this.#color('red', '✗');
    return [
      this.#color(['bold', 'red'], `Failures (${failed.length})`),
      '',
      ...failed.flatMap((r) => [`${mark} ${r.failure ?? `${r.id}: ${r.title}`}`, '']),
    ];
  }

  /** Expected failures grouped by reason. */
  #expectedLines(expected: CaseRecord[]): string[] {
    const byReason = Map.groupBy(expected, (r) => r.reason ?? 'the target cannot honour them');
    return [...byReason].flatMap(([reason, list]) => [
      this.#color('yellow', `Expected failures (${list.length}): ${reason}`),
      ...list.map((r) => `  ${r.id}`),
      '',
    ]);
  }

  #vendorLines(v: VendorReport): string[] {
    const c = v.coverage;
    return [
      `${this.#color('bold', v.vendor)}  ${v.title}  ${v.baseUrl}`,
      `  ${summary(v.totals)}`,
      `  covered: operations ${c.operations.covered}/${c.operations.total}, status codes ${c.statuses.covered}/${c.statuses.total} (${percent(c.statuses)}), rules ${c.rules.covered}/${c.rules.total}, fields ${c.fields.covered}/${c.fields.total}`,
    ];
  }

  #verdict(report: ContractReport): string {
    const t = report.totals;
    const verdict =
      t.failed > 0 || report.errors.length > 0
        ? this.#color(['bold', 'red'], `FAILED: ${t.failed} of ${t.cases} cases failed`)
        : this.#color(
            ['bold', 'green'],
            `PASSED: ${report.target.name} honours the contract in all ${t.cases - t.skipped} cases run`,
          );
    return `${verdict}${t.expectedFailures ? ` (${expectedFailures(t.expectedFailures)})` : ''}`;
  }
}

function summary(t: Totals): string {
  const parts = [`${t.passed} passed`];
  if (t.failed) parts.push(`${t.failed} failed`);
  if (t.expectedFailures) parts.push(expectedFailures(t.expectedFailures));
  if (t.skipped) parts.push(`${t.skipped} skipped`);
  return `${t.cases} cases: ${parts.join(', ')}`;
}

function writeReport(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

/** vitest's `reporters` for a run (one: the contract reporter writes every form), and the files they will write. */
export function contractReporters(
  names: readonly ReporterName[],
  out: string,
  target: Target,
  stream?: Stream,
): { reporters: Reporter[]; files: string[]; contract: ContractReporter } {
  const has = (n: ReporterName) => names.includes(n);
  const file = (n: keyof typeof reportFiles) => join(out, reportFiles[n]);
  const contract = new ContractReporter({
    target,
    console: has('console'),
    ...(has('html') ? { htmlFile: file('html') } : {}),
    ...(has('json') ? { jsonFile: file('json') } : {}),
    ...(has('junit') ? { junitFile: file('junit') } : {}),
    ...(stream ? { stream } : {}),
  });
  const files = (['junit', 'json', 'html'] as const).filter(has).map(file);
  return { reporters: [contract], files, contract };
}
