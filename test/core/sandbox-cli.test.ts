/**
 * `npm start`: the command prints one line with the base URLs and the data, answers, and stops gracefully on SIGTERM
 * sent to the npm process itself (as a container runtime signals it): a request in flight is answered and its
 * write kept, the store is closed, the process is gone. On the engine under test (test/support/store.ts).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../../src/spec/index.ts';
import { odysseeClient } from '../../src/vendors/odyssee/client.ts';
import {
  answersAt,
  descendantsOf,
  firstLine,
  odysseeTaskId,
  odysseeTaskPath,
  slowUpdate,
  stderrOf,
  untilRefused,
} from '../support/npm-child.ts';
import { testData, testEngine } from '../support/store.ts';

const cli = join(repoRoot, 'src', 'cli', 'sandbox.ts');
const dir = mkdtempSync(join(tmpdir(), 'sandbox-cli-'));
const children: ChildProcess[] = [];
/** Processes npm started (the sandbox under `npm start`), killed too should a test fail with them running. */
const grandchildren: number[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const pid of grandchildren.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the sandbox command', () => {
  it('lists its flags and environment variables with --help', () => {
    const help = execFileSync(process.execPath, [cli, '--help'], { encoding: 'utf8' });
    for (const text of [
      '--port',
      'PORT',
      '--data',
      'DATA_FILE',
      'postgres://',
      '--pool-size',
      'DRAIN_SECONDS',
      'SHUTDOWN_TIMEOUT',
      'ODYSSEE_USER',
      'IVVY_API_SECRET',
      'R7_PASSWORD',
    ]) {
      expect(help).toContain(text);
    }
  });

  it('starts on the port it is given, says where each vendor and the data are, and stops on SIGTERM', async () => {
    const data = testData(':memory:');
    const child = spawn(process.execPath, [cli, '--port', '0', '--data', data, '--log-level', 'silent'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    const line = await firstLine(child);
    expect(line).toMatch(/^sandbox ready: /);
    const origin = /(http:\/\/127\.0\.0\.1:\d+)\/odyssee/.exec(line)?.[1];
    expect(origin, line).toBeDefined();
    for (const prefix of ['/odyssee', '/ivvy', '/r7']) expect(line).toContain(`${origin}${prefix}`);
    expect(line).toContain(testEngine === 'sqlite' ? 'data in :memory:' : `data in ${decodeURIComponent(data)}`);
    const health = await fetch(`${origin}/_sandbox/health`);
    expect(health.status).toBe(200);
    const ready = await fetch(`${origin}/_sandbox/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, engine: testEngine });
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
  });

  it('refuses a port that is not a number, naming the setting', () => {
    let message = '';
    try {
      execFileSync(process.execPath, [cli, '--port', 'abc'], { encoding: 'utf8', stdio: 'pipe' });
    } catch (error) {
      message = String((error as { stderr: string }).stderr);
    }
    expect(message).toContain('PORT must be a port number');
  });
});

describe('npm start, signalled as a container runtime signals it', () => {
  it('SIGTERM to the npm process: the request in flight is answered and kept, the store closed, the process gone', async () => {
    const file = join(dir, 'graceful.sqlite');
    const data = testData(file);
    const start = () => {
      const child = spawn(
        'npm',
        ['start', '--silent', '--', '--port', '0', '--data', data, '--log-level', 'silent', '--no-rate-limit'],
        { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      children.push(child);
      return child;
    };
    const npm = start();
    const stderr = stderrOf(npm);
    const line = await firstLine(npm);
    expect(line, stderr()).toMatch(/^sandbox ready: /);
    grandchildren.push(...descendantsOf(npm.pid as number));
    const base = /(http:\/\/127\.0\.0\.1:\d+\/odyssee)/.exec(line)?.[1] as string;
    const origin = new URL(base).origin;

    const exited = once(npm, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    const answer = await slowUpdate(base, 'Sent across a SIGTERM', async () => {
      // The request has begun: the signal goes to npm (not to the sandbox's own process), and the instance stops
      // taking new connections while this one is still being read.
      npm.kill('SIGTERM');
      await untilRefused(`${origin}/_sandbox/health`);
      expect(await answersAt(`${origin}/_sandbox/health`)).toBe('refused');
    });
    expect(answer.status, answer.text).toBe(200);
    expect(JSON.parse(answer.text)).toMatchObject({ id: odysseeTaskId, subject: 'Sent across a SIGTERM' });

    const [code, signal] = await exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(stderr()).toMatch(/SIGTERM: stopping[^\n]*\n[\s\S]*stopped/);
    // A clean close checkpoints SQLite's WAL into the file and removes it (a killed process leaves it).
    if (testEngine === 'sqlite') expect(existsSync(`${file}-wal`)).toBe(false);

    // Gone: a sandbox on the same data starts (SQLite: the file's lock is free) and reads the write.
    const again = start();
    const second = await firstLine(again);
    expect(second).toMatch(/^sandbox ready: /);
    const base2 = /(http:\/\/127\.0\.0\.1:\d+\/odyssee)/.exec(second)?.[1] as string;
    const headers = await odysseeClient.authorize(
      { method: 'GET', path: odysseeTaskPath, headers: {}, body: undefined },
      { baseUrl: base2 },
    );
    const read = await fetch(base2 + odysseeTaskPath, { headers });
    expect(await read.json()).toMatchObject({ subject: 'Sent across a SIGTERM' });
    again.kill('SIGTERM');
    expect(((await once(again, 'exit')) as [number | null])[0]).toBe(0);
  });
});

describe('draining', () => {
  it('with --drain-seconds: on SIGTERM readiness fails at once while requests are still served, then it stops', async () => {
    const child = spawn(
      process.execPath,
      [cli, '--port', '0', '--data', testData(':memory:'), '--log-level', 'silent', '--drain-seconds', '2'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    children.push(child);
    const line = await firstLine(child);
    const origin = /(http:\/\/127\.0\.0\.1:\d+)\/odyssee/.exec(line)?.[1] as string;
    expect((await fetch(`${origin}/_sandbox/ready`)).status).toBe(200);
    const exited = once(child, 'exit') as Promise<[number | null]>;
    const signalled = Date.now();
    child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const ready = await fetch(`${origin}/_sandbox/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ ready: false, reason: 'the instance is stopping' });
    const headers = await odysseeClient.authorize(
      { method: 'GET', path: odysseeTaskPath, headers: {}, body: undefined },
      { baseUrl: `${origin}/odyssee` },
    );
    expect((await fetch(`${origin}/odyssee${odysseeTaskPath}`, { headers })).status).toBe(200);
    const [code] = await exited;
    expect(code).toBe(0);
    expect(Date.now() - signalled).toBeGreaterThanOrEqual(1_900);
  });
});
