/** What the figures were measured on: the machine and the versions of what ran. */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../src/spec/index.ts';

export interface Machine {
  cpuModel: string;
  /** CPUs this process may use. */
  cores: number;
  memoryBytes: number;
  os: string;
  versions: Record<string, string>;
}

function packageVersion(name: string): string {
  try {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? 'unknown';
  } catch {
    return 'not installed';
  }
}

/** The CPU model as /proc/cpuinfo names it (os.cpus() gives the same on Linux), with its clock where known. */
function cpuModel(): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() || 'unknown';
  const mhz = cpus[0]?.speed;
  return mhz ? `${model} (${(mhz / 1000).toFixed(1)} GHz)` : model;
}

export function describeMachine(): Machine {
  return {
    cpuModel: cpuModel(),
    // The machine's, not this process's: the bench pins itself to one CPU before it describes the machine, and
    // availableParallelism() follows that affinity.
    cores: os.cpus().length,
    memoryBytes: os.totalmem(),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    versions: {
      node: process.version,
      fastify: packageVersion('fastify'),
      prism: packageVersion('@stoplight/prism-cli'),
      'prism-http': packageVersion('@stoplight/prism-http'),
      autocannon: packageVersion('autocannon'),
      ajv: packageVersion('ajv'),
    },
  };
}
