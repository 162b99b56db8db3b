#!/usr/bin/env node
/**
 * The load generator, a process of its own (pinned to the load CPU by the caller). For one case it loads every
 * server in turn with autocannon: first a warm-up per server, whose figures are thrown away, then `rounds` short
 * measured runs per server, interleaved and rotated (round r starts with server r), so a burst of other work on
 * the machine hits every server alike. Latencies are kept per response with sub-millisecond resolution
 * (autocannon's own histogram rounds to whole milliseconds). Prints one JSON line: `Record<target, LoadResult>`.
 *
 *   node bench/load-worker.ts '<LoadJob as JSON>'
 */
import autocannon from 'autocannon';
import { definitionOf } from '../src/vendors/index.ts';
import { type LoadJob, type LoadResult, type LoadTarget, mergeHeaders, type RoundResult } from './load.ts';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** The quantile `q` (0..1) of sorted values, nearest rank. */
export function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] as number;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

interface Run {
  round: RoundResult;
  latencies: Float64Array;
}

/**
 * The credentials of partner `n` of the load (`n` > 0): the sandbox's own by the vendor's partner convention
 * (`+bench<n>`), each its own tenant (README, "Each credential is its own partner").
 */
export function partnerCredentials(vendor: string, n: number): Record<string, string> {
  return definitionOf(vendor).client.partner(`bench${n}`);
}

/** The target's headers, authorised now by the project's partner client for its vendor (as partner `n`). */
async function authorised(target: LoadTarget, body: Buffer, n = 0): Promise<Record<string, string>> {
  const request = { method: target.method, path: target.path, headers: target.headers, body };
  const client = definitionOf(target.vendor).client;
  const credentials = n === 0 ? {} : { credentials: partnerCredentials(target.vendor, n) };
  const auth = await client.authorize(request, { baseUrl: target.baseUrl, ...credentials });
  return mergeHeaders(target.headers, auth);
}

/**
 * One run against the target: against each of its instances at once when it has several (the connections split
 * among them), the figures put together as one server's.
 */
async function run(job: LoadJob, target: LoadTarget, seconds: number): Promise<Run> {
  const bases = target.baseUrls ?? [target.baseUrl];
  if (bases.length <= 1) return runOne(job.connections, job, target, seconds);
  const connections = (i: number) =>
    Math.floor(job.connections / bases.length) + (i < job.connections % bases.length ? 1 : 0);
  const parts = await Promise.all(
    bases.map((baseUrl, i) => runOne(connections(i), job, { ...target, baseUrl, baseUrls: [baseUrl] }, seconds)),
  );
  const latencies = new Float64Array(parts.reduce((n, p) => n + p.latencies.length, 0));
  let offset = 0;
  for (const p of parts) {
    latencies.set(p.latencies, offset);
    offset += p.latencies.length;
  }
  latencies.sort();
  const statuses: Record<string, number> = {};
  for (const p of parts) {
    for (const [status, n] of Object.entries(p.round.statuses)) statuses[status] = (statuses[status] ?? 0) + n;
  }
  const requests = parts.reduce((n, p) => n + p.round.requests, 0);
  const elapsed = Math.max(...parts.map((p) => p.round.seconds));
  return {
    round: {
      requests,
      seconds: elapsed,
      rps: requests / elapsed,
      p50: quantile(latencies, 0.5),
      p99: quantile(latencies, 0.99),
      statuses,
      errors: parts.reduce((n, p) => n + p.round.errors, 0),
      timeouts: parts.reduce((n, p) => n + p.round.timeouts, 0),
    },
    latencies,
  };
}

async function runOne(connections: number, job: LoadJob, target: LoadTarget, seconds: number): Promise<Run> {
  const cap = Math.max(connections, Math.ceil(job.maxRate * seconds));
  const latencies = new Float64Array(cap);
  const body = Buffer.from(target.bodyBase64, 'base64');
  const headers = await authorised(target, body);
  // With partners, each request goes as the next partner in turn (its headers computed once, up front).
  const partners = target.partners ?? 1;
  const perPartner = partners > 1 ? await Promise.all(range(partners).map((n) => authorised(target, body, n + 1))) : [];
  let next = 0;
  return new Promise((resolve, reject) => {
    let count = 0;
    const started = performance.now();
    const instance = autocannon(
      {
        url: target.baseUrl + target.path,
        method: target.method,
        headers,
        body,
        ...(perPartner.length > 0
          ? {
              requests: [
                {
                  setupRequest: (request: Record<string, unknown>) => ({
                    ...request,
                    headers: perPartner[next++ % perPartner.length],
                  }),
                },
              ],
            }
          : {}),
        connections,
        duration: seconds,
        // Bounded in count too: a server far faster than expected still stops here.
        maxOverallRequests: cap,
        timeout: 10,
      },
      (error, result) => {
        if (error) return reject(error);
        const elapsed = (performance.now() - started) / 1000;
        const sorted = latencies.slice(0, Math.min(count, cap)).sort();
        const statuses: Record<string, number> = {};
        for (const [status, { count: n }] of Object.entries(result.statusCodeStats)) statuses[status] = Number(n);
        resolve({
          round: {
            requests: count,
            seconds: elapsed,
            rps: count / elapsed,
            p50: quantile(sorted, 0.5),
            p99: quantile(sorted, 0.99),
            statuses,
            errors: result.errors,
            timeouts: result.timeouts,
          },
          latencies: sorted,
        });
      },
    );
    instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
      if (count < cap) latencies[count] = responseTime;
      count++;
    });
  });
}

function summarise(runs: Run[], warmupRequests: number): LoadResult {
  const pooled = new Float64Array(runs.reduce((n, r) => n + r.latencies.length, 0));
  let offset = 0;
  for (const r of runs) {
    pooled.set(r.latencies, offset);
    offset += r.latencies.length;
  }
  pooled.sort();
  const statuses: Record<string, number> = {};
  for (const r of runs) {
    for (const [status, n] of Object.entries(r.round.statuses)) statuses[status] = (statuses[status] ?? 0) + n;
  }
  const rounds = runs.map((r) => r.round);
  return {
    requests: rounds.reduce((n, r) => n + r.requests, 0),
    seconds: rounds.reduce((n, r) => n + r.seconds, 0),
    rps: median(rounds.map((r) => r.rps)),
    latencyMs: {
      p50: quantile(pooled, 0.5),
      p90: quantile(pooled, 0.9),
      p99: quantile(pooled, 0.99),
      max: pooled.length > 0 ? (pooled[pooled.length - 1] as number) : Number.NaN,
      mean: pooled.reduce((a, b) => a + b, 0) / pooled.length,
    },
    statuses,
    errors: rounds.reduce((n, r) => n + r.errors, 0),
    timeouts: rounds.reduce((n, r) => n + r.timeouts, 0),
    rounds,
    warmupRequests,
  };
}

if (import.meta.main) {
  const job = JSON.parse(process.argv[2] ?? '{}') as LoadJob;
  const warmed = new Map<string, number>();
  if (job.warmupSeconds > 0) {
    for (const target of job.targets)
      warmed.set(target.name, (await run(job, target, job.warmupSeconds)).round.requests);
  }
  const runs = new Map<string, Run[]>(job.targets.map((t) => [t.name, []]));
  const roundSeconds = job.durationSeconds / job.rounds;
  for (let round = 0; round < job.rounds; round++) {
    for (let i = 0; i < job.targets.length; i++) {
      const target = job.targets[(round + i) % job.targets.length] as LoadTarget;
      runs.get(target.name)?.push(await run(job, target, roundSeconds));
    }
  }
  const out: Record<string, LoadResult> = {};
  for (const [name, list] of runs) out[name] = summarise(list, warmed.get(name) ?? 0);
  process.stdout.write(`${JSON.stringify(out)}\n`);
}
