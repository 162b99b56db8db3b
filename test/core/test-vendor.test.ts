/**
 * A vendor is a folder: test/fixtures/test-vendor/ (a definition and a spec, nothing else) is served by the sandbox,
 * answered by the mock and covered by the contract suite, with no change to any shared module. And the other way
 * round: no shared module imports a vendor's folder; only the registry lists them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import type { Capability } from '../../src/contract/cases.ts';
import { runCase } from '../../src/contract/run-case.ts';
import { contractCases, loadKit } from '../../src/contract/suite.ts';
import { type RunningMock, startMock } from '../../src/mock/index.ts';
import { buildSandbox, type Sandbox } from '../../src/sandbox/index.ts';
import { repoRoot } from '../../src/spec/index.ts';
import { openStore } from '../../src/store/store.ts';
import { testVendor } from '../fixtures/test-vendor/index.ts';

const key = { 'x-key': 'test-key' };
let sandbox: Sandbox;
let base: string;
let mock: RunningMock;

beforeAll(async () => {
  const config = Object.freeze({
    ...loadConfig([], {}, {}, [testVendor]),
    logLevel: 'silent',
    dataFile: ':memory:',
  });
  sandbox = await buildSandbox({ vendors: [testVendor], config, store: await openStore(':memory:') });
  base = `${await sandbox.app.listen({ host: '127.0.0.1', port: 0 })}${sandbox.prefixes['test-vendor']}`;
  mock = await startMock({ vendors: [testVendor] });
});
afterAll(async () => {
  await sandbox?.app.close();
  await mock?.close();
});

describe('the sandbox serves a vendor from its folder', () => {
  it('answers its seeded data to its credentials, under its own prefix', async () => {
    const res = await fetch(`${base}/things/1`, { headers: key });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: 1, name: 'seed' });
  });

  it("refuses in the vendor's own error shape: no credentials, a wrong one, a body its schema refuses", async () => {
    const none = await fetch(`${base}/things/1`);
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ error: 'unauthorized', message: 'Who are you?' });
    const wrong = await fetch(`${base}/things/1`, { headers: { 'x-key': 'nope' } });
    expect(wrong.status).toBe(401);
    const long = await fetch(`${base}/things/1`, {
      method: 'PUT',
      headers: { ...key, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'n'.repeat(21) }),
    });
    expect(long.status).toBe(400);
    expect(await long.json()).toMatchObject({ error: 'invalid', details: ['name'] });
    // What was stored before is still there.
    expect(await (await fetch(`${base}/things/1`, { headers: key })).json()).toEqual({ id: 1, name: 'seed' });
  });

  it('keeps partners apart: another key suffix is another tenant', async () => {
    const put = await fetch(`${base}/things/1`, {
      method: 'PUT',
      headers: { 'x-key': 'test-key+other', 'content-type': 'application/json' },
      body: '{"name":"theirs"}',
    });
    expect(put.status).toBe(200);
    expect(await (await fetch(`${base}/things/1`, { headers: key })).json()).toEqual({ id: 1, name: 'seed' });
  });

  it('answers a missing thing with its handler’s catalogued error', async () => {
    const res = await fetch(`${base}/things/9`, { headers: key });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: 'not-found', message: 'No such thing' });
  });
});

describe('the mock answers it from its spec', () => {
  it("answers the documented example, and Prefer's named one", async () => {
    const url = `${mock.bases['test-vendor']}/things/1`;
    expect(await (await fetch(url, { headers: key })).json()).toEqual({ id: 1, name: 'seed' });
    const named = await fetch(url, {
      method: 'PUT',
      headers: { ...key, 'content-type': 'application/json', prefer: 'example=putThing-seed' },
      body: '{"name":"renamed"}',
    });
    expect(await named.json()).toEqual({ id: 1, name: 'renamed' });
  });

  it('refuses what the sandbox refuses, with the same body', async () => {
    const res = await fetch(`${mock.bases['test-vendor']}/things/1`, {
      method: 'PUT',
      headers: { ...key, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid', details: ['name'] });
  });
});

describe('the contract suite covers it', () => {
  it('generates negative, method and flow cases from its spec and definition, and each passes on the sandbox', async () => {
    const cases = await contractCases(testVendor);
    const kinds = new Set(cases.map((c) => c.kind));
    expect(kinds).toEqual(expect.objectContaining(new Set(['negative', 'method', 'flow'])));
    expect(cases.some((c) => c.id.startsWith('test-vendor/putThing/negative/'))).toBe(true);
    const kit = await loadKit(testVendor);
    const target = {
      name: 'the sandbox',
      vendors: { 'test-vendor': { baseUrl: base } },
      capabilities: new Set<Capability>(['state', 'vendor-errors', 'rate-limit']),
    };
    const failed: string[] = [];
    for (const c of cases) {
      const result = await runCase(c, target, kit);
      if (!result.passed) failed.push(`${c.id}: ${result.problems.join('; ')}`);
    }
    expect(failed).toEqual([]);
  });
});

describe('no shared module knows a vendor', () => {
  const vendorFolders = readdirSync(join(repoRoot, 'src', 'vendors'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name);
  const sources = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
      d.isDirectory() ? sources(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : [],
    );

  it('imports no vendor folder outside that folder and the registry', () => {
    const offenders = sources(join(repoRoot, 'src')).flatMap((file) => {
      const path = relative(join(repoRoot, 'src'), file);
      if (path === join('vendors', 'index.ts')) return [];
      const own = path.startsWith(`vendors${'/'}`) ? path.split('/')[1] : undefined;
      const text = readFileSync(file, 'utf8');
      return vendorFolders
        .filter((v) => v !== own && new RegExp(`from '[./]*(vendors/)?${v}/`).test(text))
        .map((v) => `${path} imports ${v}`);
    });
    expect(offenders).toEqual([]);
  });
});
