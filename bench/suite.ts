/** The wall time of the whole contract suite against the sandbox (`vitest run test/contract/sandbox.test.ts`). */
import { join } from 'node:path';
import { repoRoot } from '../src/spec/index.ts';
import { spawnTracked, stop } from './processes.ts';

export interface SuiteTiming {
  command: string;
  seconds: number;
  passed: boolean;
  /** vitest's own summary line (`Tests  248 passed (248)`), when it printed one. */
  summary?: string;
}

const TEST_FILE = 'test/contract/sandbox.test.ts';

export async function timeContractSuite(timeoutMs = 300_000): Promise<SuiteTiming> {
  const vitest = join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs');
  const started = performance.now();
  const run = spawnTracked(process.execPath, [vitest, 'run', TEST_FILE], { NO_COLOR: '1', FORCE_COLOR: '0' });
  const timer = setTimeout(() => void stop(run, 1000), timeoutMs);
  const code = await run.exited;
  clearTimeout(timer);
  const seconds = (performance.now() - started) / 1000;
  const { stdout, stderr } = run.output();
  // biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colour codes vitest may still print
  const plain = `${stdout}\n${stderr}`.replace(/\u001b\[[0-9;]*m/g, '');
  const summary = /^\s*Tests\s+(.+)$/m.exec(plain)?.[1]?.trim();
  return {
    command: `vitest run ${TEST_FILE}`,
    seconds,
    passed: code === 0,
    ...(summary ? { summary } : {}),
  };
}
