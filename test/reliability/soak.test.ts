/**
 * Soak: steady load with autocannon against the sandbox in a child process (on a SQLite file): reads and updates
 * of every vendor in JSON and XML, plus requests that must fail (malformed JSON, a wrong signature, an unknown
 * route, XML with a DOCTYPE), so the error paths run as often as the happy ones. Updates rewrite the same records,
 * so the data does not grow and memory has no reason to.
 *
 * A warm-up, then the measured part: no request errors or timeouts, no 5xx, no stack trace in any answer, the
 * sandbox still answers afterwards. Memory (heap after a full GC, and RSS) is measured after the warm-up and at the
 * end; the growth is reported, and bounded (generously) in the long form only. No timing assertions.
 * Bounded by `bounds.soakWarmupMs` and `bounds.soakMs`.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { toXml } from '../../src/xml/build.ts';
import { authorisation } from './support/client.ts';
import { stillAnswers, tempFolder } from './support/harness.ts';
import { bounds, long, report, timeoutFor } from './support/settings.ts';
import { allTargets } from './support/targets.ts';
import { tasks } from './support/writes.ts';

/** The part of autocannon's API used here; loaded untyped (the package ships no types; bench/ declares its own). */
interface Request {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (request: Request) => Request;
  onResponse?: (status: number, body: string) => void;
}
interface LoadResult {
  requests: { total: number; average: number };
  errors: number;
  timeouts: number;
  statusCodeStats: Record<string, { count: number }>;
}
const autocannon = createRequire(import.meta.url)('autocannon') as (options: {
  url: string;
  connections: number;
  duration: number;
  timeout: number;
  requests: Request[];
}) => Promise<LoadResult>;

const folder = tempFolder('soak');
let child: ChildProcess;
let origin = '';
let base: Record<string, string> = {};

interface Memory {
  heapUsed: number;
  rss: number;
}

function message<T>(type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${type} message from the soak server`)), 60_000);
    const onMessage = (m: { type?: string } & T) => {
      if (m?.type !== type) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(m);
    };
    child.on('message', onMessage);
  });
}

async function memory(): Promise<Memory> {
  const reply = message<{ usage: Memory }>('memory');
  child.send('memory');
  return (await reply).usage;
}

beforeAll(async () => {
  child = fork(
    fileURLToPath(new URL('./support/soak-server.ts', import.meta.url)),
    [join(folder.dir, 'sandbox.sqlite')],
    {
      execArgv: ['--expose-gc'],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    },
  );
  const ready = await message<{ origin: string; prefixes: Record<string, string> }>('ready');
  origin = ready.origin;
  base = Object.fromEntries(Object.entries(ready.prefixes).map(([name, prefix]) => [name, origin + prefix]));
}, 90_000);
afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  folder.remove();
});

/** One authorised request for autocannon (a path under the vendor's prefix, headers signed for this body). */
async function request(
  vendor: string,
  method: string,
  path: string,
  body?: string,
  headers: Record<string, string> = {},
): Promise<Request> {
  const prefix = new URL(base[vendor] as string).pathname;
  const auth = await authorisation(vendor, base[vendor] as string, {
    method,
    path,
    headers,
    ...(body !== undefined ? { body } : {}),
  });
  return { method, path: prefix + path, headers: { ...headers, ...auth }, ...(body !== undefined ? { body } : {}) };
}

/** The request mix: each connection cycles through it; update bodies carry a counter so every write differs. */
async function mix(): Promise<Request[]> {
  const targets = await allTargets();
  const json = { 'content-type': 'application/json', accept: 'application/json' };
  const bodyOf = (vendor: string, operation: string, index = 0) =>
    targets.find((t) => t.vendor === vendor && t.operation === operation)?.json[index] ?? {};
  const xmlLog = targets.find((t) => t.vendor === 'odyssee' && t.operation === 'saveTaskActivityLog')?.xml[0];
  let counter = 0;
  const varying = (make: (n: number) => string) => (req: Request) => ({ ...req, body: make(counter++) });
  const r7Put = await request('r7-office', 'PUT', `/api/2.0/crm/task/${tasks.r7[1]}`, '{}', json);
  const odysseePut = await request('odyssee', 'PUT', `/api/Task(${tasks.odyssee[1]})`, '{}', json);
  const odysseeXml = xmlLog
    ? await request(
        'odyssee',
        'POST',
        '/api/TaskActivityLog/Save',
        toXml(xmlLog.value, xmlLog.root, { alphabetical: false, dataContract: false }),
        { 'content-type': xmlLog.mediaType, accept: 'application/xml' },
      )
    : undefined;
  const wrongSignature = await request('ivvy', 'POST', '/api/1.0/crm?action=getTaskList', '{}', json);
  return [
    await request('r7-office', 'GET', `/api/2.0/crm/task/${tasks.r7[0]}`, undefined, { accept: 'application/json' }),
    {
      ...r7Put,
      setupRequest: varying((n) => JSON.stringify({ ...bodyOf('r7-office', 'updateTask'), title: `soak ${n}` })),
    },
    await request('r7-office', 'GET', `/api/2.0/crm/task/${tasks.r7[0]}.xml`, undefined, { accept: 'text/xml' }),
    await request('odyssee', 'GET', `/api/Task(${tasks.odyssee[0]})`, undefined, { accept: 'application/json' }),
    {
      ...odysseePut,
      setupRequest: varying((n) =>
        JSON.stringify({ ...bodyOf('odyssee', 'updateTask'), id: tasks.odyssee[1], subject: `soak ${n}` }),
      ),
    },
    await request('odyssee', 'GET', `/api/Task(${tasks.odyssee[0]})`, undefined, { accept: 'application/xml' }),
    ...(odysseeXml ? [odysseeXml] : []),
    await request('ivvy', 'POST', '/api/1.0/crm?action=getTaskList', '{"perPage": 20}', json),
    await request(
      'ivvy',
      'POST',
      '/api/1.0/crm?action=addOrUpdateTask',
      JSON.stringify(bodyOf('ivvy', 'addOrUpdateTask', 1)),
      json,
    ),
    // Requests that must fail, in the vendor's shape.
    await request('r7-office', 'PUT', `/api/2.0/crm/task/${tasks.r7[0]}`, '{"title": ', json),
    { ...wrongSignature, body: '{"perPage": 1}' },
    await request('odyssee', 'GET', '/api/NoSuchEntity(1)', undefined, { accept: 'application/json' }),
    await request('odyssee', 'POST', '/api/TaskActivityLog/Save', '<!DOCTYPE x [<!ENTITY e "e">]><x>&e;</x>', {
      'content-type': 'application/xml',
    }),
  ];
}

const leak = /^\s*at .+:\d+:\d+\)?$|node_modules|\.ts:\d+/m;

async function load(durationMs: number) {
  const problems: string[] = [];
  const requests = (await mix()).map((r) => ({
    ...r,
    onResponse: (status: number, body: string) => {
      if (problems.length >= 20) return;
      if (status >= 500) problems.push(`${r.method} ${r.path} → ${status} ${body.slice(0, 200)}`);
      else if (leak.test(body)) problems.push(`${r.method} ${r.path} → a stack trace or a path: ${body.slice(0, 200)}`);
    },
  }));
  const result = await autocannon({
    url: origin,
    connections: bounds.soakConnections,
    duration: Math.max(1, Math.round(durationMs / 1000)),
    timeout: 10,
    requests,
  });
  return { result, problems };
}

/** Memory growth per measured segment: a leak keeps growing, a cache or an allocator settles. */
const SEGMENTS = 3;

it(
  'steady load: no errors, no 5xx, no leaks in answers; memory measured after a warm-up and through the load',
  async () => {
    const warm = await load(bounds.soakWarmupMs);
    expect(warm.problems).toEqual([]);
    const samples = [await memory()];
    const results: LoadResult[] = [];
    const problems: string[] = [];
    for (let i = 0; i < SEGMENTS; i++) {
      const segment = await load(bounds.soakMs / SEGMENTS);
      results.push(segment.result);
      problems.push(...segment.problems);
      samples.push(await memory());
    }
    const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
    const first = samples[0] as Memory;
    const last = samples[samples.length - 1] as Memory;
    const growth = { heap: last.heapUsed - first.heapUsed, rss: last.rss - first.rss };
    const lastSegment = { rss: last.rss - (samples[samples.length - 2] as Memory).rss };
    const total = results.reduce((n, r) => n + r.requests.total, 0);
    const statuses: Record<string, number> = {};
    for (const r of results) {
      for (const [status, { count }] of Object.entries(r.statusCodeStats))
        statuses[status] = (statuses[status] ?? 0) + count;
    }
    report(
      `soak ${bounds.soakMs / 1000} s on ${bounds.soakConnections} connections: ${total} requests ` +
        `(${Math.round(total / (bounds.soakMs / 1000))}/s), statuses ${JSON.stringify(statuses)}; ` +
        `heap after GC ${samples.map((m) => mib(m.heapUsed)).join(' → ')} (${mib(growth.heap)}); ` +
        `RSS ${samples.map((m) => mib(m.rss)).join(' → ')} (${mib(growth.rss)}, last segment ${mib(lastSegment.rss)})`,
    );
    expect(problems).toEqual([]);
    for (const r of results) {
      expect(r.errors).toBe(0);
      expect(r.timeouts).toBe(0);
      expect(r.requests.total).toBeGreaterThan(0);
    }
    expect(Object.keys(statuses).filter((s) => Number(s) >= 500)).toEqual([]);
    expect(await stillAnswers(origin, base)).toEqual([]);
    if (long) {
      // Generous: a leak of even a few hundred bytes per request shows up over a minute of load.
      expect(growth.heap, 'heap growth after a full GC').toBeLessThan(32 * 1024 * 1024);
      expect(growth.rss, 'RSS growth').toBeLessThan(128 * 1024 * 1024);
      expect(lastSegment.rss, 'RSS growth in the last third (a plateau, not a slope)').toBeLessThan(48 * 1024 * 1024);
    }
  },
  timeoutFor(bounds.soakWarmupMs + bounds.soakMs),
);
