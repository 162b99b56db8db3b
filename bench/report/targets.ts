/**
 * The report's targets table (issue 11's targets, each with its verdict) and the findings under it: what the
 * figures of a run say about each missed target, in a sentence each.
 */
import { ADDED_P50_TARGET_MS, PERIOD_MS } from '../proxy-latency.ts';
import type { ServerName } from '../servers.ts';
import { medianOf } from '../startup.ts';
import { growthRatio } from './growth.ts';
import {
  type BenchRun,
  find,
  format,
  GROWTH_RPS_TARGET,
  HEADLINE_RPS_TARGET,
  MB,
  ms,
  P99_TARGET,
  type Ratio,
  RSS_LIMIT_BYTES,
  ratio,
  STARTUP_TARGETS,
  seconds,
  share,
  startupOf,
  type Target,
} from './model.ts';

/** The medians of a start-up variant: wall time, CPU time, RSS. */
function startupMedians(run: BenchRun, label: string) {
  const r = run.startup?.results.find((x) => x.label === label);
  if (!r) return { r };
  return { r, wall: medianOf(r, 'wallMs'), cpu: medianOf(r, 'cpuMs'), rss: medianOf(r, 'rssBytes') };
}

/** Start to first answer and RSS at first answer, of the sandbox and of the mock. */
function startupTargets(run: BenchRun, server: 'sandbox' | 'mock'): Target[] {
  const wanted = STARTUP_TARGETS[server];
  const { r, wall, cpu, rss } = startupMedians(run, server);
  const env = startupMedians(run, `${server}, NODE_COMPILE_CACHE set`);
  const none = r?.error ? `– (${r.error})` : '– (not measured)';
  const withCache = env.wall === undefined ? '' : `; with NODE_COMPILE_CACHE set ${seconds(env.wall)}`;
  const rssWithCache = env.rss === undefined ? '' : ` (with NODE_COMPILE_CACHE set ${MB(env.rss)})`;
  return [
    {
      name: `${server}: start to first answer (median of ${r?.samples.length ?? 0})`,
      wanted: `≤ ${seconds(wanted.ms)}`,
      measured:
        wall === undefined ? none : `${seconds(wall)} (CPU ${cpu === undefined ? '–' : seconds(cpu)}${withCache})`,
      met: wall === undefined ? undefined : wall <= wanted.ms,
    },
    {
      name: `${server}: RSS at first answer`,
      wanted: `≤ ${MB(wanted.rssBytes)}`,
      measured: rss === undefined ? none : `${MB(rss)}${rssWithCache}`,
      met: rss === undefined ? undefined : rss <= wanted.rssBytes,
    },
  ];
}

/** The case with the worst ratio of `a` over `b` among the comparable ones (lowest req/s, highest p99). */
function worstCase(run: BenchRun, a: ServerName, b: ServerName, on: 'rps' | 'p99') {
  const all = run.cases.map((c) => ({ c, r: ratio(run, c.id, a, b, on) }));
  const comparable = all.filter((x) => x.r.value !== undefined && !x.r.caveat);
  const sign = on === 'rps' ? 1 : -1;
  const worst = comparable.sort((x, y) => sign * ((x.r.value as number) - (y.r.value as number)))[0];
  const left = all.length - comparable.length;
  const skipped = left > 0 ? `; ${left} case${left > 1 ? 's' : ''} not comparable` : '';
  const which = on === 'rps' ? 'lowest' : 'highest';
  return {
    worst: worst?.r.value,
    text: worst ? `${format(worst.r)} (${which}: ${worst.c.id}${skipped})` : '– (no comparable case)',
  };
}

/** A ratio target: met when the worst case's ratio is on the right side of `bound`. */
function ratioTarget(
  run: BenchRun,
  name: string,
  [a, b, on]: [ServerName, ServerName, 'rps' | 'p99'],
  bound: { at: number; unit?: string; wanted?: string },
): Target {
  const { worst, text } = worstCase(run, a, b, on);
  const unit = bound.unit ?? '';
  return {
    name,
    wanted: bound.wanted ?? `${on === 'rps' ? '≥' : '≤'} ${bound.at}${unit}`,
    measured: unit ? text.replace(/^([\d.]+)/, `$1${unit}`) : text,
    met: worst === undefined ? undefined : on === 'rps' ? worst >= bound.at : worst <= bound.at,
  };
}

function bigBodyTarget(run: BenchRun, server: 'sandbox' | 'mock'): Target {
  const b = run.bigBodies?.find((x) => x.server === server);
  const others = b ? Object.entries(b.others).map(([k, n]) => `${k} ×${n}`) : [];
  return {
    name: `${server}: a 5 MB body sent with Node's fetch`,
    wanted: '413 every time',
    measured: b
      ? `413 in ${b.refused} of ${b.tries}${others.length ? `; ${others.join(', ')}` : ''}`
      : '– (not measured)',
    met: b ? b.refused === b.tries : undefined,
  };
}

function proxyTarget(run: BenchRun): Target[] {
  if (!run.proxyLatency) return [];
  const worst = addedLatency(run).sort((a, b) => b.p50 - a.p50)[0];
  return [
    {
      name: 'validating proxy, added latency at p50, every case (one request at a time)',
      wanted: `< ${ADDED_P50_TARGET_MS} ms`,
      measured: worst
        ? `${ms(worst.p50)} ms at most (${worst.caseId}; p99 ${ms(worst.p99)} ms)`
        : `– (${run.proxyLatency.error ?? 'not measured'})`,
      met: worst ? worst.p50 < ADDED_P50_TARGET_MS : undefined,
    },
  ];
}

function growthTarget(run: BenchRun): Target[] {
  if (!run.growth) return [];
  const { few, many, value } = growthRatio(run.growth);
  const sizes = few && many ? `${few.tasks.toLocaleString('en-US')}` : '';
  return [
    {
      name: `update with ${many ? many.tasks.toLocaleString('en-US') : 'many'} tasks ÷ with ${sizes || 'few'}, req/s`,
      wanted: `≥ ${GROWTH_RPS_TARGET}`,
      measured: value === undefined ? `– (${run.growth.error ?? 'not measured'})` : value.toFixed(2),
      met: value === undefined ? undefined : value >= GROWTH_RPS_TARGET,
    },
  ];
}

export function targets(run: BenchRun): Target[] {
  const peak = run.serverStats.find((s) => s.server === 'sandbox')?.peakRssBytes;
  const conn = `${run.settings.connections} connections`;
  return [
    ...startupTargets(run, 'sandbox'),
    ...startupTargets(run, 'mock'),
    {
      name: 'sandbox: peak RSS under the bench load (VmHWM)',
      wanted: `≤ ${MB(RSS_LIMIT_BYTES)}`,
      measured: peak === undefined ? '– (not measured)' : MB(peak),
      met: peak === undefined ? undefined : peak <= RSS_LIMIT_BYTES,
    },
    ratioTarget(run, `sandbox req/s ÷ ceiling's, every case (${conn})`, ['sandbox', 'ceiling', 'rps'], {
      at: HEADLINE_RPS_TARGET,
    }),
    ratioTarget(run, `sandbox p99 ÷ ceiling's, every case (${conn})`, ['sandbox', 'ceiling', 'p99'], {
      at: P99_TARGET,
    }),
    bigBodyTarget(run, 'sandbox'),
    bigBodyTarget(run, 'mock'),
    ratioTarget(run, 'sandbox / mock, requests/s, every case', ['sandbox', 'mock', 'rps'], { at: 10, unit: '×' }),
    ratioTarget(run, 'mock / Prism alone, requests/s, every case both answer 2xx', ['mock', 'prism', 'rps'], {
      at: 1,
      unit: '×',
      wanted: '≥ 1.0×',
    }),
    ...proxyTarget(run),
    ...growthTarget(run),
  ];
}

/**
 * Per case, proxied minus direct latency at p50 and p99 (ms), where both sides answered only 2xx: of the paced run
 * (the headline), or of the run with the given period.
 */
export function addedLatency(run: BenchRun, periodMs = PERIOD_MS): { caseId: string; p50: number; p99: number }[] {
  const ok = (statuses: Record<string, number>) => Object.keys(statuses).every((s) => /^2/.test(s));
  return (run.proxyLatency?.runs.find((r) => r.periodMs === periodMs)?.cases ?? [])
    .filter((c) => ok(c.direct.statuses) && ok(c.proxied.statuses))
    .map((c) => ({ caseId: c.caseId, p50: c.proxied.p50 - c.direct.p50, p99: c.proxied.p99 - c.direct.p99 }));
}

const cpuOf = (run: BenchRun, server: ServerName, caseId = run.headlineCase) =>
  find(run, caseId, server)?.cpuUsPerRequest;

/** The headline case's CPU per request, sandbox and ceiling, and the profile's top areas. */
function cpuFinding(run: BenchRun): string[] {
  const h = run.headlineCase;
  const [sandboxCpu, ceilingCpu] = [cpuOf(run, 'sandbox'), cpuOf(run, 'ceiling')];
  const rps: Ratio = ratio(run, h, 'sandbox', 'ceiling', 'rps');
  if (rps.value === undefined || rps.value >= HEADLINE_RPS_TARGET || !sandboxCpu || !ceilingCpu) return [];
  const areas = run.profile?.summary.areas
    .filter((a) => !/^(idle|V8)/.test(a.area))
    .slice(0, 4)
    .map((a) => `${a.area} ${share(a.share)}`)
    .join(', ');
  return [
    `Sandbox / ceiling: on ${h} the sandbox uses ${Math.round(sandboxCpu)} µs of server CPU per request, the ceiling ${Math.round(ceilingCpu)} µs; every request is CPU-bound on one core, so the req/s ratio follows the CPU ratio.` +
      (areas ? ` Where the sandbox's time goes (profile below, self time): ${areas}.` : ''),
  ];
}

function rssFinding(run: BenchRun): string[] {
  const stat = run.serverStats.find((s) => s.server === 'sandbox');
  if (stat?.peakRssBytes === undefined || stat.peakRssBytes < RSS_LIMIT_BYTES) return [];
  const ready = stat.rssAtReadyBytes;
  return [
    `Sandbox RSS: ${MB(stat.peakRssBytes)} at its peak` +
      (ready === undefined
        ? '.'
        : `, of which ${MB(ready)} were resident at its first answer and ${MB(stat.peakRssBytes - ready)} came under load.`),
  ];
}

function startupFinding(run: BenchRun, server: 'sandbox' | 'mock'): string[] {
  const r = startupOf(run, server);
  const wall = r ? medianOf(r, 'wallMs') : undefined;
  const cpuMs = r ? medianOf(r, 'cpuMs') : undefined;
  const rss = r ? medianOf(r, 'rssBytes') : undefined;
  const wanted = STARTUP_TARGETS[server];
  if (wall === undefined || (wall <= wanted.ms && (rss ?? 0) <= wanted.rssBytes)) return [];
  const areas = run.startup?.profiles
    .find((p) => p.server === server)
    ?.summary.areas.filter((a) => a.area !== 'idle')
    .slice(0, 5)
    .map((a) => `${a.area} ${share(a.share)}`)
    .join(', ');
  return [
    `${server[0]?.toUpperCase()}${server.slice(1)} start-up: ${seconds(wall)} to the first answer, of which ${cpuMs === undefined ? '–' : seconds(cpuMs)} CPU (the rest is waiting for the CPU: the machine's other work), ${rss === undefined ? '–' : MB(rss)} resident.` +
      (areas ? ` Where its CPU time goes (start-up profile below, self time): ${areas}.` : ''),
  ];
}

function mockFinding(run: BenchRun): string[] {
  const mock = run.cases
    .map((c) => ({ c, s: cpuOf(run, 'sandbox', c.id), m: cpuOf(run, 'mock', c.id) }))
    .filter((x) => x.s && x.m);
  const sm = ratio(run, run.headlineCase, 'sandbox', 'mock', 'rps');
  if (sm.value === undefined || sm.value >= 10 || mock.length === 0) return [];
  return [
    `Sandbox / mock: server CPU per request, mock over sandbox: ${mock.map((x) => `${x.c.id} ${((x.m as number) / (x.s as number)).toFixed(1)}×`).join(', ')} (the target asks for 10×).`,
  ];
}

/** What the figures of this run say about each missed target, in a sentence each (no opinion, only the data). */
export function findings(run: BenchRun): string[] {
  return [
    ...cpuFinding(run),
    ...rssFinding(run),
    ...startupFinding(run, 'sandbox'),
    ...startupFinding(run, 'mock'),
    ...mockFinding(run),
  ];
}
