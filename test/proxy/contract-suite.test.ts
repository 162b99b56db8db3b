/**
 * The whole contract suite through the proxy in front of the sandbox: every case passes as it does against the
 * sandbox itself (signed iVvy calls verify, R7-Office signs in and answers `.xml`, the flows keep their state), and
 * the proxy finds nothing wrong with any of the sandbox's answers, nor with any request the sandbox accepted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Capability } from '../../src/contract/cases.ts';
import { contractCases, defineContractSuite, loadKit, selectVendors } from '../../src/contract/suite.ts';
import { registry } from '../../src/vendors/index.ts';
import { type RunningSandbox, startSandbox } from '../support/sandbox.ts';
import { proxyTo, type TestProxy } from './support.ts';

const selected = selectVendors(registry);
const names = selected.map((d) => d.name);
const cases = new Map(await Promise.all(selected.map(async (d) => [d.name, await contractCases(d)] as const)));
const kits = new Map(await Promise.all(selected.map(async (d) => [d.name, await loadKit(d)] as const)));
const capabilities: ReadonlySet<Capability> = new Set(['state', 'vendor-errors']);

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

describe('through the proxy', () => {
  defineContractSuite(
    cases,
    () => ({
      name: 'the sandbox through the proxy',
      vendors: Object.fromEntries(proxy.vendors.map((v) => [v.name, { baseUrl: proxy.origin + v.prefix }])),
      capabilities,
    }),
    () => kits,
  );
});

describe('what the proxy saw', () => {
  it('every exchange of the suite, none of the answers breaking the contract', () => {
    expect(proxy.exchanges.length).toBeGreaterThan(100);
    expect(proxy.exchanges.filter((e) => e.fate !== 'answered')).toEqual([]);
    const answers = proxy.exchanges.flatMap((e) =>
      e.violations.filter((v) => v.side === 'answer').map((v) => `#${e.id} ${e.operation}: ${v.where} ${v.what}`),
    );
    expect(answers).toEqual([]);
  });

  it('no request the sandbox accepted is reported as breaking the contract', () => {
    const accepted = proxy.exchanges.filter((e) => e.status !== undefined && e.status < 300);
    expect(accepted.length).toBeGreaterThan(20);
    const flagged = accepted.flatMap((e) =>
      e.violations.map((v) => `#${e.id} ${e.method} ${e.path}: ${v.where} ${v.what}`),
    );
    expect(flagged).toEqual([]);
  });

  it('requests the suite sends to break a rule are reported with that rule', () => {
    const rules = new Set(proxy.exchanges.flatMap((e) => e.violations.flatMap((v) => (v.rule ? [v.rule] : []))));
    expect([...rules].length).toBeGreaterThan(10);
    for (const vendor of names)
      expect(
        [...rules].some((r) => r.startsWith(`${vendor}.`)),
        vendor,
      ).toBe(true);
  });
});
