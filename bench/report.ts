/**
 * The markdown report (docs/benchmarks.md): the machine, the versions, the ratio table and the targets, then the
 * absolute figures behind them. Absolute figures depend on the machine; the ratios, all taken in one run on the
 * same payloads, are the figures of record.
 */
import { BIG_BODY_TRIES, type BigBodyResult } from './big-body.ts';
import type { LoadResult } from './load.ts';
import type { Machine } from './machine.ts';
import type { BenchPostgres } from './postgres.ts';
import type { ProfileSummary } from './profile.ts';
import { ADDED_P50_TARGET_MS, PERIOD_MS, type ProxyLatency } from './proxy-latency.ts';
import { type ServerName, serverDescriptions } from './servers.ts';
import { medianOf, type StartupResult } from './startup.ts';
import type { SuiteTiming } from './suite.ts';

export interface CaseInfo {
  id: string;
  title: string;
  method: string;
  path: string;
  mediaType: string;
  sample: string;
  bytes: number;
}

export interface Measurement {
  caseId: string;
  server: ServerName;
  /** The status and the start of the body of one request sent before the load. */
  probe: { status: number; excerpt: string };
  load?: LoadResult;
  /** The server's CPU time (every thread) over the case's whole load, per response it sent: noise-resistant. */
  cpuUsPerRequest?: number;
  error?: string;
}

export interface ServerStat {
  /** `sandbox`, or `prism (odyssee)` for Prism's per-vendor processes. */
  label: string;
  server: ServerName;
  startupMs?: number;
  rssAtReadyBytes?: number;
  peakRssBytes?: number;
  error?: string;
}

export interface BenchRun {
  startedAt: Date;
  seconds: number;
  quick: boolean;
  settings: { connections: number; warmupSeconds: number; durationSeconds: number; rounds: number };
  machine: Machine;
  pinning: string;
  /** 1-minute load average when the run started and when it ended: other work on the machine. */
  loadAverage: [number, number];
  cases: CaseInfo[];
  servers: ServerName[];
  measurements: Measurement[];
  serverStats: ServerStat[];
  headlineCase: string;
  suite?: SuiteTiming;
  profile?: { caseId: string; summary: ProfileSummary; note: string };
  /** The validating proxy's added latency (bench/proxy-latency.ts); absent with --no-proxy or without the sandbox. */
  proxyLatency?: ProxyLatency;
  notes: string[];
  /** Every connection count the cases were loaded at: `settings.connections` (the measurements) and the sweep's. */
  connectionLevels?: number[];
  /** The cases at the sweep's other connection counts (sandbox, ceiling, mock). */
  sweep?: (Measurement & { connections: number })[];
  /** 5 MB bodies sent with fetch to the running sandbox and mock. */
  bigBodies?: ({ server: ServerName } & BigBodyResult)[];
  /** Start-up measured on its own (startup.ts), and where it goes (profiles). */
  startup?: { starts: number; results: StartupResult[]; profiles: StartupProfile[] };
  /** The PostgreSQL the sandbox-pg servers ran on, or why they did not. */
  postgres?: BenchPostgres;
  /** The headline case on the sandbox servers again, the load spread over this many partners. */
  spread?: { partners: number; measurements: Measurement[] };
}

/** A server's start-up under `node --cpu-prof`, from spawn to first answer. */
export interface StartupProfile {
  server: ServerName;
  summary: ProfileSummary;
}

/** A ratio `a / b` of two measurements of a case, or why there is none. */
export interface Ratio {
  value?: number;
  /** Why the ratio is missing or not comparable (a side answered non-2xx, or was not measured). */
  caveat?: string;
}

/** Issue 11's targets. */
export const RSS_LIMIT_BYTES = 150 * 1000 * 1000;
export const HEADLINE_RPS_TARGET = 0.6;
export const P99_TARGET = 2;
export const STARTUP_TARGETS = {
  sandbox: { ms: 300, rssBytes: 100 * 1000 * 1000 },
  mock: { ms: 1500, rssBytes: 250 * 1000 * 1000 },
} as const;

const MB = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const ms = (value: number) => (Number.isFinite(value) ? (value < 10 ? value.toFixed(2) : value.toFixed(1)) : '–');
const int = (value: number) => Math.round(value).toLocaleString('en-US');
const share = (value: number) => `${(value * 100).toFixed(1)} %`;

function format(ratio: Ratio, unit = ''): string {
  if (ratio.value === undefined) return `– (${ratio.caveat ?? 'not measured'})`;
  const v = ratio.value >= 10 ? ratio.value.toFixed(1) : ratio.value.toFixed(2);
  return `${v}${unit}${ratio.caveat ? ` (${ratio.caveat})` : ''}`;
}

/** Share of responses that were 2xx, and the statuses seen, as `200` or `200 ×9, 422 ×1`. */
export function statusText(load: LoadResult | undefined, probe: { status: number }): string {
  if (!load) return String(probe.status);
  const entries = Object.entries(load.statuses).sort((a, b) => b[1] - a[1]);
  const text = entries.length === 1 ? (entries[0]?.[0] ?? '') : entries.map(([s, n]) => `${s} ×${int(n)}`).join(', ');
  const failures = load.errors + load.timeouts;
  return failures > 0 ? `${text}, ${int(failures)} errors` : text;
}

/** Whether every response of the measured run was 2xx, without connection errors. */
export function allSuccessful(m: Measurement | undefined): boolean {
  if (!m?.load) return false;
  const statuses = Object.keys(m.load.statuses);
  return statuses.length > 0 && statuses.every((s) => /^2/.test(s)) && m.load.errors === 0;
}

function find(run: BenchRun, caseId: string, server: ServerName): Measurement | undefined {
  return run.measurements.find((m) => m.caseId === caseId && m.server === server);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * `a / b` on requests per second (or on p99 latency): the median over rounds of the ratio within a round (round r
 * of every server ran back to back), with a caveat when the two did not do the same work.
 */
export function ratio(run: BenchRun, caseId: string, a: ServerName, b: ServerName, on: 'rps' | 'p99'): Ratio {
  const ma = find(run, caseId, a);
  const mb = find(run, caseId, b);
  if (!ma?.load || !mb?.load) return { caveat: `${!ma?.load ? a : b} not measured` };
  const ra = ma.load.rounds;
  const rb = mb.load.rounds;
  const value =
    ra.length > 0 && ra.length === rb.length
      ? median(ra.map((r, i) => r[on] / (rb[i] as (typeof rb)[number])[on]))
      : on === 'rps'
        ? ma.load.rps / mb.load.rps
        : ma.load.latencyMs.p99 / mb.load.latencyMs.p99;
  const failing = [ma, mb].filter((m) => !allSuccessful(m)).map((m) => `${m.server} ${statusText(m.load, m.probe)}`);
  return failing.length > 0 ? { value, caveat: `not comparable: ${failing.join('; ')}` } : { value };
}

/** `b`'s server CPU time per request over `a`'s: the throughput ratio a CPU-bound `a` would have, noise aside. */
export function cpuRatio(run: BenchRun, caseId: string, a: ServerName, b: ServerName): Ratio {
  const ca = find(run, caseId, a)?.cpuUsPerRequest;
  const cb = find(run, caseId, b)?.cpuUsPerRequest;
  if (ca === undefined || cb === undefined || ca <= 0) return { caveat: 'not measured' };
  return { value: cb / ca };
}

export interface Target {
  name: string;
  wanted: string;
  measured: string;
  met: boolean | undefined;
}

/** The start-up variant measured as users run the command (startup.ts). */
function startupOf(run: BenchRun, server: 'sandbox' | 'mock'): StartupResult | undefined {
  return run.startup?.results.find((r) => r.label === server);
}

const seconds = (value: number) => (value < 1000 ? `${Math.round(value)} ms` : `${(value / 1000).toFixed(2)} s`);

export function targets(run: BenchRun): Target[] {
  const out: Target[] = [];
  for (const server of ['sandbox', 'mock'] as const) {
    const wanted = STARTUP_TARGETS[server];
    const r = startupOf(run, server);
    const wall = r ? medianOf(r, 'wallMs') : undefined;
    const cpu = r ? medianOf(r, 'cpuMs') : undefined;
    const rss = r ? medianOf(r, 'rssBytes') : undefined;
    const env = run.startup?.results.find((x) => x.label === `${server}, NODE_COMPILE_CACHE set`);
    const envWall = env ? medianOf(env, 'wallMs') : undefined;
    const envRss = env ? medianOf(env, 'rssBytes') : undefined;
    const none = r?.error ? `– (${r.error})` : '– (not measured)';
    out.push({
      name: `${server}: start to first answer (median of ${r?.samples.length ?? 0})`,
      wanted: `≤ ${seconds(wanted.ms)}`,
      measured:
        wall === undefined
          ? none
          : `${seconds(wall)} (CPU ${cpu === undefined ? '–' : seconds(cpu)}${envWall === undefined ? '' : `; with NODE_COMPILE_CACHE set ${seconds(envWall)}`})`,
      met: wall === undefined ? undefined : wall <= wanted.ms,
    });
    out.push({
      name: `${server}: RSS at first answer`,
      wanted: `≤ ${MB(wanted.rssBytes)}`,
      measured:
        rss === undefined
          ? none
          : `${MB(rss)}${envRss === undefined ? '' : ` (with NODE_COMPILE_CACHE set ${MB(envRss)})`}`,
      met: rss === undefined ? undefined : rss <= wanted.rssBytes,
    });
  }
  const peak = run.serverStats.find((s) => s.server === 'sandbox')?.peakRssBytes;
  out.push({
    name: 'sandbox: peak RSS under the bench load (VmHWM)',
    wanted: `≤ ${MB(RSS_LIMIT_BYTES)}`,
    measured: peak === undefined ? '– (not measured)' : MB(peak),
    met: peak === undefined ? undefined : peak <= RSS_LIMIT_BYTES,
  });
  const extreme = (a: ServerName, b: ServerName, on: 'rps' | 'p99') => {
    const all = run.cases.map((c) => ({ c, r: ratio(run, c.id, a, b, on) }));
    const comparable = all.filter((x) => x.r.value !== undefined && !x.r.caveat);
    const sign = on === 'rps' ? 1 : -1;
    const worst = comparable.sort((x, y) => sign * ((x.r.value as number) - (y.r.value as number)))[0];
    const left = all.length - comparable.length;
    const skipped = left > 0 ? `; ${left} case${left > 1 ? 's' : ''} not comparable` : '';
    const which = on === 'rps' ? 'lowest' : 'highest';
    return {
      worst,
      text: worst
        ? `${format(worst.r, on === 'rps' ? '' : '')} (${which}: ${worst.c.id}${skipped})`
        : '– (no comparable case)',
    };
  };
  const conn = `${run.settings.connections} connections`;
  const rps = extreme('sandbox', 'ceiling', 'rps');
  out.push({
    name: `sandbox req/s ÷ ceiling's, every case (${conn})`,
    wanted: `≥ ${HEADLINE_RPS_TARGET}`,
    measured: rps.text,
    met: rps.worst ? (rps.worst.r.value as number) >= HEADLINE_RPS_TARGET : undefined,
  });
  const p99 = extreme('sandbox', 'ceiling', 'p99');
  out.push({
    name: `sandbox p99 ÷ ceiling's, every case (${conn})`,
    wanted: `≤ ${P99_TARGET}`,
    measured: p99.text,
    met: p99.worst ? (p99.worst.r.value as number) <= P99_TARGET : undefined,
  });
  for (const server of ['sandbox', 'mock'] as const) {
    const b = run.bigBodies?.find((x) => x.server === server);
    const others = b ? Object.entries(b.others).map(([k, n]) => `${k} ×${n}`) : [];
    out.push({
      name: `${server}: a 5 MB body sent with Node's fetch`,
      wanted: '413 every time',
      measured: b
        ? `413 in ${b.refused} of ${b.tries}${others.length ? `; ${others.join(', ')}` : ''}`
        : '– (not measured)',
      met: b ? b.refused === b.tries : undefined,
    });
  }
  const lowest = (a: ServerName, b: ServerName) => {
    const { worst, text } = extreme(a, b, 'rps');
    return { min: worst, text: text.replace(/^([\d.]+)/, '$1×') };
  };
  const sm = lowest('sandbox', 'mock');
  out.push({
    name: 'sandbox / mock, requests/s, every case',
    wanted: '≥ 10×',
    measured: sm.text,
    met: sm.min ? (sm.min.r.value as number) >= 10 : undefined,
  });
  const mp = lowest('mock', 'prism');
  out.push({
    name: 'mock / Prism alone, requests/s, every case both answer 2xx',
    wanted: '≥ 1.0×',
    measured: mp.text,
    met: mp.min ? (mp.min.r.value as number) >= 1 : undefined,
  });
  const added = addedLatency(run);
  if (run.proxyLatency) {
    const worst = added.sort((a, b) => b.p50 - a.p50)[0];
    out.push({
      name: 'validating proxy, added latency at p50, every case (one request at a time)',
      wanted: `< ${ADDED_P50_TARGET_MS} ms`,
      measured: worst
        ? `${ms(worst.p50)} ms at most (${worst.caseId}; p99 ${ms(worst.p99)} ms)`
        : `– (${run.proxyLatency.error ?? 'not measured'})`,
      met: worst ? worst.p50 < ADDED_P50_TARGET_MS : undefined,
    });
  }
  return out;
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

/** What the figures of this run say about each missed target, in a sentence each (no opinion, only the data). */
export function findings(run: BenchRun): string[] {
  const out: string[] = [];
  const h = run.headlineCase;
  const cpu = (server: ServerName, caseId = h) => find(run, caseId, server)?.cpuUsPerRequest;
  const [sandboxCpu, ceilingCpu] = [cpu('sandbox'), cpu('ceiling')];
  const rps = ratio(run, h, 'sandbox', 'ceiling', 'rps');
  if (rps.value !== undefined && rps.value < HEADLINE_RPS_TARGET && sandboxCpu && ceilingCpu) {
    const areas = run.profile?.summary.areas
      .filter((a) => !/^(idle|V8)/.test(a.area))
      .slice(0, 4)
      .map((a) => `${a.area} ${share(a.share)}`)
      .join(', ');
    out.push(
      `Sandbox / ceiling: on ${h} the sandbox uses ${Math.round(sandboxCpu)} µs of server CPU per request, the ceiling ${Math.round(ceilingCpu)} µs; every request is CPU-bound on one core, so the req/s ratio follows the CPU ratio.` +
        (areas ? ` Where the sandbox's time goes (profile below, self time): ${areas}.` : ''),
    );
  }
  const stat = run.serverStats.find((s) => s.server === 'sandbox');
  if (stat?.peakRssBytes !== undefined && stat.peakRssBytes >= RSS_LIMIT_BYTES) {
    const ready = stat.rssAtReadyBytes;
    out.push(
      `Sandbox RSS: ${MB(stat.peakRssBytes)} at its peak` +
        (ready === undefined
          ? '.'
          : `, of which ${MB(ready)} were resident at its first answer and ${MB(stat.peakRssBytes - ready)} came under load.`),
    );
  }
  for (const server of ['sandbox', 'mock'] as const) {
    const r = startupOf(run, server);
    const wall = r ? medianOf(r, 'wallMs') : undefined;
    const cpuMs = r ? medianOf(r, 'cpuMs') : undefined;
    const rss = r ? medianOf(r, 'rssBytes') : undefined;
    const wanted = STARTUP_TARGETS[server];
    if (wall === undefined || (wall <= wanted.ms && (rss ?? 0) <= wanted.rssBytes)) continue;
    const areas = run.startup?.profiles
      .find((p) => p.server === server)
      ?.summary.areas.filter((a) => a.area !== 'idle')
      .slice(0, 5)
      .map((a) => `${a.area} ${share(a.share)}`)
      .join(', ');
    out.push(
      `${server[0]?.toUpperCase()}${server.slice(1)} start-up: ${seconds(wall)} to the first answer, of which ${cpuMs === undefined ? '–' : seconds(cpuMs)} CPU (the rest is waiting for the CPU: the machine's other work), ${rss === undefined ? '–' : MB(rss)} resident.` +
        (areas ? ` Where its CPU time goes (start-up profile below, self time): ${areas}.` : ''),
    );
  }
  const mock = run.cases.map((c) => ({ c, s: cpu('sandbox', c.id), m: cpu('mock', c.id) })).filter((x) => x.s && x.m);
  const sm = ratio(run, h, 'sandbox', 'mock', 'rps');
  if (sm.value !== undefined && sm.value < 10 && mock.length > 0) {
    out.push(
      `Sandbox / mock: server CPU per request, mock over sandbox: ${mock.map((x) => `${x.c.id} ${((x.m as number) / (x.s as number)).toFixed(1)}×`).join(', ')} (the target asks for 10×).`,
    );
  }
  return out;
}

/** The sandbox on PostgreSQL beside SQLite: one instance, then two behind the same load (what sharing costs). */
export function postgresSection(run: BenchRun): string[] {
  const pg = run.postgres;
  if (!pg) return [];
  const out = ['', '## The sandbox on PostgreSQL', ''];
  if ('unavailable' in pg) {
    return [...out, `Not measured in this run: ${pg.unavailable} (\`npm run bench -- --postgres <url>\`).`];
  }
  const measured = (server: ServerName, caseId: string) => find(run, caseId, server)?.load;
  const rps = (server: ServerName, caseId: string) => {
    const load = measured(server, caseId);
    return load ? int(load.rps) : '–';
  };
  const p99 = (server: ServerName, caseId: string) => {
    const load = measured(server, caseId);
    return load ? ms(load.latencyMs.p99) : '–';
  };
  const cpu = (server: ServerName, caseId: string) => {
    const us = find(run, caseId, server)?.cpuUsPerRequest;
    return us === undefined ? '–' : String(Math.round(us));
  };
  const settings = Object.entries(pg.settings)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  out.push(
    `The same sandbox on PostgreSQL ${pg.version} (${settings}) on this machine, not pinned: its server processes`,
    'share both CPUs with the sandbox and the load generator, and their CPU time is not in the CPU column (the',
    "sandbox processes' own). sandbox-pg-2 is two instances on one schema, both on the server CPU, the connections",
    'split between them: the same CPU as one instance, so the ratio is the cost of sharing, not a scale-out (on more',
    'cores each instance would have its own). Every case writes as one partner, so each write waits for the one',
    "before it (the tenant's lock; SQLite's single writer alike): each request is a transaction and a commit.",
    '',
    '| case | SQLite req/s | PostgreSQL req/s | × SQLite | 2 instances req/s | × 1 instance | p99 ms (SQLite / PG / PG ×2) | CPU µs/req (SQLite / PG / PG ×2) |',
    '|---|---|---|---|---|---|---|---|',
    ...run.cases.map(
      (c) =>
        `| ${c.title} | ${rps('sandbox', c.id)} | ${rps('sandbox-pg', c.id)} | ${format(ratio(run, c.id, 'sandbox-pg', 'sandbox', 'rps'))} | ${rps('sandbox-pg-2', c.id)} | ${format(ratio(run, c.id, 'sandbox-pg-2', 'sandbox-pg', 'rps'))} | ${p99('sandbox', c.id)} / ${p99('sandbox-pg', c.id)} / ${p99('sandbox-pg-2', c.id)} | ${cpu('sandbox', c.id)} / ${cpu('sandbox-pg', c.id)} / ${cpu('sandbox-pg-2', c.id)} |`,
    ),
  );
  if (run.spread) {
    const spread = { ...run, measurements: run.spread.measurements };
    const c = run.cases.find((x) => x.id === run.headlineCase);
    const load = (server: ServerName) => find(spread, run.headlineCase, server)?.load;
    const cell = (server: ServerName) => {
      const l = load(server);
      return l ? `${int(l.rps)} (p99 ${ms(l.latencyMs.p99)} ms)` : '–';
    };
    out.push(
      '',
      `${c?.title ?? run.headlineCase} again, the same load spread over ${run.spread.partners} partners (each request as the`,
      'next partner in turn): their writes need not wait for each other on PostgreSQL (a lock per partner); SQLite',
      'has one writer whatever the partner.',
      '',
      '| | SQLite | PostgreSQL | 2 instances | PostgreSQL × SQLite | 2 instances × 1 |',
      '|---|---|---|---|---|---|',
      `| req/s | ${cell('sandbox')} | ${cell('sandbox-pg')} | ${cell('sandbox-pg-2')} | ${format(ratio(spread, run.headlineCase, 'sandbox-pg', 'sandbox', 'rps'))} | ${format(ratio(spread, run.headlineCase, 'sandbox-pg-2', 'sandbox-pg', 'rps'))} |`,
    );
  }
  return out;
}

const yesNo = (met: boolean | undefined) => (met === undefined ? 'not measured' : met ? 'yes' : '**no**');

/** The start-up table (startup.ts) and where each server's start-up time goes. */
function startupSection(run: BenchRun): string[] {
  if (!run.startup) return [];
  const out = [
    '## Start-up',
    '',
    `Each server started ${run.startup.starts} times on its own (after one discarded start that fills the caches), one`,
    'start at a time on the server CPU, in interleaved rounds: from spawning the process to its first HTTP answer',
    '(wall), the CPU time (every thread) it had used by then, which other work on the machine barely moves, and its',
    'resident set at that moment. Medians, with the range of the wall times.',
    '',
    '| server | how | start to first answer | (range) | CPU by then | RSS at first answer | wall × Prism |',
    '|---|---|---|---|---|---|---|',
  ];
  const prism = run.startup.results.find((r) => r.server === 'prism');
  const prismWall = prism ? medianOf(prism, 'wallMs') : undefined;
  for (const r of run.startup.results) {
    if (r.error || r.samples.length === 0) {
      out.push(`| ${r.label} | ${r.how} | – (${r.error ?? 'no start'}) | | | | |`);
      continue;
    }
    const wall = medianOf(r, 'wallMs') as number;
    const walls = r.samples.map((x) => x.wallMs);
    const cpu = medianOf(r, 'cpuMs');
    const rss = medianOf(r, 'rssBytes');
    out.push(
      `| ${r.label} | ${r.how} | ${seconds(wall)} | ${seconds(Math.min(...walls))}–${seconds(Math.max(...walls))} | ${cpu === undefined ? '–' : seconds(cpu)} | ${rss === undefined ? '–' : MB(rss)} | ${prismWall ? (wall / prismWall).toFixed(2) : '–'} |`,
    );
  }
  for (const p of run.startup.profiles) {
    out.push(
      '',
      `Where the ${p.server}'s start-up goes: one more start under \`node --cpu-prof\` (slower than above), from spawn to`,
      `first answer, ${Math.round(p.summary.busyMs)} ms of CPU sampled.`,
      '',
      '| area (self time) | share |',
      '|---|---|',
      ...p.summary.areas.filter((a) => a.area !== 'idle').map((a) => `| ${a.area} | ${share(a.share)} |`),
    );
  }
  out.push('');
  return out;
}

/** Requests per second and p99 at each connection count: how the cost grows with concurrency. */
function sweepSection(run: BenchRun): string[] {
  const levels = run.connectionLevels ?? [run.settings.connections];
  if (levels.length < 2 || !run.sweep) return [];
  const at = (caseId: string, server: ServerName, connections: number): Measurement | undefined =>
    connections === run.settings.connections
      ? find(run, caseId, server)
      : run.sweep?.find((m) => m.caseId === caseId && m.server === server && m.connections === connections);
  const cell = (m: Measurement | undefined) =>
    m?.load ? `${int(m.load.rps)} / ${ms(m.load.latencyMs.p99)}` : `– (${m?.error ?? 'not measured'})`;
  const rel = (a: Measurement | undefined, b: Measurement | undefined, on: 'rps' | 'p99') => {
    if (!a?.load || !b?.load) return '–';
    const value = on === 'rps' ? a.load.rps / b.load.rps : a.load.latencyMs.p99 / b.load.latencyMs.p99;
    const caveat = allSuccessful(a) && allSuccessful(b) ? '' : ' (not comparable)';
    return `${value.toFixed(2)}${caveat}`;
  };
  const out = [
    '',
    '## How the cost grows with concurrency',
    '',
    `Each case at ${levels.join(', ')} connections: requests per second / p99 latency in ms. The ${run.settings.connections}-connection`,
    'figures are the ones above; the others come from shorter runs (at most 2 s warm-up, 4 s measured in up to 2',
    'rounds), loading the sandbox, the ceiling and the mock in turn.',
    '',
    '| case | connections | sandbox | ceiling | mock | sandbox ÷ ceiling req/s | sandbox ÷ ceiling p99 |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const c of run.cases) {
    for (const n of levels) {
      const [s, ce, m] = (['sandbox', 'ceiling', 'mock'] as const).map((server) => at(c.id, server, n));
      out.push(
        `| ${c.title} | ${n} | ${cell(s)} | ${cell(ce)} | ${cell(m)} | ${rel(s, ce, 'rps')} | ${rel(s, ce, 'p99')} |`,
      );
    }
  }
  return out;
}

export function renderReport(run: BenchRun): string {
  const { machine, settings } = run;
  const lines: string[] = [];
  const push = (...more: string[]) => lines.push(...more);
  push(
    '# Benchmarks',
    '',
    `Written by \`npm run bench${run.quick ? ' -- --quick' : ''}\` on ${run.startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC in ${Math.round(run.seconds)} s.` +
      (run.quick ? ' **Quick smoke run: durations too short for figures of record.**' : ''),
    'Every figure below comes from this one run, on the same payloads for every server; compare the ratios, not the',
    'absolute figures, across machines. Run it again with `npm run bench` (about 14 minutes; `-- --quick` for a',
    'smoke run that writes to reports/, `-- --help` for the flags).',
    '',
    '## Machine',
    '',
    '| | |',
    '|---|---|',
    `| CPU | ${machine.cpuModel}, ${machine.cores} cores available |`,
    `| memory | ${(machine.memoryBytes / 2 ** 30).toFixed(1)} GiB |`,
    `| OS | ${machine.os} |`,
    `| versions | ${Object.entries(machine.versions)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')} |`,
    `| pinning | ${run.pinning} |`,
    `| 1-min load average | ${run.loadAverage[0].toFixed(2)} at the start, ${run.loadAverage[1].toFixed(2)} at the end (${machine.cores} cores; the server and the load generator of this run account for about 2) |`,
    `| load | autocannon, ${settings.connections} connections, no pipelining; per server per case ${settings.warmupSeconds} s warm-up (discarded), then ${settings.durationSeconds} s measured in ${settings.rounds} interleaved rounds |`,
    '',
    '## Targets',
    '',
    '| target | wanted | measured | met |',
    '|---|---|---|---|',
    ...targets(run).map((t) => `| ${t.name} | ${t.wanted} | ${t.measured} | ${yesNo(t.met)} |`),
    '',
    ...findings(run).flatMap((f) => [`- ${f}`]),
    '',
    ...startupSection(run),
    '## Ratios',
    '',
    'One server over another on the same case: the median, over the measured rounds, of the ratio within a round',
    '(the servers of a round run back to back, so both sides see the same machine).',
    '',
    'The CPU column is the same ratio from the servers’ own CPU time per request (ceiling’s over sandbox’s), which',
    'other work on the machine barely moves: where it and the req/s ratio disagree, the machine was busy.',
    '',
    '| case | sandbox / ceiling req/s | sandbox / ceiling p99 | sandbox / ceiling CPU | sandbox / mock req/s | mock / Prism alone req/s |',
    '|---|---|---|---|---|---|',
    ...run.cases.map(
      (c) =>
        `| ${c.title} | ${format(ratio(run, c.id, 'sandbox', 'ceiling', 'rps'))} | ${format(ratio(run, c.id, 'sandbox', 'ceiling', 'p99'))} | ${format(cpuRatio(run, c.id, 'sandbox', 'ceiling'))} | ${format(ratio(run, c.id, 'sandbox', 'mock', 'rps'), '×')} | ${format(ratio(run, c.id, 'mock', 'prism', 'rps'), '×')} |`,
    ),
  );
  push(...postgresSection(run));
  push(
    '',
    '## Throughput and latency',
    '',
    'Requests per second: the median of the rounds (their lowest and highest after it). Latency: per response, from',
    'the load generator (sub-millisecond), over every response of every measured round. CPU: the server process’s',
    'CPU time (all threads) over the case’s warm-up and rounds, per response.',
    '',
    '| case | server | status | req/s (rounds) | × ceiling | p50 ms | p90 ms | p99 ms | max ms | CPU µs/req |',
    '|---|---|---|---|---|---|---|---|---|---|',
  );
  for (const c of run.cases) {
    for (const server of run.servers) {
      const m = find(run, c.id, server);
      if (!m) continue;
      if (!m.load) {
        push(`| ${c.title} | ${server} | ${m.probe.status || '–'} | – (${m.error ?? 'not measured'}) | | | | | | |`);
        continue;
      }
      const vs = server === 'ceiling' ? '1' : format(ratio(run, c.id, server, 'ceiling', 'rps')).replace(/ \(.*$/, '');
      const l = m.load.latencyMs;
      const each = m.load.rounds.map((r) => r.rps);
      const spread = each.length > 1 ? ` (${int(Math.min(...each))}–${int(Math.max(...each))})` : '';
      push(
        `| ${c.title} | ${server} | ${statusText(m.load, m.probe)} | ${int(m.load.rps)}${spread} | ${vs} | ${ms(l.p50)} | ${ms(l.p90)} | ${ms(l.p99)} | ${ms(l.max)} | ${m.cpuUsPerRequest === undefined ? '–' : Math.round(m.cpuUsPerRequest)} |`,
      );
    }
  }
  push(...sweepSection(run));
  push(
    '',
    '## Memory of the servers under load',
    '',
    'The processes the load ran against, each started once: start-up as above but a single start, so noisier than',
    'the start-up table. Peak RSS: the process’s VmHWM (its highest resident set since it started, start-up',
    'included) after all its cases.',
    '',
    '| server | start-up to first answer | RSS at first answer | peak RSS | × sandbox peak RSS |',
    '|---|---|---|---|---|',
  );
  const sandboxRss = run.serverStats.find((s) => s.server === 'sandbox')?.peakRssBytes;
  for (const s of run.serverStats) {
    if (s.error) {
      push(`| ${s.label} | – (${s.error}) | | | |`);
      continue;
    }
    const rel = s.peakRssBytes && sandboxRss ? (s.peakRssBytes / sandboxRss).toFixed(2) : '–';
    push(
      `| ${s.label} | ${s.startupMs === undefined ? '–' : `${(s.startupMs / 1000).toFixed(2)} s`} | ${s.rssAtReadyBytes === undefined ? '–' : MB(s.rssAtReadyBytes)} | ${s.peakRssBytes === undefined ? '–' : MB(s.peakRssBytes)} | ${rel} |`,
    );
  }
  if (run.proxyLatency) {
    const pl = run.proxyLatency;
    push(
      '',
      '## Validating proxy: added latency',
      '',
      `\`npm run proxy -- --target <sandbox>\` in front of the sandbox. ${pl.note} Latency: from sending the request to`,
      'the last byte of the answer, in ms; added = through the proxy minus straight to the sandbox, at the same quantile.',
      'Requests back to back: the next is sent as soon as the answer is in, so the checks of one exchange (on the',
      "proxy's check thread) compete for the shared server CPU with the next exchange and the sandbox.",
    );
    if (pl.error) push('', `Not measured: ${pl.error}`);
    const title = (id: string) => run.cases.find((c) => c.id === id)?.title ?? id;
    const codes = (s: Record<string, number>) =>
      Object.entries(s)
        .map(([k, n]) => `${k}×${n}`)
        .join(' ');
    for (const r of pl.runs) {
      push(
        '',
        `${r.periodMs ? `One request every ${r.periodMs} ms` : 'Back to back'}, ${r.requests} requests per case and side:`,
        '',
        '| case | statuses (straight / proxied) | straight p50 | proxied p50 | **added p50** | straight p99 | proxied p99 | added p99 |',
        '|---|---|---|---|---|---|---|---|',
      );
      for (const c of r.cases) {
        push(
          `| ${title(c.caseId)} | ${codes(c.direct.statuses)} / ${codes(c.proxied.statuses)} | ${ms(c.direct.p50)} | ${ms(c.proxied.p50)} | **${ms(c.proxied.p50 - c.direct.p50)}** | ${ms(c.direct.p99)} | ${ms(c.proxied.p99)} | ${ms(c.proxied.p99 - c.direct.p99)} |`,
        );
      }
    }
  }
  push('', '## Contract suite', '');
  if (run.suite) {
    push(
      `\`${run.suite.command}\` (the whole contract suite against an in-process sandbox): **${run.suite.seconds.toFixed(1)} s** wall time, ${run.suite.passed ? 'passed' : '**failed**'}${run.suite.summary ? ` (${run.suite.summary})` : ''}.`,
    );
  } else {
    push('Not timed in this run (`--no-suite`).');
  }
  if (run.profile) {
    const p = run.profile;
    push(
      '',
      '## Where the sandbox’s time goes',
      '',
      `${p.note} ${Math.round(p.summary.busyMs)} ms of busy CPU time sampled (idle excluded).`,
      '',
      '| area (self time) | share |',
      '|---|---|',
      ...p.summary.areas.map((a) => `| ${a.area} | ${share(a.share)} |`),
      '',
      '| project function (inclusive) | share |',
      '|---|---|',
      ...p.summary.project.map((f) => `| \`${f.fn}\` | ${share(f.share)} |`),
      '',
      '| hottest functions (self) | share |',
      '|---|---|',
      ...p.summary.hottest.map((f) => `| \`${f.fn}\` | ${share(f.share)} |`),
    );
  }
  push('', '## Cases', '', '| case | request | body |', '|---|---|---|');
  for (const c of run.cases) {
    push(`| ${c.title} | \`${c.method} ${c.path}\` | \`mocks/${c.sample}\` (${c.bytes} bytes, ${c.mediaType}) |`);
  }
  push('', '## Servers', '');
  for (const server of run.servers) push(`- **${server}**: ${serverDescriptions[server]}.`);
  push(
    '',
    '## Method',
    '',
    '- Each server is its own process on 127.0.0.1, all pinned to one CPU; the load generator (autocannon) is another',
    '  process, pinned to a different CPU where the machine allows. The servers are started one after the other (the',
    '  start-up times are not contended) and stay up; only the one being loaded is busy.',
    '- Per case: a warm-up per server, then the measured time split into rounds; each round loads every server in',
    '  turn, starting one server later each round, so a burst of other work on the machine hits all of them alike.',
    '- Every server gets the same bytes: the sample from mocks/, the same `Content-Type`/`Accept`, and the headers',
    "  the project's partner clients (`src/contract/clients.ts`) compute, again before every autocannon run: Basic",
    '  for Odyssee; an iVvy signature, reused for the run (its date is valid for 5 minutes, a run lasts seconds, and',
    "  the sandbox does not refuse a replayed signature); an R7-Office token from the server's own sign-in endpoint",
    '  (the ceiling answers that sign-in too, unmeasured).',
    '- One request is sent before the load and its status shown when the load could not run. Servers that answer',
    '  non-2xx are still measured; their ratios are marked not comparable and left out of the targets.',
    '- Each autocannon run opens its connections afresh and is bounded in time and in request count; the warm-up',
    '  figures are discarded.',
    '- Start-up is measured before anything else runs, each start alone (startup.ts); its targets are judged on the',
    '  median wall time of the command as users run it, whose CPU time is shown beside it: where the two part, the',
    '  machine was busy. `cold` turns Node’s compile cache off: what the first start on a machine costs.',
    `- The body limit: ${BIG_BODY_TRIES} requests in a row with a 5 MB body sent with Node’s \`fetch\` (the headline case’s`,
    '  request, authorised) to the running sandbox and mock (big-body.ts).',
  );
  if (run.notes.length > 0) push('', '## Notes', '', ...run.notes.map((n) => `- ${n}`));
  push('');
  return lines.join('\n');
}
