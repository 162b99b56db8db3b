/**
 * --strict: a request that breaks the contract is answered by the proxy in the vendor's error shape and never
 * reaches the upstream; a conforming one is forwarded. The refusal is the sandbox's own rendering (the vendor's
 * renderError over the spec's x-errors): for the same request the sandbox itself answers the same status and body.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definitionOf } from '../../src/vendors/index.ts';
import { mergeHeaders } from '../reliability/support/client.ts';
import { type RunningSandbox, startSandbox } from '../support/sandbox.ts';
import { bodyOf, proxyTo, type TestProxy, upstream } from './support.ts';

const TASK = '/api/Task(f7d828f8-7316-428f-9ae8-f04ecefda91e)';

let sandbox: RunningSandbox;
let guarded: Awaited<ReturnType<typeof upstream>>;
let proxy: TestProxy;
const reached: string[] = [];
beforeAll(async () => {
  sandbox = await startSandbox({ rateLimit: false });
  // The upstream behind the guard: the sandbox, with every request that reaches it counted.
  guarded = await upstream(async (req, res) => {
    reached.push(`${req.method} ${req.url}`);
    const body = await bodyOf(req);
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(([n]) => !['host', 'connection', 'content-length'].includes(n)),
    ) as Record<string, string>;
    const answer = await fetch(sandbox.origin + (req.url ?? '/'), {
      method: req.method ?? 'GET',
      headers,
      ...(body.length ? { body: new Uint8Array(body) } : {}),
    });
    res.writeHead(answer.status, Object.fromEntries(answer.headers));
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  const upstreams = Object.fromEntries(
    Object.entries(sandbox.base).map(([v, url]) => [v, url.replace(sandbox.origin, guarded.origin)]),
  );
  proxy = await proxyTo(upstreams, { target: guarded.origin, strict: true });
});
afterAll(async () => {
  await proxy?.close();
  await guarded?.close();
  await sandbox?.close();
});

async function call(
  origin: string,
  vendor: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
) {
  const prefix = proxy.vendors.find((v) => v.name === vendor)?.prefix as string;
  // R7-Office's client signs in first (forwarded: it conforms); what the request itself reaches is counted after.
  const auth = await definitionOf(vendor).client.authorize(
    { method, path, headers, body },
    { baseUrl: origin + prefix },
  );
  const before = reached.length;
  const res = await fetch(origin + prefix + path, {
    method,
    headers: mergeHeaders(headers, auth ?? {}),
    ...(body !== undefined ? { body } : {}),
  });
  const text = await res.text();
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    body: text,
    via: res.headers.get('x-contract-proxy'),
    reached: reached.length - before,
  };
}

const json = { 'content-type': 'application/json', accept: 'application/json' };

describe("refused by the proxy, in the sandbox's own words", () => {
  it.each([
    ['odyssee', 'a field over its maxLength', 'PUT', TASK, json, JSON.stringify({ subject: 'x'.repeat(151) })],
    ['odyssee', 'JSON that does not parse', 'PUT', TASK, json, '{"subject": '],
    ['odyssee', 'an id that is no GUID', 'GET', '/api/Task(nope)', { accept: 'application/json' }, undefined],
    [
      'odyssee',
      'an XML body under the wrong root',
      'PUT',
      TASK,
      { 'content-type': 'application/xml', accept: 'application/xml' },
      '<Nope><subject>s</subject></Nope>',
    ],
    ['odyssee', 'no such operation', 'GET', '/api/Nothing', { accept: 'application/json' }, undefined],
    [
      'ivvy',
      'an add without its required fields',
      'POST',
      '/api/1.0/crm?action=addOrUpdateTask',
      json,
      '{"description":"d"}',
    ],
    ['ivvy', 'an unknown action', 'POST', '/api/1.0/crm?action=nope', json, '{}'],
  ] as const)('%s: %s', async (vendor, _name, method, path, headers, body) => {
    const own = await call(sandbox.origin, vendor, method, path, { ...headers }, body);
    const guard = await call(proxy.origin, vendor, method, path, { ...headers }, body);
    expect(guard.via).toMatch(/^refused/);
    expect(guard.reached, 'nothing reached the upstream').toBe(0);
    expect({ status: guard.status, type: guard.type, body: guard.body }).toEqual({
      status: own.status,
      type: own.type,
      body: own.body,
    });
  });

  it("r7-office: refused in the vendor's envelope, its status and shape (the message is the schema's finding)", async () => {
    const body = JSON.stringify({ title: 't', deadline: '2026-01-01T10:00:00Z', categoryid: 0 });
    const own = await call(sandbox.origin, 'r7-office', 'PUT', '/api/2.0/crm/task/1234', json, body);
    const guard = await call(proxy.origin, 'r7-office', 'PUT', '/api/2.0/crm/task/1234', json, body);
    expect(guard.reached).toBe(0);
    expect(guard.status).toBe(own.status);
    expect(guard.type).toBe(own.type);
    expect(Object.keys(JSON.parse(guard.body))).toEqual(Object.keys(JSON.parse(own.body)));
    const refused = await proxy.reported((e) => e.method === 'PUT' && e.fate === 'refused' && e.vendor === 'r7-office');
    expect(refused.violations.map((v) => v.rule)).toContain('r7-office.task.category-positive');
  });
});

describe('forwarded when it conforms', () => {
  it.each([
    ['odyssee', 'GET', TASK, { accept: 'application/json' }, undefined, 200],
    ['ivvy', 'POST', '/api/1.0/crm?action=getTaskList', json, '{}', 200],
    ['r7-office', 'GET', '/api/2.0/crm/task/1234.xml', {}, undefined, 200],
    // Conforming, refused by the upstream for what only it knows (no such task): forwarded, its answer passed on.
    ['r7-office', 'GET', '/api/2.0/crm/task/999999', {}, undefined, 404],
  ] as const)('%s %s %s', async (vendor, method, path, headers, body, status) => {
    const got = await call(proxy.origin, vendor, method, path, { ...headers }, body);
    expect(got.status, got.body).toBe(status);
    expect(got.via).toBeNull();
    expect(got.reached).toBe(1);
  });
});
