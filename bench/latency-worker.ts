#!/usr/bin/env node
/**
 * The proxy's added latency, measured from a process of its own (pinned to the load CPU by the caller): for each
 * case the same request sent one at a time over one kept-alive connection, straight to the sandbox and through
 * the proxy in front of it, in alternating blocks (a burst of other work on the machine hits both alike). Each
 * latency is the time from sending the request to the last byte of the answer. Prints one JSON line:
 * `Record<caseId, { direct, proxied }>` of latency statistics in milliseconds.
 *
 *   node bench/latency-worker.ts '<LatencyJob as JSON>'
 */
import { Pool } from 'undici';
import { definitionOf } from '../src/vendors/index.ts';
import { mergeHeaders } from './load.ts';
import { quantile } from './load-worker.ts';

export interface LatencyTarget {
  caseId: string;
  vendor: string;
  method: string;
  /** The vendor's own path and query. */
  path: string;
  headers: Record<string, string>;
  bodyBase64: string;
  /** Where the path is appended, straight and through the proxy (`http://127.0.0.1:P/odyssee`). */
  direct: string;
  proxied: string;
}

export interface LatencyJob {
  targets: LatencyTarget[];
  /** Measured requests per case and per side. */
  requests: number;
  /** Blocks each side's requests are split into, alternating. */
  blocks: number;
  /**
   * Milliseconds from one request's start to the next one's (paced: a client that waits between its calls, as
   * live traffic does); 0: back to back, the next sent as soon as the answer is in.
   */
  periodMs: number;
}

export interface LatencyStats {
  requests: number;
  p50: number;
  p90: number;
  p99: number;
  mean: number;
  /** Answers per status. */
  statuses: Record<string, number>;
}

async function block(
  pool: Pool,
  base: string,
  target: LatencyTarget,
  count: number,
  into: number[],
  statuses: Record<string, number>,
  periodMs: number,
) {
  const body = Buffer.from(target.bodyBase64, 'base64');
  const url = new URL(base);
  const path = url.pathname.replace(/\/$/, '') + target.path;
  // Authorised afresh per block, as a client would (iVvy signatures carry the time).
  const auth =
    (await definitionOf(target.vendor).client.authorize(
      { method: target.method, path: target.path, headers: target.headers, body },
      { baseUrl: base },
    )) ?? {};
  const headers = mergeHeaders(target.headers, auth);
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const res = await pool.request({ path, method: target.method, headers, body: body.length ? body : null });
    await res.body.arrayBuffer();
    const took = performance.now() - started;
    into.push(took);
    statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
    if (periodMs > took) await new Promise((resolve) => setTimeout(resolve, periodMs - took));
  }
}

function stats(latencies: number[], statuses: Record<string, number>): LatencyStats {
  const sorted = Float64Array.from(latencies).sort();
  return {
    requests: sorted.length,
    p50: quantile(sorted, 0.5),
    p90: quantile(sorted, 0.9),
    p99: quantile(sorted, 0.99),
    mean: latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length),
    statuses,
  };
}

if (import.meta.main) {
  const job = JSON.parse(process.argv[2] ?? '{}') as LatencyJob;
  const out: Record<string, { direct: LatencyStats; proxied: LatencyStats }> = {};
  for (const target of job.targets) {
    const pools = {
      direct: new Pool(new URL(target.direct).origin, { connections: 1 }),
      proxied: new Pool(new URL(target.proxied).origin, { connections: 1 }),
    };
    const measured = { direct: [] as number[], proxied: [] as number[] };
    const statuses = { direct: {} as Record<string, number>, proxied: {} as Record<string, number> };
    const per = Math.max(1, Math.round(job.requests / job.blocks));
    // Warm-up, thrown away: connections, JIT, the proxy's validators.
    for (const side of ['direct', 'proxied'] as const)
      await block(pools[side], target[side], target, Math.min(200, per), [], {}, 0);
    for (let b = 0; b < job.blocks; b++) {
      const order = b % 2 === 0 ? (['direct', 'proxied'] as const) : (['proxied', 'direct'] as const);
      for (const side of order)
        await block(pools[side], target[side], target, per, measured[side], statuses[side], job.periodMs);
    }
    await Promise.all([pools.direct.close(), pools.proxied.close()]);
    out[target.caseId] = {
      direct: stats(measured.direct, statuses.direct),
      proxied: stats(measured.proxied, statuses.proxied),
    };
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
}
