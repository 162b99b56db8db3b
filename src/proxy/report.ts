/**
 * The proxy's reports, built like the contract suite's (src/contract/coverage.ts, html-report.ts): each exchange a
 * record under its vendor and operation, the spec's coverage by the traffic (operations, documented statuses
 * observed, rules a request broke, request fields sent), written as `report.json`, `junit.xml` (one testcase per
 * exchange, classed by vendor and operation, a failure for each exchange with a violation) and `index.html`.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CaseRecord, totals, vendorReport } from '../contract/coverage.ts';
import { renderHtml } from '../contract/html-report.ts';
import type { ContractReport } from '../contract/report-model.ts';
import { reportFiles } from '../contract/reporters.ts';
import { type Exchange, violationLine } from './exchange.ts';
import type { ProxyVendor } from './vendors.ts';

export const proxyReporterNames = ['json', 'junit', 'html'] as const;
export type ProxyReporterName = (typeof proxyReporterNames)[number];

/** Exchanges kept in full per kind; past that, a passing exchange is kept only when it adds to the coverage. */
const KEEP = 10_000;

export interface ProxyReport extends ContractReport {
  proxy: { startedAt: string; strict: boolean; exchanges: number; violations: number; omitted: number };
}

/** Every exchange of a run, as the reports need them. */
export class ExchangeLog {
  readonly #kept: Exchange[] = [];
  readonly #seen = new Set<string>();
  #passing = 0;
  #failing = 0;
  omitted = 0;
  total = 0;

  add(exchange: Exchange): void {
    this.total++;
    const failed = exchange.violations.length > 0;
    const signature = `${exchange.vendor} ${exchange.operation} ${exchange.status} ${exchange.fields.join(',')}`;
    const adds = !this.#seen.has(signature);
    this.#seen.add(signature);
    if (failed ? this.#failing < KEEP : this.#passing < KEEP || adds) {
      this.#kept.push(exchange);
      if (failed) this.#failing++;
      else this.#passing++;
    } else this.omitted++;
  }

  get exchanges(): readonly Exchange[] {
    return this.#kept;
  }
}

/** An exchange as a report record: passed when neither side broke the contract. */
export function exchangeRecord(e: Exchange): CaseRecord {
  const rules = [...new Set(e.violations.flatMap((v) => (v.rule ? [v.rule] : [])))];
  const lines = e.violations.map((v) => violationLine(e, v));
  const own = e.fate === 'refused' || e.fate === 'unreachable' || e.fate === 'timeout';
  return {
    id: `exchange-${e.id}`,
    vendor: e.vendor,
    operation: e.operation ?? '(not in the spec)',
    kind: e.fate === 'answered' ? 'exchange' : e.fate,
    title: `#${e.id} ${e.method} ${e.path} → ${e.status ?? 'no answer'}`,
    ...(rules[0] ? { rule: rules[0] } : {}),
    ...(rules.length > 1 ? { rules: rules.slice(1) } : {}),
    fields: e.fields,
    outcome: e.violations.length > 0 ? 'failed' : 'passed',
    problems: lines,
    ...(lines.length || e.notes.length ? { failure: [...lines, ...e.notes].join('\n') } : {}),
    // The proxy's own answers (--strict, 502, 504) are not the upstream's: they count for no status coverage.
    exchanges: e.operation && e.status !== undefined && !own ? [{ operation: e.operation, status: e.status }] : [],
    durationMs: Math.round(e.durationMs * 100) / 100,
  };
}

export function buildProxyReport(
  name: string,
  vendors: readonly ProxyVendor[],
  log: ExchangeLog,
  run: { startedAt: Date; strict: boolean },
): ProxyReport {
  const records = log.exchanges.map(exchangeRecord);
  const all = totals(records);
  all.cases += log.omitted;
  all.passed += log.omitted;
  return {
    target: {
      name,
      vendors: Object.fromEntries(vendors.map((v) => [v.name, v.upstream.href.replace(/\/$/, '')])),
      capabilities: [],
    },
    generatedAt: new Date().toISOString(),
    durationMs: Date.now() - run.startedAt.getTime(),
    totals: all,
    vendors: vendors.map((v) =>
      vendorReport(
        v.name,
        v.doc,
        v.upstream.href.replace(/\/$/, ''),
        records.filter((r) => r.vendor === v.name),
      ),
    ),
    errors: [],
    proxy: {
      startedAt: run.startedAt.toISOString(),
      strict: run.strict,
      exchanges: log.total,
      violations: log.exchanges.reduce((n, e) => n + e.violations.length, 0),
      omitted: log.omitted,
    },
  };
}

/** Characters XML 1.0 allows; others (control characters a violation may quote) become U+FFFD. */
const xmlChar = (c: number) =>
  c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || c >= 0x10000;

const xml = (s: string): string =>
  Array.from(s, (ch) => (xmlChar(ch.codePointAt(0) ?? 0) ? ch : '\ufffd'))
    .join('')
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c);

/** JUnit XML: a testsuite per vendor and operation, a testcase per exchange, a failure per exchange with a violation. */
export function renderJunit(report: ProxyReport): string {
  const suites: string[] = [];
  for (const vendor of report.vendors) {
    for (const op of vendor.operations) {
      if (op.cases.length === 0) continue;
      const classname = `${vendor.vendor}.${op.name}`;
      const cases = op.cases.map((c) => {
        const time = ((c.durationMs ?? 0) / 1000).toFixed(4);
        const head = `    <testcase classname="${xml(classname)}" name="${xml(c.title)}" time="${time}"`;
        if (c.outcome !== 'failed') return `${head}/>`;
        const message = c.problems[0] ?? 'the exchange breaks the contract';
        return `${head}>\n      <failure type="contract-violation" message="${xml(message)}">${xml(c.failure ?? message)}</failure>\n    </testcase>`;
      });
      const failures = op.cases.filter((c) => c.outcome === 'failed').length;
      suites.push(
        `  <testsuite name="${xml(classname)}" tests="${op.cases.length}" failures="${failures}" errors="0" skipped="0">\n${cases.join('\n')}\n  </testsuite>`,
      );
    }
  }
  const t = report.totals;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="proxy: ${xml(report.target.name)}" tests="${t.cases - report.proxy.omitted}" failures="${t.failed}" errors="0" time="${(report.durationMs / 1000).toFixed(3)}">\n${suites.join('\n')}\n</testsuites>\n`;
}

const wording = (report: ProxyReport) => ({
  heading: 'Proxy report',
  unit: 'exchanges',
  about: `Live traffic through the validating proxy since ${report.proxy.startedAt}${
    report.proxy.strict ? ' (--strict: requests that break the contract answered by the proxy, not forwarded)' : ''
  }: ${report.proxy.exchanges} exchanges, ${report.proxy.violations} violations${
    report.proxy.omitted
      ? `; ${report.proxy.omitted} passing exchanges that added no coverage are counted, not listed`
      : ''
  }.`,
  note: `Each exchange is checked both ways: the request against its operation's parameters, body schema and
schema-enforced rules (the sandbox's own checks), the answer against the documented statuses, content types and
body schemas (the contract suite's). Green chips: documented and observed (statuses), sent (fields); dashed: not;
red: an undocumented status the upstream answered, or a rule a request broke.`,
});

/** Writes the chosen reports into `out` (each file replaced whole); returns the files written. */
export function writeProxyReports(report: ProxyReport, out: string, names: readonly ProxyReporterName[]): string[] {
  mkdirSync(out, { recursive: true });
  const files: string[] = [];
  const write = (file: string, text: string) => {
    const path = join(out, file);
    writeFileSync(`${path}.tmp`, text);
    renameSync(`${path}.tmp`, path);
    files.push(path);
  };
  if (names.includes('json')) write(reportFiles.json, `${JSON.stringify(report, null, 2)}\n`);
  if (names.includes('junit')) write(reportFiles.junit, renderJunit(report));
  if (names.includes('html')) write(reportFiles.html, renderHtml(report, wording(report)));
  return files;
}
