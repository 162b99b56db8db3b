/**
 * The HTML report: one self-contained file (inline CSS, no script, no external asset), per vendor and operation
 * each case with its outcome, and what the run covered of the spec.
 */
import {
  type CaseRecord,
  expectedFailures,
  type OperationReport,
  type Outcome,
  type Ratio,
  type Totals,
  type VendorReport,
} from './coverage.ts';
import { type ContractReport, percent } from './report-model.ts';

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const label: Record<Outcome, string> = {
  passed: 'pass',
  failed: 'fail',
  'expected-failure': 'expected failure',
  skipped: 'skipped',
};

const css = `
:root { --pass: #1a7f37; --fail: #cf222e; --xfail: #9a6700; --muted: #6e7781; --line: #d0d7de; }
body { font: 14px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 1200px; padding: 1rem 1.5rem; color: #1f2328; }
h1 { font-size: 1.5rem; margin-bottom: .25rem; } h2 { margin-top: 2rem; border-bottom: 1px solid var(--line); }
code, pre { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; }
pre { white-space: pre-wrap; word-break: break-all; background: #f6f8fa; padding: .5rem; margin: .25rem 0; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { text-align: left; vertical-align: top; padding: .3rem .5rem; border-bottom: 1px solid var(--line); }
.badge { display: inline-block; padding: 0 .45rem; border-radius: 1rem; font-size: 12px; font-weight: 600; color: #fff; white-space: nowrap; }
.passed { background: var(--pass); } .failed { background: var(--fail); } .expected-failure { background: var(--xfail); }
.skipped, .not-exercised { background: var(--muted); }
tr[data-outcome="failed"] { background: #ffebe9; } tr[data-outcome="expected-failure"] { background: #fff8c5; }
.chip { display: inline-block; margin: 0 .25rem .25rem 0; padding: 0 .4rem; border: 1px solid var(--line); border-radius: .3rem; font: 12px ui-monospace, monospace; }
.chip.yes { border-color: var(--pass); color: var(--pass); } .chip.no { color: var(--muted); border-style: dashed; }
.chip.bad { border-color: var(--fail); color: var(--fail); font-weight: 600; }
.metrics td.num { font-variant-numeric: tabular-nums; font-weight: 600; }
details.op { border: 1px solid var(--line); border-radius: .4rem; margin: .75rem 0; padding: .25rem .75rem; }
details.op > summary { cursor: pointer; font-weight: 600; padding: .25rem 0; }
.muted { color: var(--muted); } .reason { color: var(--xfail); }
`;

/** How a report names itself and what it counts: the contract suite's cases, or the proxy's exchanges. */
export interface HtmlWording {
  heading: string;
  unit: string;
  /** The closing paragraph (HTML). */
  note: string;
  /** What the run was, in place of the contract suite's target capabilities (HTML). */
  about?: string;
}

const contractWording: HtmlWording = {
  heading: 'Contract report',
  unit: 'cases',
  note: `A failure shows what was expected, what came, and a curl command that reproduces it; an expected
failure is a case the target declared it cannot honour (why is given). Green chips: documented and observed (or
exercised); dashed: not; red: observed but undocumented, or failed.`,
};

function counts(t: Totals, unit = 'cases'): string {
  const parts = [`<span class="badge passed">${t.passed} passed</span>`];
  if (t.failed) parts.push(`<span class="badge failed">${t.failed} failed</span>`);
  if (t.expectedFailures)
    parts.push(`<span class="badge expected-failure">${expectedFailures(t.expectedFailures)}</span>`);
  if (t.skipped) parts.push(`<span class="badge skipped">${t.skipped} skipped</span>`);
  return `${parts.join(' ')} <span class="muted">of ${t.cases} ${unit}</span>`;
}

function metricRow(metric: string, what: string, r: Ratio): string {
  return `<tr><th>${what}</th><td class="num" data-metric="${metric}">${r.covered}/${r.total}</td><td>${percent(r)}</td></tr>`;
}

function chips<T>(items: T[], text: (t: T) => string, cls: (t: T) => string, title?: (t: T) => string): string {
  if (items.length === 0) return '<span class="muted">none</span>';
  return items
    .map(
      (i) =>
        `<span class="chip ${cls(i)}"${title ? ` title="${escapeHtml(title(i))}"` : ''}>${escapeHtml(text(i))}</span>`,
    )
    .join('');
}

function caseRow(c: CaseRecord): string {
  const details: string[] = [];
  if (c.reason) details.push(`<div class="reason">expected failure: ${escapeHtml(c.reason)}</div>`);
  if (c.failure) details.push(`<pre>${escapeHtml(c.failure)}</pre>`);
  return `<tr class="case" data-outcome="${c.outcome}" id="${escapeHtml(c.id)}">
<td><span class="badge ${c.outcome}">${label[c.outcome]}</span></td>
<td>${escapeHtml(c.kind)}</td>
<td>${escapeHtml(c.title)}<br><code class="muted">${escapeHtml(c.id)}</code>${details.join('')}</td>
<td>${c.rule ? `<code>${escapeHtml(c.rule)}</code>` : ''}</td>
<td>${c.exchanges.map((e) => e.status).join(', ')}</td>
</tr>`;
}

function operationSection(op: OperationReport, unit: string): string {
  const open = op.totals.failed > 0 ? ' open' : '';
  const statuses =
    chips(
      op.statuses,
      (s) => s.status,
      (s) => (s.observed ? 'yes' : 'no'),
      (s) => (s.observed ? 'documented and observed' : 'documented, not observed'),
    ) +
    (op.undocumented.length
      ? chips(
          op.undocumented,
          (s) => `${s} undocumented`,
          () => 'bad',
        )
      : '');
  const rules = chips(
    op.rules,
    (r) => `${r.id}${r.outcome === 'not exercised' ? '' : `: ${label[r.outcome]}`}`,
    (r) => (r.outcome === 'not exercised' ? 'no' : r.outcome === 'failed' ? 'bad' : 'yes'),
  );
  const fields = chips(
    op.fields,
    (f) => f.name,
    (f) => (f.exercised ? 'yes' : 'no'),
  );
  // Cases left out by --grep are counted in the badges, not listed.
  const shown = op.cases.filter((c) => c.outcome !== 'skipped');
  const rows = shown.map(caseRow).join('\n');
  return `<details class="op" data-operation="${escapeHtml(op.name)}"${open}>
<summary><code>${escapeHtml(op.method)} ${escapeHtml(op.path)}</code> ${escapeHtml(op.name)} — ${counts(op.totals, unit)}${
    op.covered ? '' : ' <span class="badge not-exercised">not covered</span>'
  }</summary>
<table class="coverage">
<tr><th>status codes</th><td>${statuses}</td></tr>
<tr><th>rules</th><td>${rules}</td></tr>
<tr><th>request fields</th><td>${fields}</td></tr>
</table>
${shown.length ? `<table class="cases"><tr><th>result</th><th>kind</th><th>${unit.replace(/s$/, '')}</th><th>rule</th><th>statuses</th></tr>\n${rows}\n</table>` : `<p class="muted">no ${unit}</p>`}
</details>`;
}

function vendorSection(v: VendorReport, unit: string): string {
  return `<section class="vendor" id="vendor-${escapeHtml(v.vendor)}" data-vendor="${escapeHtml(v.vendor)}">
<h2>${escapeHtml(v.title)} <code>${escapeHtml(v.vendor)}</code></h2>
<p>Base URL <code>${escapeHtml(v.baseUrl)}</code> — ${counts(v.totals, unit)}</p>
<table class="metrics">
<tr><th>covered of the spec</th><th>covered/all</th><th></th></tr>
${metricRow('operations', 'operations (x-actions counted)', v.coverage.operations)}
${metricRow('statuses', 'documented status codes observed', v.coverage.statuses)}
${metricRow('rules', 'x-rules exercised', v.coverage.rules)}
${metricRow('fields', 'top-level request fields exercised', v.coverage.fields)}
</table>
${v.operations.map((o) => operationSection(o, unit)).join('\n')}
</section>`;
}

export function renderHtml(report: ContractReport, wording: HtmlWording = contractWording): string {
  const { heading, unit } = wording;
  const { target } = report;
  const verdict = report.totals.failed > 0 || report.errors.length > 0 ? 'failed' : 'passed';
  const errors = report.errors.length
    ? `<h2>Errors outside the cases</h2>${report.errors.map((e) => `<pre>${escapeHtml(e)}</pre>`).join('')}`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(heading)}: ${escapeHtml(target.name)}</title>
<style>${css}</style>
</head>
<body>
<h1>${escapeHtml(heading)}: ${escapeHtml(target.name)} <span class="badge ${verdict}">${verdict}</span></h1>
<p class="muted">Generated ${escapeHtml(report.generatedAt)} in ${(report.durationMs / 1000).toFixed(1)} s. ${
    wording.about ??
    `Target capabilities:
${target.capabilities.length ? target.capabilities.map((c) => `<code>${escapeHtml(c)}</code>`).join(', ') : 'none (stateless, Prism-style errors)'}.`
  }</p>
<p>${counts(report.totals, unit)}</p>
<nav>${report.vendors.map((v) => `<a href="#vendor-${escapeHtml(v.vendor)}">${escapeHtml(v.title)}</a>`).join(' · ')}</nav>
${errors}
${report.vendors.map((v) => vendorSection(v, unit)).join('\n')}
<p class="muted">${wording.note}</p>
</body>
</html>
`;
}
