/** `GET /` of the sandbox and the mock: an index of the vendors, their prefixes and specs, and the own endpoints. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import type { RunningMock } from '../../src/mock/index.ts';
import { buildSandbox, type Sandbox } from '../../src/sandbox/index.ts';
import { loadSpec } from '../../src/spec/index.ts';
import { openStore } from '../../src/store/store.ts';
import { registry } from '../../src/vendors/index.ts';
import { startTestMock } from '../support/mock-client.ts';

let sandbox: Sandbox;
let mock: RunningMock;
beforeAll(async () => {
  const config = Object.freeze({ ...loadConfig([], {}), logLevel: 'silent', dataFile: ':memory:' });
  sandbox = await buildSandbox({ vendors: registry, config, store: await openStore(':memory:') });
  mock = await startTestMock();
});
afterAll(async () => {
  await sandbox?.app.close();
  await mock?.close();
});

interface Index {
  server: string;
  vendors: { name: string; prefix: string; baseUrl: string; spec: string; title: string }[];
  endpoints: Record<string, string>;
}

describe('the sandbox at /', () => {
  it('lists every vendor with its prefix, base URL and spec, and its own endpoints', async () => {
    const res = await sandbox.app.inject({ url: '/', headers: { host: 'sandbox.test:3000' } });
    expect(res.statusCode).toBe(200);
    const index = res.json<Index>();
    expect(index.vendors.map((v) => [v.name, v.baseUrl])).toEqual(
      registry.map((d) => [d.name, `http://sandbox.test:3000${sandbox.prefixes[d.name]}`]),
    );
    expect(Object.keys(index.endpoints)).toEqual(
      expect.arrayContaining(['GET /_sandbox/health', 'POST /_sandbox/reset']),
    );
  });

  it('serves each spec it links, bundled', async () => {
    const index = (await sandbox.app.inject({ url: '/' })).json<Index>();
    for (const vendor of index.vendors) {
      const res = await sandbox.app.inject({ url: new URL(vendor.spec).pathname });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual(await loadSpec(vendor.name));
    }
  });

  it('answers a browser an HTML page with the same links', async () => {
    const res = await sandbox.app.inject({
      url: '/',
      headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
    });
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    for (const d of registry) expect(res.body).toContain(`/_sandbox/openapi/${d.name}.json`);
  });
});

describe('the mock at /', () => {
  it('lists every vendor with its base URL and spec', async () => {
    const res = await fetch(`${mock.url}/`);
    expect(res.status).toBe(200);
    const index = (await res.json()) as Index;
    expect(Object.fromEntries(index.vendors.map((v) => [v.name, v.baseUrl]))).toEqual(mock.bases);
    const spec = await fetch(index.vendors[0]?.spec ?? '');
    expect(((await spec.json()) as { openapi: string }).openapi).toBe('3.1.0');
  });
});
