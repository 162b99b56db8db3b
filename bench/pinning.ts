/**
 * CPU pinning: the server under test on one core, the load generator on another, with `taskset` (util-linux).
 * Degrades to no pinning, saying why, when `taskset` is missing or this process may run on fewer than two CPUs.
 */
import { spawnSync } from 'node:child_process';

export interface Pinning {
  /** Prefix for the server's command line (`['taskset', '-c', '0']`), empty when not pinned. */
  server: string[];
  /** Prefix for the load generator's command line. */
  load: string[];
  /** The CPU the load generator (and this orchestrator) runs on, when pinned. */
  loadCpu?: number;
  /** One sentence for the report. */
  note: string;
}

/** Expands a `taskset` CPU list (`0-3,6`) into CPU numbers. */
export function parseCpuList(list: string): number[] {
  const cpus: number[] = [];
  for (const part of list.split(',')) {
    const [from, to] = part.trim().split('-').map(Number);
    if (from === undefined || Number.isNaN(from)) continue;
    const last = to === undefined || Number.isNaN(to) ? from : to;
    for (let cpu = from; cpu <= last; cpu++) cpus.push(cpu);
  }
  return cpus;
}

/** The CPUs this process may run on, per `taskset -cp <pid>`; undefined when taskset cannot tell. */
function allowedCpus(): number[] | undefined {
  const result = spawnSync('taskset', ['-cp', String(process.pid)], { encoding: 'utf8' });
  if (result.error || result.status !== 0) return undefined;
  const list = /list:\s*(\S+)/.exec(result.stdout)?.[1];
  return list ? parseCpuList(list) : undefined;
}

/** Pins the server and the load generator to the first two allowed CPUs, when there are two. */
export function choosePinning(enabled = true): Pinning {
  const none = (why: string): Pinning => ({ server: [], load: [], note: `not pinned: ${why}` });
  if (!enabled) return none('pinning switched off (--no-pin)');
  const cpus = allowedCpus();
  if (!cpus) return none('`taskset` is not available');
  const [serverCpu, loadCpu] = cpus;
  if (serverCpu === undefined || loadCpu === undefined) {
    return none(`only CPU ${cpus.join(',')} is available; server and load generator share it`);
  }
  return {
    server: ['taskset', '-c', String(serverCpu)],
    load: ['taskset', '-c', String(loadCpu)],
    loadCpu,
    note: `server on CPU ${serverCpu}, load generator (and the orchestrator) on CPU ${loadCpu}, with taskset`,
  };
}

/** Moves this process to `cpu` so it does not compete with the server (best effort). */
export function pinSelf(cpu: number | undefined): void {
  if (cpu === undefined) return;
  spawnSync('taskset', ['-cp', String(cpu), String(process.pid)], { stdio: 'ignore' });
}
