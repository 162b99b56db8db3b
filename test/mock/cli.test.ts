/** `npm run mock` as a partner runs it: flags, the one ready line with the three base URLs, quiet or verbose logs. */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { describeMissing, type MissingExample } from '../../src/mock/index.ts';
import { repoRoot } from '../../src/spec/index.ts';
import { authHeaders, startTestMock } from '../support/mock-client.ts';

/** The operations whose default answer the specs document no example for, as the mock finds them in-process. */
async function missingExamples(): Promise<MissingExample[]> {
  const mock = await startTestMock();
  await mock.close();
  return mock.missingExamples;
}

const cli = join(repoRoot, 'src/cli/mock.ts');
const running: ChildProcess[] = [];

afterEach(async () => {
  for (const child of running.splice(0)) await stop(child);
});

/** A port that was free a moment ago (the OS picks it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

interface Started {
  child: ChildProcess;
  ready: string;
  stderr: () => string;
}

/** Starts the CLI and waits (at most 90 s) for its ready line. */
function start(args: string[], env: Record<string, string> = {}): Promise<Started> {
  const inherited = { ...process.env };
  for (const name of ['PORT', 'HOST', 'MOCK_VERBOSE', 'MOCK_STRICT']) delete inherited[name];
  const child = spawn(process.execPath, [cli, ...args], {
    cwd: repoRoot,
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line in 90 s; stderr: ${stderr}`)), 90_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n').find((l) => l.startsWith('mock ready'));
      if (line) {
        clearTimeout(timer);
        resolve({ child, ready: line, stderr: () => stderr });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the mock exited with ${code}: ${stderr}`));
    });
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    child.kill('SIGTERM');
  });
}

const getTask = (base: string) =>
  fetch(`${base}/odyssee/api/Task(f7d828f8-7316-428f-9ae8-f04ecefda91e)`, { headers: authHeaders.odyssee });

describe('npm run mock', () => {
  it('--help lists its flags', () => {
    const result = spawnSync(process.execPath, [cli, '--help'], { cwd: repoRoot, encoding: 'utf8', timeout: 30_000 });
    expect(result.status).toBe(0);
    for (const flag of ['--host', '--port', '--verbose', '--strict', '--help']) expect(result.stdout).toContain(flag);
    expect(result.stdout).toContain('MOCK_VERBOSE');
  });

  it('prints one line with the three base URLs on --port, stays quiet, and stops on SIGTERM', async () => {
    const port = await freePort();
    const { child, ready, stderr } = await start(['--port', String(port)]);
    const origin = `http://127.0.0.1:${port}`;
    expect(ready).toMatch(/^mock ready in [\d.]+ s: /);
    for (const prefix of ['/odyssee', '/ivvy', '/r7']) expect(ready).toContain(`${origin}${prefix}`);
    expect((await getTask(origin)).status).toBe(200);
    // Quiet: nothing but the start-up warnings, one line per operation the spec documents no default answer for.
    const missing = await missingExamples();
    expect(stderr()).toBe(missing.map((m) => `mock: ${describeMissing(m)}\n`).join(''));
    expect(await stop(child)).toBe(0);
  });

  it('takes PORT from the environment and logs Prism and each request with --verbose', async () => {
    const port = await freePort();
    const { ready, stderr } = await start(['--verbose'], { PORT: String(port) });
    expect(ready).toContain(`http://127.0.0.1:${port}/odyssee`);
    expect((await getTask(`http://127.0.0.1:${port}`)).status).toBe(200);
    for (let i = 0; i < 50 && !stderr().includes('→ 200'); i++) await new Promise((r) => setTimeout(r, 20));
    expect(stderr()).toContain('[odyssee] [NEGOTIATOR]');
    expect(stderr()).toMatch(/GET \/odyssee\/api\/Task\(f7d828f8-7316-428f-9ae8-f04ecefda91e\) → 200/);
  });
});
