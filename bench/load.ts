/** Runs the load generator (bench/load-worker.ts) as its own process, pinned to the load CPU, bounded in time. */
import { join } from 'node:path';
import { repoRoot } from '../src/spec/index.ts';
import type { Pinning } from './pinning.ts';
import { spawnTracked, stop } from './processes.ts';

/**
 * One server's request for a case: the same bytes for every server, but its own URL and authorisation. The load
 * generator authorises it again before every run (iVvy signatures carry the time and go stale after 5 minutes).
 */
export interface LoadTarget {
  name: string;
  vendor: string;
  /** Where the vendor's own path is appended (`http://127.0.0.1:P/odyssee`; Prism alone: no prefix). */
  baseUrl: string;
  /**
   * Several instances behind the same load (the sandbox on PostgreSQL twice): every instance's base URL. The
   * connections are split among them, as a load balancer spreads them; the figures are the instances' together.
   */
  baseUrls?: string[];
  /**
   * The load as this many partners at once (each request as the next one, in turn), instead of the one sandbox
   * credential: what several partners' writes cost when they need not wait for each other.
   */
  partners?: number;
  /** The vendor's own path and query. */
  path: string;
  method: string;
  /** Content-Type and Accept; authorisation is added per run. */
  headers: Record<string, string>;
  bodyBase64: string;
}

/** Header names lower-cased, later sources winning, so no header is sent twice under two spellings. */
export function mergeHeaders(...sources: Record<string, string>[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const source of sources) for (const [name, value] of Object.entries(source)) out[name.toLowerCase()] = value;
  return out;
}

export interface LoadJob {
  targets: LoadTarget[];
  connections: number;
  /** Per target, before any measured round. */
  warmupSeconds: number;
  /** Measured seconds per target, split into `rounds` interleaved runs. */
  durationSeconds: number;
  rounds: number;
  /** The most requests per second any server is expected to reach: caps the request count of each run. */
  maxRate: number;
}

export interface RoundResult {
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  statuses: Record<string, number>;
  errors: number;
  timeouts: number;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  /** The median of the rounds' requests per second. */
  rps: number;
  /** Over every response of every measured round. */
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  /** Responses per HTTP status. */
  statuses: Record<string, number>;
  errors: number;
  timeouts: number;
  rounds: RoundResult[];
  /** Responses of the warm-up (not counted anywhere else). */
  warmupRequests: number;
}

/** Warm-up (discarded) and interleaved measured rounds against every target; results by target name. */
export async function runLoad(job: LoadJob, pinning: Pinning): Promise<Record<string, LoadResult>> {
  const args = [...pinning.load, process.execPath, join(repoRoot, 'bench/load-worker.ts'), JSON.stringify(job)];
  const worker = spawnTracked(args[0] as string, args.slice(1));
  const perRun = 2; // connection set-up and the gap between runs
  const limitMs =
    job.targets.length * (job.warmupSeconds + job.durationSeconds + (job.rounds + 1) * perRun) * 1000 + 30_000;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void stop(worker, 1000);
  }, limitMs);
  const code = await worker.exited;
  clearTimeout(timer);
  const { stdout, stderr } = worker.output();
  if (timedOut) throw new Error(`the load generator did not finish within ${Math.round(limitMs / 1000)} s`);
  const line = stdout.trim().split('\n').pop() ?? '';
  if (code !== 0 || !line.startsWith('{')) {
    throw new Error(`the load generator failed (${code}): ${stderr.slice(-2000) || stdout.slice(-2000)}`);
  }
  return JSON.parse(line) as Record<string, LoadResult>;
}
