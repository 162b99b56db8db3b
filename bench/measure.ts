/**
 * One case measured against the servers that serve it: each probed once, authorised as the load generator will
 * authorise it, then loaded together by one load process (warm-up, interleaved rounds), with each server's CPU time
 * per request and a note when one exited under the load.
 */
import { definitionOf } from '../src/vendors/index.ts';
import { baseHeaders, type PreparedCase } from './cases.ts';
import { type LoadTarget, mergeHeaders, runLoad } from './load.ts';
import type { Pinning } from './pinning.ts';
import type { Measurement } from './report.ts';
import type { RunningServer, ServerName } from './servers.ts';

/** The most requests per second a server is expected to reach; a run stops at this many per second measured. */
const MAX_RATE = 100_000;

export const log = (line: string) => process.stderr.write(`bench: ${line}\n`);

export interface Settings {
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
  rounds: number;
}

export interface Started {
  label: string;
  /** Prism alone serves one vendor per process. */
  vendor?: string;
  server: RunningServer;
}

/** A server's request for a case, and one probe of it, authorised as the load generator will authorise it. */
async function target(
  c: PreparedCase,
  server: RunningServer,
  partners?: number,
): Promise<{ target?: LoadTarget; probe: Measurement['probe']; error?: string }> {
  const base = server.base(c);
  const probe = { status: 0, excerpt: '' };
  try {
    const request = { method: c.method, path: c.path, headers: baseHeaders(c), body: c.body };
    const auth = await definitionOf(c.vendor).client.authorize(request, { baseUrl: base });
    const headers = mergeHeaders(baseHeaders(c), auth);
    const url = base + c.path;
    const res = await fetch(url, { method: c.method, headers, body: c.body, signal: AbortSignal.timeout(10_000) });
    probe.status = res.status;
    probe.excerpt = (await res.text()).slice(0, 200);
    return {
      target: {
        name: server.name,
        vendor: c.vendor,
        baseUrl: base,
        path: c.path,
        method: c.method,
        headers: baseHeaders(c),
        bodyBase64: c.body.toString('base64'),
        ...(server.bases ? { baseUrls: server.bases(c) } : {}),
        ...(partners ? { partners } : {}),
      },
      probe,
    };
  } catch (error) {
    return { probe, error: (error as Error).message.slice(0, 300) };
  }
}

/** One case against every server that serves it: warm-up, then interleaved rounds, in one load process. */
export async function measureCase(
  c: PreparedCase,
  started: readonly Started[],
  settings: Settings,
  pinning: Pinning,
  partners?: number,
): Promise<Measurement[]> {
  // Prism alone runs one process per vendor: the one serving this case's vendor.
  const serving = started.filter((s) => s.vendor === undefined || s.vendor === c.vendor);
  const out: Measurement[] = [];
  const targets: LoadTarget[] = [];
  for (const s of serving) {
    const t = await target(c, s.server, partners);
    if (t.target) targets.push(t.target);
    out.push({ caseId: c.id, server: s.server.name, probe: t.probe, ...(t.error ? { error: t.error } : {}) });
  }
  if (targets.length === 0) return out;
  const servers = new Map(serving.map((s) => [s.server.name, s.server]));
  await load(c, out, targets, servers, { ...settings, pinning });
  noteExits(c, serving, out);
  return out;
}

/** Loads the targets, then fills each measurement with its load and its server's CPU time per request. */
async function load(
  c: PreparedCase,
  out: Measurement[],
  targets: LoadTarget[],
  servers: Map<ServerName, RunningServer>,
  { pinning, ...settings }: Settings & { pinning: Pinning },
): Promise<void> {
  const cpuBefore = new Map(targets.map((t) => [t.name, servers.get(t.name as ServerName)?.cpuSeconds()]));
  try {
    const results = await runLoad({ targets, ...settings, maxRate: MAX_RATE }, pinning);
    for (const m of out) {
      const result = results[m.server];
      if (!result) continue;
      m.load = result;
      const before = cpuBefore.get(m.server);
      const after = servers.get(m.server)?.cpuSeconds();
      if (before !== undefined && after !== undefined) {
        m.cpuUsPerRequest = ((after - before) * 1e6) / (result.requests + result.warmupRequests + 1);
      }
      log(`${c.id} on ${m.server}: ${Math.round(result.rps)} req/s, p99 ${result.latencyMs.p99.toFixed(2)} ms`);
    }
  } catch (error) {
    for (const m of out) if (!m.error) m.error = (error as Error).message.slice(0, 300);
    log(`${c.id}: ${(error as Error).message}`);
  }
}

/** A server that exited during the case: its measurement says so, with the end of its stderr. */
function noteExits(c: PreparedCase, serving: readonly Started[], out: Measurement[]): void {
  for (const s of serving) {
    const health = s.server.health();
    if (health.exited === undefined) continue;
    const m = out.find((x) => x.server === s.server.name);
    const why = `${s.label} exited (${health.exited}) during ${c.id}: ${health.stderr.trim().split('\n').slice(-6).join(' / ')}`;
    if (m) m.error = why.slice(0, 600);
    log(why);
  }
}

/** Each server's processes: one for most, one per vendor for Prism alone (it serves one document). */
export function groups(
  server: ServerName,
  cases: readonly PreparedCase[],
): { label: string; vendor?: string; cases: PreparedCase[] }[] {
  if (server !== 'prism') return [{ label: server, cases: [...cases] }];
  const vendors = [...new Set(cases.map((c) => c.vendor))];
  return vendors.map((v) => ({ label: `prism (${v})`, vendor: v, cases: cases.filter((c) => c.vendor === v) }));
}
