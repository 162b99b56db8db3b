/**
 * `npm run proxy`: its flags (the contract suite's own target flags, then its own), and the command end to end:
 * one line per violation as it happens, the reports written every --report-every seconds and on SIGTERM, and the
 * HAR recording with every credential redacted.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { targetFlags, UsageError } from '../../src/contract/cli-options.ts';
import { DEFAULT_OUT, DEFAULT_PORT, parseProxyArgs, proxyHelp } from '../../src/proxy/options.ts';
import { loadAllSpecs, repoRoot } from '../../src/spec/index.ts';
import { definitionOf } from '../../src/vendors/index.ts';
import { mergeHeaders } from '../reliability/support/client.ts';
import { type RunningSandbox, startSandbox } from '../support/sandbox.ts';

const docs = await loadAllSpecs();
const URL_ = 'http://127.0.0.1:3000';
const run = (args: string[], env: NodeJS.ProcessEnv = {}) => {
  const parsed = parseProxyArgs(args, env, docs, '/work/here');
  if (parsed === 'help') throw new Error('unexpected help');
  return parsed;
};

/** Waits (20 ms steps) until `done` holds or the deadline passes. */
async function until(done: () => boolean, deadline: number): Promise<void> {
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}

/** Odyssee through the proxy: a read, and an update breaking a rule. Returns the credential sent. */
async function sendOdyssee(origin: string): Promise<string[]> {
  const basic = `Basic ${Buffer.from('sandbox:sandbox@SANDBOX').toString('base64')}`;
  const task = '/odyssee/api/Task(f7d828f8-7316-428f-9ae8-f04ecefda91e)';
  expect((await fetch(`${origin}${task}`, { headers: { authorization: basic } })).status).toBe(200);
  const bad = await fetch(`${origin}${task}`, {
    method: 'PUT',
    headers: { authorization: basic, 'content-type': 'application/json' },
    body: JSON.stringify({ subject: 'x'.repeat(151) }),
  });
  expect(bad.status).toBe(400);
  return [basic.slice(6)];
}

/**
 * R7-Office through the proxy: the sign-in's password, its token in the answer and the cookie it sets; the token
 * sent back as a header, a cookie and a query parameter. Returns the token.
 */
async function sendR7(origin: string): Promise<string[]> {
  const signIn = await fetch(`${origin}/r7/api/2.0/authentication.json`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userName: 'sandbox@example.com', password: 'sandbox' }),
  });
  expect(signIn.status).toBe(201);
  const token = ((await signIn.json()) as { response: { token: string } }).response.token;
  for (const init of [{ headers: { authorization: token } }, { headers: { cookie: `asc_auth_key=${token}` } }])
    expect((await fetch(`${origin}/r7/api/2.0/crm/task/1234`, init)).status).toBe(200);
  expect((await fetch(`${origin}/r7/api/2.0/crm/task/1234?asc_auth_key=${encodeURIComponent(token)}`)).status).toBe(
    200,
  );
  return [token];
}

/** iVvy through the proxy, with its signature header. Returns the signature. */
async function sendIvvy(origin: string): Promise<string[]> {
  const path = '/api/1.0/crm?action=getTaskList';
  const request = { method: 'POST', path, headers: { 'content-type': 'application/json' }, body: '{}' };
  const auth = await definitionOf('ivvy').client.authorize(request, { baseUrl: `${origin}/ivvy` });
  const signature = String(auth?.['X-Api-Authorization'] ?? auth?.['x-api-authorization']).split(':')[1] as string;
  const ivvy = await fetch(`${origin}/ivvy${path}`, {
    method: 'POST',
    headers: mergeHeaders(request.headers, auth ?? {}),
    body: '{}',
  });
  expect(ivvy.status).toBe(200);
  return [signature];
}

/** The one HAR file in `record` has the seven exchanges and none of `secrets`: passwords and cookies redacted. */
function expectRecordingRedacted(record: string, secrets: string[]): void {
  const files = readdirSync(record).filter((f) => f.endsWith('.har'));
  expect(files).toHaveLength(1);
  const text = readFileSync(join(record, files[0] as string), 'utf8');
  const har = JSON.parse(text);
  expect(har.log.version).toBe('1.2');
  expect(har.log.entries).toHaveLength(7);
  expect(
    secrets.every((s) => typeof s === 'string' && s.length >= 20),
    secrets.join(' '),
  ).toBe(true);
  for (const secret of secrets) expect(text, 'a credential left in the recording').not.toContain(secret);
  const signInEntry = har.log.entries.find((e: { request: { url: string } }) =>
    e.request.url.endsWith('authentication.json'),
  );
  expect(JSON.parse(signInEntry.request.postData.text).password).toBe('[redacted]');
  expect(
    signInEntry.response.headers.find((h: { name: string }) => h.name.toLowerCase() === 'set-cookie').value,
  ).toMatch(/^asc_auth_key=\[redacted\];/);
  expect(text).toContain('sandbox@example.com');
}

describe('parseProxyArgs', () => {
  it('--target serves every vendor under its prefix; the defaults: port 4020, reports/proxy, json+junit+html, 30 s', () => {
    const r = run(['--target', `${URL_}/`]);
    expect(r.upstreams).toEqual({ odyssee: `${URL_}/odyssee`, ivvy: `${URL_}/ivvy`, 'r7-office': `${URL_}/r7` });
    expect(r).toMatchObject({ port: DEFAULT_PORT, host: '127.0.0.1', strict: false, timeoutMs: 30_000, target: URL_ });
    expect(r.out).toBe(join('/work/here', DEFAULT_OUT));
    expect(r.reporters).toEqual(['json', 'junit', 'html']);
    expect(DEFAULT_PORT).toBe(4020);
  });

  it("a vendor's own URL, --vendor, --port, --host, --strict, --timeout, --report-every, --record, --reporter", () => {
    const r = run([
      '--r7',
      'https://portal.example/base/',
      '--ivvy',
      'https://api.ivvy.example',
      '--vendor',
      'r7',
      '--port',
      '0',
      '--host',
      '0.0.0.0',
      '--strict',
      '--timeout',
      '2.5',
      '--report-every',
      '0',
      '--record',
      'har',
      '--reporter',
      'junit,html',
    ]);
    expect(r.upstreams).toEqual({ 'r7-office': 'https://portal.example/base' });
    expect(r).toMatchObject({ port: 0, host: '0.0.0.0', strict: true, timeoutMs: 2500, reportEveryMs: 0 });
    expect(r.record).toBe('/work/here/har');
    expect(r.reporters).toEqual(['junit', 'html']);
  });

  it('PORT and HOST from the environment, a flag winning', () => {
    expect(run(['--target', URL_], { PORT: '5000', HOST: '::1' })).toMatchObject({ port: 5000, host: '::1' });
    expect(run(['--target', URL_, '--port', '5001'], { PORT: '5000' }).port).toBe(5001);
  });

  it.each([
    [[], /no target/],
    [['--target', 'ftp://x'], /http\(s\) URL/],
    [['--target', URL_, '--reporter', 'console'], /unknown reporter console/],
    [['--target', URL_, '--timeout', '0'], /--timeout must be a positive number/],
    [['--target', URL_, '--port', 'x'], /--port must be a port number/],
    [['--target', URL_, '--vendor', 'nope'], /unknown vendor nope/],
    [['--target', URL_, '--bogus'], /bogus/],
  ])('%j is a usage error', (args, message) => {
    expect(() => run(args)).toThrow(UsageError);
    expect(() => run(args)).toThrow(message);
  });

  it("the target flags are the contract suite's own, described once", () => {
    const help = proxyHelp(docs);
    for (const [name, flag] of Object.entries(targetFlags(docs).flags)) {
      expect(help).toContain(`--${name}`);
      expect(help).toContain(flag.description);
    }
  });
});

describe('the proxy command, end to end', () => {
  const cli = join(repoRoot, 'src', 'cli', 'proxy.ts');
  let sandbox: RunningSandbox;
  let dir: string;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    sandbox = await startSandbox();
    dir = mkdtempSync(join(tmpdir(), 'proxy-cli-'));
  });
  afterEach(() => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
  });
  afterAll(async () => {
    await sandbox?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints --help', () => {
    const help = execFileSync(process.execPath, [cli, '--help'], { encoding: 'utf8' });
    for (const text of ['--target', '--r7', '--port', '--strict', '--timeout', '--report-every', '--record'])
      expect(help).toContain(text);
  });

  it('exits 2 on a usage error', () => {
    let status = 0;
    try {
      execFileSync(process.execPath, [cli, '--reporter', 'nope', '--target', sandbox.origin], { stdio: 'pipe' });
    } catch (error) {
      status = (error as { status: number }).status;
    }
    expect(status).toBe(2);
  });

  it('reports violations as they happen, writes its reports on time and on SIGTERM, records HAR without credentials', async () => {
    const out = join(dir, 'reports');
    const record = join(dir, 'har');
    const child = spawn(
      process.execPath,
      [cli, '--target', sandbox.origin, '--port', '0', '--out', out, '--record', record, '--report-every', '0.3'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    children.push(child);
    const lines: string[] = [];
    const reader = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    reader.on('line', (line) => lines.push(line));
    const deadline = Date.now() + 20_000;
    await until(() => lines.some((l) => /^proxy listening on /.test(l)), deadline);
    const origin = /^proxy listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(lines[0] ?? '')?.[1];
    expect(origin, lines.join('\n')).toBeDefined();

    const secrets = [
      ...(await sendOdyssee(origin as string)),
      ...(await sendR7(origin as string)),
      ...(await sendIvvy(origin as string)),
    ];

    // The violation's line came as it happened; the periodic reports are there before any signal.
    await until(() => lines.some((l) => l.includes('odyssee.task.max-length')), deadline);
    expect(lines.find((l) => l.includes('odyssee.task.max-length'))).toMatch(
      /odyssee updateTask request body\.subject: /,
    );
    await until(() => existsSync(join(out, 'report.json')), deadline);
    expect(existsSync(join(out, 'report.json'))).toBe(true);

    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
    expect(lines.at(-1)).toMatch(/^proxy stopped: 7 exchanges, 1 with violations/);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.proxy.exchanges).toBe(7);
    expect(readFileSync(join(out, 'junit.xml'), 'utf8')).toContain('classname="odyssee.updateTask"');
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('Proxy report');
    expectRecordingRedacted(record, secrets);
  });
});
