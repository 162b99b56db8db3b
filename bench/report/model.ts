/**
 * What a bench run measured (BenchRun and its parts), issue 11's targets, and the figures read from it: ratios of
 * one server over another, and the formats every section of the report writes them in.
 */
import type { BigBodyResult } from '../big-body.ts';
import type { LoadResult } from '../load.ts';
import type { Machine } from '../machine.ts';
import type { BenchPostgres } from '../postgres.ts';
import type { ProfileSummary } from '../profile.ts';
import type { ProxyLatency } from '../proxy-latency.ts';
import type { ServerName } from '../servers.ts';
import type { StartupResult } from '../startup.ts';
import type { SuiteTiming } from '../suite.ts';

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
  /** The headline case on the sandbox with few and with many tasks in its store (bench/growth.ts). */
  growth?: Growth;
}

/** An update measured with a store of `tasks` tasks, and with one of many more. */
export interface Growth {
  caseId: string;
  /** The store kind the tasks were added to (`odyssee.task`). */
  kind: string;
  results: { tasks: number; measurement: Measurement }[];
  /** Why it was not measured. */
  error?: string;
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
/** The update with the most tasks in the store over the one with the fewest, on requests per second. */
export const GROWTH_RPS_TARGET = 0.9;

export const MB = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
export const ms = (value: number) =>
  Number.isFinite(value) ? (value < 10 ? value.toFixed(2) : value.toFixed(1)) : '–';
export const int = (value: number) => Math.round(value).toLocaleString('en-US');
export const share = (value: number) => `${(value * 100).toFixed(1)} %`;
export const seconds = (value: number) => (value < 1000 ? `${Math.round(value)} ms` : `${(value / 1000).toFixed(2)} s`);
export const yesNo = (met: boolean | undefined) => (met === undefined ? 'not measured' : met ? 'yes' : '**no**');

export function format(ratio: Ratio, unit = ''): string {
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

export function find(run: BenchRun, caseId: string, server: ServerName): Measurement | undefined {
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
export function startupOf(run: BenchRun, server: 'sandbox' | 'mock'): StartupResult | undefined {
  return run.startup?.results.find((r) => r.label === server);
}
