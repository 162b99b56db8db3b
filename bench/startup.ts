/**
 * Start-up, measured on its own: each server started several times, one start at a time on the server CPU, from
 * spawning the process to its first HTTP answer (wall time), with the CPU time it had used by then and its resident
 * set at that moment. The sandbox and the mock in three ways: as `npm start` / `npm run mock` run them (Node's
 * compile cache on, warm after a first start), cold (the cache off: what the very first start on a machine costs),
 * and with `NODE_COMPILE_CACHE` set in the environment (the entry file's own TypeScript cached too, so Node never
 * loads its TypeScript stripper). Prism's own CLI on one spec is the anchor. Rounds are interleaved, one start of
 * each variant per round in rotated order, so a burst of other work hits them alike; one start of each is made
 * first and discarded (it fills the caches).
 */
import { join } from 'node:path';
import type { Pinning } from './pinning.ts';
import { type ServerName, startServer } from './servers.ts';

export interface StartupVariant {
  label: string;
  server: Extract<ServerName, 'sandbox' | 'mock' | 'prism'>;
  /** How it is started, in words, for the report. */
  how: string;
  env?: Record<string, string>;
}

export interface StartupSample {
  wallMs: number;
  cpuMs?: number;
  rssBytes?: number;
}

export interface StartupResult extends StartupVariant {
  samples: StartupSample[];
  error?: string;
}

/** The variants measured: the sandbox and the mock three ways each, then Prism alone on one spec. */
export function startupVariants(tmp: string, prismSpec: string): StartupVariant[] {
  const cache = { NODE_COMPILE_CACHE: join(tmp, 'compile-cache') };
  const cold = { NODE_DISABLE_COMPILE_CACHE: '1' };
  const out: StartupVariant[] = [];
  for (const server of ['sandbox', 'mock'] as const) {
    const command = server === 'sandbox' ? '`npm start`' : '`npm run mock`';
    out.push(
      { label: server, server, how: `as ${command} runs it: Node's compile cache on, warm` },
      {
        label: `${server}, cold`,
        server,
        how: 'compile cache off (`NODE_DISABLE_COMPILE_CACHE=1`): a first start',
        env: cold,
      },
      {
        label: `${server}, NODE_COMPILE_CACHE set`,
        server,
        how: 'the cache enabled by the environment: the entry file cached too, no TypeScript stripper loaded',
        env: cache,
      },
    );
  }
  out.push({
    label: `prism (${prismSpec})`,
    server: 'prism',
    how: `Prism's own CLI, \`prism mock\` on the ${prismSpec} spec`,
  });
  return out;
}

export async function measureStartups(
  variants: readonly StartupVariant[],
  options: { starts: number; pinning: Pinning; tmp: string; specFile: string; log: (line: string) => void },
): Promise<StartupResult[]> {
  const results: StartupResult[] = variants.map((v) => ({ ...v, samples: [] }));
  const once = async (r: StartupResult): Promise<StartupSample | undefined> => {
    if (r.error) return undefined;
    try {
      const server = await startServer({
        name: r.server,
        pinning: options.pinning,
        tmp: options.tmp,
        ...(r.server === 'prism' ? { specFile: options.specFile } : {}),
        ...(r.env ? { env: r.env } : {}),
      });
      await server.stop();
      return {
        wallMs: server.startupMs,
        ...(server.cpuAtReady === undefined ? {} : { cpuMs: server.cpuAtReady * 1000 }),
        ...(server.rssAtReady === undefined ? {} : { rssBytes: server.rssAtReady }),
      };
    } catch (error) {
      r.error = (error as Error).message.split('\n')[0]?.slice(0, 200) ?? 'failed';
      options.log(`${r.label} did not start: ${r.error}`);
      return undefined;
    }
  };
  for (const r of results) await once(r);
  for (let round = 0; round < options.starts; round++) {
    for (let i = 0; i < results.length; i++) {
      const r = results[(round + i) % results.length] as StartupResult;
      const sample = await once(r);
      if (sample) r.samples.push(sample);
    }
  }
  for (const r of results) {
    const wall = median(r.samples.map((s) => s.wallMs));
    if (!r.error) options.log(`start-up of ${r.label}: median ${Math.round(wall)} ms over ${r.samples.length}`);
  }
  return results;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The median of a field over the samples that have it. */
export function medianOf(r: StartupResult, field: keyof StartupSample): number | undefined {
  const values = r.samples.map((s) => s[field]).filter((v): v is number => v !== undefined);
  return values.length > 0 ? median(values) : undefined;
}
