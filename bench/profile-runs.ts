/** The sandbox and the mock under `node --cpu-prof`: where their start-up goes, and where a case's requests go. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PreparedCase } from './cases.ts';
import { log, measureCase, type Settings } from './measure.ts';
import type { Pinning } from './pinning.ts';
import { summariseProfile } from './profile.ts';
import type { BenchRun, StartupProfile } from './report.ts';
import { startServer } from './servers.ts';

/** The sandbox or the mock started once more under `node --cpu-prof`: where its start-up time goes. */
export async function profileStartup(
  server: 'sandbox' | 'mock',
  pinning: Pinning,
  tmp: string,
): Promise<StartupProfile | undefined> {
  const dir = join(tmp, `startup-prof-${server}`);
  const window = { fromUs: Number(process.hrtime.bigint() / 1000n), toUs: 0 };
  try {
    const running = await startServer({ name: server, pinning, tmp, nodeFlags: ['--cpu-prof', '--cpu-prof-dir', dir] });
    window.toUs = Number(process.hrtime.bigint() / 1000n);
    await running.stop();
  } catch (error) {
    log(`profiling the start-up of the ${server}: ${(error as Error).message.split('\n')[0]}`);
    return undefined;
  }
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) return undefined;
  return { server, summary: summariseProfile(join(dir, file), window) };
}

/** The sandbox again, under `node --cpu-prof`, on the headline case: where its time goes. */
export async function profileSandbox(
  c: PreparedCase,
  settings: Settings,
  pinning: Pinning,
  tmp: string,
): Promise<BenchRun['profile']> {
  const dir = join(tmp, 'cpu-prof');
  log('profiling the sandbox (node --cpu-prof)');
  const running = await startServer({
    name: 'sandbox',
    pinning,
    tmp,
    nodeFlags: ['--cpu-prof', '--cpu-prof-dir', dir],
  });
  const window = { fromUs: 0, toUs: 0 };
  const loadSettings = {
    ...settings,
    warmupSeconds: Math.min(settings.warmupSeconds, 3),
    durationSeconds: Math.min(settings.durationSeconds, 10),
    rounds: 1,
  };
  try {
    window.fromUs = Number(process.hrtime.bigint() / 1000n);
    const [m] = await measureCase(c, [{ label: 'sandbox', server: running }], loadSettings, pinning);
    window.toUs = Number(process.hrtime.bigint() / 1000n);
    if (!m?.load) return undefined;
  } finally {
    await running.stop();
  }
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) return undefined;
  return {
    caseId: c.id,
    summary: summariseProfile(join(dir, file), window),
    note: `The sandbox under \`node --cpu-prof\` on ${c.title}, samples of the load only (${loadSettings.warmupSeconds} + ${loadSettings.durationSeconds} s; start-up left out); under the profiler it runs slower than above.`,
  };
}
