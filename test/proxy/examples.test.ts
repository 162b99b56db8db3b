/**
 * `npm run proxy:examples`: recorded exchanges become candidate named examples in mocks/'s layout, each conforming
 * to the spec and with its manifest (source.recorded); what cannot be an example is skipped with why.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkResponse } from '../../src/contract/check-response.ts';
import { RequestChecker } from '../../src/proxy/checker.ts';
import { examplesFromHar } from '../../src/proxy/examples.ts';
import { HarRecorder } from '../../src/proxy/har.ts';
import type { SampleManifest } from '../../src/spec/index.ts';
import { findOperation, loadAllSpecs, repoRoot, requestSchemaPointer } from '../../src/spec/index.ts';
import { definitionOf, registry } from '../../src/vendors/index.ts';
import { mergeHeaders } from '../reliability/support/client.ts';
import { type RunningSandbox, startSandbox } from '../support/sandbox.ts';
import { proxyTo, type TestProxy } from './support.ts';

type ProxiedVendor = TestProxy['vendors'][number];

/** The entries of a folder, none when it is not there. */
function listOrNone(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** A candidate example conforms: a request to its schema, an answer to its documented response. */
function expectCandidateConforms(vendor: ProxiedVendor, op: string, path: string): void {
  const text = readFileSync(path, 'utf8');
  const manifest = parse(readFileSync(path.replace(/\.(json|xml)$/, '.yaml'), 'utf8')) as SampleManifest;
  if (manifest.side === 'response') {
    expect(
      checkResponse(vendor.doc, vendor.validators, op, {
        status: 200,
        contentType: manifest.mediaType,
        body: text,
      }),
    ).toEqual([]);
    return;
  }
  const located = findOperation(vendor.doc, op);
  const pointer = located && requestSchemaPointer(vendor.doc, located, manifest.mediaType);
  expect(pointer).toBeDefined();
  expect(vendor.validators.strict.at(pointer as string)(JSON.parse(text))).toBe(true);
}

let sandbox: RunningSandbox;
let proxy: TestProxy;
let dir: string;
let harFile: string;
let checker: RequestChecker;
beforeAll(async () => {
  checker = await RequestChecker.create(registry, await loadAllSpecs());
  sandbox = await startSandbox();
  proxy = await proxyTo(sandbox.base, { target: sandbox.origin });
  dir = mkdtempSync(join(tmpdir(), 'proxy-examples-'));
  const task = '/api/Task(f7d828f8-7316-428f-9ae8-f04ecefda91e)';
  const sends = [
    ['odyssee', 'GET', task, {}, undefined],
    [
      'odyssee',
      'PUT',
      task,
      { 'content-type': 'application/json' },
      readFileSync('mocks/odyssee/updateTask/seed.request.json', 'utf8'),
    ],
    ['odyssee', 'PUT', task, { 'content-type': 'application/json' }, '{"subject":"no groups"}'],
    [
      'ivvy',
      'POST',
      '/api/1.0/crm?action=addOrUpdateTask',
      { 'content-type': 'application/json' },
      '{"name":"recorded","endDatetime":"2026-02-01 10:00:00"}',
    ],
    ['r7-office', 'GET', '/api/2.0/crm/task/1234.xml', {}, undefined],
  ] as const;
  for (const [vendor, method, path, headers, body] of sends) {
    const base = proxy.origin + (proxy.vendors.find((v) => v.name === vendor)?.prefix as string);
    const auth = await definitionOf(vendor).client.authorize(
      { method, path, headers: { ...headers }, body },
      { baseUrl: base },
    );
    const res = await fetch(base + path, {
      method,
      headers: mergeHeaders({ ...headers }, auth ?? {}),
      ...(body ? { body } : {}),
    });
    await res.arrayBuffer();
  }
  // The R7-Office client signed in first: that exchange is recorded too (and skipped: its credentials are redacted).
  await proxy.settled(6);
  const recorder = new HarRecorder(join(dir, 'har'));
  for (const entry of proxy.har) recorder.add(entry);
  harFile = recorder.flush() as string;
});
afterAll(async () => {
  await checker?.close();
  await proxy?.close();
  await sandbox?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('candidates from a recording', () => {
  it('successful, conforming exchanges become examples; the rest are skipped with why', async () => {
    const out = join(dir, 'mocks');
    const { candidates, skipped } = await examplesFromHar(harFile, proxy.vendors, checker, { out });
    expect(candidates.map((c) => `${c.vendor} ${c.operation}`).sort()).toEqual([
      'ivvy addOrUpdateTask',
      'odyssee getTask',
      'odyssee updateTask',
      'r7-office getTaskXml',
    ]);
    const why = skipped.map((s) => s.why).join('\n');
    expect(why).toMatch(/status 400: only successful exchanges/);
    expect(why).toMatch(/credentials redacted/);

    for (const c of candidates) {
      expect(c.example).toMatch(new RegExp(`^${c.operation}-recorded-[0-9a-f]{10}$`));
      expect(c.specEntries.join('\n')).toContain(`externalValue: ../../../mocks/${c.vendor}/${c.operation}/`);
    }
    const vendorDir = (v: string, op: string) => join(out, v, op);
    const put = readdirSync(vendorDir('odyssee', 'updateTask')).sort();
    expect(put.map((f) => f.replace(/recorded-[0-9a-f]+/, 'X'))).toEqual([
      'X.request.json',
      'X.request.yaml',
      'X.response.json',
      'X.response.yaml',
    ]);
    const requestFile = put.find((f) => f.endsWith('.request.json')) as string;
    expect(readFileSync(join(vendorDir('odyssee', 'updateTask'), requestFile), 'utf8')).toBe(
      readFileSync('mocks/odyssee/updateTask/seed.request.json', 'utf8'),
    );
    const manifest = parse(
      readFileSync(join(vendorDir('odyssee', 'updateTask'), requestFile.replace('.json', '.yaml')), 'utf8'),
    ) as SampleManifest;
    expect(manifest).toMatchObject({
      operation: 'updateTask',
      side: 'request',
      mediaType: 'application/json',
      source: { verbatim: true, recorded: { har: harFile.split('/').pop(), entry: 1 } },
      replay: { path: { id: 'f7d828f8-7316-428f-9ae8-f04ecefda91e' }, query: {} },
      expect: { outcome: 'accepted', status: 200 },
    });
    const ivvyManifest = parse(
      readFileSync(
        join(
          vendorDir('ivvy', 'addOrUpdateTask'),
          readdirSync(vendorDir('ivvy', 'addOrUpdateTask')).find((f) => f.endsWith('.request.yaml')) as string,
        ),
        'utf8',
      ),
    ) as SampleManifest;
    expect(ivvyManifest.replay?.query).toEqual({ action: 'addOrUpdateTask' });
  });

  it('each candidate conforms to the spec: the request to its schema, the answer to its documented response', async () => {
    const out = join(dir, 'mocks');
    for (const vendor of proxy.vendors) {
      for (const op of listOrNone(join(out, vendor.name))) {
        for (const file of readdirSync(join(out, vendor.name, op)).filter((f) => !f.endsWith('.yaml'))) {
          expectCandidateConforms(vendor, op, join(out, vendor.name, op, file));
        }
      }
    }
  });

  it('run again on the same recording: the same names, nothing new', async () => {
    const out = join(dir, 'mocks');
    const count = () => readdirSync(out, { recursive: true }).length;
    const before = count();
    const again = await examplesFromHar(harFile, proxy.vendors, checker, { out });
    expect(again.candidates).toHaveLength(4);
    expect(count()).toBe(before);
  });

  it('--dry-run writes nothing', async () => {
    const out = join(dir, 'dry');
    const { candidates } = await examplesFromHar(harFile, proxy.vendors, checker, { out, write: false });
    expect(candidates.length).toBe(4);
    expect(() => readdirSync(out)).toThrow();
  });
});

describe('npm run proxy:examples', () => {
  it('lists the candidates, the skipped exchanges and the spec entries to add; --dry-run writes nothing', () => {
    const out = join(dir, 'cli');
    const text = execFileSync(
      process.execPath,
      [join(repoRoot, 'src/cli/proxy-examples.ts'), harFile, '--vendor', 'odyssee', '--out', out, '--dry-run'],
      { encoding: 'utf8' },
    );
    expect(text).toMatch(/: 2 candidate examples, \d+ exchanges skipped/);
    expect(text).toMatch(/odyssee updateTask-recorded-[0-9a-f]{10}/);
    expect(text).toContain('externalValue: ../../../mocks/odyssee/updateTask/recorded-');
    expect(() => readdirSync(out)).toThrow();
  });

  it('exits 2 on a usage error', () => {
    let status = 0;
    try {
      execFileSync(process.execPath, [join(repoRoot, 'src/cli/proxy-examples.ts'), '--bogus'], { stdio: 'pipe' });
    } catch (error) {
      status = (error as { status: number }).status;
    }
    expect(status).toBe(2);
  });
});
