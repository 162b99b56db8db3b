/**
 * `npm run mock`, signalled as a container runtime signals it: SIGTERM to the npm process itself stops the mock
 * gracefully (no new connections, the request in flight answered, exit 0, no process left). Without `exec` in the
 * npm script npm dies of the signal and the mock keeps listening, which this test catches.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, expect, it } from 'vitest';
import { repoRoot } from '../../src/spec/index.ts';
import {
  alive,
  answersAt,
  descendantsOf,
  firstLine,
  odysseeTaskId,
  slowUpdate,
  stderrOf,
  untilRefused,
} from '../support/npm-child.ts';

const children: ChildProcess[] = [];
const grandchildren: number[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const pid of grandchildren.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL');
});

it('SIGTERM to the npm process: the request in flight is answered, then the mock exits 0 and nothing is left', async () => {
  const npm = spawn('npm', ['run', 'mock', '--silent', '--', '--port', '0'], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(npm);
  const stderr = stderrOf(npm);
  const line = await firstLine(npm);
  expect(line, stderr()).toMatch(/^mock ready in [\d.]+ s: /);
  const started = descendantsOf(npm.pid as number);
  grandchildren.push(...started);
  const base = /(http:\/\/127\.0\.0\.1:\d+\/odyssee)/.exec(line)?.[1] as string;
  const origin = new URL(base).origin;

  const exited = once(npm, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const answer = await slowUpdate(base, 'Sent across a SIGTERM', async () => {
    npm.kill('SIGTERM');
    await untilRefused(`${origin}/`);
    expect(await answersAt(`${origin}/`)).toBe('refused');
  });
  expect(answer.status, answer.text).toBe(200);
  // The mock keeps nothing: its answer is the spec's example for the URL's task.
  expect(JSON.parse(answer.text)).toMatchObject({ id: odysseeTaskId });

  const [code, signal] = await exited;
  expect({ code, signal }, stderr()).toEqual({ code: 0, signal: null });
  expect(stderr()).toMatch(/mock: SIGTERM: stopping[^\n]*\n[\s\S]*mock: stopped/);
  expect(started.length).toBeGreaterThan(0);
  expect(started.filter(alive)).toEqual([]);
});
