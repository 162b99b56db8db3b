/**
 * Every kind of violation, each reported as one line and none changing the traffic: requests that break their
 * operation's parameters, body and schema-enforced rules (sent through the proxy to the sandbox, which refuses
 * them), and answers that break the contract (a server in front of the sandbox that breaks its answers one way per
 * request, test/contract/fixtures/broken-servers.ts). Then the reports of those exchanges: JSON, JUnit, HTML.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Exchange } from '../../src/proxy/exchange.ts';
import { buildProxyReport, ExchangeLog, writeProxyReports } from '../../src/proxy/report.ts';
import { BODY_LIMIT } from '../../src/server/app.ts';
import { definitionOf } from '../../src/vendors/index.ts';
import {
  type Answer,
  type RunningProxy as BrokenServer,
  startProxy as startBroken,
} from '../contract/fixtures/broken-servers.ts';
import { mergeHeaders } from '../reliability/support/client.ts';
import { type RunningSandbox, startSandbox } from '../support/sandbox.ts';
import { proxyTo, type TestProxy } from './support.ts';

const TASK = '/api/Task(f7d828f8-7316-428f-9ae8-f04ecefda91e)';

/** One breakage per request, chosen by its `break` query parameter. */
function breaks(request: { path: string }, answer: Answer): Answer {
  const kind = new URL(request.path, 'http://x').searchParams.get('break');
  switch (kind) {
    case 'status':
      return { ...answer, status: 418 };
    case 'content-type':
      return { ...answer, contentType: 'text/plain' };
    case 'drop': {
      const { response: _dropped, ...rest } = JSON.parse(answer.body) as Record<string, unknown>;
      return { ...answer, body: JSON.stringify(rest) };
    }
    case 'json':
      return { ...answer, body: '{"id": ' };
    case 'xml':
      return { ...answer, body: answer.body.replace(/<id>[^<]*<\/id>/, '<id>not a guid</id>') };
    default:
      return answer;
  }
}

let sandbox: RunningSandbox;
let broken: BrokenServer;
let proxy: TestProxy;
beforeAll(async () => {
  sandbox = await startSandbox({ rateLimit: false });
  broken = await startBroken(sandbox.origin, breaks);
  proxy = await proxyTo(
    Object.fromEntries(Object.entries(sandbox.base).map(([v, url]) => [v, url.replace(sandbox.origin, broken.origin)])),
    { target: broken.origin },
  );
});
afterAll(async () => {
  await proxy?.close();
  await broken?.close();
  await sandbox?.close();
});

/** Sends one request through the proxy, authorised as the vendor's client does; the exchange the proxy reported. */
async function through(
  vendor: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
  authorise = true,
  after: Record<string, string> = {},
): Promise<{ status: number; text: string; exchange: Exchange }> {
  const prefix = proxy.vendors.find((v) => v.name === vendor)?.prefix as string;
  const base = proxy.origin + prefix;
  const before = proxy.exchanges.length;
  const auth = authorise
    ? await definitionOf(vendor).client.authorize({ method, path, headers, body }, { baseUrl: base })
    : {};
  const res = await fetch(base + path, {
    method,
    headers: mergeHeaders(headers, auth ?? {}, after),
    ...(body !== undefined ? { body: new Uint8Array(Buffer.from(body)) } : {}),
  });
  const text = await res.text();
  const exchange = await proxy.reported((e) => e.path === path, before);
  return { status: res.status, text, exchange };
}

const places = (e: Exchange) => e.violations.map((v) => `${v.side} ${v.where}`);
const json = { 'content-type': 'application/json', accept: 'application/json' };

describe('requests that break the contract, forwarded all the same', () => {
  it.each([
    ['a path parameter', 'odyssee', 'GET', '/api/Task(not-a-guid)', {}, undefined, 'request path.id', undefined],
    ['no operation at the path', 'odyssee', 'GET', '/api/Nothing(1)', {}, undefined, 'request path', undefined],
    [
      'a method the path does not have',
      'ivvy',
      'GET',
      '/api/1.0/crm?action=getTaskList',
      {},
      undefined,
      'request method',
      undefined,
    ],
    [
      "a method the path does not have, for a vendor without a 405 (Odyssee's not found)",
      'odyssee',
      'DELETE',
      TASK,
      {},
      undefined,
      'request path',
      undefined,
    ],
    [
      'an unknown action',
      'ivvy',
      'POST',
      '/api/1.0/crm?action=deleteEverything',
      json,
      '{}',
      'request query.action',
      undefined,
    ],
    ['JSON that does not parse', 'odyssee', 'PUT', TASK, json, '{"subject": ', 'request body', undefined],
    [
      'a media type the operation does not read',
      'odyssee',
      'PUT',
      TASK,
      { 'content-type': 'text/plain' },
      'subject',
      'request header.content-type',
      undefined,
    ],
    [
      'the wrong XML root',
      'odyssee',
      'PUT',
      TASK,
      { 'content-type': 'application/xml' },
      '<NotATask><subject>s</subject></NotATask>',
      'request body',
      undefined,
    ],
    [
      'a field over its maxLength',
      'odyssee',
      'PUT',
      TASK,
      json,
      JSON.stringify({ subject: 'x'.repeat(151), task_type_id: '86819a15-5d35-412e-9ba1-cc6cc9a4cb51' }),
      'request body.subject',
      'odyssee.task.max-length',
    ],
    [
      'an "Optionally required" group left empty',
      'odyssee',
      'PUT',
      TASK,
      json,
      '{"subject":"s"}',
      'request body',
      'odyssee.task.task-type-group',
    ],
    [
      "a required field missing (iVvy's add without a name)",
      'ivvy',
      'POST',
      '/api/1.0/crm?action=addOrUpdateTask',
      json,
      '{"description":"d"}',
      'request body',
      undefined,
    ],
    [
      'a body over the limit',
      'odyssee',
      'PUT',
      TASK,
      json,
      `{"subject":"${'x'.repeat(BODY_LIMIT)}"}`,
      'request body',
      undefined,
    ],
  ] as const)('%s', async (_name, vendor, method, path, headers, body, where, rule) => {
    const { status, exchange } = await through(vendor, method, path, { ...headers }, body);
    expect(status, 'forwarded: the upstream refuses it, not the proxy').toBeGreaterThanOrEqual(400);
    expect(exchange.fate).toBe('answered');
    expect(places(exchange)).toContain(where);
    if (rule) expect(exchange.violations.map((v) => v.rule)).toContain(rule);
    // The sandbox's refusal is a documented answer: only the request is at fault.
    expect(exchange.violations.filter((v) => v.side === 'answer')).toEqual([]);
  });

  it('a header parameter: an iVvy Content-MD5 that is not 32 hex digits', async () => {
    const path = '/api/1.0/crm?action=getTaskList';
    // Set after the client signs, as a client that writes the header wrong would.
    const { exchange } = await through('ivvy', 'POST', path, json, '{}', true, { 'content-md5': 'not-an-md5' });
    expect(places(exchange)).toContain('request header.content-md5');
  });

  it('each violation is one line: time, vendor and operation, request or answer, where, what', () => {
    const line = proxy.lines.find((l) => l.includes('odyssee.task.max-length'));
    expect(line).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z odyssee updateTask request body\.subject: must NOT have more than 150 characters \[odyssee\.task\.max-length\]$/,
    );
  });
});

describe('answers that break the contract, passed on unchanged', () => {
  it.each([
    ['an undocumented status', 'odyssee', TASK, {}, 'status', 'answer status', 418],
    ['a content type the operation does not answer', 'odyssee', TASK, {}, 'content-type', 'answer content-type', 200],
    ['a body that does not parse', 'odyssee', TASK, {}, 'json', 'answer body', 200],
    ['a required field missing from the body', 'r7-office', '/api/2.0/crm/task/1234', {}, 'drop', 'answer body', 200],
    [
      'an XML body that breaks its schema',
      'odyssee',
      TASK,
      { accept: 'application/xml' },
      'xml',
      'answer body/id',
      200,
    ],
  ] as const)('%s', async (_name, vendor, path, headers, kind, where, status) => {
    const broke = `${path}?break=${kind}`;
    const got = await through(vendor, 'GET', broke, headers);
    expect(got.status).toBe(status);
    expect(got.exchange.status).toBe(status);
    expect(places(got.exchange)).toContain(where);
    expect(got.exchange.violations.filter((v) => v.side === 'request')).toEqual([]);
    // The client got what the broken server sent.
    if (kind === 'json') expect(got.text).toBe('{"id": ');
  });
});

describe('the reports of these exchanges', () => {
  let out: string;
  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'proxy-reports-'));
    const log = new ExchangeLog();
    for (const e of proxy.exchanges) log.add(e);
    const report = buildProxyReport('the broken server', proxy.vendors, log, { startedAt: new Date(), strict: false });
    writeProxyReports(report, out, ['json', 'junit', 'html']);
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('JUnit: one testcase per exchange, classed by vendor and operation, a failure for each with a violation', () => {
    const xml = readFileSync(join(out, 'junit.xml'), 'utf8');
    const testcases = xml.match(/<testcase /g) ?? [];
    const failures = xml.match(/<failure /g) ?? [];
    expect(testcases).toHaveLength(proxy.exchanges.length);
    expect(failures).toHaveLength(proxy.exchanges.filter((e) => e.violations.length > 0).length);
    expect(xml).toContain('classname="odyssee.updateTask"');
    expect(xml).toContain('classname="ivvy.addOrUpdateTask"');
    expect(xml).toContain('classname="odyssee.(not in the spec)"');
  });

  it('JSON: per vendor and operation the exchanges, and the coverage of the spec by the traffic', () => {
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    const odyssee = report.vendors.find((v: { vendor: string }) => v.vendor === 'odyssee');
    const getTask = odyssee.operations.find((o: { name: string }) => o.name === 'getTask');
    expect(getTask.undocumented).toContain(418);
    expect(getTask.statuses.find((s: { status: string }) => s.status === '200').observed).toBe(true);
    const updateTask = odyssee.operations.find((o: { name: string }) => o.name === 'updateTask');
    expect(updateTask.rules.find((r: { id: string }) => r.id === 'odyssee.task.max-length').outcome).toBe('failed');
    expect(updateTask.fields.find((f: { name: string }) => f.name === 'subject').exercised).toBe(true);
    expect(odyssee.coverage.operations.covered).toBeGreaterThanOrEqual(2);
    expect(report.proxy.exchanges).toBe(proxy.exchanges.length);
  });

  it('HTML: one file, the exchanges and their violations, and the coverage', () => {
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html).toContain('<title>Proxy report: the broken server</title>');
    expect(html).toContain('418 undocumented');
    expect(html).toContain('must NOT have more than 150 characters');
    expect(html).toContain('data-metric="rules"');
    expect(html).not.toMatch(/<script|<link /);
  });
});
