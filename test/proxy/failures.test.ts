/**
 * When the upstream or the client fails: an upstream that is down is a 502 in the vendor's error shape, one too slow
 * a 504 after --timeout, one that cuts its answer off a cut connection; a client that hangs up mid-body costs the
 * proxy nothing. Each is reported, and the proxy goes on answering.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../bench/servers.ts';
import { checkResponse } from '../../src/contract/check-response.ts';
import { type RunningSandbox, startSandbox } from '../support/sandbox.ts';
import { proxyTo, type TestProxy, upstream } from './support.ts';

const TASK = '/api/Task(f7d828f8-7316-428f-9ae8-f04ecefda91e)';
const AUTH = `Basic ${Buffer.from('sandbox:sandbox@SANDBOX').toString('base64')}`;

describe('an upstream that is down', () => {
  let proxy: TestProxy;
  beforeAll(async () => {
    const port = await freePort();
    const nobody = `http://127.0.0.1:${port}`;
    proxy = await proxyTo({ odyssee: `${nobody}/odyssee`, ivvy: `${nobody}/ivvy`, 'r7-office': `${nobody}/r7` });
  });
  afterAll(() => proxy?.close());

  it.each([
    ['odyssee', `/odyssee${TASK}`, 'getTask'],
    ['ivvy', '/ivvy/api/1.0/crm?action=getTaskList', 'getTaskList'],
    ['r7-office', '/r7/api/2.0/crm/task/1234', 'getTask'],
    ['r7-office', '/r7/api/2.0/crm/task/1234.xml', 'getTaskXml'],
  ])("%s %s: 502 in the vendor's error shape, reported", async (vendor, path, operation) => {
    const before = proxy.exchanges.length;
    const res = await fetch(proxy.origin + path, {
      method: vendor === 'ivvy' ? 'POST' : 'GET',
      headers: { authorization: AUTH, 'content-type': 'application/json' },
      ...(vendor === 'ivvy' ? { body: '{}' } : {}),
    });
    const body = await res.text();
    expect(res.status).toBe(502);
    expect(res.headers.get('x-contract-proxy')).toBe('upstream unreachable');
    // The vendor's shape: the body the vendor's renderError writes, as the spec's error schemas describe them.
    const kit = proxy.vendors.find((v) => v.name === vendor);
    if (!kit) throw new Error(vendor);
    const shape = checkResponse(kit.doc, kit.validators, operation, {
      status: 500,
      contentType: res.headers.get('content-type') ?? undefined,
      body,
    });
    expect(shape, body).toEqual([]);
    expect(body).toMatch(/ECONNREFUSED/);
    await proxy.settled(before + 1);
    const exchange = proxy.exchanges[before];
    expect(exchange?.fate).toBe('unreachable');
    expect(exchange?.status).toBe(502);
    expect(exchange?.violations.map((v) => `${v.side} ${v.where}`)).toContain('answer upstream');
  });
});

describe('an upstream too slow, and one that cuts its answer off', () => {
  let slow: Awaited<ReturnType<typeof upstream>>;
  let proxy: TestProxy;
  const timers = new Set<NodeJS.Timeout>();
  beforeAll(async () => {
    slow = await upstream((req, res) => {
      if (req.url?.includes('cut')) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
        res.write('{"id": "f7d8');
        const t = setTimeout(() => res.destroy(), 50);
        timers.add(t);
        return;
      }
      // Never answers within the proxy's timeout; the test's upstream closes it.
      const t = setTimeout(() => res.end('{}'), 5_000);
      timers.add(t);
    });
    proxy = await proxyTo({ odyssee: `${slow.origin}/` }, { timeoutMs: 300 });
  });
  afterAll(async () => {
    for (const t of timers) clearTimeout(t);
    await proxy?.close();
    await slow?.close();
  });

  it('504 after --timeout, in the vendor shape, reported', async () => {
    const started = performance.now();
    const res = await fetch(`${proxy.origin}/odyssee${TASK}`, { headers: { authorization: AUTH } });
    const elapsed = performance.now() - started;
    const body = await res.text();
    expect(res.status).toBe(504);
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(3_000);
    expect(JSON.parse(body)).toMatchObject({ error: { code: 'InternalError' } });
    await proxy.settled(1);
    expect(proxy.exchanges[0]?.fate).toBe('timeout');
    expect(proxy.lines.at(-1)).toMatch(/answer upstream: .* did not answer within 0\.3 s/);
  });

  it('an answer cut off after its status line: the client connection is cut too, and it is reported', async () => {
    const before = proxy.exchanges.length;
    const res = await fetch(`${proxy.origin}/odyssee${TASK}?cut=1`, { headers: { authorization: AUTH } });
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
    await proxy.settled(before + 1);
    const exchange = proxy.exchanges[before];
    expect(exchange?.fate).toBe('upstream-aborted');
    expect(exchange?.violations.map((v) => v.what).join()).toMatch(/cut the answer off after 12 bytes/);
  });
});

describe('a client that hangs up mid-body', () => {
  let sandbox: RunningSandbox;
  let proxy: TestProxy;
  beforeAll(async () => {
    sandbox = await startSandbox();
    proxy = await proxyTo(sandbox.base, { target: sandbox.origin });
  });
  afterAll(async () => {
    await proxy?.close();
    await sandbox?.close();
  });

  /** Writes the head and part of the body of a PUT, then destroys the socket. */
  async function hangUp(strict: TestProxy): Promise<void> {
    const { port } = new URL(strict.origin);
    const socket: Socket = connect(Number(port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      `PUT /odyssee${TASK} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${AUTH}\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{"subject": "half`,
    );
    await new Promise((resolve) => setTimeout(resolve, 30));
    socket.destroy();
  }

  it('is recorded as such, nothing is forwarded half, and the proxy goes on answering', async () => {
    for (let i = 0; i < 5; i++) await hangUp(proxy);
    await proxy.settled(5);
    expect(proxy.exchanges.map((e) => e.fate)).toEqual(Array(5).fill('client-aborted'));
    expect(proxy.exchanges.every((e) => e.violations.length === 0)).toBe(true);
    const res = await fetch(`${proxy.origin}/odyssee${TASK}`, { headers: { authorization: AUTH } });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
  });

  it('the same with --strict', async () => {
    const strict = await proxyTo(sandbox.base, { target: sandbox.origin, strict: true });
    try {
      for (let i = 0; i < 3; i++) await hangUp(strict);
      await strict.settled(3);
      expect(strict.exchanges.map((e) => e.fate)).toEqual(Array(3).fill('client-aborted'));
      const res = await fetch(`${strict.origin}/odyssee${TASK}`, { headers: { authorization: AUTH } });
      expect(res.status).toBe(200);
      await res.arrayBuffer();
    } finally {
      await strict.close();
    }
  });
});
