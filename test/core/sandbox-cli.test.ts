/** `npm start`: the command prints one line with the base URLs and the data file, answers, and stops on SIGTERM. */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../../src/spec/index.ts';

const cli = join(repoRoot, 'src', 'cli', 'sandbox.ts');
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

async function firstLine(child: ChildProcess): Promise<string> {
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const [line] = (await Promise.race([once(lines, 'line'), once(child, 'exit').then(() => ['(exited)'])])) as [string];
  lines.close();
  return line;
}

describe('the sandbox command', () => {
  it('lists its flags and environment variables with --help', () => {
    const help = execFileSync(process.execPath, [cli, '--help'], { encoding: 'utf8' });
    for (const text of ['--port', 'PORT', '--data', 'DATA_FILE', 'ODYSSEE_USER', 'IVVY_API_SECRET', 'R7_PASSWORD']) {
      expect(help).toContain(text);
    }
  });

  it('starts on the port it is given, says where each vendor and the data are, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [cli, '--port', '0', '--data', ':memory:', '--log-level', 'silent'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    const line = await firstLine(child);
    expect(line).toMatch(/^sandbox ready: /);
    const origin = /(http:\/\/127\.0\.0\.1:\d+)\/odyssee/.exec(line)?.[1];
    expect(origin, line).toBeDefined();
    for (const prefix of ['/odyssee', '/ivvy', '/r7']) expect(line).toContain(`${origin}${prefix}`);
    expect(line).toContain(':memory:');
    const health = await fetch(`${origin}/_sandbox/health`);
    expect(health.status).toBe(200);
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
