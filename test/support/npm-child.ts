/**
 * Running one of our commands through npm, as a user or a container runtime does, and signalling the npm process
 * itself: its first stdout line, its stderr, the processes it started (to clean up should npm die before them), and
 * an Odyssee task update kept in flight across the signal.
 */
import { type ChildProcess, execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:http';
import { createInterface } from 'node:readline';
import { odysseeClient } from '../../src/vendors/odyssee/client.ts';

/** The processes `pid` started, and theirs (ps). */
export function descendantsOf(pid: number): number[] {
  let children: number[] = [];
  try {
    children = execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((l) => Number(l.trim()))
      .filter((n) => n > 0);
  } catch {
    // none
  }
  return children.flatMap((child) => [child, ...descendantsOf(child)]);
}

/** Whether a process is still there. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The child's first line on stdout, or `(exited)` when it exits first. */
export async function firstLine(child: ChildProcess): Promise<string> {
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const [line] = (await Promise.race([once(lines, 'line'), once(child, 'exit').then(() => ['(exited)'])])) as [string];
  lines.close();
  return line;
}

/** Everything a child writes on stderr, as it comes. */
export function stderrOf(child: ChildProcess): () => string {
  let text = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  return () => text;
}

/** A seed task of the sandbox data (and the spec's example task, which the mock answers for). */
export const odysseeTaskId = 'f7d828f8-7316-428f-9ae8-f04ecefda91e';
export const odysseeTaskPath = `/api/Task(${odysseeTaskId})`;

/**
 * An Odyssee task update whose body is sent in two parts with `between` in the middle, once the connection is open:
 * a request in flight for as long as `between` takes.
 */
export async function slowUpdate(
  base: string,
  subject: string,
  between: () => Promise<void>,
): Promise<{ status: number; text: string }> {
  const body = JSON.stringify({
    subject,
    task_type_code: 'VISIT',
    task_priority_code: 'HIGH',
    company_code: 'CONTOSO',
  });
  const headers = await odysseeClient.authorize(
    { method: 'PUT', path: odysseeTaskPath, headers: { 'content-type': 'application/json' }, body },
    { baseUrl: base },
  );
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(base + odysseeTaskPath),
      {
        method: 'PUT',
        headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => {
          text += chunk.toString('utf8');
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    // `between` starts once the connection is open and part of the body sent: the request is then in flight.
    req.once('socket', (socket) =>
      socket.once('connect', () => {
        req.write(body.slice(0, 20), () => {
          void between().then(
            () => req.end(body.slice(20)),
            (error: unknown) => reject(error),
          );
        });
      }),
    );
    req.flushHeaders();
  });
}

/** Whether anything answers HTTP at `url` now: its status, or `refused`. */
export const answersAt = (url: string): Promise<number | 'refused'> =>
  fetch(url, { signal: AbortSignal.timeout(2_000) }).then(
    (r) => r.status,
    () => 'refused' as const,
  );

/** Waits (at most `ms`) until nothing answers at `url`. */
export async function untilRefused(url: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while ((await answersAt(url)) !== 'refused' && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
