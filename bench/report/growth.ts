/** The report's section on how an update's cost grows with the store: few tasks against many (bench/growth.ts). */
import { type BenchRun, GROWTH_RPS_TARGET, type Growth, int, ms, statusText } from './model.ts';

type Sized = Growth['results'][number];

/** The smallest and the largest store measured, and the largest's req/s over the smallest's. */
export function growthRatio(growth: Growth): { few?: Sized; many?: Sized; value?: number } {
  const sorted = [...growth.results].sort((a, b) => a.tasks - b.tasks);
  const few = sorted[0];
  const many = sorted.at(-1);
  if (!few || !many || few === many) return {};
  const [a, b] = [many.measurement.load, few.measurement.load];
  return { few, many, ...(a && b && b.rps > 0 ? { value: a.rps / b.rps } : {}) };
}

export function growthSection(run: BenchRun): string[] {
  const growth = run.growth;
  if (!growth) return [];
  const title = run.cases.find((c) => c.id === growth.caseId)?.title ?? growth.caseId;
  const out = [
    '',
    '## How the cost grows with the store',
    '',
    `${title} on the sandbox, its store holding each many \`${growth.kind}\` records (added to the sandbox data, which`,
    'every partner reads through), the sandbox started afresh on it: an update reads and writes one task by its key, so',
    `it must not slow down as the store grows (target: req/s with the most ÷ with the fewest ≥ ${GROWTH_RPS_TARGET}).`,
    `Each size loaded as one case above (${run.settings.warmupSeconds} s warm-up, ${run.settings.durationSeconds} s measured).`,
    '',
  ];
  if (growth.error) return [...out, `Not measured: ${growth.error}`];
  out.push('| tasks in the store | status | req/s | p50 ms | p99 ms | CPU µs/req |', '|---|---|---|---|---|---|');
  for (const { tasks, measurement: m } of growth.results) {
    const l = m.load;
    out.push(
      l
        ? `| ${int(tasks)} | ${statusText(l, m.probe)} | ${int(l.rps)} | ${ms(l.latencyMs.p50)} | ${ms(l.latencyMs.p99)} | ${m.cpuUsPerRequest === undefined ? '–' : Math.round(m.cpuUsPerRequest)} |`
        : `| ${int(tasks)} | ${m.probe.status || '–'} | – (${m.error ?? 'not measured'}) | | | |`,
    );
  }
  const { few, many, value } = growthRatio(growth);
  const [a, b] = [many?.measurement.load, few?.measurement.load];
  if (few && many && a && b && value !== undefined)
    out.push(
      '',
      `${int(many.tasks)} tasks ÷ ${int(few.tasks)}: req/s **${value.toFixed(2)}**, p99 ${(a.latencyMs.p99 / b.latencyMs.p99).toFixed(2)}.`,
    );
  return out;
}
