/**
 * The validating proxy's added latency (issue 13): the sandbox, and the proxy in front of it (`npm run proxy --
 * --target <sandbox>`, checking both directions as it does by default), each its own process on the server CPU;
 * the latency worker (latency-worker.ts) on the load CPU sends every case one request at a time, straight and
 * through the proxy, and reports p50/p90/p99 of each. The added latency is the difference.
 */
import { join } from 'node:path';
import { repoRoot } from '../src/spec/index.ts';
import type { PreparedCase } from './cases.ts';
import type { LatencyJob, LatencyStats } from './latency-worker.ts';
import type { Pinning } from './pinning.ts';
import { spawnTracked, stop } from './processes.ts';
import { freePort, startServer } from './servers.ts';

export interface LatencyRun {
  /** Milliseconds from one request's start to the next one's; 0: back to back. */
  periodMs: number;
  requests: number;
  cases: { caseId: string; direct: LatencyStats; proxied: LatencyStats }[];
}

export interface ProxyLatency {
  /** One run per client pacing (today one: back to back). */
  runs: LatencyRun[];
  note: string;
  error?: string;
}

/**
 * Back to back: each request sent as soon as the previous answer is in. (A paced client, one request every 2 ms,
 * was measured too and dropped: with the CPUs idle between requests every hop pays a wake-up, straight and through
 * the proxy alike, and the figures only got noisier.)
 */
export const PERIOD_MS = 0;

/** The wanted added latency at p50, in milliseconds. */
export const ADDED_P50_TARGET_MS = 0.3;

async function answers(url: string, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  throw new Error(`no answer at ${url} within ${timeoutMs / 1000} s`);
}

/** The latency worker on the load CPU, bounded in time; its results by case. */
async function runWorker(
  job: LatencyJob,
  pinning: Pinning,
  limitMs: number,
): Promise<Record<string, { direct: LatencyStats; proxied: LatencyStats }>> {
  const args = [...pinning.load, process.execPath, join(repoRoot, 'bench/latency-worker.ts'), JSON.stringify(job)];
  const worker = spawnTracked(args[0] as string, args.slice(1));
  const timer = setTimeout(() => void stop(worker, 1000), limitMs);
  const code = await worker.exited;
  clearTimeout(timer);
  const { stdout, stderr } = worker.output();
  const line = stdout.trim().split('\n').pop() ?? '';
  if (code !== 0 || !line.startsWith('{'))
    throw new Error(`the latency worker failed (${code}): ${stderr.slice(-1500)}`);
  return JSON.parse(line) as Record<string, { direct: LatencyStats; proxied: LatencyStats }>;
}

export async function measureProxyLatency(
  cases: readonly PreparedCase[],
  pinning: Pinning,
  tmp: string,
  requests: number,
): Promise<ProxyLatency> {
  const note =
    `One request at a time over one kept-alive connection, ${requests} per case and side after a warm-up, in alternating blocks; ` +
    'the sandbox and the proxy (its forwarding thread and its check thread) share the server CPU, the client is on the load CPU. ' +
    'The proxy runs as `npm run proxy` does by default: both directions checked, reports kept in memory (written only at the end), no recording.';
  const sandbox = await startServer({ name: 'sandbox', pinning, tmp: join(tmp, 'proxy-latency') });
  const port = await freePort();
  // On the server CPU with the sandbox: measured here, sharing it beats a CPU of its own (the load generator's) or
  // none at all, which cost a wake-up across CPUs on every hop.
  const at = pinning.server;
  const proxy = spawnTracked(at[0] ?? process.execPath, [
    ...at.slice(1),
    ...(at.length ? [process.execPath] : []),
    join(repoRoot, 'src/cli/proxy.ts'),
    ...['--target', sandbox.origin, '--port', String(port), '--report-every', '0', '--out', join(tmp, 'proxy-reports')],
  ]);
  const origin = `http://127.0.0.1:${port}`;
  try {
    await answers(`${origin}/_sandbox/health`, 60_000);
    const targets: LatencyJob['targets'] = cases.map((c) => ({
      caseId: c.id,
      vendor: c.vendor,
      method: c.method,
      path: c.path,
      headers: { 'content-type': c.mediaType, accept: /xml/.test(c.mediaType) ? c.mediaType : 'application/json' },
      bodyBase64: c.body.toString('base64'),
      direct: sandbox.origin + c.prefix,
      proxied: origin + c.prefix,
    }));
    const runs: LatencyRun[] = [];
    for (const periodMs of [PERIOD_MS]) {
      const job: LatencyJob = { targets, requests, blocks: 10, periodMs };
      const results = await runWorker(job, pinning, cases.length * (2 * requests + 400) * (periodMs + 20) + 30_000);
      runs.push({ periodMs, requests, cases: Object.entries(results).map(([caseId, r]) => ({ caseId, ...r })) });
    }
    return { runs, note };
  } catch (error) {
    return { runs: [], note, error: (error as Error).message.slice(0, 400) };
  } finally {
    await stop(proxy);
    await sandbox.stop();
  }
}
